/*
 * test_ner_util.h — what the entity-extraction tests share (test_ner.c: the rule families;
 * test_ner_model.c: the tagger's weights and confidences): the model and abbreviations loaded once
 * per group, running the extractor on a text (checking every result is sorted, non-overlapping and
 * named), and finding a mention by its surface. Header-only, like test_timex_util.h.
 */
#ifndef TESTS_UNIT_TEST_NER_UTIL_H
#define TESTS_UNIT_TEST_NER_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/doc.h"
#include "ingest/ner/ner.h"
#include "ingest/text/sentences.h"
#include "base/wordlist.h"

static struct ner_model *model;
static struct wordlist *abbrev;

struct result {
    const char *text;
    struct mention *m;
    size_t n;
};

static inline const char *data_dir(void)
{
    const char *d = getenv("CORPUSD_DATA_DIR");
    return d && *d ? d : CORPUSD_DATA_DIR;
}

static inline int setup(void **state)
{
    (void)state;
    char *err = NULL;
    model = ner_open(data_dir(), &err);
    if (!model)
        fprintf(stderr, "ner_open: %s\n", err ? err : "?");
    free(err);
    abbrev = wordlist_load(data_dir(), "abbreviations.txt", false, &err);
    free(err);
    return model && abbrev ? 0 : -1;
}

static inline int teardown(void **state)
{
    (void)state;
    ner_close(model);
    wordlist_free(abbrev);
    return 0;
}

static inline void run(struct result *r, const char *text)
{
    struct span *s = NULL;
    size_t ns = 0;
    r->text = text;
    assert_int_equal(sentences_split(abbrev, text, strlen(text), &s, &ns), 0);
    assert_int_equal(ner_extract(model, text, strlen(text), s, ns, &r->m, &r->n), 0);
    free(s);
    /* every result: sorted, non-overlapping, inside the text, with a name */
    for (size_t i = 0; i < r->n; i++) {
        assert_true(r->m[i].start < r->m[i].end && r->m[i].end <= strlen(text));
        assert_non_null(r->m[i].name);
        if (i)
            assert_true(r->m[i - 1].end <= r->m[i].start);
    }
}

static inline void done(struct result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->m[i].name);
        free(r->m[i].role);
    }
    free(r->m);
}

/* The mention whose surface text is exactly `surface`, or NULL. */
static inline const struct mention *find(const struct result *r, const char *surface)
{
    size_t n = strlen(surface);
    for (size_t i = 0; i < r->n; i++)
        if (r->m[i].end - r->m[i].start == n && memcmp(r->text + r->m[i].start, surface, n) == 0)
            return &r->m[i];
    return NULL;
}

/* Whether any mention's surface contains `word`. */
static inline bool covers(const struct result *r, const char *word)
{
    for (size_t i = 0; i < r->n; i++) {
        size_t len = r->m[i].end - r->m[i].start;
        char buf[256];
        if (len >= sizeof buf)
            continue;
        memcpy(buf, r->text + r->m[i].start, len);
        buf[len] = '\0';
        if (strstr(buf, word))
            return true;
    }
    return false;
}

static inline void expect(const struct result *r, const char *surface, enum entity_type t,
                          const char *name)
{
    const struct mention *m = find(r, surface);
    if (!m)
        fail_msg("no mention \"%s\"", surface);
    assert_int_equal(m->type, t);
    if (name)
        assert_string_equal(m->name, name);
}

#endif
