/*
 * corpus.h — reads a corpus directory: every regular `*.txt` file is one article, every line of
 * a `*.jsonl` file one article record. Files are read in name order so ids and output are stable.
 * Hostile input is expected: empty, binary, oversized, unreadable and non-regular files, broken
 * JSON lines and duplicate ids are skipped with one warning naming the file; repairable text
 * (invalid UTF-8, legacy encodings, NUL bytes, CR line ends) loads with a warning.
 *
 * Two passes. The first counts the lines of every scraped page per source (template_counts) and
 * the publication years of each JSONL file; the second ingests every record with those counts.
 * A JSONL record's `text` is given text (kept whole) unless the record says `"raw": true`.
 */
#ifndef INGEST_CORPUS_H
#define INGEST_CORPUS_H

#include <stddef.h>

#include "ingest/doc.h"
#include "ingest/pipeline.h"

/* The warnings of one kind: how many, and where the first few were (file, or file:line). */
struct corpus_warning_kind {
    size_t count;
    char first[3][160];
};

struct corpus_stats {
    size_t files_seen;
    size_t files_loaded;
    size_t files_skipped;
    size_t records_loaded;
    size_t records_skipped;
    size_t warnings;
    size_t bytes_read;
    size_t pages_counted; /* scraped pages in the template first pass */
    struct corpus_warning_kind by_kind[WARN_KIND_COUNT];
    unsigned threads;        /* ingest_record ran on this many threads (ingest_set_threads) */
    double documents_ms;     /* wall time of the per-document stage (cleaning, tagging, timex) */
    double corpus_passes_ms; /* wall time of the corpus-wide passes after it */
};

/* Called for each warning: path names the file (and line, for JSONL), msg says why (the kind's
 * name is in corpus_stats.by_kind; the message says the same in words). */
typedef void (*corpus_warn_fn)(void *ctx, const char *path, const char *msg);

/* The loaded documents, owned by the corpus. */
struct corpus {
    struct doc **docs;
    size_t n_docs;
    struct corpus_stats stats;
    unsigned long long files_fingerprint[2]; /* of the file names and bytes as read */
};

/* Loads dir. Returns 0 (even when files were skipped) or -1 when dir cannot be read at all or
 * memory runs out (*err malloc'd). */
int corpus_load(const struct ingest *ing, const char *dir, struct corpus *out, corpus_warn_fn warn,
                void *ctx, char **err);
void corpus_free(struct corpus *c);

/* A content fingerprint of everything a store is built from: the corpus files (names and
 * bytes, in name order), the extraction data files, and the version. Two builds from the same
 * fingerprint give the same store, so a store file carrying it can be reused. out: 32 hex + NUL.
 * Returns -1 when dir cannot be read. */
int corpus_fingerprint(const char *dir, const char *data_dir, const char *version, char out[33]);
/* The same fingerprint of what corpus_load actually read (a file changed while it was read gives
 * a fingerprint that no longer matches the directory, so the next reload rebuilds). */
void corpus_fingerprint_loaded(const struct corpus *c, const char *data_dir, const char *version,
                               char out[33]);

/* The most bytes one corpus file may have; larger files are skipped with a warning. */
#define CORPUS_MAX_FILE_BYTES ((size_t)256 << 20)

#endif
