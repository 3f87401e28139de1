/*
 * filters.h — the filters lists share (`source`, `from`, `to`, `entity`, `type`): parsed once
 * for /v1/documents, /v1/search and the timeline, with the same rules and the same errors.
 */
#ifndef HANDLERS_FILTERS_H
#define HANDLERS_FILTERS_H

#include "request.h"
#include "store/documents.h"
#include "store/timeline.h"

/* The entity ids of `entity` (repeated and/or comma-separated), in the order given. */
struct entity_list {
    char *ids[STORE_MAX_ENTITIES]; /* malloc'd, owned */
    size_t n;
};
/* Parses `entity`, each id resolved to its entity (an alias's or earlier name's id to the entity's
 * own); false with a 400 (an empty or malformed id, more than STORE_MAX_ENTITIES) or a 404 (no
 * such entity) in rep. */
bool param_entities(const struct request *req, struct reply *rep, struct entity_list *out);
void entity_list_free(struct entity_list *l);

/* The document id of parameter key in *id (NULL when absent); false with a 404 naming it when
 * there is no such document. */
bool param_document_found(const struct request *req, struct reply *rep, const char *key,
                          const char **id);

/* `type`: an entity type, any case; *type NULL when absent. */
bool param_entity_type(const struct request *req, struct reply *rep, const char **type);

/* source, from, to, entity and type into f (whose entity fields point into ents); an unknown
 * source or entity is a 404. */
bool param_doc_filters(const struct request *req, struct reply *rep, struct store_doc_filter *f,
                       struct entity_list *ents);
/* entity (unless the path fixed it) and type into f (pointing into ents). */
bool param_event_entities(const struct request *req, struct reply *rep,
                          struct store_event_filter *f, struct entity_list *ents);

#endif
