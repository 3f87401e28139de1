/*
 * ner_train.c — trains the entity tagger (ingest/ner/ner_tagger.h) and writes its weights file
 * (`make ner-model`). Offline tool: not linked into the server.
 *
 * Training documents (CoNLL files) are detokenised, split into sentences and tokenised by the very
 * code ingest uses, and the gold entities are mapped onto those tokens as BILOU labels, so the
 * model learns on exactly what it will see. Each stage is an averaged perceptron over hashed
 * features (dense while training, stored sparse), trained with the gold previous labels.
 * Stage 2's non-local features need stage-1 labels that are as wrong as they will be on new text:
 * they come from K-fold jackknifing (each fold tagged by a stage-1 model trained on the others).
 * Deterministic: documents are shuffled by a fixed-seed generator, no threads.
 *
 * usage: ner_train [--data DIR] [--epochs N] [--bits B] [--folds K] [--seed S] [--dev FILE]
 *                  --out FILE TRAIN.conll...
 */
#include "ingest/ner/ner_tagger.h"
#include "ingest/text/sentences.h"
#include "base/wordlist.h"
#include "tools/conll.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tdoc {
    struct ner_doc d;
    struct ner_tctx c;
    uint8_t *gold;
    uint8_t *y1; /* jackknifed stage-1 labels */
};

struct opts {
    const char *data, *out, *dev;
    int epochs;
    uint32_t bits;
    size_t folds;
    uint64_t seed;
};

static uint64_t rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* BILOU labels of d's tokens from the gold entities' byte spans; tokens that straddle an entity
 * boundary stay O (counted in *straddle). */
static void gold_labels(const struct edoc *e, struct tdoc *t, size_t *straddle)
{
    size_t k = 0;
    for (size_t g = 0; g < e->gold.n; g++) {
        size_t s = e->starts[e->gold.v[g].a], end = e->ends[e->gold.v[g].b - 1];
        while (k < t->d.n && t->d.t[k].end <= s)
            k++;
        size_t first = k;
        while (k < t->d.n && t->d.t[k].start < end) {
            if (t->d.t[k].start < s || t->d.t[k].end > end)
                (*straddle)++;
            k++;
        }
        int type = e->gold.v[g].type; /* T_PER.. == ENTITY_PERSON.. */
        for (size_t i = first; i < k; i++) {
            int pos = k - first == 1 ? NER_POS_U
                      : i == first   ? NER_POS_B
                      : i + 1 == k   ? NER_POS_L
                                     : NER_POS_I;
            t->gold[i] = (uint8_t)NER_LABEL(type, pos);
        }
    }
}

static void prepare(const struct ner_model *m, const struct wordlist *abbrev, const struct edoc *e,
                    struct tdoc *t, size_t *straddle)
{
    struct span *sents = NULL;
    size_t ns = 0;
    memset(t, 0, sizeof *t);
    t->d.m = m;
    t->d.text = e->text;
    t->d.len = e->len;
    if (sentences_split(abbrev, e->text, e->len, &sents, &ns) < 0 ||
        ner_tokenize(m, e->text, e->len, sents, ns, &t->d.t, &t->d.n) < 0 ||
        ner_tctx_init(&t->c, &t->d) < 0) {
        fprintf(stderr, "ner_train: out of memory\n");
        exit(2);
    }
    free(sents);
    t->gold = calloc(t->d.n + 1, 1);
    t->y1 = calloc(t->d.n + 1, 1);
    if (!t->gold || !t->y1)
        exit(2);
    gold_labels(e, t, straddle);
}

struct trainer {
    float *w, *u;
    uint32_t bits;
    double t;
};

static void train_doc(struct trainer *tr, struct tdoc *d, int stage)
{
    uint32_t f[NER_MAX_FEATS];
    float score[NER_NLABELS];
    struct ner_weights w = {.bucket_bits = tr->bits, .rows = tr->w};
    memcpy(d->c.y, d->gold, d->d.n);
    for (size_t i = 0; i < d->d.n; i++) {
        size_t nf = ner_features(&d->c, i, stage, tr->bits, f);
        ner_score(&w, f, nf, score);
        int prev = i ? d->gold[i - 1] : 0, gold = d->gold[i];
        int pred = ner_best_label(score, prev, i + 1 == d->d.n);
        tr->t += 1;
        if (pred == gold)
            continue;
        float tu = (float)tr->t;
        for (size_t k = 0; k < nf; k++) {
            size_t r = (size_t)f[k] * NER_NLABELS;
            tr->w[r + gold] += 1;
            tr->w[r + pred] -= 1;
            tr->u[r + gold] += tu;
            tr->u[r + pred] -= tu;
        }
    }
}

/* Trains one stage on the documents not in fold `skip` (of k; k == 0: all). Returns the averaged
 * dense weights (malloc'd). */
static float *train_stage(struct tdoc *docs, size_t n, size_t k, size_t skip, int stage,
                          const struct opts *o)
{
    size_t cells = ((size_t)1 << o->bits) * NER_NLABELS;
    struct trainer tr = {calloc(cells, sizeof(float)), calloc(cells, sizeof(float)), o->bits, 1};
    size_t *order = malloc(n * sizeof *order), m = 0;
    if (!tr.w || !tr.u || !order) {
        fprintf(stderr, "ner_train: out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++)
        if (!k || i % k != skip)
            order[m++] = i;
    uint64_t rng = o->seed;
    for (int ep = 0; ep < o->epochs; ep++) {
        for (size_t i = m; i > 1; i--) {
            size_t j = (size_t)(rng_next(&rng) % i), x = order[i - 1];
            order[i - 1] = order[j];
            order[j] = x;
        }
        for (size_t i = 0; i < m; i++)
            train_doc(&tr, &docs[order[i]], stage);
    }
    float inv = (float)(1.0 / tr.t);
    for (size_t i = 0; i < cells; i++)
        tr.w[i] -= tr.u[i] * inv;
    free(tr.u);
    free(order);
    return tr.w;
}

static void set_nonlocal(struct tdoc *d, const uint8_t *labels)
{
    memcpy(d->c.y, labels, d->d.n);
    memset(d->c.other, 0, d->d.n);
    memset(d->c.major, 5, d->d.n);
    ner_tctx_nonlocal(&d->c);
}

/* ---------------------------------------------------------------- saving */

/* One stage, sparse and quantised to 16 bits (the largest weight maps to 32767). */
static int write_stage(FILE *f, const float *w, uint32_t bits)
{
    size_t buckets = (size_t)1 << bits;
    uint32_t *index = calloc(buckets, sizeof *index), rows = 0;
    float max = 0;
    if (!index)
        return -1;
    for (size_t b = 0; b < buckets; b++) {
        bool used = false;
        for (int l = 0; l < NER_NLABELS; l++) {
            float x = w[b * NER_NLABELS + l], ax = x < 0 ? -x : x;
            used |= ax > 1e-4f;
            max = ax > max ? ax : max;
        }
        if (used)
            index[b] = ++rows;
    }
    float scale = max > 0 ? max / 32767.0f : 1.0f;
    int rc = fwrite(&rows, 4, 1, f) == 1 && fwrite(&scale, 4, 1, f) == 1 &&
                     fwrite(index, 4, buckets, f) == buckets
                 ? 0
                 : -1;
    for (size_t b = 0; b < buckets && rc == 0; b++) {
        if (!index[b])
            continue;
        int16_t q[NER_NLABELS];
        for (int l = 0; l < NER_NLABELS; l++) {
            float x = w[b * NER_NLABELS + l] / scale;
            q[l] = (int16_t)(x < 0 ? x - 0.5f : x + 0.5f);
        }
        if (fwrite(q, sizeof q[0], NER_NLABELS, f) != NER_NLABELS)
            rc = -1;
    }
    static const char pad[4];
    size_t tail = ((size_t)rows * NER_NLABELS * sizeof(int16_t)) & 3u;
    if (rc == 0 && tail && fwrite(pad, 1, 4 - tail, f) != 4 - tail)
        rc = -1;
    fprintf(stderr, "  stage weights: %u of %zu buckets used\n", rows, buckets);
    free(index);
    return rc;
}

static int save(const char *path, float *const *stages, uint32_t bits)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    uint32_t hdr[4] = {NER_NLABELS, bits, NER_NSTAGES, 0};
    int rc = fwrite("CNERTAG2", 1, 8, f) == 8 && fwrite(hdr, 4, 4, f) == 4 ? 0 : -1;
    for (int s = 0; s < NER_NSTAGES && rc == 0; s++)
        rc = write_stage(f, stages[s], bits);
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

/* ---------------------------------------------------------------- dev scoring */

/* Entity-level exact-match counts on our tokens (a quick check; tests/eval/eval_ner is the
 * real score). */
static void dev_score(struct tdoc *docs, size_t n, float *const *stages, uint32_t bits)
{
    size_t tp = 0, np = 0, ng = 0;
    struct ner_weights w0 = {.bucket_bits = bits, .rows = stages[0]};
    struct ner_weights w1 = {.bucket_bits = bits, .rows = stages[1]};
    for (size_t i = 0; i < n; i++) {
        struct tdoc *d = &docs[i];
        ner_tag_stage(&d->c, &w0, 0, NULL);
        set_nonlocal(d, d->c.y);
        ner_tag_stage(&d->c, &w1, 1, NULL);
        for (size_t k = 0; k < d->d.n; k++) {
            int p = d->c.y[k], g = d->gold[k];
            bool ps = p && (NER_LABEL_POS(p) == NER_POS_B || NER_LABEL_POS(p) == NER_POS_U);
            bool gs = g && (NER_LABEL_POS(g) == NER_POS_B || NER_LABEL_POS(g) == NER_POS_U);
            np += ps;
            ng += gs;
            if (ps && gs && p == g) {
                size_t e = k;
                while (e < d->d.n && d->c.y[e] == d->gold[e] && d->gold[e] &&
                       NER_LABEL_POS(d->gold[e]) != NER_POS_L &&
                       NER_LABEL_POS(d->gold[e]) != NER_POS_U)
                    e++;
                tp += e < d->d.n && d->c.y[e] == d->gold[e];
            }
        }
    }
    double p = np ? (double)tp / np : 0, r = ng ? (double)tp / ng : 0;
    fprintf(stderr, "dev (our tokens): P %.2f R %.2f F1 %.2f\n", 100 * p, 100 * r,
            p + r > 0 ? 200 * p * r / (p + r) : 0);
}

static struct tdoc *load_docs(const struct ner_model *m, const struct wordlist *abbrev,
                              const char *const *files, size_t nfiles, struct edocs *ds, size_t *n)
{
    for (size_t i = 0; i < nfiles; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f) {
            perror(files[i]);
            exit(2);
        }
        conll_read(f, ds);
        fclose(f);
    }
    struct tdoc *docs = calloc(ds->n ? ds->n : 1, sizeof *docs);
    size_t straddle = 0, tokens = 0;
    if (!docs)
        exit(2);
    for (size_t i = 0; i < ds->n; i++) {
        prepare(m, abbrev, &ds->v[i], &docs[i], &straddle);
        tokens += docs[i].d.n;
    }
    fprintf(stderr, "%zu documents, %zu tokens (%zu straddle an entity boundary)\n", ds->n, tokens,
            straddle);
    *n = ds->n;
    return docs;
}

static void free_docs(struct tdoc *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ner_tctx_free(&docs[i].c);
        free(docs[i].d.t);
        free(docs[i].gold);
        free(docs[i].y1);
    }
    free(docs);
}

static int parse(int argc, char **argv, struct opts *o, const char **files, size_t *nfiles)
{
    *o = (struct opts){CORPUSD_DATA_DIR, NULL, NULL, 20, 18, 4, 20260101};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--data") == 0 && v)
            o->data = argv[++i];
        else if (strcmp(a, "--out") == 0 && v)
            o->out = argv[++i];
        else if (strcmp(a, "--dev") == 0 && v)
            o->dev = argv[++i];
        else if (strcmp(a, "--epochs") == 0 && v)
            o->epochs = atoi(argv[++i]);
        else if (strcmp(a, "--bits") == 0 && v)
            o->bits = (uint32_t)atoi(argv[++i]);
        else if (strcmp(a, "--folds") == 0 && v)
            o->folds = strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--seed") == 0 && v)
            o->seed = strtoull(argv[++i], NULL, 10);
        else if (a[0] != '-' && *nfiles < 16)
            files[(*nfiles)++] = a;
        else
            return -1;
    }
    return o->out && *nfiles && o->epochs > 0 && o->bits >= 12 && o->bits <= 24 && o->folds >= 2
               ? 0
               : -1;
}

int main(int argc, char **argv)
{
    struct opts o;
    const char *files[16];
    size_t nfiles = 0;
    if (parse(argc, argv, &o, files, &nfiles) < 0) {
        fprintf(stderr, "usage: ner_train [--data DIR] [--epochs N] [--bits B] [--folds K] "
                        "[--seed S] [--dev FILE] --out FILE TRAIN.conll...\n");
        return 2;
    }
    char *err = NULL;
    struct wordlist *abbrev = wordlist_load(o.data, "abbreviations.txt", false, &err);
    struct ner_model *m = abbrev ? ner_open_with(o.data, false, &err) : NULL;
    if (!m) {
        fprintf(stderr, "ner_train: %s\n", err ? err : "cannot load the lexicon");
        return 1;
    }
    struct edocs ds = {0}, dds = {0};
    size_t n = 0, ndev = 0;
    struct tdoc *docs = load_docs(m, abbrev, files, nfiles, &ds, &n);
    struct tdoc *dev = o.dev ? load_docs(m, abbrev, &o.dev, 1, &dds, &ndev) : NULL;
    for (size_t f = 0; f < o.folds; f++) {
        float *w = train_stage(docs, n, o.folds, f, 0, &o);
        struct ner_weights nw = {.bucket_bits = o.bits, .rows = w};
        for (size_t i = f; i < n; i += o.folds) {
            ner_tag_stage(&docs[i].c, &nw, 0, NULL);
            memcpy(docs[i].y1, docs[i].c.y, docs[i].d.n);
        }
        free(w);
        fprintf(stderr, "stage 1, fold %zu of %zu tagged\n", f + 1, o.folds);
    }
    float *stages[NER_NSTAGES];
    stages[0] = train_stage(docs, n, 0, 0, 0, &o);
    for (size_t i = 0; i < n; i++)
        set_nonlocal(&docs[i], docs[i].y1);
    stages[1] = train_stage(docs, n, 0, 0, 1, &o);
    if (dev)
        dev_score(dev, ndev, stages, o.bits);
    int rc = save(o.out, stages, o.bits);
    if (rc == 0)
        fprintf(stderr, "weights written to %s\n", o.out);
    for (int s = 0; s < NER_NSTAGES; s++)
        free(stages[s]);
    free_docs(docs, n);
    free_docs(dev, ndev);
    conll_docs_free(&ds);
    conll_docs_free(&dds);
    ner_close(m);
    wordlist_free(abbrev);
    free(err);
    return rc == 0 ? 0 : 1;
}
