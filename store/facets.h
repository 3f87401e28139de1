/*
 * facets.h — document counts per facet value (source, year, month, entity, type) over the
 * documents of a list or search, as Datasette's facets: each an aggregate over indexes and the
 * build-time tables (document_types, entity_documents), bounded by the list's own filters.
 */
#ifndef STORE_FACETS_H
#define STORE_FACETS_H

#include "duplicates.h"

enum store_facet {
    STORE_FACET_SOURCE,
    STORE_FACET_YEAR,
    STORE_FACET_MONTH,
    STORE_FACET_ENTITY,
    STORE_FACET_TYPE,
    STORE_FACET_COUNT
};

/* The facets' names as the API spells them, indexed by enum store_facet, NULL-terminated. */
extern const char *const store_facet_names[STORE_FACET_COUNT + 1];

struct store_facet_value {
    const char *value; /* NULL: the documents without one (no source, no date) */
    const char *name;  /* entity only: its name and type; NULL otherwise */
    const char *type;
    long long count;
};
typedef int (*store_facet_fn)(void *ctx, const struct store_facet_value *v);

/* The first `size` values of a facet (highest count first, then by value) over the documents of
 * the list f selects (its filters and fts, not its cursor or limit), collapsed as the list is.
 * Strings are valid during the callback only. */
enum store_status store_facet_values(struct store_conn *c, enum store_facet facet,
                                     const struct store_doc_filter *f, enum store_collapse collapse,
                                     int size, store_facet_fn fn, void *ctx);

#endif
