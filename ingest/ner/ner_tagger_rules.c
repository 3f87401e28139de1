/*
 * ner_tagger_rules.c — the jobs the rules keep after the tagger has decoded a document, each
 * where the training data is thin and a word list is explicit (docs/architecture.md, "Rules keep
 * a few jobs"):
 *   - an organisation cue next to a name ("news agency X", "to acquire X", "economists at X",
 *     "X shares fell") makes it an ORG, in every mention of that text in the document;
 *   - a person the rules found right after a title ("Minister of Foreign Affairs Tomas Varga")
 *     keeps the title as its role, whatever the tagger made of the title phrase;
 *   - an organisation head with its "of" part ("Ministry of Trade, Industry and Energy") stays
 *     whole;
 *   - a capitalised run with a possessive or connector ending in an organisation suffix
 *     ("X's Ratings Service Inc"), or "X and Y's", is one ORG;
 *   - two tagged capital letters joined by "and"/"&" ("S and P") are one ORG.
 * The tagger's candidates [0, n0) are sorted and do not overlap, so every overlap test is a
 * binary search; the cue pass keys mention texts in a map: linear in the document, whatever it
 * holds.
 */
#include "ingest/ner/ner_tagger.h"
#include "ingest/text/sentences.h"

#include <string.h>

/* Index of the first of the sorted, non-overlapping candidates [0, n0) that ends after token a. */
static size_t tr_first_after(const struct ner_doc *d, size_t n0, size_t a)
{
    size_t lo = 0, hi = n0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->c[mid].b <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *tr_text(const struct ner_doc *d, const struct ner_cand *c, size_t *len)
{
    *len = d->t[c->b - 1].end - d->t[c->a].start;
    return d->text + d->t[c->a].start;
}

/* ---------------------------------------------------------------- organisation cues */

/* Whether tokens [a, b) stand next to an organisation cue: a lowercase cue noun or verb before
 * them (also through "at"/"of": "economists at X", "shares of X") or a company word after them. */
static bool tr_cued(const struct ner_doc *d, size_t a, size_t b)
{
    const struct ner_tok *p = a > 0 ? &d->t[a - 1] : NULL, *n = b < d->n ? &d->t[b] : NULL;
    const uint32_t before = NL_ORGCUE | NL_ORGPREV;
    /* "analyst Anna Berg" is a person: a title word cues a company only through "at"/"of" */
    if (p && (p->flags & NT_LOWER) && (p->lex & before) && !(p->lex & NL_TITLE))
        return true;
    if (p && a > 1 && (p->flags & NT_LOWER) && (p->lex & (NL_CONNECT | NL_LOCPREP)) &&
        (d->t[a - 2].flags & NT_LOWER) && (d->t[a - 2].lex & before))
        return true;
    return n && (n->flags & NT_LOWER) && (n->lex & NL_ORGAFTER);
}

/* A single capitalised word the tagger left out, mid-sentence next to a cue ("and Mango shares
 * rose"), not a known place or a word that is never a name. */
static bool tr_cued_word(const struct ner_doc *d, const struct ner_tctx *tc, size_t a)
{
    const struct ner_tok *t = &d->t[a];
    return (t->flags & NT_WORD) && (t->flags & NT_CAP) && !(t->flags & NT_SSTART) &&
           !(t->lex & (NL_NOTNAME | NL_FUNC)) && tc->y[a] == 0 && !tc->gaz[a] &&
           tr_cued(d, a, a + 1);
}

/* A name the gazetteer knows as an organisation (a news agency, a company) used as the
 * premodifier of a common noun: "a Kyodo survey", "Bloomberg reporters". A person's name in that
 * place ("a Reagan aide") is no organisation, which is why the name must be a known one. */
static bool tr_known_org_premod(const struct ner_doc *d, const struct ner_cand *c)
{
    int g = ner_gaz_span(d, c->a, c->b);
    if (g < 0 || d->m->gaz[g].kind != NER_GAZ_ORG || c->b >= d->n ||
        (d->t[c->b - 1].flags & NT_POSS))
        return false;
    const struct ner_tok *n = &d->t[c->b];
    bool lower = (n->flags & NT_LOWER) || ((n->flags & NT_UPPER) && (n->flags & NT_HEADLINE));
    return (n->flags & NT_WORD) && lower && !(n->flags & NT_DIGIT) &&
           !(n->lex & (NL_FUNC | NL_SUBJVERB | NL_NOTNAME));
}

static int tr_org_cues(struct ner_doc *d, const struct ner_tctx *tc)
{
    struct ner_map cued = {0}, known = {0};
    size_t n0 = d->nc, len;
    int rc = 0;
    for (size_t i = 0; i < n0 && rc == 0; i++) {
        const struct ner_cand *c = &d->c[i];
        const char *s = tr_text(d, c, &len);
        /* not "Canadian shares", "Tokyo shares": a known place or demonym; a cued name the
         * tagger already read as an organisation still retypes its other mentions */
        if (!c->drop && !tc->gaz[c->a] && tr_cued(d, c->a, c->b))
            rc = ner_map_put(&cued, s, len, 1, false);
        /* only against a person reading: "the Nikkei average" is an index (MISC) */
        else if (!c->drop && c->type == ENTITY_PERSON && tr_known_org_premod(d, c))
            rc = ner_map_put(&known, s, len, 1, false);
    }
    for (size_t a = 0; a < d->n && rc == 0; a++) {
        if (!tr_cued_word(d, tc, a))
            continue;
        rc = ner_cand_add(d, a, a + 1, ENTITY_ORG, NER_EV_CONTEXT);
        if (rc == 0)
            rc = ner_map_put(&cued, d->text + d->t[a].start, d->t[a].end - d->t[a].start, 1, false);
    }
    uint32_t v;
    for (size_t i = 0; i < n0 && rc == 0 && (cued.count || known.count); i++) {
        struct ner_cand *c = &d->c[i];
        const char *s = tr_text(d, c, &len);
        if (c->type != ENTITY_ORG &&
            (ner_map_get(&cued, s, len, &v) ||
             (c->type == ENTITY_PERSON && ner_map_get(&known, s, len, &v))))
            c->type = ENTITY_ORG; /* every mention of the cued name */
    }
    ner_map_free(&cued);
    ner_map_free(&known);
    return rc;
}

/* ---------------------------------------------------------------- titles, heads */

/* Only a name the tagger also read as a person, one opening with a given name, or plain
 * capitalised words that no list marks as part of an organisation, place or event keep the
 * rules' reading: the rules take "General Agreement on Tariffs" for a general's name. */
static bool tr_plain_name(const struct ner_doc *d, size_t a, size_t b)
{
    const uint32_t not_person = NL_ORGSUF | NL_ORGHEAD | NL_LOCSUF | NL_LOCHEAD | NL_MISCSUF |
                                NL_MISCHEAD | NL_COMMON | NL_FUNC | NL_NOTNAME;
    for (size_t i = a; i < b; i++)
        if (!(d->t[i].flags & NT_WORD) || !(d->t[i].flags & NT_CAP) || (d->t[i].lex & not_person))
            return false;
    return b > a;
}

static int tr_titled(struct ner_doc *d, const struct ner_tctx *tc, size_t n0)
{
    for (size_t k = 0; k < tc->n_titled; k++) {
        const struct ner_titled *t = &tc->titled[k];
        size_t first = tr_first_after(d, n0, t->role_a), same = SIZE_MAX;
        bool person = (d->t[t->a].lex & NL_GIVEN) || tr_plain_name(d, t->a, t->b);
        for (size_t i = first; i < n0 && d->c[i].a < t->b; i++) {
            const struct ner_cand *c = &d->c[i];
            if (c->a == t->a && c->b <= t->b && c->type == ENTITY_PERSON)
                same = i; /* the tagger's end wins: "Tomas Varga" of "… of Norland" */
            person |= c->type == ENTITY_PERSON && c->b > t->a;
        }
        if (!person)
            continue;
        size_t end = same == SIZE_MAX ? t->b : d->c[same].b;
        for (size_t i = first; i < n0 && d->c[i].a < end; i++)
            if (i != same) /* what the tagger made of the title and the name */
                d->c[i].drop = true;
        if (same == SIZE_MAX && ner_cand_add(d, t->a, t->b, ENTITY_PERSON, NER_EV_STRONG) < 0)
            return -1;
        struct ner_cand *c = same == SIZE_MAX ? &d->c[d->nc - 1] : &d->c[same];
        c->role_a = t->role_a;
        c->role_b = t->a;
    }
    return 0;
}

/* "Ministry of Trade, Industry and Energy", which the tagger tends to cut at the comma: kept
 * whole unless the tagger read another type in it or the same name going on further
 * ("Organisation for Security and Cooperation in Europe"). */
static int tr_headed(struct ner_doc *d, const struct ner_tctx *tc, size_t n0)
{
    for (size_t k = 0; k < tc->n_headed; k++) {
        const struct ner_titled *t = &tc->headed[k];
        size_t first = tr_first_after(d, n0, t->a),
               start = ner_name_start(d, tc->y, t->a, t->b, ENTITY_ORG);
        bool same = false, other_type = false;
        for (size_t i = first; i < n0 && d->c[i].a < t->b; i++) {
            const struct ner_cand *c = &d->c[i];
            if (c->drop)
                continue;
            same |= c->a == start && c->b >= t->b; /* the tagger's goes on further */
            other_type |= c->type != ENTITY_ORG;
        }
        if (same || other_type || (start > t->a && t->b - start < 2))
            continue;
        for (size_t i = first; i < n0 && d->c[i].a < t->b; i++)
            d->c[i].drop = true;
        if (ner_cand_add(d, start, t->b, ENTITY_ORG, NER_EV_STRONG) < 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- company names */

/* Gazetteer bits of places (countries, subdivisions, cities, capitals, regions: kinds 0-4, four
 * BILOU positions each). */
#define TR_PLACE_GAZ 0xFFFFFu

/* Whether the capitalised run [a, e) is one company name; *end is where it ends. */
static bool tr_org_run(const struct ner_doc *d, const struct ner_tctx *tc, size_t a, size_t e,
                       size_t *end)
{
    size_t last = tc->run_last[a];
    for (size_t k = a + 1; k < e; k++)      /* "... through Acme and Co. Beta Corp said": the run */
        if (d->t[k].sent != d->t[a].sent) { /* ends with its sentence */
            e = k;
            break;
        }
    while (last >= e || (last > a && !(d->t[last].flags & (NT_CAP | NT_UPPER))))
        last--;
    bool poss = false, conn = false, place = false, person = false;
    for (size_t k = a; k < e; k++) {
        if (d->t[k].flags & NT_POSS) {
            poss = true;
            place |= k > a && (tc->gaz[k - 1] & TR_PLACE_GAZ); /* "Japan's Acme Corp" */
        } else if (!(d->t[k].flags & (NT_CAP | NT_UPPER))) {
            conn = true;
            /* "Robert Gordon of Benning Lyle Inc": a person, then the company */
            person |= (ner_word_eq(d, k, "of") || ner_word_eq(d, k, "for")) &&
                      ner_person_before_of(d, a, k);
        }
    }
    if (place || person || !(poss || conn))
        return false;
    for (size_t k = a; k < last; k++)
        if ((d->t[k].lex & NL_ORGSUF) && (d->t[k].flags & NT_CAP) && !(d->t[k + 1].flags & NT_CAP))
            return false; /* "Vorlax Corp and Helmar Oy": two companies */
    if ((d->t[last].lex & NL_ORGSUF) && (d->t[last].flags & NT_CAP)) {
        *end = last + 1;
        return true;
    }
    *end = e; /* "Standard and Poor's": a connector and a final possessive */
    return conn && poss && (d->t[e - 1].flags & NT_POSS) && e - a == 4;
}

static int tr_org_runs(struct ner_doc *d, const struct ner_tctx *tc, size_t n0)
{
    for (size_t a = 0; a < d->n; a++) {
        if (tc->run_last[a] == UINT32_MAX || (a > 0 && tc->run_last[a - 1] == tc->run_last[a]))
            continue;
        size_t e = tc->run_next[a] == UINT32_MAX ? d->n : tc->run_next[a], end;
        if (!tr_org_run(d, tc, a, e, &end))
            continue;
        size_t start = ner_name_start(d, tc->y, a, end, ENTITY_ORG);
        if (start > a && end - start < 2)
            continue; /* "The Bank's": a head alone is no company name */
        size_t first = tr_first_after(d, n0, a);
        bool same = false;
        for (size_t i = first; i < n0 && d->c[i].a < end; i++)
            same |= !d->c[i].drop && d->c[i].a == start && d->c[i].b + 1 >= end &&
                    d->c[i].type == ENTITY_ORG;
        if (same)
            continue;
        for (size_t i = first; i < n0 && d->c[i].a < end; i++)
            d->c[i].drop = true;
        if (ner_cand_add(d, start, end, ENTITY_ORG, NER_EV_STRONG) < 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- letter pairs */

static bool tr_letter(const struct ner_doc *d, const struct ner_cand *c)
{
    const struct ner_tok *t = &d->t[c->a];
    return !c->drop && c->b == c->a + 1 && t->end == t->start + 1 && (t->flags & NT_CAP);
}

/* Whether token k is one capital letter, token k + 1 "and" or "&" and token k + 2 another. */
static bool tr_letter_pair_at(const struct ner_doc *d, size_t k)
{
    if (k + 2 >= d->n)
        return false;
    const struct ner_tok *x = &d->t[k], *j = &d->t[k + 1], *y = &d->t[k + 2];
    return text_letter_pair_head(d->text + x->start, x->end - x->start, d->text + j->start,
                                 j->end - j->start) &&
           y->end == y->start + 1 && text_is_initials(d->text + y->start, 1);
}

/* The first token of the letter pair that single-letter candidate i is part of, or SIZE_MAX:
 * its first letter, or its second one when nothing is tagged on the first ("S and P said"
 * tagged "P" alone). The other letter must be tagged as a letter or not at all. */
static size_t tr_pair_start(const struct ner_doc *d, size_t n0, size_t i)
{
    const struct ner_cand *x = &d->c[i], *y = i + 1 < n0 ? &d->c[i + 1] : NULL;
    if (tr_letter_pair_at(d, x->a))
        return !y || y->a > x->a + 2 || (y->a == x->a + 2 && tr_letter(d, y)) ? x->a : SIZE_MAX;
    if (x->a >= 2 && tr_letter_pair_at(d, x->a - 2) && (i == 0 || d->c[i - 1].b <= x->a - 2))
        return x->a - 2;
    return SIZE_MAX;
}

/* "S and P", "P&G": two capital letters joined by "and" or "&" are one company's abbreviated
 * name when the tagger read a name there: each letter as a name of its own, one letter alone,
 * or the three words as one name of another type (the tagger reads a firm's initials like a
 * product's). */
static int tr_letter_pairs(struct ner_doc *d, size_t n0)
{
    for (size_t i = 0; i < n0; i++) {
        struct ner_cand *x = &d->c[i];
        if (x->drop)
            continue;
        if (x->b == x->a + 3 && tr_letter_pair_at(d, x->a)) {
            x->type = ENTITY_ORG; /* the tagger's own span */
            continue;
        }
        size_t k = tr_letter(d, x) ? tr_pair_start(d, n0, i) : SIZE_MAX;
        if (k == SIZE_MAX)
            continue;
        x->drop = true;
        if (i + 1 < n0 && d->c[i + 1].a == k + 2)
            d->c[i + 1].drop = true; /* the second letter */
        if (ner_cand_add(d, k, k + 3, ENTITY_ORG, NER_EV_CONTEXT) < 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- hyphenated words */

/* Whether tokens k, k + 1, k + 2 are a capitalised word, a hyphen and a word written as one
 * ("D-ND", "Iran-Iraq"). */
static bool tr_glued_hyphen(const struct ner_doc *d, size_t k)
{
    if (k + 2 >= d->n)
        return false;
    const struct ner_tok *w = &d->t[k], *h = &d->t[k + 1], *x = &d->t[k + 2];
    return (w->flags & NT_WORD) && (w->flags & (NT_CAP | NT_UPPER)) && (h->flags & NT_HYPHEN) &&
           !(h->flags & NT_SPACE) && (x->flags & NT_WORD) && !(x->flags & NT_SPACE);
}

/* Whether token k, a part of a hyphenated word, may belong to the name beside it: "Borg" of
 * "Borg-Warner"; not the party letter "D" of "D-ND", a number ("Under-21") or an ordinary word
 * ("Boxing-", a headline's topic slug). */
static bool tr_name_part(const struct ner_doc *d, size_t k)
{
    const struct ner_tok *t = &d->t[k];
    return t->end - t->start >= 2 && !(t->flags & NT_DIGIT) &&
           !(t->lex & (NL_COMMON | NL_DICT | NL_FUNC));
}

/* Drops the candidates other than i that overlap tokens [a, b) (sorted candidates: the
 * neighbours of i). */
static void tr_drop_overlaps(struct ner_doc *d, size_t i, size_t a, size_t b)
{
    for (size_t j = i; j-- > 0 && d->c[j].b > a;)
        d->c[j].drop = true;
    for (size_t j = i + 1; j < d->nc && d->c[j].a < b; j++)
        d->c[j].drop = true;
}

/* A part of a capitalised hyphenated word is no name of its own: the tagger, which saw such
 * words as one token in training, sometimes tags one part alone. The name takes in the other
 * part when that may be a name's ("Warner Corp" of "Borg-Warner Corp" is "Borg-Warner Corp"),
 * else it is no entity ("ND" of a legislator's "D-ND", "Bruno" of "Boxing-Bruno"); a part the
 * gazetteer knows stays as it is ("Iraq" of "Iran-Iraq"). Runs last, over every candidate
 * (sorted here). */
static void tr_fragments(struct ner_doc *d)
{
    ner_cands_sort(d);
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        while (!c->drop && c->a >= 2 && tr_glued_hyphen(d, c->a - 2) &&
               ner_gaz_span(d, c->a, c->b) < 0) {
            if (!tr_name_part(d, c->a - 2)) {
                c->drop = true;
                break;
            }
            tr_drop_overlaps(d, i, c->a - 2, c->a);
            c->a -= 2;
        }
        while (!c->drop && c->b + 1 < d->n && tr_glued_hyphen(d, c->b - 1) &&
               (d->t[c->b + 1].flags & (NT_CAP | NT_UPPER | NT_DIGIT)) &&
               ner_gaz_span(d, c->a, c->b) < 0) {
            if (!tr_name_part(d, c->b + 1)) {
                c->drop = true;
                break;
            }
            tr_drop_overlaps(d, i, c->b, c->b + 2);
            c->b += 2;
        }
    }
}

int ner_tagger_rules(struct ner_doc *d, const struct ner_tctx *tc)
{
    size_t n0 = d->nc; /* the tagger's own, sorted candidates */
    int rc = tr_letter_pairs(d, n0);
    if (rc == 0)
        rc = tr_titled(d, tc, n0);
    if (rc == 0)
        rc = tr_org_runs(d, tc, n0);
    if (rc == 0)
        rc = tr_headed(d, tc, n0);
    if (rc == 0)
        rc = tr_org_cues(d, tc);
    if (rc == 0)
        tr_fragments(d);
    return rc;
}
