/*
 * duplicates.c — near-duplicate groups in the store: written once when the store is built (the
 * groups of ingest/resolve/duplicates.c into table duplicates), then lists and searches that show
 * one document per group. Groups are small (two or three documents), so "does another document of
 * my group that passes the filters come first?" is one uncorrelated subquery over the few grouped
 * documents, evaluated once per statement, not a scan of the list.
 */
#include "duplicates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "collapse.h"
#include "conn.h"

/* ---- build ---- */

/* The groups by document id, into a working table (scratch, build.c): the corpus passes found
 * them (each grouped document's duplicate_of, ingest/pipeline.c); they are written before the
 * documents (an in-memory build frees each one once its rows are in) and tied to the rowids by
 * store_link_duplicates after. */
static int insert_groups(sqlite3 *db, struct doc *const *docs, size_t n)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_exec(db, "CREATE TABLE scratch.raw_duplicates(doc TEXT, representative TEXT)",
                          NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO raw_duplicates VALUES(?1, ?2)", -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
        if (!docs[i]->duplicate_of)
            continue;
        sqlite3_bind_text(st, 1, docs[i]->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, docs[i]->duplicate_of, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode(db);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

static int duplicates_fail(int rc, char **err)
{
    if (rc != SQLITE_OK && asprintf(err, "store build: duplicates: %s", sqlite3_errstr(rc)) < 0)
        *err = NULL;
    return rc == SQLITE_OK ? 0 : -1;
}

int store_build_duplicates(sqlite3 *db, struct doc *const *docs, size_t n, char **err)
{
    return duplicates_fail(insert_groups(db, docs, n), err);
}

int store_link_duplicates(sqlite3 *db, char **err)
{
    int rc = sqlite3_exec(
        db,
        "INSERT INTO duplicates(doc, representative)"
        " SELECT d.rowid, r.rowid FROM raw_duplicates x"
        " JOIN documents d ON d.id = x.doc JOIN documents r ON r.id = x.representative;"
        " DROP TABLE raw_duplicates;",
        NULL, NULL, NULL);
    return duplicates_fail(rc, err);
}

/* ---- the documents of a list ---- */

/* Another document d of the group of document me comes first in the list's order. */
static const char *const comes_first_sql[] = {
    " AND (d.published, d.id) > (me.published, me.id)", /* DOC_SORT_PUBLISHED_DESC */
    " AND (d.published, d.id) < (me.published, me.id)", /* DOC_SORT_PUBLISHED */
    " AND (d.title, d.id) < (me.title, me.id)",         /* DOC_SORT_TITLE */
};
#define N_COLLAPSED_SORTS (sizeof comes_first_sql / sizeof comes_first_sql[0])

/* The conditions of the list (filters and q) on d. */
static void list_filters(char *sql, size_t size, const struct store_doc_filter *f)
{
    store_doc_filters_sql(sql, size, f);
    if (f->fts)
        store_sql_append(sql, size, FTS_CONDITION);
}

/* COLLAPSE_RANKED: d is the best-ranked match of its group (rank, then rowid). */
static void ranked_condition(char *sql, size_t size, const char *filters)
{
    store_sql_append(sql, size,
                     " AND d.rowid IN (SELECT r FROM (SELECT f.rowid AS r, row_number() OVER"
                     " (PARTITION BY coalesce(g.representative, f.rowid) ORDER BY f.rank, f.rowid)"
                     " AS n FROM documents_fts f LEFT JOIN duplicates g ON g.doc = f.rowid"
                     " WHERE documents_fts MATCH :fts AND f.rowid IN (SELECT d.rowid FROM"
                     " documents d WHERE 1");
    store_sql_append(sql, size, filters);
    store_sql_append(sql, size, ")) WHERE n = 1)");
}

bool store_collapse_where(char *sql, size_t size, const struct store_doc_filter *f,
                          enum store_collapse collapse)
{
    char filters[LIST_FILTERS_MAX] = "";
    list_filters(filters, sizeof filters, f);
    store_sql_append(sql, size, filters);
    if (collapse == COLLAPSE_RANKED) {
        if (!f->fts)
            return false;
        ranked_condition(sql, size, filters);
    } else if (collapse == COLLAPSE_LIST) {
        if ((unsigned)f->sort >= N_COLLAPSED_SORTS)
            return false;
        /* the documents that another passing document of their group comes before */
        store_sql_append(sql, size,
                         " AND d.rowid NOT IN (SELECT g.doc FROM duplicates g JOIN duplicates o"
                         " ON o.representative = g.representative AND o.doc <> g.doc"
                         " JOIN documents me ON me.rowid = g.doc JOIN documents d"
                         " ON d.rowid = o.doc WHERE 1");
        store_sql_append(sql, size, filters);
        store_sql_append(sql, size, comes_first_sql[f->sort]);
        store_sql_append(sql, size, ")");
    }
    return strlen(sql) + 1 < size;
}

const char *store_narrow_documents(const struct store_doc_filter *f, bool source_read)
{
    return source_read || f->source ? " INDEXED BY documents_by_source"
                                    : " INDEXED BY documents_by_published";
}

/* ---- collapsed lists ---- */

static const char *const cursor_sql[] = {
    " AND (d.published, d.id) < (:after_key, :after_id)",
    " AND (d.published, d.id) > (:after_key, :after_id)",
    " AND (d.title, d.id) > (:after_key, :after_id)",
};
static const char *const order_sql[] = {
    " ORDER BY d.published DESC, d.id DESC",
    " ORDER BY d.published, d.id",
    " ORDER BY d.title, d.id",
};
static const char *const outer_order_sql[] = {
    " ORDER BY p.published DESC, p.id DESC",
    " ORDER BY p.published, p.id",
    " ORDER BY p.title, p.id",
};

static enum store_status count_where(struct store_conn *c, const char *where,
                                     const struct store_doc_filter *f, long long *total)
{
    char sql[LIST_SQL_MAX];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM documents d%s WHERE 1%s",
             store_narrow_documents(f, false), where);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    store_doc_filters_bind(st, f);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW               ? STORE_OK
           : rc == SQLITE_ERROR && f->fts ? STORE_BAD_QUERY
                                          : STORE_ERROR;
}

/* The page: the collapsed list's rows in order, each with the number of its group's other
 * documents that pass the filters (a subquery per row of the page only). */
static void page_sql(char *sql, size_t size, const char *where, const struct store_doc_filter *f)
{
    char filters[LIST_FILTERS_MAX] = "";
    list_filters(filters, sizeof filters, f);
    snprintf(sql, size,
             "SELECT p.id, p.title, p.source, p.url, p.published, p.precision, p.language,"
             " p.summary, p.published_inferred, p.word_count, p.item,"
             " (SELECT count(*) FROM duplicates g JOIN duplicates o"
             " ON o.representative = g.representative AND o.doc <> g.doc JOIN documents d"
             " ON d.rowid = o.doc WHERE g.doc = p.r%s)"
             " FROM (SELECT d.rowid AS r, " DOC_COLUMNS " FROM documents d WHERE 1%s%s%s"
             " LIMIT :limit) p%s",
             filters, where, f->after_key && f->after_id ? cursor_sql[f->sort] : "",
             order_sql[f->sort], outer_order_sql[f->sort]);
}

enum store_status store_documents_list_collapsed(struct store_conn *c,
                                                 const struct store_doc_filter *f, store_doc_fn fn,
                                                 void *ctx, long long *total)
{
    char where[LIST_WHERE_MAX] = "", sql[LIST_SQL_MAX];
    if (!store_collapse_where(where, sizeof where, f, COLLAPSE_LIST))
        return STORE_ERROR;
    enum store_status s = count_where(c, where, f, total);
    if (s != STORE_OK)
        return s;
    page_sql(sql, sizeof sql, where, f);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    store_doc_filters_bind(st, f);
    sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), f->limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_doc d;
        store_read_doc_row(st, &d);
        d.collapsed_duplicates = sqlite3_column_int64(st, DOC_COLUMNS_COUNT);
        if (fn(ctx, &d))
            break;
    }
    return store_rows_done(st, rc);
}

/* ---- collapsed search ---- */

/* The matches of f->fts passing f's filters, with their group: a FROM … WHERE clause. */
static void matches_sql(char *sql, size_t size, const struct store_doc_filter *f)
{
    char filters[LIST_FILTERS_MAX] = "";
    store_doc_filters_sql(filters, sizeof filters, f);
    snprintf(sql, size,
             " FROM documents_fts f LEFT JOIN duplicates g ON g.doc = f.rowid"
             " WHERE documents_fts MATCH :fts%s%s%s",
             *filters ? " AND f.rowid IN (SELECT d.rowid FROM documents d WHERE 1" : "", filters,
             *filters ? ")" : "");
}

static enum store_status search_total(struct store_conn *c, const char *matches,
                                      const struct store_doc_filter *f, long long *total)
{
    char sql[LIST_SQL_MAX];
    snprintf(sql, sizeof sql, "SELECT count(DISTINCT coalesce(g.representative, f.rowid))%s",
             matches);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    store_doc_filters_bind(st, f);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_ERROR ? STORE_BAD_QUERY : STORE_ERROR;
}

/* One ranked hit: its document and snippet (the match pinned to its rowid, as search.c does). */
static enum store_status emit_hit(struct store_conn *c, const char *fts, long long rowid,
                                  double score, long long collapsed, store_doc_fn fn, void *ctx,
                                  bool *stop)
{
    sqlite3_stmt *st =
        store_stmt_sql(c, "SELECT " DOC_COLUMNS ", " STORE_SNIPPET_SQL
                          " FROM documents_fts f JOIN documents d ON d.rowid = f.rowid"
                          " WHERE documents_fts MATCH ?1 AND f.rowid = ?2");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, rowid);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        struct store_doc d;
        store_read_doc_row(st, &d);
        d.snippet = (const char *)sqlite3_column_text(st, DOC_COLUMNS_COUNT);
        d.score = score;
        d.collapsed_duplicates = collapsed;
        *stop = fn(ctx, &d) != 0;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

enum store_status store_search_collapsed(struct store_conn *c, const struct store_doc_filter *f,
                                         int limit, long long offset, store_doc_fn fn, void *ctx,
                                         long long *total)
{
    char matches[LIST_WHERE_MAX], sql[LIST_SQL_MAX];
    if (!f->fts)
        return STORE_ERROR;
    matches_sql(matches, sizeof matches, f);
    enum store_status s = search_total(c, matches, f, total);
    if (s != STORE_OK)
        return s;
    snprintf(sql, sizeof sql,
             "SELECT r, score, collapsed FROM (SELECT f.rowid AS r, f.rank AS score,"
             " count(*) OVER w - 1 AS collapsed, row_number() OVER (w ORDER BY f.rank, f.rowid)"
             " AS n%s WINDOW w AS (PARTITION BY coalesce(g.representative, f.rowid)))"
             " WHERE n = 1 ORDER BY score, r LIMIT :limit OFFSET :offset",
             matches);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    store_doc_filters_bind(st, f);
    sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
    sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), offset);
    /* the page's hits first (emit_hit runs another statement) */
    struct hit {
        long long rowid, collapsed;
        double score;
    } *hits = malloc((size_t)(limit > 0 ? limit : 1) * sizeof *hits);
    int n = 0, rc = SQLITE_NOMEM;
    while (hits && n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
        hits[n++] = (struct hit){sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 2),
                                 sqlite3_column_double(st, 1)};
    s = store_rows_done(st, n == limit ? SQLITE_DONE : rc);
    bool stop = false;
    for (int i = 0; i < n && !stop && s == STORE_OK; i++)
        s = emit_hit(c, f->fts, hits[i].rowid, hits[i].score, hits[i].collapsed, fn, ctx, &stop);
    free(hits);
    return s;
}
