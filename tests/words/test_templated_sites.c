/*
 * test_templated_sites.c — the scraped-page cleaner on generated sites (gen_sites.py): every
 * page wraps a real article in its site's chrome. The pages are loaded as a corpus (both passes)
 * and measured against the manifest:
 *   - template lines set aside: a chrome line counts as kept when it is a paragraph of the text
 *     or the title; >= 98% must be set aside;
 *   - article words kept: the words of the headline and paragraphs found in the title + text;
 *     >= 99.5% overall.
 * Prints both, per reason of what was set aside, and the chrome lines that got through.
 *
 * usage: test_templated_sites DIR   (DIR/pages/ *.txt and DIR/manifest.json)
 */
#include <jansson.h>
#include <stdbool.h>

#include "ingest/corpus.h"
#include "tests/words/words.h"

static const struct doc *find(const struct corpus *c, const char *id)
{
    for (size_t i = 0; i < c->n_docs; i++)
        if (strcmp(c->docs[i]->id, id) == 0)
            return c->docs[i];
    return NULL;
}

/* Is line a whole paragraph of d's text, or its title? */
static bool kept_as_text(const struct doc *d, const char *line)
{
    size_t n = strlen(line);
    if (d->title && strcmp(d->title, line) == 0)
        return true;
    for (size_t i = 0; i < d->n_paragraphs; i++)
        if (d->paragraphs[i].end - d->paragraphs[i].start == n &&
            memcmp(d->text + d->paragraphs[i].start, line, n) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", argv[1]);
    json_error_t jerr;
    json_t *manifest = json_load_file(path, 0, &jerr);
    if (!manifest) {
        printf("\n*** SKIPPED test_templated_sites: no %s (run gen_sites.py) ***\n\n", path);
        return 0;
    }
    snprintf(path, sizeof path, "%s/pages", argv[1]);
    const char *data = getenv("CORPUSD_DATA_DIR") ? getenv("CORPUSD_DATA_DIR") : "ingest/data";
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    struct corpus c;
    if (!ing || corpus_load(ing, path, &c, NULL, NULL, &err) < 0) {
        fprintf(stderr, "test_templated_sites: %s\n", err ? err : "cannot load");
        return 1;
    }
    size_t template_lines = 0, template_kept = 0, words = 0, words_kept_total = 0, missing = 0;
    size_t by_reason[ASIDE_REASON_COUNT] = {0}, shown = 0;
    json_t *sites = json_object();
    const char *id;
    json_t *pg;
    json_object_foreach(manifest, id, pg)
    {
        const struct doc *d = find(&c, id);
        if (!d) {
            printf("not loaded: %s\n", id);
            missing++;
            continue;
        }
        json_object_set_new(sites, json_string_value(json_object_get(pg, "site")), json_true());
        size_t i;
        json_t *line;
        json_array_foreach(json_object_get(pg, "template"), i, line)
        {
            template_lines++;
            if (kept_as_text(d, json_string_value(line))) {
                template_kept++;
                if (shown++ < 15)
                    printf("  chrome kept in %s: %s\n", id, json_string_value(line));
            }
        }
        const char *article = json_string_value(json_object_get(pg, "article"));
        size_t n;
        double share = words_kept(article, strlen(article), d->title, d->text, &n);
        words += n;
        words_kept_total += (size_t)(share * (double)n + 0.5);
        for (size_t k = 0; k < d->n_set_aside; k++)
            by_reason[d->set_aside[k].reason]++;
    }
    double removed = template_lines ? 1 - (double)template_kept / (double)template_lines : 0;
    double kept = words ? (double)words_kept_total / (double)words : 0;
    printf("templated sites: %zu sites, %zu pages, %zu not loaded\n", json_object_size(sites),
           json_object_size(manifest), missing);
    printf("template lines set aside: %zu of %zu (%.2f%%)\n", template_lines - template_kept,
           template_lines, 100 * removed);
    printf("article words kept: %zu of %zu (%.3f%%)\n", words_kept_total, words, 100 * kept);
    printf("set-aside spans by reason:");
    for (int r = 0; r < ASIDE_REASON_COUNT; r++)
        if (by_reason[r])
            printf(" %s %zu", set_aside_reason_name((enum set_aside_reason)r), by_reason[r]);
    printf("\n");
    bool ok = json_object_size(sites) >= 20 && missing == 0 && removed >= 0.98 && kept >= 0.995;
    corpus_free(&c);
    ingest_close(ing);
    json_decref(sites);
    json_decref(manifest);
    printf("test_templated_sites: %s\n", ok ? "PASSED" : "FAILED");
    return ok ? 0 : 1;
}
