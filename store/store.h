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
#include "ingest/pipeline.h"

struct store;
struct store_conn;

/* The format of what store_build writes (tables, rendered representations, summaries): bump it
 * whenever that changes. It is part of the corpus fingerprint (a --db file of another format is
 * rebuilt, not reused) and a file of another format is refused by store_open_file. */
#define STORE_FORMAT "14"

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
    int64_t warnings_by_kind[WARN_KIND_COUNT]; /* indexed by enum ingest_warning_kind */
};

/* Builds a store from docs in one transaction. db_path NULL: in memory; otherwise written to a
 * temporary file renamed over db_path when complete (readers of an older file keep theirs).
 * fingerprint (may be NULL) is recorded with it (see corpus_fingerprint). *err malloc'd. */
/* Configures SQLite for the process; call once, before any other store function or thread.
 * Returns 0, or -1 when SQLite was already in use. */
int store_library_init(void);

struct store *store_build(struct doc *const *docs, size_t n_docs, const char *db_path,
                          const char *fingerprint, char **err);
/* The same, taking the documents: each is freed (its slot set to NULL) as soon as its rows are
 * written, so the corpus and its store are never both whole in memory. threads > 1: the
 * full-text index and its top-k hits are built on a second thread meanwhile (store/fts_build.c);
 * the store is the same either way (store_build uses one thread). */
struct store *store_build_consume(struct doc **docs, size_t n_docs, const char *db_path,
                                  const char *fingerprint, unsigned threads, char **err);
/* Opens a prebuilt database file: refuses anything but a regular file (a FIFO would block),
 * checks that it is a store of this version (schema, PRAGMA quick_check) and reads it whole
 * into memory, so a later rebuild of the same path (renamed or rewritten) does not change what
 * this store serves; opening the path again picks up the new file. */
struct store *store_open_file(const char *db_path, char **err);
/* The fingerprint the store was built with ("" when none). */
const char *store_fingerprint(const struct store *s);
/* References: the server swaps stores on reload; in-flight requests keep the old one alive. */
struct store *store_ref(struct store *s);
void store_unref(struct store *s);

/* Bounds on a store's readers. Each connection holds SQLite's caches (megabytes), so their
 * number is fixed. Requests run on the HTTP workers, one at a time each, so `reserved` (the
 * number of workers) connections kept from streams are enough for them never to wait long. */
struct store_limits {
    unsigned max_connections; /* open at once */
    unsigned reserved;        /* of them, never lent to streams: requests always find one */
    unsigned wait_ms;         /* a request waits this long for a free connection */
    unsigned idle_seconds;    /* a connection unused this long is closed (store_close_idle) */
    unsigned query_budget_ms; /* CPU time the statements of one borrowing may use; 0: none */
};
#define STORE_LIMITS_DEFAULT                                                                       \
    {                                                                                              \
        16, 2, 100, 10, 250                                                                        \
    }
/* Sets the limits; call before the store is shared with other threads. */
void store_set_limits(struct store *s, const struct store_limits *limits);

/* Borrows a connection (opens one when none is free and fewer than max_connections are open;
 * otherwise waits up to wait_ms for one). NULL with *err (malloc'd) when none could be had:
 * *busy then says whether the pool was exhausted (as opposed to a failure to open). Give it
 * back with store_release. */
struct store_conn *store_acquire(struct store *s, char **err);
struct store_conn *store_acquire_busy(struct store *s, bool *busy, char **err);
/* For a holder that keeps the connection while a slow client reads (an export): it may take
 * only max_connections - reserved of them, and never waits (NULL and *busy at once). */
struct store_conn *store_acquire_stream(struct store *s, bool *busy, char **err);
void store_release(struct store_conn *c);
/* Closes the free connections idle for idle_seconds or more; returns how many were closed. */
unsigned store_close_idle(struct store *s);
/* Connections open (free and lent). */
unsigned store_open_connections(const struct store *s);
/* The CPU budget starts when a connection is borrowed; a long holder that works in steps (an
 * export, page after page) restarts it for each step. */
void store_budget_restart(struct store_conn *c);
/* Requests of this store stopped by the CPU budget so far. */
unsigned long long store_budget_trips(const struct store *s);
/* The budget in ms when a statement on c was stopped by it, else 0. */
unsigned store_budget_exceeded(const struct store_conn *c);

const struct store_counts *store_counts(const struct store *s);
/* Records the corpus loading figures; call before the store is shared with other threads. */
void store_set_load_stats(struct store *s, int64_t files_loaded, int64_t files_skipped,
                          int64_t records_skipped, int64_t warnings);
/* Records the warnings of the load by kind (WARN_KIND_COUNT counts); same rule. */
void store_set_warning_counts(struct store *s, const int64_t *by_kind);

#endif
