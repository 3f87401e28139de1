/*
 * entities.c — entity queries. Aliases and roles come back as JSON arrays built by SQLite
 * (json_group_array), so a page of entities is one statement, not one per row.
 */
#include "entities.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

#define ENTITY_COLUMNS                                                                             \
    "e.id, e.name, e.type, e.mention_count, e.document_count,"                                     \
    " (SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases"                      \
    "   WHERE entity = e.rowid ORDER BY count DESC, alias)),"                                      \
    " (SELECT json_group_array(role) FROM (SELECT role FROM entity_roles"                          \
    "   WHERE entity = e.rowid ORDER BY count DESC, role))"

/* One entity in full: each alias with its count and why it belongs to the entity. */
#define ENTITY_DETAIL_COLUMNS                                                                      \
    "e.id, e.name, e.type, e.mention_count, e.document_count,"                                     \
    " (SELECT json_group_array(json_object('name', alias, 'count', count, 'why', why))"            \
    "   FROM (SELECT alias, count, why FROM entity_aliases WHERE entity = e.rowid"                 \
    "   ORDER BY count DESC, alias)),"                                                             \
    " (SELECT json_group_array(role) FROM (SELECT role FROM entity_roles"                          \
    "   WHERE entity = e.rowid ORDER BY count DESC, role))"

enum { EF_TYPE = 1, EF_Q = 2, EF_DOCUMENT = 4, EF_CURSOR = 8 };

static const char *const entity_filter_sql[] = {
    " AND e.type = :type",
    " AND (e.name LIKE :q ESCAPE '\\' OR e.rowid IN (SELECT entity FROM entity_aliases"
    " WHERE alias LIKE :q ESCAPE '\\'))",
    " AND e.rowid IN (SELECT m.entity FROM mentions m JOIN documents d ON d.rowid = m.doc"
    " WHERE d.id = :document)",
};

static const char *const entity_cursor_sql[] = {
    " AND (e.mention_count < :after_count OR (e.mention_count = :after_count AND e.id > "
    ":after_id))",
    " AND (e.name, e.id) > (:after_key, :after_id)",
};

static const char *const entity_order_sql[] = {
    " ORDER BY e.mention_count DESC, e.id",
    " ORDER BY e.name, e.id",
};

static void read_entity(sqlite3_stmt *st, struct store_entity *e)
{
    e->id = (const char *)sqlite3_column_text(st, 0);
    e->name = (const char *)sqlite3_column_text(st, 1);
    e->type = (const char *)sqlite3_column_text(st, 2);
    e->mention_count = sqlite3_column_int64(st, 3);
    e->document_count = sqlite3_column_int64(st, 4);
    e->aliases_json = (const char *)sqlite3_column_text(st, 5);
    e->roles_json = (const char *)sqlite3_column_text(st, 6);
}

/* "%term%" with LIKE's wildcards escaped, so the client's % and _ are literal. */
static char *like_pattern(const char *q)
{
    size_t n = strlen(q);
    char *p = malloc(2 * n + 3), *o = p;
    if (!p)
        return NULL;
    *o++ = '%';
    for (const char *s = q; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\')
            *o++ = '\\';
        *o++ = *s;
    }
    *o++ = '%';
    *o = '\0';
    return p;
}

static void bind_entity_filters(sqlite3_stmt *st, const struct store_entity_filter *f,
                                const char *like)
{
    store_bind_named(st, ":type", f->type);
    store_bind_named(st, ":q", like);
    store_bind_named(st, ":document", f->document);
    store_bind_named(st, ":after_key", f->after_key);
    store_bind_named(st, ":after_id", f->after_id);
    int i = sqlite3_bind_parameter_index(st, ":after_count");
    if (i > 0)
        sqlite3_bind_int64(st, i, f->after_key ? atoll(f->after_key) : 0);
}

static enum store_status run_entities(struct store_conn *c, const char *sql,
                                      const struct store_entity_filter *f, const char *like,
                                      store_entity_fn fn, void *ctx, long long *total)
{
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    bind_entity_filters(st, f, like);
    int rc;
    if (total) {
        rc = sqlite3_step(st);
        *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
    }
    sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), f->limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_entity e;
        read_entity(st, &e);
        if (fn(ctx, &e))
            break;
    }
    return store_rows_done(st, rc);
}

enum store_status store_entities_list(struct store_conn *c, const struct store_entity_filter *f,
                                      store_entity_fn fn, void *ctx, long long *total)
{
    unsigned mask = (f->type ? EF_TYPE : 0) | (f->q ? EF_Q : 0) | (f->document ? EF_DOCUMENT : 0);
    char where[1024] = " WHERE 1";
    for (unsigned i = 0; i < 3; i++)
        if (mask & (1u << i))
            store_sql_append(where, sizeof where, entity_filter_sql[i]);
    char *like = f->q ? like_pattern(f->q) : NULL;
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM entities e%s", where);
    enum store_status s = STORE_OK;
    if (mask) /* filtered; else every entity, counted once when the store was built */
        s = run_entities(c, sql, f, like, NULL, NULL, total);
    else
        *total = store_counts(c->store)->entities;
    if (s == STORE_OK) {
        snprintf(sql, sizeof sql, "SELECT " ENTITY_COLUMNS " FROM entities e%s%s%s LIMIT :limit",
                 where, f->after_key && f->after_id ? entity_cursor_sql[f->sort] : "",
                 entity_order_sql[f->sort]);
        s = run_entities(c, sql, f, like, fn, ctx, NULL);
    }
    free(like);
    return s;
}

const char *store_entity_sort_key(const struct store_entity *e, enum store_entity_sort sort,
                                  char *buf, size_t size)
{
    if (sort == ENTITY_SORT_NAME)
        return e->name;
    snprintf(buf, size, "%lld", e->mention_count);
    return buf;
}

enum store_status store_entity_get(struct store_conn *c, const char *id, store_entity_fn fn,
                                   void *ctx)
{
    sqlite3_stmt *st =
        store_stmt_sql(c, "SELECT " ENTITY_DETAIL_COLUMNS " FROM entities e WHERE e.id = ?");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        struct store_entity e;
        read_entity(st, &e);
        fn(ctx, &e);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_entity_redirect(struct store_conn *c, const char *id, char *out,
                                        size_t size)
{
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT e.id FROM entity_redirects r"
                                         " JOIN entities e ON e.rowid = r.entity WHERE r.id = ?");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

bool store_entity_exists(struct store_conn *c, const char *id)
{
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT 1 FROM entities WHERE id = ?");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* Counts rows of "SELECT count(*) …" with the entity id bound to ?1. */
static enum store_status count_for_entity(struct store_conn *c, const char *sql, const char *id,
                                          long long *total)
{
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? STORE_OK : STORE_ERROR;
}

enum store_status store_entity_mentions(struct store_conn *c, const char *entity_id,
                                        long long after_doc, long long after_start, int limit,
                                        store_mention_fn fn, void *ctx, long long *total)
{
    if (count_for_entity(c,
                         "SELECT count(*) FROM mentions m JOIN entities e ON e.rowid = m.entity"
                         " WHERE e.id = ?1",
                         entity_id, total) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *st = store_stmt_sql(
        c, "SELECT d.id, m.start, m.end, m.text, s.text, m.sentence, m.doc"
           " FROM entities e JOIN mentions m ON m.entity = e.rowid"
           " JOIN documents d ON d.rowid = m.doc"
           " JOIN sentences s ON s.doc = m.doc AND s.seq = m.sentence"
           " WHERE e.id = ?1 AND (m.doc, m.start) > (?2, ?3) ORDER BY m.doc, m.start LIMIT ?4");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, after_doc);
    sqlite3_bind_int64(st, 3, after_start);
    sqlite3_bind_int(st, 4, limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_mention m = {(const char *)sqlite3_column_text(st, 0),
                                  (const char *)sqlite3_column_text(st, 3),
                                  (const char *)sqlite3_column_text(st, 4),
                                  sqlite3_column_int64(st, 1),
                                  sqlite3_column_int64(st, 2),
                                  sqlite3_column_int64(st, 5),
                                  sqlite3_column_int64(st, 6)};
        if (fn(ctx, &m))
            break;
    }
    return store_rows_done(st, rc);
}

enum store_status store_entity_documents(struct store_conn *c, const char *entity_id, int limit,
                                         long long offset, store_entity_doc_fn fn, void *ctx,
                                         long long *total)
{
    if (count_for_entity(c,
                         "SELECT count(DISTINCT m.doc) FROM mentions m JOIN entities e"
                         " ON e.rowid = m.entity WHERE e.id = ?1",
                         entity_id, total) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *st = store_stmt_sql(
        c, "SELECT " DOC_COLUMNS ", x.n FROM (SELECT m.doc, count(*) AS n FROM mentions m"
           " JOIN entities e ON e.rowid = m.entity WHERE e.id = ?1 GROUP BY m.doc) x"
           " JOIN documents d ON d.rowid = x.doc ORDER BY x.n DESC, d.id LIMIT ?2 OFFSET ?3");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_doc d;
        store_read_doc_row(st, &d);
        if (fn(ctx, &d, sqlite3_column_int64(st, 10)))
            break;
    }
    return store_rows_done(st, rc);
}

enum store_status store_entity_related(struct store_conn *c, const char *entity_id, int limit,
                                       long long offset, store_related_fn fn, void *ctx,
                                       long long *total)
{
    if (count_for_entity(c,
                         "WITH me AS (SELECT rowid FROM entities WHERE id = ?1)"
                         " SELECT count(*) FROM cooccurrences WHERE a = (SELECT rowid FROM me)"
                         " OR b = (SELECT rowid FROM me)",
                         entity_id, total) != STORE_OK)
        return STORE_ERROR;
    sqlite3_stmt *st =
        store_stmt_sql(c, "WITH me AS (SELECT rowid FROM entities WHERE id = ?1),"
                          " pairs AS (SELECT b AS other, sentences, documents FROM cooccurrences"
                          "           WHERE a = (SELECT rowid FROM me)"
                          "           UNION ALL SELECT a, sentences, documents FROM cooccurrences"
                          "           WHERE b = (SELECT rowid FROM me))"
                          " SELECT e.id, e.name, e.type, p.sentences, p.documents FROM pairs p"
                          " JOIN entities e ON e.rowid = p.other"
                          " ORDER BY p.sentences DESC, p.documents DESC, e.id LIMIT ?2 OFFSET ?3");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_int64(st, 3, offset);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_related r = {(const char *)sqlite3_column_text(st, 0),
                                  (const char *)sqlite3_column_text(st, 1),
                                  (const char *)sqlite3_column_text(st, 2),
                                  sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4)};
        if (fn(ctx, &r))
            break;
    }
    return store_rows_done(st, rc);
}

enum store_status store_document_entities(struct store_conn *c, const char *doc_id,
                                          store_doc_entity_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt_sql(
        c, "SELECT e.id, e.name, e.type, json_group_array(json_object('start', m.start,"
           " 'end', m.end, 'text', m.text)) FROM documents d"
           " JOIN mentions m ON m.doc = d.rowid JOIN entities e ON e.rowid = m.entity"
           " WHERE d.id = ?1 GROUP BY e.rowid ORDER BY count(*) DESC, e.id");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_doc_entity e = {
            (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3)};
        if (fn(ctx, &e))
            break;
    }
    return store_rows_done(st, rc);
}
