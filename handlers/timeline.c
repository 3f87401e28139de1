/*
 * timeline.c — GET /v1/timeline, /v1/timeline/histogram, /v1/entities/{id}/timeline,
 * /v1/documents/{id}/timeline and /v1/documents/{id}/timexes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filters.h"
#include "handlers.h"
#include "params.h"
#include "store/entities.h"
#include "store/timeline.h"

/* A page of events and the kind of its cursors: 'T' in date order, 't' newest first (a cursor
 * of one order is a 400 in the other). */
struct event_page {
    struct keyset_page page;
    char kind;
};

static int collect_event(void *ctx, const struct store_event *e)
{
    struct event_page *p = ctx;
    if (keyset_page_full(&p->page))
        return 1;
    if (keyset_page_add_fragment(&p->page, e->item)) {
        char rowid[32];
        snprintf(rowid, sizeof rowid, "%lld", e->rowid);
        p->page.next_cursor = cursor_encode(p->kind, e->date, rowid);
    }
    return 0;
}

static const char *const event_sorts[] = {"date", "-date", NULL};
static const char *const precisions[] = {"day", "month", "year", NULL};
static const char *const matches[] = {"within", "overlap", NULL};

/* from/to/precision (and the entity/document/type filters unless fixed by the path). */
static bool parse_event_filter(const struct request *req, struct reply *rep,
                               struct store_event_filter *f, struct entity_list *ents)
{
    int precision, match;
    if (!param_date(req, rep, "from", &f->from) || !param_date(req, rep, "to", &f->to) ||
        !param_choice(req, rep, "precision", precisions, &precision) ||
        !param_choice(req, rep, "match", matches, &match) ||
        !param_event_entities(req, rep, f, ents))
        return false;
    f->overlap = match == 1;
    f->precision = precision < 0 ? NULL : precisions[precision];
    return f->document || param_document_found(req, rep, "document", &f->document);
}

static void reply_events(const struct request *req, struct reply *rep, struct store_event_filter *f)
{
    int limit, sort;
    char *key = NULL, *id = NULL;
    struct entity_list ents = {0};
    if (!param_limit(req, rep, &limit) || !param_choice(req, rep, "sort", event_sorts, &sort) ||
        !parse_event_filter(req, rep, f, &ents) ||
        !param_cursor(req, rep, sort == 1 ? 't' : 'T', &key, &id)) {
        entity_list_free(&ents);
        return;
    }
    f->newest_first = sort == 1;
    f->after_date = key;
    f->after_rowid = id ? atoll(id) : 0;
    f->limit = limit + 1;
    struct event_page p = {.kind = sort == 1 ? 't' : 'T'};
    keyset_page_init(&p.page, limit);
    long long total = 0;
    enum store_status s = store_events_list(req->db, f, collect_event, &p, &total);
    keyset_page_reply(req, rep, &p.page, total, s);
    entity_list_free(&ents);
    free(key);
    free(id);
}

void handle_timeline(const struct request *req, struct reply *rep)
{
    struct store_event_filter f = {0};
    reply_events(req, rep, &f);
}

void handle_entity_timeline(const struct request *req, struct reply *rep)
{
    if (!path_entity_found(req, rep))
        return;
    struct store_event_filter f = {.entity = req->params[0]};
    reply_events(req, rep, &f);
}

void handle_document_timeline(const struct request *req, struct reply *rep)
{
    if (!path_document_found(req, rep))
        return;
    struct store_event_filter f = {.document = req->params[0]};
    reply_events(req, rep, &f);
}

static int collect_bucket(void *ctx, const char *period, long long count)
{
    json_array_append_new(ctx,
                          json_pack("{s:s, s:I}", "period", period, "count", (json_int_t)count));
    return 0;
}

static const char *const intervals[] = {"year", "month", "day", NULL};

void handle_timeline_histogram(const struct request *req, struct reply *rep)
{
    struct store_event_filter f = {0};
    struct entity_list ents = {0};
    int interval;
    if (!param_choice(req, rep, "interval", intervals, &interval) ||
        !parse_event_filter(req, rep, &f, &ents)) {
        entity_list_free(&ents);
        return;
    }
    if (interval < 0)
        interval = 1;
    json_t *data = json_array();
    enum store_status s =
        store_events_histogram(req->db, &f, (enum store_interval)interval, collect_bucket, data);
    entity_list_free(&ents);
    if (s != STORE_OK) {
        json_decref(data);
        reply_problem(rep, 500, "the store could not answer");
        return;
    }
    long long events = 0;
    size_t i;
    json_t *b;
    json_array_foreach(data, i, b) events += json_integer_value(json_object_get(b, "count"));
    reply_json(rep, 200,
               json_pack("{s:o, s:{s:s, s:I, s:I}}", "data", data, "meta", "interval",
                         intervals[interval], "buckets", (json_int_t)json_array_size(data),
                         "events", (json_int_t)events));
}

static json_t *string_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static int collect_timex(void *ctx, const struct store_timex *t)
{
    json_array_append_new(
        ctx,
        json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "document_id",
                  t->document_id, "start", (json_int_t)t->start, "end", (json_int_t)t->end, "text",
                  t->text, "type", t->type, "value", t->value, "mod", string_or_null(t->mod),
                  "range_end", string_or_null(t->range_end), "first_day",
                  string_or_null(t->first_day), "last_day", string_or_null(t->last_day)));
    return 0;
}

void handle_document_timexes(const struct request *req, struct reply *rep)
{
    const char *from = NULL, *to = NULL;
    int match;
    if (!path_document_found(req, rep) || !param_date(req, rep, "from", &from) ||
        !param_date(req, rep, "to", &to) || !param_choice(req, rep, "match", matches, &match))
        return;
    json_t *data = json_array();
    reply_whole_list(req, rep, data,
                     store_document_timexes(req->db, req->params[0], from, to, match == 1,
                                            collect_timex, data) == STORE_OK);
}
