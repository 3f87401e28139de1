/*
 * test_store.c — building the store from the seed corpus and every document query: filters,
 * sorts, keyset cursors, full-text search and the query compiler that keeps FTS5 syntax safe.
 */
#define TEST_UTIL_SEED_STORE
#define TEST_UTIL_STORE_FIXTURE
#include "test_util.h"

#include <jansson.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/hash.h"

#include "ingest/corpus.h"
#include "store/build.h"
#include "store/documents.h"

static int setup(void **state)
{
    return test_fixture_open(state, test_seed_store());
}

struct rows {
    char ids[8][64];
    char keys[8][256];
    char snippets[8][512];
    double scores[8];
    size_t n;
};

static int collect(void *ctx, const struct store_doc *d)
{
    struct rows *r = ctx;
    if (r->n < 8) {
        snprintf(r->ids[r->n], sizeof r->ids[0], "%s", d->id);
        snprintf(r->keys[r->n], sizeof r->keys[0], "%s", d->title);
        snprintf(r->snippets[r->n], sizeof r->snippets[0], "%s", d->snippet ? d->snippet : "");
        r->scores[r->n] = d->score;
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

/* A frequent term is answered from the hits ranked when the store was built; they must be what
 * the full-text query gives. "x" AND "x" goes the full-text way (not one plain term) and ranks
 * the same documents in the same order with twice the score. */
static void test_search_top_terms_match_full_text(void **state)
{
    struct fixture *f = *state;
    const char *terms[] = {"said", "the", "and", "Korea"};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        char one[64], twice[128];
        snprintf(one, sizeof one, "\"%s\"", terms[i]);
        snprintf(twice, sizeof twice, "\"%s\" AND \"%s\"", terms[i], terms[i]);
        for (long long offset = 0; offset < 3; offset += 2) {
            struct rows top = {0}, full = {0};
            long long t1 = 0, t2 = 0;
            assert_int_equal(store_search(f->conn, one, 3, offset, collect, &top, &t1), STORE_OK);
            assert_int_equal(store_search(f->conn, twice, 3, offset, collect, &full, &t2),
                             STORE_OK);
            assert_int_equal(t1, t2);
            assert_int_equal(top.n, full.n);
            for (size_t k = 0; k < top.n; k++) {
                assert_string_equal(top.ids[k], full.ids[k]);
                assert_true(top.scores[k] < 0 && fabs(2 * top.scores[k] - full.scores[k]) < 1e-9);
                assert_non_null(strchr(top.snippets[k], '\x01')); /* the match is marked */
            }
        }
    }
}

/* An export ranks every match once, then reads the rows of the ranking in chunks: the same rows,
 * snippets and scores as the pages of the list. */
static void test_search_ranking_then_rows(void **state)
{
    struct fixture *f = *state;
    const char *queries[] = {"\"said\"", "\"the\" OR \"soybean\"", "\"nothing-like-this\""};
    for (size_t q = 0; q < 3; q++) {
        long long *rowids = NULL;
        double *scores = NULL;
        size_t n = 0;
        assert_int_equal(store_search_ranking(f->conn, queries[q], 1, &rowids, &scores, &n),
                         STORE_OK);
        struct rows page = {0}, streamed = {0};
        long long total = 0;
        assert_int_equal(store_search(f->conn, queries[q], 8, 1, collect, &page, &total), STORE_OK);
        assert_int_equal(n, total > 1 ? total - 1 : 0); /* from offset 1 */
        assert_int_equal(
            store_search_rows(f->conn, queries[q], rowids, scores, n, collect, &streamed),
            STORE_OK);
        assert_int_equal(streamed.n, page.n);
        for (size_t i = 0; i < page.n; i++) {
            assert_string_equal(streamed.ids[i], page.ids[i]);
            assert_string_equal(streamed.snippets[i], page.snippets[i]);
            assert_true(streamed.scores[i] == page.scores[i]);
        }
        free(rowids);
        free(scores);
    }
    long long *rowids = NULL;
    double *scores = NULL;
    size_t n = 0;
    assert_int_equal(store_search_ranking(f->conn, "\"a\" AND AND", 0, &rowids, &scores, &n),
                     STORE_BAD_QUERY);
}

/* List totals come from per-date counts made at build time; they must equal the rows. */
static void test_list_totals_from_counts(void **state)
{
    struct fixture *f = *state;
    struct store_doc_filter filters[] = {
        {.from = "2000", .limit = 10},
        {.to = "2025-06", .limit = 10},
        {.from = "2024-01-01", .to = "2025-12-31", .limit = 10},
        {.source = "Asia Business Daily", .from = "2000", .limit = 10},
        {.source = "no such publisher", .limit = 10},
        {.from = "2999", .limit = 10},
    };
    for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++) {
        struct rows r = {0};
        long long total = -1;
        assert_int_equal(store_documents_list(f->conn, &filters[i], collect, &r, &total), STORE_OK);
        if (total != (long long)r.n)
            fail_msg("filter %zu: total %lld but %zu rows", i, total, r.n);
    }
}

/* The full representation, rendered at build time: the list fields, the text, the stated
 * metadata, the paragraphs and the publication evidence (DocumentFull in docs/openapi.yaml). */
static void test_document_body(void **state)
{
    struct fixture *f = *state;
    char *body = NULL;
    assert_int_equal(store_document_body(f->conn, "001_10279bbec851fb53", &body), STORE_OK);
    json_error_t e;
    json_t *j = json_loads(body, 0, &e);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "001_10279bbec851fb53");
    const char *text = json_string_value(json_object_get(j, "text"));
    assert_non_null(text);
    json_t *paras = json_object_get(j, "paragraphs");
    assert_true(json_array_size(paras) > 0);
    json_int_t end = json_integer_value(json_object_get(json_array_get(paras, 0), "end"));
    assert_true(end > 0);
    const char *keys[] = {"id",
                          "title",
                          "source",
                          "url",
                          "published",
                          "precision",
                          "published_inferred",
                          "language",
                          "word_count",
                          "summary",
                          "text",
                          "place",
                          "dateline",
                          "authors",
                          "captions",
                          "encoding",
                          "paragraphs",
                          "published_evidence",
                          "duplicates"};
    const char *key;
    json_t *v;
    size_t k = 0;
    json_object_foreach(j, key, v) assert_string_equal(key, keys[k++]); /* in the API's order */
    assert_int_equal(k, 19);
    json_decref(j);
    free(body);
    assert_int_equal(store_document_body(f->conn, "nope", &body), STORE_NOT_FOUND);
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

/* The seed corpus built in memory by store_build_db (one thread), in *buf's range if one could
 * be reserved (the caller closes the database, then releases buf). */
static sqlite3 *build_seed_db(struct build_buffer *buf)
{
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    assert_non_null(ing);
    struct corpus c;
    assert_int_equal(corpus_load(ing, test_corpus_dir(), &c, NULL, NULL, &err), 0);
    sqlite3 *db = NULL;
    assert_int_equal(store_build_db(c.docs, c.n_docs, NULL, NULL, NULL, 1, &db, buf, &err), 0);
    corpus_free(&c);
    ingest_close(ing);
    return db;
}

/* Each event's item is rendered in C with its row (store/event_rows.c); it must be byte for byte
 * what SQLite's JSON functions render from the stored rows (the SQL the build ran before; the
 * escapes themselves: test_base.c). */
static void test_event_items_as_sql_renders_them(void **state)
{
    (void)state;
    struct build_buffer buf;
    sqlite3 *db = build_seed_db(&buf);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT count(*), sum(item = json_object('id', id, 'date', date, 'precision',"
            " precision, 'timex', json_object('text', timex_text, 'value', timex_value, 'start',"
            " timex_start, 'end', timex_end), 'sentence', (SELECT substr(d.text, s.start + 1,"
            " s.end - s.start) FROM sentences s JOIN documents d ON d.rowid = s.doc"
            " WHERE s.doc = events.doc AND s.seq = events.sentence), 'document_id',"
            " (SELECT id FROM documents d WHERE d.rowid = events.doc), 'entities',"
            " json((SELECT json_group_array(json_object('id', en.id, 'name', en.name, 'type',"
            " en.type)) FROM event_entities ee JOIN entities en ON en.rowid = ee.entity"
            " WHERE ee.event = events.rowid)))),"
            " sum(json_array_length(item, '$.entities') > 0)"
            " FROM events",
            -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int events = sqlite3_column_int(st, 0);
    assert_true(events >= 10);
    assert_int_equal(sqlite3_column_int(st, 1), events);
    assert_true(sqlite3_column_int(st, 2) > 0); /* items naming entities */
    sqlite3_finalize(st);
    sqlite3_close(db);
    store_build_buffer_release(&buf);
}

/* The seed corpus built in memory by store_build_db (one thread); *in_range: whether the
 * database lay in a reserved range; returns a hash of the database's bytes. */
static uint64_t build_seed_image(bool *in_range)
{
    struct build_buffer range;
    struct build_buffer *buf = &range;
    sqlite3 *db = build_seed_db(buf);
    sqlite3_int64 size = 0;
    unsigned char *image = sqlite3_serialize(db, "main", &size, SQLITE_SERIALIZE_NOCOPY);
    assert_non_null(image);
    assert_true(size > 100000);
    if (buf->map) /* the database is written into the reserved range itself */
        assert_ptr_equal(image, buf->map);
    *in_range = buf->map != NULL;
    uint64_t hash = base_hash(image, (size_t)size);
    sqlite3_close(db);
    store_build_buffer_release(buf);
    assert_null(buf->map);
    return hash;
}

static size_t virtual_size_bytes(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %zu kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb * 1024;
}

/* An in-memory build writes into a reserved address range, which SQLite reads in place; where
 * no such range can be had (an address-space limit: ulimit -v, a container's setting) the memdb
 * grows a buffer of its own, and the database is the same byte for byte. */
static void test_build_buffer_reserved_or_grown(void **state)
{
    (void)state;
    bool in_range = false;
    uint64_t reserved = build_seed_image(&in_range);
    assert_true(in_range);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) { /* the same build with 2 GiB of address space to spare: no reservation */
        struct rlimit lim = {virtual_size_bytes() + ((size_t)2 << 30), RLIM_INFINITY};
        uint64_t grown = 0;
        if (setrlimit(RLIMIT_AS, &lim) == 0) {
            char *err = NULL;
            struct ingest *ing = ingest_open(test_data_dir(), &err);
            struct corpus c;
            sqlite3 *db = NULL;
            struct build_buffer none;
            if (ing && corpus_load(ing, test_corpus_dir(), &c, NULL, NULL, &err) == 0 &&
                store_build_db(c.docs, c.n_docs, NULL, NULL, NULL, 1, &db, &none, &err) == 0 &&
                !none.map) {
                sqlite3_int64 size = 0;
                unsigned char *image =
                    sqlite3_serialize(db, "main", &size, SQLITE_SERIALIZE_NOCOPY);
                if (image)
                    grown = base_hash(image, (size_t)size);
            }
        }
        ssize_t w = write(fds[1], &grown, sizeof grown);
        _exit(w == (ssize_t)sizeof grown ? 0 : 1);
    }
    close(fds[1]);
    uint64_t grown = 0;
    assert_int_equal(read(fds[0], &grown, sizeof grown), (ssize_t)sizeof grown);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(grown != 0); /* built without a reservation */
    assert_true(grown == reserved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_list_sorted_by_title_with_cursor),
        cmocka_unit_test(test_list_filters),
        cmocka_unit_test(test_document_get),
        cmocka_unit_test(test_search_ranking),
        cmocka_unit_test(test_search_top_terms_match_full_text),
        cmocka_unit_test(test_search_ranking_then_rows),
        cmocka_unit_test(test_list_totals_from_counts),
        cmocka_unit_test(test_document_body),
        cmocka_unit_test(test_search_compile),
        cmocka_unit_test(test_entity_ids),
        cmocka_unit_test(test_build_buffer_reserved_or_grown),
        cmocka_unit_test(test_event_items_as_sql_renders_them),
    };
    return cmocka_run_group_tests_name("store", tests, setup, test_fixture_close);
}
