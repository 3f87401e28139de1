/*
 * pipeline.h — one article from raw record to annotated struct doc:
 * decode (UTF-8 repair or Windows-1252 transcoding) -> clean (a given text kept whole; a scraped
 * page's chrome set aside with reasons) -> stated metadata (dateline place and date, byline
 * authors, captions; source, published) -> sentences -> entities -> temporal expressions.
 * Also the corpus-level passes: the template first pass before, cross-document resolution after.
 */
#ifndef INGEST_PIPELINE_H
#define INGEST_PIPELINE_H

#include "ingest/doc.h"
#include "ingest/text/template.h"

struct ingest;

/* What can go wrong with one file or record. Every warning has a kind, so a load of 19,000
 * records logs one summary line per kind instead of one line per record. */
enum ingest_warning_kind {
    WARN_TRANSCODED = 0, /* not UTF-8: read as Windows-1252 / Latin-1 (loaded) */
    WARN_INVALID_UTF8,   /* invalid UTF-8 bytes replaced by U+FFFD (loaded) */
    WARN_CONTROL_BYTES,  /* NUL or other control bytes dropped (loaded) */
    WARN_NO_ARTICLE,     /* cleaning found no article: the whole page kept (loaded) */
    WARN_EMPTY_TEXT,     /* the record's text is empty (loaded, with its title) */
    WARN_UNREADABLE,     /* file cannot be read, is not regular, or is too large (skipped) */
    WARN_EMPTY_FILE,     /* skipped */
    WARN_BINARY,         /* not text, not even after repair (skipped) */
    WARN_INVALID_JSON,   /* a JSONL line that is not a JSON object (skipped) */
    WARN_NO_TEXT_FIELD,  /* a JSONL record without a string "text" (skipped) */
    WARN_INVALID_ID,     /* an id that cannot be a URL segment (skipped) */
    WARN_DUPLICATE_ID,   /* an id already taken (skipped) */
    WARN_OUT_OF_MEMORY,  /* skipped */
    WARN_FILE_NAME,      /* a file name that is not UTF-8: its ids escaped (loaded) */
    WARN_KIND_COUNT
};

/* "transcoded", "invalid_utf8", … (stable: used in /v1/stats and /metrics). */
const char *ingest_warning_name(enum ingest_warning_kind k);

/* The warnings of one record (at most one per kind it hit). */
struct ingest_warnings {
    size_t n;
    struct {
        enum ingest_warning_kind kind;
        char msg[192];
    } items[WARN_KIND_COUNT];
};

/* A record as read from the corpus: either a whole .txt page (raw only), or a JSONL line whose
 * given fields win over inferred ones. All strings borrowed; any may be NULL except id and raw.
 * given_text: the text is the article (a JSONL `text`): normalised, never cut. Otherwise it is
 * a scraped page whose chrome is set aside (templates: the corpus's per-source line counts, or
 * NULL). context_year: the year most records of the same file are from (0: unknown), for a
 * dateline that gives no year. */
struct raw_record {
    const char *id;
    const char *path;
    const char *raw; /* page text or JSONL "text", not yet sanitized */
    size_t raw_len;
    const char *title;
    const char *published;
    const char *source;
    const char *url;
    const char *language;
    bool given_text;
    const struct template_counts *templates;
    int context_year;
};

struct ingest *ingest_open(const char *data_dir, char **err);
/* How many threads corpus_load runs ingest_record on (ingest/parallel.h; default 1). Set before
 * loading; the output is the same for any number. */
void ingest_set_threads(struct ingest *ing, unsigned threads);
unsigned ingest_threads(const struct ingest *ing);
void ingest_close(struct ingest *ing);

/* Builds a doc from a record; NULL only when memory runs out. w lists what was repaired or
 * noted. Pure per record: safe to call from several threads on one ingest. */
struct doc *ingest_record(const struct ingest *ing, const struct raw_record *rec,
                          struct ingest_warnings *w);
/* ingest_record with the warnings joined into one malloc'd message (*warning NULL if none). */
struct doc *ingest_document(const struct ingest *ing, const struct raw_record *rec, char **warning);

/* First pass over scraped pages: counts rec's lines under its source into counts (see
 * ingest/text/template.h). Given texts are not counted. 0, or -1 on out of memory. */
int ingest_count_template(const struct ingest *ing, const struct raw_record *rec,
                          struct template_counts *counts);

/* Sentences, entities and temporal expressions over d->text (already clean); dct is the
 * publication date or NULL. Used by ingest_document and by the evaluation tools. 0 or -1 (OOM). */
int ingest_annotate(const struct ingest *ing, struct doc *d, const char *dct);

/* Reads a user's corrections to entity resolution (--entity-overrides FILE; syntax in
 * ingest/resolve/resolve.h) into the loaded models. 0, or -1 with *err (malloc'd). */
int ingest_load_entity_overrides(struct ingest *ing, const char *path, char **err);

/* Passes that need every document: corpus-wide entity resolution (ingest/resolve), then
 * publication months for undated pages from events other documents date
 * (ingest/resolve/dates.c), and the near-duplicate groups (ingest/resolve/duplicates.c: each
 * grouped document's duplicate_of; the pairs found beside resolution with two threads). 0, or
 * -1 on out of memory (the documents stay valid). */
int ingest_finish_corpus(const struct ingest *ing, struct doc **docs, size_t n_docs);

#endif
