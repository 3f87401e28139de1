/*
 * test_entities.c — end-to-end checks of entity extraction on newswire-shaped text: a small
 * JSONL corpus of our own sentences, in the shapes that trip taggers on wire copy (possessive and
 * "A and B's" agency names, long treaty organisations opening with "General" and defined by an
 * acronym, contractions,
 * state abbreviations, the "Reuter" sign-off, credit ratings, a fruit-named computer company), is
 * served by the real corpusd binary and the entities are read back through the API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"
#include "e2e_json.h"

static struct server_proc srv;
static char corpus[64];
static json_t *entities; /* every served entity (data arrays of all pages) */

static const char *const docs[] = {
    "{\"id\":\"ratings\",\"title\":\"Brandt's cuts Kestrel Mining\",\"text\":\"NEW YORK, March 3 - "
    "Brandt's Investors Service Inc said it lowered its rating on Kestrel Mining Corp's senior "
    "debt to AA from AAA, citing weaker copper prices.\\n\\nHartley and Moon's said it kept the "
    "notes on review for a possible downgrade.\\n\\n Reuter\"}",
    "{\"id\":\"treaty\",\"title\":\"Shipping talks\",\"text\":\"OSLO, June 9 - Ministers meeting "
    "under the General Agreement on Shipping and Ports (GASP) said on Tuesday that talks would "
    "resume next month.\\n\\nThe General Agreement on Shipping and Ports was signed by 40 "
    "nations.\\n\\n Reuter\"}",
    "{\"id\":\"plant\",\"title\":\"Norvell plant\",\"text\":\"SCRANTON, Pa., May 2 - \\\"We're "
    "confident the plant will reopen,\\\" said Tom Hale, president of Norvell Tube Co, which "
    "employs 300 people in Scranton, Pa.\\n\\n Reuter\"}",
    "{\"id\":\"mango\",\"title\":\"Mango computers\",\"text\":\"SAN JOSE, Calif., April 7 - Mango "
    "said its new laptop computers would ship with faster chips and more memory, and Mango "
    "shares rose 3 dlrs on the news.\\n\\n Reuter\"}",
    /* a news agency as the premodifier of a common noun, and a sign-off with telex debris */
    "{\"id\":\"agency\",\"title\":\"Palm oil output\",\"text\":\"JAKARTA, May 4 - Palm oil output "
    "fell 3 pct in April, an Antara survey of planters showed.\\n\\nPlanters told Antara reporters "
    "that heavy rain had hurt yields.\\nREUTER...^M\"}",
    "{\"id\":\"agency2\",\"title\":\"Growth slows\",\"text\":\"SEOUL, May 5 - Growth slowed in the "
    "first quarter, a Yonhap poll of economists found.\\n\\nBankers told Yonhap correspondents "
    "that exports had weakened.\\n\\n Reuter\"}",
    /* sign-offs run on after a table's last figure, and with an operator's initials */
    "{\"id\":\"table\",\"title\":\"Wool stocks\",\"text\":\"LONDON, June 2 - Wool stocks at the "
    "end of May, in thousand bales (April in brackets):\\n Fine 41.2 (39.8)\\n Coarse 12.6 (13.1) "
    "REUTER^M\"}",
    "{\"id\":\"initials\",\"title\":\"Tin price\",\"text\":\"KUALA LUMPUR, June 2 - The tin price "
    "rose 12 cents to 18.40 ringgit a kilo on the local market, dealers said.\\n REUTER AB\"}",
    /* party and state codes after legislators' names */
    "{\"id\":\"farm\",\"title\":\"Farm bill\",\"text\":\"WASHINGTON, June 3 - The farm bill of "
    "Lyle Brandt (D-ND) and Sara Quint (D-SD) would raise support prices, its sponsors said."
    "\\n\\n Reuter\"}",
    /* a hyphenated company name, possessive and as a premodifier */
    "{\"id\":\"hyphen\",\"title\":\"Talbot bid\",\"text\":\"CHICAGO, May 6 - Talbot Inc, set on "
    "acquiring Kessel-Varn Corp's plastics business, raised its offer.\\n\\nAn investor group sold "
    "its 2.1 mln Kessel-Varn shares.\\n\\n Reuter\"}",
    /* a rating agency's initials */
    "{\"id\":\"initials2\",\"title\":\"Ratings\",\"text\":\"NEW YORK, March 9 - Crane and Lutz "
    "Corp cut Vantage Steel Corp's debt rating.\\n\\nAmong steelmakers, C and L cut 12 ratings and "
    "raised two. C and L said the outlook was negative.\\n\\n Reuter\"}",
    /* a firm's initials spelled with "and" after its full name with its legal form */
    "{\"id\":\"initials3\",\"title\":\"Results\",\"text\":\"LONDON, May 3 - Garland and Pope "
    "Plc said its profits rose 12 pct. G and P said it would buy a stake in Tarrant Mills.\\n\\n "
    "Reuter\"}",
    /* national institutions: named with the country before them, the story's one country, or
     * none when the story names two; a proper name with a nationality stays */
    "{\"id\":\"national1\",\"title\":\"Bills\",\"text\":\"LISBON, May 4 - Portugal's Finance "
    "Ministry said it would sell 50 billion escudos of bills. The Finance Ministry said demand was "
    "strong.\\n\\n Reuter\"}",
    "{\"id\":\"national2\",\"title\":\"Copper\",\"text\":\"SANTIAGO, May 5 - The Finance "
    "Ministry said copper exports rose 12 pct in April. Chile's trade surplus widened, and Chilean "
    "mines raised output.\\n\\n Reuter\"}",
    "{\"id\":\"national3\",\"title\":\"Debt\",\"text\":\"LIMA, May 6 - The Finance Ministry "
    "said Peru would pay 10 pct of its export earnings to creditors, and Chile would help.\\n\\n "
    "Reuter\"}",
    "{\"id\":\"national4\",\"title\":\"Rates\",\"text\":\"COPENHAGEN, May 8 - The Danish "
    "Central Bank said it cut its discount rate to 7 pct. The European Parliament voted to freeze "
    "farm prices.\\n\\n Reuter\"}",
    "{\"id\":\"national5\",\"title\":\"Jobs\",\"text\":\"WASHINGTON, May 9 - The U.S. "
    "Department of Labor said jobless claims fell. Economists said the Labor Department figures "
    "showed the United States economy was growing.\\n\\n Reuter\"}",
    /* a sentence's "The" before an organisation's name: at the start, after a dateline's dash,
     * in a quotation */
    "{\"id\":\"article1\",\"title\":\"Lending\",\"text\":\"OTTAWA, June 2 - The Corvel "
    "Development Bank said it would cut lending rates. The Corvel Development Bank's board met on "
    "Monday, and a spokesman for the Corvel Development Bank said: \\\"The Corvel Development Bank "
    "will lend more.\\\"\\n\\n Reuter\"}",
    "{\"id\":\"article2\",\"title\":\"Deposits\",\"text\":\"BRASILIA - The Marova Savings "
    "Bank said deposits fell 3 pct in May. Analysts said the Marova Savings Bank would recover."
    "\\n\\n Reuter\"}",
    /* a function word written with a capital after "U.S." (as Reuters-21578 does) */
    "{\"id\":\"article4\",\"title\":\"Tariffs\",\"text\":\"GENEVA, June 5 - Delegates said "
    "the U.S. Is unlikely to raise tariffs, and the U.K. Was ready to talk.\\n\\n Reuter\"}",
    /* a state written as its abbreviation after a city */
    "{\"id\":\"state\",\"title\":\"Lettuce\",\"text\":\"SALINAS, Calif., June 4 - Lettuce "
    "growers in California said prices rose. Growers near Salinas, Calif., expect a bigger crop."
    "\\n\\n Reuter\"}",
    /* a firm's short forms that read as people's names, after its full name; an analyst "of"
     * a firm is a person and the firm */
    "{\"id\":\"broker1\",\"title\":\"Office\",\"text\":\"NEW YORK, June 8 - Halvorsen Pike "
    "Brothers Inc said it would open an office in Tokyo. Halvorsen said the office would employ "
    "40 people, and Halvorsen Pike expects to add more next year. Mr. Pike declined to comment."
    "\\n\\n Reuter\"}",
    "{\"id\":\"broker2\",\"title\":\"Forecast\",\"text\":\"NEW YORK, June 9 - Investors sold "
    "shares of R.T. Calloway Group Inc after the broker cut its forecast. R.T. Calloway said "
    "earnings would fall. Analyst Dora Quist of Benning Lyle Inc said the cut was expected. "
    "Robert Gordon of Benning Lyle Inc agreed.\\n\\n Reuter\"}",
    /* a name the tagger closes on "of" before a word it reads as a title */
    "{\"id\":\"article3\",\"title\":\"Ruling\",\"text\":\"LISBON, June 3 - The ruling by "
    "the Melvani Court of Justice was upheld on appeal.\\n\\n Reuter\"}",
};

static int start(void **state)
{
    (void)state;
    if (e2e_start_jsonl(&srv, corpus, "ents", docs, sizeof docs / sizeof *docs) < 0)
        return -1;
    entities = json_array();
    struct http_response r = http_get(&srv, "/v1/entities?limit=100");
    json_t *j = http_json(&r);
    char *type = http_header(&r, "Content-Type");
    if (!type || !strstr(type, "json"))
        fprintf(stderr, "e2e_entities: /v1/entities is not JSON\n");
    free(type);
    json_array_extend(entities, json_object_get(j, "data"));
    json_decref(j);
    http_free(&r);
    return json_array_size(entities) > 0 ? 0 : -1;
}

static int stop(void **state)
{
    (void)state;
    json_decref(entities);
    return e2e_stop_jsonl(&srv, corpus);
}

static const char *field(json_t *e, const char *k)
{
    const char *s = json_string_value(json_object_get(e, k));
    return s ? s : "";
}

/* The served entity with this exact name, or NULL. */
static json_t *named(const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e) if (strcmp(field(e, "name"), name) == 0) return e;
    return NULL;
}

static void expect_type(const char *name, const char *type)
{
    json_t *e = named(name);
    if (!e)
        fail_msg("no entity named \"%s\"", name);
    if (strcmp(field(e, "type"), type) != 0)
        fail_msg("\"%s\" is %s, expected %s", name, field(e, "type"), type);
}

/* The entity of this name has n mentions (fails when there is none). */
static void expect_mentions(const char *name, json_int_t n)
{
    json_t *e = named(name);
    if (!e)
        fail_msg("no entity named \"%s\"", name);
    assert_int_equal(json_integer_value(json_object_get(e, "mention_count")), n);
}

/* No served entity's name or alias contains the word. */
static void expect_no_entity_with(const char *word)
{
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e)
    {
        if (strstr(field(e, "name"), word))
            fail_msg("entity \"%s\" (%s) contains \"%s\"", field(e, "name"), field(e, "type"),
                     word);
    }
}

static void test_possessive_agency_names(void **state)
{
    (void)state;
    expect_type("Brandt's Investors Service Inc", "ORG"); /* not PERSON "Brandt" + ORG */
    assert_null(named("Brandt"));
    json_t *hm =
        named("Hartley and Moon's") ? named("Hartley and Moon's") : named("Hartley and Moon");
    if (!hm)
        fail_msg("no entity for the agency \"Hartley and Moon's\"");
    assert_string_equal(field(hm, "type"), "ORG");
    assert_null(named("H")); /* not cut down to an initial */
    assert_null(named("Hartley"));
    expect_type("Kestrel Mining Corp", "ORG");
}

static void test_ratings_are_no_places(void **state)
{
    (void)state;
    assert_null(named("AA"));
    assert_null(named("AAA"));
}

static void test_general_agreement_is_no_person(void **state)
{
    (void)state;
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e)
    {
        if (strstr(field(e, "name"), "Agreement") && strcmp(field(e, "type"), "PERSON") == 0)
            fail_msg("\"%s\" served as a PERSON", field(e, "name"));
        json_t *roles = json_object_get(e, "roles");
        for (size_t k = 0; k < json_array_size(roles); k++)
            if (strcmp(json_string_value(json_array_get(roles, k)), "General") == 0)
                fail_msg("\"%s\" has the role \"General\"", field(e, "name"));
    }
    /* the acronym's initials give the whole name, both times, and the acronym joins it */
    expect_mentions("General Agreement on Shipping and Ports", 3);
    assert_null(named("Ports"));
    assert_null(named("General Agreement on Shipping"));
    assert_null(named("GASP"));
}

static void test_contractions_and_signoff(void **state)
{
    (void)state;
    expect_no_entity_with("We're");
    assert_null(named("We"));
    expect_no_entity_with("Reuter");
    /* a state abbreviation is a place or nothing, never a person or company */
    json_t *pa = named("Pa");
    if (pa)
        assert_string_equal(field(pa, "type"), "LOC");
    expect_type("Tom Hale", "PERSON");
    expect_type("Norvell Tube Co", "ORG");
}

/* The served entity with this name and type, or NULL (a name may have two readings). */
static json_t *named_as(const char *name, const char *type)
{
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e)
    {
        if (strcmp(field(e, "name"), name) == 0 && strcmp(field(e, "type"), type) == 0)
            return e;
    }
    return NULL;
}

static void test_agency_premodifier_and_signoffs(void **state)
{
    (void)state;
    expect_type("Antara", "ORG"); /* "an Antara survey", "Antara reporters" */
    assert_null(named_as("Antara", "PERSON"));
    expect_type("Yonhap", "ORG"); /* "a Yonhap poll", "Yonhap correspondents" */
    assert_null(named_as("Yonhap", "PERSON"));
    /* "REUTER...^M", "(13.1) REUTER^M", "REUTER AB" */
    expect_no_entity_with("Reuter");
    expect_no_entity_with("REUTER");
    expect_no_entity_with("AB");
}

static void test_hyphenated_codes_and_initials(void **state)
{
    (void)state;
    expect_type("Lyle Brandt", "PERSON");
    expect_type("Sara Quint", "PERSON");
    assert_null(named("ND")); /* a part of "D-ND" */
    assert_null(named("SD"));
    expect_type("Kessel-Varn Corp", "ORG"); /* not "Varn Corp" */
    assert_null(named("Varn Corp"));
    assert_null(named("Varn"));
    json_t *cl = named("C and L");
    if (cl) /* the initials are the agency's (or an alias of its full name) */
        assert_string_equal(field(cl, "type"), "ORG");
    assert_null(named_as("C and L", "MISC"));
    assert_null(named("C"));
    assert_null(named("L"));
}

/* Initials spelled with "and" stand for the name the story writes in full, legal form and all
 * ("Garland and Pope Plc ... G and P said"): one entity, the full name its name. */
static void test_and_initials_join_full_name(void **state)
{
    (void)state;
    json_t *full = named("Garland and Pope Plc");
    if (!full)
        fail_msg("no entity \"Garland and Pope Plc\"");
    assert_null(named("G and P"));
    bool alias = false;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(full, "aliases"), i, a) alias |=
        strcmp(json_string_value(a), "G and P") == 0;
    if (!alias)
        fail_msg("\"G and P\" is no alias of \"Garland and Pope Plc\"");
    assert_int_equal(json_integer_value(json_object_get(full, "mention_count")), 2);
}

/* A finance ministry is its country's: one entity per country, not one for all of them. */
static void test_national_bodies_by_country(void **state)
{
    (void)state;
    expect_mentions("Finance Ministry (Portugal)", 2);
    expect_type("Finance Ministry (Chile)", "ORG");
    expect_mentions("Finance Ministry", 1); /* the story that names Peru and Chile */
    expect_type("Central Bank (Denmark)", "ORG");
    expect_type("European Parliament", "ORG");
    assert_null(named("Parliament (Europe)"));
    /* "Department of X" is read as "X Department", with the country inside the name */
    expect_mentions("Labor Department (United States)", 2);
    assert_null(named("U.S. Department of Labor"));
}

/* A capitalised "The" opening a sentence is no part of an organisation's name: one entity for
 * "The Corvel Development Bank said", "… for the Corvel Development Bank said" and a quotation's
 * "The Corvel Development Bank will", none named "The …". */
static void test_sentence_article_outside_names(void **state)
{
    (void)state;
    expect_mentions("Corvel Development Bank", 4);
    assert_null(named("The Corvel Development Bank"));
    expect_mentions("Marova Savings Bank", 2); /* after the dateline's dash */
    assert_null(named("The Marova Savings Bank"));
}

/* "Calif." after a city is California: one entity with the state's name. */
static void test_state_abbreviations(void **state)
{
    (void)state;
    expect_type("California", "LOC");
    /* three in this story, one in the dateline of "mango" ("SAN JOSE, Calif.") */
    expect_mentions("California", 4);
    assert_null(named("Calif."));
}

/* No name ends in a connector: "the Melvani Court of Justice", not "Melvani Court of"; no name
 * is a function word ("the U.S. Is unlikely"). */
static void test_names_end_in_no_connector(void **state)
{
    (void)state;
    expect_type("Melvani Court of Justice", "ORG");
    assert_null(named("Is")); /* nor is a capitalised function word a name */
    assert_null(named("Was"));
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e)
    {
        const char *name = field(e, "name");
        const char *sp = strrchr(name, ' ');
        if (sp && (!strcmp(sp, " of") || !strcmp(sp, " for") || !strcmp(sp, " and")))
            fail_msg("entity \"%s\" ends in a connector", name);
    }
}

/* "Halvorsen said" after "Halvorsen Pike Brothers Inc" is the firm, not a person; "Dora Quist of
 * Benning Lyle Inc" is a person of a firm, not one organisation's name. */
static void test_firm_short_forms_and_people_of_firms(void **state)
{
    (void)state;
    expect_type("Halvorsen Pike Brothers Inc", "ORG");
    expect_mentions("Halvorsen Pike Brothers Inc", 3);
    assert_null(named("Halvorsen"));
    assert_null(named("Halvorsen Pike"));
    bool pike = false; /* "Mr. Pike" is titled: a person, however the honorific is named */
    size_t i;
    json_t *e;
    json_array_foreach(entities, i, e) pike |= strstr(field(e, "name"), "Pike") &&
                                               !strstr(field(e, "name"), "Halvorsen") &&
                                               strcmp(field(e, "type"), "PERSON") == 0;
    assert_true(pike);
    expect_type("R.T. Calloway Group Inc", "ORG");
    expect_mentions("R.T. Calloway Group Inc", 2);
    assert_null(named("R.T. Calloway"));
    expect_type("Dora Quist", "PERSON");
    expect_type("Robert Gordon", "PERSON");
    expect_type("Benning Lyle Inc", "ORG");
    expect_mentions("Benning Lyle Inc", 2);
    assert_null(named("Analyst Dora Quist of Benning Lyle Inc"));
    assert_null(named("Robert Gordon of Benning Lyle Inc"));
}

static void test_fruit_named_company(void **state)
{
    (void)state;
    expect_type("Mango", "ORG");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_possessive_agency_names),
        cmocka_unit_test(test_ratings_are_no_places),
        cmocka_unit_test(test_general_agreement_is_no_person),
        cmocka_unit_test(test_contractions_and_signoff),
        cmocka_unit_test(test_fruit_named_company),
        cmocka_unit_test(test_sentence_article_outside_names),
        cmocka_unit_test(test_names_end_in_no_connector),
        cmocka_unit_test(test_state_abbreviations),
        cmocka_unit_test(test_firm_short_forms_and_people_of_firms),
        cmocka_unit_test(test_and_initials_join_full_name),
        cmocka_unit_test(test_national_bodies_by_country),
        cmocka_unit_test(test_agency_premodifier_and_signoffs),
        cmocka_unit_test(test_hyphenated_codes_and_initials),
    };
    return cmocka_run_group_tests_name("e2e_entities", tests, start, stop);
}
