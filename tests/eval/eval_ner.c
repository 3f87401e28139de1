/*
 * eval_ner.c — scores the entity extractor on a CoNLL-style file (`make eval-ner`).
 *
 * Input: one token per line with its tag in the last column (IOB1 or IOB2: I-PER, B-ORG, O …),
 * blank lines between sentences, -DOCSTART- lines between documents. Each document is
 * detokenised into running text (keeping a token -> byte-offset map), annotated by the real ingest
 * path (ingest_annotate: sentence splitting, NER, …), and its mentions mapped back to token spans.
 * Scoring is CoNLL's: an entity counts only with exact span and type; precision, recall and F1 per
 * type, overall, and over PER/ORG/LOC. --errors lists every miss and false alarm.
 *
 * usage: eval_ner [--data DIR] [--errors] FILE
 */
#include "ingest/doc.h"
#include "ingest/ner/ner.h"
#include "ingest/pipeline.h"
#include "ingest/text/sentences.h"
#include "base/wordlist.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_PER = 0, T_ORG, T_LOC, T_MISC, T_N };
static const char *const type_names[T_N] = {"PER", "ORG", "LOC", "MISC"};

struct ent {
    size_t a, b; /* token range */
    int type;
};

struct ents {
    struct ent *v;
    size_t n, cap;
};

struct tokens {
    char **tok;
    int *tag; /* -1 = O; else type, +T_N when it begins an entity (B-) */
    size_t n, cap;
    size_t *sent_end; /* token index after each sentence */
    size_t n_sent, cap_sent;
};

struct counts {
    size_t tp[T_N], fp[T_N], fn[T_N];
    size_t tokens, docs;
};

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "eval_ner: out of memory\n");
        exit(2);
    }
    return q;
}

static void ents_push(struct ents *e, size_t a, size_t b, int type)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 64;
        e->v = xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->n++] = (struct ent){a, b, type};
}

static int tag_type(const char *tag, bool *begin)
{
    *begin = false;
    if (strcmp(tag, "O") == 0 || strlen(tag) < 3 || tag[1] != '-')
        return -1;
    *begin = tag[0] == 'B' || tag[0] == 'S';
    const char *t = tag + 2;
    for (int i = 0; i < T_N; i++)
        if (strcmp(t, type_names[i]) == 0)
            return i;
    if (strcmp(t, "PERSON") == 0)
        return T_PER;
    return T_MISC;
}

static void tokens_push(struct tokens *t, const char *tok, const char *tag)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->tok = xrealloc(t->tok, t->cap * sizeof *t->tok);
        t->tag = xrealloc(t->tag, t->cap * sizeof *t->tag);
    }
    bool begin;
    int ty = tag_type(tag, &begin);
    t->tok[t->n] = strdup(tok);
    t->tag[t->n] = ty < 0 ? -1 : ty + (begin ? T_N : 0);
    t->n++;
}

static void tokens_end_sentence(struct tokens *t)
{
    if (t->n_sent && t->sent_end[t->n_sent - 1] == t->n)
        return;
    if (t->n_sent == t->cap_sent) {
        t->cap_sent = t->cap_sent ? t->cap_sent * 2 : 64;
        t->sent_end = xrealloc(t->sent_end, t->cap_sent * sizeof *t->sent_end);
    }
    t->sent_end[t->n_sent++] = t->n;
}

static void tokens_clear(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->tok[i]);
    t->n = 0;
    t->n_sent = 0;
}

/* Gold entities from IOB1/IOB2 tags. */
static void gold_entities(const struct tokens *t, struct ents *g)
{
    g->n = 0;
    size_t s = 0;
    for (size_t i = 0; i < t->n; i++) {
        int ty = t->tag[i] < 0 ? -1 : t->tag[i] % T_N;
        bool begin = t->tag[i] >= T_N;
        bool prev_same = i > 0 && t->tag[i - 1] >= 0 && t->tag[i - 1] % T_N == ty;
        for (; s < t->n_sent && t->sent_end[s] <= i; s++)
            ;
        bool sent_start = i == 0 || (s > 0 && t->sent_end[s - 1] == i);
        if (ty < 0)
            continue;
        if (begin || !prev_same || sent_start) {
            ents_push(g, i, i + 1, ty);
        } else {
            g->v[g->n - 1].b = i + 1;
        }
    }
}

static bool no_space_before(const char *w, bool *quote_open)
{
    static const char *const glue[] = {",",  ".",  ":",   ";",   "!",   "?",   ")",  "]",  "}", "%",
                                       "'s", "'S", "n't", "'re", "'ve", "'ll", "'d", "'m", "''"};
    for (size_t i = 0; i < sizeof glue / sizeof glue[0]; i++)
        if (strcmp(w, glue[i]) == 0)
            return true;
    if (strcmp(w, "\"") == 0)
        return *quote_open;
    return false;
}

static bool no_space_after(const char *w, bool quote_open)
{
    return strcmp(w, "(") == 0 || strcmp(w, "[") == 0 || strcmp(w, "{") == 0 ||
           strcmp(w, "$") == 0 || strcmp(w, "``") == 0 || (strcmp(w, "\"") == 0 && quote_open);
}

/* Joins the tokens into text; starts/ends get each token's byte span. */
static char *detokenize(const struct tokens *t, size_t *starts, size_t *ends, size_t *len)
{
    size_t cap = 1;
    for (size_t i = 0; i < t->n; i++)
        cap += strlen(t->tok[i]) + 1;
    char *s = xrealloc(NULL, cap + 1);
    size_t n = 0, sent = 0;
    bool quote_open = false, glue_next = true;
    for (size_t i = 0; i < t->n; i++) {
        const char *w = t->tok[i];
        bool new_sent = sent < t->n_sent && i == (sent ? t->sent_end[sent - 1] : 0) && i > 0;
        while (sent < t->n_sent && t->sent_end[sent] <= i)
            sent++;
        if (new_sent)
            quote_open = false;
        bool closing = strcmp(w, "\"") == 0 && quote_open;
        if (n && !glue_next && (new_sent || !no_space_before(w, &quote_open)))
            s[n++] = ' ';
        if (strcmp(w, "\"") == 0)
            quote_open = !closing;
        starts[i] = n;
        memcpy(s + n, w, strlen(w));
        n += strlen(w);
        ends[i] = n;
        glue_next = no_space_after(w, quote_open && !closing);
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static int map_type(enum entity_type t)
{
    switch (t) {
    case ENTITY_PERSON:
        return T_PER;
    case ENTITY_ORG:
        return T_ORG;
    case ENTITY_LOC:
        return T_LOC;
    default:
        return T_MISC;
    }
}

static size_t find_start(const size_t *starts, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (starts[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && starts[lo] == off ? lo : SIZE_MAX;
}

static void print_span(const struct tokens *t, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        printf("%s%s", i > a ? " " : "", t->tok[i]);
}

static void print_context(const struct tokens *t, size_t a, size_t b)
{
    size_t lo = a > 6 ? a - 6 : 0, hi = b + 6 < t->n ? b + 6 : t->n;
    printf("    | ");
    for (size_t i = lo; i < hi; i++)
        printf("%s%s%s%s", i == a ? "[" : "", t->tok[i], i + 1 == b ? "]" : "", " ");
    printf("\n");
}

/* One document of the evaluation file, detokenised. */
struct edoc {
    struct tokens t;
    struct ents gold;
    char *text;
    size_t len;
    size_t *starts, *ends;
};

struct edocs {
    struct edoc *v;
    size_t n, cap;
};

/* Maps mentions to token spans; unaligned predictions count as false positives. */
static void align(const struct edoc *e, const struct mention *ms, size_t n, struct ents *p,
                  size_t *unaligned, bool errors)
{
    p->n = 0;
    for (size_t k = 0; k < n; k++) {
        const struct mention *m = &ms[k];
        size_t a = find_start(e->starts, e->t.n, m->start), b = SIZE_MAX;
        for (size_t i = a; a != SIZE_MAX && i < e->t.n && e->starts[i] < m->end; i++)
            if (e->ends[i] == m->end)
                b = i + 1;
        if (a == SIZE_MAX || b == SIZE_MAX) {
            unaligned[map_type(m->type)]++;
            if (errors)
                printf("  FP  %-4s %.*s (not on token boundaries)\n", type_names[map_type(m->type)],
                       (int)(m->end - m->start), e->text + m->start);
            continue;
        }
        ents_push(p, a, b, map_type(m->type));
    }
}

/* Sentences and entities with a given model (cross-validation folds). */
static int predict_model(const struct ner_model *m, const struct wordlist *abbrev,
                         const struct edoc *e, struct ents *p, size_t *unaligned, bool errors)
{
    struct span *sents = NULL;
    struct mention *ms = NULL;
    size_t ns = 0, nm = 0;
    int rc = sentences_split(abbrev, e->text, e->len, &sents, &ns);
    if (rc == 0)
        rc = ner_extract(m, e->text, e->len, sents, ns, &ms, &nm);
    if (rc == 0)
        align(e, ms, nm, p, unaligned, errors);
    for (size_t i = 0; i < nm; i++) {
        free(ms[i].name);
        free(ms[i].role);
    }
    free(ms);
    free(sents);
    return rc;
}

static bool ent_in(const struct ents *e, const struct ent *x)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].a == x->a && e->v[i].b == x->b && e->v[i].type == x->type)
            return true;
    return false;
}

/* Both lists are in text order; the membership tests are over one document's entities. */
static void score_doc(const struct tokens *t, const struct ents *g, const struct ents *p,
                      struct counts *c, bool errors)
{
    for (size_t i = 0; i < p->n; i++) {
        bool ok = ent_in(g, &p->v[i]);
        (ok ? c->tp : c->fp)[p->v[i].type]++;
        if (!ok && errors) {
            printf("  FP  %-4s ", type_names[p->v[i].type]);
            print_span(t, p->v[i].a, p->v[i].b);
            printf("\n");
            print_context(t, p->v[i].a, p->v[i].b);
        }
    }
    for (size_t i = 0; i < g->n; i++) {
        if (ent_in(p, &g->v[i]))
            continue;
        c->fn[g->v[i].type]++;
        if (errors) {
            printf("  FN  %-4s ", type_names[g->v[i].type]);
            print_span(t, g->v[i].a, g->v[i].b);
            printf("\n");
            print_context(t, g->v[i].a, g->v[i].b);
        }
    }
}

static void print_row(const char *name, size_t tp, size_t fp, size_t fn)
{
    double p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    double r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("%-12s precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %zu (gold %zu)\n", name, 100 * p,
           100 * r, 100 * f, tp + fp, tp + fn);
}

static void report(const struct counts *c)
{
    size_t tp = 0, fp = 0, fn = 0, tp3 = 0, fp3 = 0, fn3 = 0;
    for (int i = 0; i < T_N; i++) {
        tp += c->tp[i], fp += c->fp[i], fn += c->fn[i];
        if (i != T_MISC)
            tp3 += c->tp[i], fp3 += c->fp[i], fn3 += c->fn[i];
    }
    printf("processed %zu tokens in %zu documents with %zu phrases; found: %zu phrases; "
           "correct: %zu.\n",
           c->tokens, c->docs, tp + fn, tp + fp, tp);
    print_row("ALL", tp, fp, fn);
    print_row("PER/ORG/LOC", tp3, fp3, fn3);
    for (int i = 0; i < T_N; i++)
        print_row(type_names[i], c->tp[i], c->fp[i], c->fn[i]);
}

static void score_one(const struct edoc *e, const struct ents *p, const size_t *unaligned,
                      struct counts *c, bool errors)
{
    score_doc(&e->t, &e->gold, p, c, errors);
    for (int i = 0; i < T_N; i++)
        c->fp[i] += unaligned[i];
    c->tokens += e->t.n;
    c->docs++;
}

static void edoc_push(struct edocs *ds, struct tokens *t)
{
    if (!t->n)
        return;
    tokens_end_sentence(t);
    if (ds->n == ds->cap) {
        ds->cap = ds->cap ? ds->cap * 2 : 64;
        ds->v = xrealloc(ds->v, ds->cap * sizeof *ds->v);
    }
    struct edoc *e = &ds->v[ds->n++];
    memset(e, 0, sizeof *e);
    e->t = *t;
    memset(t, 0, sizeof *t);
    gold_entities(&e->t, &e->gold);
    e->starts = xrealloc(NULL, e->t.n * sizeof *e->starts);
    e->ends = xrealloc(NULL, e->t.n * sizeof *e->ends);
    e->text = detokenize(&e->t, e->starts, e->ends, &e->len);
}

static void edocs_free(struct edocs *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        struct edoc *e = &ds->v[i];
        tokens_clear(&e->t);
        free(e->t.tok);
        free(e->t.tag);
        free(e->t.sent_end);
        free(e->gold.v);
        free(e->text);
        free(e->starts);
        free(e->ends);
    }
    free(ds->v);
}

static void read_docs(FILE *f, struct edocs *ds)
{
    struct tokens t = {0};
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *first = strtok_r(line, " \t\r\n", &save), *last = first, *w;
        while ((w = strtok_r(NULL, " \t\r\n", &save)))
            last = w;
        if (!first)
            tokens_end_sentence(&t);
        else if (strcmp(first, "-DOCSTART-") == 0)
            edoc_push(ds, &t);
        else
            tokens_push(&t, first, last == first ? "O" : last);
    }
    edoc_push(ds, &t);
    free(t.tok);
    free(t.tag);
    free(t.sent_end);
}

/* Adds documents (all but fold `skip` of k, or all when k == 0) to a trainer. */
static int train_docs(struct ner_trainer *tr, const struct ner_model *m,
                      const struct wordlist *abbrev, const struct edocs *ds, size_t k, size_t skip)
{
    int rc = 0;
    for (size_t i = 0; i < ds->n && rc == 0; i++) {
        const struct edoc *e = &ds->v[i];
        if (k && i % k == skip)
            continue;
        struct mention *gold = calloc(e->gold.n + 1, sizeof *gold);
        struct span *sents = NULL;
        size_t ns = 0;
        if (!gold)
            return -1;
        for (size_t g = 0; g < e->gold.n; g++) {
            static const enum entity_type et[T_N] = {ENTITY_PERSON, ENTITY_ORG, ENTITY_LOC,
                                                     ENTITY_MISC};
            gold[g].start = e->starts[e->gold.v[g].a];
            gold[g].end = e->ends[e->gold.v[g].b - 1];
            gold[g].type = et[e->gold.v[g].type];
        }
        rc = sentences_split(abbrev, e->text, e->len, &sents, &ns);
        if (rc == 0)
            rc = ner_trainer_add(tr, m, e->text, e->len, sents, ns, gold, e->gold.n);
        free(sents);
        free(gold);
    }
    return rc;
}

#define EPOCHS 8

/* k-fold cross-validation: documents i with i % k == f are held out in fold f. */
static int cross_validate(const char *data, const struct edocs *ds, size_t k, bool errors,
                          struct counts *c)
{
    char *err = NULL;
    struct wordlist *abbrev = wordlist_load(data, "abbreviations.txt", false, &err);
    struct ner_model *m = ner_open(data, &err);
    int rc = abbrev && m ? 0 : -1;
    if (rc < 0)
        fprintf(stderr, "eval_ner: %s\n", err ? err : "cannot load models");
    for (size_t f = 0; f < k && rc == 0; f++) {
        struct ner_trainer *tr = ner_trainer_new();
        rc = tr ? train_docs(tr, m, abbrev, ds, k, f) : -1;
        if (rc == 0)
            rc = ner_trainer_fit(tr, EPOCHS);
        if (rc == 0)
            rc = ner_learn_set(m, tr);
        ner_trainer_free(tr);
        for (size_t i = f; i < ds->n && rc == 0; i += k) {
            struct ents p = {0};
            size_t unaligned[T_N] = {0};
            if (errors)
                printf("== document %zu (fold %zu)\n", i + 1, f);
            rc = predict_model(m, abbrev, &ds->v[i], &p, unaligned, errors);
            score_one(&ds->v[i], &p, unaligned, c, errors);
            free(p.v);
        }
    }
    free(err);
    ner_close(m);
    wordlist_free(abbrev);
    return rc;
}

static int train_all(const char *data, const struct edocs *ds, const char *out, const char *source)
{
    char *err = NULL;
    struct wordlist *abbrev = wordlist_load(data, "abbreviations.txt", false, &err);
    struct ner_model *m = ner_open(data, &err);
    struct ner_trainer *tr = ner_trainer_new();
    int rc = abbrev && m && tr ? train_docs(tr, m, abbrev, ds, 0, 0) : -1;
    if (rc == 0)
        rc = ner_trainer_fit(tr, EPOCHS);
    if (rc == 0)
        rc = ner_trainer_save(tr, out, source);
    if (rc < 0)
        fprintf(stderr, "eval_ner: training failed%s%s\n", err ? ": " : "", err ? err : "");
    else
        printf("trained on %zu documents; weights written to %s\n", ds->n, out);
    free(err);
    ner_trainer_free(tr);
    ner_close(m);
    wordlist_free(abbrev);
    return rc;
}

/* With corpus_pass, every document is annotated first and the corpus-wide entity resolution
 * (ingest/resolve: span splitting, type votes across documents) runs before scoring, as in
 * corpusd. */
static int eval_ingest(const char *data, const struct edocs *ds, bool errors, bool corpus_pass,
                       struct counts *c)
{
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    if (!ing) {
        fprintf(stderr, "eval_ner: %s\n", err ? err : "cannot load models");
        free(err);
        return -1;
    }
    struct doc **docs = calloc(ds->n ? ds->n : 1, sizeof *docs);
    int rc = docs ? 0 : -1;
    for (size_t i = 0; i < ds->n && rc == 0; i++) {
        const struct edoc *e = &ds->v[i];
        struct doc *d = docs[i] = calloc(1, sizeof *d);
        if (!d || !(d->text = strdup(e->text)) || !(d->id = strdup("eval")))
            rc = -1;
        else
            d->text_len = e->len;
        if (rc == 0)
            rc = ingest_annotate(ing, d, NULL);
    }
    if (rc == 0 && corpus_pass)
        rc = ingest_finish_corpus(ing, docs, ds->n);
    for (size_t i = 0; i < ds->n && rc == 0; i++) {
        struct ents p = {0};
        size_t unaligned[T_N] = {0};
        if (errors)
            printf("== document %zu\n", i + 1);
        align(&ds->v[i], docs[i]->mentions, docs[i]->n_mentions, &p, unaligned, errors);
        score_one(&ds->v[i], &p, unaligned, c, errors);
        free(p.v);
    }
    for (size_t i = 0; docs && i < ds->n; i++)
        doc_free(docs[i]);
    free(docs);
    ingest_close(ing);
    return rc;
}

/* FNV-1a of a file's bytes: names the training file inside the weights it produced. */
static unsigned long file_fnv(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned long h = 2166136261u;
    int c;
    if (!f)
        return 0;
    while ((c = getc(f)) != EOF)
        h = ((h ^ (unsigned)c) * 16777619u) & 0xffffffffu;
    fclose(f);
    return h;
}

/* Whether the shipped weights were trained on this very file (then only held-out figures are
 * honest, so the evaluation switches to cross-validation). */
static bool trained_on(const char *data, const char *file)
{
    char path[1024], line[512], tag[32];
    const char *w = getenv("CORPUSD_NER_WEIGHTS");
    snprintf(path, sizeof path, "%s/ner_weights.txt", data);
    FILE *f = fopen(w ? w : path, "r");
    bool yes = false;
    if (!f)
        return false;
    snprintf(tag, sizeof tag, "fnv=%08lx", file_fnv(file));
    for (int i = 0; i < 4 && fgets(line, sizeof line, f); i++)
        yes |= strstr(line, tag) != NULL;
    fclose(f);
    return yes;
}

int main(int argc, char **argv)
{
    const char *data = CORPUSD_DATA_DIR, *file = NULL, *train = NULL;
    bool errors = false, corpus_pass = false;
    size_t cv = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--errors") == 0)
            errors = true;
        else if (strcmp(argv[i], "--corpus-pass") == 0)
            corpus_pass = true;
        else if (strcmp(argv[i], "--cv") == 0 && i + 1 < argc)
            cv = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--train") == 0 && i + 1 < argc)
            train = argv[++i];
        else
            file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "usage: eval_ner [--data DIR] [--errors] [--corpus-pass] "
                        "[--cv K | --train OUT] FILE.conll\n");
        return 2;
    }
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return 2;
    }
    struct edocs ds = {0};
    read_docs(f, &ds);
    fclose(f);
    struct counts c = {0};
    int rc;
    if (train) {
        char source[600];
        const char *base = strrchr(file, '/');
        snprintf(source, sizeof source, "%s (fnv=%08lx)", base ? base + 1 : file, file_fnv(file));
        rc = train_all(data, &ds, train, source);
    } else {
        if (!cv && trained_on(data, file)) {
            printf("the shipped weights were trained on this file: reporting held-out figures\n");
            cv = 10;
        }
        if (cv)
            printf("%zu-fold cross-validation (re-typer trained on the other folds)\n", cv);
        rc = cv ? cross_validate(data, &ds, cv, errors, &c)
                : eval_ingest(data, &ds, errors, corpus_pass, &c);
        report(&c);
    }
    edocs_free(&ds);
    return rc == 0 ? 0 : 1;
}
