/*
 * ner_tagger.h — the statistical sequence tagger (internal to ingest/ner and tools/ner_train).
 *
 * Each token of a document gets one of 17 BILOU labels (O, and Begin/Inside/Last/Unit of PERSON,
 * ORG, LOC, MISC) from a linear model over hashed features, decoded greedily left to right with
 * the previous two predictions as features (Ratinov & Roth 2009 found greedy BILOU decoding as
 * good as Viterbi). Two stages: stage 1 uses local features only; stage 2 adds what stage 1 said
 * about the same word elsewhere in the document (non-local consistency).
 *
 * The weights file (ingest/data/ner_model.bin, written by tools/ner_train) is mapped once
 * (read-only) and shared by every ingest thread. Layout (little-endian):
 *   char magic[8] "CNERTAG2"; uint32 n_labels (17), bucket_bits, n_stages (2), reserved;
 *   per stage: uint32 n_rows; float scale; uint32 index[1 << bucket_bits] (row + 1, 0 = zero
 *              row); int16 rows[n_rows][n_labels] (weight = value * scale); padding to 4 bytes.
 * The trainer numbers the rows in bucket order; loading checks that and turns each index into a
 * rank table (struct ner_rank_word), which is what tagging reads.
 */
#ifndef INGEST_NER_TAGGER_H
#define INGEST_NER_TAGGER_H

#include "ingest/ner/ner_internal.h"

#include <stdint.h>

#define NER_NLABELS 17
#define NER_NSTAGES 2
#define NER_MAX_FEATS 96
#define NER_TAGGER_FILE "ner_model.bin"
#define NER_CLUSTER_FILE "ner_clusters.txt"

/* Label l: 0 = O; else type (l - 1) / 4 (enum entity_type) and position (l - 1) % 4. */
enum { NER_POS_B = 0, NER_POS_I, NER_POS_L, NER_POS_U };
#define NER_LABEL(type, pos) (1 + 4 * (type) + (pos))
#define NER_LABEL_TYPE(l) (((l)-1) / 4)
#define NER_LABEL_POS(l) (((l)-1) % 4)

/* Whether label l leaves a name open (B or I: the next token must continue it). */
static inline bool ner_label_open(int l)
{
    return l > 0 && (NER_LABEL_POS(l) == NER_POS_B || NER_LABEL_POS(l) == NER_POS_I);
}

/* Whether label `next` may follow label `prev` (BILOU: B/I continue with I/L of the same type).
 * Inline: decoding asks it for every label of every token. */
static inline bool ner_label_follows(int prev, int next)
{
    if (!ner_label_open(prev))
        return next == 0 || NER_LABEL_POS(next) == NER_POS_B || NER_LABEL_POS(next) == NER_POS_U;
    return next > 0 && NER_LABEL_TYPE(next) == NER_LABEL_TYPE(prev) &&
           (NER_LABEL_POS(next) == NER_POS_I || NER_LABEL_POS(next) == NER_POS_L);
}

/* 64 hash buckets: which of them have a row, and the row of the first of those (the rows are
 * stored in bucket order, so a bucket's row is base + the set bits below it). */
struct ner_rank_word {
    uint64_t used;
    uint32_t base;
    uint32_t unused;
};

/* One stage's weights: row index per hash bucket and the rows (borrowed from the model buffer,
 * or owned by the trainer). */
struct ner_weights {
    uint32_t bucket_bits;
    uint32_t n_rows;       /* rows behind index (unused for dense weights) */
    const uint32_t *index; /* NULL for dense weights (the trainer): row = bucket */
    /* The index as a bitmap with ranks (16 bytes per 64 buckets, 64 KB for 2^18): small enough
     * to stay in a core's cache, where the index (4 bytes a bucket) is a cache miss per feature. */
    const struct ner_rank_word *rank;
    const float *rows;    /* dense float rows (the trainer), or NULL */
    const int16_t *qrows; /* quantised rows of the weights file */
    float scale;          /* weight = qrows value * scale */
    /* The summed rows of frequent words' own features (ner_sums.c), or NULL (the trainer). */
    struct ner_sum *sums;
};

struct ner_tagger {
    void *buf; /* the whole weights file, mapped read-only (owned) */
    size_t len;
    struct ner_rank_word *rank[NER_NSTAGES]; /* each stage's rank table (owned) */
    struct ner_weights stage[NER_NSTAGES];
    struct ner_sum *sums[NER_NSTAGES]; /* each stage's sums (owned, ner_sums.c) */
};

/* Reads data_dir/ner_model.bin (absent: 0 with t->buf NULL, the tagger is off). 0, or -1 with
 * *err set on a malformed file or out of memory. */
int ner_tagger_load(struct ner_tagger *t, const char *path, char **err);
void ner_tagger_free(struct ner_tagger *t);

/* Word clusters: struct ner_cluster_path (ner_internal.h). */
/* Loads the word clusters of path into m (absent file: no cluster features). 0 or -1, *err. */
int ner_clusters_load(struct ner_model *m, const char *path, char **err);

/* A person the rules found through a title right before the name ("Minister of Foreign Affairs
 * Tomas Varga"): tokens [a, b), title from role_a. */
struct ner_titled {
    size_t role_a, a, b;
};

/* Per-document working state of feature extraction. */
struct ner_tctx {
    const struct ner_doc *d;
    uint64_t *h_word;   /* exact form */
    uint64_t *h_lower;  /* ASCII-lowercased form */
    uint64_t *h_shape;  /* collapsed word shape ("Xx", "X.X.", "d-d") */
    uint64_t *h_affix;  /* 8 per token: prefixes then suffixes of length 1..4 */
    int32_t *cluster;   /* index into the model's cluster paths, or -1 */
    uint32_t *gaz;      /* bit (kind * 4 + BILOU position) of gazetteer spans over the token */
    uint8_t *rule;      /* the rule extractor's reading: 0, or 1 + type * 4 + BILOU position
                           + 32 * evidence (enum ner_evidence), + 128 when doubtful */
    uint8_t *other;     /* stage 2: bit t = the word is labelled type t elsewhere (bit 4 = O) */
    uint32_t *run_prev; /* token before the capitalised run holding the token (UINT32_MAX: none) */
    uint32_t *run_next; /* token after that run */
    uint32_t *run_last; /* the run's last capitalised word */
    uint8_t *own;       /* stage 2: the token's own stage-1 type (4 = O) */
    uint8_t *major; /* stage 2: most frequent stage-1 type of the word elsewhere, 4 = O, 5 none */
    uint8_t *y;     /* labels predicted so far */
    uint8_t *quiet; /* 1: the token is O without scoring (ner_tag_quiet), or NULL: none is */
    struct ner_titled *titled; /* the rules' titled persons (malloc'd), n_titled of them */
    size_t n_titled, cap_titled;
    struct ner_titled *headed; /* the rules' "Ministry of …" organisations (role_a unused) */
    size_t n_headed, cap_headed;
    /* Every token's local features (n_local[i] of them from local_at[i]), hashed by the first
     * stage and read back by the second instead of hashed again: they depend on the text
     * alone. NULL until a stage computes them (and for very long documents, ner_tagger.c). */
    uint32_t *local; /* the lists, one after another (used_local of cap_local) */
    size_t cap_local, used_local;
    uint32_t *local_at;  /* where token i's list starts in local */
    uint8_t *n_local;    /* | NER_LOCAL_WHOLE: the whole list, no sums added (ner_tagger.c) */
    bool local_lost;     /* a list could not be kept: the next stage hashes them again */
    uint32_t local_bits; /* the bucket bits they were folded to */
    bool local_ready;    /* a whole stage has written them */
};

int ner_tctx_init(struct ner_tctx *c, const struct ner_doc *d);
void ner_tctx_free(struct ner_tctx *c);
/* Fills other/major from the labels in c->y (stage 1 output). */
void ner_tctx_nonlocal(struct ner_tctx *c);
/* The hashed features of token i for the stage (0 or 1), labels before i taken from c->y.
 * Writes at most NER_MAX_FEATS bucket numbers (masked to bucket_bits) and returns the count. */
size_t ner_features(const struct ner_tctx *c, size_t i, int stage, uint32_t bucket_bits,
                    uint32_t *out);
/* The same in two parts: the features that depend on the text alone (written from out[0]), then
 * those of the stage and of the labels before i, appended after the first n. Each returns the
 * count written so far. */
size_t ner_features_local(const struct ner_tctx *c, size_t i, uint32_t bucket_bits, uint32_t *out);
/* The classes of local features: of the token's own string, of the word before's or after's
 * string alone, or of anything else (two words, flags, the document). */
enum { NER_FC_MIXED = 1, NER_FC_PREV = 2, NER_FC_SELF = 4, NER_FC_NEXT = 8, NER_FC_ALL = 15 };
/* Token i's local features of the classes in want, in the order ner_features_local writes
 * them; *total gets the length of the whole list. */
size_t ner_features_part(const struct ner_tctx *c, size_t i, unsigned want, uint32_t bucket_bits,
                         uint32_t *out, size_t *total);
size_t ner_features_context(const struct ner_tctx *c, size_t i, int stage, uint32_t bucket_bits,
                            uint32_t *out, size_t n);
/* The most features ner_features_context appends (4, and 6 more in stage 2). */
#define NER_MAX_CONTEXT_FEATS 10

/* Scores the labels of a feature vector into score[NER_NLABELS]. */
void ner_score(const struct ner_weights *w, const uint32_t *f, size_t nf, float *score);
/* Adds the quantised rows of the features to acc[NER_NLABELS] (weights of a file only). */
void ner_score_add(const struct ner_weights *w, const uint32_t *f, size_t nf, int32_t *acc);

/* ---- summed rows of frequent words (ner_sums.c) ----
 * The features of one token's string seen from one place (the word itself, the word after it,
 * the word before it) add up to the same label scores wherever the word occurs: for the
 * NER_SUM_WORDS most frequent words of the clusters' vocabulary those sums are kept, filled the
 * first time a document needs them (by any thread: each slot is claimed atomically), so a token
 * reads three sums instead of some thirty rows. Integer sums: the scores are the same. */
#define NER_SUM_WORDS 16384
enum { NER_SUM_PREV, NER_SUM_SELF, NER_SUM_NEXT, NER_SUM_PLACES };
struct ner_sum;
/* Numbers the most frequent words' paths (m->sum_slot) and allocates each stage's sums. 0, or
 * -1 when out of memory (the tagger then works without them). */
int ner_sums_open(struct ner_model *m, struct ner_tagger *t);
void ner_sums_close(struct ner_model *m, struct ner_tagger *t);
/* Adds the sums of token i's neighbourhood to acc and returns the classes of local features
 * (NER_FC_*) still to be scored one by one: those of places whose word has no slot. */
unsigned ner_sums_add(const struct ner_weights *w, const struct ner_tctx *c, size_t i,
                      int32_t *acc);
/* The best label that may follow prev (and may end the sentence or document when last). */
int ner_best_label(const float *score, int prev, bool last);

/* Marks in c->quiet the tokens of plain lower-case prose, two plain tokens on each side (words
 * of the dictionary in lower case, numbers, punctuation): ner_tag_stage labels them O without
 * scoring them unless a name is open before them. Not for a document with under one capitalised
 * word in 50 (c->quiet stays NULL), nor on a failed allocation. */
void ner_tag_quiet(struct ner_tctx *c);

/* Tags the document in c->d with one stage into c->y (margins, may be NULL, get each token's
 * score minus the best score of an allowed label of another type, O counting as a type; a huge
 * value inside an entity, where no other type may follow). */
void ner_tag_stage(struct ner_tctx *c, const struct ner_weights *w, int stage, float *margin);

/* The jobs the rules keep after decoding (ner_tagger_rules.c): organisation cues, titles,
 * organisation heads, company names with a possessive or connector. 0 or -1 (OOM). */
int ner_tagger_rules(struct ner_doc *d, const struct ner_tctx *tc);

/* Runs both stages and adds the entities as candidates of d. 0 or -1 (OOM). */
int ner_tagger_run(struct ner_doc *d);

#endif
