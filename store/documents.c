/*
 * documents.c — document lists (keyset pagination over indexed sort keys), single documents and
 * paragraphs. List SQL is assembled from fixed fragments (never from client text) and cached per
 * combination of filters; all client values are bound parameters.
 */
#include "documents.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"

enum filter_bit {
    F_SOURCE = 1,
    F_FROM = 2,
    F_TO = 4,
    F_ENTITY = 8,
    F_FTS = 16,
    F_CURSOR = 32,
    F_TYPE = 64,
    F_MORE_ENTITIES = 128
};

static const char *const filter_sql[] = {
    " AND d.source = :source",
    " AND d.published >= :from",
    " AND d.published < :to",
    " AND d.rowid IN (SELECT m.doc FROM mentions m JOIN entities e ON e.rowid = m.entity"
    " WHERE e.id = :entity)",
    " AND d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :fts)",
};

static const char *const sort_cursor_sql[] = {
    " AND (d.published, d.id) < (:after_key, :after_id)",
    " AND (d.published, d.id) > (:after_key, :after_id)",
    " AND (d.title, d.id) > (:after_key, :after_id)",
};

static const char *const sort_order_sql[] = {
    " ORDER BY d.published DESC, d.id DESC",
    " ORDER BY d.published, d.id",
    " ORDER BY d.title, d.id",
};

static unsigned filter_mask(const struct store_doc_filter *f)
{
    return (f->source ? F_SOURCE : 0) | (f->from ? F_FROM : 0) | (f->to ? F_TO : 0) |
           (f->entity ? F_ENTITY : 0) | (f->fts ? F_FTS : 0) |
           (f->after_key && f->after_id ? F_CURSOR : 0) | (f->entity_type ? F_TYPE : 0) |
           (f->entity && f->n_more_entities ? F_MORE_ENTITIES : 0);
}

/* The filters that need more than the documents' own columns, on the document rowid col (d.rowid,
 * or x.doc in an entity's range): each further entity, and the type. As sets (a range of
 * entity_documents per entity, of type_documents for the type) where a count is driven by them; as
 * point checks (a mention of the entity in the document, the document under the type) where a
 * page is read in its index order and stops when full. */
static void append_entity_filters(char *sql, size_t size, unsigned mask,
                                  const struct store_doc_filter *f, const char *col, bool sets)
{
    char frag[256];
    for (size_t i = 0; (mask & F_MORE_ENTITIES) && i < f->n_more_entities; i++) {
        if (sets)
            snprintf(frag, sizeof frag,
                     " AND %s IN (SELECT x%zu.doc FROM entity_documents x%zu WHERE x%zu.entity ="
                     " (SELECT rowid FROM entities WHERE id = :entity%zu))",
                     col, i + 1, i + 1, i + 1, i + 1);
        else
            snprintf(frag, sizeof frag,
                     " AND EXISTS (SELECT 1 FROM mentions m%zu WHERE m%zu.entity ="
                     " (SELECT rowid FROM entities WHERE id = :entity%zu) AND m%zu.doc = %s)",
                     i + 1, i + 1, i + 1, i + 1, col);
        store_sql_append(sql, size, frag);
    }
    if (mask & F_TYPE) {
        if (sets)
            snprintf(frag, sizeof frag,
                     " AND %s IN (SELECT td.doc FROM type_documents td WHERE td.type = :type)",
                     col);
        else
            snprintf(frag, sizeof frag,
                     " AND EXISTS (SELECT 1 FROM type_documents td WHERE td.type = :type"
                     " AND td.doc = %s)",
                     col);
        store_sql_append(sql, size, frag);
    }
}

static void append_filters(char *sql, size_t size, unsigned mask, const struct store_doc_filter *f,
                           bool sets)
{
    for (unsigned i = 0; i < 5; i++)
        if (mask & (1u << i))
            store_sql_append(sql, size, filter_sql[i]);
    append_entity_filters(sql, size, mask, f, "d.rowid", sets);
}

void store_doc_filters_sql(char *sql, size_t size, const struct store_doc_filter *f)
{
    append_filters(sql, size, filter_mask(f) & ~(unsigned)(F_FTS | F_CURSOR), f, false);
}

/* "2024-11" as an upper bound includes every date within it: compare against "2024-11~". */
void store_doc_filters_bind(sqlite3_stmt *st, const struct store_doc_filter *f)
{
    char to[16];
    if (f->to)
        snprintf(to, sizeof to, "%.10s~", f->to);
    store_bind_named(st, ":source", f->source);
    store_bind_named(st, ":from", f->from);
    store_bind_named(st, ":to", f->to ? to : NULL);
    store_bind_named(st, ":entity", f->entity);
    for (size_t i = 0; f->entity && i < f->n_more_entities && i + 1 < STORE_MAX_ENTITIES; i++) {
        char name[16];
        snprintf(name, sizeof name, ":entity%zu", i + 1);
        store_bind_named(st, name, f->more_entities[i]);
    }
    store_bind_named(st, ":type", f->entity_type);
    store_bind_named(st, ":fts", f->fts);
    store_bind_named(st, ":after_key", f->after_key);
    store_bind_named(st, ":after_id", f->after_id);
}

static const char *col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

void store_read_doc_row(sqlite3_stmt *st, struct store_doc *d)
{
    memset(d, 0, sizeof *d);
    d->id = col(st, 0);
    d->title = col(st, 1);
    d->source = col(st, 2);
    d->url = col(st, 3);
    d->published = col(st, 4);
    d->precision = col(st, 5);
    d->language = col(st, 6);
    d->summary = col(st, 7);
    d->published_inferred = sqlite3_column_int(st, 8) != 0;
    d->word_count = sqlite3_column_int64(st, 9);
    d->item = col(st, 10);
    d->collapsed_duplicates = -1; /* set by the collapsed lists (duplicates.c) */
}

/* SQLITE_ERROR from a MATCH is a malformed query (the client's fault, not ours). */
static enum store_status step_error(struct store_conn *c, int rc, bool fts)
{
    (void)c;
    return fts && rc == SQLITE_ERROR ? STORE_BAD_QUERY : STORE_ERROR;
}

/* The table that answers the count of these filters without visiting documents: per-date counts
 * (alias d, so the date fragments apply), or NULL when only counting the rows will do. */
static const char *count_table(unsigned mask)
{
    if (!(mask & ~(unsigned)(F_FROM | F_TO)))
        return "SELECT coalesce(sum(d.n), 0) FROM published_counts d WHERE 1";
    if (!(mask & ~(unsigned)(F_SOURCE | F_FROM | F_TO)))
        return "SELECT coalesce(sum(d.n), 0) FROM source_published_counts d WHERE 1";
    if (mask == F_ENTITY)
        return "SELECT coalesce((SELECT document_count FROM entities WHERE id = :entity), 0)";
    if (mask == F_TYPE)
        return "SELECT count(*) FROM type_documents WHERE type = :type";
    return NULL;
}

static enum store_status count_docs(struct store_conn *c, const struct store_doc_filter *f,
                                    unsigned mask, long long *total)
{
    mask &= ~(unsigned)F_CURSOR;
    if (!mask) { /* every document: counted once when the store was built, not per request */
        *total = store_counts(c->store)->documents;
        return STORE_OK;
    }
    const char *summed = count_table(mask);
    char sql[2560];
    snprintf(sql, sizeof sql, "%s", summed ? summed : "SELECT count(*) FROM documents d WHERE 1");
    if (mask != F_ENTITY && mask != F_TYPE)
        append_filters(sql, sizeof sql, mask, f, true);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    store_doc_filters_bind(st, f);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return step_error(c, rc, f->fts);
    *total = sqlite3_column_int64(st, 0);
    return STORE_OK;
}

/* An entity's documents by date, with from/to and a cursor: one range of entity_documents (the
 * table's key is the list order), never a sort of every document of a famous entity. */
static const char *const entity_docs_filter_sql[] = {
    "",
    " AND x.published >= :from",
    " AND x.published < :to",
};
static const char *const entity_docs_cursor_sql[] = {
    " AND (x.published, x.id) < (:after_key, :after_id)",
    " AND (x.published, x.id) > (:after_key, :after_id)",
};
static const char *const entity_docs_order_sql[] = {
    " ORDER BY x.published DESC, x.id DESC",
    " ORDER BY x.published, x.id",
};

static bool by_entity_documents(const struct store_doc_filter *f, unsigned mask)
{
    return (mask & F_ENTITY) && !(mask & (F_SOURCE | F_FTS)) && f->sort != DOC_SORT_TITLE;
}

/* One page of documents: sql (with the filters' named parameters and :limit) run, each row handed
 * to fn. The statement is left on its last row (or done) in *out; NULL when it cannot be made. */
static int doc_page(struct store_conn *c, const char *sql, const struct store_doc_filter *f,
                    store_doc_fn fn, void *ctx, sqlite3_stmt **out)
{
    sqlite3_stmt *st = *out = store_stmt_sql(c, sql);
    if (!st)
        return SQLITE_ERROR;
    store_doc_filters_bind(st, f);
    sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), f->limit);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_doc d;
        store_read_doc_row(st, &d);
        if (fn(ctx, &d))
            break;
    }
    return rc;
}

static enum store_status entity_documents_list(struct store_conn *c,
                                               const struct store_doc_filter *f, unsigned mask,
                                               store_doc_fn fn, void *ctx, long long *total)
{
    char where[2048] = " WHERE x.entity = (SELECT rowid FROM entities WHERE id = :entity)";
    for (unsigned i = 1; i < 3; i++)
        if (mask & (1u << i))
            store_sql_append(where, sizeof where, entity_docs_filter_sql[i]);
    append_entity_filters(where, sizeof where, mask, f, "x.doc", false); /* x drives */
    char sql[3072];
    if (mask & (F_FROM | F_TO | F_TYPE | F_MORE_ENTITIES)) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM entity_documents x%s", where);
        sqlite3_stmt *st = store_stmt_sql(c, sql);
        if (!st)
            return STORE_ERROR;
        store_doc_filters_bind(st, f);
        int rc = sqlite3_step(st);
        *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return STORE_ERROR;
    } else if (count_docs(c, f, mask, total) != STORE_OK) {
        return STORE_ERROR; /* the entity's document_count */
    }
    snprintf(sql, sizeof sql,
             "SELECT " DOC_COLUMNS " FROM entity_documents x CROSS JOIN documents d"
             " ON d.rowid = x.doc%s%s%s LIMIT :limit",
             where, mask & F_CURSOR ? entity_docs_cursor_sql[f->sort] : "",
             entity_docs_order_sql[f->sort]);
    sqlite3_stmt *st;
    int rc = doc_page(c, sql, f, fn, ctx, &st);
    return st ? store_rows_done(st, rc) : STORE_ERROR;
}

enum store_status store_documents_list(struct store_conn *c, const struct store_doc_filter *f,
                                       store_doc_fn fn, void *ctx, long long *total)
{
    unsigned mask = filter_mask(f);
    if (by_entity_documents(f, mask))
        return entity_documents_list(c, f, mask, fn, ctx, total);
    enum store_status s = count_docs(c, f, mask, total);
    if (s != STORE_OK)
        return s;
    char sql[2560] = "SELECT " DOC_COLUMNS " FROM documents d WHERE 1";
    append_filters(sql, sizeof sql, mask, f, false);
    if (mask & F_CURSOR)
        store_sql_append(sql, sizeof sql, sort_cursor_sql[f->sort]);
    store_sql_append(sql, sizeof sql, sort_order_sql[f->sort]);
    store_sql_append(sql, sizeof sql, " LIMIT :limit");
    sqlite3_stmt *st;
    int rc = doc_page(c, sql, f, fn, ctx, &st);
    if (!st)
        return STORE_ERROR;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : step_error(c, rc, f->fts);
}

const char *store_doc_sort_key(const struct store_doc *d, enum store_doc_sort sort)
{
    return sort == DOC_SORT_TITLE ? d->title : d->published;
}

/* Binds id to st's first parameter and steps to its row: STORE_OK on it, STORE_NOT_FOUND when
 * there is none. */
static enum store_status step_to_id(sqlite3_stmt *st, const char *id)
{
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

enum store_status store_document_get(struct store_conn *c, const char *id, store_doc_fn fn,
                                     void *ctx)
{
    sqlite3_stmt *st = store_stmt(c, STMT_DOC_GET,
                                  "SELECT " DOC_COLUMNS ", d.text FROM documents d WHERE d.id = ?");
    if (!st)
        return STORE_ERROR;
    enum store_status found = step_to_id(st, id);
    if (found != STORE_OK)
        return found;
    struct store_doc d;
    store_read_doc_row(st, &d);
    d.text = col(st, DOC_COLUMNS_COUNT);
    fn(ctx, &d);
    sqlite3_reset(st);
    return STORE_OK;
}

enum store_status store_document_paragraphs(struct store_conn *c, const char *id, store_span_fn fn,
                                            void *ctx)
{
    sqlite3_stmt *st = store_stmt(c, STMT_DOC_PARAGRAPHS,
                                  "SELECT p.start, p.end FROM paragraphs p JOIN documents d"
                                  " ON d.rowid = p.doc WHERE d.id = ? ORDER BY p.seq");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1)))
            break;
    return store_rows_done(st, rc);
}

enum store_status store_document_body(struct store_conn *c, const char *id, char **body)
{
    sqlite3_stmt *st = store_stmt(c, STMT_DOC_BODY,
                                  "SELECT b.body FROM documents d JOIN document_bodies b"
                                  " ON b.doc = d.rowid WHERE d.id = ?");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *body = rc == SQLITE_ROW ? strdup(col(st, 0)) : NULL;
    sqlite3_reset(st);
    if (rc == SQLITE_DONE)
        return STORE_NOT_FOUND;
    return *body ? STORE_OK : STORE_ERROR;
}

enum store_status store_document_text(struct store_conn *c, const char *id, char **text)
{
    *text = NULL;
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT text FROM documents WHERE id = ?");
    if (!st)
        return STORE_ERROR;
    enum store_status found = step_to_id(st, id);
    if (found == STORE_OK && !(*text = strdup(col(st, 0) ? col(st, 0) : "")))
        found = STORE_ERROR;
    sqlite3_reset(st);
    return found;
}

bool store_document_exists(struct store_conn *c, const char *id)
{
    sqlite3_stmt *st = store_stmt(c, STMT_DOC_EXISTS, "SELECT 1 FROM documents WHERE id = ?");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

enum store_status store_document_source(struct store_conn *c, const char *id, const char **original,
                                        store_aside_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_stmt(c, STMT_DOC_ORIGINAL,
                                  "SELECT d.rowid, s.original FROM documents d LEFT JOIN"
                                  " document_sources s ON s.doc = d.rowid WHERE d.id = ?");
    if (!st)
        return STORE_ERROR;
    enum store_status found = step_to_id(st, id);
    if (found != STORE_OK)
        return found;
    sqlite3_int64 doc = sqlite3_column_int64(st, 0);
    *original = col(st, 1); /* the statement stays on its row until the next call */
    sqlite3_stmt *spans = store_stmt(c, STMT_DOC_ASIDE,
                                     "SELECT start, end, reason, coalesce(repeats, 0)"
                                     " FROM set_aside WHERE doc = ? ORDER BY seq");
    if (!spans)
        return STORE_ERROR;
    sqlite3_bind_int64(spans, 1, doc);
    int rc;
    while ((rc = sqlite3_step(spans)) == SQLITE_ROW) {
        struct store_aside a = {sqlite3_column_int64(spans, 0), sqlite3_column_int64(spans, 1),
                                col(spans, 2), sqlite3_column_int64(spans, 3)};
        if (fn(ctx, &a))
            break;
    }
    return store_rows_done(spans, rc);
}
