/*
 * conn.h — internal to store/: a reader connection and its cached prepared statements.
 */
#ifndef STORE_CONN_H
#define STORE_CONN_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "build.h"
#include "documents.h"
#include "store.h"

/* A store: an immutable database image every reader connection maps read-only, and the pool of
 * those connections. */
struct store {
    atomic_int refs;
    unsigned char *image; /* the whole database, serialized (built) or read (--db file) */
    sqlite3 *image_owner; /* built: the memdb connection whose buffer image is; NULL: a copy */
    struct build_buffer image_buffer; /* built: the range image lies in, unmapped after the
                                       * owner closes (map NULL: the memdb's own buffer) */
    sqlite3_int64 image_size;
    char *path; /* the file it was read from, or NULL */
    struct store_counts counts;
    char fingerprint[40];
    struct store_limits limits;
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_freed; /* a connection came back (or may now be opened) */
    struct store_conn *free_conns;
    unsigned n_open;            /* connections open: free and lent */
    unsigned n_streams;         /* lent to streams */
    atomic_ullong budget_trips; /* statements stopped by the CPU budget */
};

/* Opens a reader connection mapping s's image (with the CPU budget handler of c when c is not
 * NULL). NULL with *err (malloc'd) on failure. */
sqlite3 *store_open_reader(const struct store *s, struct store_conn *c, char **err);
/* Closes every free connection (the store is being freed). */
void store_pool_close_all(struct store *s);
/* Checks that db is a store this version can serve: the tables, indexes and constraints of
 * schema.sql with the same definitions, the schema version, PRAGMA quick_check. NULL when it
 * is; otherwise a malloc'd reason. */
char *store_verify(sqlite3 *db);
/* "what: detail", malloc'd (NULL when out of memory). */
char *store_errdup(const char *what, const char *detail);

#define SQL_CACHE_SLOTS 512 /* statements assembled from filter fragments, by SQL text */

enum store_stmt_id {
    STMT_DOC_GET,
    STMT_DOC_PARAGRAPHS,
    STMT_DOC_EXISTS,
    STMT_DOC_ORIGINAL,
    STMT_DOC_ASIDE,
    STMT_DOC_BODY,
    STMT_SEARCH,
    STMT_SEARCH_COUNT,
    STMT_SEARCH_TERM,
    STMT_SEARCH_TOP,
    STMT_SEARCH_RANKING,
    STMT_SEARCH_ROW,
    STMT_COUNT_STMTS /* must stay last; also the cache size */
};

struct store_conn {
    struct store *store;
    sqlite3 *db;
    sqlite3_stmt *cached[STMT_COUNT_STMTS];
    /* Lists whose SQL depends on the filters given: one statement per distinct SQL text. */
    sqlite3_stmt *sql_cache[SQL_CACHE_SLOTS];
    struct store_conn *next_free;
    struct timespec idle_since; /* CLOCK_MONOTONIC, while in the free list */
    long long query_start_ns;   /* thread CPU time when the running statement started */
    long long budget_ns;        /* 0: none */
    bool over_budget;           /* the last statement was interrupted by the budget */
    bool stream;                /* lent by store_acquire_stream */
    sqlite3_stmt *ran[8];       /* the statements run last, a ring (store/explain.h reads it) */
    unsigned n_ran;
};

/* The cached statement id (prepared on first use), reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store_conn *c, enum store_stmt_id id, const char *sql);
/* The cached statement for this SQL text (assembled from fixed fragments, never from client
 * input), prepared on first use, reset and unbound. */
sqlite3_stmt *store_stmt_sql(struct store_conn *c, const char *sql);
/* Binds text to the named parameter if the statement has it (NULL binds NULL). */
void store_bind_named(sqlite3_stmt *st, const char *name, const char *value);
/* entity_prefixes holds the prefixes of name keys up to this many characters (summaries.c). */
#define ENTITY_PREFIX_CHARS 6

/* The case-folded form of an entity name or query (summaries.c), as entity_keys holds it; false
 * when it does not fit in size bytes. */
bool store_name_key(const char *s, char *out, size_t size);
/* Appends a fragment to an SQL buffer of the given size. */
void store_sql_append(char *sql, size_t size, const char *fragment);
#define DOC_COLUMNS                                                                                \
    "d.id, d.title, d.source, d.url, d.published, d.precision, d.language, d.summary,"             \
    " d.published_inferred, d.word_count, d.item"
#define DOC_COLUMNS_COUNT 11

/* Fills d from the document columns (id, title, source, url, published, precision, language,
 * summary, published_inferred, word_count, item) at columns 0..10 of st. */
struct store_doc;
void store_read_doc_row(sqlite3_stmt *st, struct store_doc *d);
/* The document filters of f but its full-text query and cursor (source, from, to, entities,
 * type) as " AND …" conditions on the alias d, appended to sql; store_doc_filters_bind binds
 * their values (and those of :fts and the cursor, when the statement has them). */
struct store_doc_filter;
void store_doc_filters_sql(char *sql, size_t size, const struct store_doc_filter *f);
void store_doc_filters_bind(sqlite3_stmt *st, const struct store_doc_filter *f);
/* The ranking function of documents_fts (bm25.c: BM25 with Lucene's always-positive IDF), the
 * store's `rank`. */
#define STORE_BM25_FUNCTION "corpusd_bm25"
/* A search hit's highlighted fragment (snippet.c): hits in \1 … \2, "…" where text is cut. */
#define STORE_SNIPPET_FUNCTION "corpusd_snippet"
#define STORE_SNIPPET_SQL STORE_SNIPPET_FUNCTION "(documents_fts)"

/* The text of sentence s of document d (SQL aliases): sentences keep only their code-point
 * offsets into documents.text (schema.sql), and SQLite's substr counts code points from 1. */
#define STORE_SENTENCE_TEXT_SQL(d, s) "substr(" d ".text, " s ".start + 1, " s ".end - " s ".start)"
/* Registers both on db (every connection that may rank or quote hits, the build's included). */
int store_register_fts_functions(sqlite3 *db);
int store_register_snippet(fts5_api *api);

/* Emits the rows of a ranked statement (document columns, snippet, score) to fn; resets st. */
enum store_status store_emit_ranked(sqlite3_stmt *st, store_doc_fn fn, void *ctx);
/* Reads every row (rowid, score) of a ranking statement into malloc'd arrays; resets st. */
enum store_status store_collect_ranking(sqlite3_stmt *st, long long **rowids, double **scores,
                                        size_t *n);
/* Resets st after a row loop that ended with rc: STORE_OK when it ran out of rows or the
 * callback stopped it, STORE_ERROR otherwise. */
enum store_status store_rows_done(sqlite3_stmt *st, int rc);

#endif
