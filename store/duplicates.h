/*
 * duplicates.h — near-duplicate groups at request time: document lists and searches with one
 * document per group (collapse=duplicates). The groups are found when the store is built
 * (ingest/resolve/duplicates.c, table duplicates); a document's own group is part of its body.
 */
#ifndef STORE_DUPLICATES_H
#define STORE_DUPLICATES_H

#include "documents.h"

/* How a list stands for a group: not at all (every document), by the group's first document in
 * the list's order (f->sort), or by its best-ranked match of f->fts. */
enum store_collapse { COLLAPSE_NONE = 0, COLLAPSE_LIST, COLLAPSE_RANKED };

/* store_documents_list with one document per group: the first of the group's documents that pass
 * f in f->sort's order, its collapsed_duplicates the number of the others that pass f. *total
 * counts the collapsed list. A sort other than those of enum store_doc_sort (none is yet) is a
 * STORE_ERROR. */
enum store_status store_documents_list_collapsed(struct store_conn *c,
                                                 const struct store_doc_filter *f, store_doc_fn fn,
                                                 void *ctx, long long *total);

/* Ranked search (f->fts, and f's filters) with one document per group, its best-ranked match;
 * collapsed_duplicates the group's other matches. Rows from offset, at most limit. */
enum store_status store_search_collapsed(struct store_conn *c, const struct store_doc_filter *f,
                                         int limit, long long offset, store_doc_fn fn, void *ctx,
                                         long long *total);

#endif
