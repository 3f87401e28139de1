/*
 * test_duplicates.c — near-duplicate groups (ingest/resolve/duplicates.c) on documents made here:
 * a story of 40 words and 4 figures, a copy with one word changed (Jaccard of the 3-gram shingles
 * about 0.87, same figures), one with other figures (about 0.83, no figure in common), the story
 * again 2 and 10 days later, and two documents without words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ingest/resolve/duplicates.h"

/* "word0 word1 … word39 <figures>", with word `changed` (if any) replaced. */
static char *story(int changed, const char *figures)
{
    char *s = malloc(1024);
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(s + n, 1024 - n, i == changed ? "other%d " : "word%d ", i);
    snprintf(s + n, 1024 - n, "%s", figures);
    return s;
}

static struct doc *make(const char *id, char *text, const char *published)
{
    struct doc *d = calloc(1, sizeof *d);
    d->id = strdup(id);
    d->text = text;
    d->text_len = strlen(text);
    snprintf(d->published, sizeof d->published, "%s", published);
    return d;
}

static void test_groups(void **state)
{
    (void)state;
    struct doc *docs[] = {
        make("r", story(-1, "11 21 31 41"), "2024-01-01"), /* other figures */
        make("q", story(20, "1.5 6-3/16 303 404"), "2024-01-01"),
        make("t", story(-1, "1.5 6-3/16 303 404"), "2024-01-03"),
        make("p", story(-1, "1.5 6-3/16 303 404"), "2024-01-01"),
        make("s", story(-1, "1.5 6-3/16 303 404"), "2024-01-11"), /* 10 days later */
        make("e1", strdup(""), "2024-01-01"),
        make("e2", strdup("..."), "2024-01-01"), /* no word either */
    };
    size_t n = sizeof docs / sizeof *docs, rep[sizeof docs / sizeof *docs];
    assert_int_equal(duplicates_find(docs, n, rep), 1);
    /* p, q and t: one group, p its representative (first day, then least id) */
    assert_int_equal(rep[3], 3);
    assert_int_equal(rep[1], 3);
    assert_int_equal(rep[2], 3);
    assert_int_equal(rep[0], 0); /* 0.83 alike but no figure in common */
    assert_int_equal(rep[4], 4); /* more than DUP_MAX_DAYS apart */
    assert_int_equal(rep[5], 5);
    assert_int_equal(rep[6], 6);
    for (size_t i = 0; i < n; i++) {
        free(docs[i]->id);
        free(docs[i]->text);
        free(docs[i]);
    }
}

/* Undated documents lose to dated ones as representative; two undated ones, to the least id. */
static void test_representative_undated(void **state)
{
    (void)state;
    struct doc *docs[] = {
        make("a", story(-1, ""), ""),
        make("b", story(-1, ""), "2024-05"),
        make("c", story(-1, ""), ""),
    };
    size_t rep[3];
    assert_int_equal(duplicates_find(docs, 3, rep), 1);
    assert_int_equal(rep[0], 1);
    assert_int_equal(rep[1], 1);
    assert_int_equal(rep[2], 1);
    for (size_t i = 0; i < 3; i++) {
        free(docs[i]->id);
        free(docs[i]->text);
        free(docs[i]);
    }
    assert_int_equal(duplicates_find(NULL, 0, rep), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_representative_undated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
