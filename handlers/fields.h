/*
 * fields.h — `fields=id,title,…`: the fields of each item a client wants, in its order. A handler
 * parses the parameter against the fields its items can have (an unknown one is a 400 naming it)
 * before doing any work, then reduces its 200 reply; CSV columns and NDJSON lines are made from
 * that reply, so they follow.
 */
#ifndef HANDLERS_FIELDS_H
#define HANDLERS_FIELDS_H

#include "request.h"

#define FIELDS_MAX 32

struct fields {
    char *copy;                    /* the parameter's value, cut at the commas (malloc'd) */
    const char *names[FIELDS_MAX]; /* into copy, each once, in the order given */
    size_t n;                      /* 0: every field (no parameter) */
};

/* Parses `fields` against known (NULL-terminated); false with a 400 in rep. */
bool param_fields(const struct request *req, struct reply *rep, const char *const *known,
                  struct fields *out);
bool fields_wanted(const struct fields *f, const char *name);
/* Reduces the items of a 200 JSON reply ({"data": [...], …}, or one object when !list) to the
 * selected fields, in their order; nothing when no field was selected. */
void fields_select(struct reply *rep, const struct fields *f, bool list);
/* One JSON object's text reduced likewise (malloc'd; NULL when it is not an object). */
char *fields_select_object(const char *json, size_t len, const struct fields *f);
void fields_free(struct fields *f);

/* The fields of a document as lists give it (DocumentFields), of a search hit (with snippet and
 * score), of an entity's document (with mention_count) and of one document in full; each
 * NULL-terminated. */
extern const char *const document_list_fields[];
extern const char *const search_hit_fields[];
extern const char *const entity_document_fields[];
extern const char *const document_full_fields[];

#endif
