/*
 * export.c — NDJSON streaming over any list endpoint: page after page of its handler (keyset
 * cursors), except search, whose matches are ranked once for the whole export and then written
 * in chunks (handlers/search.c): paging would rank every match again for each page.
 */
#include "export.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "handlers/formats.h"
#include "handlers/handlers.h"
#include "log.h"
#include "server.h"

struct export_stream {
    const struct route *route;
    struct store *store;
    struct store_conn *db;
    struct request req; /* args point into keys/values below */
    char *keys[QUERY_MAX_ARGS], *values[QUERY_MAX_ARGS];
    char *path, *base_path, *params[REQUEST_MAX_PARAMS];
    char *cursor;                 /* of the next page; NULL before the first */
    struct search_stream *search; /* a search export: ranked once */
    bool first, done;
    unsigned pages; /* read so far, for the log */
    char *page;
    size_t page_len, page_off;
};

static bool copy_request(struct export_stream *x, const struct request *req)
{
    x->req = *req;
    x->req.n_args = 0;
    x->path = strdup(req->path ? req->path : "");
    x->base_path = strdup(req->base_path ? req->base_path : "");
    x->req.path = x->path;
    x->req.base_path = x->base_path;
    for (size_t i = 0; i < req->n_params; i++)
        x->req.params[i] = x->params[i] = strdup(req->params[i]);
    for (size_t i = 0; i < req->n_args; i++) {
        const char *k = req->args[i].key;
        if (strcmp(k, "limit") == 0) /* format stays: a handler may answer an export with more,
                                        and refuses what NDJSON cannot carry */
            continue;
        if (strcmp(k, "cursor") == 0) {
            x->cursor = strdup(req->args[i].value);
            continue;
        }
        size_t n = x->req.n_args++;
        x->keys[n] = strdup(k);
        x->values[n] = strdup(req->args[i].value);
        x->req.args[n] = (struct query_arg){x->keys[n], x->values[n]};
    }
    return x->path && x->base_path;
}

/* Runs the handler for the next page (limit 100, after the cursor) into x->page; a non-200
 * reply is moved to *failed when failed is not NULL. */
#define EXPORT_CHUNK 100

/* The next chunk of a search export into x->page. */
static bool next_search_chunk(struct export_stream *x)
{
    struct text out = {0};
    bool failed = false;
    bool more = search_stream_next(x->search, x->db, EXPORT_CHUNK, &out, &failed);
    free(x->page);
    x->page = failed ? NULL : out.s ? out.s : strdup("");
    if (failed)
        free(out.s);
    x->page_len = x->page ? out.len : 0;
    x->page_off = 0;
    x->first = false;
    x->done = !more || failed;
    if (!x->page)
        log_msg(LOG_ERROR, "export of %s stopped: the store failed", x->path);
    return x->page != NULL;
}

/* Why the stream stops here, for the operator: the client only sees the body end early. */
static void log_page_failure(const struct export_stream *x, const struct reply *rep)
{
    unsigned budget = store_budget_exceeded(x->db);
    if (budget)
        log_msg(LOG_ERROR, "export of %s stopped at page %u: it ran over its %u ms CPU budget",
                x->path, x->pages + 1, budget);
    else if (rep->status != 200)
        log_msg(LOG_ERROR, "export of %s stopped at page %u: the page answered %d: %.*s", x->path,
                x->pages + 1, rep->status, rep->body ? (int)rep->body_len : 0,
                rep->body ? rep->body : "");
    else
        log_msg(LOG_ERROR, "export of %s stopped at page %u: the page could not be read", x->path,
                x->pages + 1);
}

static bool next_page(struct export_stream *x, struct reply *failed)
{
    if (x->search)
        return next_search_chunk(x);
    struct request req = x->req;
    req.args[req.n_args++] = (struct query_arg){"limit", "100"};
    if (x->cursor)
        req.args[req.n_args++] = (struct query_arg){"cursor", x->cursor};
    struct reply rep = {0};
    store_budget_restart(x->db); /* each page has the budget of a request */
    x->route->handler(&req, &rep);
    free(x->page);
    x->page = NULL;
    char *next = NULL;
    if (rep.status == 200)
        x->page = format_page_ndjson(rep.body, rep.body_len, &x->page_len, &next);
    else if (failed) {
        *failed = rep;
        return false;
    }
    if (!x->page)
        log_page_failure(x, &rep);
    free(rep.body);
    free(x->cursor);
    x->cursor = next;
    x->page_off = 0;
    x->first = false;
    x->done = !next;
    x->pages++;
    return x->page != NULL;
}

/* The arguments an export keeps: every page adds limit and cursor to them, so two slots must stay
 * free (repeatable parameters let a request fill all QUERY_MAX_ARGS). */
static bool room_for_pages(const struct request *req)
{
    size_t kept = 0;
    for (size_t i = 0; i < req->n_args; i++)
        kept += strcmp(req->args[i].key, "limit") != 0 && strcmp(req->args[i].key, "cursor") != 0;
    return kept + 2 <= QUERY_MAX_ARGS;
}

struct export_stream *export_start(const struct route *route, const struct request *req,
                                   struct store *store, struct reply *failed)
{
    if (!room_for_pages(req)) {
        reply_problem(failed, 400, "too many query parameters for an export (at most %d)",
                      QUERY_MAX_ARGS - 2);
        return NULL;
    }
    struct export_stream *x = calloc(1, sizeof *x);
    if (!x) {
        reply_problem(failed, 500, "out of memory");
        return NULL;
    }
    x->route = route;
    x->store = store_ref(store);
    x->first = true;
    char *err = NULL;
    bool busy = false;
    if (!copy_request(x, req) || !(x->db = store_acquire_stream(store, &busy, &err))) {
        reply_problem(failed, 503, "%s; retry shortly",
                      busy && err ? err : "the store is unavailable");
        free(err);
        export_free(x);
        return NULL;
    }
    x->req.db = x->db;
    x->req.store = store;
    if (route->handler == handle_search) {
        if (x->cursor) /* the cursor the client gave: where the export starts */
            x->req.args[x->req.n_args++] = (struct query_arg){"cursor", x->cursor};
        x->search = search_stream_open(&x->req, failed);
        if (!x->search) { /* ranking every match may be what ran out of the CPU budget */
            unsigned budget = store_budget_exceeded(x->db);
            if (budget)
                server_reply_over_budget(failed, budget);
            export_free(x);
            return NULL;
        }
    }
    if (!next_page(x, failed)) {
        unsigned budget = store_budget_exceeded(x->db);
        if (budget)
            server_reply_over_budget(failed, budget);
        else if (!failed->status)
            reply_problem(failed, 500, "the export could not be read");
        export_free(x);
        return NULL;
    }
    return x;
}

ssize_t export_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct export_stream *x = cls;
    while (x->page_off >= x->page_len) {
        if (!x->first && x->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (!next_page(x, NULL))
            return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = x->page_len - x->page_off;
    if (n > max)
        n = max;
    memcpy(buf, x->page + x->page_off, n);
    x->page_off += n;
    return (ssize_t)n;
}

void export_free(void *cls)
{
    struct export_stream *x = cls;
    if (!x)
        return;
    store_release(x->db);
    store_unref(x->store);
    for (size_t i = 0; i < x->req.n_args; i++) {
        free(x->keys[i]);
        free(x->values[i]);
    }
    for (size_t i = 0; i < REQUEST_MAX_PARAMS; i++)
        free(x->params[i]);
    free(x->path);
    free(x->base_path);
    free(x->cursor);
    free(x->page);
    search_stream_free(x->search);
    free(x);
}
