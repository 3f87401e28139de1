/*
 * conn.h — internal to store/: a reader connection and its cached prepared statements.
 */
#ifndef STORE_CONN_H
#define STORE_CONN_H

#include <sqlite3.h>

#include "store.h"

#define DOC_FILTER_COMBOS 64 /* 2^6: source, from, to, entity, fts, cursor */

enum store_stmt_id {
    STMT_DOC_GET,
    STMT_DOC_PARAGRAPHS,
    STMT_DOC_EXISTS,
    STMT_SEARCH,
    STMT_SEARCH_COUNT,
    STMT_COUNT_STMTS /* must stay last; also the cache size */
};

struct store_conn {
    struct store *store;
    sqlite3 *db;
    sqlite3_stmt *cached[STMT_COUNT_STMTS];
    /* Document lists: one statement per combination of filters (and sort, for the rows). */
    sqlite3_stmt *doc_rows[DOC_FILTER_COMBOS * 3];
    sqlite3_stmt *doc_count[DOC_FILTER_COMBOS];
    struct store_conn *next_free;
};

/* The cached statement id (prepared on first use), reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store_conn *c, enum store_stmt_id id, const char *sql);
/* The cached statement in *slot, prepared from sql on first use, reset and unbound. */
sqlite3_stmt *store_stmt_slot(struct store_conn *c, sqlite3_stmt **slot, const char *sql);
/* Prepares a one-off statement (for queries whose SQL depends on the filters). */
sqlite3_stmt *store_prepare(struct store_conn *c, const char *sql);

#endif
