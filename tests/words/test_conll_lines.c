/*
 * test_conll_lines.c — a CoNLL-style text keeps every line: each document of a CoNLL-2003 file
 * (training split) is rebuilt as given text, one sentence per line (headlines, bylines,
 * datelines such as "LONDON 1996-08-30", results tables and score lines included), ingested as a
 * JSONL record would be, and every line must be found whole in the served text. Also reports
 * how many documents had a dateline read into a place and a date.
 *
 * usage: test_conll_lines [FILE]  (default ../shared/data/ner/conll2003/eng.train); a missing
 *        file is reported loudly and skipped.
 */
#include <stdbool.h>
#include <unistd.h>

#include "base/grow.h"
#include "ingest/pipeline.h"
#include "tests/words/words.h"

struct text {
    char *s;
    size_t len, cap;
};

static void append(struct text *t, const char *s, size_t n)
{
    if (BASE_GROW(t->s, t->cap, t->len + n, 4096) < 0)
        abort();
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

/* Is every line of given found in text (line breaks in text read as spaces)? */
static size_t lines_missing(const char *given, const char *text, const char *id)
{
    char *flat = strdup(text);
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    size_t missing = 0;
    for (const char *line = given; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char *l = strndup(line, n);
        if (n && !strstr(flat, l)) {
            if (missing++ < 3)
                printf("  %s lost line: %s\n", id, l);
        }
        free(l);
        line += n + (nl ? 1 : 0);
    }
    free(flat);
    return missing;
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : "../shared/data/ner/conll2003/eng.train";
    FILE *f = fopen(file, "r");
    if (!f) {
        printf("\n*** SKIPPED test_conll_lines: %s not found ***\n\n", file);
        return 0;
    }
    const char *data = getenv("CORPUSD_DATA_DIR") ? getenv("CORPUSD_DATA_DIR") : "ingest/data";
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    if (!ing)
        return 1;
    size_t docs = 0, lines = 0, missing = 0, placed = 0, dated = 0;
    struct text doc = {0}, sentence = {0};
    char *line = NULL;
    size_t cap = 0;
    bool more = true;
    while (more) {
        more = getline(&line, &cap, f) > 0;
        bool docstart = more && strncmp(line, "-DOCSTART-", 10) == 0;
        bool blank = !more || line[0] == '\n' || docstart;
        if (!blank) { /* "token POS chunk tag": the token */
            size_t n = strcspn(line, " \n");
            if (sentence.len)
                append(&sentence, " ", 1);
            append(&sentence, line, n);
            continue;
        }
        if (sentence.len) {
            append(&doc, sentence.s, sentence.len);
            append(&doc, "\n", 1);
            sentence.len = 0;
            lines++;
        }
        if ((docstart || !more) && doc.len) {
            char id[32];
            snprintf(id, sizeof id, "conll-%zu", ++docs);
            struct raw_record rec = {
                .id = id, .raw = doc.s, .raw_len = doc.len, .given_text = true};
            struct ingest_warnings w;
            struct doc *d = ingest_record(ing, &rec, &w);
            if (!d)
                return 1;
            missing += lines_missing(doc.s, d->text, id);
            placed += d->place != NULL;
            dated += d->dateline_date[0] != '\0';
            doc_free(d);
            doc.len = 0;
        }
    }
    free(line);
    free(doc.s);
    free(sentence.s);
    fclose(f);
    ingest_close(ing);
    printf("conll lines: %zu documents, %zu lines, %zu lost; datelines read: %zu places, %zu "
           "dates\n",
           docs, lines, missing, placed, dated);
    bool ok = docs > 0 && missing == 0;
    printf("test_conll_lines: %s\n", ok ? "PASSED" : "FAILED");
    return ok ? 0 : 1;
}
