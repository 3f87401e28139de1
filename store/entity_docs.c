/*
 * entity_docs.c — an entity's documents by publication date (newest or oldest first), each with
 * its mentions of the entity: one range of entity_documents, whose key is that order, read from a
 * keyset cursor; the mentions counted per row on the mentions key (entity, doc).
 */
#include <stdio.h>

#include "conn.h"
#include "entities.h"

/* newest first, oldest first: the cursor condition (a range of the key) and the order */
static const char *const cursor_sql[] = {
    " AND (x.published, x.id) < (:after_key, :after_id)",
    " AND (x.published, x.id) > (:after_key, :after_id)",
};
static const char *const order_sql[] = {
    " ORDER BY x.published DESC, x.id DESC",
    " ORDER BY x.published, x.id",
};

enum store_status store_entity_documents_by_date(struct store_conn *c, const char *entity_id,
                                                 bool oldest_first, const char *after_key,
                                                 const char *after_id, int limit,
                                                 store_entity_doc_fn fn, void *ctx,
                                                 long long *total)
{
    sqlite3_stmt *st = store_stmt_sql(c, "SELECT document_count FROM entities WHERE id = ?1");
    if (!st)
        return STORE_ERROR;
    sqlite3_bind_text(st, 1, entity_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0; /* counted at build time */
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return STORE_ERROR;
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT " DOC_COLUMNS ", (SELECT count(*) FROM mentions m WHERE m.entity = x.entity"
             " AND m.doc = x.doc) FROM entity_documents x CROSS JOIN documents d"
             " ON d.rowid = x.doc WHERE x.entity = (SELECT rowid FROM entities WHERE id = :entity)"
             "%s%s LIMIT :limit",
             after_key && after_id ? cursor_sql[oldest_first] : "", order_sql[oldest_first]);
    if (!(st = store_stmt_sql(c, sql)))
        return STORE_ERROR;
    store_bind_named(st, ":entity", entity_id);
    store_bind_named(st, ":after_key", after_key);
    store_bind_named(st, ":after_id", after_id);
    sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_doc d;
        store_read_doc_row(st, &d);
        if (fn(ctx, &d, sqlite3_column_int64(st, DOC_COLUMNS_COUNT)))
            break;
    }
    return store_rows_done(st, rc);
}
