/*
 * sources.c — the publishers of the documents, counted by the documents_by_source index.
 */
#include "sources.h"

#include <stdio.h>
#include <stdlib.h>

#include "conn.h"

/* instr(lower(…)) rather than LIKE: the client's text needs no escaping, and SQLite's lower(),
 * like LIKE, folds ASCII letters only. */
#define SOURCE_WHERE                                                                               \
    " WHERE d.source IS NOT NULL AND d.source <> ''"                                               \
    " AND (:q IS NULL OR instr(lower(d.source), lower(:q)) > 0)"

static void bind_source_filters(sqlite3_stmt *st, const struct store_source_filter *f)
{
    store_bind_named(st, ":q", f->q);
    store_bind_named(st, ":after_id", f->after_id);
    int i = sqlite3_bind_parameter_index(st, ":after_count");
    if (i > 0)
        sqlite3_bind_int64(st, i, f->after_key ? atoll(f->after_key) : 0);
    i = sqlite3_bind_parameter_index(st, ":limit");
    if (i > 0)
        sqlite3_bind_int(st, i, f->limit);
}

static enum store_status count_sources(struct store_conn *c, const struct store_source_filter *f,
                                       long long *total)
{
    sqlite3_stmt *st =
        store_stmt_sql(c, "SELECT count(DISTINCT d.source) FROM documents d" SOURCE_WHERE);
    if (!st)
        return STORE_ERROR;
    bind_source_filters(st, f);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_sources_list(struct store_conn *c, const struct store_source_filter *f,
                                     store_source_fn fn, void *ctx, long long *total)
{
    enum store_status s = count_sources(c, f, total);
    if (s != STORE_OK)
        return s;
    const char *sql =
        f->after_key && f->after_id
            ? "SELECT d.source, count(*) AS n FROM documents d" SOURCE_WHERE
              " GROUP BY d.source HAVING n < :after_count OR (n = :after_count AND d.source > "
              ":after_id) ORDER BY n DESC, d.source LIMIT :limit"
            : "SELECT d.source, count(*) AS n FROM documents d" SOURCE_WHERE
              " GROUP BY d.source ORDER BY n DESC, d.source LIMIT :limit";
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    bind_source_filters(st, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_source src = {(const char *)sqlite3_column_text(st, 0),
                                   sqlite3_column_int64(st, 1)};
        if (fn(ctx, &src))
            break;
    }
    return store_rows_done(st, rc);
}

bool store_source_exists(struct store_conn *c, const char *name)
{
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT 1 FROM documents WHERE source = ? LIMIT 1");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}
