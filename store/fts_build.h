/*
 * fts_build.h — internal to store/: the full-text index (documents_fts) and the exact top-k hits
 * of the most frequent terms (search_terms, search_top). With two threads they are built on a
 * side database by a thread of their own while the store loads documents and derives its entity
 * tables, then copied in; with one, in place from the documents table, as before.
 */
#ifndef STORE_FTS_BUILD_H
#define STORE_FTS_BUILD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct fts_build;

/* threaded: opens the side database with the store's definitions of documents_fts, search_terms
 * and search_top (read from store, whose schema exists) and starts its thread; otherwise (or when
 * no thread can be had) the index is built in place by fts_build_finish. NULL with *err
 * malloc'd on failure. */
struct fts_build *fts_build_start(sqlite3 *store, bool threaded, char **err);
/* Hands over one written document (copied: the caller may free its own strings at once); a
 * no-op when building in place. Returns 0, or -1 out of memory. */
int fts_build_add(struct fts_build *fb, sqlite3_int64 rowid, const char *title, const char *text,
                  size_t text_len);
/* No more documents will come: the thread goes on to the ranking at once. */
void fts_build_close(struct fts_build *fb);
/* Completes the index and the top-k tables in store (in a write transaction, its documents all
 * written): waits for the thread and copies its tables in, or builds them in place. Frees fb.
 * Returns 0 or -1 with *err malloc'd. */
int fts_build_finish(struct fts_build *fb, sqlite3 *store, char **err);
/* Frees fb (may be NULL) after a failure elsewhere: waits for its thread, drops the side
 * database. */
void fts_build_abort(struct fts_build *fb);

#endif
