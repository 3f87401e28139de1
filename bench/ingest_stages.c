/*
 * ingest_stages.c — where ingest time goes: the full pipeline on a JSONL corpus, then each stage
 * again on its own over the same documents (single thread, wall clock and CPU time):
 *   parse (jansson), sanitize (utf8), clean (boilerplate, paragraphs), sentences, ner, timex,
 *   resolve_corpus (ingest/resolve), store_build (in memory: inserts, derived tables, FTS5,
 * serialize).
 *
 * usage: ingest_stages [--data DIR] FILE.jsonl
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ingest/text/clean.h"
#include "ingest/doc.h"
#include "ingest/ner/ner.h"
#include "ingest/pipeline.h"
#include "ingest/text/sentences.h"
#include "ingest/timex/timex.h"
#include "base/utf8.h"
#include "base/wordlist.h"
#include "store/store.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

struct rec {
    json_t *json;
    struct raw_record raw;
};

static const char *field(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void row(const char *stage, double wall, double cpu, double mb, size_t docs)
{
    printf("%-22s %10.1f %10.1f %10.2f %12.0f\n", stage, wall, cpu,
           wall > 0 ? mb / (wall / 1e3) : 0, wall > 0 ? (double)docs / (wall / 1e3) : 0);
}

int main(int argc, char **argv)
{
    const char *data = getenv("CORPUSD_DATA_DIR") ? getenv("CORPUSD_DATA_DIR") : CORPUSD_DATA_DIR;
    int a = 1;
    if (argc > 3 && strcmp(argv[1], "--data") == 0) {
        data = argv[2];
        a = 3;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: %s [--data DIR] FILE.jsonl\n", argv[0]);
        return 2;
    }
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    struct clean_rules *rules = clean_rules_open(data, &err);
    struct wordlist *abbr = wordlist_load(data, "abbreviations.txt", false, &err);
    struct ner_model *ner = ner_open(data, &err);
    struct timex_tagger *tx = timex_tagger_open(data, &err);
    if (!ing || !rules || !abbr || !ner || !tx) {
        fprintf(stderr, "ingest_stages: cannot load %s: %s\n", data, err ? err : "?");
        return 1;
    }
    FILE *f = fopen(argv[a], "r");
    if (!f) {
        perror(argv[a]);
        return 1;
    }
    size_t cap = 1024, n = 0, bytes = 0, text_bytes = 0;
    struct rec *recs = malloc(cap * sizeof *recs);
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    double t0 = now_ms(), c0 = cpu_ms();
    while ((len = getline(&line, &lcap, f)) > 0) {
        bytes += (size_t)len;
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        if (!json_is_object(o) || !field(o, "text")) {
            json_decref(o);
            continue;
        }
        if (n == cap)
            recs = realloc(recs, (cap *= 2) * sizeof *recs);
        char id[32];
        snprintf(id, sizeof id, "r%zu", n);
        const char *text = field(o, "text");
        recs[n].json = o;
        /* given text, as corpus.c reads JSONL */
        recs[n].raw = (struct raw_record){.id = field(o, "id") ? field(o, "id") : strdup(id),
                                          .path = argv[a],
                                          .raw = text,
                                          .raw_len = strlen(text),
                                          .title = field(o, "title"),
                                          .published = field(o, "published"),
                                          .source = field(o, "source"),
                                          .url = field(o, "url"),
                                          .given_text = true};
        text_bytes += strlen(text);
        n++;
    }
    fclose(f);
    free(line);
    double mb = (double)bytes / 1e6;
    printf("%zu records, %.1f MB of JSONL (%.1f MB of text)\n\n", n, mb, (double)text_bytes / 1e6);
    printf("%-22s %10s %10s %10s %12s\n", "stage", "wall ms", "cpu ms", "MB/s", "docs/s");
    row("parse JSONL", now_ms() - t0, cpu_ms() - c0, mb, n);

    /* The whole pipeline, as corpusd runs it (per document, then the corpus pass, then store). */
    struct doc **docs = calloc(n, sizeof *docs);
    size_t kept = 0;
    t0 = now_ms(), c0 = cpu_ms();
    for (size_t i = 0; i < n; i++) {
        char *w = NULL;
        struct doc *d = ingest_document(ing, &recs[i].raw, &w);
        free(w);
        if (d)
            docs[kept++] = d;
    }
    double pipe_wall = now_ms() - t0, pipe_cpu = cpu_ms() - c0;
    row("ingest_document (all)", pipe_wall, pipe_cpu, mb, n);
    t0 = now_ms(), c0 = cpu_ms();
    ingest_finish_corpus(ing, docs, kept);
    row("resolve_corpus", now_ms() - t0, cpu_ms() - c0, mb, n);
    t0 = now_ms(), c0 = cpu_ms();
    struct store *st = store_build(docs, kept, NULL, NULL, &err);
    row("store_build (memory)", now_ms() - t0, cpu_ms() - c0, mb, n);
    if (!st)
        fprintf(stderr, "store_build: %s\n", err ? err : "?");
    store_unref(st);

    /* Each stage again on its own. */
    printf("\nthe stages of ingest_document, each run alone over the same documents:\n");
    t0 = now_ms(), c0 = cpu_ms();
    char **clean = calloc(n, sizeof *clean);
    size_t *clean_len = calloc(n, sizeof *clean_len);
    for (size_t i = 0; i < n; i++) {
        size_t repairs;
        clean[i] = utf8_sanitize(recs[i].raw.raw, recs[i].raw.raw_len, &clean_len[i], &repairs);
    }
    row("utf8_sanitize", now_ms() - t0, cpu_ms() - c0, mb, n);
    t0 = now_ms(), c0 = cpu_ms();
    for (size_t i = 0; i < n; i++) {
        struct clean_result cr;
        if (clean[i] &&
            clean_page(rules, clean[i], clean_len[i], recs[i].raw.title == NULL, &cr) == 0)
            clean_result_free(&cr);
    }
    row("clean_page", now_ms() - t0, cpu_ms() - c0, mb, n);
    struct span **sents = calloc(kept, sizeof *sents);
    size_t *n_sents = calloc(kept, sizeof *n_sents);
    t0 = now_ms(), c0 = cpu_ms();
    for (size_t i = 0; i < kept; i++)
        sentences_split(abbr, docs[i]->text, docs[i]->text_len, &sents[i], &n_sents[i]);
    row("sentences_split", now_ms() - t0, cpu_ms() - c0, mb, kept);
    t0 = now_ms(), c0 = cpu_ms();
    for (size_t i = 0; i < kept; i++) {
        struct mention *m = NULL;
        size_t nm = 0;
        ner_extract(ner, docs[i]->text, docs[i]->text_len, sents[i], n_sents[i], &m, &nm);
        for (size_t k = 0; k < nm; k++)
            free(m[k].name), free(m[k].role);
        free(m);
    }
    row("ner_extract", now_ms() - t0, cpu_ms() - c0, mb, kept);
    t0 = now_ms(), c0 = cpu_ms();
    for (size_t i = 0; i < kept; i++) {
        struct timex_expr *tv = NULL;
        size_t nt = 0;
        timex_tag(tx, docs[i]->text, docs[i]->text_len, sents[i], n_sents[i],
                  docs[i]->published[0] ? docs[i]->published : NULL, &tv, &nt);
        free(tv);
    }
    row("timex_tag", now_ms() - t0, cpu_ms() - c0, mb, kept);
    printf("\n%zu of %zu documents kept\n", kept, n);
    for (size_t i = 0; i < kept; i++) {
        doc_free(docs[i]);
        free(sents[i]);
    }
    for (size_t i = 0; i < n; i++) {
        free(clean[i]);
        json_decref(recs[i].json);
    }
    return 0;
}
