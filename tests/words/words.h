/*
 * words.h — the word-multiset measure of the "nothing lost" checks: which share of the words of
 * a given text is found in what corpusd serves. A word is a run of letters and digits (ASCII
 * case folded; any non-ASCII byte counts as a letter); served words are a multiset, so a word
 * given three times must be served three times.
 */
#ifndef TESTS_WORDS_WORDS_H
#define TESTS_WORDS_WORDS_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

struct word_bag {
    uint64_t *keys; /* 0 = empty slot */
    uint32_t *counts;
    size_t cap, used;
};

static inline uint64_t word_key(const char *s, size_t n)
{
    uint64_t h = base_hash_update_folded(BASE_HASH_SEED, s, n); /* ASCII case folded */
    return h ? h : 1;
}

static inline void bag_add(struct word_bag *b, uint64_t key, int delta, uint32_t *before)
{
    if (b->cap == 0) {
        b->cap = 1024;
        b->keys = calloc(b->cap, sizeof *b->keys);
        b->counts = calloc(b->cap, sizeof *b->counts);
    }
    size_t i = key & (b->cap - 1);
    while (b->keys[i] && b->keys[i] != key)
        i = (i + 1) & (b->cap - 1);
    if (!b->keys[i]) {
        b->keys[i] = key;
        if (++b->used * 2 > b->cap) { /* grow: rehash */
            struct word_bag g = {calloc(b->cap * 2, sizeof *g.keys),
                                 calloc(b->cap * 2, sizeof *g.counts), b->cap * 2, b->used};
            for (size_t k = 0; k < b->cap; k++) {
                if (!b->keys[k])
                    continue;
                size_t j = b->keys[k] & (g.cap - 1);
                while (g.keys[j])
                    j = (j + 1) & (g.cap - 1);
                g.keys[j] = b->keys[k];
                g.counts[j] = b->counts[k];
            }
            free(b->keys);
            free(b->counts);
            *b = g;
            i = key & (b->cap - 1);
            while (b->keys[i] != key)
                i = (i + 1) & (b->cap - 1);
        }
    }
    if (before)
        *before = b->counts[i];
    if (delta > 0 || b->counts[i] > 0)
        b->counts[i] += (uint32_t)delta;
}

static inline void bag_free(struct word_bag *b)
{
    free(b->keys);
    free(b->counts);
    memset(b, 0, sizeof *b);
}

/* Calls fn for each word of s. */
static inline void each_word(const char *s, size_t len, void (*fn)(void *, const char *, size_t),
                             void *ctx)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && !(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
            i++;
        size_t a = i;
        while (i < len && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
            i++;
        if (i > a)
            fn(ctx, s + a, i - a);
    }
}

static inline void add_word(void *ctx, const char *w, size_t n)
{
    bag_add(ctx, word_key(w, n), 1, NULL);
}

struct keep_count {
    struct word_bag *served;
    size_t total, kept;
};

static inline void take_word(void *ctx, const char *w, size_t n)
{
    struct keep_count *k = ctx;
    uint32_t before;
    k->total++;
    bag_add(k->served, word_key(w, n), -1, &before);
    k->kept += before > 0;
}

/* The share (0..1) of the words of given found in served_a + served_b; *total: words given. */
static inline double words_kept(const char *given, size_t given_len, const char *served_a,
                                const char *served_b, size_t *total)
{
    struct word_bag served = {0};
    if (served_a)
        each_word(served_a, strlen(served_a), add_word, &served);
    if (served_b)
        each_word(served_b, strlen(served_b), add_word, &served);
    struct keep_count k = {&served, 0, 0};
    each_word(given, given_len, take_word, &k);
    bag_free(&served);
    *total = k.total;
    return k.total ? (double)k.kept / (double)k.total : 1.0;
}

/* Keeps the worst n results (lowest share) for the report. */
struct worst {
    char id[64];
    double share;
    size_t words;
};

static inline void worst_add(struct worst *w, size_t n, const char *id, double share, size_t words)
{
    size_t at = 0;
    while (at < n && w[at].id[0] != '\0' && w[at].share <= share)
        at++;
    if (at >= n)
        return;
    memmove(w + at + 1, w + at, (n - at - 1) * sizeof *w);
    snprintf(w[at].id, sizeof w[at].id, "%s", id);
    w[at].share = share;
    w[at].words = words;
}

#endif
