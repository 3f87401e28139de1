/*
 * conn.h — internal to store/: a reader connection and its cached prepared statements.
 */
#ifndef STORE_CONN_H
#define STORE_CONN_H

#include <sqlite3.h>

#include "store.h"

enum store_stmt_id {
    STMT_DOC_GET,
    STMT_DOC_PARAGRAPHS,
    STMT_DOC_EXISTS,
    STMT_SEARCH_COUNT,
    STMT_COUNT_STMTS /* must stay last; also the cache size */
};

struct store_conn {
    struct store *store;
    sqlite3 *db;
    sqlite3_stmt *cached[STMT_COUNT_STMTS];
    struct store_conn *next_free;
};

/* The cached statement id (prepared on first use), reset and with bindings cleared. */
sqlite3_stmt *store_stmt(struct store_conn *c, enum store_stmt_id id, const char *sql);
/* Prepares a one-off statement (for queries whose SQL depends on the filters). */
sqlite3_stmt *store_prepare(struct store_conn *c, const char *sql);

#endif
