/*
 * test_util.h — shared helpers for the unit tests: the data directory, the seed corpus, and
 * a loaded ingest pipeline.
 */
#ifndef TESTS_UNIT_TEST_UTIL_H
#define TESTS_UNIT_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"

static inline const char *test_data_dir(void)
{
    const char *d = getenv("CORPUSD_DATA_DIR");
    return d ? d : "ingest/data";
}

static inline const char *test_corpus_dir(void)
{
    const char *d = getenv("CORPUSD_TEST_CORPUS");
    return d ? d : "corpus";
}

/* Reads a whole file (NUL-terminated); fails the test when it cannot. */
static inline char *test_read_file(const char *path, size_t *len)
{
    char *buf = base_read_file(path, SIZE_MAX, len, NULL);
    assert_non_null(buf);
    return buf;
}

/* Writes len bytes of data to dir/name; fails the test when it cannot. */
static inline void test_write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

#ifdef TEST_UTIL_SEED_STORE
#include "ingest/corpus.h"
#include "store/store.h"

/* A store built from the seed corpus through the real pipeline; NULL on failure. */
static inline struct store *test_seed_store(void)
{
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    struct corpus c;
    struct store *st = NULL;
    if (ing && corpus_load(ing, test_corpus_dir(), &c, NULL, NULL, &err) == 0) {
        st = store_build(c.docs, c.n_docs, NULL, NULL, &err);
        corpus_free(&c);
    }
    if (!st)
        print_error("cannot build the seed store: %s\n", err ? err : "out of memory");
    free(err);
    ingest_close(ing);
    return st;
}
#endif

#ifdef TEST_UTIL_STORE_FIXTURE
#include "store/store.h"

/* A built store and one connection of it: the state of every store-level test group. */
struct fixture {
    struct store *store;
    struct store_conn *conn;
};

/* Takes ownership of st (may be NULL: the setup fails) and acquires a connection. */
static inline int test_fixture_open(void **state, struct store *st)
{
    char *err = NULL;
    struct fixture *f = calloc(1, sizeof *f);
    /* One connection serves every test of the group: no per-request CPU budget across them
     * (test_store_hostile tests the budget). */
    struct store_limits limits = STORE_LIMITS_DEFAULT;
    limits.query_budget_ms = 0;
    if (st)
        store_set_limits(st, &limits);
    if (!f || !st || !(f->conn = store_acquire(st, &err))) {
        print_error("cannot open the test store: %s\n", err ? err : "no store");
        free(err);
        if (st)
            store_unref(st);
        free(f);
        return -1;
    }
    f->store = st;
    *state = f;
    return 0;
}

static inline int test_fixture_close(void **state)
{
    struct fixture *f = *state;
    store_release(f->conn);
    store_unref(f->store);
    free(f);
    return 0;
}
#endif

#endif
