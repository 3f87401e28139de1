/*
 * test_e2e.c — end-to-end: the real corpusd serving the seed corpus, checked over real HTTP
 * (status, headers, JSON fields) for every endpoint and the error cases.
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

static void assert_problem(const char *method, const char *path, long status)
{
    struct http_response r = http_request(&srv, method, path, NULL);
    assert_int_equal(r.status, status);
    char *ct = http_header(&r, "Content-Type");
    assert_string_equal(ct, "application/problem+json");
    json_t *j = http_json(&r);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
    assert_true(json_is_string(json_object_get(j, "title")));
    assert_true(json_is_string(json_object_get(j, "detail")));
    assert_true(json_is_string(json_object_get(j, "type")));
    if (status == 405) {
        char *allow = http_header(&r, "Allow");
        assert_non_null(allow);
        assert_non_null(strstr(allow, "GET"));
        free(allow);
    }
    free(ct);
    json_decref(j);
    http_free(&r);
}

static void test_health(void **state)
{
    (void)state;
    json_t *h = get_json("/healthz", 200);
    assert_string_equal(json_string_value(json_object_get(h, "status")), "ok");
    json_decref(h);
    json_t *r = get_json("/readyz", 200);
    assert_string_equal(json_string_value(json_object_get(r, "status")), "ready");
    assert_int_equal(json_integer_value(json_object_get(r, "documents")), 5);
    json_decref(r);
}

#define find_by_id e2e_find_by_id

static void test_documents_list(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/documents", 200);
    json_t *data = json_object_get(j, "data"), *meta = json_object_get(j, "meta");
    assert_int_equal(json_array_size(data), 5);
    assert_int_equal(json_integer_value(json_object_get(meta, "total")), 5);
    assert_int_equal(json_integer_value(json_object_get(meta, "limit")), 20);
    assert_true(json_is_null(json_object_get(meta, "next_cursor")));
    static const char *const titles[][2] = {
        {"000_158f2d61013df6fa",
         "Chinese Expert: \"China Will Choose Reciprocal Compromise Over Concessions\""},
        {"001_10279bbec851fb53", "China Expresses Willingness to Cooperate with South Korea Amid "
                                 "US-China 'Semiconductor War'"},
        {"002_25efbdb467520aec", "China, South Korea boast new economic exchanges to deepen "
                                 "collaboration in a time of geopolitical strife"},
        {"004_d7a86e59e83000be",
         "Despite protectionism, room remains to strengthen China-SK industrial chain co-op"},
    };
    for (size_t i = 0; i < 4; i++) {
        json_t *d = find_by_id(data, titles[i][0]);
        assert_non_null(d);
        assert_string_equal(json_string_value(json_object_get(d, "title")), titles[i][1]);
    }
    json_t *d3 = find_by_id(data, "003_3ba0d2caf4d53d76");
    assert_non_null(d3);
    /* The page has no headline: its title is its lead, not the photo caption above it. */
    assert_non_null(strstr(json_string_value(json_object_get(d3, "title")), "China and Korea"));
    json_decref(j);
}

static void test_documents_pagination(void **state)
{
    (void)state;
    char path[512] = "/v1/documents?limit=2";
    size_t seen = 0, pages = 0;
    char ids[5][64] = {{0}};
    for (;;) {
        json_t *j = get_json(path, 200);
        json_t *data = json_object_get(j, "data");
        size_t i;
        json_t *d;
        json_array_foreach(data, i, d)
        {
            const char *id = json_string_value(json_object_get(d, "id"));
            for (size_t k = 0; k < seen; k++)
                assert_string_not_equal(ids[k], id);
            assert_true(seen < 5);
            snprintf(ids[seen++], sizeof ids[0], "%s", id);
        }
        pages++;
        json_t *next = json_object_get(json_object_get(j, "meta"), "next_cursor");
        if (json_is_null(next)) {
            json_decref(j);
            break;
        }
        snprintf(path, sizeof path, "/v1/documents?limit=2&cursor=%s", json_string_value(next));
        json_decref(j);
    }
    assert_int_equal(seen, 5);
    assert_int_equal(pages, 3);
}

static void test_documents_sort_and_filters(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/documents?sort=title", 200);
    json_t *data = json_object_get(j, "data");
    for (size_t i = 1; i < json_array_size(data); i++)
        assert_true(strcmp(json_string_value(json_object_get(json_array_get(data, i - 1), "title")),
                           json_string_value(json_object_get(json_array_get(data, i), "title"))) <=
                    0);
    json_decref(j);
    j = get_json("/v1/documents?source=Global%20Times", 200);
    assert_int_equal(json_array_size(json_object_get(j, "data")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "data"), 0), "id")),
        "004_d7a86e59e83000be");
    json_decref(j);
    j = get_json("/v1/documents?from=2024-11&to=2024-11", 200);
    assert_non_null(find_by_id(json_object_get(j, "data"), "004_d7a86e59e83000be"));
    json_decref(j);
    j = get_json("/v1/documents?q=soybean", 200);
    assert_non_null(find_by_id(json_object_get(j, "data"), "000_158f2d61013df6fa"));
    assert_null(find_by_id(json_object_get(j, "data"), "004_d7a86e59e83000be"));
    json_decref(j);
}

static void test_document_get(void **state)
{
    (void)state;
    json_t *d = get_json("/v1/documents/004_d7a86e59e83000be", 200);
    assert_string_equal(str(d, "published"), "2024-11-28");
    assert_string_equal(str(d, "precision"), "day");
    assert_false(json_is_true(json_object_get(d, "published_inferred")));
    assert_string_equal(str(d, "source"), "Global Times");
    assert_true(json_array_size(json_object_get(d, "paragraphs")) >= 10);
    json_t *p0 = json_array_get(json_object_get(d, "paragraphs"), 0);
    assert_int_equal(json_integer_value(json_object_get(p0, "start")), 0);
    json_decref(d);
    d = get_json("/v1/documents/001_10279bbec851fb53", 200);
    assert_string_equal(str(d, "source"), "Asia Business Daily");
    json_decref(d);
    d = get_json("/v1/documents/002_25efbdb467520aec", 200);
    assert_string_equal(str(d, "source"), "South China Morning Post");
    json_decref(d);
}

/* Lines every seed page carries around its article; none may survive into any text. */
static void test_no_boilerplate(void **state)
{
    (void)state;
    static const char *const boilerplate[] = {
        "Text Size",         "bar_progress",        "Join us on social",
        "Special Coverage",  "All rights reserved", "Others Also Read",
        "Next In Aseanplus", "Illustration:",       "download our mobile app",
        "Follow us on",      "SCMP Knowledge",      "SOURCE / ECONOMY",
        "Published:",        "More from South",     "How US tech curbs",
        "Typhoon",           "Gala dinner",         "Yonhap\n",
        "bizopinion@",       "\xEB\xB3\xB8"};
    json_t *list = get_json("/v1/documents", 200);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(list, "data"), i, item)
    {
        char path[256];
        snprintf(path, sizeof path, "/v1/documents/%s",
                 json_string_value(json_object_get(item, "id")));
        json_t *d = get_json(path, 200);
        const char *text = json_string_value(json_object_get(d, "text"));
        assert_true(strlen(text) > 1000);
        for (size_t k = 0; k < sizeof boilerplate / sizeof *boilerplate; k++) {
            if (strstr(text, boilerplate[k]))
                fail_msg("%s contains boilerplate '%s'", path, boilerplate[k]);
        }
        assert_null(strstr(text, "\nClose\n"));
        assert_null(strstr(text, "\nTop"));
        json_decref(d);
    }
    json_decref(list);
}

/* The span of reason whose text contains needle, or NULL. */
static json_t *find_aside(json_t *src, const char *reason, const char *needle)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(src, "set_aside"), i, a)
    {
        if (strcmp(str(a, "reason"), reason) == 0 && strstr(str(a, "text"), needle))
            return a;
    }
    return NULL;
}

/* What cleaning set aside from the seed pages is served with its reasons (issue 12). */
static void test_document_source(void **state)
{
    (void)state;
    json_t *src = get_json("/v1/documents/000_158f2d61013df6fa/source", 200);
    assert_non_null(strstr(str(src, "original"), "Text Size"));
    assert_non_null(find_aside(src, "navigation", "Text Size"));
    assert_non_null(find_aside(src, "other_script", "\xEB\xB3\xB8\xEB\xAC\xB8"));
    assert_non_null(find_aside(src, "copyright", "All rights reserved"));
    json_t *special = find_aside(src, "template", "Special Coverage");
    assert_non_null(special); /* repeated on both Asia Business Daily pages */
    assert_int_equal(json_integer_value(json_object_get(special, "pages")), 2);
    assert_int_equal(json_integer_value(json_object_get(src, "set_aside_count")),
                     json_array_size(json_object_get(src, "set_aside")));
    json_decref(src);
    src = get_json("/v1/documents/002_25efbdb467520aec/source", 200);
    assert_non_null(find_aside(src, "inline_link", "How US tech curbs"));
    assert_non_null(find_aside(src, "link_list", "Typhoon"));
    assert_non_null(find_aside(src, "promotion", "WhatsApp"));
    json_decref(src);
    /* The caption above 003 is kept as a caption, and its dateline gives the place. */
    json_t *d = get_json("/v1/documents/003_3ba0d2caf4d53d76", 200);
    assert_int_equal(json_array_size(json_object_get(d, "captions")), 1);
    assert_non_null(strstr(json_string_value(json_array_get(json_object_get(d, "captions"), 0)),
                           "gala dinner"));
    assert_string_equal(str(d, "place"), "Hong Kong");
    json_decref(d);
    json_decref(get_json("/v1/documents/no-such-document/source", 404));
}

static void test_search(void **state)
{
    (void)state;
    json_t *j = get_json("/v1/search?q=soybean", 200);
    json_t *first = json_array_get(json_object_get(j, "data"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "id")), "000_158f2d61013df6fa");
    assert_non_null(strstr(json_string_value(json_object_get(first, "snippet")), "<mark>"));
    assert_true(json_integer_value(json_object_get(json_object_get(j, "meta"), "total")) >= 1);
    json_decref(j);
    j = get_json("/v1/search?q=%22rare%20earth%22%20soy*", 200);
    assert_true(json_array_size(json_object_get(j, "data")) >= 1);
    json_decref(j);
    /* "semiconductor" is in four of the five documents: FTS5's own bm25 scored them ~0.000002;
     * BM25 with Lucene's IDF gives real scores, the article about the chip war first. */
    j = get_json("/v1/search?q=semiconductor", 200);
    first = json_array_get(json_object_get(j, "data"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "id")), "001_10279bbec851fb53");
    assert_true(json_real_value(json_object_get(first, "score")) > 0.5);
    assert_true(json_real_value(
                    json_object_get(json_array_get(json_object_get(j, "data"), 3), "score")) > 0.1);
    json_decref(j);
    /* SQL and FTS5 metacharacters are just text to search for. */
    j = get_json("/v1/search?q=%27%3B%20DROP%20TABLE%20documents%3B%20--", 200);
    assert_int_equal(json_array_size(json_object_get(j, "data")), 0);
    json_decref(j);
    j = get_json("/v1/stats", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 5);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(j, "corpus"), "files_loaded")), 5);
    json_decref(j);
}

static void test_errors(void **state)
{
    (void)state;
    assert_problem(NULL, "/v1/documents?limit=0", 400);
    assert_problem(NULL, "/v1/documents?limit=101", 400);
    assert_problem(NULL, "/v1/documents?limit=abc", 400);
    assert_problem(NULL, "/v1/documents?cursor=zzz", 400);
    assert_problem(NULL, "/v1/documents?sort=bogus", 400);
    assert_problem(NULL, "/v1/documents?from=2024-13", 400);
    assert_problem(NULL, "/v1/documents?nope=1", 400);
    assert_problem(NULL, "/v1/search?q=%22unbalanced", 400);
    assert_problem(NULL, "/v1/search", 400);
    assert_problem(NULL, "/v1/nope", 404);
    assert_problem(NULL, "/v1/documents/no-such-doc", 404);
    assert_problem("POST", "/v1/documents", 405);
    assert_problem("DELETE", "/v1/documents/004_d7a86e59e83000be", 405);
}

static void test_etag_head_cors(void **state)
{
    (void)state;
    struct http_response a = http_get(&srv, "/v1/documents/004_d7a86e59e83000be");
    char *etag = http_header(&a, "ETag");
    assert_non_null(etag);
    char *cors = http_header(&a, "Access-Control-Allow-Origin");
    assert_string_equal(cors, "*");
    char inm[128];
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *hdrs[] = {inm, NULL};
    struct http_response b = http_request(&srv, NULL, "/v1/documents/004_d7a86e59e83000be", hdrs);
    assert_int_equal(b.status, 304);
    assert_int_equal(b.body_len, 0);
    struct http_response h = http_request(&srv, "HEAD", "/v1/documents/004_d7a86e59e83000be", NULL);
    assert_int_equal(h.status, 200);
    assert_int_equal(h.body_len, 0);
    char *hetag = http_header(&h, "ETag");
    assert_string_equal(hetag, etag);
    struct http_response o = http_request(&srv, "OPTIONS", "/v1/documents", NULL);
    assert_int_equal(o.status, 204);
    char *methods = http_header(&o, "Access-Control-Allow-Methods");
    assert_non_null(methods);
    assert_non_null(strstr(methods, "GET"));
    free(methods);
    free(hetag);
    free(cors);
    free(etag);
    http_free(&a);
    http_free(&b);
    http_free(&h);
    http_free(&o);
}

/* The people of the seed articles, with their stated roles; nothing that is not a person. */
static json_int_t meta_total(json_t *j)
{
    return json_integer_value(json_object_get(json_object_get(j, "meta"), "total"));
}

/* /v1/sources: each publisher once with the number of its documents, most first; q by part of
 * the name in any case; keyset pages. */
static void test_sources(void **state)
{
    (void)state;
    json_t *docs = get_json("/v1/documents?limit=100", 200);
    json_int_t with_source = 0;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(docs, "data"), i, d) with_source +=
        json_is_string(json_object_get(d, "source"));
    json_decref(docs);

    json_t *j = get_json("/v1/sources?limit=100", 200);
    json_t *data = json_object_get(j, "data");
    assert_true(json_array_size(data) >= 2);
    assert_int_equal(meta_total(j), json_array_size(data));
    json_int_t sum = 0, prev = -1;
    json_t *s;
    json_array_foreach(data, i, s)
    {
        json_int_t n = json_integer_value(json_object_get(s, "document_count"));
        assert_true(n >= 1);
        if (prev >= 0)
            assert_true(prev >= n);
        prev = n;
        sum += n;
        char *name = curl_easy_escape(NULL, str(s, "name"), 0);
        char path[512];
        snprintf(path, sizeof path, "/v1/documents?source=%s&limit=1", name);
        curl_free(name);
        json_t *by = get_json(path, 200);
        assert_int_equal(meta_total(by), n);
        json_decref(by);
    }
    assert_int_equal(sum, with_source);

    /* A part of the first name, lower-cased, finds it. */
    const char *first = str(json_array_get(data, 0), "name");
    char part[8] = "";
    for (size_t k = 0; k < 4 && first[k + 1]; k++)
        part[k] = (char)tolower((unsigned char)first[k + 1]);
    char *esc = curl_easy_escape(NULL, part, 0), path[128];
    snprintf(path, sizeof path, "/v1/sources?q=%s", esc);
    curl_free(esc);
    json_t *found = get_json(path, 200);
    assert_string_equal(str(json_array_get(json_object_get(found, "data"), 0), "name"), first);
    json_decref(found);

    /* One a page: the second page is the second source. */
    json_t *p1 = get_json("/v1/sources?limit=1", 200);
    const char *cursor =
        json_string_value(json_object_get(json_object_get(p1, "meta"), "next_cursor"));
    assert_non_null(cursor);
    snprintf(path, sizeof path, "/v1/sources?limit=1&cursor=%s", cursor);
    json_t *p2 = get_json(path, 200);
    assert_string_equal(str(json_array_get(json_object_get(p2, "data"), 0), "name"),
                        str(json_array_get(data, 1), "name"));
    json_decref(p1);
    json_decref(p2);
    json_decref(j);
    json_decref(get_json("/v1/sources?q=zzzzqqqq", 200));
    assert_problem("GET", "/v1/sources?cursor=nonsense", 400);
}

/* Enumerated values in any case: ids read `person:…`, so type=person is type=PERSON. */
static void test_enums_any_case(void **state)
{
    (void)state;
    json_t *upper = get_json("/v1/entities?type=PERSON&limit=100", 200);
    json_t *lower = get_json("/v1/entities?type=person&limit=100", 200);
    assert_true(meta_total(lower) > 0);
    assert_int_equal(meta_total(lower), meta_total(upper));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(lower, "data"), i, e)
        assert_string_equal(str(e, "type"), "PERSON");
    json_decref(upper);
    json_decref(lower);
    json_t *h = get_json("/v1/timeline/histogram?interval=Year", 200);
    assert_string_equal(str(json_object_get(h, "meta"), "interval"), "year");
    json_decref(h);
    json_decref(get_json("/v1/documents?sort=TITLE", 200));
    assert_problem("GET", "/v1/entities?type=people", 400);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health),
        cmocka_unit_test(test_documents_list),
        cmocka_unit_test(test_documents_pagination),
        cmocka_unit_test(test_documents_sort_and_filters),
        cmocka_unit_test(test_document_get),
        cmocka_unit_test(test_no_boilerplate),
        cmocka_unit_test(test_document_source),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_etag_head_cors),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_enums_any_case),
    };
    return cmocka_run_group_tests_name("e2e", tests, start_server, stop_server);
}
