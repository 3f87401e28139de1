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
#include "tools/conll.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[T_N] = {"PER", "ORG", "LOC", "MISC"};

struct counts {
    size_t tp[T_N], fp[T_N], fn[T_N];
    size_t tokens, docs;
};

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

static size_t find_start(const size_t *starts, const size_t *ends, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (starts[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (lo + 1 < n && starts[lo] == off && ends[lo] == off && starts[lo + 1] == off)
        lo++; /* a token the cleaner removed (zero width) is not where a mention starts */
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
static void align(const struct edoc *e, const struct mention *ms, size_t n, struct ents *p,
                  size_t *unaligned, bool errors)
{
    p->n = 0;
    for (size_t k = 0; k < n; k++) {
        const struct mention *m = &ms[k];
        size_t a = find_start(e->starts, e->ends, e->t.n, m->start), b = SIZE_MAX;
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
        conll_ents_push(p, a, b, map_type(m->type));
    }
}

/* The real ingest path (sentences, entities, temporal expressions) on one document. */
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

/* Pipeline mode: the document as a JSONL record would carry it (one sentence per line, no title:
 * the cleaner finds one itself, as for any corpus), through ingest_document — repair, cleaning,
 * title, paragraphs, sentences, entities. The clean text differs from the detokenised one, so
 * each token is found again in it (in order; a token the cleaner removed stays unaligned) and
 * mentions map back by those offsets. Entities whose tokens were lost count as misses. */
static char *pipeline_raw(const struct edoc *e, size_t *len)
{
    char *s = conll_xrealloc(NULL, e->len + 2 * e->t.n_sent + 2);
    size_t n = 0, sent = 0;
    for (size_t i = 0; i < e->t.n; i++) {
        bool new_sent = false;
        while (sent < e->t.n_sent && e->t.sent_end[sent] <= i) {
            sent++;
            new_sent = true;
        }
        size_t from = e->starts[i];
        if (i > 0 && new_sent)
            s[n++] = '\n';
        else if (i > 0)
            from = e->ends[i - 1]; /* the detokeniser's spacing inside a sentence */
        memcpy(s + n, e->text + from, e->ends[i] - from);
        n += e->ends[i] - from;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || (c & 0x80);
}

/* Finds token i of e in the clean text from *pos: right there (after white space), or else the
 * next place where it and the two tokens after it occur as in the original (so a short token
 * cannot match inside an unrelated word after a deleted passage). */
static bool realign(const struct edoc *e, size_t i, const char *clean, size_t clen, size_t *pos,
                    size_t *start, size_t *end)
{
    const char *w = e->t.tok[i];
    size_t wl = strlen(w), p = *pos;
    while (p < clen && (clean[p] == ' ' || clean[p] == '\n'))
        p++;
    if (p + wl <= clen && memcmp(clean + p, w, wl) == 0) {
        *start = p;
        *end = *pos = p + wl;
        return true;
    }
    size_t last = i + 2 < e->t.n ? i + 2 : e->t.n - 1;
    const char *key = e->text + e->starts[i];
    size_t kl = e->ends[last] - e->starts[i];
    for (const char *h = clean + *pos; (h = memmem(h, clen - (size_t)(h - clean), key, kl)); h++) {
        size_t at = (size_t)(h - clean);
        if ((at == 0 || !is_alnum(clean[at - 1]) || !is_alnum(w[0])) &&
            (at + kl >= clen || !is_alnum(clean[at + kl]))) {
            *start = at;
            *end = *pos = at + wl;
            return true;
        }
    }
    return false;
}

/* The document as corpusd makes it from e (NULL when dropped). */
static struct doc *pipeline_doc(const struct ingest *ing, const struct edoc *e)
{
    size_t len;
    char *raw = pipeline_raw(e, &len), *warning = NULL;
    struct raw_record rec = {.id = "eval", .path = "eval.jsonl", .raw = raw, .raw_len = len};
    struct doc *d = ingest_document(ing, &rec, &warning);
    free(warning);
    free(raw);
    return d;
}

/* Scores the mentions of d (taken over and freed) against e's gold tokens. */
static int predict_pipeline(struct doc *d, const struct edoc *e, struct ents *p, size_t *unaligned,
                            size_t *lost, bool *kept, bool errors)
{
    p->n = 0;
    memset(kept, 0, e->t.n * sizeof *kept);
    if (!d) {
        *lost += e->t.n;
        return 0; /* the whole document was dropped: every entity is a miss */
    }
    struct edoc view = *e; /* the same tokens, offsets into the clean text */
    view.text = d->text;
    view.len = d->text_len;
    view.starts = conll_xrealloc(NULL, e->t.n * sizeof *view.starts);
    view.ends = conll_xrealloc(NULL, e->t.n * sizeof *view.ends);
    size_t pos = 0;
    for (size_t i = 0; i < e->t.n; i++) {
        kept[i] = realign(e, i, d->text, d->text_len, &pos, &view.starts[i], &view.ends[i]);
        if (!kept[i]) {
            view.starts[i] = view.ends[i] = pos; /* lost in cleaning: zero width */
            (*lost)++;
            if (errors)
                printf("  LOST %s (token %zu: not in the cleaned text)\n", e->t.tok[i], i);
        }
    }
    align(&view, d->mentions, d->n_mentions, p, unaligned, errors);
    free(view.starts);
    free(view.ends);
    doc_free(d);
    return 0;
}

struct run {
    const char *data;
    bool errors, pipeline;
    bool corpus_pass; /* pipeline: the corpus-wide passes too (entity resolution), as corpusd */
};

/* The gold entities of e whose every token survived cleaning. */
static void kept_gold(const struct edoc *e, const bool *kept, struct ents *out)
{
    out->n = 0;
    for (size_t g = 0; g < e->gold.n; g++) {
        bool all = true;
        for (size_t k = e->gold.v[g].a; k < e->gold.v[g].b; k++)
            all &= kept[k];
        if (all)
            conll_ents_push(out, e->gold.v[g].a, e->gold.v[g].b, e->gold.v[g].type);
    }
}

/* c: every gold entity; ck (pipeline mode): only those whose text the cleaner kept, which
 * separates what cleaning drops from what the tagger gets wrong on the text it is given. */
static int evaluate(const struct run *r, const struct edocs *ds, struct counts *c,
                    struct counts *ck)
{
    char *err = NULL;
    struct wordlist *abbrev = wordlist_load(r->data, "abbreviations.txt", false, &err);
    struct ner_model *m = abbrev && !r->pipeline ? ner_open(r->data, &err) : NULL;
    struct ingest *ing = abbrev && r->pipeline ? ingest_open(r->data, &err) : NULL;
    int rc = m || ing ? 0 : -1;
    if (rc < 0)
        fprintf(stderr, "eval_ner: %s\n", err ? err : "cannot load models");
    size_t lost = 0;
    struct ents kg = {0};
    /* Through the pipeline, every document first, then the corpus-wide passes over all of them,
     * as corpusd loads a corpus. */
    struct doc **docs = r->pipeline ? calloc(ds->n ? ds->n : 1, sizeof *docs) : NULL;
    for (size_t i = 0; docs && rc == 0 && i < ds->n; i++)
        docs[i] = pipeline_doc(ing, &ds->v[i]);
    if (r->pipeline && r->corpus_pass && rc == 0) {
        size_t n = 0; /* the corpus pass takes the documents that loaded */
        struct doc **loaded = calloc(ds->n ? ds->n : 1, sizeof *loaded);
        for (size_t i = 0; loaded && i < ds->n; i++)
            if (docs[i])
                loaded[n++] = docs[i];
        rc = loaded && ingest_finish_corpus(ing, loaded, n) == 0 ? 0 : -1;
        free(loaded);
    }
    for (size_t i = 0; i < ds->n && rc == 0; i++) {
        const struct edoc *e = &ds->v[i];
        struct ents p = {0};
        size_t unaligned[T_N] = {0};
        bool *kept = conll_xrealloc(NULL, (e->t.n + 1) * sizeof *kept);
        if (r->errors)
            printf("== document %zu\n", i + 1);
        rc = r->pipeline ? predict_pipeline(docs[i], e, &p, unaligned, &lost, kept, r->errors)
                         : predict_model(m, abbrev, e, &p, unaligned, r->errors);
        score_one(e, &p, unaligned, c, r->errors);
        if (r->pipeline) {
            struct edoc view = *e;
            kept_gold(e, kept, &kg);
            view.gold = kg;
            score_one(&view, &p, unaligned, ck, false);
        }
        free(kept);
        free(p.v);
    }
    free(docs); /* each document was freed by predict_pipeline */
    if (r->pipeline)
        printf("pipeline: %zu of %zu tokens not found in the cleaned text\n", lost, c->tokens);
    free(kg.v);
    free(err);
    ner_close(m);
    ingest_close(ing);
    wordlist_free(abbrev);
    return rc;
}

int main(int argc, char **argv)
{
    struct run r = {.data = CORPUSD_DATA_DIR, .corpus_pass = true};
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            r.data = argv[++i];
        else if (strcmp(argv[i], "--errors") == 0)
            r.errors = true;
        else if (strcmp(argv[i], "--pipeline") == 0)
            r.pipeline = true;
        else if (strcmp(argv[i], "--no-corpus-pass") == 0)
            r.corpus_pass = false;
        else
            file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "usage: eval_ner [--data DIR] [--errors] [--pipeline [--no-corpus-pass]] "
                        "FILE.conll\n");
        return 2;
    }
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return 2;
    }
    struct edocs ds = {0};
    conll_read(f, &ds);
    fclose(f);
    struct counts c = {0}, ck = {0};
    printf("%s: %s\n", file,
           !r.pipeline     ? "direct (sentence splitter + entity extractor on the detokenised text)"
           : r.corpus_pass ? "through the ingest pipeline (JSONL records -> clean -> annotate -> "
                             "corpus-wide entity resolution)"
                           : "through the ingest pipeline without the corpus-wide passes"
                             " (JSONL records -> clean -> annotate)");
    int rc = evaluate(&r, &ds, &c, &ck);
    report(&c);
    if (r.pipeline) {
        printf("\nthe same, counting only the gold entities whose text the cleaner kept:\n");
        report(&ck);
    }
    conll_docs_free(&ds);
    return rc == 0 ? 0 : 1;
}
