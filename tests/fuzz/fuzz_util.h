/*
 * fuzz_util.h — shared by the libFuzzer targets (tests/fuzz/fuzz_*.c): the data directory, a
 * NUL-terminated copy of the input, and a check that aborts (so libFuzzer reports a crash)
 * when an invariant of the code under test does not hold.
 */
#ifndef TESTS_FUZZ_FUZZ_UTIL_H
#define TESTS_FUZZ_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static inline const char *fuzz_data_dir(void)
{
    const char *d = getenv("CORPUSD_DATA_DIR");
    return d && *d ? d : CORPUSD_DATA_DIR;
}

/* A malloc'd NUL-terminated copy of data (which may itself contain NUL bytes). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Spans must be inside [0, len), start <= end, and sorted by start. */
static inline void fuzz_check_spans(const struct span *sp, size_t n, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(sp[i].start <= sp[i].end && sp[i].end <= len);
        FUZZ_CHECK(i == 0 || sp[i - 1].start <= sp[i].start);
    }
}

#endif
