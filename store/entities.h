/*
 * entities.h — entity queries: lists (type, name/alias, document filters; by mentions or name),
 * one entity, its mentions, its documents, its co-occurring entities, and a document's entities.
 * Row strings are valid only during the callback; aliases/roles arrive as JSON array text.
 */
#ifndef STORE_ENTITIES_H
#define STORE_ENTITIES_H

#include "documents.h"

struct store_entity {
    const char *id, *name, *type;
    /* the representation, JSON object text rendered at build time; from store_entity_get, the
     * detailed one (aliases as {"name","count","why"} objects) */
    const char *item;
    long long mention_count, document_count;
};
typedef int (*store_entity_fn)(void *ctx, const struct store_entity *e);

enum store_entity_sort { ENTITY_SORT_MENTIONS = 0, ENTITY_SORT_NAME };

struct store_entity_filter {
    const char *type;     /* PERSON | ORG | LOC | MISC */
    const char *q;        /* a word of the name or an alias starts with it, case-insensitive */
    const char *document; /* mentioned in this document id */
    enum store_entity_sort sort;
    const char *after_key, *after_id;
    int limit;
};

enum store_status store_entities_list(struct store_conn *c, const struct store_entity_filter *f,
                                      store_entity_fn fn, void *ctx, long long *total);
/* The sort key of a listed row, for its cursor (buf receives a number as text). */
const char *store_entity_sort_key(const struct store_entity *e, enum store_entity_sort sort,
                                  char *buf, size_t size);
enum store_status store_entity_get(struct store_conn *c, const char *id, store_entity_fn fn,
                                   void *ctx);

struct store_mention {
    const char *document_id, *text, *sentence;
    long long start, end, sentence_index, doc_rowid;
};
typedef int (*store_mention_fn)(void *ctx, const struct store_mention *m);
/* Mentions in (document, offset) order after the cursor (after_doc, after_start). */
enum store_status store_entity_mentions(struct store_conn *c, const char *entity_id,
                                        long long after_doc, long long after_start, int limit,
                                        store_mention_fn fn, void *ctx, long long *total);

/* Documents mentioning the entity, most mentions first; doc->word_count holds nothing special,
 * *mentions the count in that document. Paged by offset. */
typedef int (*store_entity_doc_fn)(void *ctx, const struct store_doc *d, long long mentions);
enum store_status store_entity_documents(struct store_conn *c, const char *entity_id, int limit,
                                         long long offset, store_entity_doc_fn fn, void *ctx,
                                         long long *total);

/* The same documents by publication date (newest first, or oldest first), after the keyset
 * cursor (published, id) when after_key is not NULL; *total is the entity's document count. */
enum store_status store_entity_documents_by_date(struct store_conn *c, const char *entity_id,
                                                 bool oldest_first, const char *after_key,
                                                 const char *after_id, int limit,
                                                 store_entity_doc_fn fn, void *ctx,
                                                 long long *total);

struct store_related {
    const char *id, *name, *type;
    long long sentences, documents;
};
typedef int (*store_related_fn)(void *ctx, const struct store_related *r);
enum store_status store_entity_related(struct store_conn *c, const char *entity_id, int limit,
                                       long long offset, store_related_fn fn, void *ctx,
                                       long long *total);

/* A document's entities with their mentions in it ('[{"start":…,"end":…,"text":…},…]'). */
struct store_doc_entity {
    const char *id, *name, *type, *mentions_json;
};
typedef int (*store_doc_entity_fn)(void *ctx, const struct store_doc_entity *e);
enum store_status store_document_entities(struct store_conn *c, const char *doc_id,
                                          store_doc_entity_fn fn, void *ctx);

bool store_entity_exists(struct store_conn *c, const char *id);
/* The id of the entity that id (made from an alias or an earlier canonical name) now belongs to,
 * into out: STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
enum store_status store_entity_redirect(struct store_conn *c, const char *id, char *out,
                                        size_t size);

#endif
