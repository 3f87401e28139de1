/*
 * facets.c — value counts over the documents of a list (see facets.h). One aggregate statement
 * per facet over the list's documents (store_collapse_where, the conditions the list itself
 * uses): source, year and month group the documents through the indexes on source and
 * published, or for a list filtered by source and dates alone sum the rows of facet_counts; type
 * sums the per-document type bits of document_types (or facet_counts); entity counts the rows of
 * entity_documents by document (index entity_documents_by_doc) in an array, or for the whole
 * corpus reads the entities in document_count order (index entities_by_documents).
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
    char sql[LIST_FILTERS_MAX] = "";
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

/* An entity and how many of the list's documents mention it. */
struct entity_count {
    long long entity, count;
};

static int by_count(const void *a, const void *b)
{
    const struct entity_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (x->entity > y->entity) - (x->entity < y->entity); /* rowid order is id order */
}

/* The entity rows of the list's documents counted in an array indexed by entity rowid: a walk
 * of the index entity_documents_by_doc, without the sort a GROUP BY would need (a month of
 * Reuters: 59,000 rows, a third of the time). The distinct entities found, in *out (malloc'd). */
static enum store_status count_entities(struct store_conn *c, const char *where,
                                        const struct store_doc_filter *f, struct entity_count **out,
                                        size_t *n)
{
    char sql[LIST_SQL_MAX];
    snprintf(sql, sizeof sql,
             "SELECT x.entity, (SELECT max(rowid) FROM entities) FROM documents d%s"
             " CROSS JOIN entity_documents x ON x.doc = d.rowid WHERE 1%s",
             store_narrow_documents(f, false), where);
    sqlite3_stmt *st = prepare(c, sql, f, 0);
    if (!st)
        return STORE_ERROR;
    unsigned *counts = NULL;
    long long max = -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!counts &&
            !(counts = calloc((size_t)(max = sqlite3_column_int64(st, 1)) + 1, sizeof *counts)))
            break;
        long long e = sqlite3_column_int64(st, 0);
        counts[e >= 0 && e <= max ? e : 0]++;
    }
    sqlite3_reset(st);
    *n = 0;
    *out = rc == SQLITE_DONE ? malloc((size_t)(max + 1 > 0 ? max + 1 : 1) * sizeof **out) : NULL;
    for (long long e = 1; *out && e <= max; e++)
        if (counts[e])
            (*out)[(*n)++] = (struct entity_count){e, counts[e]};
    free(counts);
    if (*out)
        return STORE_OK;
    return rc == SQLITE_ERROR && f->fts ? STORE_BAD_QUERY : STORE_ERROR;
}

static enum store_status top_entities(struct store_conn *c, const char *where,
                                      const struct store_doc_filter *f, int size, store_facet_fn fn,
                                      void *ctx)
{
    struct entity_count *counts;
    size_t n;
    enum store_status s = count_entities(c, where, f, &counts, &n);
    if (s != STORE_OK)
        return s;
    qsort(counts, n, sizeof *counts, by_count);
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT id, name, type FROM entities WHERE rowid = ?1");
    bool stop = false;
    for (size_t i = 0; st && !stop && s == STORE_OK && i < n && i < (size_t)size; i++) {
        sqlite3_bind_int64(st, 1, counts[i].entity);
        if (sqlite3_step(st) == SQLITE_ROW) {
            struct store_facet_value v = {
                (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
                (const char *)sqlite3_column_text(st, 2), counts[i].count};
            stop = fn(ctx, &v) != 0;
        } else {
            s = STORE_ERROR;
        }
        sqlite3_reset(st);
    }
    free(counts);
    return st ? s : STORE_ERROR;
}

static enum store_status entity_facet(struct store_conn *c, const char *where,
                                      const struct store_doc_filter *f, int size, store_facet_fn fn,
                                      void *ctx)
{
    if (*where)
        return top_entities(c, where, f, size, fn, ctx);
    /* the whole corpus: what each entity counted when the store was built */
    sqlite3_stmt *st = prepare(c,
                               "SELECT id, name, type, document_count FROM entities"
                               " ORDER BY document_count DESC, id LIMIT :size",
                               f, size);
    return st ? rows_to(st, STORE_FACET_ENTITY, fn, ctx, f->fts) : STORE_ERROR;
}

/* The four type counts in one pass, then handed out by count (then name), zeros left out. */
static enum store_status type_facet(struct store_conn *c, const char *where,
                                    const struct store_doc_filter *f, enum store_collapse collapse,
                                    int size, store_facet_fn fn, void *ctx)
{
    char sql[LIST_SQL_MAX];
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
    char where[LIST_WHERE_MAX] = "";
    if (!store_collapse_where(where, sizeof where, f, collapse))
        return STORE_ERROR;
    if (facet == STORE_FACET_ENTITY)
        return entity_facet(c, where, f, size, fn, ctx);
    if (facet == STORE_FACET_TYPE)
        return type_facet(c, where, f, collapse, size, fn, ctx);
    if ((unsigned)facet >= sizeof value_sql / sizeof value_sql[0])
        return STORE_ERROR;
    char sql[LIST_SQL_MAX], from[128];
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
