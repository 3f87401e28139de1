/*
 * facets.c — value counts over the documents of a list (see facets.h). One aggregate statement
 * per facet over the list's documents (store_collapse_where, the conditions the list itself
 * uses): source, year and month group the documents through the indexes on source and
 * published, or for a list filtered by source and dates alone sum the rows of facet_counts; type
 * sums the per-document type bits of document_types (or facet_counts); entity counts the rows of
 * entity_documents by document (index entity_documents_by_doc), or for the whole corpus reads the
 * entities in document_count order (index entities_by_documents).
 */
#include "facets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "collapse.h"
#include "conn.h"

const char *const store_facet_names[STORE_FACET_COUNT + 1] = {"source", "year", "month",
                                                              "entity", "type", NULL};

/* A document's value for source, year and month. */
static const char *const value_sql[] = {
    "d.source",
    "CASE WHEN d.published <> '' THEN substr(d.published, 1, 4) END",
    "CASE WHEN length(d.published) >= 7 THEN substr(d.published, 1, 7) END",
};

/* Entity types as bits in document_types.types, in the order of enum entity_type. */
static const char *const type_names[] = {"PERSON", "ORG", "LOC", "MISC"};

int store_build_facets(sqlite3 *db, char **err)
{
    int rc = sqlite3_exec(db,
                          "INSERT INTO document_types(doc, types) SELECT x.doc, sum(DISTINCT"
                          " CASE e.type WHEN 'PERSON' THEN 1 WHEN 'ORG' THEN 2 WHEN 'LOC' THEN 4"
                          " ELSE 8 END) FROM entity_documents x JOIN entities e"
                          " ON e.rowid = x.entity GROUP BY x.doc;"
                          "INSERT INTO facet_counts(published, source, types, n)"
                          " SELECT d.published, d.source, coalesce(t.types, 0), count(*)"
                          " FROM documents d LEFT JOIN document_types t ON t.doc = d.rowid"
                          " GROUP BY 1, 2, 3;",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK && asprintf(err, "store build: facets: %s", sqlite3_errmsg(db)) < 0)
        *err = NULL;
    return rc == SQLITE_OK ? 0 : -1;
}

/* True when the list is filtered by nothing but its source and dates (the filters' own SQL holds
 * only those conditions), so that facet_counts, whose columns have the same names, answers. */
static bool summed(const struct store_doc_filter *f, enum store_collapse collapse)
{
    static const char *const known[] = {" AND d.source = :source", " AND d.published >= :from",
                                        " AND d.published < :to"};
    char sql[2048] = "";
    if (collapse != COLLAPSE_NONE || f->fts)
        return false;
    store_doc_filters_sql(sql, sizeof sql, f);
    const char *p = sql;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (strncmp(p, known[i], strlen(known[i])) == 0)
            p += strlen(known[i]);
    return *p == '\0';
}

static sqlite3_stmt *prepare(struct store_conn *c, const char *sql,
                             const struct store_doc_filter *f, int size)
{
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return NULL;
    store_doc_filters_bind(st, f);
    int i = sqlite3_bind_parameter_index(st, ":size");
    if (i)
        sqlite3_bind_int(st, i, size);
    return st;
}

static enum store_status rows_to(sqlite3_stmt *st, enum store_facet facet, store_facet_fn fn,
                                 void *ctx, bool fts)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_facet_value v = {(const char *)sqlite3_column_text(st, 0), NULL, NULL,
                                      sqlite3_column_int64(st, 3)};
        if (facet == STORE_FACET_ENTITY) {
            v.name = (const char *)sqlite3_column_text(st, 1);
            v.type = (const char *)sqlite3_column_text(st, 2);
        }
        if (fn(ctx, &v))
            break;
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return STORE_OK;
    return rc == SQLITE_ERROR && fts ? STORE_BAD_QUERY : STORE_ERROR;
}

static enum store_status entity_facet(struct store_conn *c, const char *where,
                                      const struct store_doc_filter *f, int size, store_facet_fn fn,
                                      void *ctx)
{
    char sql[8192];
    if (!*where) /* the whole corpus: what each entity counted when the store was built */
        snprintf(sql, sizeof sql,
                 "SELECT id, name, type, document_count FROM entities"
                 " ORDER BY document_count DESC, id LIMIT :size");
    else /* entities' rowid order is their id order (build.c) */
        snprintf(sql, sizeof sql,
                 "SELECT e.id, e.name, e.type, x.c FROM (SELECT x.entity AS entity, count(*) AS c"
                 " FROM documents d%s CROSS JOIN entity_documents x ON x.doc = d.rowid WHERE 1%s"
                 " GROUP BY x.entity ORDER BY c DESC, x.entity LIMIT :size) x"
                 " JOIN entities e ON e.rowid = x.entity ORDER BY x.c DESC, e.id",
                 store_narrow_documents(f, false), where);
    sqlite3_stmt *st = prepare(c, sql, f, size);
    return st ? rows_to(st, STORE_FACET_ENTITY, fn, ctx, f->fts) : STORE_ERROR;
}

/* The four type counts in one pass, then handed out by count (then name), zeros left out. */
static enum store_status type_facet(struct store_conn *c, const char *where,
                                    const struct store_doc_filter *f, enum store_collapse collapse,
                                    int size, store_facet_fn fn, void *ctx)
{
    char sql[8192];
    if (summed(f, collapse))
        snprintf(sql, sizeof sql,
                 "SELECT sum((d.types & 1 <> 0) * d.n), sum((d.types & 2 <> 0) * d.n),"
                 " sum((d.types & 4 <> 0) * d.n), sum((d.types & 8 <> 0) * d.n)"
                 " FROM facet_counts d WHERE 1%s",
                 where);
    else
        snprintf(sql, sizeof sql,
                 "SELECT sum(t.types & 1 <> 0), sum(t.types & 2 <> 0), sum(t.types & 4 <> 0),"
                 " sum(t.types & 8 <> 0) FROM documents d%s CROSS JOIN document_types t"
                 " ON t.doc = d.rowid WHERE 1%s",
                 store_narrow_documents(f, false), where);
    sqlite3_stmt *st = prepare(c, sql, f, size);
    if (!st)
        return STORE_ERROR;
    long long n[4] = {0};
    int rc = sqlite3_step(st);
    for (int i = 0; rc == SQLITE_ROW && i < 4; i++)
        n[i] = sqlite3_column_int64(st, i);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_ERROR && f->fts ? STORE_BAD_QUERY : STORE_ERROR;
    for (int shown = 0; shown < size; shown++) {
        int best = -1;
        for (int k = 0; k < 4; k++) {                  /* ties: by name */
            static const int by_name[] = {2, 3, 1, 0}; /* LOC, MISC, ORG, PERSON */
            int i = by_name[k];
            if (n[i] > 0 && (best < 0 || n[i] > n[best]))
                best = i;
        }
        if (best < 0)
            break;
        struct store_facet_value v = {type_names[best], NULL, NULL, n[best]};
        n[best] = 0;
        if (fn(ctx, &v))
            break;
    }
    return STORE_OK;
}

enum store_status store_facet_values(struct store_conn *c, enum store_facet facet,
                                     const struct store_doc_filter *f, enum store_collapse collapse,
                                     int size, store_facet_fn fn, void *ctx)
{
    char where[4096] = "";
    if (!store_collapse_where(where, sizeof where, f, collapse))
        return STORE_BAD_QUERY;
    if (facet == STORE_FACET_ENTITY)
        return entity_facet(c, where, f, size, fn, ctx);
    if (facet == STORE_FACET_TYPE)
        return type_facet(c, where, f, collapse, size, fn, ctx);
    if ((unsigned)facet >= sizeof value_sql / sizeof value_sql[0])
        return STORE_ERROR;
    char sql[8192], from[128];
    if (summed(f, collapse))
        snprintf(from, sizeof from, "sum(d.n) AS c FROM facet_counts d");
    else
        snprintf(from, sizeof from, "count(*) AS c FROM documents d%s",
                 store_narrow_documents(f, facet == STORE_FACET_SOURCE));
    snprintf(sql, sizeof sql,
             "SELECT %s AS v, NULL, NULL, %s WHERE 1%s"
             " GROUP BY v ORDER BY c DESC, v IS NULL, v LIMIT :size",
             value_sql[facet], from, where);
    sqlite3_stmt *st = prepare(c, sql, f, size);
    return st ? rows_to(st, facet, fn, ctx, f->fts) : STORE_ERROR;
}
