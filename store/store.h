/*
 * store.h — the SQLite store: built once from the ingested documents, then read-only.
 *
 * The built database is immutable. An in-memory store is serialized once into a buffer that
 * every reader connection maps read-only (sqlite3_deserialize), so reads never lock; a file store
 * is opened with immutable=1. Each worker borrows one connection (with its own prepared
 * statements) from the store's pool per request.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/doc.h"

struct store;
struct store_conn;

/* The format of what store_build writes (tables, rendered representations, summaries): bump it
 * whenever that changes. It is part of the corpus fingerprint (a --db file of another format is
 * rebuilt, not reused) and a file of another format is refused by store_open_file. */
#define STORE_FORMAT "7"

/* What a query reports: done, no such row, the client's query is malformed, or our failure. */
enum store_status { STORE_OK = 0, STORE_NOT_FOUND = 1, STORE_BAD_QUERY = 2, STORE_ERROR = -1 };

/* Counts shown by /v1/stats and /metrics. */
struct store_counts {
    int64_t documents, entities, mentions, timexes, events;
    int64_t entities_by_type[4]; /* indexed by enum entity_type */
    char first_published[11], last_published[11];
    char first_event[11], last_event[11];
    /* How the corpus loaded (set by the process after building, see store_set_load_stats). */
    int64_t files_loaded, files_skipped, records_skipped, warnings;
};

/* Builds a store from docs in one transaction. db_path NULL: in memory; otherwise written to a
 * temporary file renamed over db_path when complete (readers of an older file keep theirs).
 * fingerprint (may be NULL) is recorded with it (see corpus_fingerprint). *err malloc'd. */
struct store *store_build(struct doc *const *docs, size_t n_docs, const char *db_path,
                          const char *fingerprint, char **err);
/* Opens a prebuilt database file read-only (immutable). The file is held open, so a later
 * rename over its path does not change what this store reads. */
struct store *store_open_file(const char *db_path, char **err);
/* The fingerprint the store was built with ("" when none). */
const char *store_fingerprint(const struct store *s);
/* References: the server swaps stores on reload; in-flight requests keep the old one alive. */
struct store *store_ref(struct store *s);
void store_unref(struct store *s);

/* Borrows a connection (creates one when none is free); give it back with store_release. */
struct store_conn *store_acquire(struct store *s, char **err);
void store_release(struct store_conn *c);

const struct store_counts *store_counts(const struct store *s);
/* Records the corpus loading figures; call before the store is shared with other threads. */
void store_set_load_stats(struct store *s, int64_t files_loaded, int64_t files_skipped,
                          int64_t records_skipped, int64_t warnings);

#endif
