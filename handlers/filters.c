/*
 * filters.c — the list filters shared by documents, search and the timeline.
 */
#include "filters.h"

#include <stdlib.h>
#include <string.h>

#include "params.h"

static bool add_ids(struct reply *rep, struct entity_list *out, const char *value)
{
    for (const char *p = value;; p++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == 0) {
            reply_problem(rep, 400, "parameter 'entity' has an empty entity id");
            return false;
        }
        if (out->n == STORE_MAX_ENTITIES) {
            reply_problem(rep, 400, "parameter 'entity' names more than %d entities",
                          STORE_MAX_ENTITIES);
            return false;
        }
        if (!(out->ids[out->n] = strndup(p, len))) {
            reply_problem(rep, 500, "out of memory");
            return false;
        }
        out->n++;
        if (!comma)
            return true;
        p = comma;
    }
}

bool param_entities(const struct request *req, struct reply *rep, struct entity_list *out)
{
    for (size_t i = 0; i < req->n_args; i++)
        if (strcmp(req->args[i].key, "entity") == 0 && !add_ids(rep, out, req->args[i].value))
            return false;
    return true;
}

void entity_list_free(struct entity_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    l->n = 0;
}

static const char *const entity_types[] = {"PERSON", "ORG", "LOC", "MISC", NULL};

bool param_entity_type(const struct request *req, struct reply *rep, const char **type)
{
    int i;
    if (!param_choice(req, rep, "type", entity_types, &i))
        return false;
    *type = i < 0 ? NULL : entity_types[i];
    return true;
}

bool param_doc_filters(const struct request *req, struct reply *rep, struct store_doc_filter *f,
                       struct entity_list *ents)
{
    if (!param_date(req, rep, "from", &f->from) || !param_date(req, rep, "to", &f->to) ||
        !param_entity_type(req, rep, &f->entity_type) || !param_entities(req, rep, ents))
        return false;
    f->source = request_arg(req, "source");
    f->entity = ents->n ? ents->ids[0] : NULL;
    f->more_entities = ents->n > 1 ? (const char *const *)ents->ids + 1 : NULL;
    f->n_more_entities = ents->n > 1 ? ents->n - 1 : 0;
    return true;
}

bool param_event_entities(const struct request *req, struct reply *rep,
                          struct store_event_filter *f, struct entity_list *ents)
{
    if (!param_entity_type(req, rep, &f->entity_type))
        return false;
    if (f->entity) /* fixed by the path: /v1/entities/{id}/timeline */
        return true;
    if (!param_entities(req, rep, ents))
        return false;
    f->entity = ents->n ? ents->ids[0] : NULL;
    f->more_entities = ents->n > 1 ? (const char *const *)ents->ids + 1 : NULL;
    f->n_more_entities = ents->n > 1 ? ents->n - 1 : 0;
    return true;
}
