/*
 * ner_speed.c — entity extraction speed on a JSONL corpus (`make bench-ner`), the statistical
 * tagger beside the rule extractor it replaces, in one run over the same documents (each cleaned
 * and sentence-split once, untimed). Reports tokens per second of CPU time on one thread for:
 * the tokenizer alone, the tagger alone (features + both stages of decoding, on tokenised
 * documents), ner_extract with the tagger (tokenizer + tagger + within-document resolution), and
 * ner_extract with the rules. Tokens are the extractor's own tokens. Also the weights' size.
 *
 * usage: ner_speed [--data DIR] FILE.jsonl
 */
#include "ingest/ner/ner_tagger.h"
#include "ingest/pipeline.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct doc **load(const struct ingest *ing, const char *path, size_t *n_out)
{
    FILE *f = fopen(path, "r");
    size_t cap = 1024, n = 0, lcap = 0;
    struct doc **docs = malloc(cap * sizeof *docs);
    char *line = NULL;
    ssize_t len;
    if (!f || !docs)
        return NULL;
    while ((len = getline(&line, &lcap, f)) > 0) {
        json_t *o = json_loadb(line, (size_t)len, 0, NULL);
        const char *text = json_string_value(json_object_get(o, "text"));
        if (text) {
            struct raw_record r = {
                .id = "bench", .path = path, .raw = text, .raw_len = strlen(text)};
            char *w = NULL;
            struct doc *d = ingest_document(ing, &r, &w);
            free(w);
            if (d && n == cap)
                docs = realloc(docs, (cap *= 2) * sizeof *docs);
            if (d)
                docs[n++] = d;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    *n_out = n;
    return docs;
}

static void free_mentions(struct mention *ms, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ms[i].name);
        free(ms[i].role);
    }
    free(ms);
}

/* One timed pass: mode 0 tokenizer, 1 tagger alone, 2 extract (tagger), 3 extract (rules). */
static double pass(const struct ner_model *m, struct doc **docs, size_t n, int mode, size_t *tokens,
                   size_t *mentions)
{
    double t0 = cpu_s();
    *tokens = *mentions = 0;
    for (size_t i = 0; i < n; i++) {
        const struct doc *d = docs[i];
        if (mode >= 2) {
            struct mention *ms = NULL;
            size_t nm = 0;
            ner_extract_with(m, mode == 2, d->text, d->text_len, d->sentences, d->n_sentences, &ms,
                             &nm);
            *mentions += nm;
            free_mentions(ms, nm);
            continue;
        }
        struct ner_doc nd = {.m = m, .text = d->text, .len = d->text_len};
        ner_tokenize(m, d->text, d->text_len, d->sentences, d->n_sentences, &nd.t, &nd.n);
        *tokens += nd.n;
        if (mode == 1) {
            ner_tagger_run(&nd);
            *mentions += nd.nc;
        }
        free(nd.c);
        free(nd.t);
    }
    return cpu_s() - t0;
}

int main(int argc, char **argv)
{
    const char *data = CORPUSD_DATA_DIR, *file = argc > 1 ? argv[argc - 1] : NULL;
    if (argc > 3 && strcmp(argv[1], "--data") == 0)
        data = argv[2];
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    struct ner_model *m = ing ? ner_open(data, &err) : NULL;
    if (!file || !m || !m->tagger) {
        fprintf(stderr, "usage: ner_speed [--data DIR] FILE.jsonl (%s)\n",
                err ? err
                : m ? "no tagger weights"
                    : "cannot load");
        return 2;
    }
    size_t n = 0, tokens = 0, mentions = 0;
    struct doc **docs = load(ing, file, &n);
    if (!docs)
        return 1;
    pass(m, docs, n, 0, &tokens, &mentions); /* warm caches */
    double tok = pass(m, docs, n, 0, &tokens, &mentions);
    printf("%zu documents, %zu tokens; weights %.1f MB\n", n, tokens, (double)m->tagger->len / 1e6);
    printf("%-34s %8s %12s %10s\n", "stage (one thread, CPU time)", "seconds", "tokens/s",
           "mentions");
    printf("%-34s %8.2f %12.0f %10s\n", "tokenizer", tok, tokens / tok, "-");
    static const char *const names[] = {"", "tagger alone (features+2 stages)",
                                        "ner_extract, tagger", "ner_extract, rules"};
    for (int mode = 1; mode <= 3; mode++) {
        size_t t2;
        double s = pass(m, docs, n, mode, &t2, &mentions);
        printf("%-34s %8.2f %12.0f %10zu\n", names[mode], s, tokens / s, mentions);
    }
    for (size_t i = 0; i < n; i++)
        doc_free(docs[i]);
    free(docs);
    ner_close(m);
    ingest_close(ing);
    return 0;
}
