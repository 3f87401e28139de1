/*
 * stats.c — GET /v1/stats: what the loaded corpus holds.
 */
#include "handlers.h"

static json_t *date_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

void handle_stats(const struct request *req, struct reply *rep)
{
    const struct store_counts *c = store_counts(req->store);
    json_t *by_type = json_object();
    for (int t = 0; by_type && t < ENTITY_TYPE_COUNT; t++)
        json_object_set_new(by_type, entity_type_names[t],
                            json_integer((json_int_t)c->entities_by_type[t]));
    json_t *body = json_pack(
        "{s:I, s:I, s:o, s:I, s:I, s:I, s:{s:o, s:o}, s:{s:o, s:o},"
        " s:{s:I, s:I, s:I, s:I, s:I}}",
        "documents", (json_int_t)c->documents, "entities", (json_int_t)c->entities,
        "entities_by_type", by_type, "mentions", (json_int_t)c->mentions, "timexes",
        (json_int_t)c->timexes, "events", (json_int_t)c->events, "published_range", "from",
        date_or_null(c->first_published), "to", date_or_null(c->last_published), "event_range",
        "from", date_or_null(c->first_event), "to", date_or_null(c->last_event), "corpus",
        "files_loaded", (json_int_t)c->files_loaded, "files_skipped", (json_int_t)c->files_skipped,
        "records_loaded", (json_int_t)c->documents, "records_skipped",
        (json_int_t)c->records_skipped, "warnings", (json_int_t)c->warnings);
    json_t *by_kind = json_object();
    for (int k = 0; k < WARN_KIND_COUNT; k++)
        json_object_set_new(by_kind, ingest_warning_name((enum ingest_warning_kind)k),
                            json_integer((json_int_t)c->warnings_by_kind[k]));
    json_object_set_new(json_object_get(body, "corpus"), "warnings_by_kind", by_kind);
    reply_json(rep, 200, body);
}
