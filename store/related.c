/*
 * related.c — the related entities (table related, schema.sql) from the distinct entity-sentence
 * pairs of the mentions (entity_pairs.c): for every two entities named in one document, the
 * sentences and the documents naming both, in both directions, inserted in the table's key
 * order (entity, sentences DESC, documents DESC, other): appends. Counted in memory: the SQL
 * self-joins over a table of the pairs it replaces took a second of the build's side thread on
 * Reuters (bench/RESULTS.md), the longest of its steps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "lookup_build.h"

struct cooccurrence {
    uint64_t key; /* a << 32 | b with a < b; 0 for an empty slot (rowids start at 1) */
    uint32_t sentences, documents;
};

struct cooccurrences {
    struct cooccurrence *slots;
    size_t cap, count; /* cap a power of two */
};

static size_t slot_of(const struct cooccurrences *c, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL; /* Fibonacci hashing: the high bits are mixed */
    size_t i = (size_t)(h >> 20) & (c->cap - 1);
    while (c->slots[i].key && c->slots[i].key != key)
        i = (i + 1) & (c->cap - 1);
    return i;
}

static int grow(struct cooccurrences *c)
{
    struct cooccurrences bigger = {calloc(c->cap ? c->cap * 2 : 65536, sizeof *c->slots),
                                   c->cap ? c->cap * 2 : 65536, c->count};
    if (!bigger.slots)
        return -1;
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i].key)
            bigger.slots[slot_of(&bigger, c->slots[i].key)] = c->slots[i];
    free(c->slots);
    *c = bigger;
    return 0;
}

/* Counts one co-occurrence of a < b: in a sentence or in a document. */
static int count_pair(struct cooccurrences *c, uint32_t a, uint32_t b, bool sentence)
{
    if ((c->count + 1) * 2 > c->cap && grow(c) < 0)
        return -1;
    uint64_t key = (uint64_t)a << 32 | b;
    struct cooccurrence *s = &c->slots[slot_of(c, key)];
    if (!s->key) {
        s->key = key;
        c->count++;
    }
    if (sentence)
        s->sentences++;
    else
        s->documents++;
    return 0;
}

/* Every two of the n ascending distinct entities, once. */
static int count_all_pairs(struct cooccurrences *c, const uint32_t *entities, size_t n,
                           bool sentence)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            if (count_pair(c, entities[i], entities[k], sentence) < 0)
                return -1;
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The pairs of one document (sorted by sentence, then entity): its sentences' co-occurrences,
 * then its distinct entities' (scratch holds n entities). */
static int count_document(struct cooccurrences *c, const struct entity_sentence *p, size_t n,
                          uint32_t *scratch)
{
    for (size_t i = 0; i < n;) {
        size_t k = 0;
        for (sqlite3_int64 s = p[i].sentence; i < n && p[i].sentence == s; i++)
            scratch[k++] = (uint32_t)p[i].entity;
        if (count_all_pairs(c, scratch, k, true) < 0)
            return -1;
    }
    for (size_t i = 0; i < n; i++)
        scratch[i] = (uint32_t)p[i].entity;
    qsort(scratch, n, sizeof *scratch, cmp_u32);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (distinct == 0 || scratch[distinct - 1] != scratch[i])
            scratch[distinct++] = scratch[i];
    return count_all_pairs(c, scratch, distinct, false);
}

struct related_row {
    uint32_t entity, other, sentences, documents;
};

static int cmp_row(const void *a, const void *b)
{
    const struct related_row *x = a, *y = b;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    if (x->sentences != y->sentences)
        return x->sentences > y->sentences ? -1 : 1;
    if (x->documents != y->documents)
        return x->documents > y->documents ? -1 : 1;
    return (x->other > y->other) - (x->other < y->other);
}

static int insert_rows(sqlite3 *db, const struct related_row *rows, size_t n)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(
        db, "INSERT INTO related(entity,sentences,documents,other) VALUES(?,?,?,?)", -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        sqlite3_bind_int64(st, 1, rows[i].entity);
        sqlite3_bind_int64(st, 2, rows[i].sentences);
        sqlite3_bind_int64(st, 3, rows[i].documents);
        sqlite3_bind_int64(st, 4, rows[i].other);
        rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : sqlite3_errcode(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Both directions of every counted pair, in the table's key order. */
static int write_rows(sqlite3 *db, const struct cooccurrences *c)
{
    struct related_row *rows = malloc((c->count ? c->count : 1) * 2 * sizeof *rows);
    if (!rows)
        return SQLITE_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < c->cap; i++) {
        const struct cooccurrence *s = &c->slots[i];
        if (!s->key)
            continue;
        uint32_t a = (uint32_t)(s->key >> 32), b = (uint32_t)s->key;
        rows[n++] = (struct related_row){a, b, s->sentences, s->documents};
        rows[n++] = (struct related_row){b, a, s->sentences, s->documents};
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    int rc = insert_rows(db, rows, n);
    free(rows);
    return rc;
}

int store_build_related(sqlite3 *db, const struct entity_sentence *pairs, size_t n)
{
    struct cooccurrences c = {NULL, 0, 0};
    uint32_t *scratch = NULL;
    size_t scratch_cap = 0;
    int rc = SQLITE_OK;
    for (size_t i = 0; i < n && rc == SQLITE_OK;) {
        size_t end = i;
        while (end < n && pairs[end].doc == pairs[i].doc)
            end++;
        if (end - i > scratch_cap) {
            free(scratch);
            scratch_cap = end - i;
            if (!(scratch = malloc(scratch_cap * sizeof *scratch)))
                rc = SQLITE_NOMEM;
        }
        if (rc == SQLITE_OK && count_document(&c, pairs + i, end - i, scratch) < 0)
            rc = SQLITE_NOMEM;
        i = end;
    }
    free(scratch);
    if (rc == SQLITE_OK)
        rc = write_rows(db, &c);
    free(c.slots);
    return rc;
}
