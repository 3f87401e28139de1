/*
 * pipeline.c — one article from raw record to annotated struct doc, and the loaded models that
 * every stage needs (all immutable after ingest_open, so documents may be processed in parallel).
 */
#include "ingest/pipeline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/text/clean.h"
#include "ingest/ner/ner.h"
#include "ingest/text/sentences.h"
#include "ingest/timex/timex.h"
#include "base/utf8.h"
#include "base/wordlist.h"

struct ingest {
    struct clean_rules *clean;
    struct wordlist *abbreviations;
    struct ner_model *ner;
    struct timex_tagger *timex;
    unsigned threads; /* for corpus_load (ingest/parallel.c) */
};

void ingest_set_threads(struct ingest *ing, unsigned threads)
{
    ing->threads = threads ? threads : 1;
}

unsigned ingest_threads(const struct ingest *ing)
{
    return ing->threads ? ing->threads : 1;
}

struct ingest *ingest_open(const char *data_dir, char **err)
{
    struct ingest *ing = calloc(1, sizeof *ing);
    if (!ing)
        return NULL;
    if (!(ing->clean = clean_rules_open(data_dir, err)) ||
        !(ing->abbreviations = wordlist_load(data_dir, "abbreviations.txt", false, err)) ||
        !(ing->ner = ner_open(data_dir, err)) || !(ing->timex = timex_tagger_open(data_dir, err))) {
        ingest_close(ing);
        return NULL;
    }
    return ing;
}

void ingest_close(struct ingest *ing)
{
    if (!ing)
        return;
    clean_rules_close(ing->clean);
    wordlist_free(ing->abbreviations);
    ner_close(ing->ner);
    timex_tagger_close(ing->timex);
    free(ing);
}

int ingest_annotate(const struct ingest *ing, struct doc *d, const char *dct)
{
    if (sentences_split(ing->abbreviations, d->text, d->text_len, &d->sentences, &d->n_sentences) <
        0)
        return -1;
    if (ner_extract(ing->ner, d->text, d->text_len, d->sentences, d->n_sentences, &d->mentions,
                    &d->n_mentions) < 0)
        return -1;
    return timex_tag(ing->timex, d->text, d->text_len, d->sentences, d->n_sentences, dct,
                     &d->timexes, &d->n_timexes);
}

void ingest_finish_corpus(const struct ingest *ing, struct doc **docs, size_t n_docs)
{
    ner_resolve_corpus(ing->ner, docs, n_docs);
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/* A title when the page has no headline: the first sentence, cut at a word near 100 bytes. */
static char *title_from_lead(const struct doc *d)
{
    if (d->n_sentences == 0)
        return NULL;
    const char *s = d->text + d->sentences[0].start;
    size_t len = d->sentences[0].end - d->sentences[0].start;
    if (len <= 120)
        return strndup(s, len);
    size_t cut = 100;
    while (cut > 40 && s[cut] != ' ')
        cut--;
    while (cut > 0 && (s[cut - 1] == ',' || s[cut - 1] == ' '))
        cut--;
    char *t = malloc(cut + 4);
    if (t) {
        memcpy(t, s, cut);
        memcpy(t + cut, "\xE2\x80\xA6", 4); /* … and NUL */
    }
    return t;
}

/* The lead: whole first sentences up to ~300 bytes (at least one). */
static char *summary_from_lead(const struct doc *d)
{
    if (d->n_sentences == 0)
        return NULL;
    size_t end = d->sentences[0].end;
    for (size_t i = 1; i < d->n_sentences && d->sentences[i].end - d->sentences[0].start <= 300;
         i++)
        end = d->sentences[i].end;
    return strndup(d->text + d->sentences[0].start, end - d->sentences[0].start);
}

static size_t count_words(const char *s, size_t len)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool w = !isspace((unsigned char)s[i]);
        n += w && !in;
        in = w;
    }
    return n;
}

/* Dates in the text, plus the headline and photo captions above it (dropped from the text but
 * dated: "… gala dinner in Gyeongju, Oct. 31"). A later copyright year beats a year-only guess:
 * the page cannot be older than its copyright notice. */
static bool infer_from_page(const struct ingest *ing, struct doc *d, const struct clean_result *cr)
{
    size_t head_len = cr->head ? strlen(cr->head) : 0;
    char *evidence = malloc(head_len + d->text_len + 2);
    if (!evidence)
        return false;
    memcpy(evidence, cr->head ? cr->head : "", head_len);
    evidence[head_len] = '\n';
    memcpy(evidence + head_len + 1, d->text, d->text_len + 1);
    bool found = timex_infer_published(ing->timex, evidence, head_len + 1 + d->text_len,
                                       d->published, &d->published_precision);
    free(evidence);
    if (found && cr->copyright_year > atoi(d->published) && cr->copyright_year < 10000) {
        snprintf(d->published, sizeof d->published, "%04d", cr->copyright_year % 10000);
        d->published_precision = PRECISION_YEAR;
    }
    return found;
}

/* Publication date: a given field wins, then a date the page states, then inference. */
static void resolve_published(const struct ingest *ing, struct doc *d, const char *given,
                              const struct clean_result *cr)
{
    if (given &&
        timex_parse_date(ing->timex, given, strlen(given), d->published, &d->published_precision))
        return;
    if (cr->published_raw &&
        timex_parse_date(ing->timex, cr->published_raw, strlen(cr->published_raw), d->published,
                         &d->published_precision))
        return;
    d->published_inferred = true;
    if (infer_from_page(ing, d, cr))
        return;
    if (cr->copyright_year) {
        snprintf(d->published, sizeof d->published, "%04d", cr->copyright_year % 10000);
        d->published_precision = PRECISION_YEAR;
        return;
    }
    d->published[0] = '\0';
    d->published_precision = PRECISION_NONE;
    d->published_inferred = false; /* nothing was inferred: the date is unknown */
}

static struct doc *build_doc(const struct ingest *ing, const struct raw_record *rec,
                             const char *clean_text, size_t clean_len)
{
    struct clean_result cr;
    if (clean_page(ing->clean, clean_text, clean_len, rec->title == NULL, &cr) < 0)
        return NULL;
    struct doc *d = calloc(1, sizeof *d);
    if (!d) {
        clean_result_free(&cr);
        return NULL;
    }
    d->id = strdup(rec->id);
    d->path = dup_or_null(rec->path);
    d->title = rec->title ? strdup(rec->title) : cr.title;
    cr.title = rec->title ? cr.title : NULL;
    d->source = rec->source ? strdup(rec->source) : cr.source;
    cr.source = rec->source ? cr.source : NULL;
    d->url = dup_or_null(rec->url);
    d->language = strdup(rec->language ? rec->language : "en");
    d->text = cr.text;
    d->text_len = cr.text_len;
    d->paragraphs = cr.paragraphs;
    d->n_paragraphs = cr.n_paragraphs;
    cr.text = NULL;
    cr.paragraphs = NULL;
    resolve_published(ing, d, rec->published, &cr);
    clean_result_free(&cr);
    const char *dct = d->published[0] ? d->published : NULL;
    if (!d->id || !d->language || ingest_annotate(ing, d, dct) < 0) {
        doc_free(d);
        return NULL;
    }
    if (!d->title)
        d->title = title_from_lead(d);
    d->summary = summary_from_lead(d);
    d->word_count = count_words(d->text, d->text_len);
    return d;
}

struct doc *ingest_document(const struct ingest *ing, const struct raw_record *rec, char **warning)
{
    *warning = NULL;
    size_t len, repairs;
    char *clean_text = utf8_sanitize(rec->raw, rec->raw_len, &len, &repairs);
    if (!clean_text) {
        *warning = strdup("out of memory; record skipped");
        return NULL;
    }
    struct doc *d = build_doc(ing, rec, clean_text, len);
    free(clean_text);
    if (!d) {
        *warning = strdup("out of memory; record skipped");
    } else if (d->text_len == 0) {
        *warning = strdup("no article text found after cleaning; skipped");
        doc_free(d);
        d = NULL;
    } else if (repairs && asprintf(warning, "repaired %zu invalid or control byte(s) in the text",
                                   repairs) < 0) {
        *warning = NULL;
    }
    return d;
}
