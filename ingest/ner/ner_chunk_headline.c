/*
 * ner_chunk_headline.c — types the words of ALL-CAPS headlines after the body (ner_chunk.c).
 *
 * Takes a document whose body runs are already candidates and adds the headline's names: a known
 * place or organisation from the gazetteer, any other word only when the body names it ("SAMPRAS"
 * after "Pete Sampras"), with that name's type.
 */
#include "ingest/ner/ner_chunk_internal.h"

/* A word of an ALL-CAPS headline: its capitalisation says nothing, so it is typed after the body
 * (ner_headline_pass), not by the run rules. */
bool ner_caps_headline(const struct ner_doc *d, size_t i)
{
    return ner_is(d, i, NT_HEADLINE) && ner_is(d, i, NT_UPPER);
}

/* Lower-cased copy of token i into buf (cap bytes); its length, or 0 when it does not fit. */
static size_t ner_fold_tok(const struct ner_doc *d, size_t i, char *buf, size_t cap)
{
    const struct ner_tok *t = tk(d, i);
    size_t n = t->end - t->start;
    if (n == 0 || n >= cap)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char ch = d->text[t->start + k];
        buf[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    return n;
}

/* Lower-cased text of tokens [a, b), white space as one space, into buf; its length or 0. */
static size_t ner_fold_span(const struct ner_doc *d, size_t a, size_t b, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t k = a; k < b; k++) {
        if (k > a && ner_is(d, k, NT_SPACE)) {
            if (n + 1 >= cap)
                return 0;
            buf[n++] = ' ';
        }
        size_t w = ner_fold_tok(d, k, buf + n, cap - n);
        if (!w)
            return 0;
        n += w;
    }
    return n;
}

/* Type (+1) of the body name holding the word at i, case-insensitively, or 0. */
static uint32_t ner_body_type(const struct ner_doc *d, const struct ner_map *body, size_t i)
{
    char buf[64];
    uint32_t v = 0;
    size_t n = ner_fold_tok(d, i, buf, sizeof buf);
    if (!n || !ner_is(d, i, NT_WORD) || ner_is(d, i, NT_DIGIT) || ner_lex(d, i, NL_COMMON) ||
        ner_seen(d, i) == 2)
        return 0;
    return ner_map_get(body, buf, n, &v) ? v : 0;
}

/* A word that can identify a name on its own: no dictionary word, company suffix or
 * abbreviation ("SONY", "AGASSI"; not "PATENTS", "CORP"). */
static bool ner_distinct(const struct ner_doc *d, size_t i)
{
    if (ner_lex(d, i, NL_COMMON | NL_ORGSUF | NL_NOTNAME | NL_FUNC))
        return false;
    return !ner_lex(d, i, NL_DICT) || ner_lex(d, i, NL_PROPER | NL_SURNAME | NL_GIVEN);
}

/* ALL-CAPS headlines ("TENNIS - SAMPRAS BEATS AGASSI"): a known place or organisation is typed by
 * the gazetteer; any other word is a name only when the body names it ("Pete Sampras"), and takes
 * that name's type. Runs of such words with one type form one name. */
int ner_headline_pass(struct ner_doc *d, size_t nbody)
{
    struct ner_map body = {0};
    char buf[64];
    int rc = 0;
    for (size_t i = 0; i < nbody && rc == 0; i++) {
        const struct ner_cand *c = &d->c[i];
        if (c->ev == NER_EV_SUPPORT || c->doubtful)
            continue;
        for (size_t k = c->a; k < c->b && rc == 0; k++) {
            size_t n = ner_fold_tok(d, k, buf, sizeof buf);
            if (n && ner_is(d, k, NT_WORD) && ner_is(d, k, NT_CAP | NT_UPPER) &&
                !ner_lex(d, k, NL_FUNC | NL_CONNECT))
                rc = ner_map_put(&body, buf, n, (uint32_t)c->type + 1, false);
        }
        size_t n = c->b - c->a >= 2 ? ner_fold_span(d, c->a, c->b, buf, sizeof buf) : 0;
        if (n && rc == 0) /* the whole name, "dutch open" */
            rc = ner_map_put(&body, buf, n, (uint32_t)c->type + 1, false);
    }
    for (size_t i = 0; i < d->n && rc == 0;) {
        if (!ner_caps_headline(d, i) || !ner_is(d, i, NT_WORD)) {
            i++;
            continue;
        }
        /* a multi-word name of the body, whole ("DUTCH OPEN" after "the Dutch Open") */
        size_t j = i + 1, best = 0;
        uint32_t ty = 0, v;
        while (j < d->n && j - i < NER_GAZ_MAX_TOKENS && d->t[j].sent == d->t[i].sent &&
               ner_caps_headline(d, j))
            j++;
        for (; j >= i + 2 && !best; j--) {
            size_t n = ner_fold_span(d, i, j, buf, sizeof buf);
            if (n && ner_map_get(&body, buf, n, &v) && ner_is(d, j - 1, NT_WORD)) {
                best = j;
                ty = v;
            }
        }
        if (best) {
            rc = ner_cand_add(d, i, best, (enum entity_type)(ty - 1), NER_EV_CONTEXT);
            i = best;
            continue;
        }
        int g;
        size_t k = ner_gaz_prefix(d, i, d->n, &g);
        if (k) {
            rc = ner_type_run(d, i, i + k, false);
            i += k;
            continue;
        }
        ty = ner_body_type(d, &body, i);
        if (!ty || ner_lex(d, i, NL_FUNC)) {
            i++;
            continue;
        }
        j = i + 1;
        bool distinct = ner_distinct(d, i);
        while (j < d->n && d->t[j].sent == d->t[i].sent && ner_caps_headline(d, j) &&
               ner_body_type(d, &body, j) == ty && !ner_gaz_prefix(d, j, j + 1, &g) &&
               (ner_distinct(d, j) || ner_lex(d, j, NL_ORGSUF)))
            distinct |= ner_distinct(d, j++);
        if (distinct) /* "PATENTS" alone may be a word of "Acme Patents Inc", or just a word */
            rc = ner_cand_add(d, i, j, (enum entity_type)(ty - 1), NER_EV_CONTEXT);
        i = j;
    }
    ner_map_free(&body);
    return rc;
}
