/*
 * test_timex_util.h — helpers of the temporal tagger's unit tests: one tagger per test group
 * and assertions on the expression found at a given place of a sentence.
 */
#ifndef TESTS_UNIT_TEST_TIMEX_UTIL_H
#define TESTS_UNIT_TEST_TIMEX_UTIL_H

#include "test_util.h"

#include "ingest/timex/timex.h"

/* Publication date of most cases: Thursday 28 November 2024 (ISO week 48). */
#define DCT "2024-11-28"

static struct timex_tagger *tagger;

static inline int setup(void **state)
{
    (void)state;
    char *err = NULL;
    tagger = timex_tagger_open(test_data_dir(), &err);
    if (!tagger) {
        fprintf(stderr, "timex_tagger_open: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    timex_tagger_close(tagger);
    return 0;
}

/* Tags text with dct and gives (a copy of) the expression whose extent is exactly the first
 * occurrence of `expr` in text; fails the test, listing what was found, when there is none. */
static inline struct timex_expr timex_at(const char *text, const char *dct, const char *expr)
{
    struct timex_expr *v, out = {0};
    size_t n;
    assert_int_equal(timex_tag(tagger, text, strlen(text), NULL, 0, dct, &v, &n), 0);
    const char *at = strstr(text, expr);
    assert_non_null(at);
    size_t start = (size_t)(at - text), end = start + strlen(expr);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++)
        if (v[i].start == start && v[i].end == end) {
            out = v[i];
            found = true;
        }
    if (!found) {
        fprintf(stderr, "  \"%s\" not found in \"%s\"; got:", expr, text);
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, " [%.*s]=%s", (int)(v[i].end - v[i].start), text + v[i].start,
                    v[i].value);
        fprintf(stderr, "\n");
    }
    free(v);
    assert_true(found);
    return out;
}

/* The expression `expr` (its first occurrence in text) is found with exactly that extent, type
 * and value. */
static inline void expect_at(const char *text, const char *dct, const char *expr,
                             enum timex_type type, const char *value)
{
    struct timex_expr t = timex_at(text, dct, expr);
    if (strcmp(t.value, value) != 0 || t.type != type)
        fprintf(stderr, "  \"%s\" in \"%s\": got %s %s, want %s %s\n", expr, text,
                timex_type_name(t.type), t.value, timex_type_name(type), value);
    assert_string_equal(t.value, value);
    assert_int_equal(t.type, type);
}

static inline void expect(const char *text, const char *expr, const char *value)
{
    expect_at(text, DCT, expr, TIMEX_DATE, value);
}

/* No expression overlaps the first occurrence of `word` in text. */
static inline void expect_none_at(const char *text, const char *dct, const char *word)
{
    struct timex_expr *v;
    size_t n;
    assert_int_equal(timex_tag(tagger, text, strlen(text), NULL, 0, dct, &v, &n), 0);
    const char *at = strstr(text, word);
    assert_non_null(at);
    size_t start = (size_t)(at - text), end = start + strlen(word);
    for (size_t i = 0; i < n; i++) {
        bool overlap = v[i].start < end && start < v[i].end;
        if (overlap)
            fprintf(stderr, "  unexpected [%.*s]=%s in \"%s\"\n", (int)(v[i].end - v[i].start),
                    text + v[i].start, v[i].value, text);
        assert_false(overlap);
    }
    free(v);
}

static inline void expect_none(const char *text, const char *word)
{
    expect_none_at(text, DCT, word);
}

#endif
