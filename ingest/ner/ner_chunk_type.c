/*
 * ner_chunk_type.c — types one capitalised run of the rule extractor (ner_chunk.c).
 *
 * Takes a run [a, b) of a tokenised document and adds its candidates: titles are split off
 * ("Minister of Commerce Zhang Wei" -> role + PERSON), descriptions and nationalities before a
 * personal name are names of their own, and the rest is typed from its own words (gazetteer,
 * suffixes, heads, name lists) and then its context ("carmaker X", "in X", sports results,
 * "shares of X").
 */
#include "ingest/ner/ner_chunk_internal.h"

#include <string.h>

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
    if (ner_is(d, b, NT_LOWER) && ner_lex(d, b, NL_SPORTVERB) &&
        !ner_word_in(d, b, d->m->sport_versus) && (a == 0 || !ner_is(d, a - 1, NT_WORD)))
        return true;
    size_t p = a;
    bool linked = p >= 2 && (ner_word_eq(d, p - 1, "to") || ner_word_eq(d, p - 1, "with"));
    if (linked)
        p--;
    if (p < 1 || !ner_is(d, p - 1, NT_LOWER) || !ner_lex(d, p - 1, NL_SPORTVERB))
        return false;
    /* "drew", "lost" need "with"/"to" ("lost Kent" is no match report) */
    return linked || !ner_word_in(d, p - 1, d->m->sport_linked);
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
int ner_type_run(struct ner_doc *d, size_t a, size_t b, bool person_hint)
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
