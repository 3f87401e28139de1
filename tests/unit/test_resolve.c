/*
 * test_resolve.c — corpus-wide entity resolution (ingest/resolve) on documents whose mentions are
 * written by hand, as any tagger could produce them: span splitting, merges and the cases that
 * must not merge, type votes, canonical names, reasons, and the name helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/wordlist.h"
#include "ingest/doc.h"
#include "ingest/resolve/resolve.h"
#include "ingest/resolve/resolve_names.h"

static struct resolve_rules *rules;

static int setup(void **state)
{
    (void)state;
    const char *dir = getenv("CORPUSD_DATA_DIR") ? getenv("CORPUSD_DATA_DIR") : "ingest/data";
    char *err = NULL;
    rules = resolve_open(dir, &err);
    if (!rules)
        fprintf(stderr, "resolve_open: %s\n", err ? err : "?");
    free(err);
    return rules ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    resolve_close(rules);
    return 0;
}

/* A document whose text is `text`; mentions are added with add(). */
static struct doc *new_doc(const char *id, const char *text)
{
    struct doc *d = calloc(1, sizeof *d);
    d->id = strdup(id);
    d->text = strdup(text);
    d->text_len = strlen(text);
    return d;
}

/* A mention of the nth occurrence of surface, typed and named as a tagger would. */
static void add(struct doc *d, const char *surface, int nth, enum entity_type type,
                const char *name)
{
    const char *at = d->text;
    for (int i = 0; i <= nth; i++)
        at = strstr(i ? at + 1 : at, surface);
    assert_non_null(at);
    d->mentions = realloc(d->mentions, (d->n_mentions + 1) * sizeof *d->mentions);
    size_t start = (size_t)(at - d->text);
    d->mentions[d->n_mentions++] = (struct mention){.start = start,
                                                    .end = start + strlen(surface),
                                                    .type = type,
                                                    .name = strdup(name ? name : surface)};
}

/* The mention starting at the nth occurrence of surface in d, or NULL. */
static const struct mention *at(const struct doc *d, const char *surface, int nth)
{
    const char *p = d->text;
    for (int i = 0; i <= nth && p; i++)
        p = strstr(i ? p + 1 : p, surface);
    for (size_t i = 0; p && i < d->n_mentions; i++)
        if (d->mentions[i].start == (size_t)(p - d->text))
            return &d->mentions[i];
    return NULL;
}

static void expect(const struct doc *d, const char *surface, int nth, enum entity_type type,
                   const char *name, const char *why)
{
    const struct mention *m = at(d, surface, nth);
    if (!m)
        fail_msg("no mention at '%s' #%d in %s", surface, nth, d->id);
    assert_string_equal(m->name, name);
    assert_int_equal(m->type, type);
    if (why)
        assert_string_equal(m->why ? m->why : "(null)", why);
    else if (m->why)
        fail_msg("'%s' in %s: unexpected why '%s'", surface, d->id, m->why);
}

static void free_docs(struct doc **docs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        doc_free(docs[i]);
}

/* "Brixton and Senate" splits when both are names on their own; "Johnson and Johnson" and
 * "Securities and Exchange Commission" do not; of "House and Senate" only "Senate" stays, as a
 * generic head alone ("House", ner_generic_heads.txt) names nothing. */
static void test_conjunction_split(void **state)
{
    (void)state;
    struct doc *a = new_doc("a", "Brixton voted. The Senate agreed. The Senate met. Johnson "
                                 "said. Johnson left. The House sat. The House rose.");
    add(a, "Brixton", 0, ENTITY_ORG, NULL);
    add(a, "Senate", 0, ENTITY_ORG, NULL);
    add(a, "Senate", 1, ENTITY_ORG, NULL);
    add(a, "Johnson", 0, ENTITY_PERSON, NULL);
    add(a, "Johnson", 1, ENTITY_PERSON, NULL);
    add(a, "House", 0, ENTITY_ORG, "House of Commons");
    add(a, "House", 1, ENTITY_ORG, "House of Commons");
    struct doc *b = new_doc("b", "Brixton and Senate met. Johnson and Johnson rose. The "
                                 "Securities and Exchange Commission and Brixton spoke. "
                                 "Johnson and Senate Corp rose. The House and Senate met.");
    add(b, "Brixton and Senate", 0, ENTITY_ORG, NULL);
    add(b, "Johnson and Johnson", 0, ENTITY_ORG, NULL);
    add(b, "Securities and Exchange Commission", 0, ENTITY_ORG, NULL);
    add(b, "Brixton", 1, ENTITY_ORG, NULL);
    add(b, "Johnson and Senate Corp", 0, ENTITY_ORG, NULL); /* one company */
    add(b, "House and Senate", 0, ENTITY_ORG, NULL);
    struct doc *docs[] = {a, b};
    assert_int_equal(resolve_corpus(rules, docs, 2), 0);
    assert_int_equal(b->n_mentions, 7);
    expect(b, "Johnson and Senate Corp", 0, ENTITY_ORG, "Johnson and Senate Corp", NULL);
    expect(b, "Brixton", 0, ENTITY_ORG, "Brixton", NULL);
    assert_int_equal(at(b, "Brixton", 0)->end - at(b, "Brixton", 0)->start, 7);
    expect(b, "Senate", 0, ENTITY_ORG, "Senate", NULL);
    expect(b, "Johnson and Johnson", 0, ENTITY_ORG, "Johnson and Johnson", NULL);
    expect(b, "Securities and Exchange Commission", 0, ENTITY_ORG,
           "Securities and Exchange Commission", NULL);
    assert_null(at(b, "House", 0));
    expect(b, "Senate", 2, ENTITY_ORG, "Senate", NULL);
    assert_int_equal(at(b, "Senate", 2)->end - at(b, "Senate", 2)->start, 6);
    for (size_t i = 1; i < b->n_mentions; i++)
        assert_true(b->mentions[i - 1].start <= b->mentions[i].start);
    free_docs(docs, 2);
}

/* "Brixton and Co" is one span, the company Brixton with its legal form, even where "Co" alone
 * is a name the corpus uses twice (the leftovers of other such spans) and "Brixton" too. */
static void test_conjunction_legal_form_alone(void **state)
{
    (void)state;
    struct doc *a = new_doc("a", "Brixton rose. Brixton fell. Co said. Co left.");
    add(a, "Brixton", 0, ENTITY_ORG, NULL);
    add(a, "Brixton", 1, ENTITY_ORG, NULL);
    add(a, "Co", 0, ENTITY_ORG, NULL);
    add(a, "Co", 1, ENTITY_ORG, NULL);
    struct doc *b = new_doc("b", "Analysts at Brixton and Co agreed.");
    add(b, "Brixton and Co", 0, ENTITY_ORG, NULL);
    struct doc *docs[] = {a, b};
    assert_int_equal(resolve_corpus(rules, docs, 2), 0);
    assert_int_equal(b->n_mentions, 1); /* one span, "Brixton" with its legal form */
    const struct mention *m = at(b, "Brixton and Co", 0);
    assert_non_null(m);
    assert_int_equal(m->end - m->start, strlen("Brixton and Co"));
    assert_string_equal(m->name, "Brixton");
    assert_int_equal(m->type, ENTITY_ORG);
    free_docs(docs, 2);
}

/* An acronym defined in one document is its long form everywhere; the long form is the name. */
static void test_acronym_across_documents(void **state)
{
    (void)state;
    struct doc *a = new_doc("def", "The Grain Export Council (GEC) met. GEC said.");
    add(a, "Grain Export Council", 0, ENTITY_ORG, NULL);
    add(a, "GEC", 0, ENTITY_ORG, "Grain Export Council");
    add(a, "GEC", 1, ENTITY_ORG, "Grain Export Council");
    struct doc *b = new_doc("bare", "GEC raised prices. GEC is in Brazil.");
    add(b, "GEC", 0, ENTITY_ORG, NULL);
    add(b, "GEC", 1, ENTITY_MISC, NULL);
    struct doc *docs[] = {a, b};
    assert_int_equal(resolve_corpus(rules, docs, 2), 0);
    expect(b, "GEC", 0, ENTITY_ORG, "Grain Export Council", "acronym defined in def");
    expect(b, "GEC", 1, ENTITY_ORG, "Grain Export Council", "acronym defined in def");
    expect(a, "Grain Export Council", 0, ENTITY_ORG, "Grain Export Council", NULL);
    assert_string_equal(at(b, "GEC", 0)->local_name, "GEC");
    free_docs(docs, 2);
}

/* A surname goes to the one full name; with two people of that name it stays as it is. */
static void test_surnames(void **state)
{
    (void)state;
    struct doc *a = new_doc("a", "Mara Okafor spoke. Okafor left. Tom Reyes and Ana Reyes met. "
                                 "Ian Vance came.");
    add(a, "Mara Okafor", 0, ENTITY_PERSON, NULL);
    add(a, "Okafor", 1, ENTITY_PERSON, "Mara Okafor");
    add(a, "Tom Reyes", 0, ENTITY_PERSON, NULL);
    add(a, "Ana Reyes", 0, ENTITY_PERSON, NULL);
    add(a, "Ian Vance", 0, ENTITY_PERSON, NULL);
    struct doc *b = new_doc("b", "Okafor said. Reyes said. Vance said.");
    add(b, "Okafor", 0, ENTITY_PERSON, NULL);
    add(b, "Reyes", 0, ENTITY_PERSON, NULL);
    add(b, "Vance", 0, ENTITY_PERSON, NULL);
    struct doc *c = new_doc("c", "Mara Okafor returned.");
    add(c, "Mara Okafor", 0, ENTITY_PERSON, NULL);
    struct doc *docs[] = {a, b, c};
    assert_int_equal(resolve_corpus(rules, docs, 3), 0);
    expect(b, "Okafor", 0, ENTITY_PERSON, "Mara Okafor", "surname of Mara Okafor");
    expect(b, "Reyes", 0, ENTITY_PERSON, "Reyes", NULL);
    expect(a, "Okafor", 1, ENTITY_PERSON, "Mara Okafor", "surname of Mara Okafor");
    /* one document names Ian Vance: another's bare "Vance" may be someone else */
    expect(b, "Vance", 0, ENTITY_PERSON, "Vance", NULL);
    free_docs(docs, 3);
}

/* Corp/Inc variants merge; the most frequent form names it; a state is not "Texas Co". */
static void test_suffix_variants(void **state)
{
    (void)state;
    struct doc *a = new_doc("a", "Delmora Foods Inc. rose. Delmora Foods fell. Delmora Foods "
                                 "gained. Texas Co bought land in Texas.");
    add(a, "Delmora Foods Inc.", 0, ENTITY_ORG, NULL);
    add(a, "Delmora Foods", 1, ENTITY_ORG, NULL);
    add(a, "Delmora Foods", 2, ENTITY_ORG, NULL);
    add(a, "Texas Co", 0, ENTITY_ORG, NULL);
    add(a, "Texas", 1, ENTITY_LOC, NULL);
    struct doc *docs[] = {a};
    assert_int_equal(resolve_corpus(rules, docs, 1), 0);
    expect(a, "Delmora Foods Inc.", 0, ENTITY_ORG, "Delmora Foods", "suffix variant");
    expect(a, "Delmora Foods", 1, ENTITY_ORG, "Delmora Foods", NULL);
    expect(a, "Texas Co", 0, ENTITY_ORG, "Texas Co", NULL);
    expect(a, "Texas", 1, ENTITY_LOC, "Texas", NULL);
    free_docs(docs, 1);
}

/* A one-word organisation the corpus also writes with a legal form is a firm of that name, not a
 * short form of a longer name with that first word; one without stays a short form. */
static void test_legal_form_is_no_short_form(void **state)
{
    (void)state;
    /* the full names outnumber the firm's name ten to one, as a short form's merge requires */
    struct doc *a = new_doc("a", "Tarvel Ministry spoke. Tarvel Ministry left. Tarvel Ministry "
                                 "came. Tarvel Ministry met. Tarvel Ministry sat. Tarvel Ministry "
                                 "rose. Orsk Agency said.");
    for (int i = 0; i < 6; i++)
        add(a, "Tarvel Ministry", i, ENTITY_ORG, NULL);
    add(a, "Orsk Agency", 0, ENTITY_ORG, NULL);
    struct doc *b = new_doc("b", "Tarvel Ministry met. Tarvel Ministry agreed. Tarvel Ministry "
                                 "voted. Tarvel Ministry won. Tarvel Ministry ended. Orsk Agency "
                                 "met.");
    for (int i = 0; i < 5; i++)
        add(b, "Tarvel Ministry", i, ENTITY_ORG, NULL);
    add(b, "Orsk Agency", 0, ENTITY_ORG, NULL);
    struct doc *c = new_doc("c", "Tarvel Ltd sold notes. Tarvel bought them. Tarvel gained. "
                                 "Orsk said.");
    add(c, "Tarvel Ltd", 0, ENTITY_ORG, NULL);
    add(c, "Tarvel", 1, ENTITY_ORG, NULL);
    add(c, "Tarvel", 2, ENTITY_ORG, NULL);
    add(c, "Orsk", 0, ENTITY_ORG, NULL);
    struct doc *docs[] = {a, b, c};
    assert_int_equal(resolve_corpus(rules, docs, 3), 0);
    expect(c, "Tarvel", 1, ENTITY_ORG, "Tarvel", NULL);
    expect(c, "Tarvel Ltd", 0, ENTITY_ORG, "Tarvel", "suffix variant");
    expect(c, "Orsk", 0, ENTITY_ORG, "Orsk Agency", "short form of Orsk Agency");
    free_docs(docs, 3);
}

/* One type by votes; a name two documents each give a person (with a role) and two others a
 * company stays two entities; one document's stray reading only loses the vote, and so does a
 * person reading that never shows a role. */
static void test_type_votes_and_twins(void **state)
{
    (void)state;
    struct doc *d[5];
    for (int i = 0; i < 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "d%d", i);
        d[i] = new_doc(id, "Vantor rose. Kell spoke.");
        add(d[i], "Vantor", 0, i == 4 ? ENTITY_LOC : ENTITY_ORG, NULL);
        add(d[i], "Kell", 0, i < 2 ? ENTITY_ORG : i < 4 ? ENTITY_PERSON : ENTITY_MISC, NULL);
        if (i == 2) /* a person reading shows itself by a role */
            d[i]->mentions[1].role = strdup("chairman");
    }
    assert_int_equal(resolve_corpus(rules, d, 5), 0);
    expect(d[4], "Vantor", 0, ENTITY_ORG, "Vantor", NULL); /* 4 ORG votes beat 1 LOC */
    assert_int_equal(at(d[4], "Vantor", 0)->local_type, ENTITY_LOC);
    expect(d[0], "Kell", 0, ENTITY_ORG, "Kell", NULL);
    expect(d[1], "Kell", 0, ENTITY_ORG, "Kell", NULL);
    expect(d[2], "Kell", 0, ENTITY_PERSON, "Kell", NULL);
    expect(d[3], "Kell", 0, ENTITY_PERSON, "Kell", NULL);
    free_docs(d, 5);
    for (int i = 0; i < 4; i++) {
        char id[8];
        snprintf(id, sizeof id, "p%d", i);
        d[i] = new_doc(id, "Asahi Shimbun said.");
        add(d[i], "Asahi Shimbun", 0, i < 2 ? ENTITY_ORG : ENTITY_PERSON, NULL);
    }
    assert_int_equal(resolve_corpus(rules, d, 4), 0);
    expect(d[3], "Asahi Shimbun", 0, ENTITY_ORG, "Asahi Shimbun", NULL);
    free_docs(d, 4);
}

/* Initials spelled with "and", linked to the full name with its legal form in one story, are
 * that name in a story where they stand alone; the full name stays the entity's name. */
static void test_and_initials_across_documents(void **state)
{
    (void)state;
    struct doc *a = new_doc("def", "Garland and Pope Plc said profits rose. G and P said more.");
    add(a, "Garland and Pope Plc", 0, ENTITY_ORG, NULL);
    add(a, "G and P", 0, ENTITY_ORG, "Garland and Pope Plc");
    struct doc *b = new_doc("bare", "G and P sold a unit.");
    add(b, "G and P", 0, ENTITY_ORG, NULL);
    struct doc *docs[] = {a, b};
    assert_int_equal(resolve_corpus(rules, docs, 2), 0);
    expect(b, "G and P", 0, ENTITY_ORG, "Garland and Pope Plc", "acronym defined in def");
    expect(a, "Garland and Pope Plc", 0, ENTITY_ORG, "Garland and Pope Plc", NULL);
    free_docs(docs, 2);
}

/* An organisation whose stories mostly use the first word of its name is named by the whole
 * name ("Korvath Mining Corp", not "Korvath"); a name longer only by its legal form is not
 * whole in that sense: the common "Halvor" stays the name of "Halvor Inc". */
static void test_first_word_names_the_longer_name(void **state)
{
    (void)state;
    struct doc *d[8];
    for (int i = 0; i < 2; i++) { /* the whole name in two stories (rs_merge_short) */
        d[i] = new_doc(i ? "k1" : "k0", "Korvath Mining Corp said output rose. Korvath said more.");
        add(d[i], "Korvath Mining Corp", 0, ENTITY_ORG, NULL);
        add(d[i], "Korvath", 1, ENTITY_ORG, "Korvath Mining Corp");
    }
    for (int i = 2; i < 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "k%d", i);
        d[i] = new_doc(id, "Korvath shares rose.");
        add(d[i], "Korvath", 0, ENTITY_ORG, NULL);
    }
    d[5] = new_doc("h0", "Halvor Inc said sales rose. Halvor said costs fell.");
    add(d[5], "Halvor Inc", 0, ENTITY_ORG, NULL);
    add(d[5], "Halvor", 1, ENTITY_ORG, "Halvor Inc");
    for (int i = 6; i < 8; i++) {
        d[i] = new_doc(i == 6 ? "h1" : "h2", "Halvor shares fell.");
        add(d[i], "Halvor", 0, ENTITY_ORG, NULL);
    }
    assert_int_equal(resolve_corpus(rules, d, 8), 0);
    for (int i = 2; i < 5; i++)
        assert_string_equal(at(d[i], "Korvath", 0)->name, "Korvath Mining Corp");
    assert_string_equal(at(d[0], "Korvath Mining Corp", 0)->name, "Korvath Mining Corp");
    assert_string_equal(at(d[5], "Halvor Inc", 0)->name, "Halvor");
    assert_string_equal(at(d[7], "Halvor", 0)->name, "Halvor");
    free_docs(d, 8);
}

/* Two readings of one name that documents of both define as the same acronym are one entity
 * (the tagger's type error, not a second sense), and the bare acronym joins it; a name typed
 * two ways without a shared acronym keeps both readings (see test_type_votes_and_twins). */
static void test_twins_sharing_an_acronym(void **state)
{
    (void)state;
    struct doc *d[5];
    for (int i = 0; i < 4; i++) { /* two documents read it as ORG, two as MISC */
        char id[8];
        snprintf(id, sizeof id, "u%d", i);
        d[i] = new_doc(id, "The Nordic Grain Union (NGU) met. NGU ministers agreed.");
        enum entity_type t = i < 2 ? ENTITY_ORG : ENTITY_MISC;
        add(d[i], "Nordic Grain Union", 0, t, NULL);
        add(d[i], "NGU", 0, t, "Nordic Grain Union");
        add(d[i], "NGU", 1, t, "Nordic Grain Union");
    }
    d[4] = new_doc("bare", "NGU said prices would rise.");
    add(d[4], "NGU", 0, ENTITY_ORG, NULL);
    assert_int_equal(resolve_corpus(rules, d, 5), 0);
    for (int i = 0; i < 4; i++) {
        const struct mention *m = at(d[i], "Nordic Grain Union", 0);
        assert_int_equal(m->type, ENTITY_ORG);
        assert_string_equal(m->name, "Nordic Grain Union");
        assert_int_equal(at(d[i], "NGU", 1)->type, ENTITY_ORG);
    }
    const struct mention *bare = at(d[4], "NGU", 0);
    assert_int_equal(bare->type, ENTITY_ORG);
    assert_string_equal(bare->name, "Nordic Grain Union");
    assert_non_null(bare->why);
    assert_int_equal(at(d[3], "NGU", 0)->local_type, ENTITY_MISC);
    free_docs(d, 5);
}

/* A mention whose text fixes its type (the place of a dateline) keeps it, although the other
 * documents make the name a team; the team's mentions stay a team. */
static void test_fixed_type(void **state)
{
    (void)state;
    struct doc *d[4];
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "t%d", i);
        d[i] = new_doc(id, "Kelmouth beat Dunport 2-1.");
        add(d[i], "Kelmouth", 0, ENTITY_ORG, NULL);
    }
    d[3] = new_doc("line", "KELMOUTH 1996-08-30 Rain fell. Kelmouth won.");
    add(d[3], "KELMOUTH", 0, ENTITY_LOC, "Kelmouth");
    d[3]->mentions[0].fixed_type = true;
    add(d[3], "Kelmouth", 0, ENTITY_LOC, NULL); /* not fixed: the corpus's reading wins */
    assert_int_equal(resolve_corpus(rules, d, 4), 0);
    const struct mention *line = at(d[3], "KELMOUTH", 0);
    assert_int_equal(line->type, ENTITY_LOC);
    assert_string_equal(line->name, "Kelmouth");
    assert_int_equal(at(d[3], "Kelmouth", 0)->type, ENTITY_ORG);
    for (int i = 0; i < 3; i++)
        assert_int_equal(at(d[i], "Kelmouth", 0)->type, ENTITY_ORG);
    free_docs(d, 4);
}

/* ALL CAPS and case typos never name an entity; a city is never its country. */
static void test_canonical_forms(void **state)
{
    (void)state;
    struct doc *a = new_doc("a", "NEW HAVEN NEW HAVEN NEW HAVEN New Haven FRance France "
                                 "ORLAND BAY TOURS ORLAND BAY TOURS Lisbon Portugal");
    for (int i = 0; i < 3; i++)
        add(a, "NEW HAVEN", i, ENTITY_LOC, NULL);
    add(a, "New Haven", 0, ENTITY_LOC, NULL);
    add(a, "FRance", 0, ENTITY_LOC, NULL);
    add(a, "France", 0, ENTITY_LOC, NULL);
    add(a, "ORLAND BAY TOURS", 0, ENTITY_ORG, NULL);
    add(a, "ORLAND BAY TOURS", 1, ENTITY_ORG, NULL);
    add(a, "Lisbon", 0, ENTITY_LOC, NULL);
    add(a, "Portugal", 0, ENTITY_LOC, NULL);
    struct doc *docs[] = {a};
    assert_int_equal(resolve_corpus(rules, docs, 1), 0);
    expect(a, "NEW HAVEN", 0, ENTITY_LOC, "New Haven", "case variant");
    expect(a, "New Haven", 0, ENTITY_LOC, "New Haven", NULL);
    expect(a, "FRance", 0, ENTITY_LOC, "France", "case variant");
    expect(a, "ORLAND BAY TOURS", 1, ENTITY_ORG, "Orland Bay Tours", "case variant");
    expect(a, "Lisbon", 0, ENTITY_LOC, "Lisbon", NULL);
    expect(a, "Portugal", 0, ENTITY_LOC, "Portugal", NULL);
    free_docs(docs, 1);
}

/* A form a document resolved to a reference name keeps the text's name when it is the most
 * used ("Holland" resolved to "Netherlands" by a gazetteer), but a short form never names. */
static void test_text_name_beats_reference(void **state)
{
    (void)state;
    struct doc *a = new_doc("a", "Holland Holland Holland Netherlands Fed Fed Federal Reserve");
    for (int i = 0; i < 3; i++)
        add(a, "Holland", i, ENTITY_LOC, "Netherlands");
    add(a, "Netherlands", 0, ENTITY_LOC, NULL);
    add(a, "Fed", 0, ENTITY_ORG, "Federal Reserve");
    add(a, "Fed", 1, ENTITY_ORG, "Federal Reserve");
    add(a, "Federal Reserve", 0, ENTITY_ORG, NULL);
    struct doc *docs[] = {a};
    assert_int_equal(resolve_corpus(rules, docs, 1), 0);
    expect(a, "Holland", 0, ENTITY_LOC, "Holland", NULL);
    expect(a, "Netherlands", 0, ENTITY_LOC, "Holland", "Holland stands for it in a");
    expect(a, "Fed", 0, ENTITY_ORG, "Federal Reserve", "stands for Federal Reserve in a");
    free_docs(docs, 1);
}

static void test_name_helpers(void **state)
{
    (void)state;
    char *k = rn_key("U.S.  Steel-Works", 17);
    assert_string_equal(k, "us steel works");
    free(k);
    static const char *const keys[][2] = {
        {"E. F. Hutton", "ef hutton"}, /* spaced initials are one word, */
        {"E.F. Hutton", "ef hutton"},  /* as when written together */
        {"J. Smith", "j smith"},       /* one initial stays a word */
        {"Mr. A. Lee", "mr a lee"},    /* "Mr." is no initial */
        {"Poor's Corp", "poor corp"},  /* a possessive is no part of a name */
        {"O'Neill Co", "oneill co"},   /* an apostrophe inside a name is dropped */
    };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        k = rn_key(keys[i][0], strlen(keys[i][0]));
        assert_string_equal(k, keys[i][1]);
        free(k);
    }
    assert_true(rn_is_acronym("U.S."));
    assert_true(rn_is_acronym("AT&T"));
    assert_false(rn_is_acronym("Opec"));
    assert_false(rn_is_acronym("A"));
    assert_true(rn_initials_match("CFTC", "Commodity Futures Trading Commission", NULL));
    assert_true(rn_initials_match("BIS", "Bank for International Settlements", NULL));
    assert_false(rn_initials_match("EC", "European Central Bank", NULL));
    assert_int_equal(rn_quality("FRance"), 0);
    assert_int_equal(rn_quality("New YOrk"), 0);
    assert_int_equal(rn_quality("NEW YORK"), 1);
    assert_int_equal(rn_quality("OPEC"), 2);
    assert_int_equal(rn_quality("McDonald"), 2);
    assert_int_equal(rn_quality("USAir"), 2);
    char *r = rn_recase("BANK OF NEW YORK");
    assert_string_equal(r, "Bank of New York");
    free(r);
    struct wordlist *suf = wordlist_from_string("corp\ninc\nco\ngroup\n", true);
    char key[] = "smith barney and co inc";
    assert_int_equal(rn_strip_suffixes(suf, key), 2);
    assert_string_equal(key, "smith barney");
    char one[] = "group";
    assert_int_equal(rn_strip_suffixes(suf, one), 0);
    /* initials spelled with "and", and a legal form after the spelled words */
    assert_true(rn_is_acronym("K and T"));
    assert_true(rn_is_acronym("BT and W"));
    assert_false(rn_is_acronym("K and tea"));
    assert_true(rn_is_acronym("K and T's"));
    assert_false(rn_is_acronym("K and T's's"));
    assert_true(rn_initials_match("K and T", "Kessler and Tamm's Corp", suf));
    assert_false(rn_initials_match("KTB", "Kessler Tamm Brothers Inc", suf));
    assert_true(rn_initials_match("KTBI", "Kessler Tamm Brothers Inc", suf));
    assert_false(rn_initials_match("K and T", "Kessler and Tamm's Corp", NULL));
    assert_false(rn_initials_match("K and T", "Kessler and Tamm Group Holdings", suf));
    wordlist_free(suf);
    assert_true(rn_is_short_of("fed", "federal reserve"));
    assert_true(rn_is_short_of("nakasone", "yasuhiro nakasone"));
    assert_false(rn_is_short_of("britain", "united kingdom"));
}

/* The overrides file: each rule applied; a bad line is an error naming the file and the line. */
static void test_overrides_file(void **state)
{
    (void)state;
    char path[] = "/tmp/corpusd-overrides-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# corrections\nsplit Okafor\nmerge Lisbon => Portugal  # a user's choice\n"
          "type Vantor => LOC\n",
          f);
    fclose(f);
    char *err = NULL;
    struct resolve_rules *r =
        resolve_open(getenv("CORPUSD_DATA_DIR") ? getenv("CORPUSD_DATA_DIR") : "ingest/data", &err);
    assert_non_null(r);
    assert_int_equal(resolve_load_overrides(r, path, &err), 0);
    struct doc *a = new_doc("a", "Mara Okafor met Okafor in Lisbon, Portugal. Vantor rose.");
    add(a, "Mara Okafor", 0, ENTITY_PERSON, NULL);
    add(a, "Okafor", 1, ENTITY_PERSON, NULL);
    add(a, "Lisbon", 0, ENTITY_LOC, NULL);
    add(a, "Portugal", 0, ENTITY_LOC, NULL);
    add(a, "Vantor", 0, ENTITY_ORG, NULL);
    struct doc *docs[] = {a};
    assert_int_equal(resolve_corpus(r, docs, 1), 0);
    expect(a, "Okafor", 1, ENTITY_PERSON, "Okafor", NULL); /* no surname merge */
    expect(a, "Lisbon", 0, ENTITY_LOC, "Portugal", "merged by the overrides file");
    expect(a, "Vantor", 0, ENTITY_LOC, "Vantor", NULL);
    free_docs(docs, 1);
    f = fopen(path, "w");
    fputs("split Okafor\nmerge Lisbon Portugal\n", f);
    fclose(f);
    assert_int_equal(resolve_load_overrides(r, path, &err), -1);
    assert_non_null(strstr(err, ":2: expected"));
    free(err);
    resolve_close(r);
    unlink(path);
}

/* Empty corpora and documents without mentions are fine. */
static void test_empty(void **state)
{
    (void)state;
    assert_int_equal(resolve_corpus(rules, NULL, 0), 0);
    struct doc *a = new_doc("a", "nothing here");
    struct doc *docs[] = {a};
    assert_int_equal(resolve_corpus(rules, docs, 1), 0);
    assert_int_equal(a->n_mentions, 0);
    free_docs(docs, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conjunction_split),
        cmocka_unit_test(test_conjunction_legal_form_alone),
        cmocka_unit_test(test_acronym_across_documents),
        cmocka_unit_test(test_and_initials_across_documents),
        cmocka_unit_test(test_first_word_names_the_longer_name),
        cmocka_unit_test(test_surnames),
        cmocka_unit_test(test_suffix_variants),
        cmocka_unit_test(test_legal_form_is_no_short_form),
        cmocka_unit_test(test_type_votes_and_twins),
        cmocka_unit_test(test_twins_sharing_an_acronym),
        cmocka_unit_test(test_fixed_type),
        cmocka_unit_test(test_canonical_forms),
        cmocka_unit_test(test_text_name_beats_reference),
        cmocka_unit_test(test_name_helpers),
        cmocka_unit_test(test_overrides_file),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests_name("resolve", tests, setup, teardown);
}
