/*
 * filters.c — the list filters shared by documents, search and the timeline.
 */
#include "filters.h"

#include <stdlib.h>
#include <string.h>

#include "params.h"
#include "store/entities.h"
#include "store/sources.h"

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

/* type:name with a known type (lower case, as ids are written) and a name without spaces,
 * colons or slashes: the shape of every entity id. */
static bool entity_id_shaped(const char *id)
{
    static const char *const types[] = {"person:", "org:", "loc:", "misc:", NULL};
    for (const char *const *t = types; *t; t++) {
        size_t n = strlen(*t);
        if (strncmp(id, *t, n) == 0)
            return id[n] && !strpbrk(id + n, " \t\n\r:/");
    }
    return false;
}

/* The entity each id names: its own, the one an alias or earlier name now belongs to (as its 301
 * says), or a 404 naming it; a value that is not an entity id is a 400. */
static bool resolve_ids(const struct request *req, struct reply *rep, struct entity_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        char canonical[512];
        if (!entity_id_shaped(l->ids[i])) {
            reply_problem(rep, 400,
                          "parameter 'entity': '%.200s' is not an entity id (type:name, e.g. "
                          "person:xi-jinping)",
                          l->ids[i]);
            return false;
        }
        if (store_entity_exists(req->db, l->ids[i]))
            continue;
        if (store_entity_redirect(req->db, l->ids[i], canonical, sizeof canonical) != STORE_OK) {
            reply_problem(rep, 404, "parameter 'entity': no entity with id '%.200s'", l->ids[i]);
            return false;
        }
        char *id = strdup(canonical);
        if (!id) {
            reply_problem(rep, 500, "out of memory");
            return false;
        }
        free(l->ids[i]);
        l->ids[i] = id;
    }
    return true;
}

bool param_entities(const struct request *req, struct reply *rep, struct entity_list *out)
{
    for (size_t i = 0; i < req->n_args; i++)
        if (strcmp(req->args[i].key, "entity") == 0 && !add_ids(rep, out, req->args[i].value))
            return false;
    return resolve_ids(req, rep, out);
}

bool param_document_found(const struct request *req, struct reply *rep, const char *key,
                          const char **id)
{
    *id = request_arg(req, key);
    if (!*id || store_document_exists(req->db, *id))
        return true;
    reply_problem(rep, 404, "parameter '%s': no document with id '%.200s'", key, *id);
    return false;
}

void entity_list_free(struct entity_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->ids[i]);
    l->n = 0;
}

bool param_entity_type(const struct request *req, struct reply *rep, const char **type)
{
    int i;
    if (!param_choice(req, rep, "type", entity_type_names, &i))
        return false;
    *type = i < 0 ? NULL : entity_type_names[i];
    return true;
}

bool param_doc_filters(const struct request *req, struct reply *rep, struct store_doc_filter *f,
                       struct entity_list *ents)
{
    if (!param_date(req, rep, "from", &f->from) || !param_date(req, rep, "to", &f->to) ||
        !param_entity_type(req, rep, &f->entity_type) || !param_entities(req, rep, ents))
        return false;
    f->source = request_arg(req, "source");
    if (f->source && !store_source_exists(req->db, f->source)) {
        reply_problem(rep, 404, "parameter 'source': no document has the source '%.200s'",
                      f->source);
        return false;
    }
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
