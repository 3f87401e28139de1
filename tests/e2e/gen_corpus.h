/*
 * gen_corpus.h — a generated JSONL corpus for the cost and resource tests: n articles of
 * made-up words (syllables from a fixed seed, so runs repeat), many of them starting with the
 * same letters so that prefix queries ("a*", "t*") expand to hundreds of terms, as they do on a
 * real corpus. No text from any real corpus.
 */
#ifndef TESTS_E2E_GEN_CORPUS_H
#define TESTS_E2E_GEN_CORPUS_H

#include <stdio.h>
#include <stdlib.h>

static inline unsigned gen_next(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* A made-up word into out (at most 15 bytes + NUL). */
static inline void gen_word(unsigned *state, char *out)
{
    static const char *const starts[] = {"a", "t", "s", "m", "b", "r", "a", "t"};
    static const char *const syll[] = {"ra", "to", "mi", "ne", "ka", "lu", "so", "ve", "di", "po"};
    int n = sprintf(out, "%s", starts[gen_next(state) % 8]);
    for (unsigned k = 1 + gen_next(state) % 3; k > 0; k--)
        n += sprintf(out + n, "%s", syll[gen_next(state) % 10]);
}

/* Writes dir/name with n_docs records (ids "g00000"…), first_id onwards; 0 or -1. */
static inline int gen_corpus_file(const char *dir, const char *name, int first_id, int n_docs)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    unsigned state = 20261201u + (unsigned)first_id;
    for (int i = first_id; i < first_id + n_docs; i++) {
        char w[16];
        fprintf(f, "{\"id\":\"g%05d\",\"title\":\"Report %d on", i, i);
        for (int k = 0; k < 4; k++) {
            gen_word(&state, w);
            fprintf(f, " %s", w);
        }
        fprintf(f, "\",\"published\":\"2024-%02d-%02d\",\"source\":\"Gen\",\"text\":\"", 1 + i % 12,
                1 + i % 28);
        for (int s = 0; s < 6; s++) {
            for (int k = 0; k < 14; k++) {
                gen_word(&state, w);
                fprintf(f, "%s%s", k ? " " : "", w);
            }
            fprintf(f, ". ");
        }
        fprintf(f, "\"}\n");
    }
    return fclose(f) == 0 ? 0 : -1;
}

#endif
