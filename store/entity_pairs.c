/*
 * entity_pairs.c — the entity-sentence pairs of the mentions (see build.h), gathered while the
 * build writes its rows, for the related entities. With two threads they are handed to the side
 * thread (lookup_build.c) as soon as the rows are in, so that it builds the related entities
 * while the store derives its entity tables, instead of after them (it waited for
 * scratch.sentence_entities, and the store then waited for it: bench/RESULTS.md §7l).
 *
 * An entity's rowid is known before the entity is derived: derive_sql (build.c) inserts the
 * entities in id order into an empty table, so the rowid of an id is its rank among the
 * distinct ids of the written mentions.
 */
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/strmap.h"
#include "build.h"
#include "lookup_build.h"

struct entity_pairs {
    struct strmap rowids; /* entity id -> rowid */
    struct entity_sentence *pairs;
    size_t n, cap;
    size_t doc_first; /* the first pair of the document being written */
};

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Numbers the distinct ids in p->rowids by their order (BINARY collation: byte order). */
static int number_ids(struct entity_pairs *p)
{
    const char **keys = malloc((p->rowids.count ? p->rowids.count : 1) * sizeof *keys);
    if (!keys)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < p->rowids.cap; i++)
        if (p->rowids.slots[i].key)
            keys[n++] = p->rowids.slots[i].key;
    qsort(keys, n, sizeof *keys, cmp_key);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint32_t *v;
        rc = strmap_upsert(&p->rowids, keys[i], strlen(keys[i]), &v) < 0 ? -1 : 0;
        if (rc == 0)
            *v = (uint32_t)(i + 1);
    }
    free(keys);
    return rc;
}

struct entity_pairs *entity_pairs_new(struct doc *const *docs, size_t n_docs)
{
    struct entity_pairs *p = calloc(1, sizeof *p);
    char eid[STORE_ENTITY_ID_MAX];
    int rc = p ? 0 : -1;
    for (size_t i = 0; i < n_docs && rc == 0; i++)
        for (size_t k = 0; k < docs[i]->n_mentions && rc == 0; k++) {
            const struct mention *m = &docs[i]->mentions[k];
            if (!store_mention_written(docs[i], m))
                continue;
            store_entity_id(m->type, m->name, eid, sizeof eid);
            uint32_t *v;
            rc = strmap_upsert(&p->rowids, eid, strlen(eid), &v) < 0 ? -1 : 0;
        }
    if (rc == 0)
        rc = number_ids(p);
    if (rc < 0) {
        entity_pairs_free(p);
        return NULL;
    }
    return p;
}

int entity_pairs_add(struct entity_pairs *p, const char *eid, sqlite3_int64 doc, size_t sentence)
{
    uint32_t rowid;
    if (!strmap_get(&p->rowids, eid, strlen(eid), &rowid))
        return -1; /* every written mention's id was numbered */
    if (BASE_GROW(p->pairs, p->cap, p->n, 16384) < 0)
        return -1;
    p->pairs[p->n++] = (struct entity_sentence){rowid, doc, (sqlite3_int64)sentence};
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    const struct entity_sentence *x = a, *y = b;
    if (x->sentence != y->sentence)
        return x->sentence < y->sentence ? -1 : 1;
    return (x->entity > y->entity) - (x->entity < y->entity);
}

void entity_pairs_end_doc(struct entity_pairs *p)
{
    size_t n = p->n - p->doc_first, kept = 0;
    if (n == 0)
        return; /* no pairs (and maybe no array yet) */
    struct entity_sentence *first = p->pairs + p->doc_first;
    qsort(first, n, sizeof *first, cmp_pair);
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || cmp_pair(&first[kept - 1], &first[i]) != 0)
            first[kept++] = first[i];
    p->n = p->doc_first + kept;
    p->doc_first = p->n;
}

void entity_pairs_take(struct entity_pairs *p, struct entity_sentence **pairs, size_t *n)
{
    *pairs = p->pairs;
    *n = p->n;
    p->pairs = NULL;
    p->n = p->cap = p->doc_first = 0;
}

void entity_pairs_free(struct entity_pairs *p)
{
    if (!p)
        return;
    strmap_free(&p->rowids);
    free(p->pairs);
    free(p);
}
