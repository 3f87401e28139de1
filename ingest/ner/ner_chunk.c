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
 */
#include "ingest/ner/ner_internal.h"

#include <stdlib.h>
#include <string.h>

/* Runs longer than this are cut: no name is that long, and it bounds every scan of a run. */
#define NER_MAX_RUN 16

static const struct ner_tok *tk(const struct ner_doc *d, size_t i)
{
    static const struct ner_tok none = {0};
    return i < d->n ? &d->t[i] : &none;
}

static bool ner_is(const struct ner_doc *d, size_t i, uint32_t flags)
{
    return (tk(d, i)->flags & flags) != 0;
}

static bool ner_lex(const struct ner_doc *d, size_t i, uint32_t bits)
{
    return (tk(d, i)->lex & bits) != 0;
}

static bool ner_word_eq(const struct ner_doc *d, size_t i, const char *w)
{
    const struct ner_tok *t = tk(d, i);
    size_t n = strlen(w);
    return t->end - t->start == n && memcmp(d->text + t->start, w, n) == 0;
}

int ner_cand_add(struct ner_doc *d, size_t a, size_t b, enum entity_type type, enum ner_evidence ev)
{
    if (d->nc == d->capc) {
        size_t nc = d->capc ? d->capc * 2 : 64;
        struct ner_cand *c = realloc(d->c, nc * sizeof *c);
        if (!c)
            return -1;
        d->c = c;
        d->capc = nc;
    }
    static const float ev_conf[] = {0.3f, 0.5f, 0.7f, 0.9f}; /* by enum ner_evidence */
    d->c[d->nc++] = (struct ner_cand){
        .a = a, .b = b, .type = type, .ev = ev, .gaz = -1, .link = -1, .conf = ev_conf[ev]};
    return 0;
}

int ner_gaz_span(const struct ner_doc *d, size_t a, size_t b)
{
    if (a >= b || b - a > 2 * NER_GAZ_MAX_TOKENS)
        return -1;
    const char *s = d->text + d->t[a].start;
    size_t len = d->t[b - 1].end - d->t[a].start;
    int g = ner_gaz_lookup(d->m, s, len, false);
    if (g < 0 && ner_is(d, a, NT_UPPER))
        g = ner_gaz_lookup(d->m, s, len, true);
    return g;
}

static int ner_gaz_kind(const struct ner_doc *d, int g)
{
    return g < 0 ? -1 : d->m->gaz[g].kind;
}

/* The entity type of gazetteer entry g. */
static int ner_gaz_type(const struct ner_doc *d, int g)
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
static size_t ner_gaz_prefix(const struct ner_doc *d, size_t i, size_t lim, int *g)
{
    size_t best = 0;
    *g = -1;
    for (size_t k = i + 1; k <= lim && k - i <= 2 * NER_GAZ_MAX_TOKENS; k++) {
        if (!ner_is(d, k - 1, NT_WORD | NT_HYPHEN))
            break;
        int e = ner_gaz_span(d, i, k);
        if (e >= 0) {
            best = k - i;
            *g = e;
        }
    }
    return best;
}

/* A capitalised word that can be part of a name here. In a headline, ordinary words are not. */
static bool ner_capword(const struct ner_doc *d, size_t i)
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

static bool ner_heads_of(const struct ner_doc *d, size_t a, size_t c)
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

static bool ner_ends_typed(const struct ner_doc *d, size_t b)
{
    return ner_lex(d, b - 1, NL_ORGSUF | NL_MISCSUF | NL_LOCSUF);
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
static uint32_t ner_seen(const struct ner_doc *d, size_t i)
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
static bool ner_club(const struct ner_doc *d, size_t a, size_t b)
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

static bool ner_all_common(const struct ner_doc *d, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        if (ner_is(d, k, NT_WORD) && !ner_lex(d, k, NL_COMMON | NL_FUNC | NL_CONNECT))
            return false;
    return true;
}

static bool ner_has_upper(const struct ner_doc *d, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        if (ner_is(d, k, NT_UPPER))
            return true;
    return false;
}

/* Whether [p, b) could be a personal name: no organisation/place ending, not a place, starts
 * with a name-like word. */
static bool ner_person_like(const struct ner_doc *d, size_t p, size_t b)
{
    if (p >= b || !ner_capword(d, p) || ner_lex(d, p, NL_FUNC | NL_CONNECT))
        return false;
    if (ner_ends_typed(d, b) || ner_gaz_span(d, p, b) >= 0 || ner_heads_of(d, p, b))
        return false;
    /* "Champion Texas Longhorns": a place then other words is a team or company */
    int g;
    size_t k = b - p >= 2 ? ner_gaz_prefix(d, p, b, &g) : 0;
    if (k && p + k < b && ner_gaz_kind(d, g) != NER_GAZ_DEMONYM && !ner_lex(d, p + k, NL_GIVEN))
        return false;
    return !ner_has_upper(d, p, b) || b - p == 1;
}

static int ner_type_run(struct ner_doc *d, size_t a, size_t b, bool person_hint);

/* Emits the demonyms/places before a title ("Chinese" in "Chinese President Li Qiang") and
 * anything else there through the ordinary typing. */
static int ner_emit_prefix(struct ner_doc *d, size_t a, size_t b)
{
    return a < b ? ner_type_run(d, a, b, false) : 0;
}

/* Title scan from k: TITLEMOD* TITLE (of|for COMMON+)? ... Returns the end of the title or 0. */
static size_t ner_title_end(const struct ner_doc *d, size_t k, size_t b)
{
    size_t end = 0;
    while (k < b) {
        if (ner_lex(d, k, NL_TITLE) && ner_is(d, k, NT_CAP | NT_UPPER)) {
            end = ++k;
            continue;
        }
        if ((ner_lex(d, k, NL_TITLEMOD) && ner_is(d, k, NT_CAP)) || ner_is(d, k, NT_HYPHEN)) {
            k++;
            continue;
        }
        if (end && (ner_word_eq(d, k, "of") || ner_word_eq(d, k, "for"))) {
            size_t q = k + 1;
            while (q < b && ner_lex(d, q, NL_COMMON) && ner_is(d, q, NT_CAP) &&
                   !ner_lex(d, q, NL_GIVEN | NL_SURNAME))
                q++;
            if (q == k + 1)
                break;
            end = k = q;
            continue;
        }
        break;
    }
    return end;
}

/* "President Li Qiang", "Minister of Commerce Zhang Wei", "Bank of Korea Governor Rhee":
 * splits the run at the first title followed by a personal name. 1 if split, 0 if not, -1 OOM. */
static int ner_split_title(struct ner_doc *d, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++) {
        if (!ner_lex(d, k, NL_TITLE | NL_TITLEMOD) || !ner_is(d, k, NT_CAP | NT_UPPER))
            continue;
        size_t p = ner_title_end(d, k, b);
        if (!p)
            continue;
        if (p == b && k > a && ner_lex(d, a, NL_GIVEN) && !ner_lex(d, a, NL_COMMON))
            return 0; /* "Sean King": a surname that is also a title */
        if (p == b)   /* a bare title ("Finance Minister"): only what precedes it is a name */
            return ner_emit_prefix(d, a, k) < 0 ? -1 : 1;
        if (!ner_person_like(d, p, b))
            continue;
        if (ner_emit_prefix(d, a, k) < 0 || ner_cand_add(d, p, b, ENTITY_PERSON, NER_EV_STRONG) < 0)
            return -1;
        d->c[d->nc - 1].role_a = k;
        d->c[d->nc - 1].role_b = p;
        return 1;
    }
    return 0;
}

/* "Director of the Lisbon Support Office": a title whose "of" part is an organisation or place.
 * Returns the start of that part, or 0. */
static size_t ner_title_of(const struct ner_doc *d, size_t a, size_t b)
{
    if (!ner_lex(d, a, NL_TITLE | NL_TITLEMOD))
        return 0;
    for (size_t k = a + 1; k + 1 < b; k++) {
        if (ner_is(d, k, NT_CAP) && !ner_lex(d, k, NL_TITLE | NL_TITLEMOD))
            return 0;
        if (ner_word_eq(d, k, "of") || ner_word_eq(d, k, "for") || ner_word_eq(d, k, "at")) {
            size_t q = k + 1;
            if (ner_word_eq(d, q, "the"))
                q++;
            return q < b ? q : 0;
        }
    }
    return 0;
}

/* "County Coroner William McLaughlin", "Senior Kory Smith": ordinary capitalised words before a
 * given name and a surname are a description, not part of the name. Returns the name's start. */
static size_t ner_given_split(const struct ner_doc *d, size_t a, size_t b)
{
    for (size_t k = a; k + 1 < b; k++) {
        if (k > a && ner_lex(d, k, NL_GIVEN) && ner_is(d, k, NT_CAP) && ner_capword(d, k + 1))
            return ner_lex(d, k + 1, NL_ORGSUF | NL_LOCSUF | NL_MISCSUF) || ner_ends_typed(d, b)
                       ? 0
                       : k; /* "Attended James High School" is no person */
        if (!ner_lex(d, k, NL_COMMON | NL_TITLE | NL_TITLEMOD) || !ner_is(d, k, NT_WORD))
            return 0;
    }
    return 0;
}

/* The type of a run from its own words. Returns -1 when it is not a name. */
/* A Roman numeral ("III", "XIV"): an ordinal, not a name. */
static bool ner_roman(const struct ner_doc *d, size_t i)
{
    for (size_t k = d->t[i].start; k < d->t[i].end; k++)
        if (!strchr("IVXLCDM", d->text[k]))
            return false;
    return true;
}

/* Words of [a, b), a hyphenated compound ("Seo-yeon") counting as one. */
static size_t ner_nwords(const struct ner_doc *d, size_t a, size_t b)
{
    size_t n = 0;
    for (size_t k = a; k < b; k++)
        n += ner_is(d, k, NT_WORD) && (k == a || !ner_is(d, k - 1, NT_HYPHEN));
    return n;
}

static int ner_type_words(const struct ner_doc *d, size_t a, size_t b, enum ner_evidence *ev,
                          int *gaz)
{
    size_t n = ner_nwords(d, a, b);
    int g = ner_gaz_span(d, a, b);
    *gaz = g;
    *ev = NER_EV_STRONG;
    if (g >= 0)
        return ner_gaz_type(d, g);
    if (n >= 2 && (ner_lex(d, b - 1, NL_ORGSUF) || ner_club(d, a, b)))
        return ENTITY_ORG;
    if (n >= 2 && ner_lex(d, b - 1, NL_MISCSUF))
        return ENTITY_MISC;
    if (n >= 2 && ner_lex(d, b - 1, NL_LOCSUF))
        return ENTITY_LOC;
    for (size_t k = a; k + 1 < b; k++) {
        if (!(ner_word_eq(d, k + 1, "of") || ner_word_eq(d, k + 1, "for")))
            continue;
        if (ner_lex(d, k, NL_ORGHEAD | NL_ORGSUF))
            return ENTITY_ORG;
        if (ner_lex(d, k, NL_MISCHEAD))
            return ENTITY_MISC;
        if (ner_lex(d, k, NL_LOCHEAD))
            return ENTITY_LOC;
    }
    int g2;
    if (n >= 2 && ner_lex(d, a, NL_LOCPRE) && ner_gaz_prefix(d, a + 1, b, &g2) == b - a - 1)
        return ner_gaz_kind(d, g2) == NER_GAZ_DEMONYM ? ENTITY_MISC : ENTITY_LOC;
    if (ner_lex(d, a, NL_HONOR))
        return ENTITY_PERSON;
    *ev = NER_EV_CONTEXT;
    if (n >= 2 && n <= 4 && ner_lex(d, a, NL_GIVEN) && !ner_has_upper(d, a, b))
        return ENTITY_PERSON;
    if (n >= 2 && n <= 3 && ner_lex(d, a, NL_SURNAME) && !ner_lex(d, a + 1, NL_COMMON))
        return ENTITY_PERSON;
    if (n >= 2 && n <= 3 && ner_lex(d, b - 1, NL_SURNAME) && !ner_lex(d, a, NL_COMMON))
        return ENTITY_PERSON;
    *ev = NER_EV_WEAK;
    if (ner_has_upper(d, a, b))
        return ENTITY_ORG;
    size_t gp = n >= 2 ? ner_gaz_prefix(d, a, b, &g2) : 0;
    if (gp && !ner_lex(d, a + gp, NL_GIVEN)) {
        /* a place then other words: a company or a team ("Korea Zinc", "Texas Longhorns"),
         * unless a given name follows ("Chad Edward Smith") */
        *ev = NER_EV_CONTEXT;
        return ENTITY_ORG;
    }
    if (gp && n <= 4)
        return ENTITY_PERSON;
    if (ner_all_common(d, a, b) || (b == a + 1 && d->t[a].end - d->t[a].start == 1) ||
        (b == a + 1 && ner_roman(d, a)))
        return -1;
    bool some_common = false;
    for (size_t k = a; k < b; k++)
        some_common |= ner_lex(d, k, NL_COMMON) && ner_is(d, k, NT_WORD);
    /* two or three unknown words are a personal name, unless the last is a plain noun
     * ("Devil Rays", "Bowling Green" are teams and places) */
    if (n >= 2 && n <= 3 && !some_common &&
        !(ner_lex(d, b - 1, NL_DICT) && !ner_lex(d, b - 1, NL_PROPER | NL_SURNAME)))
        return ENTITY_PERSON;
    if (n >= 2)
        return ENTITY_ORG;
    /* one unknown word: an ordinary dictionary word capitalised ("Darkness") is no name here;
     * otherwise its ending may tell ("-burg", "-son"), else a company-like name ("Zorvex") */
    if (ner_lex(d, a, NL_DICT) && !ner_lex(d, a, NL_PROPER))
        return -1;
    int et = ner_ending_type(d->m, d->text + d->t[a].start, d->t[a].end - d->t[a].start);
    return et >= 0 ? et : ENTITY_ORG;
}

/* "X said", "X has announced", "X and other (tech) companies": what follows b says the name
 * is a company or a person, not a place or a title. */
static bool ner_org_subject(const struct ner_doc *d, size_t b)
{
    size_t k = b;
    if (ner_word_eq(d, k, "has") || ner_word_eq(d, k, "have") || ner_word_eq(d, k, "had") ||
        ner_word_eq(d, k, "also") || ner_word_eq(d, k, "will"))
        k++;
    if (ner_word_eq(d, k, "also") || ner_word_eq(d, k, "already"))
        k++;
    if (ner_is(d, k, NT_LOWER) && ner_lex(d, k, NL_SUBJVERB))
        return true;
    if (ner_word_eq(d, b, "and") && ner_word_eq(d, b + 1, "other"))
        for (k = b + 2; k < b + 6 && k < d->n && ner_is(d, k, NT_WORD); k++)
            if (ner_lex(d, k, NL_ORGCUE) && ner_is(d, k, NT_LOWER))
                return true;
    return false;
}

/* Context cues around [a, b): "carmaker X" -> ORG, "economist X" -> PERSON, "X province" -> LOC,
 * "in X" -> LOC. Only override weak types. */
static int ner_type_context(const struct ner_doc *d, size_t a, size_t b, int type,
                            enum ner_evidence *ev)
{
    bool prev_word = a > 0 && ner_is(d, a - 1, NT_WORD) && ner_is(d, a - 1, NT_LOWER);
    if (prev_word && ner_lex(d, a - 1, NL_ORGCUE) && type != ENTITY_LOC) {
        *ev = NER_EV_CONTEXT;
        return ENTITY_ORG;
    }
    if (prev_word && ner_lex(d, a - 1, NL_TITLE) && type != ENTITY_LOC && type != ENTITY_MISC) {
        *ev = NER_EV_CONTEXT;
        return ENTITY_PERSON;
    }
    /* "the city of X", "east of X" */
    if (a >= 2 && ner_word_eq(d, a - 1, "of") && ner_is(d, a - 2, NT_LOWER) &&
        ner_lex(d, a - 2, NL_LOCCUE | NL_LOCPRE)) {
        *ev = NER_EV_CONTEXT;
        return ENTITY_LOC;
    }
    if (ner_is(d, b, NT_WORD) && ner_is(d, b, NT_LOWER) && ner_lex(d, b, NL_LOCCUE)) {
        *ev = NER_EV_CONTEXT;
        return ENTITY_LOC;
    }
    if (*ev == NER_EV_WEAK && b == a + 1 && type == ENTITY_ORG && ner_org_subject(d, b)) {
        *ev = NER_EV_CONTEXT;
        return ENTITY_ORG;
    }
    if (*ev == NER_EV_WEAK && b == a + 1 && prev_word && ner_lex(d, a - 1, NL_LOCPREP) &&
        !ner_is(d, b, NT_POSS))
        return ENTITY_LOC;
    return type;
}

/* A bare number (a score: "2", "450-8"), not a year. */
static bool ner_score_at(const struct ner_doc *d, size_t i)
{
    const struct ner_tok *t = tk(d, i);
    size_t n = t->end - t->start;
    if (!(t->flags & NT_WORD) || n == 0 || n > 3)
        return false;
    for (size_t k = t->start; k < t->end; k++)
        if (d->text[k] < '0' || d->text[k] > '9')
            return false;
    /* "1,250 tonnes", "3.5 pct" are amounts, not scores */
    const struct ner_tok *x = tk(d, i + 1);
    return !((x->flags & (NT_COMMA | NT_STOP)) && !(x->flags & NT_SPACE) &&
             ner_is(d, i + 2, NT_DIGIT) && !ner_is(d, i + 2, NT_SPACE));
}

/* Sports results: "Essex 532-8", "Celtic 2 Rangers 0", "beat Kent", "drew with Lazio". A town,
 * county or region there is a club (ORG); countries stay places (national teams), as do
 * ALL-CAPS datelines ("LONDON 1996-08-30"). */
static bool ner_sports_team(const struct ner_doc *d, size_t a, size_t b)
{
    if (ner_has_upper(d, a, b))
        return false;
    if (ner_score_at(d, b) && ner_is(d, b, NT_SPACE) &&
        (a == 0 || ner_is(d, a, NT_SSTART) || !ner_is(d, a - 1, NT_WORD) || ner_score_at(d, a - 1)))
        return true;
    if (ner_is(d, b, NT_LOWER) && ner_lex(d, b, NL_TEAMCUE))
        return true;
    /* "Kent beat Sussex", "Leeds drew with Everton" */
    if (ner_is(d, b, NT_LOWER) && ner_lex(d, b, NL_SPORTVERB) && !ner_word_eq(d, b, "v") &&
        !ner_word_eq(d, b, "vs") && (a == 0 || !ner_is(d, a - 1, NT_WORD)))
        return true;
    size_t p = a;
    bool linked = p >= 2 && (ner_word_eq(d, p - 1, "to") || ner_word_eq(d, p - 1, "with"));
    if (linked)
        p--;
    if (p < 1 || !ner_is(d, p - 1, NT_LOWER) || !ner_lex(d, p - 1, NL_SPORTVERB))
        return false;
    /* "drew", "lost" need "with"/"to" ("lost Kent" is no match report) */
    return linked || !(ner_word_eq(d, p - 1, "drew") || ner_word_eq(d, p - 1, "lost") ||
                       ner_word_eq(d, p - 1, "draw"));
}

/* "Australian Greg Norman", "Russian Boris Yeltsin": a nationality before a personal name is a
 * name of its own. Returns the personal name's start, or 0. */
static size_t ner_demonym_person(const struct ner_doc *d, size_t a, size_t b)
{
    int g;
    if (b - a < 3) /* a nationality and at least two names */
        return 0;
    size_t k = ner_gaz_prefix(d, a, b, &g);
    if (!k || a + k >= b || ner_gaz_kind(d, g) != NER_GAZ_DEMONYM || ner_gaz_span(d, a, b) >= 0)
        return 0;
    size_t p = a + k, n = ner_nwords(d, p, b);
    if (n < 2 || n > 3 || ner_lex(d, p, NL_COMMON) || !ner_person_like(d, p, b))
        return 0;
    if (ner_lex(d, p, NL_GIVEN))
        return p;
    /* "Swede Jesper Parnevik": unknown words the rules would call a personal name */
    enum ner_evidence ev;
    int g2;
    return !ner_lex(d, p, NL_DICT) && ner_type_words(d, p, b, &ev, &g2) == ENTITY_PERSON ? p : 0;
}

/* A word before a, directly or through "of", "at", "in", "with" or "from", that is said of
 * companies ("shares of", "economists at", "acquire"). */
static bool ner_org_before(const struct ner_doc *d, size_t a)
{
    size_t p = a;
    if (p >= 2 && (ner_word_eq(d, p - 1, "of") || ner_word_eq(d, p - 1, "at") ||
                   ner_word_eq(d, p - 1, "in") || ner_word_eq(d, p - 1, "with") ||
                   ner_word_eq(d, p - 1, "from")))
        p--;
    return p >= 1 && ner_is(d, p - 1, NT_LOWER | NT_SSTART) && ner_lex(d, p - 1, NL_ORGPREV);
}

/* Types the run [a, b) (already trimmed) and adds it. */
static int ner_type_run(struct ner_doc *d, size_t a, size_t b, bool person_hint)
{
    while (a < b && !ner_capword(d, a))
        a++;
    while (b > a && !ner_is(d, b - 1, NT_WORD))
        b--;
    if (a >= b)
        return 0;
    int r = ner_split_title(d, a, b);
    if (r)
        return r < 0 ? -1 : 0;
    size_t q = ner_title_of(d, a, b);
    if (q)
        return ner_type_run(d, q, b, false);
    q = ner_given_split(d, a, b);
    if (q) {
        if (ner_cand_add(d, q, b, ENTITY_PERSON, NER_EV_CONTEXT) < 0)
            return -1;
        d->c[d->nc - 1].role_a = a;
        d->c[d->nc - 1].role_b = q;
        return 0;
    }
    enum ner_evidence ev;
    int gaz;
    q = ner_demonym_person(d, a, b);
    if (q) /* "Australian Greg Norman": MISC + PERSON */
        return ner_type_run(d, a, q, false) < 0 ? -1 : ner_type_run(d, q, b, false);
    int type = ner_type_words(d, a, b, &ev, &gaz);
    if (person_hint) {
        type = ENTITY_PERSON;
        ev = NER_EV_STRONG;
    }
    if (type < 0 && a > 0 && ner_is(d, a - 1, NT_LOWER) && ner_lex(d, a - 1, NL_ORGCUE) &&
        !ner_is(d, a, NT_HEADLINE)) {
        type = ENTITY_ORG; /* "industrial band Killing Joke" */
        ev = NER_EV_CONTEXT;
    }
    if (type < 0) {
        /* a lone demonym before ordinary words ("Chinese Expert") still counts */
        int g;
        size_t k = ner_gaz_prefix(d, a, b, &g);
        if (k && ner_gaz_kind(d, g) == NER_GAZ_DEMONYM)
            return ner_type_run(d, a, a + k, false);
        if (ner_is(d, a, NT_HEADLINE))
            return 0;
        /* "the League", "Special Coverage": left to the tagger (a doubtful reading is a feature) */
        type = ner_lex(d, b - 1, NL_ORGSUF | NL_ORGHEAD) ? ENTITY_ORG : ENTITY_MISC;
        if (ner_cand_add(d, a, b, (enum entity_type)type, NER_EV_WEAK) < 0)
            return -1;
        d->c[d->nc - 1].doubtful = true;
        return 0;
    }
    if (ev != NER_EV_STRONG)
        type = ner_type_context(d, a, b, type, &ev);
    int gk = ner_gaz_kind(d, gaz);
    if ((type == ENTITY_LOC || ev == NER_EV_WEAK) && gk != NER_GAZ_COUNTRY &&
        gk != NER_GAZ_DEMONYM && gk != NER_GAZ_MISC && type != ENTITY_PERSON &&
        ner_sports_team(d, a, b)) {
        type = ENTITY_ORG;
        ev = gaz >= 0 ? NER_EV_STRONG : NER_EV_CONTEXT;
    }
    /* "Alcatel Alsthom shares", "Vitesse Arnhem coach": unknown words guessed to be a person */
    if (ev == NER_EV_WEAK && type == ENTITY_PERSON && ner_is(d, b, NT_LOWER) &&
        ner_lex(d, b, NL_ORGAFTER | NL_TEAMCUE)) {
        type = ENTITY_ORG;
        ev = NER_EV_CONTEXT;
    }
    /* "shares of Zorvex", "economists at Itau Unibanco", "agreed to acquire Telvix" */
    if (ev == NER_EV_WEAK && type != ENTITY_LOC && ner_org_before(d, a)) {
        type = ENTITY_ORG;
        ev = NER_EV_CONTEXT;
    }
    if (ner_cand_add(d, a, b, (enum entity_type)type, ev) < 0)
        return -1;
    d->c[d->nc - 1].gaz = gaz;
    return 0;
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

/* A word of an ALL-CAPS headline: its capitalisation says nothing, so it is typed after the body
 * (ner_headline_pass), not by the run rules. */
static bool ner_caps_headline(const struct ner_doc *d, size_t i)
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
static int ner_headline_pass(struct ner_doc *d, size_t nbody)
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
