/*
 * build.h — internal to store/: filling a new database from ingested documents.
 */
#ifndef STORE_BUILD_H
#define STORE_BUILD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store.h"

/* The address range an in-memory build writes its database into: reserved, not committed (a
 * page costs memory once written), and fixed, so SQLite reads the pages in place instead of
 * copying each into its page cache (a memdb that may grow is never read in place). map NULL
 * when the range could not be reserved (an address-space limit, strict overcommit): the memdb
 * then grows a buffer of its own. */
struct build_buffer {
    void *map;
    size_t size;
};

/* Unmaps buf's range (if any) once the connection writing or reading it has been closed. */
void store_build_buffer_release(struct build_buffer *buf);

/* Creates the schema and loads docs in one transaction. db_path NULL: an in-memory database,
 * in *buf's range when one could be reserved. threads > 1: the full-text index is built on a
 * thread of its own (lookup_build.c). On success *db is the open database (the caller closes it,
 * then releases *buf). Returns 0 or -1 with *err malloc'd (and nothing left to release). */
int store_build_db(struct doc *const *docs, size_t n_docs, struct doc **consume,
                   const char *db_path, const char *fingerprint, unsigned threads, sqlite3 **db,
                   struct build_buffer *buf, char **err);

/* The build-time summaries of summaries.c, in this order after the derived tables (entities
 * ranked): the JSON fragments; the entity name keys and their prefixes (on whichever connection
 * has entities(rowid, name, type, rank) and entity_aliases(entity, alias): lookup_build.c runs it
 * on its side database; returns an SQLite code); the per-entity document lists and the counts.
 * The others return 0 or -1 with *err malloc'd. */
int store_build_fragments(sqlite3 *db, char **err);
int store_build_entity_fragments(sqlite3 *db, char **err);
int store_build_name_keys(sqlite3 *db);
/* The related entities (table related) from the n distinct entity-sentence pairs of the
 * mentions, grouped by document and sorted by sentence and entity in each (entity_pairs.c), on
 * whichever connection has the table (related.c; lookup_build.c runs it on a side database);
 * then, on the store, each entity's related_count. Both return an SQLite code. */
struct entity_sentence;
int store_build_related(sqlite3 *db, const struct entity_sentence *pairs, size_t n);
int store_count_related(sqlite3 *db);
int store_build_lists(sqlite3 *db, char **err);
/* The events' counts per date (event_date_counts), once the events are in (event_rows.c). */
int store_build_event_counts(sqlite3 *db, char **err);

/* Keeps the near-duplicate groups of docs (their duplicate_of, set by the corpus passes:
 * ingest/resolve/duplicates.c) by id in a working table (the scratch database of build.c),
 * before the documents are written (an in-memory build frees each one once written). Returns 0
 * or -1 with *err malloc'd. */
int store_build_duplicates(sqlite3 *db, struct doc *const *docs, size_t n, char **err);
/* Ties those groups to the written documents' rowids (table duplicates); after the documents
 * are loaded, before the summaries (document bodies name their group). */
int store_link_duplicates(sqlite3 *db, char **err);
/* The tables the facets read (store/facets.c), from the summaries. Returns 0 or -1 with *err
 * malloc'd. */
int store_build_facets(sqlite3 *db, char **err);

/* Reads the counts that /v1/stats reports. Returns an SQLite result code. */
int store_read_counts(sqlite3 *db, struct store_counts *out);
/* Reads meta.<key> (fingerprint, schema_version) into out (empty when absent). */
void store_read_meta(sqlite3 *db, const char *key, char *out, size_t size);

/* Binds s (kept by the caller until the step) to parameter i, or NULL when s is. */
static inline void store_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* "person:xi-jinping": the stable id of an entity from its type and canonical name. */
void store_entity_id(enum entity_type type, const char *name, char *out, size_t out_size);
/* The size of the buffers the build makes entity ids in (longer ids are cut there). */
#define STORE_ENTITY_ID_MAX 512

/* Whether mention m of d is written (with a name and a span inside the text). */
static inline bool store_mention_written(const struct doc *d, const struct mention *m)
{
    return m->name && m->end > m->start && m->end <= d->text_len;
}

/* The entity tables (entities, entity_aliases, entity_roles) gathered while the mentions are
 * written (entity_tables.c): new numbers the entity ids of all the documents' written mentions
 * by byte order, which is the rowid each gets (NULL: out of memory); rowid gives an id's number
 * (0: not numbered); add counts a written mention of entity rowid with its alias, in document
 * doc (documents in rowid order; -1: out of memory or an id not numbered); write inserts the
 * three tables (0, or -1 with *err malloc'd). */
struct entity_tables;
struct entity_tables *entity_tables_new(struct doc *const *docs, size_t n_docs);
uint32_t entity_tables_rowid(const struct entity_tables *t, const char *eid);
int entity_tables_add(struct entity_tables *t, uint32_t rowid, const struct mention *m,
                      const char *alias, sqlite3_int64 doc);
int entity_tables_write(struct entity_tables *t, sqlite3 *db, char **err);
void entity_tables_free(struct entity_tables *t);

/* An event's row as the build stages it: its texts are spans of its document's text (byte
 * offsets), read back from the documents table when the rows are written. */
struct event_row {
    sqlite3_int64 rowid, doc, sentence, timex_start, timex_end; /* timex_*: code points */
    size_t timex_bytes[2], sentence_bytes[2];                   /* [start, end) in the text */
    bool has_sentence;     /* false: its document has no sentences */
    const char *precision; /* a static name */
    const char *value;     /* the caller's until added */
    char date[11], first_day[11], last_day[11], range_last_day[11];
};

/* The events' rows (event_rows.c), staged while the documents are written and inserted once the
 * entities are: add copies one event with the entities of its sentence (their n pairs, sorted by
 * entity; -1: out of memory); write inserts them all in the table's key order, each with its
 * item (its representation, naming those entities), and frees them as it goes (0, or -1 with
 * *err malloc'd). */
struct event_rows;
struct entity_sentence;
struct event_rows *event_rows_new(void);
int event_rows_add(struct event_rows *r, const struct event_row *row,
                   const struct entity_sentence *pairs, size_t n);
int event_rows_write(struct event_rows *r, sqlite3 *db, char **err);
void event_rows_free(struct event_rows *r);

/* The distinct (entity rowid, document rowid, sentence) pairs of the written mentions
 * (entity_pairs.c), gathered while the rows are written: add notes a mention of the document
 * being written (-1: out of memory); end_doc closes that document, whose pairs of_doc then
 * gives, sorted by sentence and entity; take hands all the pairs over (malloc'd; the caller
 * frees them). */
struct entity_pairs;
struct entity_sentence;
struct entity_pairs *entity_pairs_new(void);
int entity_pairs_add(struct entity_pairs *p, uint32_t entity, sqlite3_int64 doc, size_t sentence);
void entity_pairs_end_doc(struct entity_pairs *p);
size_t entity_pairs_of_doc(const struct entity_pairs *p, const struct entity_sentence **first);
void entity_pairs_take(struct entity_pairs *p, struct entity_sentence **pairs, size_t *n);
void entity_pairs_free(struct entity_pairs *p);

#endif
