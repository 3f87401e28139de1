/*
 * lookup_build.h — internal to store/: the full-text index, the top-k hits of frequent terms and
 * the entity name keys (lookup_build.c), built on a thread of their own beside the store build
 * when it may use two, in place otherwise. Calls, in order: start, add (each document written),
 * close (the last written), related (mentions derived), entities (entities derived and ranked),
 * finish; abort on a failure.
 */
#ifndef STORE_LOOKUP_BUILD_H
#define STORE_LOOKUP_BUILD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct lookup_build;

/* An entity named in a sentence of a document (rowids; the sentence's number in it). */
struct entity_sentence {
    sqlite3_int64 entity, doc, sentence;
};

/* threaded: opens the side database with the store's definitions of its tables (read from
 * store, whose schema exists) and starts its thread; otherwise (or when no thread can be had)
 * the tables are built in place by lookup_build_entities and lookup_build_finish. NULL with *err
 * malloc'd on failure. */
struct lookup_build *lookup_build_start(sqlite3 *store, bool threaded, char **err);
/* Hands over one written document (copied: the caller may free its own strings at once); a
 * no-op when building in place. Returns 0, or -1 out of memory. */
int lookup_build_add(struct lookup_build *lb, sqlite3_int64 rowid, const char *title,
                     const char *text, size_t text_len);
/* No more documents will come: the thread goes on to the ranking at once. */
void lookup_build_close(struct lookup_build *lb);
/* Hands the distinct entity-sentence pairs of the written mentions over (malloc'd, taken): the
 * thread builds the related entities from them at once, on a database of their own (copied in
 * by lookup_build_finish); building in place, lookup_build_related does. */
void lookup_build_pairs(struct lookup_build *lb, struct entity_sentence *pairs, size_t n);
/* Inside the store's transaction, once its entities are in and the pairs handed: building in
 * place, the related entities with each entity's related_count; threaded, nothing (the thread
 * has the pairs). Returns 0 or -1 with *err malloc'd. */
int lookup_build_related(struct lookup_build *lb, sqlite3 *store, char **err);
/* The store's documents are all written and its entities derived and ranked, outside a
 * transaction: completes the full-text index and the top-k hits in store (copied from the side,
 * or built in place) with their snippets, and hands the entities' names and aliases to the
 * thread for the name keys and prefixes (store_build_name_keys). Returns 0 or -1 with *err
 * malloc'd. */
int lookup_build_entities(struct lookup_build *lb, sqlite3 *store, char **err);
/* Outside a transaction: the name keys and prefixes into store (copied once the thread is done,
 * or built in place), and the related entities copied in with each entity's related_count. Frees
 * lb. Returns 0 or -1 with *err malloc'd. */
int lookup_build_finish(struct lookup_build *lb, sqlite3 *store, char **err);
/* Frees lb (may be NULL) after a failure elsewhere: waits for its thread, drops the side
 * database. */
void lookup_build_abort(struct lookup_build *lb);

#endif
