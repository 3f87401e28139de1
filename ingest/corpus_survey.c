/*
 * corpus_survey.c — the first pass over a corpus: for each file, the lines of the pages that ask
 * to be cleaned into the template counts (so the cleaning pass can tell a site's template from its
 * articles) and the publication year most of its JSONL records give (for datelines without one).
 * Takes the directory's files; gives the counts and one year per file.
 */
#include "ingest/corpus.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/corpus_internal.h"

/* ---- the first pass ------------------------------------------------------------------- */

/* The year of a JSONL line's "published" field, or 0; read without parsing the line, since
 * this pass only needs the year. */
static int published_year(const char *s, size_t len)
{
    const char *p = memmem(s, len, "\"published\"", 11), *end = s + len;
    if (!p)
        return 0;
    p += 11;
    while (p < end && (*p == ' ' || *p == ':' || *p == '"'))
        p++;
    if (end - p < 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    int y = atoi(p);
    return y >= 1800 && y <= 2200 ? y : 0;
}

/* A JSONL line in the first pass: its year into years[], and, for a record that asks to be
 * cleaned ("raw": true), its lines into counts. */
static int survey_jsonl_line(const struct ingest *ing, const char *s, size_t len,
                             struct template_counts *counts, size_t *years, size_t *pages)
{
    int y = published_year(s, len);
    if (y)
        years[y - 1800]++;
    if (!memmem(s, len, "\"raw\"", 5))
        return 0;
    json_t *obj = json_loadb(s, len, 0, NULL);
    json_t *text = json_object_get(obj, "text");
    int rc = 0;
    if (json_is_true(json_object_get(obj, "raw")) && json_is_string(text)) {
        struct raw_record rec = {.id = "",
                                 .raw = json_string_value(text),
                                 .raw_len = json_string_length(text),
                                 .source = corpus_json_str(obj, "source")};
        rc = ingest_count_template(ing, &rec, counts);
        (*pages)++;
    }
    json_decref(obj);
    return rc;
}

/* The first pass over one file; *year: the year most of its JSONL records give (0: none). */
int corpus_survey_file(const struct ingest *ing, const char *dir, const char *name,
                       struct template_counts *counts, int *year, size_t *pages)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len = 0;
    const char *why;
    char *buf = corpus_read_file(path, &len, &why);
    *year = 0;
    if (!buf || len == 0 || corpus_looks_binary(buf, len)) {
        free(buf);
        return 0; /* the second pass names it */
    }
    int rc = 0;
    if (corpus_has_suffix(name, ".jsonl")) {
        size_t *years = calloc(401, sizeof *years), start = 0;
        for (size_t i = 0; years && rc == 0 && i <= len; i++) {
            if (i < len && buf[i] != '\n')
                continue;
            rc = survey_jsonl_line(ing, buf + start, i - start, counts, years, pages);
            start = i + 1;
        }
        for (int y = 0; years && y <= 400; y++)
            if (years[y] && (!*year || years[y] >= years[*year - 1800]))
                *year = 1800 + y;
        rc = years ? rc : -1;
        free(years);
    } else {
        struct raw_record rec = {.id = name, .path = path, .raw = buf, .raw_len = len};
        rc = ingest_count_template(ing, &rec, counts);
        (*pages)++;
    }
    free(buf);
    return rc;
}
