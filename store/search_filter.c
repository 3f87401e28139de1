/*
 * search_filter.c — ranked search restricted by the document filters (source, from, to,
 * entities, type). FTS5 yields the matches best first and each is checked against the filters on
 * its document row (one rowid lookup; the entity and type sets are built once per statement), so
 * a page stops as soon as it is full; the total counts the matches that pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "documents.h"

/* CROSS JOIN keeps documents_fts outside: its rank order is the page's order (no sort). */
#define SEARCH_FILTERED_FROM                                                                       \
    " FROM documents_fts f CROSS JOIN documents d ON d.rowid = f.rowid"                            \
    " WHERE documents_fts MATCH :fts"

static sqlite3_stmt *filtered_stmt(struct store_conn *c, const char *head,
                                   const struct store_doc_filter *f, const char *tail,
                                   const char *fts)
{
    char sql[4096];
    snprintf(sql, sizeof sql, "%s" SEARCH_FILTERED_FROM, head);
    store_doc_filters_sql(sql, sizeof sql, f);
    store_sql_append(sql, sizeof sql, tail);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (st) {
        store_doc_filters_bind(st, f);
        store_bind_named(st, ":fts", fts); /* after: the filter's own fts is not this one */
    }
    return st;
}

static enum store_status count_filtered(struct store_conn *c, const char *fts,
                                        const struct store_doc_filter *f, long long *total)
{
    sqlite3_stmt *st = filtered_stmt(c, "SELECT count(*)", f, "", fts);
    if (!st)
        return STORE_ERROR;
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_ERROR ? STORE_BAD_QUERY : STORE_ERROR;
}

enum store_status store_search_filtered(struct store_conn *c, const char *fts,
                                        const struct store_doc_filter *f, int limit,
                                        long long offset, store_doc_fn fn, void *ctx,
                                        long long *total)
{
    enum store_status s = count_filtered(c, fts, f, total);
    if (s != STORE_OK || *total <= offset)
        return s;
    sqlite3_stmt *st = filtered_stmt(c, "SELECT " DOC_COLUMNS ", " STORE_SNIPPET_SQL ", f.rank", f,
                                     " ORDER BY f.rank LIMIT :limit OFFSET :offset", fts);
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), offset);
    return store_emit_ranked(st, fn, ctx);
}

enum store_status store_search_ranking_filtered(struct store_conn *c, const char *fts,
                                                const struct store_doc_filter *f, long long offset,
                                                long long **rowids, double **scores, size_t *n)
{
    *rowids = NULL;
    *scores = NULL;
    *n = 0;
    sqlite3_stmt *st = filtered_stmt(c, "SELECT f.rowid, f.rank", f,
                                     " ORDER BY f.rank LIMIT -1 OFFSET :offset", fts);
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), offset);
    return store_collect_ranking(st, rowids, scores, n);
}

enum store_status store_search_snippet(struct store_conn *c, const char *fts, const char *doc_id,
                                       char **snippet, double *score)
{
    *snippet = NULL;
    sqlite3_stmt *st =
        store_stmt_sql(c, "SELECT " STORE_SNIPPET_SQL ", f.rank"
                          " FROM documents_fts f WHERE documents_fts MATCH ?1"
                          " AND f.rowid = (SELECT rowid FROM documents WHERE id = ?2)");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, doc_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *text = (const char *)sqlite3_column_text(st, 0);
        *snippet = strdup(text ? text : "");
        *score = sqlite3_column_double(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return *snippet ? STORE_OK : STORE_ERROR;
    return rc == SQLITE_DONE ? STORE_NOT_FOUND : rc == SQLITE_ERROR ? STORE_BAD_QUERY : STORE_ERROR;
}
