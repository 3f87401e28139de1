/*
 * template.c — an open-addressing map from a 64-bit key to a page count. A line's key hashes
 * the source and the line; a source's page count is kept under the key of the source alone.
 * Collisions of 64-bit FNV-1a keys are ignored: at worst one line is counted with another.
 */
#include "ingest/text/template.h"
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

struct template_counts {
    uint64_t *keys; /* 0 = empty */
    uint32_t *counts;
    size_t cap, n;
};

static uint64_t source_key(const char *source)
{
    uint64_t h = base_hash_update(BASE_HASH_SEED, source, strlen(source));
    return base_hash_update(h, "\x1e", 1) | 1; /* never 0 */
}

static uint64_t line_key(const char *source, const char *line, size_t len)
{
    uint64_t h = base_hash_update(BASE_HASH_SEED, source, strlen(source));
    h = base_hash_update(base_hash_update(h, "\x1f", 1), line, len);
    return h ? h : 2;
}

struct template_counts *template_counts_new(void)
{
    return calloc(1, sizeof(struct template_counts));
}

void template_counts_free(struct template_counts *t)
{
    if (!t)
        return;
    free(t->keys);
    free(t->counts);
    free(t);
}

static size_t slot_of(const struct template_counts *t, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 29)) & (t->cap - 1);
    while (t->keys[i] && t->keys[i] != key)
        i = (i + 1) & (t->cap - 1);
    return i;
}

static int grow(struct template_counts *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    struct template_counts g = {calloc(ncap, sizeof *g.keys), calloc(ncap, sizeof *g.counts), ncap,
                                t->n};
    if (!g.keys || !g.counts) {
        free(g.keys);
        free(g.counts);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i])
            continue;
        size_t s = slot_of(&g, t->keys[i]);
        g.keys[s] = t->keys[i];
        g.counts[s] = t->counts[i];
    }
    free(t->keys);
    free(t->counts);
    *t = g;
    return 0;
}

static int add(struct template_counts *t, uint64_t key, uint32_t count)
{
    if (2 * (t->n + 1) > t->cap && grow(t) < 0)
        return -1;
    size_t s = slot_of(t, key);
    if (!t->keys[s]) {
        t->keys[s] = key;
        t->n++;
    }
    t->counts[s] += count;
    return 0;
}

static uint32_t get(const struct template_counts *t, uint64_t key)
{
    if (!t || !t->cap)
        return 0;
    size_t s = slot_of(t, key);
    return t->keys[s] ? t->counts[s] : 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int template_counts_add_page(struct template_counts *t, const char *source,
                             const char *const *lines, const size_t *lens, size_t n_lines)
{
    uint64_t *keys = malloc((n_lines ? n_lines : 1) * sizeof *keys);
    if (!keys)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < n_lines; i++)
        if (lens[i])
            keys[n++] = line_key(source, lines[i], lens[i]);
    qsort(keys, n, sizeof *keys, cmp_u64); /* a line counts once per page */
    int rc = add(t, source_key(source), 1);
    for (size_t i = 0; i < n && rc == 0; i++)
        if (i == 0 || keys[i] != keys[i - 1])
            rc = add(t, keys[i], 1);
    free(keys);
    return rc;
}

int template_counts_merge(struct template_counts *into, const struct template_counts *from)
{
    for (size_t i = 0; i < from->cap; i++)
        if (from->keys[i] && add(into, from->keys[i], from->counts[i]) < 0)
            return -1;
    return 0;
}

uint32_t template_counts_pages(const struct template_counts *t, const char *source)
{
    return get(t, source_key(source));
}

uint32_t template_counts_line(const struct template_counts *t, const char *source, const char *line,
                              size_t len)
{
    return get(t, line_key(source, line, len));
}
