/*
 * entity_pairs.c — the entity-sentence pairs of the mentions (see build.h), gathered while the
 * build writes its rows, for the related entities. With two threads they are handed to the side
 * thread (lookup_build.c) as soon as the rows are in, so that it builds the related entities
 * while the store derives its entity tables, instead of after them (it waited for
 * scratch.sentence_entities, and the store then waited for it: bench/RESULTS.md §7l). The
 * build also reads each document's pairs back for its events' entities (event_entities).
 *
 * The entities are numbered before the rows are written (entity_tables.c).
 */
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "build.h"
#include "lookup_build.h"

struct entity_pairs {
    struct entity_sentence *pairs;
    size_t n, cap;
    size_t doc_first;  /* the first pair of the document being written */
    size_t last_first; /* the first pair of the document ended last */
};

struct entity_pairs *entity_pairs_new(void)
{
    return calloc(1, sizeof(struct entity_pairs));
}

int entity_pairs_add(struct entity_pairs *p, uint32_t entity, sqlite3_int64 doc, size_t sentence)
{
    if (BASE_GROW(p->pairs, p->cap, p->n, 16384) < 0)
        return -1;
    p->pairs[p->n++] = (struct entity_sentence){entity, doc, (sqlite3_int64)sentence};
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
    p->last_first = p->doc_first;
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

size_t entity_pairs_of_doc(const struct entity_pairs *p, const struct entity_sentence **first)
{
    size_t n = p->n - p->last_first;
    *first = n ? p->pairs + p->last_first : NULL; /* no array yet: no offset on NULL */
    return n;
}

void entity_pairs_take(struct entity_pairs *p, struct entity_sentence **pairs, size_t *n)
{
    *pairs = p->pairs;
    *n = p->n;
    p->pairs = NULL;
    p->n = p->cap = p->doc_first = p->last_first = 0;
}

void entity_pairs_free(struct entity_pairs *p)
{
    if (!p)
        return;
    free(p->pairs);
    free(p);
}
