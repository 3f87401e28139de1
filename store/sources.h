/*
 * sources.h — the publishers of the documents (the `source` of each), with how many documents
 * each published: what a source picker offers as the user types.
 */
#ifndef STORE_SOURCES_H
#define STORE_SOURCES_H

#include <stdbool.h>

#include "store.h"

struct store_source {
    const char *name;
    long long document_count;
};

struct store_source_filter {
    const char *q; /* only names containing this text, ASCII case-insensitive; NULL for all */
    int limit;
    const char *after_key; /* keyset cursor: the document count of the last row shown */
    const char *after_id;  /* … and its name */
};

/* Return non-zero to stop. */
typedef int (*store_source_fn)(void *ctx, const struct store_source *s);

/* Sources, most documents first, ties by name; *total is how many sources match. */
enum store_status store_sources_list(struct store_conn *c, const struct store_source_filter *f,
                                     store_source_fn fn, void *ctx, long long *total);

/* Whether some document has exactly this source (one probe of documents_by_source). */
bool store_source_exists(struct store_conn *c, const char *name);

#endif
