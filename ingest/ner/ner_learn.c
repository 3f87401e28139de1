/*
 * ner_learn.c — an optional learned re-typer for the rule candidates: an averaged perceptron over
 * hashed features of each candidate (the rule's type and evidence, gazetteer kind, word-list
 * classes, shapes and affixes of its words, and the ordinary English words around it). It picks
 * PERSON, ORG, LOC, MISC or "not a name" for every candidate the rules found.
 *
 * Features never use the identity of a capitalised word — only common-word context ("band",
 * "in", "said") and word shape — so the weights name no person, organisation or place and carry
 * over from the training data (Wikigold, CC BY 4.0) to news. Without a weights file
 * (ner_weights.txt in the data directory) the extractor is rules-only.
 */
#include "ingest/ner/ner_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NER_MAX_FEATS 64
#define NER_DROP_MARGIN 12.0f
/* A one-word ORG is retyped only when another type scores at least this much higher. */
#define NER_ORG_KEEP_MARGIN 0.0f
/* Candidates typed by the rules with at least this evidence are neither retyped nor dropped. */
#define NER_EV_PROTECT NER_EV_CONTEXT

/* ---------------------------------------------------------------- features */

struct ner_fv {
    uint32_t f[NER_MAX_FEATS];
    size_t n;
};

static uint32_t ner_fnv(uint32_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

/* Adds feature "name=value" (value may be NULL); name is given by its hash (ner_name). */
static void ner_feat_h(struct ner_fv *v, uint32_t name, const char *val, size_t len)
{
    if (v->n >= NER_MAX_FEATS)
        return;
    uint32_t h = name;
    if (val) {
        h = ner_fnv(h, "=", 1);
        h = ner_fnv(h, val, len);
    }
    v->f[v->n++] = h & (NER_WBUCKETS - 1);
}

/* Hash of a feature name "pre" + "suffix" (either may be ""). */
static uint32_t ner_name(const char *pre, const char *suffix)
{
    return ner_fnv(ner_fnv(2166136261u, pre, strlen(pre)), suffix, strlen(suffix));
}

static void ner_feat(struct ner_fv *v, const char *name, const char *val, size_t len)
{
    ner_feat_h(v, ner_name(name, ""), val, len);
}

static void ner_feat_int_h(struct ner_fv *v, uint32_t name, long x)
{
    char buf[24];
    size_t n = 0;
    unsigned long u = x < 0 ? (unsigned long)-x : (unsigned long)x;
    do {
        buf[sizeof buf - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u && n < 20);
    if (x < 0)
        buf[sizeof buf - 1 - n++] = '-';
    ner_feat_h(v, name, buf + sizeof buf - n, n);
}

static void ner_feat_int(struct ner_fv *v, const char *name, long x)
{
    ner_feat_int_h(v, ner_name(name, ""), x);
}

/* Word shape: runs of X (upper), x (lower), d (digit), other bytes kept, collapsed. */
static size_t ner_shape_str(const char *s, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    char last = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        char k = c >= 'A' && c <= 'Z'   ? 'X'
                 : c >= 'a' && c <= 'z' ? 'x'
                 : c >= '0' && c <= '9' ? 'd'
                 : c >= 0x80            ? 'u'
                                        : (char)c;
        if (k != last)
            out[n++] = k;
        last = k;
    }
    return n;
}

static void ner_lower(const char *s, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
}

/* Context word at token i under a name: an ordinary word as itself, a capitalised one by shape
 * only, punctuation as itself. */
static void ner_ctx(struct ner_fv *v, const struct ner_doc *d, const char *name, size_t i,
                    bool valid)
{
    char buf[40];
    if (!valid || i >= d->n) {
        ner_feat(v, name, "<none>", 6);
        return;
    }
    const struct ner_tok *t = &d->t[i];
    size_t len = t->end - t->start;
    const char *w = d->text + t->start;
    if ((t->flags & NT_WORD) && (t->lex & (NL_COMMON | NL_FUNC | NL_ORGCUE | NL_LOCCUE)) &&
        len < sizeof buf) {
        ner_lower(w, len, buf);
        ner_feat(v, name, buf, len);
    } else if (t->flags & NT_WORD) {
        size_t n = ner_shape_str(w, len, buf, sizeof buf);
        ner_feat(v, name, buf, n);
    } else if (len < sizeof buf) {
        ner_feat(v, name, w, len);
    }
}

static void ner_lexbits(struct ner_fv *v, uint32_t name, uint32_t lex)
{
    for (int b = 0; b < 24; b++)
        if (lex & (1u << b))
            ner_feat_int_h(v, name, b);
}

static void ner_word_feats(struct ner_fv *v, const struct ner_doc *d, const char *pre, size_t i)
{
    const struct ner_tok *t = &d->t[i];
    const char *w = d->text + t->start;
    size_t len = t->end - t->start;
    char buf[40];
    ner_feat_h(v, ner_name(pre, ".shape"), buf, ner_shape_str(w, len, buf, sizeof buf));
    ner_lexbits(v, ner_name(pre, ".lex"), t->lex);
    if (len >= 4 && len < sizeof buf) {
        ner_lower(w, len, buf);
        ner_feat_h(v, ner_name(pre, ".suf3"), buf + len - 3, 3);
        ner_feat_h(v, ner_name(pre, ".suf2"), buf + len - 2, 2);
        if (t->lex & NL_COMMON)
            ner_feat_h(v, ner_name(pre, ".w"), buf, len);
    }
}

/* Words of multi-word candidates -> rule type + 1 (a doc-level feature for short forms). */
/* Doc-level evidence about a one-word name, keyed by its text (bits, with 0x80 added so a
 * key is never stored with value 0): 1 seen after "in"/"near", 2 seen as a sentence subject (a
 * verb follows), 4 seen more than once. Single words are keyed with a leading "1:". */
static int ner_single_evidence(const struct ner_doc *d, const struct ner_cand *c,
                               struct ner_map *words)
{
    char key[66];
    const struct ner_tok *t = &d->t[c->a];
    size_t n = t->end - t->start;
    uint32_t v = 0x80, old = 0;
    if (n + 2 > sizeof key)
        return 0;
    key[0] = '1';
    key[1] = ':';
    memcpy(key + 2, d->text + t->start, n);
    if (ner_map_get(words, key, n + 2, &old))
        v |= old | 4;
    if (c->a > 0 && (d->t[c->a - 1].lex & NL_LOCPREP) && (d->t[c->a - 1].flags & NT_LOWER))
        v |= 1;
    if (c->b < d->n && (d->t[c->b].flags & NT_LOWER) && !(d->t[c->b].lex & NL_FUNC) &&
        (d->t[c->b].lex & NL_COMMON) && !(d->t[c->b].lex & NL_LOCCUE))
        v |= 2;
    return ner_map_set(words, key, n + 2, v);
}

static int ner_long_words(const struct ner_doc *d, struct ner_map *words)
{
    for (size_t i = 0; i < d->nc; i++) {
        const struct ner_cand *c = &d->c[i];
        if (c->b - c->a == 1 && c->ev != NER_EV_SUPPORT && ner_single_evidence(d, c, words) < 0)
            return -1;
        if (c->b - c->a < 2 || c->ev == NER_EV_SUPPORT)
            continue;
        for (size_t k = c->a; k < c->b; k++) {
            const struct ner_tok *t = &d->t[k];
            if ((t->flags & (NT_CAP | NT_UPPER)) &&
                ner_map_put(words, d->text + t->start, t->end - t->start, (uint32_t)c->type + 1,
                            false) < 0)
                return -1;
        }
    }
    return 0;
}

static void ner_cand_features(const struct ner_doc *d, const struct ner_cand *c, struct ner_fv *v,
                              const struct ner_map *words)
{
    static const char *const ev[] = {"support", "weak", "context", "strong"};
    size_t n = c->b - c->a;
    v->n = 0;
    ner_feat(v, "bias", NULL, 0);
    ner_feat_int(v, "rt", c->type);
    char buf[32];
    int k = snprintf(buf, sizeof buf, "%d|%s", (int)c->type, ev[c->ev]);
    ner_feat(v, "rt.ev", buf, (size_t)k);
    ner_feat_int(v, "gaz", c->gaz < 0 ? -1 : d->m->gaz[c->gaz].kind);
    int g0 =
        ner_gaz_lookup(d->m, d->text + d->t[c->a].start, d->t[c->a].end - d->t[c->a].start, false);
    ner_feat_int(v, "gaz.first", g0 < 0 || c->b - c->a < 2 ? -1 : d->m->gaz[g0].kind);
    ner_feat_int(v, "len", n > 4 ? 4 : (long)n);
    ner_feat_int(v, "role", c->role_b > c->role_a);
    ner_feat_int(v, "doubtful", c->doubtful);
    ner_word_feats(v, d, "f", c->a);
    ner_word_feats(v, d, "l", c->b - 1);
    uint32_t all = 0, flags = 0;
    for (size_t i = c->a; i < c->b; i++) {
        all |= d->t[i].lex;
        flags |= d->t[i].flags;
    }
    ner_lexbits(v, ner_name("in.lex", ""), all);
    ner_feat_int(v, "sstart", (d->t[c->a].flags & NT_SSTART) != 0);
    ner_feat_int(v, "headline", (d->t[c->a].flags & NT_HEADLINE) != 0);
    ner_feat_int(v, "upper", (flags & NT_UPPER) != 0);
    ner_feat_int(v, "hyphen", (flags & NT_HYPHEN) != 0);
    ner_feat_int(v, "poss", c->b < d->n && (d->t[c->b].flags & NT_POSS));
    uint32_t lt = 0;
    if (words && n == 1)
        ner_map_get(words, d->text + d->t[c->a].start, d->t[c->a].end - d->t[c->a].start, &lt);
    ner_feat_int(v, "inlong", (long)lt);
    if (words && n == 1) {
        char key[66];
        size_t wl = d->t[c->a].end - d->t[c->a].start;
        uint32_t ev1 = 0;
        if (wl + 2 <= sizeof key) {
            key[0] = '1';
            key[1] = ':';
            memcpy(key + 2, d->text + d->t[c->a].start, wl);
            ner_map_get(words, key, wl + 2, &ev1);
        }
        for (int bit = 0; bit < 3; bit++)
            if (ev1 & (1u << bit))
                ner_feat_int(v, "doc1", bit);
    }
    /* the whole span's shape, word by word ("Xx Xx", "X.X. Xx", "Xx of Xx") */
    char shape[48];
    size_t sn = 0;
    for (size_t i = c->a; i < c->b && sn + 8 < sizeof shape; i++) {
        const struct ner_tok *t = &d->t[i];
        if (i > c->a && (t->flags & NT_SPACE))
            shape[sn++] = ' ';
        if ((t->flags & NT_WORD) && (t->lex & (NL_FUNC | NL_CONNECT)) && (t->flags & NT_LOWER))
            shape[sn++] = 'c';
        else
            sn += ner_shape_str(d->text + t->start, t->end - t->start, shape + sn, 4);
    }
    ner_feat(v, "span.shape", shape, sn);
    ner_ctx(v, d, "p1", c->a - 1, c->a >= 1);
    ner_ctx(v, d, "p2", c->a - 2, c->a >= 2);
    ner_ctx(v, d, "n1", c->b, true);
    ner_ctx(v, d, "n2", c->b + 1, true);
}

/* ---------------------------------------------------------------- scoring */

static void ner_scores(const float *w, const struct ner_fv *v, float *s)
{
    for (int k = 0; k < NER_NCLASS; k++)
        s[k] = 0;
    for (size_t i = 0; i < v->n; i++)
        for (int k = 0; k < NER_NCLASS; k++)
            s[k] += w[(size_t)v->f[i] * NER_NCLASS + (size_t)k];
}

static int ner_best(const float *s, int n)
{
    int best = 0;
    for (int k = 1; k < n; k++)
        if (s[k] > s[best])
            best = k;
    return best;
}

static int ner_argmax(const float *w, const struct ner_fv *v)
{
    float s[NER_NCLASS];
    ner_scores(w, v, s);
    return ner_best(s, NER_NCLASS);
}

int ner_learn_apply(struct ner_doc *d)
{
    if (!d->m->weights)
        return 0;
    struct ner_fv v;
    struct ner_map words = {0};
    if (ner_long_words(d, &words) < 0) {
        ner_map_free(&words);
        return -1;
    }
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->ev == NER_EV_SUPPORT)
            continue;
        ner_cand_features(d, c, &v, &words);
        float s[NER_NCLASS];
        ner_scores(d->m->weights, &v, s);
        int k = ner_best(s, NER_NCLASS);
        if (k == NER_NCLASS - 1) {
            /* the perceptron is trained on Wikipedia text, which leaves more capitalised
             * non-names than news: a candidate is dropped only on a clear margin */
            int e = ner_best(s, NER_NCLASS - 1);
            if (s[k] - s[e] < NER_DROP_MARGIN)
                k = e;
        }
        if (c->doubtful && k != NER_NCLASS - 1 && s[k] - s[NER_NCLASS - 1] > 0)
            c->doubtful = false;
        /* the rules' strong and contextual evidence (gazetteer, suffixes, titles, cues) stays:
         * the model types and filters what the rules could only guess */
        if (k == NER_NCLASS - 1 && c->ev < NER_EV_PROTECT)
            c->drop = true;
        else if (k != NER_NCLASS - 1 && (int)c->type != k && c->ev < NER_EV_PROTECT &&
                 !(c->b == c->a + 1 && c->type == ENTITY_ORG &&
                   s[k] - s[ENTITY_ORG] < NER_ORG_KEEP_MARGIN))
            c->type = (enum entity_type)k;
    }
    ner_map_free(&words);
    return 0;
}

/* ---------------------------------------------------------------- weights file */

int ner_learn_load(struct ner_model *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0; /* optional */
    float *w = calloc((size_t)NER_WBUCKETS * NER_NCLASS, sizeof *w);
    if (!w) {
        fclose(f);
        return -1;
    }
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned long b;
        float x[NER_NCLASS];
        if (line[0] == '#' ||
            sscanf(line, "%lu %f %f %f %f %f", &b, &x[0], &x[1], &x[2], &x[3], &x[4]) != 6 ||
            b >= NER_WBUCKETS)
            continue;
        memcpy(&w[b * NER_NCLASS], x, sizeof x);
    }
    fclose(f);
    free(m->weights);
    m->weights = w;
    return 0;
}

/* ---------------------------------------------------------------- training */

struct ner_example {
    struct ner_fv v;
    int label;
};

struct ner_trainer {
    struct ner_example *ex;
    size_t n, cap;
    float *w;    /* averaged weights after fit */
    double *cur; /* current weights */
    double *acc; /* sum of update * time, for averaging */
};

struct ner_trainer *ner_trainer_new(void)
{
    return calloc(1, sizeof(struct ner_trainer));
}

void ner_trainer_free(struct ner_trainer *t)
{
    if (!t)
        return;
    free(t->ex);
    free(t->w);
    free(t->cur);
    free(t->acc);
    free(t);
}

static int ner_gold_label(const struct ner_doc *d, const struct ner_cand *c,
                          const struct mention *gold, size_t n_gold)
{
    size_t s = d->t[c->a].start, e = d->t[c->b - 1].end;
    size_t lo = 0, hi = n_gold;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (gold[mid].start < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < n_gold && gold[i].start == s; i++)
        if (gold[i].end == e)
            return (int)gold[i].type;
    return NER_NCLASS - 1;
}

int ner_trainer_add(struct ner_trainer *t, const struct ner_model *m, const char *text, size_t len,
                    const struct span *sentences, size_t n_sentences, const struct mention *gold,
                    size_t n_gold)
{
    struct ner_doc d = {.m = m, .text = text, .len = len};
    struct ner_map words = {0};
    int rc = ner_tokenize(m, text, len, sentences, n_sentences, &d.t, &d.n);
    if (rc == 0)
        rc = ner_chunk(&d);
    if (rc == 0)
        rc = ner_long_words(&d, &words);
    for (size_t i = 0; rc == 0 && i < d.nc; i++) {
        if (d.c[i].ev == NER_EV_SUPPORT)
            continue;
        if (t->n == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 1024;
            struct ner_example *ex = realloc(t->ex, nc * sizeof *ex);
            if (!ex) {
                rc = -1;
                break;
            }
            t->ex = ex;
            t->cap = nc;
        }
        ner_cand_features(&d, &d.c[i], &t->ex[t->n].v, &words);
        t->ex[t->n].label = ner_gold_label(&d, &d.c[i], gold, n_gold);
        t->n++;
    }
    for (size_t i = 0; i < d.nc; i++) {
        free(d.c[i].canon);
        free(d.c[i].role);
    }
    free(d.c);
    free(d.t);
    ner_map_free(&d.seen);
    ner_map_free(&words);
    return rc;
}

static void ner_update(struct ner_trainer *t, const struct ner_fv *v, int k, double delta,
                       double time)
{
    for (size_t i = 0; i < v->n; i++) {
        size_t at = (size_t)v->f[i] * NER_NCLASS + (size_t)k;
        t->cur[at] += delta;
        t->acc[at] += delta * time;
    }
}

/* One averaged-perceptron run over the examples in an order drawn from seed; adds its averaged
 * weights, scaled by share, to t->w. */
static void ner_fit_run(struct ner_trainer *t, int epochs, uint32_t seed, float share, float *score,
                        size_t *order)
{
    size_t total = (size_t)NER_WBUCKETS * NER_NCLASS;
    memset(t->cur, 0, total * sizeof *t->cur);
    memset(t->acc, 0, total * sizeof *t->acc);
    for (size_t j = 0; j < t->n; j++)
        order[j] = j;
    double time = 1;
    for (int ep = 0; ep < epochs; ep++) {
        /* a fresh, reproducible shuffle per epoch (Fisher-Yates with a fixed LCG) */
        for (size_t j = t->n; j > 1; j--) {
            seed = seed * 1103515245u + 12345u;
            size_t r = (seed >> 8) % j, tmp = order[j - 1];
            order[j - 1] = order[r];
            order[r] = tmp;
        }
        for (size_t j = 0; j < t->n; j++) {
            const struct ner_example *ex = &t->ex[order[j]];
            for (size_t q = 0; q < ex->v.n; q++)
                for (int k = 0; k < NER_NCLASS; k++) {
                    size_t at = (size_t)ex->v.f[q] * NER_NCLASS + (size_t)k;
                    score[at] = (float)t->cur[at];
                }
            int guess = ner_argmax(score, &ex->v);
            if (guess != ex->label) {
                ner_update(t, &ex->v, ex->label, 1, time);
                ner_update(t, &ex->v, guess, -1, time);
            }
            time++;
        }
    }
    for (size_t i = 0; i < total; i++)
        t->w[i] += share * (float)(t->cur[i] - t->acc[i] / time);
}

/* Several runs over differently shuffled orders, their weights averaged: a perceptron depends on
 * the order it sees examples in, and one changed candidate reorders everything after it; the
 * average is far steadier (and no slower to apply). */
#define NER_FIT_RUNS 5

int ner_trainer_fit(struct ner_trainer *t, int epochs)
{
    size_t total = (size_t)NER_WBUCKETS * NER_NCLASS;
    free(t->cur);
    free(t->acc);
    free(t->w);
    t->cur = calloc(total, sizeof *t->cur);
    t->acc = calloc(total, sizeof *t->acc);
    t->w = calloc(total, sizeof *t->w);
    float *score = calloc(total, sizeof *score);
    size_t *order = malloc((t->n ? t->n : 1) * sizeof *order);
    if (!t->cur || !t->acc || !t->w || !score || !order) {
        free(score);
        free(order);
        return -1;
    }
    for (int r = 0; r < NER_FIT_RUNS; r++)
        ner_fit_run(t, epochs, 12345u + 7919u * (uint32_t)r, 1.0f / NER_FIT_RUNS, score, order);
    free(order);
    free(score);
    return 0;
}

int ner_trainer_save(const struct ner_trainer *t, const char *path, const char *source)
{
    if (!t->w)
        return -1;
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f,
            "# ner_weights.txt — averaged-perceptron weights of the candidate re-typer "
            "(ingest/ner_learn.c).\n# Generated by eval_ner --train from %s; bucket then "
            "weights for PERSON ORG LOC MISC NONE.\n# Hashed features only: no text of the "
            "training data. Credit its licence (Wikigold: CC BY 4.0).\n",
            source ? source : "?");
    for (size_t b = 0; b < NER_WBUCKETS; b++) {
        const float *x = &t->w[b * NER_NCLASS];
        bool any = false;
        for (int k = 0; k < NER_NCLASS; k++)
            any |= x[k] > 1e-4f || x[k] < -1e-4f;
        if (any)
            fprintf(f, "%zu %.4g %.4g %.4g %.4g %.4g\n", b, x[0], x[1], x[2], x[3], x[4]);
    }
    return fclose(f) == 0 ? 0 : -1;
}

int ner_learn_set(struct ner_model *m, const struct ner_trainer *t)
{
    size_t total = (size_t)NER_WBUCKETS * NER_NCLASS;
    float *w = malloc(total * sizeof *w);
    if (!w || !t->w) {
        free(w);
        return -1;
    }
    memcpy(w, t->w, total * sizeof *w);
    free(m->weights);
    m->weights = w;
    return 0;
}
