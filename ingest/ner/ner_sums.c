/*
 * ner_sums.c — the tagger's summed rows of frequent words (see ner_tagger.h). Some thirty of a
 * token's seventy features read one word's string alone (its form, affixes, shape, lexicon
 * classes, cluster; those of the word before and after it): for a frequent word their rows add
 * up to the same label scores in every document, so they are summed once per stage and place
 * and read back as one line of the cache instead of thirty scattered rows.
 *
 * The sums are filled lazily by whichever ingest thread first needs one: a slot is claimed by a
 * compare-and-swap, written, then published with a release store; a thread that finds it being
 * written sums the rows itself. Nothing else in the model changes after loading.
 */
#include "ingest/ner/ner_tagger.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

enum { SUM_EMPTY, SUM_WRITING, SUM_READY };

struct ner_sum {
    _Atomic uint32_t state;
    int32_t acc[NER_NLABELS];
};

/* The feature class of each place (NER_SUM_PREV, NER_SUM_SELF, NER_SUM_NEXT). */
static const unsigned sum_class[NER_SUM_PLACES] = {NER_FC_PREV, NER_FC_SELF, NER_FC_NEXT};

struct sum_rank {
    uint32_t count, path;
};

/* Most frequent first; ties in file order, so the slots do not depend on qsort. */
static int sum_rank_cmp(const void *a, const void *b)
{
    const struct sum_rank *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->path < y->path ? -1 : x->path > y->path;
}

int ner_sums_open(struct ner_model *m, struct ner_tagger *t)
{
    if (!m->n_paths)
        return 0;
    struct sum_rank *r = malloc(m->n_paths * sizeof *r);
    m->sum_slot = malloc(m->n_paths * sizeof *m->sum_slot);
    if (!r || !m->sum_slot) {
        free(r);
        ner_sums_close(m, t);
        return -1;
    }
    for (size_t p = 0; p < m->n_paths; p++) {
        r[p] = (struct sum_rank){m->paths[p].count, (uint32_t)p};
        m->sum_slot[p] = -1;
    }
    qsort(r, m->n_paths, sizeof *r, sum_rank_cmp);
    size_t slots = 0;
    while (slots < m->n_paths && slots < NER_SUM_WORDS && r[slots].count > 0) {
        m->sum_slot[r[slots].path] = (int32_t)slots;
        slots++;
    }
    free(r);
    /* calloc: all SUM_EMPTY; pages untouched until a slot is filled */
    for (int s = 0; s < NER_NSTAGES; s++)
        if (slots && !(t->sums[s] = calloc(slots * NER_SUM_PLACES, sizeof *t->sums[s]))) {
            ner_sums_close(m, t);
            return -1;
        }
    for (int s = 0; s < NER_NSTAGES; s++)
        t->stage[s].sums = t->sums[s];
    return 0;
}

void ner_sums_close(struct ner_model *m, struct ner_tagger *t)
{
    free(m->sum_slot);
    m->sum_slot = NULL;
    for (int s = 0; t && s < NER_NSTAGES; s++) {
        free(t->sums[s]);
        t->sums[s] = NULL;
        t->stage[s].sums = NULL;
    }
}

/* Adds the sum of the rows of token i's features of one place's class to acc: read from the
 * slot when it is ready, else summed here and, when the slot can be claimed, kept. */
static void sum_add_place(const struct ner_weights *w, const struct ner_tctx *c, size_t i,
                          struct ner_sum *e, unsigned cls, int32_t *acc)
{
    int32_t part[NER_NLABELS] = {0};
    const int32_t *sum = e->acc;
    if (atomic_load_explicit(&e->state, memory_order_acquire) != SUM_READY) {
        uint32_t f[NER_MAX_FEATS];
        size_t total, nf = ner_features_part(c, i, cls, w->bucket_bits, f, &total);
        ner_score_add(w, f, nf, part);
        uint32_t empty = SUM_EMPTY;
        if (atomic_compare_exchange_strong_explicit(&e->state, &empty, SUM_WRITING,
                                                    memory_order_acquire, memory_order_relaxed)) {
            memcpy(e->acc, part, sizeof part);
            atomic_store_explicit(&e->state, SUM_READY, memory_order_release);
        }
        sum = part;
    }
    for (int l = 0; l < NER_NLABELS; l++)
        acc[l] += sum[l];
}

unsigned ner_sums_add(const struct ner_weights *w, const struct ner_tctx *c, size_t i, int32_t *acc)
{
    unsigned want = NER_FC_ALL;
    if (!w->sums)
        return want;
    for (int place = 0; place < NER_SUM_PLACES; place++) {
        /* the word before (i - 1: past the end for i = 0), the token, the word after (i + 1) */
        size_t j = i + (size_t)place - 1;
        if (j >= c->d->n || c->d->t[j].path < 0)
            continue; /* no word there, or not one of the clusters' vocabulary as written */
        int32_t slot = c->d->m->sum_slot[c->d->t[j].path];
        if (slot < 0)
            continue;
        sum_add_place(w, c, i, &w->sums[(size_t)slot * NER_SUM_PLACES + (size_t)place],
                      sum_class[place], acc);
        want &= ~sum_class[place];
    }
    return want;
}
