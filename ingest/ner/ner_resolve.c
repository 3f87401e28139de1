/*
 * ner_resolve.c — within-document resolution of the candidates ner_chunk found: acronym
 * definitions ("National Energy Administration (NEA)"), canonical names (gazetteer
 * names), short forms of people and organisations ("Silva"
 * after "Ana Silva", "Kyodo" after "Kyodo News Agency"), one type per entity, and the roles a
 * text states for a person ("X, executive chairman of Y"; "Minister of Commerce X").
 * Every pass is linear in the number of candidates (hash maps keyed by name).
 */
#include "ingest/ner/ner_internal.h"
#include "ingest/text/sentences.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/wordlist.h"

/* Longest role phrase we take, in tokens. */
#define NER_ROLE_MAX 40

static bool rs_is(const struct ner_doc *d, size_t i, uint32_t f)
{
    return i < d->n && (d->t[i].flags & f);
}

static bool rs_lex(const struct ner_doc *d, size_t i, uint32_t bits)
{
    return i < d->n && (d->t[i].lex & bits);
}

char *ner_span_text(const struct ner_doc *d, size_t a, size_t b)
{
    size_t s = d->t[a].start, e = d->t[b - 1].end, n = 0;
    char *out = malloc(e - s + 1);
    if (!out)
        return NULL;
    bool space = false;
    for (size_t i = s; i < e; i++) {
        char c = d->text[i];
        if (c == ' ' || c == '\n' || c == '\t') {
            space = true;
            continue;
        }
        if (space && n)
            out[n++] = ' ';
        space = false;
        out[n++] = c;
    }
    out[n] = '\0';
    return out;
}

/* ---------------------------------------------------------------- acronyms */

/* The letters of the acronym token y without its dots and ampersands ("U.S." -> "US", "S&P" ->
 * "SP"), at most cap of them, into out (not terminated); the count. */
static size_t rs_acronym_letters(const struct ner_doc *d, size_t y, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = d->t[y].start; k < d->t[y].end && n < cap; k++)
        if (d->text[k] != '.' && d->text[k] != '&')
            out[n++] = d->text[k];
    return n;
}

/* Whether the letters of the acronym token y are the initials of the capitalised words of
 * [a, b) in order ("NEA" <- National Energy Administration); capitalised words after the first
 * may be skipped. */
static bool rs_initials(const struct ner_doc *d, size_t a, size_t b, size_t y)
{
    char letters[16];
    size_t n = rs_acronym_letters(d, y, letters, sizeof letters), k = 0, words = 0;
    for (size_t i = a; i < b; i++) {
        if (!rs_is(d, i, NT_WORD) || !rs_is(d, i, NT_CAP | NT_UPPER))
            continue;
        words++;
        if (k < n && letters[k] == d->text[d->t[i].start])
            k++;
        else if (words == 1)
            return false;
    }
    return k == n && words >= 2;
}

static bool rs_single_upper(const struct ner_doc *d, const struct ner_cand *c)
{
    return c->b == c->a + 1 && rs_is(d, c->a, NT_UPPER);
}

/* One to three capital letters and nothing else ("S", "AT"). */
static bool rs_capitals(const struct ner_doc *d, size_t k)
{
    const struct ner_tok *t = &d->t[k];
    if (!rs_is(d, k, NT_WORD) || t->end - t->start > 3)
        return false;
    for (size_t i = t->start; i < t->end; i++)
        if (d->text[i] < 'A' || d->text[i] > 'Z')
            return false;
    return true;
}

/* The letters of candidate c when it is an acronym, into out (not terminated): one token in
 * capitals ("NEA", "U.S.", "S&P"), or capitals joined by "and" or "&" as wire copy spells a
 * firm's initials ("S and P", "AT and T"); 0 when it is none. */
static size_t rs_cand_letters(const struct ner_doc *d, const struct ner_cand *c, char *out,
                              size_t cap)
{
    if (rs_single_upper(d, c))
        return rs_acronym_letters(d, c->a, out, cap);
    if (c->b != c->a + 3 || !rs_capitals(d, c->a) || !rs_capitals(d, c->a + 2))
        return 0;
    const struct ner_tok *j = &d->t[c->a + 1];
    size_t jn = j->end - j->start;
    if (!(jn == 3 && memcmp(d->text + j->start, "and", 3) == 0) &&
        !(jn == 1 && d->text[j->start] == '&'))
        return 0;
    size_t n = rs_acronym_letters(d, c->a, out, cap);
    return n + rs_acronym_letters(d, c->a + 2, out + n, cap - n);
}

/* Indexes the multi-word non-person names of the document by the initials of their capitalised
 * words ("CRI" -> "Coastal Research Institute"), and in legal those of the words before a
 * closing legal form ("SP" -> "Standard and Poor's Corp"), which only initials spelled with
 * "and" look up (a plain "US" is not "UBS Securities Inc"); the first such name wins. */
static int rs_index_initials(const struct ner_doc *d, struct ner_map *initials,
                             struct ner_map *legal)
{
    for (size_t i = 0; i < d->nc; i++) {
        const struct ner_cand *c = &d->c[i];
        char key[16];
        if (c->drop || c->type == ENTITY_PERSON || c->b - c->a < 2 || c->ev < NER_EV_CONTEXT ||
            rs_cand_letters(d, c, key, sizeof key)) /* "S and P" is initials, not a long form */
            continue;
        size_t n = 0, last = SIZE_MAX;
        for (size_t k = c->a; k < c->b && n + 1 < sizeof key; k++)
            if (rs_is(d, k, NT_WORD) && rs_is(d, k, NT_CAP | NT_UPPER)) {
                key[n++] = d->text[d->t[k].start];
                last = k;
            }
        if (n >= 2 && ner_map_put(initials, key, n, (uint32_t)i, false) < 0)
            return -1;
        if (n >= 3 && rs_lex(d, last, NL_LEGAL) &&
            ner_map_put(legal, key, n - 1, (uint32_t)i, false) < 0)
            return -1;
    }
    return 0;
}

/* The start of the words before the "(" at token k whose capitalised initials spell the acronym
 * token y, read backwards ("General Agreement on Tariffs and Trade (GATT)"): capitalised words
 * each give one letter, lowercase connectors ("on", "and") none and never end the phrase; the
 * phrase stays in y's sentence. SIZE_MAX when the words before do not spell it. */
static size_t rs_spelled_start(const struct ner_doc *d, size_t k, size_t y)
{
    char letters[16];
    size_t n = rs_acronym_letters(d, y, letters, sizeof letters), words = 0, start = SIZE_MAX;
    for (size_t i = k; n > 0 && i-- > 0;) {
        if (d->t[i].sent != d->t[y].sent || !rs_is(d, i, NT_WORD))
            return SIZE_MAX;
        if (rs_is(d, i, NT_CAP | NT_UPPER) && !rs_is(d, i, NT_LOWER)) {
            if (d->text[d->t[i].start] != letters[n - 1])
                return SIZE_MAX;
            n--;
            words++;
            start = i;
        } else if (!rs_lex(d, i, NL_CONNECT) || i + 1 == k || start == SIZE_MAX) {
            return SIZE_MAX;
        }
    }
    return n == 0 && words >= 3 ? start : SIZE_MAX;
}

/* Makes the candidates inside the words [a, b) one candidate spanning them all, and returns it;
 * nothing (NULL) when no candidate is inside or one reaches out of the range. A candidate that is
 * the whole range already stays as it is; pieces joined take the type of acr when given (the
 * tagger read the acronym whole, while its pieces of a long form with lowercase words inside are
 * guesses), else the surest piece's. */
static const struct ner_cand *rs_span_long_form(struct ner_doc *d, size_t a, size_t b,
                                                const struct ner_cand *acr)
{
    struct ner_cand *keep = NULL;
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop || c == acr || c->b <= a || c->a >= b)
            continue;
        if (c->a < a || c->b > b)
            return NULL;
        if (!keep || c->conf > keep->conf)
            keep = c;
    }
    if (!keep)
        return NULL;
    if (keep->a == a && keep->b == b)
        return keep; /* the tagger read the long form whole: its type stands */
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c != keep && c != acr && !c->drop && c->b > a && c->a < b) {
            keep->ev = c->ev > keep->ev ? c->ev : keep->ev;
            c->drop = true;
        }
    }
    if (acr && !acr->doubtful) {
        keep->type = acr->type;
        keep->conf = acr->conf;
    }
    keep->a = a;
    keep->b = b;
    keep->gaz = -1;
    keep->doubtful = false;
    if (keep->role_b > a) /* a title word inside the name ("General") is no role */
        keep->role_a = keep->role_b = a;
    return keep;
}

/* "General Agreement on Tariffs and Trade (GATT)": the tagger found a piece of the long form
 * ("Agreement"); the acronym's letters give the whole phrase, which becomes one candidate (of the
 * acronym's type when the tagger took the acronym for a name) here and, of the same type,
 * wherever else the document writes it, before the acronym is linked to it (rs_acronyms). */
static void rs_long_forms(struct ner_doc *d)
{
    for (size_t k = 0; k + 2 < d->n; k++) {
        if (!rs_is(d, k, NT_OPEN) || !rs_is(d, k + 1, NT_UPPER) || !rs_is(d, k + 2, NT_CLOSE))
            continue;
        size_t a = rs_spelled_start(d, k, k + 1);
        if (a == SIZE_MAX)
            continue;
        const struct ner_cand *y = NULL; /* the acronym's own candidate, when the tagger has one */
        for (size_t i = 0; i < d->nc && !y; i++)
            if (!d->c[i].drop && d->c[i].a == k + 1 && d->c[i].b == k + 2)
                y = &d->c[i];
        size_t len = k - a;
        const struct ner_cand *defined = rs_span_long_form(d, a, k, y);
        for (size_t j = 0; defined && j + len <= d->n; j++) {
            bool same = j != a;
            for (size_t t = 0; t < len && same; t++) {
                const struct ner_tok *p = &d->t[a + t], *q = &d->t[j + t];
                same = p->end - p->start == q->end - q->start &&
                       memcmp(d->text + p->start, d->text + q->start, p->end - p->start) == 0;
            }
            if (same)
                rs_span_long_form(d, j, j + len, defined);
        }
    }
}

/* "Long Name (ACR)" and "ACR (Long Name)": the acronym takes the long form's identity. An
 * acronym of a lowercase phrase ("free trade agreement (FTA)") is no name at all. */
static int rs_acronyms(struct ner_doc *d, struct ner_map *aliases, struct ner_map *nonames)
{
    for (size_t i = 0; i + 1 < d->nc; i++) {
        struct ner_cand *x = &d->c[i], *y = &d->c[i + 1];
        if (!rs_is(d, x->b, NT_OPEN) || y->a != x->b + 1 || !rs_is(d, y->b, NT_CLOSE))
            continue;
        if (rs_single_upper(d, y) && x->b - x->a >= 2 && rs_initials(d, x->a, x->b, y->a)) {
            y->link = (int)i;
        } else if (rs_single_upper(d, x) && y->b - y->a >= 2 && rs_initials(d, y->a, y->b, x->a)) {
            x->link = (int)i + 1;
        } else {
            continue;
        }
        struct ner_cand *acr = y->link >= 0 ? y : x;
        const struct ner_tok *t = &d->t[acr->a];
        if (ner_map_put(aliases, d->text + t->start, t->end - t->start, (uint32_t)(acr->link),
                        false) < 0)
            return -1;
    }
    for (size_t k = 1; k + 2 < d->n; k++) {
        if (rs_is(d, k, NT_OPEN) && rs_is(d, k + 1, NT_UPPER) && rs_is(d, k + 2, NT_CLOSE) &&
            rs_is(d, k - 1, NT_LOWER)) {
            const struct ner_tok *t = &d->t[k + 1];
            if (ner_map_put(nonames, d->text + t->start, t->end - t->start, 1, false) < 0)
                return -1;
        }
    }
    struct ner_map initials = {0}, legal = {0};
    if (rs_index_initials(d, &initials, &legal) < 0) {
        ner_map_free(&initials);
        ner_map_free(&legal);
        return -1;
    }
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        uint32_t v;
        char letters[16];
        size_t n = rs_cand_letters(d, c, letters, sizeof letters);
        if (n == 0 || c->link >= 0)
            continue;
        const struct ner_tok *t = &d->t[c->a];
        bool one = rs_single_upper(d, c); /* the defined acronyms are single tokens */
        if (one && ner_map_get(aliases, d->text + t->start, t->end - t->start, &v))
            c->link = (int)v;
        else if (one && ner_map_get(nonames, d->text + t->start, t->end - t->start, &v))
            c->drop = true;
        else if (n >= 2 && ner_map_get(&initials, letters, n, &v))
            c->link = (int)v; /* "Coastal Research Institute ... CRI said" */
        else if (!one && ner_map_get(&legal, letters, n, &v))
            c->link = (int)v; /* "Standard and Poor's Corp ... S and P said" */
    }
    ner_map_free(&initials);
    ner_map_free(&legal);
    return 0;
}

/* ---------------------------------------------------------------- canonical names */

/* A gazetteer entry's display name; a capital keeps its own ("Tokyo said" is Tokyo, not Japan:
 * a city never becomes its country); a state written as its abbreviation is the state
 * ("Calif." is California). */
static int rs_canon(struct ner_doc *d, struct ner_cand *c)
{
    if (c->gaz >= 0) {
        c->canon = strdup(d->m->gaz[c->gaz].canon);
    } else {
        c->canon = ner_span_text(d, c->a, c->b);
        const char *full = c->canon && c->type == ENTITY_LOC
                               ? ner_place_full_name(d->m, c->canon, strlen(c->canon))
                               : NULL;
        if (full) {
            free(c->canon);
            c->canon = strdup(full);
        }
    }
    return c->canon ? 0 : -1;
}

static bool rs_single_word(const char *s)
{
    return !strchr(s, ' ');
}

/* The first and last words of a name, for short-form lookup. */
static void rs_edges(const char *s, const char **first, size_t *nf, const char **last, size_t *nl)
{
    const char *sp = strchr(s, ' ');
    const char *lsp = strrchr(s, ' ');
    *first = s;
    *nf = sp ? (size_t)(sp - s) : strlen(s);
    *last = lsp ? lsp + 1 : s;
    *nl = strlen(*last);
}

/* The word a company's short form repeats: its first, after any initials ("Hutton" of "E.F.
 * Hutton Group Inc"). */
static void rs_org_word(const char *s, const char **w, size_t *n)
{
    const char *sp;
    while ((sp = strchr(s, ' ')) && text_is_initials(s, (size_t)(sp - s)))
        s = sp + 1;
    *w = s;
    *n = strcspn(s, " ");
}

/* Indexes multi-word PERSON and ORG names by their edge words: first[word] = first such name. */
static int rs_index_full(struct ner_doc *d, struct ner_map *first)
{
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop || rs_single_word(c->canon) || c->ev < NER_EV_WEAK)
            continue;
        const char *f, *l;
        size_t nf, nl;
        rs_edges(c->canon, &f, &nf, &l, &nl);
        if (c->type == ENTITY_PERSON) {
            if (ner_map_put(first, f, nf, (uint32_t)i, false) < 0 ||
                ner_map_put(first, l, nl, (uint32_t)i, false) < 0)
                return -1;
        }
    }
    return 0;
}

/* Whether the tagger's person c may be the short form of an organisation named before it: no
 * "Mr." or title before it. However sure the tagger is of a one-word name read on its own
 * ("Shearson said"), the document's own longer name, and no person of that name, outweigh it. */
static bool rs_person_may_be_org(const struct ner_cand *c)
{
    return c->type == ENTITY_PERSON && c->role_a == c->role_b;
}

/* Whether the words after the one a short form repeats read as the rest of one name: not a
 * lowercase connector other than "and" ("Dun and Bradstreet Corp", not a span the tagger ran on
 * over "Clemente of Salomon Brothers Inc", which a person's name opens). */
static bool rs_name_goes_on(const char *after)
{
    while (*after == ' ')
        after++;
    return !(*after >= 'a' && *after <= 'z') || strncmp(after, "and ", 4) == 0;
}

/* Whether the tagger's person c, a one-word name, is the short form of organisation o. */
static bool rs_person_is_org(const struct ner_cand *c, const struct ner_cand *o)
{
    const char *w;
    size_t n;
    rs_org_word(o->canon, &w, &n);
    return rs_person_may_be_org(c) && rs_name_goes_on(w + n);
}

/* Makes the short form c the entity full names in the document: its name and type, with the
 * evidence ev. 0 or -1 (OOM). */
static int rs_take_name(struct ner_cand *c, const struct ner_cand *full, enum ner_evidence ev)
{
    char *name = strdup(full->canon);
    if (!name)
        return -1;
    free(c->canon);
    c->canon = name;
    c->type = full->type;
    c->doubtful = false;
    c->ev = ev;
    return 0;
}

/* "E.F. Hutton" or "Drexel Burnham" after "E.F. Hutton Group Inc" and "Drexel Burnham Lambert
 * Inc": a name of several words that the tagger read as a person and that opens the name of an
 * organisation named before it in the document is that organisation (a broker's, a bank's or a
 * firm's name is often a person's). Before the people's names are indexed, so that their words
 * do not make later one-word mentions people. */
static int rs_persons_opening_orgs(struct ner_doc *d)
{
    struct ner_map orgs = {0};
    int rc = 0;
    for (size_t i = 0; i < d->nc && rc == 0; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop || c->link >= 0 || rs_single_word(c->canon))
            continue;
        const char *w;
        size_t n;
        rs_org_word(c->canon, &w, &n);
        uint32_t v;
        if (c->type == ENTITY_ORG && c->ev >= NER_EV_CONTEXT) { /* the nearest before */
            rc = ner_map_set(&orgs, w, n, (uint32_t)i);
        } else if (rs_person_may_be_org(c) && ner_map_get(&orgs, w, n, &v)) {
            size_t len = strlen(c->canon);
            const char *org = d->c[v].canon;
            if (strncmp(org, c->canon, len) == 0 && org[len] == ' ' && rs_name_goes_on(org + len))
                rc = rs_take_name(c, &d->c[v], NER_EV_CONTEXT);
        }
    }
    ner_map_free(&orgs);
    return rc;
}

/* "Silva" after "Ana Silva", "Kim" near "Minho Kim": a one-word name that is the first or last
 * word of a PERSON named in the document becomes that person (the nearest preceding full name,
 * else the first one). Otherwise a one-word ORG, or an untitled person, that starts a longer
 * ORG name named before takes it ("Kyodo", "Shearson"). */
static int rs_short_names(struct ner_doc *d)
{
    struct ner_map first = {0}, latest = {0}, orgs = {0};
    int rc = rs_persons_opening_orgs(d);
    if (rc == 0)
        rc = rs_index_full(d, &first);
    for (size_t i = 0; i < d->nc && rc == 0; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop || c->link >= 0)
            continue;
        const char *f, *l;
        size_t nf, nl;
        rs_edges(c->canon, &f, &nf, &l, &nl);
        if (!rs_single_word(c->canon)) {
            /* the latest full name wins for the short forms that follow it */
            if (c->type == ENTITY_PERSON && c->ev >= NER_EV_WEAK)
                rc = (ner_map_set(&latest, f, nf, (uint32_t)i) < 0 ||
                      ner_map_set(&latest, l, nl, (uint32_t)i) < 0)
                         ? -1
                         : 0;
            if (c->type == ENTITY_ORG && c->ev >= NER_EV_CONTEXT && rc == 0) {
                const char *ow;
                size_t on;
                rs_org_word(c->canon, &ow, &on);
                rc = ner_map_put(&orgs, ow, on, (uint32_t)i, false);
            }
            continue;
        }
        /* a sure organisation may still be the short form of a longer one ("Norris") */
        bool org_only = c->ev >= NER_EV_STRONG && c->type == ENTITY_ORG && c->gaz < 0;
        if (c->ev >= NER_EV_STRONG && c->type != ENTITY_PERSON && !org_only)
            continue;
        uint32_t v;
        char tc[64]; /* "SAMPRAS" in an ALL-CAPS headline looks up "Sampras" */
        if (rs_is(d, c->a, NT_UPPER) && rs_is(d, c->a, NT_HEADLINE) && nf < sizeof tc) {
            for (size_t k = 0; k < nf; k++)
                tc[k] = (char)(k && f[k] >= 'A' && f[k] <= 'Z' ? f[k] + 32 : f[k]);
            f = tc;
        }
        if (!org_only && (ner_map_get(&latest, f, nf, &v) || ner_map_get(&first, f, nf, &v))) {
            rc = rs_take_name(c, &d->c[v], c->ev < NER_EV_CONTEXT ? NER_EV_CONTEXT : c->ev);
        } else if (ner_map_get(&orgs, f, nf, &v) &&
                   (c->ev <= NER_EV_WEAK || (c->type == ENTITY_ORG && c->gaz < 0) ||
                    rs_person_is_org(c, &d->c[v]))) { /* "Norris" after "Norris Oil Co" */
            rc = rs_take_name(c, &d->c[v], NER_EV_CONTEXT);
        }
    }
    ner_map_free(&first);
    ner_map_free(&latest);
    ner_map_free(&orgs);
    return rc;
}

/* A known place that the context shows to be an organisation ("Surrey 396", "beat Kent") outweighs
 * the gazetteer's default reading of the same name in the document. */
static bool rs_team_over_place(const struct ner_cand *best, const struct ner_cand *c)
{
    return c->gaz >= 0 && c->type == ENTITY_ORG && best->type == ENTITY_LOC;
}

/* One type per entity: every mention of a name takes the type of its best-evidenced mention. */
static int rs_unify_types(struct ner_doc *d)
{
    struct ner_map best = {0};
    int rc = 0;
    for (size_t i = 0; i < d->nc && rc == 0; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop || rs_is(d, c->a, NT_DATELINE))
            continue;
        uint32_t v;
        size_t n = strlen(c->canon);
        if (!ner_map_get(&best, c->canon, n, &v)) {
            rc = ner_map_put(&best, c->canon, n, (uint32_t)i, false);
        } else if (d->c[v].ev < c->ev || (d->c[v].ev == c->ev && rs_team_over_place(&d->c[v], c))) {
            rc = ner_map_set(&best, c->canon, n, (uint32_t)i);
        }
    }
    for (size_t i = 0; i < d->nc && rc == 0; i++) {
        struct ner_cand *c = &d->c[i];
        uint32_t v;
        if (!c->drop && !rs_is(d, c->a, NT_DATELINE) &&
            ner_map_get(&best, c->canon, strlen(c->canon), &v) && c->ev <= d->c[v].ev)
            c->type = d->c[v].type; /* a dateline's place stays a place ("LEEDS 1996-08-30") */
    }
    ner_map_free(&best);
    return rc;
}

/* "Gwangmyeong, South Korea", "Zhuzhou, Hunan province": a weakly typed name followed by a comma
 * and a place is a place too. */
static void rs_place_commas(struct ner_doc *d)
{
    for (size_t i = 0; i + 1 < d->nc; i++) {
        struct ner_cand *x = &d->c[i], *y = &d->c[i + 1];
        if (x->drop || y->drop || x->ev > NER_EV_WEAK || x->type == ENTITY_PERSON)
            continue;
        if (rs_is(d, x->b, NT_COMMA) && y->a == x->b + 1 && y->type == ENTITY_LOC &&
            y->ev >= NER_EV_CONTEXT) {
            x->type = ENTITY_LOC;
            x->ev = NER_EV_CONTEXT;
        }
    }
}

/* Acronyms take their long form's name and type. */
static int rs_links(struct ner_doc *d)
{
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->link < 0 || c->drop)
            continue;
        const struct ner_cand *l = &d->c[c->link];
        char *name = strdup(l->canon);
        if (!name)
            return -1;
        free(c->canon);
        c->canon = name;
        c->type = l->type;
        c->ev = NER_EV_STRONG;
    }
    return 0;
}

/* ---------------------------------------------------------------- roles */

/* End of an appositive role phrase starting at k: up to a comma (outside names and brackets),
 * the end of the sentence, or a speech verb. 0 when it is not a role (no title word early on). */
static size_t rs_role_end(const struct ner_doc *d, size_t k, const bool *inside)
{
    size_t depth = 0, words = 0, e = k;
    bool title = false;
    uint32_t sent = d->t[k].sent;
    for (size_t i = k; i < d->n && i - k < NER_ROLE_MAX && d->t[i].sent == sent; i++) {
        const struct ner_tok *t = &d->t[i];
        if (t->flags & NT_OPEN)
            depth++;
        else if ((t->flags & NT_CLOSE) && depth)
            depth--;
        else if ((t->flags & NT_CLOSE) || (t->flags & NT_STOP))
            break;
        else if ((t->flags & NT_COMMA) && !depth && !inside[i])
            break;
        else if (!(t->flags & NT_WORD) && (d->text[t->start] == '<' || d->text[t->start] == '>'))
            break; /* markup ends a role ("... of Acme AG <ACME.F>") */
        if (t->flags & NT_WORD) {
            if (wordlist_has(d->m->speech_verbs, d->text + t->start, t->end - t->start))
                break;
            words++;
            if ((t->lex & NL_TITLE) && words <= 6)
                title = true;
        }
        e = i + 1;
    }
    return title ? e : 0;
}

static char *rs_role_text(const struct ner_doc *d, size_t a, size_t b)
{
    while (a < b && (ner_word_eq(d, a, "the") || ner_word_eq(d, a, "a") || ner_word_eq(d, a, "an")))
        a++;
    if (a >= b)
        return NULL;
    char *s = ner_span_text(d, a, b);
    /* an opening quote whose closing mark the comma cut off ("…Committee,”") */
    if (s && strstr(s, "\u201c") && !strstr(s, "\u201d")) {
        size_t n = strlen(s);
        char *t = realloc(s, n + 4);
        if (t) {
            memcpy(t + n, "\u201d", 4);
            s = t;
        }
    }
    return s;
}

/* A role is a title or function phrase: it has a role head word (ner_titles.txt: minister,
 * chairman, spokesman, analyst ...) and names no other person ("Treasury Secretary James Baker
 * and other officials" is not Volcker's role; "chairman of the Federal Reserve" may name an
 * organisation). Candidates are sorted by start, so only neighbours of c are checked. */
static bool rs_role_ok(const struct ner_doc *d, size_t ci, size_t a, size_t b)
{
    size_t last = b;
    while (last > a && !rs_is(d, last - 1, NT_WORD))
        last--;
    if (last == a || (rs_is(d, last - 1, NT_LOWER) && rs_lex(d, last - 1, NL_FUNC | NL_CONNECT)))
        return false; /* "Sen. and" of "former Sen. and Reagan confidant X": a phrase cut short */
    bool head = false;
    for (size_t k = a; k < b && !head; k++)
        head = rs_lex(d, k, NL_TITLE);
    if (!head)
        return false;
    for (size_t j = ci + 1; j < d->nc && d->c[j].a < b; j++)
        if (!d->c[j].drop && d->c[j].type == ENTITY_PERSON && d->c[j].b > a)
            return false;
    for (size_t j = ci; j-- > 0;)
        if (!d->c[j].drop && d->c[j].type == ENTITY_PERSON && d->c[j].b > a && d->c[j].a < b)
            return false;
    return true;
}

/* An appositive role starts like one: a capitalised word ("Japanese Finance Minister"), a
 * determiner, or a title word or its modifier ("executive chairman", "senior economist") -- not
 * "who is", "has written". */
static bool rs_role_starts(const struct ner_doc *d, size_t k)
{
    return !rs_is(d, k, NT_LOWER) || rs_lex(d, k, NL_TITLE | NL_TITLEMOD) ||
           ner_word_eq(d, k, "a") || ner_word_eq(d, k, "an") || ner_word_eq(d, k, "the");
}

/* Where the title before a name starts: "Chairman of President X's council" gives X the title
 * "President" -- the words after "of" are the title, the chairman is someone else. */
static size_t rs_title_start(const struct ner_doc *d, size_t a, size_t b)
{
    if (!rs_lex(d, b - 1, NL_TITLE))
        return a; /* "Secretary of State": "State" is no title of its own */
    for (size_t k = b; k-- > a + 1;) {
        if (!rs_is(d, k, NT_WORD) || !rs_lex(d, k, NL_TITLE | NL_TITLEMOD))
            return ner_word_eq(d, k, "of") && k + 1 < b ? k + 1 : a;
    }
    return a;
}

/* Whether token j may be part of a premodifier role: a lowercase title word or its modifier
 * ("spokesman", "senior"), or a capitalised word that is no function word ("White House",
 * "U.S. Treasury"). */
static bool rs_premod_word(const struct ner_doc *d, size_t j, uint32_t sent)
{
    if (!rs_is(d, j, NT_WORD) || d->t[j].sent != sent)
        return false;
    if (rs_is(d, j, NT_LOWER))
        return rs_lex(d, j, NL_TITLE | NL_TITLEMOD);
    return !rs_lex(d, j, NL_FUNC);
}

/* "White House spokesman Daniel X", "said analyst Anna Y": a lowercase function word right
 * before the name, with the words that qualify it. The role is [*a, name) or none (false);
 * *title is where its run of lowercase title words starts, the fallback when the qualifying
 * words name someone else ("Reagan spokesman"). */
static bool rs_premodifier(const struct ner_doc *d, const struct ner_cand *c, size_t *a,
                           size_t *title)
{
    size_t k = c->a;
    uint32_t sent = d->t[k].sent;
    if (k == 0 || !rs_is(d, k - 1, NT_LOWER) || !rs_lex(d, k - 1, NL_TITLE) ||
        d->t[k - 1].sent != sent)
        return false;
    size_t j = k - 1;
    while (j > 0 && rs_is(d, j - 1, NT_LOWER) && rs_premod_word(d, j - 1, sent))
        j--;
    *title = j;
    while (j > 0 && k - j < 6 && rs_premod_word(d, j - 1, sent))
        j--;
    while (j < *title && rs_is(d, j, NT_LOWER))
        j++; /* a role starts with a capitalised qualifier or its title words */
    *a = j;
    return true;
}

/* Appositive "NAME, ROLE," and title prefix "ROLE NAME" for each PERSON mention. */
static int rs_roles(struct ner_doc *d)
{
    bool *inside = calloc(d->n + 1, sizeof *inside);
    if (!inside)
        return -1;
    for (size_t i = 0; i < d->nc; i++)
        if (!d->c[i].drop)
            for (size_t k = d->c[i].a; k < d->c[i].b; k++)
                inside[k] = true;
    int rc = 0;
    for (size_t i = 0; i < d->nc && rc == 0; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop || c->type != ENTITY_PERSON)
            continue;
        size_t k = c->b + 1, e = 0;
        if (rs_is(d, c->b, NT_COMMA) && k < d->n && d->t[k].sent == d->t[c->a].sent &&
            !(inside[k] && i + 1 < d->nc && d->c[i + 1].a == k &&
              d->c[i + 1].type == ENTITY_PERSON))
            e = rs_role_end(d, k, inside);
        if (e && (!rs_role_ok(d, i, k, e) || !rs_role_starts(d, k)))
            e = 0;
        if (e)
            c->role = rs_role_text(d, k, e);
        else if (c->role_b > c->role_a) {
            size_t a = rs_title_start(d, c->role_a, c->role_b);
            if (rs_role_ok(d, i, a, c->role_b))
                c->role = ner_span_text(d, a, c->role_b);
        } else if (rs_premodifier(d, c, &k, &e)) {
            if (!rs_role_ok(d, i, k, c->a))
                k = e;
            if (rs_role_ok(d, i, k, c->a))
                c->role = ner_span_text(d, k, c->a);
        }
    }
    free(inside);
    return rc;
}

/* ---------------------------------------------------------------- driver */

/* Drops unsupported candidates and any overlap (candidates are sorted by start). */
static void rs_final(struct ner_doc *d)
{
    size_t end = 0;
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->ev == NER_EV_SUPPORT || c->doubtful) /* unexplained title, ordinary words */
            c->drop = true;
        if (c->drop)
            continue;
        if (c->a < end)
            c->drop = true;
        else
            end = c->b;
    }
}

int ner_resolve_doc(struct ner_doc *d)
{
    struct ner_map aliases = {0}, nonames = {0};
    ner_refs_markup(d); /* also sorts the candidates by start */
    rs_long_forms(d);
    int rc = rs_acronyms(d, &aliases, &nonames);
    ner_map_free(&aliases);
    ner_map_free(&nonames);
    for (size_t i = 0; i < d->nc && rc == 0; i++)
        rc = rs_canon(d, &d->c[i]);
    if (rc == 0)
        rc = ner_refs_heads(d);
    if (rc == 0)
        rs_place_commas(d);
    if (rc == 0)
        rc = rs_short_names(d);
    if (rc == 0)
        rc = rs_links(d);
    if (rc == 0)
        rc = ner_qualify_national(d);
    if (rc == 0 && !d->model_typed)
        rc = rs_unify_types(d);
    if (rc == 0)
        rs_final(d);
    if (rc == 0)
        rc = rs_roles(d);
    return rc;
}
