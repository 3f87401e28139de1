/*
 * test_resolve.c — end-to-end: corpus-wide entity resolution through the real corpusd, on a small
 * corpus written for it (tests/e2e/resolve_corpus/articles.jsonl, 20 short wire stories about a
 * ferry regulator): an acronym defined in one article and used bare in others, surname-only
 * mentions in articles that never give the full name, a company with and without "Corp", a case
 * typo, datelines in capitals, a city and its country, "X and Y" spans, and roles; "the Bank"
 * with and without the bank's full name, an institution named after its seat, tickers and
 * brackets around names, a firm named after a person, role phrases cut short, a company's
 * short form and a person named in full only once. Every entity
 * the corpus should give is asserted with its id, type, canonical name, aliases (count and why)
 * and roles; so is the absence of any other entity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "harness.h"

static struct server_proc srv;

static const char *corpus_dir(void)
{
    const char *c = getenv("CORPUSD_RESOLVE_CORPUS");
    return c && *c ? c : "tests/e2e/resolve_corpus";
}

static int start_server(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return server_spawn(&srv, corpus_dir(), NULL);
}

static int stop_server(void **state)
{
    (void)state;
    int rc = server_stop_proc(&srv);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

static json_t *get_json_from(const struct server_proc *s, const char *path, long status)
{
    struct http_response r = http_get(s, path);
    assert_int_equal(r.status, status);
    json_t *j = http_json(&r);
    assert_non_null(j);
    http_free(&r);
    return j;
}

static json_t *get_json(const char *path)
{
    return get_json_from(&srv, path, 200);
}

static const char *str(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* The alias object named name in an entity's aliases, or NULL. */
static json_t *alias(json_t *entity, const char *name)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(entity, "aliases"), i, a)
    {
        if (strcmp(str(a, "name"), name) == 0)
            return a;
    }
    return NULL;
}

/* Asserts an alias with its count and reason (why NULL: the canonical name, why is null). */
static void assert_alias(json_t *entity, const char *name, long long count, const char *why)
{
    json_t *a = alias(entity, name);
    if (!a)
        fail_msg("%s has no alias '%s'", str(entity, "id"), name);
    assert_int_equal(json_integer_value(json_object_get(a, "count")), count);
    json_t *w = json_object_get(a, "why");
    if (why)
        assert_string_equal(json_string_value(w), why);
    else
        assert_true(json_is_null(w));
}

/* GET /v1/entities/{id}: asserts name, type, mention count and the number of aliases. */
static json_t *entity(const char *id, const char *name, const char *type, long long mentions,
                      size_t n_aliases)
{
    char path[256];
    snprintf(path, sizeof path, "/v1/entities/%s", id);
    json_t *e = get_json(path);
    assert_string_equal(str(e, "id"), id);
    assert_string_equal(str(e, "name"), name);
    assert_string_equal(str(e, "type"), type);
    assert_int_equal(json_integer_value(json_object_get(e, "mention_count")), mentions);
    assert_int_equal(json_array_size(json_object_get(e, "aliases")), n_aliases);
    return e;
}

static void assert_roles(json_t *e, const char *const *roles, size_t n)
{
    json_t *r = json_object_get(e, "roles");
    assert_int_equal(json_array_size(r), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(r, i)), roles[i]);
}

/* Exactly these entities, most mentions first. */
static void test_entity_list(void **state)
{
    (void)state;
    static const char *const ids[] = {"org:norvanta-shipping",
                                      "org:maritime-safety-authority",
                                      "person:helena-marchetti",
                                      "loc:lisbon",
                                      "org:halvorsen-marine-corp",
                                      "org:j-k-lindqvist",
                                      "person:rui-tavares",
                                      "loc:portugal",
                                      "org:bank-of-norland",
                                      "org:tarvik-oil-co",
                                      "org:coastal-research-institute",
                                      "org:white-house",
                                      "person:brandt",
                                      "person:daniel-okafor",
                                      "misc:norwegian",
                                      "misc:portuguese",
                                      "org:brekke-verft-a-s",
                                      "person:ola-brandt",
                                      "person:paulo-reis"};
    json_t *j = get_json("/v1/entities?limit=100");
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), sizeof ids / sizeof *ids);
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        assert_string_equal(str(json_array_get(data, i), "id"), ids[i]);
    json_decref(j);
}

/* "The Maritime Safety Authority (MSA)" in res-01 makes every bare MSA the same entity. */
static void test_acronym_defined_elsewhere(void **state)
{
    (void)state;
    json_t *e = entity("org:maritime-safety-authority", "Maritime Safety Authority", "ORG", 13, 2);
    assert_alias(e, "Maritime Safety Authority", 3, NULL);
    assert_alias(e, "MSA", 10, "acronym defined in res-01");
    assert_int_equal(json_integer_value(json_object_get(e, "document_count")),
                     9); /* res-01..04, 07, 08, 09, 11, 12 */
    json_decref(e);
}

/* "Coastal Research Institute ... CRI said": an acronym matching the initials in one article. */
static void test_acronym_by_initials(void **state)
{
    (void)state;
    json_t *e = entity("org:coastal-research-institute", "Coastal Research Institute", "ORG", 2, 2);
    assert_alias(e, "CRI", 1, "acronym of Coastal Research Institute in res-10");
    json_decref(e);
}

/* Marchetti alone in res-03, res-12 (never the full name there) is Helena Marchetti; her roles
 * are the title before her name and the apposition, not "Rui Tavares and other officials". */
static void test_surname_only(void **state)
{
    (void)state;
    json_t *e = entity("person:helena-marchetti", "Helena Marchetti", "PERSON", 10, 2);
    assert_alias(e, "Helena Marchetti", 2, NULL);
    assert_alias(e, "Marchetti", 8, "surname of Helena Marchetti"); /* res-18 too */
    static const char *const roles[] = {"Transport Minister"};
    assert_roles(e, roles, 1);
    json_decref(e);
    e = entity("person:rui-tavares", "Rui Tavares", "PERSON", 5, 2);
    assert_alias(e, "Tavares", 2, "short form of Rui Tavares in res-05");
    static const char *const tavares_roles[] = {"Chief Executive",
                                                "chief executive of Norvanta Shipping"};
    assert_roles(e, tavares_roles, 2);
    json_decref(e);
}

/* "Norvanta Shipping Corp" and "Norvanta Shipping" are one company; the bare name is the most
 * frequent form and wins; the case typo "Norvanta SHipping" is an alias that never wins. */
static void test_suffix_variant_and_typo(void **state)
{
    (void)state;
    json_t *e = entity("org:norvanta-shipping", "Norvanta Shipping", "ORG", 14, 3);
    assert_alias(e, "Norvanta Shipping", 11, NULL); /* res-16..18 too */
    assert_alias(e, "Norvanta Shipping Corp", 2, "suffix variant");
    assert_alias(e, "Norvanta SHipping", 1, "case variant");
    assert_int_equal(json_integer_value(json_object_get(e, "document_count")),
                     9); /* res-02, 04, 05, 07, 08, 11, 16, 17, 18 */
    json_decref(e);
}

/* Lisbon (also "Lisbon said", a metonym, and the dateline LISBON) is not Portugal. */
static void test_city_is_not_its_country(void **state)
{
    (void)state;
    json_t *e = entity("loc:lisbon", "Lisbon", "LOC", 9, 2);
    assert_alias(e, "Lisbon", 7, NULL); /* res-15 and res-18 too */
    assert_alias(e, "LISBON", 2, "case variant");
    json_decref(e);
    e = entity("loc:portugal", "Portugal", "LOC", 4, 1);
    assert_alias(e, "Portugal", 4, NULL);
    json_decref(e);
    e = entity("misc:portuguese", "Portuguese", "MISC", 1, 1);
    json_decref(e);
}

/* "Norvanta Shipping and Maritime Safety Authority agreed" gives the two entities, no third. */
static void test_conjunction(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/documents/res-08/entities");
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), 2);
    assert_string_equal(str(json_array_get(data, 0), "id"), "org:maritime-safety-authority");
    assert_string_equal(str(json_array_get(data, 1), "id"), "org:norvanta-shipping");
    json_decref(j);
}

/* "The Bank said" is the Bank of Norland where res-13 names it; where no document names the
 * bank (res-14: "The Bank said", "Commission officials said") a bare head is no entity. */
static void test_generic_heads(void **state)
{
    (void)state;
    json_t *e = entity("org:bank-of-norland", "Bank of Norland", "ORG", 3, 2);
    assert_alias(e, "Bank of Norland", 1, NULL);
    assert_alias(e, "Bank", 2, "stands for Bank of Norland in res-13");
    json_decref(e);
    json_t *j = get_json("/v1/documents/res-14/entities");
    assert_int_equal(json_array_size(json_object_get(j, "data")), 0);
    json_decref(j);
    struct http_response r = http_get(&srv, "/v1/entities/org:bank"); /* an alias: 301 */
    assert_int_equal(r.status, 301);
    char *loc = http_header(&r, "Location");
    assert_non_null(loc);
    assert_string_equal(loc, "/v1/entities/org:bank-of-norland");
    free(loc);
    http_free(&r);
    r = http_get(&srv, "/v1/entities/org:commission");
    assert_int_equal(r.status, 404);
    http_free(&r);
}

/* An institution named after its seat is an organisation, and a lowercase title before a name
 * with its qualifiers is the person's role. */
static void test_institution_and_premodifier_role(void **state)
{
    (void)state;
    json_t *e = entity("org:white-house", "White House", "ORG", 2, 1);
    json_decref(e);
    e = entity("person:daniel-okafor", "Daniel Okafor", "PERSON", 2, 2);
    assert_alias(e, "Okafor", 1, "short form of Daniel Okafor in res-15");
    static const char *const roles[] = {"White House spokesman"};
    assert_roles(e, roles, 1);
    json_decref(e);
}

/* "Halvorsen Marine Corp <HMRN.O>" and "<Brekke Verft A/S>": the ticker and the brackets are
 * no part of any name, the slashed legal form is. */
static void test_markup(void **state)
{
    (void)state;
    json_t *e = entity("org:halvorsen-marine-corp", "Halvorsen Marine Corp", "ORG", 5, 3);
    assert_alias(e, "Halvorsen Marine Corp", 2, NULL); /* res-16 and res-19 */
    assert_alias(e, "Halvorsen Marine", 1, "suffix variant");
    json_decref(e);
    e = entity("org:brekke-verft-a-s", "Brekke Verft A/S", "ORG", 1, 1);
    json_decref(e);
    json_t *j = get_json("/v1/documents/res-16/entities");
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), 4); /* the two yards, Norvanta, "Norwegian" */
    json_decref(j);
}

/* "J.K. Lindqvist" (the tagger reads initials and a surname as a person) beside "J.K. Lindqvist
 * Group Inc" is the firm; "J. K. Lindqvist" with spaced initials is the same name. */
static void test_person_named_company(void **state)
{
    (void)state;
    json_t *e = entity("org:j-k-lindqvist", "J.K. Lindqvist", "ORG", 5, 3);
    assert_alias(e, "J.K. Lindqvist", 3, NULL);
    assert_alias(e, "J.K. Lindqvist Group Inc", 1, "suffix variant");
    assert_alias(e, "J. K. Lindqvist", 1, "spelling variant");
    json_decref(e);
}

/* "Former Sen. and Marchetti adviser Paulo Reis": "Sen. and" is nobody's role, and the adviser's
 * role leaves out the name of the person he advises. */
static void test_roles_cut_short(void **state)
{
    (void)state;
    json_t *e = entity("person:paulo-reis", "Paulo Reis", "PERSON", 1, 1);
    static const char *const roles[] = {"adviser"};
    assert_roles(e, roles, 1);
    json_decref(e);
    e = entity("person:helena-marchetti", "Helena Marchetti", "PERSON", 10, 2);
    static const char *const marchetti[] = {"Transport Minister"};
    assert_roles(e, marchetti, 1);
    json_decref(e);
}

/* res-19: "Tarvik" and "Halvorsen" after "Tarvik Oil Co" and "Halvorsen Marine Corp" are those
 * companies; the full name, not the short form, is the entity's name. */
static void test_short_forms_in_document(void **state)
{
    (void)state;
    json_t *e = entity("org:tarvik-oil-co", "Tarvik Oil Co", "ORG", 3, 2);
    assert_alias(e, "Tarvik Oil Co", 1, NULL);
    assert_alias(e, "Tarvik", 2, "stands for Tarvik Oil Co in res-19");
    json_decref(e);
    e = get_json("/v1/entities/org:halvorsen-marine-corp");
    assert_int_equal(json_integer_value(json_object_get(alias(e, "Halvorsen"), "count")), 2);
    json_decref(e);
}

/* "Ola Brandt", named once in the corpus (res-19), does not take the bare "Brandt" of res-20,
 * which never names him. */
static void test_rare_full_name_keeps_its_surname(void **state)
{
    (void)state;
    json_t *e = entity("person:ola-brandt", "Ola Brandt", "PERSON", 1, 1);
    static const char *const roles[] = {"Union leader"};
    assert_roles(e, roles, 1);
    json_decref(e);
    json_t *j = get_json("/v1/documents/res-20/entities");
    json_t *data = json_object_get(j, "data");
    assert_int_equal(json_array_size(data), 1);
    assert_string_equal(str(json_array_get(data, 0), "id"), "person:brandt");
    json_decref(j);
}

/* Ids made from an alias or a document-level name answer 301 with the entity's URL. */
static void test_redirects(void **state)
{
    (void)state;
    static const char *const moved[][2] = {
        {"/v1/entities/person:marchetti", "/v1/entities/person:helena-marchetti"},
        {"/v1/entities/org:msa", "/v1/entities/org:maritime-safety-authority"},
        {"/v1/entities/org:norvanta-shipping-corp", "/v1/entities/org:norvanta-shipping"},
        {"/v1/entities/person:tavares/mentions", "/v1/entities/person:rui-tavares/mentions"},
        {"/v1/entities/org:cri/documents", "/v1/entities/org:coastal-research-institute/documents"},
    };
    for (size_t i = 0; i < sizeof moved / sizeof *moved; i++) {
        struct http_response r = http_get(&srv, moved[i][0]);
        assert_int_equal(r.status, 301);
        char *loc = http_header(&r, "Location");
        assert_non_null(loc);
        assert_string_equal(loc, moved[i][1]);
        free(loc);
        http_free(&r);
    }
    struct http_response r = http_get(&srv, "/v1/entities/person:nobody-at-all");
    assert_int_equal(r.status, 404);
    http_free(&r);
    r = http_get(&srv, "/v1/entities/loc:lisbon");
    assert_int_equal(r.status, 200); /* a real id is never redirected */
    http_free(&r);
}

/* The same corpus gives the same ids, names and counts on a second build. */
static void test_stable_ids(void **state)
{
    (void)state;
    struct server_proc again;
    assert_int_equal(server_spawn(&again, corpus_dir(), NULL), 0);
    json_t *a = get_json("/v1/entities?limit=100");
    json_t *b = get_json_from(&again, "/v1/entities?limit=100", 200);
    assert_true(json_equal(json_object_get(a, "data"), json_object_get(b, "data")));
    json_decref(a);
    json_decref(b);
    assert_int_equal(server_stop_proc(&again), 0);
}

/* --entity-overrides: split, merge and type rules change the build; a bad file stops the start. */
static void test_overrides(void **state)
{
    (void)state;
    struct server_proc ov;
    const char *extra[] = {"--entity-overrides", "tests/e2e/resolve_overrides.txt", NULL};
    assert_int_equal(server_spawn(&ov, corpus_dir(), extra), 0);
    /* the 6 bare "Marchetti" of res-03, 07, 12, 18; the 2 in res-01 and res-09 name her in full */
    json_t *e = get_json_from(&ov, "/v1/entities/person:marchetti", 200);
    assert_int_equal(json_integer_value(json_object_get(e, "mention_count")), 6);
    json_decref(e);
    e = get_json_from(&ov, "/v1/entities/person:helena-marchetti", 200);
    assert_int_equal(json_integer_value(json_object_get(e, "mention_count")), 4);
    json_decref(e);
    /* one entity, named by its most frequent form as always; the other name redirects */
    e = get_json_from(&ov, "/v1/entities/loc:lisbon", 200);
    assert_int_equal(json_integer_value(json_object_get(e, "mention_count")), 13);
    assert_alias(e, "Portugal", 4, "merged by the overrides file");
    json_decref(e);
    struct http_response r = http_get(&ov, "/v1/entities/loc:portugal");
    assert_int_equal(r.status, 301);
    http_free(&r);
    e = get_json_from(&ov, "/v1/entities/misc:coastal-research-institute", 200);
    assert_string_equal(str(e, "type"), "MISC");
    json_decref(e);
    assert_int_equal(server_stop_proc(&ov), 0);
    const char *bad[] = {"--entity-overrides", "tests/e2e/resolve_overrides_bad.txt", NULL};
    assert_int_equal(server_spawn(&ov, corpus_dir(), bad), -1); /* exits: line 1 is no rule */
    int status;
    waitpid(ov.pid, &status, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entity_list),
        cmocka_unit_test(test_acronym_defined_elsewhere),
        cmocka_unit_test(test_acronym_by_initials),
        cmocka_unit_test(test_surname_only),
        cmocka_unit_test(test_suffix_variant_and_typo),
        cmocka_unit_test(test_city_is_not_its_country),
        cmocka_unit_test(test_conjunction),
        cmocka_unit_test(test_generic_heads),
        cmocka_unit_test(test_institution_and_premodifier_role),
        cmocka_unit_test(test_markup),
        cmocka_unit_test(test_person_named_company),
        cmocka_unit_test(test_roles_cut_short),
        cmocka_unit_test(test_short_forms_in_document),
        cmocka_unit_test(test_rare_full_name_keeps_its_surname),
        cmocka_unit_test(test_redirects),
        cmocka_unit_test(test_stable_ids),
        cmocka_unit_test(test_overrides),
    };
    return cmocka_run_group_tests_name("e2e_resolve", tests, start_server, stop_server);
}
