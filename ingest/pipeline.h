/*
 * pipeline.h — one article from raw record to annotated struct doc:
 * sanitize -> clean (boilerplate, title, paragraphs) -> metadata (source, published) ->
 * sentences -> entities -> temporal expressions. Also the corpus-level passes.
 */
#ifndef INGEST_PIPELINE_H
#define INGEST_PIPELINE_H

#include "ingest/doc.h"

struct ingest;

/* A record as read from the corpus: either a whole .txt page (raw only), or a JSONL line whose
 * given fields win over inferred ones. All strings borrowed; any may be NULL except id and raw. */
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
};

struct ingest *ingest_open(const char *data_dir, char **err);
/* How many threads corpus_load runs ingest_document on (ingest/parallel.h; default 1). Set before
 * loading; the output is the same for any number. */
void ingest_set_threads(struct ingest *ing, unsigned threads);
unsigned ingest_threads(const struct ingest *ing);
void ingest_close(struct ingest *ing);

/* Builds a doc from a record. NULL with *warning (malloc'd) when the record has no usable text.
 * A non-NULL *warning with a doc means it loaded with repairs (e.g. invalid UTF-8 replaced). */
struct doc *ingest_document(const struct ingest *ing, const struct raw_record *rec, char **warning);

/* Sentences, entities and temporal expressions over d->text (already clean); dct is the
 * publication date or NULL. Used by ingest_document and by the evaluation tools. 0 or -1 (OOM). */
int ingest_annotate(const struct ingest *ing, struct doc *d, const char *dct);

/* Passes that need every document (cross-document entity resolution). */
void ingest_finish_corpus(const struct ingest *ing, struct doc **docs, size_t n_docs);

#endif
