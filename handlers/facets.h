/*
 * facets.h — the options /v1/documents and /v1/search share beyond their filters: collapse
 * (one document per near-duplicate group) and facets (meta.facets: counts per value under the
 * list's filters). Parsing, the store calls, and meta.facets in the reply.
 */
#ifndef HANDLERS_FACETS_H
#define HANDLERS_FACETS_H

#include "request.h"
#include "store/facets.h"

#define FACET_SIZE_DEFAULT 10
#define FACET_SIZE_MAX 1000

struct list_options {
    enum store_collapse collapse;               /* COLLAPSE_NONE unless collapse=duplicates */
    enum store_facet facets[STORE_FACET_COUNT]; /* asked for, in order */
    int n_facets;
    int facet_size;
};

/* Parses collapse, facet (comma-separated, repeatable) and facet_size; ranked: a search (a group
 * collapses to its best-ranked match). False with a 400 in rep: an unknown or repeated facet,
 * facets with format=csv or ndjson (they have no meta), collapse on a search's NDJSON export. */
bool list_options_parse(const struct request *req, struct reply *rep, bool ranked,
                        struct list_options *o);

/* Adds meta.facets to the 200 list reply in rep for the documents f selects (its filters and q;
 * not its cursor), collapsed as o says. Nothing when no facet was asked for or rep is not a 200;
 * a 400/500 problem replaces rep when the store fails. */
void list_options_add_facets(const struct request *req, struct reply *rep,
                             const struct list_options *o, const struct store_doc_filter *f);

/* The list item text `item` with "collapsed_duplicates": n added (malloc'd; NULL when out of
 * memory or item is not an object). */
char *list_item_collapsed(const char *item, long long n);

#endif
