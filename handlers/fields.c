/*
 * fields.c — field selection (`fields=`) over the JSON a handler replied.
 */
#include "fields.h"

#include <stdlib.h>
#include <string.h>

#define DOCUMENT_FIELDS                                                                            \
    "id", "title", "source", "url", "published", "precision", "published_inferred", "language",    \
        "word_count", "summary"

const char *const document_list_fields[] = {DOCUMENT_FIELDS, "snippet", "score", "text", NULL};
const char *const search_hit_fields[] = {DOCUMENT_FIELDS, "snippet", "score", NULL};
const char *const entity_document_fields[] = {DOCUMENT_FIELDS, "mention_count", NULL};
const char *const document_full_fields[] = {
    DOCUMENT_FIELDS, "text",    "paragraphs", "published_evidence", "place",
    "dateline",      "authors", "captions",   "encoding",           NULL};

static bool known_field(const char *const *known, const char *name)
{
    for (const char *const *k = known; *k; k++)
        if (strcmp(*k, name) == 0)
            return true;
    return false;
}

bool fields_wanted(const struct fields *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0)
            return true;
    return false;
}

/* Appends name unless it is there already; false with a 400 when it is not a field. */
static bool add_field(struct reply *rep, const char *const *known, struct fields *out,
                      const char *name)
{
    if (!*name) {
        reply_problem(rep, 400, "parameter 'fields' has an empty field name");
        return false;
    }
    if (!known_field(known, name)) {
        reply_problem(rep, 400, "parameter 'fields': no field '%.64s' here", name);
        return false;
    }
    if (fields_wanted(out, name))
        return true;
    if (out->n == FIELDS_MAX) {
        reply_problem(rep, 400, "parameter 'fields' names more than %d fields", FIELDS_MAX);
        return false;
    }
    out->names[out->n++] = name;
    return true;
}

bool param_fields(const struct request *req, struct reply *rep, const char *const *known,
                  struct fields *out)
{
    *out = (struct fields){0};
    const char *v = request_arg(req, "fields");
    if (!v)
        return true;
    if (!(out->copy = strdup(v))) {
        reply_problem(rep, 500, "out of memory");
        return false;
    }
    for (char *p = out->copy;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!add_field(rep, known, out, p)) {
            fields_free(out);
            return false;
        }
        if (!comma)
            return true;
        p = comma + 1;
    }
}

void fields_free(struct fields *f)
{
    free(f->copy);
    *f = (struct fields){0};
}

/* A new object with the selected members of item, in the selection's order. */
static json_t *select_members(json_t *item, const struct fields *f)
{
    json_t *out = json_object();
    for (size_t i = 0; i < f->n; i++) {
        json_t *v = json_object_get(item, f->names[i]);
        if (v)
            json_object_set(out, f->names[i], v);
    }
    return out;
}

char *fields_select_object(const char *json, size_t len, const struct fields *f)
{
    json_t *item = json_loadb(json, len, 0, NULL);
    json_t *out = json_is_object(item) ? select_members(item, f) : NULL;
    char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
    json_decref(out);
    json_decref(item);
    return text;
}

void fields_select(struct reply *rep, const struct fields *f, bool list)
{
    if (!f->n || rep->status != 200 || !rep->body)
        return;
    json_t *body = json_loadb(rep->body, rep->body_len, 0, NULL);
    if (!json_is_object(body)) {
        json_decref(body);
        reply_problem(rep, 500, "the reply could not be reduced to its fields");
        return;
    }
    if (list) {
        json_t *data = json_object_get(body, "data"), *item, *reduced = json_array();
        size_t i;
        json_array_foreach(data, i, item) json_array_append_new(reduced, select_members(item, f));
        json_object_set_new(body, "data", reduced);
        reply_json(rep, 200, body);
    } else {
        reply_json(rep, 200, select_members(body, f));
        json_decref(body);
    }
}
