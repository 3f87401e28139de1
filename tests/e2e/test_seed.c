/*
 * test_seed.c — end-to-end: what a reader of the seed corpus finds in the served entities and
 * timelines (its people with their roles, its organisations and their aliases, its dated events
 * and windows), over real HTTP. The endpoints' mechanics are in test_e2e.c.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ctype.h>

#include "harness.h"
#include "e2e_json.h"

static struct server_proc srv;

static int start_server(void **state)
{
    (void)state;
    return e2e_start_seed(&srv);
}

static int stop_server(void **state)
{
    (void)state;
    return e2e_stop(&srv);
}

static json_t *get_json(const char *path, long status)
{
    return e2e_get_json(&srv, path, status);
}

#define str e2e_str
#define find_by_id e2e_find_by_id

static void test_seed_people(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/entities?type=PERSON&limit=100", 200);
    json_t *data = json_object_get(j, "data");
    static const char *const people[] = {
        "person:xi-jinping", "person:donald-trump",  "person:wang-wentao",
        "person:peng-peng",  "person:ding-shuang",   "person:mike-gallagher",
        "person:jaeduk-kim", "person:lee-jae-myung", "person:xu-tianchen",
        "person:sean-king",  "person:kim-jung-kwan", "person:lee-chi-hun"};
    for (size_t i = 0; i < sizeof people / sizeof *people; i++)
        if (!find_by_id(data, people[i]))
            fail_msg("PERSON %s missing", people[i]);
    static const char *const not_people[] = {"Chinese",      "However", "Director", "Asia Economy",
                                             "Illustration", "China",   "Korea",    "Yonhap"};
    size_t i;
    json_t *e;
    json_array_foreach(data, i, e)
    {
        const char *name = str(e, "name");
        for (size_t k = 0; k < sizeof not_people / sizeof *not_people; k++)
            if (strcmp(name, not_people[k]) == 0)
                fail_msg("'%s' listed as a PERSON", name);
    }
    json_t *wang = find_by_id(data, "person:wang-wentao");
    const char *role = json_string_value(json_array_get(json_object_get(wang, "roles"), 0));
    assert_non_null(role);
    assert_non_null(strstr(role, "Minister of Commerce"));
    json_t *peng = find_by_id(data, "person:peng-peng");
    role = json_string_value(json_array_get(json_object_get(peng, "roles"), 0));
    assert_non_null(role);
    assert_non_null(strstr(role, "executive chairman of the Guangdong Society of Reform"));
    json_decref(j);
}

/* One entity per real thing: aliases gathered, co-occurrence and mentions answered. */
static void test_seed_entities(void **state)
{
    (void)state;
    json_t *us = get_json("/v1/entities/loc:united-states", 200);
    json_t *aliases = json_object_get(us, "aliases");
    bool has_us = false, has_dotted = false;
    size_t i;
    json_t *a;
    json_array_foreach(aliases, i, a)
    {
        has_us |= strcmp(str(a, "name"), "US") == 0;
        has_dotted |= strcmp(str(a, "name"), "U.S.") == 0;
    }
    assert_true(has_us && has_dotted);
    json_decref(us);
    json_t *ndrc = get_json("/v1/entities?type=ORG&q=NDRC", 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ndrc, "meta"), "total")),
                     1);
    assert_string_equal(str(json_array_get(json_object_get(ndrc, "data"), 0), "name"),
                        "National Development and Reform Commission");
    json_decref(ndrc);
    json_t *m = get_json("/v1/entities/person:xi-jinping/mentions", 200);
    assert_true(json_integer_value(json_object_get(json_object_get(m, "meta"), "total")) >= 3);
    json_t *first = json_array_get(json_object_get(m, "data"), 0);
    assert_non_null(strstr(str(first, "sentence"), str(first, "text")));
    json_decref(m);
    json_t *rel = get_json("/v1/entities/person:xi-jinping/related", 200);
    assert_true(json_array_size(json_object_get(rel, "data")) >= 1);
    json_decref(rel);
    json_t *docs = get_json("/v1/documents?entity=person:wang-wentao", 200);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(docs, "meta"), "total")),
                     2);
    json_decref(docs);
    json_t *de = get_json("/v1/documents/001_10279bbec851fb53/entities", 200);
    assert_non_null(find_by_id(json_object_get(de, "data"), "person:wang-wentao"));
    json_decref(de);
}

/* An event with this date in this document, whose sentence contains the words. */
static bool has_event(json_t *events, const char *date, const char *doc, const char *words)
{
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e)
    {
        if (strcmp(str(e, "date"), date) == 0 && strcmp(str(e, "document_id"), doc) == 0 &&
            strstr(str(e, "sentence"), words))
            return true;
    }
    return false;
}

static void test_seed_timeline(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/timeline?limit=100", 200);
    json_t *ev = json_object_get(j, "data");
    assert_true(has_event(ev, "2024-11-28", "004_d7a86e59e83000be", "Yancheng"));
    assert_true(has_event(ev, "2025-12-12", "003_3ba0d2caf4d53d76", "Dec. 12"));
    assert_true(has_event(ev, "2025-10", "003_3ba0d2caf4d53d76", "late October"));
    assert_true(has_event(ev, "2015-12", "003_3ba0d2caf4d53d76", "first-stage FTA"));
    assert_true(has_event(ev, "2018", "003_3ba0d2caf4d53d76", "surplus"));
    assert_true(has_event(ev, "2023", "003_3ba0d2caf4d53d76", "deficit"));
    for (size_t i = 1; i < json_array_size(ev); i++) /* chronological */
        assert_true(strcmp(str(json_array_get(ev, i - 1), "date"),
                           str(json_array_get(ev, i), "date")) <= 0);
    json_decref(j);
    j = get_json("/v1/timeline/histogram?interval=year", 200);
    assert_true(json_array_size(json_object_get(j, "data")) >= 5);
    json_decref(j);
    j = get_json("/v1/documents/004_d7a86e59e83000be/timexes", 200);
    json_t *t0 = json_array_get(json_object_get(j, "data"), 0);
    assert_string_equal(str(t0, "text"), "Thursday");
    assert_string_equal(str(t0, "value"), "2024-11-28");
    json_decref(j);
    j = get_json("/v1/entities/person:xi-jinping/timeline", 200);
    assert_true(json_array_size(json_object_get(j, "data")) >= 1);
    json_decref(j);
}

/* A window keeps what lies within it whatever the precision of its bounds: the month event
 * "late October" (2025-10) is within 2025-10-01 … 2025-10-31; with match=overlap a window of
 * some of its days meets it. The document's expressions carry the days they cover. */
static void test_seed_timeline_window(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/timeline?from=2025-10-01&to=2025-10-31&limit=100", 200);
    assert_true(
        has_event(json_object_get(j, "data"), "2025-10", "003_3ba0d2caf4d53d76", "late October"));
    json_decref(j);
    j = get_json("/v1/timeline?from=2025-10-27&to=2025-10-31&limit=100", 200);
    assert_false(
        has_event(json_object_get(j, "data"), "2025-10", "003_3ba0d2caf4d53d76", "late October"));
    json_decref(j);
    j = get_json("/v1/timeline?from=2025-10-27&to=2025-10-31&match=overlap&limit=100", 200);
    json_t *ev = json_object_get(j, "data");
    assert_true(has_event(ev, "2025-10", "003_3ba0d2caf4d53d76", "late October"));
    assert_false(has_event(ev, "2025-12-12", "003_3ba0d2caf4d53d76", "Dec. 12"));
    json_decref(j);
    j = get_json("/v1/documents/003_3ba0d2caf4d53d76/timexes?from=2025-10-27&to=2025-10-27"
                 "&match=overlap",
                 200);
    json_t *data = json_object_get(j, "data");
    bool late_october = false;
    size_t i;
    json_t *t;
    json_array_foreach(data, i, t)
    {
        const char *first = str(t, "first_day"), *last = str(t, "last_day");
        assert_true(strcmp(first, "2025-10-27") <= 0 && strcmp(last, "2025-10-27") >= 0);
        if (strstr(str(t, "text"), "late October")) {
            late_october = true;
            assert_string_equal(first, "2025-10-01");
            assert_string_equal(last, "2025-10-31");
        }
    }
    assert_true(late_october);
    json_decref(j);
    json_decref(get_json("/v1/documents/003_3ba0d2caf4d53d76/timexes?from=2025-13", 400));
    json_decref(get_json("/v1/timeline?from=2025-10&match=around", 400));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_people),
        cmocka_unit_test(test_seed_entities),
        cmocka_unit_test(test_seed_timeline),
        cmocka_unit_test(test_seed_timeline_window),
    };
    return cmocka_run_group_tests_name("e2e_seed", tests, start_server, stop_server);
}
