/*
 * ner_clusters.c — word clusters for the entity tagger (`make ner-clusters`), written as
 * ingest/data/ner_clusters.txt in Liang's Brown-cluster format: "bitpath<TAB>word<TAB>count".
 * Offline tool, not linked into the server; never part of `make test`.
 *
 * Method: the class-bigram model of Brown et al. (1992), optimised in two steps that keep it to
 * minutes on one core. (1) The exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney
 * 1998) puts each word of the vocabulary into one of C classes, moving words one at a time to
 * the class that most raises the likelihood of the corpus, for a fixed number of passes. (2) The
 * C classes are merged bottom-up, always the pair whose merge loses the least likelihood (Brown's
 * criterion), which gives the binary tree; a word's path is its class's path from the root, so
 * prefixes of the path are coarser clusters, as with Brown clustering. Both steps use the same
 * objective: sum over class pairs of N(c,d) log N(c,d) minus the class-count terms.
 *
 * Text is tokenised by the extractor's own tokenizer (the same tokens the tagger sees); words
 * seen fewer than --min-count times share one <rare> word. Deterministic (no randomness).
 *
 * usage: ner_clusters [--data DIR] [--classes C] [--min-count K] [--passes P] --out FILE
 *                     FILE.jsonl|FILE.conll...
 */
#include "ingest/ner/ner_internal.h"
#include "base/grow.h"
#include "tools/conll.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RARE 0     /* word id of <rare> */
#define BOUNDARY 1 /* word id of the document boundary */

struct vocab {
    struct ner_map ids; /* word -> id */
    char **words;
    uint64_t *count;
    size_t n, cap;
};

struct stream {
    uint32_t *v;
    size_t n, cap;
};

static void *xmalloc(size_t n)
{
    void *p = calloc(n ? n : 1, 1);
    if (!p) {
        fprintf(stderr, "ner_clusters: out of memory\n");
        exit(2);
    }
    return p;
}

static uint32_t vocab_id(struct vocab *v, const char *w, size_t len)
{
    uint32_t id;
    if (ner_map_get(&v->ids, w, len, &id))
        return id;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->words = conll_xrealloc(v->words, v->cap * sizeof *v->words);
        v->count = conll_xrealloc(v->count, v->cap * sizeof *v->count);
    }
    id = (uint32_t)v->n++;
    v->words[id] = strndup(w, len);
    v->count[id] = 0;
    if (!v->words[id] || ner_map_put(&v->ids, w, len, id, false) < 0)
        exit(2);
    return id;
}

static void stream_push(struct stream *s, uint32_t id)
{
    if (BASE_GROW(s->v, s->cap, s->n, 1 << 20) < 0)
        conll_oom();

    s->v[s->n++] = id;
}

static void add_text(const struct ner_model *m, struct vocab *v, struct stream *s, const char *text,
                     size_t len)
{
    struct ner_tok *t = NULL;
    size_t n = 0;
    if (ner_tokenize(m, text, len, NULL, 0, &t, &n) < 0)
        exit(2);
    for (size_t i = 0; i < n; i++) {
        uint32_t id = vocab_id(v, text + t[i].start, t[i].end - t[i].start);
        v->count[id]++;
        stream_push(s, id);
    }
    stream_push(s, BOUNDARY);
    free(t);
}

static void read_file(const struct ner_model *m, struct vocab *v, struct stream *s,
                      const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        exit(2);
    }
    size_t pl = strlen(path);
    if (pl > 6 && strcmp(path + pl - 6, ".jsonl") == 0) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t len;
        while ((len = getline(&line, &cap, f)) > 0) {
            json_t *o = json_loadb(line, (size_t)len, 0, NULL);
            const char *text = json_string_value(json_object_get(o, "text"));
            const char *title = json_string_value(json_object_get(o, "title"));
            if (title)
                add_text(m, v, s, title, strlen(title));
            if (text)
                add_text(m, v, s, text, strlen(text));
            json_decref(o);
        }
        free(line);
    } else {
        struct edocs ds = {0};
        conll_read(f, &ds);
        for (size_t i = 0; i < ds.n; i++)
            add_text(m, v, s, ds.v[i].text, ds.v[i].len);
        conll_docs_free(&ds);
    }
    fclose(f);
}

/* ---------------------------------------------------------------- bigram lists */

struct edge {
    uint32_t w, count;
};

struct graph {
    size_t *off_r, *off_l; /* CSR offsets per word */
    struct edge *right, *left;
    uint64_t *n_l, *n_r; /* how often the word is the first / second of a bigram */
    uint32_t *self;      /* count of (w, w) */
};

static int cmp_pair(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted (first << 32 | second) pairs -> CSR adjacency; left lists by transposing. */
static void build_graph(const struct stream *s, const uint32_t *map, size_t nw, struct graph *g)
{
    uint64_t *pairs = xmalloc((s->n ? s->n : 1) * sizeof *pairs);
    size_t np = 0;
    for (size_t i = 0; i + 1 < s->n; i++)
        pairs[np++] = (uint64_t)map[s->v[i]] << 32 | map[s->v[i + 1]];
    qsort(pairs, np, sizeof *pairs, cmp_pair);
    size_t nu = 0;
    struct edge *tmp = xmalloc((np ? np : 1) * sizeof *tmp);
    uint32_t *first = xmalloc((np ? np : 1) * sizeof *first);
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && pairs[j] == pairs[i])
            j++;
        first[nu] = (uint32_t)(pairs[i] >> 32);
        tmp[nu++] = (struct edge){(uint32_t)pairs[i], (uint32_t)(j - i)};
        i = j;
    }
    free(pairs);
    g->off_r = xmalloc((nw + 1) * sizeof *g->off_r);
    g->off_l = xmalloc((nw + 1) * sizeof *g->off_l);
    g->right = tmp;
    g->left = xmalloc((nu ? nu : 1) * sizeof *g->left);
    g->n_l = xmalloc(nw * sizeof *g->n_l);
    g->n_r = xmalloc(nw * sizeof *g->n_r);
    g->self = xmalloc(nw * sizeof *g->self);
    size_t *cnt = xmalloc((nw + 1) * sizeof *cnt);
    for (size_t i = 0; i < nu; i++) {
        g->off_r[first[i] + 1]++;
        cnt[tmp[i].w + 1]++;
        g->n_l[first[i]] += tmp[i].count;
        g->n_r[tmp[i].w] += tmp[i].count;
        if (first[i] == tmp[i].w)
            g->self[first[i]] = tmp[i].count;
    }
    for (size_t w = 0; w < nw; w++) {
        g->off_r[w + 1] += g->off_r[w];
        cnt[w + 1] += cnt[w];
    }
    memcpy(g->off_l, cnt, (nw + 1) * sizeof *cnt);
    for (size_t i = 0; i < nu; i++)
        g->left[cnt[tmp[i].w]++] = (struct edge){first[i], tmp[i].count};
    free(cnt);
    free(first);
}

/* ---------------------------------------------------------------- exchange */

static double xlogx(double x)
{
    return x > 0 ? x * log(x) : 0;
}

struct classes {
    size_t C;
    int64_t *N; /* C x C class bigram counts */
    int64_t *Nl, *Nr;
    uint32_t *of; /* class of each word */
};

/* Adds (sign +1) or removes (-1) word w's counts to/from class k. */
static void move_counts(struct classes *c, const struct graph *g, uint32_t w, size_t k, int sign)
{
    size_t C = c->C;
    for (size_t e = g->off_r[w]; e < g->off_r[w + 1]; e++)
        if (g->right[e].w != w)
            c->N[k * C + c->of[g->right[e].w]] += sign * (int64_t)g->right[e].count;
    for (size_t e = g->off_l[w]; e < g->off_l[w + 1]; e++)
        if (g->left[e].w != w)
            c->N[c->of[g->left[e].w] * C + k] += sign * (int64_t)g->left[e].count;
    c->N[k * C + k] += sign * (int64_t)g->self[w];
    c->Nl[k] += sign * (int64_t)g->n_l[w];
    c->Nr[k] += sign * (int64_t)g->n_r[w];
}

/* One pass of the exchange algorithm; returns how many words moved. */
static size_t exchange_pass(struct classes *c, const struct graph *g, size_t nw, double *R,
                            double *L, uint32_t *touched_r, uint32_t *touched_l)
{
    size_t C = c->C, moved = 0;
    for (uint32_t w = 2; w < nw; w++) { /* <rare> and the boundary stay put */
        size_t a = c->of[w], nr = 0, nl = 0;
        move_counts(c, g, w, a, -1);
        for (size_t e = g->off_r[w]; e < g->off_r[w + 1]; e++) {
            if (g->right[e].w == w)
                continue;
            uint32_t d = c->of[g->right[e].w];
            if (R[d] == 0)
                touched_r[nr++] = d;
            R[d] += g->right[e].count;
        }
        for (size_t e = g->off_l[w]; e < g->off_l[w + 1]; e++) {
            if (g->left[e].w == w)
                continue;
            uint32_t d = c->of[g->left[e].w];
            if (L[d] == 0)
                touched_l[nl++] = d;
            L[d] += g->left[e].count;
        }
        size_t best = a;
        double best_gain = -1e300;
        for (size_t b = 0; b < C; b++) {
            double gain = 0;
            for (size_t k = 0; k < nr; k++) {
                size_t d = touched_r[k];
                if (d != b)
                    gain += xlogx((double)c->N[b * C + d] + R[d]) - xlogx((double)c->N[b * C + d]);
            }
            for (size_t k = 0; k < nl; k++) {
                size_t d = touched_l[k];
                if (d != b)
                    gain += xlogx((double)c->N[d * C + b] + L[d]) - xlogx((double)c->N[d * C + b]);
            }
            double bb = (double)c->N[b * C + b];
            gain += xlogx(bb + R[b] + L[b] + g->self[w]) - xlogx(bb);
            gain -= xlogx((double)(c->Nl[b] + (int64_t)g->n_l[w])) - xlogx((double)c->Nl[b]);
            gain -= xlogx((double)(c->Nr[b] + (int64_t)g->n_r[w])) - xlogx((double)c->Nr[b]);
            if (gain > best_gain + 1e-9 || (b == a && gain >= best_gain - 1e-9)) {
                best_gain = gain;
                best = b;
            }
        }
        for (size_t k = 0; k < nr; k++)
            R[touched_r[k]] = 0;
        for (size_t k = 0; k < nl; k++)
            L[touched_l[k]] = 0;
        c->of[w] = (uint32_t)best;
        move_counts(c, g, w, best, +1);
        moved += best != a;
    }
    return moved;
}

/* ---------------------------------------------------------------- hierarchy */

/* Likelihood change when classes a and b (both active) merge (higher is better). */
static double merge_gain(const struct classes *c, const bool *active, size_t a, size_t b)
{
    size_t C = c->C;
    const int64_t *N = c->N;
    double g = 0;
    for (size_t d = 0; d < C; d++) {
        if (!active[d] || d == a || d == b)
            continue;
        g += xlogx((double)(N[a * C + d] + N[b * C + d])) - xlogx((double)N[a * C + d]) -
             xlogx((double)N[b * C + d]);
        g += xlogx((double)(N[d * C + a] + N[d * C + b])) - xlogx((double)N[d * C + a]) -
             xlogx((double)N[d * C + b]);
    }
    g += xlogx((double)(N[a * C + a] + N[a * C + b] + N[b * C + a] + N[b * C + b])) -
         xlogx((double)N[a * C + a]) - xlogx((double)N[a * C + b]) - xlogx((double)N[b * C + a]) -
         xlogx((double)N[b * C + b]);
    g -= xlogx((double)(c->Nl[a] + c->Nl[b])) - xlogx((double)c->Nl[a]) - xlogx((double)c->Nl[b]);
    g -= xlogx((double)(c->Nr[a] + c->Nr[b])) - xlogx((double)c->Nr[a]) - xlogx((double)c->Nr[b]);
    return g;
}

/* Merges class b into a (counts), a's tree node becomes `node`. */
static void merge_into(struct classes *c, size_t a, size_t b)
{
    size_t C = c->C;
    for (size_t d = 0; d < C; d++) {
        c->N[a * C + d] += c->N[b * C + d];
        c->N[b * C + d] = 0;
    }
    for (size_t d = 0; d < C; d++) {
        c->N[d * C + a] += c->N[d * C + b];
        c->N[d * C + b] = 0;
    }
    c->Nl[a] += c->Nl[b];
    c->Nr[a] += c->Nr[b];
    c->Nl[b] = c->Nr[b] = 0;
}

struct tree {
    int32_t *left, *right; /* children of internal nodes (>= C); leaves are classes */
    size_t n;
};

/* Bottom-up merging of the C classes into one binary tree; node ids: classes 0..C-1, then
 * internal nodes. Returns the root. */
static size_t build_tree(struct classes *c, struct tree *t)
{
    size_t C = c->C, root = 0;
    bool *active = xmalloc(C);
    size_t *node = xmalloc(C * sizeof *node);
    t->left = xmalloc(2 * C * sizeof *t->left);
    t->right = xmalloc(2 * C * sizeof *t->right);
    t->n = C;
    size_t n_active = 0;
    for (size_t k = 0; k < C; k++) {
        active[k] = c->Nl[k] + c->Nr[k] > 0;
        node[k] = k;
        n_active += active[k];
        if (active[k])
            root = k;
    }
    while (n_active > 1) {
        double best = -1e300;
        size_t ba = 0, bb = 0;
        for (size_t a = 0; a < C; a++)
            for (size_t b = a + 1; active[a] && b < C; b++) {
                if (!active[b])
                    continue;
                double gain = merge_gain(c, active, a, b);
                if (gain > best) {
                    best = gain;
                    ba = a;
                    bb = b;
                }
            }
        merge_into(c, ba, bb);
        active[bb] = false;
        t->left[t->n] = (int32_t)node[ba];
        t->right[t->n] = (int32_t)node[bb];
        node[ba] = t->n++;
        root = node[ba];
        n_active--;
    }
    free(active);
    free(node);
    return root;
}

/* Paths of the leaves (classes): 0 for a left child, 1 for a right one, at most 32 bits. */
static void assign_paths(const struct tree *t, size_t C, size_t nodeid, uint32_t bits, int len,
                         uint32_t *pbits, int *plen)
{
    if (nodeid < C) {
        pbits[nodeid] = bits;
        plen[nodeid] = len;
        return;
    }
    int nl = len < 32 ? len + 1 : len;
    assign_paths(t, C, (size_t)t->left[nodeid], len < 32 ? bits << 1 : bits, nl, pbits, plen);
    assign_paths(t, C, (size_t)t->right[nodeid], len < 32 ? bits << 1 | 1 : bits, nl, pbits, plen);
}

/* ---------------------------------------------------------------- main */

struct outrow {
    char path[40];
    const char *word;
    uint64_t count;
};

static int cmp_row(const void *a, const void *b)
{
    const struct outrow *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->word, y->word);
}

static void write_out(const char *out, const struct vocab *v, const uint32_t *map,
                      const struct classes *c, const uint32_t *pbits, const int *plen,
                      uint64_t min_count, char **inputs, size_t n_inputs)
{
    struct outrow *rows = xmalloc(v->n * sizeof *rows);
    size_t n = 0;
    for (size_t w = 2; w < v->n; w++) {
        if (v->count[w] < min_count)
            continue;
        size_t k = c->of[map[w]];
        for (int b = 0; b < plen[k]; b++)
            rows[n].path[b] = (char)('0' + ((pbits[k] >> (plen[k] - 1 - b)) & 1));
        rows[n].path[plen[k]] = '\0';
        rows[n].word = v->words[w];
        rows[n].count = v->count[w];
        n++;
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    FILE *f = fopen(out, "w");
    if (!f) {
        perror(out);
        exit(1);
    }
    fprintf(f,
            "# Word clusters for the entity tagger, made by tools/ner_clusters.c (make "
            "ner-clusters):\n# exchange algorithm into %zu classes + Brown-style merge tree; "
            "words seen >= %llu times.\n# Input:",
            c->C, (unsigned long long)min_count);
    for (size_t i = 0; i < n_inputs; i++) {
        const char *base = strrchr(inputs[i], '/');
        fprintf(f, " %s", base ? base + 1 : inputs[i]);
    }
    fprintf(f, "\n# Derived from Reuters text (Reuters-21578: research use only; CoNLL-2003 = "
               "Reuters RCV1).\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\t%s\t%llu\n", rows[i].path, rows[i].word, (unsigned long long)rows[i].count);
    fclose(f);
    fprintf(stderr, "%zu words written to %s\n", n, out);
    free(rows);
}

int main(int argc, char **argv)
{
    const char *data = CORPUSD_DATA_DIR, *out = NULL;
    size_t C = 256, passes = 6;
    uint64_t min_count = 3;
    char *inputs[16];
    size_t n_inputs = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else if (strcmp(argv[i], "--classes") == 0 && i + 1 < argc)
            C = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--passes") == 0 && i + 1 < argc)
            passes = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--min-count") == 0 && i + 1 < argc)
            min_count = strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] != '-' && n_inputs < 16)
            inputs[n_inputs++] = argv[i];
        else
            out = NULL, i = argc;
    }
    if (!out || !n_inputs || C < 2 || C > 4096) {
        fprintf(stderr, "usage: ner_clusters [--data DIR] [--classes C] [--min-count K] "
                        "[--passes P] --out FILE FILE.jsonl|FILE.conll...\n");
        return 2;
    }
    char *err = NULL;
    struct ner_model *m = ner_open_with(data, false, &err);
    if (!m) {
        fprintf(stderr, "ner_clusters: %s\n", err ? err : "cannot load the lexicon");
        return 1;
    }
    struct vocab v = {0};
    struct stream s = {0};
    vocab_id(&v, "<rare>", 6);
    vocab_id(&v, "<boundary>", 10);
    for (size_t i = 0; i < n_inputs; i++)
        read_file(m, &v, &s, inputs[i]);
    /* dense ids of the kept words; rare ones map to <rare> */
    uint32_t *map = xmalloc(v.n * sizeof *map);
    size_t nw = 2;
    map[RARE] = RARE;
    map[BOUNDARY] = BOUNDARY;
    for (size_t w = 2; w < v.n; w++)
        map[w] = v.count[w] >= min_count ? (uint32_t)nw++ : RARE;
    fprintf(stderr, "%zu tokens, %zu word types, %zu kept (count >= %llu), %zu classes\n", s.n, v.n,
            nw, (unsigned long long)min_count, C);
    struct graph g = {0};
    build_graph(&s, map, nw, &g);
    free(s.v);
    /* initial classes: round robin over the words ranked by frequency */
    uint64_t *cnt = xmalloc(nw * sizeof *cnt);
    for (size_t w = 0; w < v.n; w++)
        cnt[map[w]] += v.count[w];
    struct classes c = {C, xmalloc(C * C * sizeof(int64_t)), xmalloc(C * sizeof(int64_t)),
                        xmalloc(C * sizeof(int64_t)), xmalloc(nw * sizeof(uint32_t))};
    {
        /* rank words by count (stable: ties keep first-seen order) */
        uint64_t *key = xmalloc(nw * sizeof *key);
        for (size_t w = 0; w < nw; w++)
            key[w] = (cnt[w] < 0xFFFFFFFFull ? 0xFFFFFFFFull - cnt[w] : 0) << 32 | w;
        qsort(key, nw, sizeof *key, cmp_pair);
        for (size_t r = 0; r < nw; r++)
            c.of[key[r] & 0xFFFFFFFFu] = (uint32_t)(r % C);
        free(key);
    }
    for (uint32_t w = 0; w < nw; w++) {
        size_t a = c.of[w];
        for (size_t e = g.off_r[w]; e < g.off_r[w + 1]; e++)
            c.N[a * C + c.of[g.right[e].w]] += g.right[e].count;
        c.Nl[a] += (int64_t)g.n_l[w];
        c.Nr[a] += (int64_t)g.n_r[w];
    }
    double *R = xmalloc(C * sizeof *R), *L = xmalloc(C * sizeof *L);
    uint32_t *tr = xmalloc(C * sizeof *tr), *tl = xmalloc(C * sizeof *tl);
    for (size_t p = 0; p < passes; p++) {
        size_t moved = exchange_pass(&c, &g, nw, R, L, tr, tl);
        fprintf(stderr, "exchange pass %zu: %zu words moved\n", p + 1, moved);
        if (!moved)
            break;
    }
    struct classes merged = c;
    merged.N = xmalloc(C * C * sizeof(int64_t));
    merged.Nl = xmalloc(C * sizeof(int64_t));
    merged.Nr = xmalloc(C * sizeof(int64_t));
    memcpy(merged.N, c.N, C * C * sizeof(int64_t));
    memcpy(merged.Nl, c.Nl, C * sizeof(int64_t));
    memcpy(merged.Nr, c.Nr, C * sizeof(int64_t));
    struct tree t = {0};
    size_t root = build_tree(&merged, &t);
    uint32_t *pbits = xmalloc(C * sizeof *pbits);
    int *plen = xmalloc(C * sizeof *plen);
    assign_paths(&t, C, root, 0, 0, pbits, plen);
    write_out(out, &v, map, &c, pbits, plen, min_count, inputs, n_inputs);
    free(cnt);
    ner_close(m);
    return 0;
}
