/*
 * summaries.c — build-time summaries that keep every request cheap on a large corpus: entity
 * name keys (prefix lookup by index), document and event counts per date (list totals as sums of
 * a few rows), the documents of each entity in list order, and the JSON representation of every
 * row. Run once, after the derived tables, inside the build's transactions (the name keys on
 * lookup_build.c's side database when the build has two threads); the tables are described in
 * schema.sql.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <unistr.h>

#include "build.h"
#include "conn.h"

bool store_name_key(const char *s, char *out, size_t size)
{
    size_t n = size - 1;
    uint8_t *folded = u8_tolower((const uint8_t *)s, strlen(s), NULL, NULL, (uint8_t *)out, &n);
    if (!folded)
        return false;
    if (folded != (uint8_t *)out) { /* longer than out: libunistring allocated it */
        free(folded);
        return false;
    }
    out[n] = '\0';
    return true;
}

static bool is_word_char(const uint8_t *p, const uint8_t *end)
{
    ucs4_t cp;
    u8_mbtouc(&cp, p, (size_t)(end - p));
    return uc_is_alpha(cp) || uc_is_digit(cp);
}

/* Inserts every word start of the folded name: "bank of japan", "of japan", "japan". */
static int insert_keys(sqlite3_stmt *ins, sqlite3_int64 entity, const char *name)
{
    char key[512];
    if (!store_name_key(name, key, sizeof key))
        return SQLITE_OK; /* a name longer than any query worth a key */
    const uint8_t *p = (const uint8_t *)key, *end = p + strlen(key);
    bool prev_word = false;
    for (int k; p<end; p += k> 0 ? k : 1) {
        k = u8_mblen(p, (size_t)(end - p));
        bool word = is_word_char(p, end);
        if (word && !prev_word) {
            sqlite3_bind_text(ins, 1, (const char *)p, (int)(end - p), SQLITE_STATIC);
            sqlite3_bind_int64(ins, 2, entity);
            int rc = sqlite3_step(ins);
            sqlite3_reset(ins);
            if (rc != SQLITE_DONE)
                return rc;
        }
        prev_word = word;
    }
    return SQLITE_OK;
}

static int build_entity_keys(sqlite3 *db)
{
    sqlite3_stmt *sel = NULL, *ins = NULL;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT rowid, name FROM entities"
                                " UNION SELECT entity, alias FROM entity_aliases",
                                -1, &sel, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO entity_keys(key, entity) VALUES(?, ?)",
                                -1, &ins, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(sel)) == SQLITE_ROW)
        rc = insert_keys(ins, sqlite3_column_int64(sel, 0),
                         (const char *)sqlite3_column_text(sel, 1));
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The prefixes of the name keys with their entities' list rank (schema.sql). */
static const char prefixes_sql[] =
    "INSERT OR IGNORE INTO entity_prefixes(prefix, rank, entity, type)"
    " SELECT substr(k.key, 1, n.n), e.rank, k.entity, e.type FROM entity_keys k"
    " JOIN entities e ON e.rowid = k.entity"
    " JOIN (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4"
    "       UNION ALL SELECT 5 UNION ALL SELECT 6) n ON n.n <= length(k.key);";

/* Grouped by the table's key, not DISTINCT: the rows come out in key order and are appended
 * (DISTINCT gave them in scan order, each insert a search of the table; a document's id is
 * unique, so its rowid is one per group). */
static const char entity_documents_sql[] =
    "INSERT INTO entity_documents(entity, published, id, doc)"
    " SELECT m.entity, d.published, d.id, d.rowid FROM mentions m"
    " JOIN documents d ON d.rowid = m.doc GROUP BY m.entity, d.published, d.id;"
    "INSERT INTO type_documents(type, doc) SELECT DISTINCT e.type, x.doc FROM entity_documents x"
    " JOIN entities e ON e.rowid = x.entity;"
    "INSERT INTO type_events(type, event) SELECT DISTINCT e.type, ee.event FROM event_entities ee"
    " JOIN entities e ON e.rowid = ee.entity;";

static const char counts_sql[] =
    "INSERT INTO published_counts SELECT published, count(*) FROM documents GROUP BY published;"
    "INSERT INTO source_published_counts SELECT source, published, count(*) FROM documents"
    " WHERE source IS NOT NULL GROUP BY source, published;";

static const char event_counts_sql[] =
    "INSERT INTO event_date_counts SELECT date, precision, first_day, last_day, range_last_day,"
    " count(*) FROM events GROUP BY date, precision, first_day, last_day, range_last_day;";

/* The representations of documents, rendered once here so that a request copies them instead of
 * building a JSON tree per row (entity_fragments_sql: the entities'; event_rows.c renders the
 * events' with their rows). Shapes:
 * docs/openapi.yaml (Document, DocumentFull, Entity, EntityDetail, Event); key order as the
 * handlers wrote them before. */
static const char fragments_sql[] =
    "INSERT INTO document_bodies(doc, body) SELECT rowid, json_insert(item, '$.text', text,"
    " '$.place', nullif(place, ''),"
    " '$.dateline', CASE WHEN dateline_start IS NOT NULL THEN json_object('place',"
    "  nullif(place, ''), 'date', nullif(dateline_date, ''), 'start', dateline_start,"
    "  'end', dateline_end) END,"
    " '$.authors', json((SELECT json_group_array(name) FROM (SELECT name FROM document_authors"
    "  WHERE doc = documents.rowid ORDER BY seq))),"
    " '$.captions', json((SELECT json_group_array(text) FROM (SELECT text FROM document_captions"
    "  WHERE doc = documents.rowid ORDER BY seq))),"
    " '$.encoding', nullif(encoding, ''),"
    " '$.paragraphs', json((SELECT json_group_array(json_object('start', start, 'end', end))"
    " FROM (SELECT start, end FROM paragraphs WHERE doc = documents.rowid ORDER BY seq))),"
    " '$.published_evidence', json((SELECT json_object('document_id', document_id, 'phrase',"
    "  phrase, 'source_text', source_text, 'date', date) FROM published_evidence"
    "  WHERE doc = documents.rowid)),"
    /* its near-duplicate group (store/duplicates.c): itself alone when it has no row there */
    " '$.duplicates', json_object('representative', coalesce((SELECT r.id FROM duplicates g"
    "  JOIN documents r ON r.rowid = g.representative WHERE g.doc = documents.rowid), id),"
    "  'ids', json((SELECT json_group_array(id) FROM (SELECT od.id FROM duplicates g"
    "  JOIN duplicates og ON og.representative = g.representative AND og.doc <> g.doc"
    "  JOIN documents od ON od.rowid = og.doc WHERE g.doc = documents.rowid"
    "  ORDER BY od.published, od.id)))))"
    " FROM documents;";

/* The entities' representations (Entity, EntityDetail). */
static const char entity_fragments_sql[] =
    "UPDATE entities SET item = json_object('id', id, 'name', name, 'type', type,"
    " 'aliases', json((SELECT json_group_array(alias) FROM (SELECT alias FROM entity_aliases"
    "  WHERE entity = entities.rowid ORDER BY count DESC, alias))),"
    " 'roles', json((SELECT json_group_array(role) FROM (SELECT role FROM entity_roles"
    "  WHERE entity = entities.rowid ORDER BY count DESC, role))),"
    " 'mention_count', mention_count, 'document_count', document_count);"
    /* EntityDetail: each alias with its count and why it belongs to the entity */
    "UPDATE entities SET detail = json_set(item, '$.aliases', json((SELECT json_group_array("
    " json_object('name', alias, 'count', count, 'why', why)) FROM (SELECT alias, count, why"
    "  FROM entity_aliases WHERE entity = entities.rowid ORDER BY count DESC, alias))));";

int store_count_related(sqlite3 *db)
{
    return sqlite3_exec(db,
                        "UPDATE entities SET related_count = (SELECT count(*) FROM related"
                        " WHERE entity = entities.rowid);",
                        NULL, NULL, NULL);
}

int store_build_name_keys(sqlite3 *db)
{
    int rc = build_entity_keys(db);
    return rc == SQLITE_OK ? sqlite3_exec(db, prefixes_sql, NULL, NULL, NULL) : rc;
}

static int summary_failed(sqlite3 *db, const char *what, char **err)
{
    if (asprintf(err, "store build: %s: %s", what, sqlite3_errmsg(db)) < 0)
        *err = NULL;
    return -1;
}

int store_build_entity_fragments(sqlite3 *db, char **err)
{
    if (sqlite3_exec(db, entity_fragments_sql, NULL, NULL, NULL) != SQLITE_OK)
        return summary_failed(db, "fragments", err);
    return 0;
}

int store_build_fragments(sqlite3 *db, char **err)
{
    if (sqlite3_exec(db, fragments_sql, NULL, NULL, NULL) != SQLITE_OK)
        return summary_failed(db, "fragments", err);
    return 0;
}

int store_build_lists(sqlite3 *db, char **err)
{
    if (sqlite3_exec(db, entity_documents_sql, NULL, NULL, NULL) != SQLITE_OK)
        return summary_failed(db, "entity documents", err);
    if (sqlite3_exec(db, counts_sql, NULL, NULL, NULL) != SQLITE_OK)
        return summary_failed(db, "counts", err);
    return 0;
}

int store_build_event_counts(sqlite3 *db, char **err)
{
    if (sqlite3_exec(db, event_counts_sql, NULL, NULL, NULL) != SQLITE_OK)
        return summary_failed(db, "event counts", err);
    return 0;
}
