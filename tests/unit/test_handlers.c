/*
 * test_handlers.c — handlers called directly with requests over a store built from the seed
 * corpus: parameters, cursors, list envelopes, problems and snippets.
 */
#define TEST_UTIL_SEED_STORE
#define TEST_UTIL_STORE_FIXTURE
#include "test_util.h"

#include "handlers/handlers.h"
#include "handlers/params.h"
#include "ingest/corpus.h"

static int setup(void **state)
{
    return test_fixture_open(state, test_seed_store());
}

/* Runs handler with "k=v" arguments (NULL-terminated pairs) and returns the parsed body. */
static json_t *call(struct fixture *f, handler_fn h, const char *param, const char *const *kv,
                    int expected_status)
{
    struct request req = {.method = "GET", .path = "/", .db = f->conn, .store = f->store};
    if (param)
        req.params[req.n_params++] = param;
    for (size_t i = 0; kv && kv[i]; i += 2)
        req.args[req.n_args++] = (struct query_arg){kv[i], kv[i + 1]};
    struct reply rep = {0};
    h(&req, &rep);
    assert_int_equal(rep.status, expected_status);
    json_t *j = json_loadb(rep.body, rep.body_len, 0, NULL);
    assert_non_null(j);
    if (expected_status >= 400) {
        assert_string_equal(rep.content_type, "application/problem+json");
        assert_int_equal(json_integer_value(json_object_get(j, "status")), expected_status);
    }
    free(rep.body);
    return j;
}

static void test_list_pages_with_cursor(void **state)
{
    struct fixture *f = *state;
    const char *first_args[] = {"limit", "3", "sort", "title", NULL};
    json_t *p1 = call(f, handle_documents_list, NULL, first_args, 200);
    json_t *meta = json_object_get(p1, "meta");
    assert_int_equal(json_integer_value(json_object_get(meta, "total")), 5);
    assert_int_equal(json_integer_value(json_object_get(meta, "limit")), 3);
    const char *cursor = json_string_value(json_object_get(meta, "next_cursor"));
    assert_non_null(cursor);
    const char *next_args[] = {"limit", "3", "sort", "title", "cursor", cursor, NULL};
    json_t *p2 = call(f, handle_documents_list, NULL, next_args, 200);
    assert_int_equal(json_array_size(json_object_get(p2, "data")), 2);
    assert_true(json_is_null(json_object_get(json_object_get(p2, "meta"), "next_cursor")));
    /* A cursor of one sort is refused by another. */
    const char *mixed[] = {"sort", "published", "cursor", cursor, NULL};
    json_decref(call(f, handle_documents_list, NULL, mixed, 400));
    json_decref(p1);
    json_decref(p2);
}

/* A last page that is exactly full has no next cursor (not one that leads to an empty page). */
static void test_full_last_page_ends_the_list(void **state)
{
    struct fixture *f = *state;
    char *cursor = NULL;
    size_t pages = 0, rows = 0;
    for (;;) {
        const char *args[] = {"limit", "1", cursor ? "cursor" : NULL, cursor, NULL};
        json_t *j = call(f, handle_documents_list, NULL, args, 200);
        size_t n = json_array_size(json_object_get(j, "data"));
        assert_int_equal(n, 1); /* never an empty page */
        rows += n;
        pages++;
        const char *next =
            json_string_value(json_object_get(json_object_get(j, "meta"), "next_cursor"));
        free(cursor);
        cursor = next ? strdup(next) : NULL;
        json_decref(j);
        if (!cursor)
            break;
        assert_true(pages < 10);
    }
    assert_int_equal(pages, 5);
    assert_int_equal(rows, 5);
}

static void test_bad_parameters(void **state)
{
    struct fixture *f = *state;
    const char *const bad[][2] = {{"limit", "0"},         {"limit", "abc"},   {"limit", "-1"},
                                  {"limit", "1e2"},       {"cursor", "zzz"},  {"cursor", ""},
                                  {"from", "2024-02-30"}, {"to", "24-01-01"}, {"sort", "x"},
                                  {"q", "\"open"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *args[] = {bad[i][0], bad[i][1], NULL};
        json_t *j = call(f, handle_documents_list, NULL, args, 400);
        assert_non_null(strstr(json_string_value(json_object_get(j, "detail")), bad[i][0]));
        json_decref(j);
    }
}

static void test_document_and_missing(void **state)
{
    struct fixture *f = *state;
    json_t *d = call(f, handle_document_get, "001_10279bbec851fb53", NULL, 200);
    assert_true(json_string_length(json_object_get(d, "text")) > 1000);
    assert_true(json_array_size(json_object_get(d, "paragraphs")) >= 10);
    assert_true(json_is_integer(json_object_get(d, "word_count")));
    json_decref(d);
    json_t *p = call(f, handle_document_get, "missing", NULL, 404);
    assert_string_equal(json_string_value(json_object_get(p, "title")), "Not Found");
    json_decref(p);
}

static void test_search_snippets(void **state)
{
    struct fixture *f = *state;
    const char *args[] = {"q", "Nvidia", "limit", "1", NULL};
    json_t *j = call(f, handle_search, NULL, args, 200);
    json_t *hit = json_array_get(json_object_get(j, "data"), 0);
    const char *snippet = json_string_value(json_object_get(hit, "snippet"));
    assert_non_null(strstr(snippet, "<mark>Nvidia</mark>"));
    assert_null(strchr(snippet, '\x01'));
    json_decref(j);
    json_decref(call(f, handle_search, NULL, NULL, 400));
}

static void test_cursor_roundtrip(void **state)
{
    (void)state;
    char *c = cursor_encode('t', "A title \xE2\x80\x9Cquoted\xE2\x80\x9D", "doc-1");
    struct request req = {.n_args = 1};
    req.args[0] = (struct query_arg){"cursor", c};
    struct reply rep = {0};
    char *key, *id;
    assert_true(param_cursor(&req, &rep, 't', &key, &id));
    assert_string_equal(key, "A title \xE2\x80\x9Cquoted\xE2\x80\x9D");
    assert_string_equal(id, "doc-1");
    free(key);
    free(id);
    assert_false(param_cursor(&req, &rep, 'p', &key, &id));
    assert_int_equal(rep.status, 400);
    free(rep.body);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_pages_with_cursor),
        cmocka_unit_test(test_full_last_page_ends_the_list),
        cmocka_unit_test(test_bad_parameters),
        cmocka_unit_test(test_document_and_missing),
        cmocka_unit_test(test_search_snippets),
        cmocka_unit_test(test_cursor_roundtrip),
    };
    return cmocka_run_group_tests_name("handlers", tests, setup, test_fixture_close);
}
