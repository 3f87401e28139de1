/*
 * test_store_hostile.c — the store under pressure and against bad files (issue 18): a fixed
 * pool (streams leave connections to requests, busy is reported, idle connections close), the
 * per-request CPU budget, store files that are not what they claim (FIFO, another schema,
 * truncated), a file rebuilt under an open store, and the search word cap.
 */
#define TEST_UTIL_SEED_STORE
#include "test_util.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/conn.h"
#include "store/documents.h"

static char dir[64];
static char db_path[96];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/corpusd-store-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(db_path, sizeof db_path, "%s/s.db", dir);
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    struct corpus c;
    if (!ing || corpus_load(ing, test_corpus_dir(), &c, NULL, NULL, &err) != 0)
        return -1;
    struct store *st = store_build(c.docs, c.n_docs, db_path, "fp", &err);
    corpus_free(&c);
    ingest_close(ing);
    free(err);
    if (!st)
        return -1;
    store_unref(st);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd);
}

static struct store *open_ok(const char *path)
{
    char *err = NULL;
    struct store *s = store_open_file(path, &err);
    if (!s)
        fail_msg("%s: %s", path, err);
    return s;
}

static void test_pool_is_bounded(void **state)
{
    (void)state;
    struct store *s = open_ok(db_path);
    struct store_limits lim = {.max_connections = 3,
                               .reserved = 1,
                               .wait_ms = 50,
                               .idle_seconds = 1,
                               .query_budget_ms = 250};
    store_set_limits(s, &lim);
    char *err = NULL;
    bool busy = false;
    struct store_conn *a = store_acquire_stream(s, &busy, &err);
    struct store_conn *b = store_acquire_stream(s, &busy, &err);
    assert_non_null(a);
    assert_non_null(b);
    /* a third stream would take the connection kept for requests */
    assert_null(store_acquire_stream(s, &busy, &err));
    assert_true(busy);
    assert_non_null(strstr(err, "busy"));
    free(err);
    struct store_conn *c = store_acquire_busy(s, &busy, &err);
    assert_non_null(c); /* a request still gets one */
    assert_int_equal(store_open_connections(s), 3);
    assert_null(store_acquire_busy(s, &busy, &err)); /* all three lent: busy after 50 ms */
    assert_true(busy);
    free(err);
    store_release(a);
    struct store_conn *d = store_acquire_busy(s, &busy, &err);
    assert_ptr_equal(d, a); /* the returned one is reused, not a new one opened */
    store_release(b);
    store_release(c);
    store_release(d);
    assert_int_equal(store_open_connections(s), 3);
    assert_int_equal(store_close_idle(s), 0); /* not idle for a second yet */
    sleep(2);
    assert_int_equal(store_close_idle(s), 3);
    assert_int_equal(store_open_connections(s), 0);
    store_unref(s);
}

static void test_cpu_budget_stops_a_query(void **state)
{
    (void)state;
    struct store *s = open_ok(db_path);
    struct store_limits lim = {.max_connections = 2,
                               .reserved = 1,
                               .wait_ms = 0,
                               .idle_seconds = 10,
                               .query_budget_ms = 5};
    store_set_limits(s, &lim);
    char *err = NULL;
    struct store_conn *c = store_acquire(s, &err);
    assert_non_null(c);
    /* 10^9 rows of a recursive CTE: seconds of CPU, stopped after 5 ms */
    sqlite3_stmt *st = store_stmt_sql(
        c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)"
           " SELECT count(*) FROM n");
    assert_non_null(st);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(sqlite3_step(st), SQLITE_INTERRUPT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sqlite3_reset(st);
    assert_int_equal(store_budget_exceeded(c), 5);
    assert_true((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
    assert_int_equal(store_budget_trips(s), 1);
    store_budget_restart(c); /* the next page of an export starts afresh */
    assert_int_equal(store_budget_exceeded(c), 0);
    st = store_stmt(c, STMT_DOC_EXISTS, "SELECT 1 FROM documents LIMIT 1");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_reset(st);
    store_release(c);
    store_unref(s);
}

static void expect_refused(const char *path, const char *why)
{
    char *err = NULL;
    struct store *s = store_open_file(path, &err);
    if (s || !err || !strstr(err, why))
        fail_msg("%s: expected a refusal mentioning '%s', got %s", path, why,
                 s     ? "a store"
                 : err ? err
                       : "no reason");
    free(err);
}

static void test_bad_files_are_refused(void **state)
{
    (void)state;
    char path[128], cmd[300];
    snprintf(path, sizeof path, "%s/fifo.db", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    expect_refused(path, "is a FIFO"); /* at once: O_NONBLOCK, nothing waits for a writer */
    expect_refused(dir, "is a directory");
    snprintf(path, sizeof path, "%s/text.db", dir);
    FILE *f = fopen(path, "w");
    fputs("this is not a database\n", f);
    fclose(f);
    expect_refused(path, "text.db");
    /* another schema: a sort key that may be NULL */
    snprintf(path, sizeof path, "%s/nullable.db", dir);
    snprintf(cmd, sizeof cmd, "cp %s %s", db_path, path);
    assert_int_equal(system(cmd), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql ="
                                  " replace(sql, 'published          TEXT NOT NULL DEFAULT ''''',"
                                  " 'published TEXT') WHERE name = 'documents';",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    expect_refused(path, "table documents has a different definition");
    /* the schema version this server reads */
    snprintf(cmd, sizeof cmd, "cp %s %s", db_path, path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", NULL, NULL, NULL);
    sqlite3_close(db);
    expect_refused(path, "schema version '99'");
}

static long long count_docs(struct store *s)
{
    char *err = NULL;
    struct store_conn *c = store_acquire(s, &err);
    assert_non_null(c);
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT count(*) FROM documents");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    store_release(c);
    return n;
}

/* An open store serves the bytes it read, whatever happens to the file afterwards: renamed
 * over (as --build-db does) or rewritten in place (cp over it). */
static void test_open_store_survives_the_file(void **state)
{
    (void)state;
    char copy[128], cmd[300];
    snprintf(copy, sizeof copy, "%s/copy.db", dir);
    snprintf(cmd, sizeof cmd, "cp %s %s", db_path, copy);
    assert_int_equal(system(cmd), 0);
    struct store *s = open_ok(copy);
    long long n = count_docs(s);
    assert_true(n > 0);
    assert_int_equal(truncate(copy, 0), 0); /* rewritten in place: first emptied */
    assert_int_equal(count_docs(s), n);     /* new connections too: the pool was empty */
    assert_int_equal(unlink(copy), 0);
    assert_int_equal(count_docs(s), n);
    store_unref(s);
}

static void test_phrase_words_are_counted(void **state)
{
    (void)state;
    char q[1024];
    size_t n = (size_t)sprintf(q, "\"");
    for (int i = 0; i < 65; i++)
        n += (size_t)sprintf(q + n, "%sa", i ? " " : "");
    sprintf(q + n, "\"");
    const char *err = NULL;
    assert_null(store_search_compile(q, &err));
    assert_non_null(strstr(err, "too many words"));
    q[n - 2] = '"', q[n - 1] = '\0'; /* 64 words: accepted */
    char *fts = store_search_compile(q, &err);
    assert_non_null(fts);
    free(fts);
    /* one token, 11 + 3 x 26 = 89 words as FTS5 splits them: the cap counts words */
    assert_null(store_search_compile("harbour-town-ferry-quay-dock-pier-jetty-berth-mole-slip-"
                                     "wharf-a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-"
                                     "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-"
                                     "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z",
                                     &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_is_bounded),
        cmocka_unit_test(test_cpu_budget_stops_a_query),
        cmocka_unit_test(test_bad_files_are_refused),
        cmocka_unit_test(test_open_store_survives_the_file),
        cmocka_unit_test(test_phrase_words_are_counted),
    };
    return cmocka_run_group_tests_name("store_hostile", tests, setup, teardown);
}
