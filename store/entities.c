/*
 * entities.c — entity queries. Aliases and roles come back as JSON arrays built by SQLite
 * (json_group_array), so a page of entities is one statement, not one per row.
 */
#include "entities.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

/* item: the entity's representation, rendered when the store was built (summaries.c). */
#define ENTITY_COLUMNS "e.id, e.name, e.type, e.mention_count, e.document_count, e.item"
/* One entity in full (EntityDetail: each alias with its count and why), rendered likewise. */
#define ENTITY_DETAIL_COLUMNS "e.id, e.name, e.type, e.mention_count, e.document_count, e.detail"

enum { EF_TYPE = 1, EF_Q = 2, EF_DOCUMENT = 4 };

/* With q, the rows come from one range scan of entity_keys (the folded word starts of names and
 * aliases, see summaries.c) — never a LIKE over every name; CROSS JOIN keeps that scan outside. */
static const char entity_from_sql[] = " FROM entities e";
static const char entity_from_keys_sql[] =
    " FROM (SELECT DISTINCT entity FROM entity_keys WHERE key >= :qlo AND key < :qhi) k"
    " CROSS JOIN entities e ON e.rowid = k.entity";

static const char *const entity_filter_sql[] = {
    " AND e.type = :type",
    "", /* q: in the FROM clause */
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
    e->item = (const char *)sqlite3_column_text(st, 5);
}

/* The key range of a query: every key starting with the folded q, i.e. [q, q "\xff"). */
struct key_range {
    char lo[512], hi[513];
};

static bool key_range_of(const char *q, struct key_range *r)
{
    if (!store_name_key(q, r->lo, sizeof r->lo))
        return false;
    snprintf(r->hi, sizeof r->hi, "%s\xff", r->lo); /* no UTF-8 byte is 0xff */
    return true;
}

static void bind_entity_filters(sqlite3_stmt *st, const struct store_entity_filter *f,
                                const struct key_range *keys)
{
    store_bind_named(st, ":type", f->type);
    store_bind_named(st, ":qlo", keys ? keys->lo : NULL);
    store_bind_named(st, ":qhi", keys ? keys->hi : NULL);
    store_bind_named(st, ":document", f->document);
    store_bind_named(st, ":after_key", f->after_key);
    store_bind_named(st, ":after_id", f->after_id);
    int i = sqlite3_bind_parameter_index(st, ":after_count");
    if (i > 0)
        sqlite3_bind_int64(st, i, f->after_key ? atoll(f->after_key) : 0);
}

static enum store_status run_entities(struct store_conn *c, const char *sql,
                                      const struct store_entity_filter *f,
                                      const struct key_range *keys, store_entity_fn fn, void *ctx,
                                      long long *total)
{
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    bind_entity_filters(st, f, keys);
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

/* A short q in list order: one range of entity_prefixes, read in rank order (no sort of every
 * candidate); the keyset cursor (mention_count, id) becomes the rank of that entity. */
static const char prefix_from_sql[] =
    " FROM entity_prefixes p CROSS JOIN entities e ON e.rowid = p.entity WHERE p.prefix = :qlo";
static const char prefix_cursor_sql[] =
    " AND p.rank > coalesce((SELECT rank FROM entities WHERE id = :after_id"
    " AND mention_count = :after_count), (SELECT count(*) FROM entities WHERE mention_count >"
    " :after_count OR (mention_count = :after_count AND id <= :after_id)))";

static bool prefix_listable(const struct store_entity_filter *f, const char *key)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        chars += (*p & 0xC0) != 0x80;
    return !f->document && f->sort == ENTITY_SORT_MENTIONS && chars <= ENTITY_PREFIX_CHARS;
}

static enum store_status entities_by_prefix(struct store_conn *c,
                                            const struct store_entity_filter *f,
                                            const struct key_range *keys, store_entity_fn fn,
                                            void *ctx, long long *total)
{
    const char *type = f->type ? " AND p.type = :type" : "";
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM entity_prefixes p WHERE p.prefix = :qlo%s",
             type);
    enum store_status s = run_entities(c, sql, f, keys, NULL, NULL, total);
    if (s != STORE_OK)
        return s;
    snprintf(sql, sizeof sql, "SELECT " ENTITY_COLUMNS "%s%s%s ORDER BY p.rank LIMIT :limit",
             prefix_from_sql, type, f->after_key && f->after_id ? prefix_cursor_sql : "");
    return run_entities(c, sql, f, keys, fn, ctx, NULL);
}

/* The total when it is known without counting: every entity, or every entity of one type. */
static bool entity_total_known(struct store_conn *c, const struct store_entity_filter *f,
                               unsigned mask, long long *total)
{
    const struct store_counts *counts = store_counts(c->store);
    if (!mask) {
        *total = counts->entities;
        return true;
    }
    for (int i = 0; mask == EF_TYPE && i < ENTITY_TYPE_COUNT; i++)
        if (strcmp(f->type, entity_type_names[i]) == 0) {
            *total = counts->entities_by_type[i];
            return true;
        }
    return false;
}

enum store_status store_entities_list(struct store_conn *c, const struct store_entity_filter *f,
                                      store_entity_fn fn, void *ctx, long long *total)
{
    bool q = f->q && *f->q; /* an empty q matches every name */
    unsigned mask = (f->type ? EF_TYPE : 0) | (q ? EF_Q : 0) | (f->document ? EF_DOCUMENT : 0);
    struct key_range keys;
    if (q && !key_range_of(f->q, &keys)) {
        *total = 0; /* longer than any name's key: nothing can start with it */
        return STORE_OK;
    }
    if (q && prefix_listable(f, keys.lo))
        return entities_by_prefix(c, f, &keys, fn, ctx, total);
    char where[1024] = " WHERE 1";
    for (unsigned i = 0; i < 3; i++)
        if (mask & (1u << i))
            store_sql_append(where, sizeof where, entity_filter_sql[i]);
    const char *from = q ? entity_from_keys_sql : entity_from_sql;
    char sql[2048];
    snprintf(sql, sizeof sql, "SELECT count(*)%s%s", from, where);
    enum store_status s = STORE_OK;
    if (!entity_total_known(c, f, mask, total))
        s = run_entities(c, sql, f, q ? &keys : NULL, NULL, NULL, total);
    if (s == STORE_OK) {
        snprintf(sql, sizeof sql, "SELECT " ENTITY_COLUMNS "%s%s%s%s LIMIT :limit", from, where,
                 f->after_key && f->after_id ? entity_cursor_sql[f->sort] : "",
                 entity_order_sql[f->sort]);
        s = run_entities(c, sql, f, q ? &keys : NULL, fn, ctx, NULL);
    }
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
    sqlite3_stmt *st =
        store_stmt_sql(c, "SELECT d.id, m.start, m.end, m.text, " STORE_SENTENCE_TEXT_SQL(
                              "d", "s") ","
                                        " m.sentence, m.doc"
                                        " FROM entities e JOIN mentions m ON m.entity = e.rowid"
                                        " JOIN documents d ON d.rowid = m.doc"
                                        " JOIN sentences s ON s.doc = m.doc AND s.seq = m.sentence"
                                        " WHERE e.id = ?1 AND (m.doc, m.start) > (?2, ?3) ORDER BY "
                                        "m.doc, m.start LIMIT ?4");
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
    if (count_for_entity(c, "SELECT document_count FROM entities WHERE id = ?1", entity_id,
                         total) != STORE_OK) /* counted when the store was built */
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
        if (fn(ctx, &d, sqlite3_column_int64(st, DOC_COLUMNS_COUNT)))
            break;
    }
    return store_rows_done(st, rc);
}

enum store_status store_entity_related(struct store_conn *c, const char *entity_id, int limit,
                                       long long offset, store_related_fn fn, void *ctx,
                                       long long *total)
{
    if (count_for_entity(c, "SELECT related_count FROM entities WHERE id = ?1", entity_id, total) !=
        STORE_OK)
        return STORE_ERROR;
    /* Ranked when the store was built (summaries.c): the page is one range of related. */
    sqlite3_stmt *st = store_stmt_sql(
        c, "SELECT e.id, e.name, e.type, r.sentences, r.documents FROM entities me"
           " JOIN related r ON r.entity = me.rowid JOIN entities e ON e.rowid = r.other"
           " WHERE me.id = ?1 ORDER BY r.sentences DESC, r.documents DESC, r.other"
           " LIMIT ?2 OFFSET ?3");
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
