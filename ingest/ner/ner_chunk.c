/*
 * ner_chunk.c — finds the capitalised runs of a document and types them with rules.
 *
 * A run is a sequence of capitalised words, joined by hyphens ("Seo-yeon"), name particles
 * ("de", "van") and — where an organisation, place or title word licenses it — by "of", "for",
 * "and" and comma lists ("Ministry of Trade, Industry and Energy"). Each run is then trimmed
 * (sentence-initial ordinary words, honorifics), split at personal titles ("Minister of Commerce
 * Zhang Wei" -> role + PERSON) and typed from its own words (suffixes, heads, gazetteer, name
 * lists) and its context ("carmaker X", "X province", "in X"). News conventions: club prefixes
 * ("FC", "Real") and sports contexts ("Essex 310", "beat Kent", "Leeds manager") make a town a
 * club; a nationality before a personal name is a name of its own ("Swede Jesper Parnevik");
 * "shares of X", "X shares" make unknown words a company. ALL-CAPS headlines are typed last, from
 * the gazetteer and the names the body gives ("SAMPRAS" after "Pete Sampras"). Everything is
 * linear in the number of tokens: a run is scanned a bounded number of times.
 *
 * This file finds the runs (extension, connectors, sentence-initial words) and drives the pass;
 * ner_chunk_type.c types a run, ner_chunk_headline.c reads ALL-CAPS headlines.
 */
#include "ingest/ner/ner_chunk_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/grow.h"

/* Runs longer than this are cut: no name is that long, and it bounds every scan of a run. */
#define NER_MAX_RUN 16

int ner_cand_add(struct ner_doc *d, size_t a, size_t b, enum entity_type type, enum ner_evidence ev)
{
    if (BASE_GROW(d->c, d->capc, d->nc, 64) < 0)
        return -1;
    static const float ev_conf[] = {0.3f, 0.5f, 0.7f, 0.9f}; /* by enum ner_evidence */
    d->c[d->nc++] = (struct ner_cand){
        .a = a, .b = b, .type = type, .ev = ev, .gaz = -1, .link = -1, .conf = ev_conf[ev]};
    return 0;
}

int ner_gaz_span_longer(const struct ner_doc *d, size_t a, size_t b, bool *longer)
{
    if (longer)
        *longer = false;
    if (a >= b || b - a > 2 * NER_GAZ_MAX_TOKENS)
        return -1;
    const char *s = d->text + d->t[a].start;
    size_t len = d->t[b - 1].end - d->t[a].start;
    int g = ner_gaz_lookup_longer(d->m, s, len, false, longer);
    /* ALL CAPS: the folded phrases too (for *longer even when the exact one matched) */
    if ((g < 0 || longer) && ner_is(d, a, NT_UPPER)) {
        bool folded_longer = false;
        int f = ner_gaz_lookup_longer(d->m, s, len, true, longer ? &folded_longer : NULL);
        g = g < 0 ? f : g;
        if (longer)
            *longer = *longer || folded_longer;
    }
    return g;
}

int ner_gaz_span(const struct ner_doc *d, size_t a, size_t b)
{
    return ner_gaz_span_longer(d, a, b, NULL);
}

int ner_gaz_kind(const struct ner_doc *d, int g)
{
    return g < 0 ? -1 : d->m->gaz[g].kind;
}

/* The entity type of gazetteer entry g. */
int ner_gaz_type(const struct ner_doc *d, int g)
{
    switch (ner_gaz_kind(d, g)) {
    case NER_GAZ_DEMONYM:
    case NER_GAZ_MISC:
        return ENTITY_MISC;
    case NER_GAZ_ORG:
        return ENTITY_ORG;
    default:
        return ENTITY_LOC;
    }
}

/* Length in tokens of the longest gazetteer phrase starting at i and ending before lim. */
size_t ner_gaz_prefix(const struct ner_doc *d, size_t i, size_t lim, int *g)
{
    size_t best = 0;
    *g = -1;
    for (size_t k = i + 1; k <= lim && k - i <= 2 * NER_GAZ_MAX_TOKENS; k++) {
        if (!ner_is(d, k - 1, NT_WORD | NT_HYPHEN))
            break;
        bool longer;
        int e = ner_gaz_span_longer(d, i, k, &longer);
        if (e >= 0) {
            best = k - i;
            *g = e;
        }
        if (!longer)
            break; /* no phrase begins with [i, k) */
    }
    return best;
}

/* A capitalised word that can be part of a name here. In a headline, ordinary words are not. */
bool ner_capword(const struct ner_doc *d, size_t i)
{
    const struct ner_tok *t = tk(d, i);
    if (!(t->flags & NT_WORD) || !(t->flags & (NT_CAP | NT_UPPER)) || (t->flags & NT_DIGIT))
        return false;
    if (t->lex & NL_NOTNAME)
        return false;
    if ((t->flags & NT_HEADLINE) && (t->lex & (NL_COMMON | NL_FUNC))) {
        int g;
        return ner_gaz_prefix(d, i, d->n, &g) > 0;
    }
    return true;
}

/* A country, capital or demonym on either side of a hyphen splits "US-China" in two. */
static bool ner_hyphen_splits(const struct ner_doc *d, size_t h)
{
    int kl = ner_gaz_kind(d, ner_gaz_span(d, h - 1, h));
    int g, kr = -1;
    if (ner_gaz_prefix(d, h + 1, d->n, &g))
        kr = ner_gaz_kind(d, g);
    bool l = kl == NER_GAZ_COUNTRY || kl == NER_GAZ_CAPITAL || kl == NER_GAZ_DEMONYM;
    bool r = kr == NER_GAZ_COUNTRY || kr == NER_GAZ_CAPITAL || kr == NER_GAZ_DEMONYM;
    return l || r;
}

/* "Ministry of Trade, Industry and Energy": after a licensed "of", a comma list of capitalised
 * words closed by "and". Returns the end of the list or 0. */
static size_t ner_comma_list(const struct ner_doc *d, size_t i, size_t lim)
{
    size_t k = i;
    while (k < lim && ner_is(d, k, NT_COMMA) && ner_capword(d, k + 1)) {
        k++;
        while (k < lim && ner_capword(d, k))
            k++;
        if (ner_word_eq(d, k, "and") && ner_capword(d, k + 1)) {
            k++;
            while (k < lim && ner_capword(d, k))
                k++;
            return k;
        }
    }
    return 0;
}

bool ner_heads_of(const struct ner_doc *d, size_t a, size_t c)
{
    for (size_t k = a; k < c; k++)
        if (ner_lex(d, k, NL_ORGHEAD | NL_LOCHEAD | NL_MISCHEAD | NL_ORGSUF | NL_TITLE) &&
            ner_is(d, k, NT_CAP))
            return true;
    return false;
}

/* An organisation head before c: licenses an "and" list after "of" ("Ministry of Trade, Industry
 * and Energy"), which a personal title does not ("Minister of X Tom Smith and ..."). */
static bool ner_org_head(const struct ner_doc *d, size_t a, size_t c)
{
    for (size_t k = a; k < c; k++)
        if (ner_lex(d, k, NL_ORGHEAD | NL_ORGSUF | NL_MISCHEAD | NL_LOCHEAD) &&
            ner_is(d, k, NT_CAP))
            return true;
    return false;
}

bool ner_ends_typed(const struct ner_doc *d, size_t b)
{
    return ner_lex(d, b - 1, NL_ORGSUF | NL_MISCSUF | NL_LOCSUF);
}

bool ner_person_before_of(const struct ner_doc *d, size_t a, size_t c)
{
    if (ner_org_head(d, a, c))
        return false;
    bool titled = false; /* "Analyst Dora Quist of", not "Secretary of" */
    for (size_t k = a; k < c; k++) {
        bool title = ner_lex(d, k, NL_TITLE | NL_HONOR);
        if (!ner_lex(d, k, NL_COMMON) && (ner_lex(d, k, NL_GIVEN) || (titled && !title)))
            return ner_is(d, k, NT_CAP); /* not "General Agreement on" */
        titled |= title;
    }
    return false;
}

/* Whether the connector at c inside run [a, b) holds: "of"/"for" need a head before it or a
 * suffix at the end; "and" needs a suffix after it or an "of" list before it. */
static bool ner_connector_ok(const struct ner_doc *d, size_t a, size_t c, size_t b, bool of_seen)
{
    if (ner_word_eq(d, c, "&") || ner_lex(d, c, NL_PARTICLE))
        return true;
    if (ner_word_eq(d, c, "and")) /* "X Electronics and Y" are two names */
        return of_seen ||
               (ner_ends_typed(d, b) && !ner_ends_typed(d, c) && ner_gaz_span(d, a, c) < 0);
    if (ner_word_eq(d, c, "the"))
        return c > a && ner_lex(d, c - 1, NL_CONNECT);
    /* "Paris for Bastille Day": a known place is no organisation's head */
    if (!ner_heads_of(d, a, c) && ner_gaz_span(d, a, c) >= 0 &&
        ner_gaz_kind(d, ner_gaz_span(d, a, c)) != NER_GAZ_ORG)
        return false;
    /* "the True Path Party of Tansu Ciller": "of" before a personal name ends the name */
    if (ner_lex(d, c + 1, NL_GIVEN) && !ner_lex(d, c + 1, NL_COMMON) && ner_capword(d, c + 2) &&
        ner_gaz_span(d, c + 1, c + 2) < 0 && !ner_ends_typed(d, b))
        return false;
    return ner_heads_of(d, a, c) || ner_ends_typed(d, b);
}

/* "Co", "Corp", "Ltd": abbreviations that are no name alone but end a company's name. */
static bool ner_suffix_abbrev(const struct ner_doc *d, size_t i)
{
    return ner_is(d, i, NT_WORD) && ner_is(d, i, NT_CAP | NT_UPPER) && ner_lex(d, i, NL_ORGSUF) &&
           ner_lex(d, i, NL_NOTNAME);
}

/* The end of the run starting at the capitalised word i. */
static size_t ner_extend(const struct ner_doc *d, size_t i)
{
    size_t j = i + 1, good = i + 1, known = 0;
    uint32_t sent = d->t[i].sent;
    while (j < d->n && j - i < NER_MAX_RUN && d->t[j].sent == sent && !ner_is(d, j, NT_SSTART)) {
        if ((ner_capword(d, j) || ner_suffix_abbrev(d, j)) && ner_is(d, j, NT_SPACE)) {
            good = ++j;
            continue;
        }
        if (j == good && ner_is(d, j, NT_CAP | NT_UPPER) && ner_is(d, j, NT_SPACE)) {
            /* a known name holding a word that is no name alone ("Sheffield Wednesday") */
            int g;
            if (!known)
                known = i + ner_gaz_prefix(d, i, d->n, &g);
            if (j < known) {
                good = ++j;
                continue;
            }
        }
        if (ner_is(d, j, NT_HYPHEN) && !ner_is(d, j, NT_SPACE) && ner_is(d, j + 1, NT_WORD) &&
            !ner_is(d, j + 1, NT_SPACE) && j == good) {
            bool lower = ner_is(d, j + 1, NT_LOWER);
            if (lower ? ner_lex(d, j + 1, NL_COMMON | NL_FUNC) : ner_hyphen_splits(d, j))
                break;
            if (!lower && !ner_capword(d, j + 1))
                break;
            good = j += 2;
            continue;
        }
        bool of_like =
            ner_word_eq(d, j, "of") || ner_word_eq(d, j, "for") || ner_word_eq(d, j, "on");
        if (ner_lex(d, j, NL_CONNECT | NL_PARTICLE) && !ner_is(d, j, NT_CAP) &&
            (ner_capword(d, j + 1) ||
             (of_like && ner_word_eq(d, j + 1, "the") && ner_capword(d, j + 2)))) {
            j++;
            continue;
        }
        if (ner_is(d, j, NT_COMMA) && j == good && ner_org_head(d, i, j)) {
            size_t e = ner_comma_list(d, j, d->n);
            bool of = false;
            for (size_t k = i; k < j; k++)
                of |= ner_word_eq(d, k, "of") || ner_word_eq(d, k, "for");
            if (e && of) {
                good = j = e;
                continue;
            }
        }
        break;
    }
    return good;
}

/* Cuts the run [a, b) at its first connector that does not hold. */
static size_t ner_validate(const struct ner_doc *d, size_t a, size_t b)
{
    bool of_seen = false;
    for (size_t c = a + 1; c < b; c++) {
        if (!ner_is(d, c, NT_WORD) || ner_is(d, c, NT_CAP | NT_UPPER))
            continue;
        if (!ner_lex(d, c, NL_CONNECT | NL_PARTICLE) && !ner_word_eq(d, c, "&"))
            continue; /* lower-case part of a hyphenated name */
        if (ner_is(d, c - 1, NT_HYPHEN))
            continue;
        if (!ner_connector_ok(d, a, c, b, of_seen))
            return c > a && ner_word_eq(d, c - 1, "the") ? c - 1 : c;
        of_seen |= (ner_word_eq(d, c, "of") || ner_word_eq(d, c, "for")) && ner_org_head(d, a, c);
    }
    return b;
}

/* Doc-level evidence about a word: 1 = seen capitalised inside a sentence, 2 = seen lowercase. */
uint32_t ner_seen(const struct ner_doc *d, size_t i)
{
    const struct ner_tok *t = tk(d, i);
    char buf[64];
    size_t n = t->end - t->start;
    uint32_t v = 0, w = 0;
    if (n >= sizeof buf)
        return 0;
    ner_map_get(&d->seen, d->text + t->start, n, &v);
    for (size_t k = 0; k < n; k++) {
        char ch = d->text[t->start + k];
        buf[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    ner_map_get(&d->seen, buf, n, &w);
    return (v & 1) | (w & 2);
}

/* "Real Madrid", "FC Basel", "Dynamo Kiev": a club prefix and the rest of the run. A prefix that
 * is also an ordinary word ("Real", "Inter") needs a known place after it; the others need a
 * capitalised word that does not start a personal name. */
bool ner_club(const struct ner_doc *d, size_t a, size_t b)
{
    if (b < a + 2 || !ner_lex(d, a, NL_ORGPRE) || !ner_is(d, a + 1, NT_CAP | NT_UPPER))
        return false;
    int g = ner_gaz_span(d, a + 1, b), k = ner_gaz_kind(d, g);
    if (g >= 0 && k != NER_GAZ_DEMONYM && k != NER_GAZ_MISC)
        return true;
    if (ner_lex(d, a, NL_COMMON | NL_FUNC) || ner_lex(d, a + 1, NL_GIVEN))
        return false;
    return !ner_ends_typed(d, b) || ner_lex(d, b - 1, NL_ORGSUF);
}

/* Whether the sentence-initial word a of run [a, b) is an ordinary word rather than a name. */
static bool ner_initial_ordinary(const struct ner_doc *d, size_t a, size_t b)
{
    int g;
    if (ner_gaz_prefix(d, a, b, &g) && !(ner_lex(d, a, NL_FUNC) && !ner_is(d, a, NT_UPPER)))
        return false; /* places ("US" is no pronoun) */
    if (ner_lex(d, a, NL_FUNC))
        return true;
    if (ner_club(d, a, b))
        return false;
    if (ner_lex(d, a, NL_TITLE | NL_TITLEMOD | NL_HONOR))
        return false; /* titles that may head "President Trump" */
    uint32_t seen = ner_seen(d, a);
    if (ner_lex(d, a, NL_GIVEN | NL_SURNAME) && b > a + 1)
        return false; /* "Liu Yang said" */
    if (!ner_lex(d, a, NL_COMMON)) {
        if (ner_lex(d, a, NL_DICT) && !ner_lex(d, a, NL_PROPER) && !(seen & 1))
            return true;  /* a dictionary word never capitalised inside a sentence here */
        return seen == 2; /* only ever lowercase elsewhere */
    }
    if (seen & 1)
        return false; /* "King" after "Sean King" */
    if (ner_lex(d, a, NL_GIVEN | NL_SURNAME) && b > a + 1)
        return false;
    if (b - a >= 2 && ner_ends_typed(d, b) && !ner_lex(d, a, NL_FUNC))
        return false; /* "General Motors", "National Energy Administration" */
    return true;
}

/* A bare title word that may be a surname ("King said" after "Sean King"). */
static bool ner_lone_title(const struct ner_doc *d, size_t a, size_t b)
{
    return b == a + 1 && ner_lex(d, a, NL_TITLE) && !ner_lex(d, a, NL_FUNC);
}

/* Trims and types the run [a, b) (already cut at its first invalid connector). */
static int ner_run(struct ner_doc *d, size_t a, size_t b)
{
    if (ner_is(d, a, NT_SSTART | NT_HEADLINE) && ner_initial_ordinary(d, a, b)) {
        /* "Liu said", "King added": kept only if the document names a "Liu Yang" */
        if (b == a + 1 && !ner_lex(d, a, NL_FUNC) && ner_seen(d, a) != 2)
            return ner_cand_add(d, a, b, ENTITY_PERSON, NER_EV_SUPPORT);
        a++;
        if (a < b && ner_is(d, a, NT_HYPHEN))
            return 0; /* "Anti-American": the first word was part of a compound */
    }
    bool honor = false;
    while (a < b && ner_lex(d, a, NL_HONOR) && ner_is(d, a, NT_CAP)) {
        honor = true;
        a++;
    }
    if (a >= b)
        return 0;
    if (!honor && ner_lone_title(d, a, b))
        return ner_cand_add(d, a, b, ENTITY_PERSON, NER_EV_SUPPORT);
    return ner_type_run(d, a, b, honor);
}

/* Records which words the document uses capitalised mid-sentence and which lowercase, so that a
 * sentence-initial word can be judged by its other uses. */
static int ner_collect_seen(struct ner_doc *d)
{
    char buf[64];
    for (size_t i = 0; i < d->n; i++) {
        const struct ner_tok *t = &d->t[i];
        size_t n = t->end - t->start;
        if (!(t->flags & NT_WORD) || n >= sizeof buf || (t->lex & NL_FUNC))
            continue;
        if ((t->flags & NT_LOWER) && !(t->lex & NL_COMMON)) {
            memcpy(buf, d->text + t->start, n);
            if (ner_map_put(&d->seen, buf, n, 2, true) < 0)
                return -1;
        } else if ((t->flags & NT_CAP) && !(t->flags & (NT_SSTART | NT_HEADLINE)) &&
                   !(i > 0 && (d->t[i - 1].flags & (NT_QUOTE | NT_STOP)))) {
            if (ner_map_put(&d->seen, d->text + t->start, n, 1, true) < 0)
                return -1;
        }
    }
    return 0;
}

int ner_chunk(struct ner_doc *d)
{
    if (ner_collect_seen(d) < 0)
        return -1;
    bool caps = false;
    for (size_t i = 0; i < d->n;) {
        if (ner_caps_headline(d, i)) {
            caps = true;
            i++;
            continue;
        }
        if (!ner_capword(d, i)) {
            i++;
            continue;
        }
        size_t j = ner_validate(d, i, ner_extend(d, i));
        if (ner_run(d, i, j) < 0)
            return -1;
        i = j;
    }
    return caps ? ner_headline_pass(d, d->nc) : 0;
}
