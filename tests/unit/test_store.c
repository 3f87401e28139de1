/*
 * test_store.c — building the store from the seed corpus and every document query: filters,
 * sorts, keyset cursors, full-text search and the query compiler that keeps FTS5 syntax safe.
 */
#define TEST_UTIL_SEED_STORE
#include "test_util.h"

#include "ingest/text/corpus.h"
#include "store/build.h"
#include "store/documents.h"

struct fixture {
    struct store *store;
    struct store_conn *conn;
};

static int setup(void **state)
{
    char *err = NULL;
    struct fixture *f = calloc(1, sizeof *f);
    if (!(f->store = test_seed_store()) || !(f->conn = store_acquire(f->store, &err)))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_release(f->conn);
    store_unref(f->store);
    free(f);
    return 0;
}

struct rows {
    char ids[8][64];
    char keys[8][256];
    size_t n;
};

static int collect(void *ctx, const struct store_doc *d)
{
    struct rows *r = ctx;
    if (r->n < 8) {
        snprintf(r->ids[r->n], sizeof r->ids[0], "%s", d->id);
        snprintf(r->keys[r->n], sizeof r->keys[0], "%s", d->title);
        r->n++;
    }
    return 0;
}

static void test_counts(void **state)
{
    struct fixture *f = *state;
    const struct store_counts *c = store_counts(f->store);
    assert_int_equal(c->documents, 5);
}

static void test_list_sorted_by_title_with_cursor(void **state)
{
    struct fixture *f = *state;
    struct store_doc_filter filter = {.sort = DOC_SORT_TITLE, .limit = 3};
    struct rows first = {0}, rest = {0};
    long long total = 0;
    assert_int_equal(store_documents_list(f->conn, &filter, collect, &first, &total), STORE_OK);
    assert_int_equal(total, 5);
    assert_int_equal(first.n, 3);
    assert_true(strcmp(first.keys[0], first.keys[1]) <= 0);
    assert_true(strcmp(first.keys[1], first.keys[2]) <= 0);
    filter.after_key = first.keys[2];
    filter.after_id = first.ids[2];
    assert_int_equal(store_documents_list(f->conn, &filter, collect, &rest, &total), STORE_OK);
    assert_int_equal(rest.n, 2);
    assert_int_equal(total, 5); /* the total ignores the cursor */
    assert_true(strcmp(first.keys[2], rest.keys[0]) <= 0);
}

static void test_list_filters(void **state)
{
    struct fixture *f = *state;
    struct rows r = {0};
    long long total = 0;
    struct store_doc_filter by_source = {.source = "Asia Business Daily", .limit = 10};
    assert_int_equal(store_documents_list(f->conn, &by_source, collect, &r, &total), STORE_OK);
    assert_int_equal(total, 2);
    memset(&r, 0, sizeof r);
    struct store_doc_filter by_text = {.fts = "\"Hyundai\"", .limit = 10};
    assert_int_equal(store_documents_list(f->conn, &by_text, collect, &r, &total), STORE_OK);
    assert_int_equal(total, 1);
    assert_string_equal(r.ids[0], "002_25efbdb467520aec");
}

static void test_document_get(void **state)
{
    struct fixture *f = *state;
    struct rows r = {0};
    assert_int_equal(store_document_get(f->conn, "001_10279bbec851fb53", collect, &r), STORE_OK);
    assert_string_equal(r.ids[0], "001_10279bbec851fb53");
    assert_int_equal(store_document_get(f->conn, "nope", collect, &r), STORE_NOT_FOUND);
    assert_true(store_document_exists(f->conn, "003_3ba0d2caf4d53d76"));
    assert_false(store_document_exists(f->conn, "' OR 1=1 --"));
}

static void test_search_ranking(void **state)
{
    struct fixture *f = *state;
    struct rows r = {0};
    long long total = 0;
    assert_int_equal(store_search(f->conn, "\"soybean\"", 10, 0, collect, &r, &total), STORE_OK);
    assert_true(total >= 1);
    assert_string_equal(r.ids[0], "000_158f2d61013df6fa");
    memset(&r, 0, sizeof r);
    assert_int_equal(store_search(f->conn, "\"soy\"*", 10, 0, collect, &r, &total), STORE_OK);
    assert_true(total >= 1);
    assert_int_equal(store_search(f->conn, "\"a\" AND AND", 10, 0, collect, &r, &total),
                     STORE_BAD_QUERY);
}

static void assert_compiles(const char *q, const char *expected)
{
    const char *err = NULL;
    char *fts = store_search_compile(q, &err);
    if (!expected) {
        assert_null(fts);
        assert_non_null(err);
        return;
    }
    assert_non_null(fts);
    assert_string_equal(fts, expected);
    free(fts);
}

static void test_search_compile(void **state)
{
    (void)state;
    assert_compiles("soybean", "\"soybean\"");
    assert_compiles("\"rare earth\" soy*", "\"rare earth\" \"soy\"*");
    assert_compiles("tariff OR sanction", "\"tariff\" OR \"sanction\"");
    assert_compiles("OR tariff", "\"OR\" \"tariff\"");
    assert_compiles("(chip OR chips) NOT Nvidia", "( \"chip\" OR \"chips\" ) NOT \"Nvidia\"");
    assert_compiles("'; DROP TABLE documents; --", "\"DROP\" \"TABLE\" \"documents;\"");
    assert_compiles("title:secret", "\"title:secret\"");
    assert_compiles("\"unbalanced", NULL);
    assert_compiles("(open", NULL);
    assert_compiles("close)", NULL);
    assert_compiles("   ", NULL);
    assert_compiles("-- ;", NULL);
}

static void test_entity_ids(void **state)
{
    (void)state;
    char id[128];
    store_entity_id(ENTITY_PERSON, "Xi Jinping", id, sizeof id);
    assert_string_equal(id, "person:xi-jinping");
    store_entity_id(ENTITY_ORG, "Samsung Electronics Co., Ltd.", id, sizeof id);
    assert_string_equal(id, "org:samsung-electronics-co-ltd");
    store_entity_id(ENTITY_LOC, "U.S.", id, sizeof id);
    assert_string_equal(id, "loc:u-s");
    store_entity_id(ENTITY_MISC, "Chips and Science Act", id, sizeof id);
    assert_string_equal(id, "misc:chips-and-science-act");
    store_entity_id(ENTITY_PERSON,
                    "O\xE2\x80\x99"
                    "Brien",
                    id, sizeof id); /* O’Brien */
    assert_string_equal(id, "person:obrien");
    store_entity_id(ENTITY_PERSON, "O'Brien", id, sizeof id);
    assert_string_equal(id, "person:obrien");
    store_entity_id(ENTITY_LOC, "S\xC3\xA3o Paulo \xE2\x80\x94 Brazil", id, sizeof id);
    assert_string_equal(id, "loc:s\xC3\xA3o-paulo-brazil");        /* são-paulo-brazil */
    store_entity_id(ENTITY_PERSON, "\xC3\x89mile", id, sizeof id); /* Émile */
    assert_string_equal(id, "person:\xC3\xA9mile");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_list_sorted_by_title_with_cursor),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_document_get),
        cmocka_unit_test(test_search_ranking),
        cmocka_unit_test(test_search_compile),
        cmocka_unit_test(test_entity_ids),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
