/*
 * documents.h — document queries: keyset-paginated lists with filters, one document, its
 * paragraphs, and full-text search. Row strings point into SQLite's memory and are valid only
 * during the callback.
 */
#ifndef STORE_DOCUMENTS_H
#define STORE_DOCUMENTS_H

#include <stdbool.h>

#include "store.h"

struct store_doc {
    const char *id, *title, *source, *url, *published, *precision, *language, *summary;
    const char *item; /* the list representation (JSON object text rendered at build time) */
    const char *text; /* only from store_document_get */
    bool published_inferred;
    long long word_count;
    const char *snippet;            /* search only: \x01 and \x02 around matched terms */
    double score;                   /* search only: bm25, lower is better */
    long long collapsed_duplicates; /* collapse=duplicates: the group's others left out; else -1 */
};

/* A callback per row; returning non-zero stops the iteration. */
typedef int (*store_doc_fn)(void *ctx, const struct store_doc *d);

enum store_doc_sort { DOC_SORT_PUBLISHED_DESC = 0, DOC_SORT_PUBLISHED, DOC_SORT_TITLE };

struct store_doc_filter {
    const char *source; /* exact publisher */
    const char *from;   /* published >= from (a date prefix) */
    const char *to;     /* published within or before to */
    const char *entity; /* mentions this entity id */
    /* … and each of these entity ids too (AND; at most STORE_MAX_ENTITIES - 1) */
    const char *const *more_entities;
    size_t n_more_entities;
    const char *entity_type; /* mentions an entity of this type (PERSON | ORG | LOC | MISC) */
    const char *fts;         /* compiled full-text query (store_search_compile) */
    enum store_doc_sort sort;
    const char *after_key, *after_id; /* keyset cursor: rows after this one */
    int limit;
};

/* The most entities a filter may name (entity=a&entity=b…). */
#define STORE_MAX_ENTITIES 8

/* Lists documents; *total counts all matches (ignoring cursor and limit). */
enum store_status store_documents_list(struct store_conn *c, const struct store_doc_filter *f,
                                       store_doc_fn fn, void *ctx, long long *total);
/* The sort key of a listed row, for building its cursor. */
const char *store_doc_sort_key(const struct store_doc *d, enum store_doc_sort sort);

enum store_status store_document_get(struct store_conn *c, const char *id, store_doc_fn fn,
                                     void *ctx);
/* Paragraph spans (code points) of a document, in order. */
typedef int (*store_span_fn)(void *ctx, long long start, long long end);
enum store_status store_document_paragraphs(struct store_conn *c, const char *id, store_span_fn fn,
                                            void *ctx);
bool store_document_exists(struct store_conn *c, const char *id);
/* A document's cleaned text in *text (malloc'd); STORE_NOT_FOUND when there is no such document. */
enum store_status store_document_text(struct store_conn *c, const char *id, char **text);
/* The full representation of a document (DocumentFull: JSON with text, stated metadata,
 * paragraphs and published_evidence, rendered when the store was built) in *body (malloc'd). */
enum store_status store_document_body(struct store_conn *c, const char *id, char **body);

/* One span cleaning set aside from a document's original, in code points of the original. */
struct store_aside {
    long long start, end;
    const char *reason;
    long long repeats; /* 0 unless reason is "template" */
};
typedef int (*store_aside_fn)(void *ctx, const struct store_aside *a);
/* A document's provenance: its original (NULL when none was kept) through *original, valid
 * until the next call on c, then each set-aside span in order. STORE_NOT_FOUND for no such
 * document. */
enum store_status store_document_source(struct store_conn *c, const char *id, const char **original,
                                        store_aside_fn fn, void *ctx);

/* Turns a user query (words, "phrases", prefix*, AND/OR/NOT, parentheses) into a safe FTS5
 * query in which every term is quoted. NULL with *err (static message) when the query is
 * malformed (unbalanced quotes or parentheses, no searchable words). Result malloc'd. */
char *store_search_compile(const char *q, const char **err);

/* Every match of a search from offset, best first: document rowids and scores (malloc'd, *n
 * of each; ranked once for a whole export). */
enum store_status store_search_ranking(struct store_conn *c, const char *fts, long long offset,
                                       long long **rowids, double **scores, size_t *n);
/* The rows (document, snippet, score) of n ranked matches, in that order. */
enum store_status store_search_rows(struct store_conn *c, const char *fts, const long long *rowids,
                                    const double *scores, size_t n, store_doc_fn fn, void *ctx);

/* Ranked search of the documents that pass f's filters (source, from, to, entities, type; its
 * fts, sort, cursor and limit are not used): rows ordered by bm25 from offset. */
enum store_status store_search_filtered(struct store_conn *c, const char *fts,
                                        const struct store_doc_filter *f, int limit,
                                        long long offset, store_doc_fn fn, void *ctx,
                                        long long *total);
/* The snippet (\x01…\x02 around the matches) and score (bm25, lower is better) of one document
 * for a search: *snippet malloc'd; STORE_NOT_FOUND when the document does not match. */
enum store_status store_search_snippet(struct store_conn *c, const char *fts, const char *doc_id,
                                       char **snippet, double *score);
/* store_search_ranking of the matches that pass f's filters. */
enum store_status store_search_ranking_filtered(struct store_conn *c, const char *fts,
                                                const struct store_doc_filter *f, long long offset,
                                                long long **rowids, double **scores, size_t *n);

/* Ranked search: rows ordered by bm25 (title weighted above text) from offset. */
enum store_status store_search(struct store_conn *c, const char *fts, int limit, long long offset,
                               store_doc_fn fn, void *ctx, long long *total);

#endif
