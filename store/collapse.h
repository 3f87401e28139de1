/*
 * collapse.h — internal to store/: the WHERE conditions (on the alias d of documents) that select
 * the documents of a list: its filters, its full-text query, and with a collapse the condition
 * that the document stands for its near-duplicate group. Used by the collapsed lists
 * (duplicates.c) and the facets (facets.c), so both count the same documents.
 */
#ifndef STORE_COLLAPSE_H
#define STORE_COLLAPSE_H

#include <stdbool.h>
#include <stddef.h>

#include "duplicates.h"

/* Room for the SQL of a list's filters, its WHERE conditions (filters, q, collapse: the filters
 * appear twice) and a whole statement. */
#define LIST_FILTERS_MAX 3072
#define LIST_WHERE_MAX 8192
#define LIST_SQL_MAX 16384

/* The full-text condition of a list with a q, on the alias d. */
#define FTS_CONDITION                                                                              \
    " AND d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :fts)"

/* Appends to sql " AND …" conditions on d: f's filters and full-text query (not its cursor), and
 * with a collapse, that no other document of d's group passing them comes first (COLLAPSE_LIST:
 * in f->sort's order; COLLAPSE_RANKED: by rank of f->fts). False when sql is too small, or for a
 * sort that has no collapsed form and a ranked collapse without fts (the handlers pass neither).
 * Bind with store_doc_filters_bind. */
bool store_collapse_where(char *sql, size_t size, const struct store_doc_filter *f,
                          enum store_collapse collapse);

/* " INDEXED BY …": a narrow index of documents that covers the columns the filters and the
 * facets read (source, published, id, rowid), so that an aggregate over the list's documents walks
 * index entries, not the rows of documents, which hold the whole text (SQLite's planner, which
 * sizes rows by their declared columns, would take the table). */
const char *store_narrow_documents(const struct store_doc_filter *f, bool source_read);

#endif
