/*
 * test_base.c — the utilities of base/ that have no other home for their tests: the growth rule
 * of appended arrays (base/grow.c), whole-file reading (base/file.c) and JSON string literals
 * (base/json.c).
 */
#include "test_util.h"

#include <stdint.h>

#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "base/file.h"
#include "base/grow.h"
#include "base/json.h"

/* Appending 1,000 values keeps every one, and the capacity doubles from the first one given. */
static void test_grow_doubles_and_keeps(void **state)
{
    (void)state;
    int *v = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(BASE_GROW(v, cap, n, 16), 0);
        v[n++] = i;
        if (n == 1)
            assert_int_equal(cap, 16);
    }
    assert_int_equal(cap, 1024);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v[i], i);
    free(v);
}

/* Room already there: nothing moves. */
static void test_grow_no_op_below_capacity(void **state)
{
    (void)state;
    size_t cap = 8;
    long *v = malloc(cap * sizeof *v), *before = v;
    assert_int_equal(BASE_GROW(v, cap, 7, 4), 0);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 8);
    free(v);
}

/* A size that would overflow fails and leaves the array and its capacity as they were. */
static void test_grow_overflow_fails_unchanged(void **state)
{
    (void)state;
    size_t cap = 4;
    char *v = malloc(cap), *before = v;
    assert_int_equal(base_grow(&v, &cap, 4, SIZE_MAX / 4, 4), -1);
    assert_ptr_equal(v, before);
    assert_int_equal(cap, 4);
    cap = SIZE_MAX / 2 + 1;
    assert_int_equal(base_grow(&v, &cap, cap, 1, 4), -1);
    assert_ptr_equal(v, before);
    free(v);
}

/* A regular file comes back whole and NUL-terminated; a directory, a missing path and a file over
 * the limit are refused with a reason. */
static void test_read_file_whole_or_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_base_XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.txt", dir);
    test_write_file(dir, "f.txt", "abc\ndef", 7);
    size_t len = 0;
    const char *why = NULL;
    char *buf = base_read_file(path, 100, &len, &why);
    assert_non_null(buf);
    assert_int_equal(len, 7);
    assert_string_equal(buf, "abc\ndef");
    free(buf);
    assert_null(base_read_file(path, 6, &len, &why));
    assert_ptr_equal(why, base_file_too_large);
    assert_null(base_read_file(dir, 100, &len, &why));
    assert_string_equal(why, "not a regular file");
    unlink(path);
    assert_null(base_read_file(path, 100, &len, &why));
    assert_string_equal(why, "No such file or directory");
    rmdir(dir);
}

static void put_buf(void *ctx, const char *s, size_t n)
{
    char *out = ctx;
    size_t len = strlen(out);
    assert_true(len + n < 512);
    memcpy(out + len, s, n);
    out[len + n] = '\0';
}

/* A string literal is what SQLite's json_quote() writes (lower-case hex) and what jansson
 * writes (capitals), byte for byte: every control character, quotes, backslashes, UTF-8. */
static void test_json_string_as_sqlite_and_jansson(void **state)
{
    (void)state;
    char in[64];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++)
        in[n++] = (char)c;
    memcpy(in + n, "\"a\\b/\xC3\xA9\x7F", 9);
    n += 9;
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT json_quote(?)", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, in, (int)n, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char lower[512] = "";
    base_json_string(in, n, false, put_buf, lower);
    assert_string_equal(lower, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    json_t *str = json_stringn(in, n);
    char *dumped = json_dumps(str, JSON_ENCODE_ANY);
    char upper[512] = "";
    base_json_string(in, n, true, put_buf, upper);
    assert_string_equal(upper, dumped);
    free(dumped);
    json_decref(str);
    assert_non_null(strstr(lower, "\\u001f\\\"a\\\\b/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_doubles_and_keeps),
        cmocka_unit_test(test_grow_no_op_below_capacity),
        cmocka_unit_test(test_grow_overflow_fails_unchanged),
        cmocka_unit_test(test_read_file_whole_or_refused),
        cmocka_unit_test(test_json_string_as_sqlite_and_jansson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
