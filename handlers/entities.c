/*
 * entities.c — GET /v1/entities, /v1/entities/{id}, /v1/entities/{id}/mentions, /documents,
 * /related, and /v1/documents/{id}/entities.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "filters.h"
#include "handlers.h"
#include "params.h"
#include "store/entities.h"

static json_t *json_array_or_empty(const char *text)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    return json_is_array(a) ? a : (json_decref(a), json_array());
}

static void reply_store_error(struct reply *rep)
{
    reply_problem(rep, 500, "the store could not answer");
}

/* ---- /v1/entities ----------------------------------------------------------------------- */

struct entity_page {
    struct keyset_page page;
    enum store_entity_sort sort;
};

static const char entity_cursor_kinds[] = {'m', 'n'};

static int collect_entity(void *ctx, const struct store_entity *e)
{
    struct entity_page *p = ctx;
    if (keyset_page_full(&p->page))
        return 1;
    if (keyset_page_add_fragment(&p->page, e->item)) {
        char buf[32];
        p->page.next_cursor =
            cursor_encode(entity_cursor_kinds[p->sort],
                          store_entity_sort_key(e, p->sort, buf, sizeof buf), e->id);
    }
    return 0;
}

static const char *const entity_sorts[] = {"-mentions", "name", NULL};

void handle_entities_list(const struct request *req, struct reply *rep)
{
    struct store_entity_filter f = {0};
    int type, sort;
    char *key = NULL, *id = NULL;
    if (!param_limit(req, rep, &f.limit) ||
        !param_choice(req, rep, "type", entity_type_names, &type) ||
        !param_choice(req, rep, "sort", entity_sorts, &sort))
        return;
    f.sort = sort < 0 ? ENTITY_SORT_MENTIONS : (enum store_entity_sort)sort;
    if (!param_cursor(req, rep, entity_cursor_kinds[f.sort], &key, &id))
        return;
    f.type = type < 0 ? NULL : entity_type_names[type];
    f.q = request_arg(req, "q");
    if (!param_document_found(req, rep, "document", &f.document)) {
        free(key);
        free(id);
        return;
    }
    f.after_key = key;
    f.after_id = id;
    struct entity_page p = {.sort = f.sort};
    keyset_page_init(&p.page, f.limit);
    f.limit++; /* the row after the page */
    long long total = 0;
    enum store_status s = store_entities_list(req->db, &f, collect_entity, &p, &total);
    keyset_page_reply(req, rep, &p.page, total, s);
    free(key);
    free(id);
}

static int take_entity(void *ctx, const struct store_entity *e)
{
    *(char **)ctx = e->item ? strdup(e->item) : NULL;
    return 0;
}

void handle_entity_get(const struct request *req, struct reply *rep)
{
    char *item = NULL;
    enum store_status s = store_entity_get(req->db, req->params[0], take_entity, &item);
    if (s == STORE_NOT_FOUND) {
        if (!reply_entity_moved(req, rep, ""))
            reply_problem(rep, 404, "no entity with id '%s'", req->params[0]);
    } else if (s != STORE_OK || !item)
        reply_store_error(rep);
    else
        reply_fragment(rep, item);
    free(item);
}

/* ---- /v1/entities/{id}/mentions --------------------------------------------------------- */

static int collect_mention(void *ctx, const struct store_mention *m)
{
    struct keyset_page *p = ctx;
    if (keyset_page_full(p))
        return 1;
    bool last =
        keyset_page_add(p, json_pack("{s:s, s:I, s:I, s:s, s:s}", "document_id", m->document_id,
                                     "start", (json_int_t)m->start, "end", (json_int_t)m->end,
                                     "text", m->text, "sentence", m->sentence));
    if (last) {
        char doc[32], start[32];
        snprintf(doc, sizeof doc, "%lld", m->doc_rowid);
        snprintf(start, sizeof start, "%lld", m->start);
        p->next_cursor = cursor_encode('M', doc, start);
    }
    return 0;
}

void handle_entity_mentions(const struct request *req, struct reply *rep)
{
    int limit;
    char *key = NULL, *id = NULL;
    if (!param_limit(req, rep, &limit) || !param_cursor(req, rep, 'M', &key, &id) ||
        !path_entity_found(req, rep)) {
        free(key);
        free(id);
        return;
    }
    long long after_doc = key ? atoll(key) : -1, after_start = id ? atoll(id) : -1;
    free(key);
    free(id);
    struct keyset_page p;
    keyset_page_init(&p, limit);
    long long total = 0;
    enum store_status s = store_entity_mentions(req->db, req->params[0], after_doc, after_start,
                                                limit + 1, collect_mention, &p, &total);
    keyset_page_reply(req, rep, &p, total, s);
}

/* ---- /v1/entities/{id}/documents and /related ------------------------------------------- */

static int collect_entity_doc(void *ctx, const struct store_doc *d, long long mentions)
{
    rows_extend(ctx, d->item);
    rows_member_int(ctx, "mention_count", mentions);
    rows_close(ctx);
    return 0;
}

static int collect_related(void *ctx, const struct store_related *r)
{
    rows_add_json(ctx, json_pack("{s:{s:s, s:s, s:s}, s:I, s:I}", "entity", "id", r->id, "name",
                                 r->name, "type", r->type, "sentences", (json_int_t)r->sentences,
                                 "documents", (json_int_t)r->documents));
    return 0;
}

/* One page of an entity's ranked sub-list (documents, related), paged by offset cursors. */
typedef enum store_status (*entity_page_query)(struct store_conn *c, const char *entity_id,
                                               int limit, long long offset, struct rows *data,
                                               long long *total);

static void reply_entity_page(const struct request *req, struct reply *rep, char kind,
                              entity_page_query query)
{
    int limit;
    long long offset, total = 0;
    if (!param_limit(req, rep, &limit) || !param_offset_cursor(req, rep, kind, &offset) ||
        !path_entity_found(req, rep))
        return;
    struct rows data = {0};
    if (query(req->db, req->params[0], limit, offset, &data, &total) != STORE_OK) {
        rows_free(&data);
        reply_store_error(rep);
        return;
    }
    reply_page(req, rep, &data, total, limit, offset_cursor_next(kind, offset, limit, total));
}

static enum store_status query_documents(struct store_conn *c, const char *id, int limit,
                                         long long offset, struct rows *data, long long *total)
{
    return store_entity_documents(c, id, limit, offset, collect_entity_doc, data, total);
}

static enum store_status query_related(struct store_conn *c, const char *id, int limit,
                                       long long offset, struct rows *data, long long *total)
{
    return store_entity_related(c, id, limit, offset, collect_related, data, total);
}

struct entity_doc_page {
    struct keyset_page page;
    char kind;
};

/* A row of an entity's documents by date; its cursor is (published, id). */
static int collect_entity_doc_keyset(void *ctx, const struct store_doc *d, long long mentions)
{
    struct entity_doc_page *p = ctx;
    if (keyset_page_full(&p->page))
        return 1;
    rows_extend(&p->page.rows, d->item);
    rows_member_int(&p->page.rows, "mention_count", mentions);
    rows_close(&p->page.rows);
    if (++p->page.count == p->page.limit)
        p->page.next_cursor = cursor_encode(p->kind, d->published, d->id);
    return 0;
}

static const char *const entity_doc_sorts[] = {"-mentions", "-published", "published", NULL};

/* Most mentions first (ranked, offset cursors 'D'), or by date (keyset cursors 'P' newest first,
 * 'p' oldest first: one range of the entity's documents in that order). */
static void entity_documents(const struct request *req, struct reply *rep, int sort)
{
    if (sort <= 0) {
        reply_entity_page(req, rep, 'D', query_documents);
        return;
    }
    struct entity_doc_page p = {.kind = sort == 1 ? 'P' : 'p'};
    int limit;
    char *key = NULL, *id = NULL;
    if (param_limit(req, rep, &limit) && param_cursor(req, rep, p.kind, &key, &id) &&
        path_entity_found(req, rep)) {
        keyset_page_init(&p.page, limit);
        long long total = 0;
        enum store_status s =
            store_entity_documents_by_date(req->db, req->params[0], sort == 2, key, id, limit + 1,
                                           collect_entity_doc_keyset, &p, &total);
        keyset_page_reply(req, rep, &p.page, total, s);
    }
    free(key);
    free(id);
}

void handle_entity_documents(const struct request *req, struct reply *rep)
{
    int sort;
    struct fields fl;
    if (!param_choice(req, rep, "sort", entity_doc_sorts, &sort) ||
        !param_fields(req, rep, entity_document_fields, &fl))
        return;
    entity_documents(req, rep, sort);
    fields_select(rep, &fl, true);
    fields_free(&fl);
}

void handle_entity_related(const struct request *req, struct reply *rep)
{
    reply_entity_page(req, rep, 'R', query_related);
}

/* ---- /v1/documents/{id}/entities -------------------------------------------------------- */

static int collect_doc_entity(void *ctx, const struct store_doc_entity *e)
{
    json_array_append_new(ctx,
                          json_pack("{s:s, s:s, s:s, s:o}", "id", e->id, "name", e->name, "type",
                                    e->type, "mentions", json_array_or_empty(e->mentions_json)));
    return 0;
}

void handle_document_entities(const struct request *req, struct reply *rep)
{
    if (!path_document_found(req, rep))
        return;
    json_t *data = json_array();
    reply_whole_list(req, rep, data,
                     store_document_entities(req->db, req->params[0], collect_doc_entity, data) ==
                         STORE_OK);
}
