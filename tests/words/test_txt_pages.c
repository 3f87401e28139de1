/*
 * test_txt_pages.c — the scraped-page cleaner on real news: every Reuters-21578 record is
 * written as its own .txt page (title line, blank line, text) and the directory is loaded as a
 * corpus (both passes, per-source template counts included). For each page the share of its
 * words found in the document's title + text is measured.
 *
 * Passes when every page loads and >= 99% of the pages keep >= 99.5% of their words. Prints the
 * count, the share, the mean and the worst ten (with what was set aside from them).
 *
 * usage: test_txt_pages [FILE.jsonl]  (default $CORPUSD_REUTERS or
 *        ../shared/data/news/reuters21578.jsonl); a missing file is reported loudly and skipped.
 */
#include <jansson.h>
#include <stdbool.h>
#include <unistd.h>

#include "ingest/corpus.h"
#include "tests/words/words.h"

struct page {
    char id[64];
    char *words; /* title + "\n" + text as written */
};

/* Writes one .txt page per record; returns the pages (n_out of them). */
static struct page *write_pages(const char *jsonl_path, const char *dir, size_t *n_out)
{
    FILE *in = fopen(jsonl_path, "r");
    if (!in)
        return NULL;
    size_t cap = 20000, n = 0, lcap = 0;
    struct page *pages = calloc(cap, sizeof *pages);
    char *line = NULL;
    while (getline(&line, &lcap, in) > 0) {
        json_t *rec = json_loads(line, 0, NULL);
        const char *id = json_string_value(json_object_get(rec, "id"));
        const char *title = json_string_value(json_object_get(rec, "title"));
        const char *text = json_string_value(json_object_get(rec, "text"));
        if (id && text && n < cap) {
            char path[4200];
            snprintf(pages[n].id, sizeof pages[n].id, "%s", id);
            snprintf(path, sizeof path, "%s/%s.txt", dir, id);
            FILE *f = fopen(path, "w");
            if (f) {
                fprintf(f, "%s\n\n%s\n", title ? title : "", text);
                fclose(f);
            }
            if (asprintf(&pages[n].words, "%s\n%s", title ? title : "", text) < 0)
                pages[n].words = NULL;
            n++;
        }
        json_decref(rec);
    }
    free(line);
    fclose(in);
    *n_out = n;
    return pages;
}

static const struct doc *find(const struct corpus *c, const char *id)
{
    for (size_t i = 0; i < c->n_docs; i++) /* ids come back in file-name order: bisect */
        if (strcmp(c->docs[i]->id, id) == 0)
            return c->docs[i];
    return NULL;
}

static void print_set_aside(const struct doc *d)
{
    for (size_t i = 0; d && i < d->n_set_aside && i < 4; i++)
        printf("      set aside (%s): %.70s\n", set_aside_reason_name(d->set_aside[i].reason),
               d->original + d->set_aside[i].start);
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : getenv("CORPUSD_REUTERS");
    if (!file)
        file = "../shared/data/news/reuters21578.jsonl";
    if (access(file, R_OK) != 0) {
        printf("\n*** SKIPPED test_txt_pages: %s not found (set CORPUSD_REUTERS) ***\n\n", file);
        return 0;
    }
    char dir[] = "/tmp/corpusd-txt-pages-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    size_t n = 0;
    struct page *pages = write_pages(file, dir, &n);
    const char *data = getenv("CORPUSD_DATA_DIR") ? getenv("CORPUSD_DATA_DIR") : "ingest/data";
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    struct corpus c;
    if (!pages || !ing || corpus_load(ing, dir, &c, NULL, NULL, &err) < 0) {
        fprintf(stderr, "test_txt_pages: %s\n", err ? err : "cannot load");
        return 1;
    }
    size_t missing = 0, at995 = 0, measured = 0;
    double sum = 0;
    struct worst worst[10] = {{{0}, 0, 0}};
    for (size_t i = 0; i < n; i++) {
        const struct doc *d = find(&c, pages[i].id);
        if (!d) {
            printf("not loaded: %s\n", pages[i].id);
            missing++;
            continue;
        }
        size_t words;
        double share =
            words_kept(pages[i].words, strlen(pages[i].words), d->title, d->text, &words);
        measured++;
        sum += share;
        at995 += share >= 0.995;
        worst_add(worst, 10, pages[i].id, share, words);
    }
    double share995 = measured ? (double)at995 / (double)measured : 0;
    printf("txt pages: %zu written, %zu loaded, %zu not loaded\n", n, measured, missing);
    printf("pages keeping >= 99.5%% of their words: %.2f%%; mean share kept: %.4f%%\n",
           100 * share995, measured ? 100 * sum / (double)measured : 0);
    printf("worst 10:\n");
    for (int i = 0; i < 10 && worst[i].id[0]; i++) {
        printf("  %s %.1f%% of %zu words\n", worst[i].id, 100 * worst[i].share, worst[i].words);
        print_set_aside(find(&c, worst[i].id));
    }
    corpus_free(&c);
    ingest_close(ing);
    for (size_t i = 0; i < n; i++)
        free(pages[i].words);
    free(pages);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    bool ok = n > 0 && missing == 0 && share995 >= 0.99;
    printf("test_txt_pages: %s\n", ok ? "PASSED" : "FAILED");
    return ok ? 0 : 1;
}
