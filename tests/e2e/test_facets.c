/*
 * test_facets.c — end-to-end checks of near-duplicate groups (duplicates on a document,
 * collapse=duplicates on lists and search) and of facets (meta.facets), on a small JSONL corpus
 * the test writes: an earthquake story, its correction from another paper the same day (one word
 * changed), the same story again seven weeks later (too far apart to be a reprint), and an
 * unrelated harvest story.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include "harness.h"
#include "e2e_json.h"

static struct server_proc srv;
static char corpus[64];

#define QUAKE_TEXT(verb)                                                                           \
    "MANILA, May 2 - A strong earthquake shook the northern province of the Philippines on "       \
    "Thursday, damaging bridges and cutting power to thousands of homes, " verb " said. The "      \
    "quake struck in the early morning near the provincial capital, and rescue teams were sent "   \
    "from the capital to search collapsed buildings. Schools were closed and hospitals moved "     \
    "patients outdoors as aftershocks continued through the day. The national disaster agency "    \
    "said it was still counting the damage to roads, farms and ports in the region.\\n\\n "        \
    "Reuter"

static const char *const docs[] = {
    "{\"id\":\"quake-1\",\"title\":\"Earthquake hits northern Philippines\",\"source\":\"Daily "
    "Wire\",\"published\":\"2024-05-02\",\"text\":\"" QUAKE_TEXT("officials") "\"}",
    "{\"id\":\"quake-2\",\"title\":\"Earthquake hits northern Philippines\",\"source\":\"Evening "
    "Post\",\"published\":\"2024-05-02\",\"text\":\"" QUAKE_TEXT("authorities") "\"}",
    "{\"id\":\"quake-3\",\"title\":\"Earthquake hits northern Philippines\",\"source\":\"Daily "
    "Wire\",\"published\":\"2024-06-20\",\"text\":\"" QUAKE_TEXT("officials") "\"}",
    "{\"id\":\"harvest\",\"title\":\"Rice harvest beats forecasts\",\"source\":\"Daily "
    "Wire\",\"published\":\"2024-06-10\",\"text\":\"TOKYO, June 10 - Farmers in Japan brought in "
    "a larger rice harvest than the ministry had forecast, helped by a warm spring and few "
    "storms, the agriculture ministry said on Monday. Prices at the wholesale markets fell for "
    "the third week.\\n\\n Reuter\"}",
};

static int start(void **state)
{
    (void)state;
    return e2e_start_jsonl(&srv, corpus, "facets", docs, sizeof docs / sizeof *docs);
}

static int stop(void **state)
{
    (void)state;
    return e2e_stop_jsonl(&srv, corpus);
}

static json_t *get_json(const char *path, long status)
{
    return e2e_get_json(&srv, path, status);
}

#define str e2e_str

static long long num(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    assert_true(json_is_integer(v));
    return json_integer_value(v);
}

/* The ids of a document's near-duplicates, joined by ',' into out. */
static void duplicate_ids(const char *id, char *rep, size_t rep_size, char *out, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/documents/%s", id);
    json_t *d = get_json(path, 200);
    json_t *dup = json_object_get(d, "duplicates");
    assert_true(json_is_object(dup));
    snprintf(rep, rep_size, "%s", str(dup, "representative"));
    out[0] = '\0';
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(dup, "ids"), i, v)
    {
        if (i)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, json_string_value(v), size - strlen(out) - 1);
    }
    json_decref(d);
}

/* The reprint and its correction are one group, whose representative is the first by date then
 * id; the same text seven weeks later and the unrelated story are alone. */
static void test_duplicate_groups(void **state)
{
    (void)state;
    char rep[64], ids[256];
    duplicate_ids("quake-1", rep, sizeof rep, ids, sizeof ids);
    assert_string_equal(rep, "quake-1");
    assert_string_equal(ids, "quake-2");
    duplicate_ids("quake-2", rep, sizeof rep, ids, sizeof ids);
    assert_string_equal(rep, "quake-1");
    assert_string_equal(ids, "quake-1");
    duplicate_ids("quake-3", rep, sizeof rep, ids, sizeof ids);
    assert_string_equal(rep, "quake-3");
    assert_string_equal(ids, "");
    duplicate_ids("harvest", rep, sizeof rep, ids, sizeof ids);
    assert_string_equal(rep, "harvest");
    assert_string_equal(ids, "");
}

/* The ids of a list page joined by ',', and each row's collapsed_duplicates. */
static void page_ids(json_t *body, char *out, size_t size, long long *collapsed)
{
    out[0] = '\0';
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(body, "data"), i, d)
    {
        if (i)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, str(d, "id"), size - strlen(out) - 1);
        if (collapsed)
            collapsed[i] = num(d, "collapsed_duplicates");
        else
            assert_null(json_object_get(d, "collapsed_duplicates"));
    }
}

static void test_collapse_documents(void **state)
{
    (void)state;
    char ids[256];
    long long collapsed[8];
    json_t *all = get_json("/v1/documents", 200);
    assert_int_equal(num(json_object_get(all, "meta"), "total"), 4);
    page_ids(all, ids, sizeof ids, NULL);
    json_decref(all);
    /* newest first: of the group, quake-2 comes first (same day, greater id) */
    json_t *c = get_json("/v1/documents?collapse=duplicates", 200);
    assert_int_equal(num(json_object_get(c, "meta"), "total"), 3);
    page_ids(c, ids, sizeof ids, collapsed);
    assert_string_equal(ids, "quake-3,harvest,quake-2");
    assert_int_equal(collapsed[0], 0);
    assert_int_equal(collapsed[1], 0);
    assert_int_equal(collapsed[2], 1);
    json_decref(c);
    c = get_json("/v1/documents?collapse=DUPLICATES&sort=published&limit=1", 200);
    page_ids(c, ids, sizeof ids, collapsed);
    assert_string_equal(ids, "quake-1");
    assert_int_equal(collapsed[0], 1);
    json_decref(c);
    /* the correction's paper alone: its group-mate does not pass the filter */
    c = get_json("/v1/documents?collapse=duplicates&source=Evening%20Post", 200);
    page_ids(c, ids, sizeof ids, collapsed);
    assert_string_equal(ids, "quake-2");
    assert_int_equal(collapsed[0], 0);
    json_decref(c);
    /* pages of a collapsed list go on with its cursor */
    c = get_json("/v1/documents?collapse=duplicates&limit=2", 200);
    const char *next = json_string_value(json_object_get(json_object_get(c, "meta"), "next"));
    assert_non_null(next);
    json_t *p2 = get_json(next, 200);
    page_ids(p2, ids, sizeof ids, collapsed);
    assert_string_equal(ids, "quake-2");
    json_decref(p2);
    json_decref(c);
    /* the NDJSON export of the collapsed list: its three documents */
    struct http_response r = http_get(&srv, "/v1/documents?collapse=duplicates&format=ndjson");
    assert_int_equal(r.status, 200);
    size_t lines = 0;
    for (size_t i = 0; i < r.body_len; i++)
        lines += r.body[i] == '\n';
    assert_int_equal(lines, 3);
    assert_non_null(strstr(r.body, "\"collapsed_duplicates\":1"));
    http_free(&r);
}

static void test_collapse_search(void **state)
{
    (void)state;
    json_t *s = get_json("/v1/search?q=earthquake", 200);
    assert_int_equal(num(json_object_get(s, "meta"), "total"), 3);
    json_decref(s);
    s = get_json("/v1/search?q=earthquake&collapse=duplicates", 200);
    assert_int_equal(num(json_object_get(s, "meta"), "total"), 2);
    json_t *data = json_object_get(s, "data");
    assert_int_equal(json_array_size(data), 2);
    long long folded = 0;
    bool group_seen = false;
    for (size_t i = 0; i < 2; i++) {
        json_t *h = json_array_get(data, i);
        const char *id = str(h, "id");
        folded += num(h, "collapsed_duplicates");
        group_seen |= strcmp(id, "quake-1") == 0 || strcmp(id, "quake-2") == 0;
        assert_non_null(strstr(str(h, "snippet"), "<mark>"));
    }
    assert_true(group_seen);
    assert_int_equal(folded, 1);
    json_decref(s);
}

/* The values of one facet as "value=count" joined by ',' (null as "-"). */
static void facet_values(json_t *body, const char *facet, char *out, size_t size, bool *truncated)
{
    json_t *f = json_object_get(json_object_get(json_object_get(body, "meta"), "facets"), facet);
    assert_true(json_is_object(f));
    *truncated = json_is_true(json_object_get(f, "truncated"));
    out[0] = '\0';
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(f, "values"), i, v)
    {
        char one[160];
        const char *value = json_string_value(json_object_get(v, "value"));
        snprintf(one, sizeof one, "%s%s=%lld", i ? "," : "", value ? value : "-", num(v, "count"));
        strncat(out, one, size - strlen(out) - 1);
    }
}

static void test_facets_values(void **state)
{
    (void)state;
    char v[512];
    bool truncated;
    json_t *b = get_json("/v1/documents?facet=source,year,month&limit=1", 200);
    facet_values(b, "source", v, sizeof v, &truncated);
    assert_string_equal(v, "Daily Wire=3,Evening Post=1"); /* adds up to meta.total: 4 */
    assert_false(truncated);
    facet_values(b, "year", v, sizeof v, &truncated);
    assert_string_equal(v, "2024=4");
    facet_values(b, "month", v, sizeof v, &truncated);
    assert_string_equal(v, "2024-05=2,2024-06=2");
    json_decref(b);
    /* under the list's filters, collapse included (quake-2 stands for its group) */
    b = get_json("/v1/documents?collapse=duplicates&facet=source", 200);
    facet_values(b, "source", v, sizeof v, &truncated);
    assert_string_equal(v, "Daily Wire=2,Evening Post=1");
    json_decref(b);
    b = get_json("/v1/documents?from=2024-06&facet=source&facet=month", 200);
    assert_int_equal(num(json_object_get(b, "meta"), "total"), 2);
    facet_values(b, "source", v, sizeof v, &truncated);
    assert_string_equal(v, "Daily Wire=2");
    facet_values(b, "month", v, sizeof v, &truncated);
    assert_string_equal(v, "2024-06=2");
    json_decref(b);
    b = get_json("/v1/search?q=earthquake&facet=month,source&facet_size=1", 200);
    facet_values(b, "month", v, sizeof v, &truncated);
    assert_string_equal(v, "2024-05=2");
    assert_true(truncated);
    facet_values(b, "source", v, sizeof v, &truncated);
    assert_string_equal(v, "Daily Wire=2");
    assert_true(truncated);
    json_decref(b);
}

/* Entities: each count is the number of listed documents that mention it, which for the whole
 * corpus is the entity's own document_count; types count documents once per type. */
static void test_facets_entities(void **state)
{
    (void)state;
    json_t *b = get_json("/v1/documents?facet=entity,type&facet_size=100", 200);
    json_t *facets = json_object_get(json_object_get(b, "meta"), "facets");
    json_t *values = json_object_get(json_object_get(facets, "entity"), "values");
    assert_true(json_array_size(values) > 0);
    size_t i;
    json_t *v;
    bool manila = false;
    json_array_foreach(values, i, v)
    {
        char path[256];
        snprintf(path, sizeof path, "/v1/entities/%s", str(v, "value"));
        json_t *e = get_json(path, 200);
        assert_int_equal(num(v, "count"), num(e, "document_count"));
        assert_string_equal(str(v, "name"), str(e, "name"));
        assert_string_equal(str(v, "type"), str(e, "type"));
        json_decref(e);
        manila |= strcmp(str(v, "value"), "loc:manila") == 0 && num(v, "count") == 3;
    }
    assert_true(manila); /* the dateline place of the three earthquake stories */
    json_t *types = json_object_get(json_object_get(facets, "type"), "values");
    assert_string_equal(str(json_array_get(types, 0), "value"), "LOC");
    assert_int_equal(num(json_array_get(types, 0), "count"), 4);
    json_decref(b);
    /* a filtered list: Manila in the two stories of May */
    b = get_json("/v1/documents?to=2024-05&facet=entity&facet_size=100", 200);
    values = json_object_get(json_object_get(json_object_get(b, "meta"), "facets"), "entity");
    manila = false;
    json_array_foreach(json_object_get(values, "values"), i, v)
    {
        assert_true(num(v, "count") <= 2);
        manila |= strcmp(str(v, "value"), "loc:manila") == 0 && num(v, "count") == 2;
    }
    assert_true(manila);
    json_decref(b);
}

static void assert_400(const char *path, const char *detail)
{
    json_t *p = get_json(path, 400);
    if (!strstr(str(p, "detail"), detail))
        fprintf(stderr, "%s: detail '%s' lacks '%s'\n", path, str(p, "detail"), detail);
    assert_non_null(strstr(str(p, "detail"), detail));
    json_decref(p);
}

static void test_bad_options(void **state)
{
    (void)state;
    assert_400("/v1/documents?facet=source,bogus", "unknown facet 'bogus'");
    assert_400("/v1/search?q=earthquake&facet=colour", "unknown facet 'colour'");
    assert_400("/v1/documents?facet=year,year", "'year' is asked for more than once");
    assert_400("/v1/documents?facet=", "unknown facet ''");
    assert_400("/v1/documents?facet=year&facet_size=0", "facet_size");
    assert_400("/v1/documents?facet=year&format=csv", "needs format=json");
    assert_400("/v1/documents?facet=year&format=ndjson", "needs format=json");
    assert_400("/v1/documents?collapse=copies", "collapse");
    assert_400("/v1/search?q=earthquake&collapse=duplicates&format=ndjson", "ndjson");
    assert_400("/v1/documents?collapse=duplicates&collapse=duplicates", "more than once");
    /* a repeatable parameter filling every argument slot: an export has no room for its pages */
    char many[1024] = "/v1/documents?format=ndjson";
    for (int i = 0; i < 31; i++)
        strncat(many, "&facet=year", sizeof many - strlen(many) - 1);
    assert_400(many, "too many query parameters for an export");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duplicate_groups), cmocka_unit_test(test_collapse_documents),
        cmocka_unit_test(test_collapse_search),  cmocka_unit_test(test_facets_values),
        cmocka_unit_test(test_facets_entities),  cmocka_unit_test(test_bad_options),
    };
    return cmocka_run_group_tests_name("e2e_facets", tests, start, stop);
}
