/*
 * dispatch.c — the access handler. Follows libmicrohttpd's two-call contract: the first call
 * only marks the request started (answering there would cost keep-alive), the second answers.
 * A request is checked as a whole (target and header sizes, encoding), then answered by the
 * response cache, a built-in endpoint, a route of the API (router.h) or a dashboard file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "cors.h"
#include "export.h"
#include "handlers/formats.h"
#include "log.h"
#include "metrics.h"
#include "openapi.h"
#include "respcache_http.h"
#include "response.h"
#include "router.h"
#include "server.h"
#include "static.h"

/* ---- request checks --------------------------------------------------------------------- */

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

size_t request_header_bytes(struct MHD_Connection *conn)
{
    size_t header_bytes = 0;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_size, &header_bytes);
    return header_bytes;
}

struct arg_scan {
    struct request *req;
    const struct route *route;
    struct reply *rep; /* set to a 400 on the first bad argument */
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct arg_scan *scan = cls;
    struct reply *rep = scan->rep;
    value = value ? value : "";
    if (!utf8_valid(key, strlen(key)) || !utf8_valid(value, strlen(value))) {
        reply_problem(rep, 400, "a query parameter is not valid UTF-8");
    } else if (scan->req->n_args == QUERY_MAX_ARGS) {
        reply_problem(rep, 400, "too many query parameters (at most %d)", QUERY_MAX_ARGS);
    } else if (!route_accepts(scan->route, key)) {
        reply_problem(rep, 400, "unknown query parameter '%.64s'", key);
    } else if (request_arg(scan->req, key) && !route_key_repeatable(key)) {
        reply_problem(rep, 400, "query parameter '%.64s' is given more than once", key);
    } else {
        scan->req->args[scan->req->n_args++] = (struct query_arg){key, value};
        return MHD_YES;
    }
    return MHD_NO;
}

/* Problems with the request as a whole, before any routing. */
static bool reject_request(struct MHD_Connection *conn, struct request_ctx *ctx, const char *url,
                           struct reply *rep)
{
    if (ctx->uri_len > MAX_URI_BYTES)
        reply_problem(rep, 414, "the request target is longer than %d bytes", MAX_URI_BYTES);
    else if (request_header_bytes(conn) > MAX_HEADER_BYTES)
        reply_problem(rep, 431, "the request headers exceed %d bytes", MAX_HEADER_BYTES);
    else if (ctx->uri_has_nul || !utf8_valid(url, strlen(url)))
        reply_problem(rep, 400, "the request path is not valid UTF-8 text");
    else
        return false;
    return true;
}

/* ---- built-in endpoints ----------------------------------------------------------------- */

static void reply_text(struct reply *rep, char *body, size_t len, const char *type)
{
    rep->status = body ? 200 : 500;
    rep->body = body;
    rep->body_len = body ? len : 0;
    rep->content_type = type;
    rep->cache_control = "no-store";
}

static void serve_metrics(struct server *srv, struct reply *rep)
{
    struct store *store = server_current_store(srv);
    size_t len = 0;
    char *body = metrics_render(srv->metrics, store, &len);
    if (store)
        store_unref(store);
    reply_text(rep, body, len, "text/plain; version=0.0.4; charset=utf-8");
}

static void serve_openapi(struct server *srv, struct reply *rep)
{
    (void)srv;
    char *body = strdup(openapi_json);
    reply_text(rep, body, body ? strlen(body) : 0, "application/json; charset=utf-8");
    rep->cache_control = "public, max-age=300";
}

/* Endpoints that belong to the server itself rather than to the API's resources; they ignore
 * the query string. */
struct builtin {
    const char *path;
    size_t label; /* after the routes' labels */
    void (*serve)(struct server *srv, struct reply *rep);
};

static const struct builtin builtins[] = {
    {"/metrics", LABEL_METRICS, serve_metrics},
    {"/openapi.json", LABEL_OPENAPI, serve_openapi},
};

static const struct builtin *builtin_find(const char *url)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(url, builtins[i].path) == 0)
            return &builtins[i];
    return NULL;
}

/* ---- routes ----------------------------------------------------------------------------- */

/* The reply of a handler whose statement ran out of its CPU budget names the limit (the
 * handler itself only saw a failed query). */
void server_reply_over_budget(struct reply *rep, unsigned budget_ms)
{
    free(rep->body);
    free(rep->link_next);
    *rep = (struct reply){0};
    reply_problem(rep, 400,
                  "the query needed more than its %u ms CPU budget (--query-budget-ms); make it "
                  "more specific (fewer prefix terms, more words, a date range)",
                  budget_ms);
}

static void run_handler(struct server *srv, const struct route *route, struct request *req,
                        struct reply *rep)
{
    struct store *store = server_current_store(srv);
    struct store_conn *db = NULL;
    char *err = NULL;
    bool busy = false;
    req->store = store;
    if (route->needs_store && !store) {
        reply_problem(rep, 503, "the corpus is still loading");
    } else if (route->needs_store && !(db = store_acquire_busy(store, &busy, &err))) {
        if (busy) {
            metrics_count(srv->metrics, METRIC_STORE_BUSY);
            reply_problem(rep, 503, "the server is busy (%s); retry shortly", err ? err : "");
        } else {
            log_msg(LOG_ERROR, "store: %s", err ? err : "cannot open a connection");
            reply_problem(rep, 503, "the store is unavailable");
        }
    } else {
        req->db = db;
        route->handler(req, rep);
        unsigned budget = store_budget_exceeded(db);
        if (budget)
            server_reply_over_budget(rep, budget);
        if (rep->status < 300 && !rep->cache_control)
            rep->cache_control = route->cache_control;
    }
    free(err);
    store_release(db);
    if (store)
        store_unref(store);
}

/* ?format=csv rewrites the reply; ?format=ndjson starts a stream in *export. */
static void run_with_format(struct server *srv, const struct route *route, struct request *req,
                            struct reply *rep, struct export_stream **export)
{
    enum output_format format;
    if (!format_of_request(req, rep, &format))
        return;
    if (format != FORMAT_NDJSON) {
        run_handler(srv, route, req, rep);
        if (format == FORMAT_CSV)
            format_reply_csv(rep, &rep->link_next);
        return;
    }
    struct store *store = server_current_store(srv);
    if (!store) {
        reply_problem(rep, 503, "the corpus is still loading");
        return;
    }
    *export = export_start(route, req, store, rep);
    store_unref(store);
}

/* Is there anything at url (a route, a dashboard file or a built-in endpoint)? */
static bool resource_exists(struct server *srv, const char *url)
{
    char buf[MAX_URI_BYTES + 1];
    const char *params[REQUEST_MAX_PARAMS];
    size_t n;
    return router_match(url, buf, sizeof buf, params, &n) || static_find(srv->web, url) ||
           builtin_find(url);
}

static bool is_read(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* Answers a request for the API (or nothing: *file is set for a dashboard file). */
static void dispatch(struct server *srv, struct MHD_Connection *conn, struct request_ctx *ctx,
                     const char *url, const char *method, struct reply *rep,
                     const struct static_file **file, struct export_stream **export)
{
    char buf[MAX_URI_BYTES + 1];
    struct request req = {.method = method, .path = url, .base_path = ctx->fwd.prefix};
    if (reject_request(conn, ctx, url, rep))
        return;
    const struct route *route = router_match(url, buf, sizeof buf, req.params, &req.n_params);
    const struct static_file *f = route ? NULL : static_find(srv->web, url);
    const struct builtin *builtin = route || f ? NULL : builtin_find(url);
    if (!route && !f && !builtin) {
        reply_problem(rep, 404, "no resource at this path; see /openapi.json for the API");
        return;
    }
    if (!is_read(method)) {
        reply_problem(rep, 405, "%s is not allowed here; use GET or HEAD", method);
        return;
    }
    if (f) {
        ctx->label = srv->n_routes + LABEL_STATIC;
        *file = f;
        return;
    }
    if (builtin) {
        ctx->label = srv->n_routes + builtin->label;
        builtin->serve(srv, rep);
        return;
    }
    ctx->label = router_index(route);
    if (strcmp(url, "/readyz") == 0 && atomic_load(&srv->draining)) {
        reply_problem(rep, 503, "shutting down");
        return;
    }
    struct arg_scan scan = {&req, route, rep};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &scan);
    if (!rep->status)
        run_with_format(srv, route, &req, rep, export);
}

static enum MHD_Result send_export(struct server *srv, struct MHD_Connection *conn,
                                   struct request_ctx *ctx, struct export_stream *x)
{
    struct response r = {.status = 200,
                         .kind = BODY_STREAM,
                         .reader = export_read,
                         .release = export_free,
                         .release_cls = x,
                         .content_type = "application/x-ndjson; charset=utf-8",
                         .cache_control = "no-store"};
    return response_send(srv, conn, ctx, &r);
}

/* ---- the access handler ----------------------------------------------------------------- */

struct framing {
    const char *length;   /* the first Content-Length */
    bool lengths_differ;  /* another Content-Length with a different value */
    const char *encoding; /* Transfer-Encoding, when not exactly "chunked" */
};

static enum MHD_Result scan_framing(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    struct framing *f = cls;
    value = value ? value : "";
    if (strcasecmp(key, "Content-Length") == 0) {
        if (f->length && strcmp(f->length, value) != 0)
            f->lengths_differ = true;
        f->length = f->length ? f->length : value;
    } else if (strcasecmp(key, "Transfer-Encoding") == 0 && strcasecmp(value, "chunked") != 0) {
        f->encoding = value;
    }
    return MHD_YES;
}

/* How the body is framed decides where the next request starts: a request whose framing is
 * ambiguous (two different Content-Lengths) or unknown (a transfer coding other than chunked,
 * which libmicrohttpd 0.9.75 waits on until the timeout) is refused, as is a declared body over
 * the limit. Answered in the first call, before any body is read: the connection then closes,
 * which is what a refused upload wants. */
static bool refuse_framing(struct MHD_Connection *conn, struct reply *rep)
{
    struct framing f = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, scan_framing, &f);
    if (f.lengths_differ)
        reply_problem(rep, 400, "the request has two different Content-Length headers");
    else if (f.encoding)
        reply_problem(rep, 501, "Transfer-Encoding '%.32s' is not supported (only chunked)",
                      f.encoding);
    else if (f.length && strtoull(f.length, NULL, 10) > MAX_BODY_BYTES)
        reply_problem(rep, 413, "request bodies are not accepted (at most %d bytes are read)",
                      MAX_BODY_BYTES);
    else
        return false;
    return true;
}

enum MHD_Result dispatch_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload_data, size_t *upload_data_size,
                                    void **con_cls)
{
    (void)version, (void)upload_data;
    struct server *srv = cls;
    struct request_ctx *ctx = *con_cls;
    if (!ctx || ctx->refused_raw)
        return MHD_NO;
    if (!ctx->started) {
        access_start(srv, conn, ctx, method);
        struct reply rep = {0};
        if (!refuse_framing(conn, &rep))
            return MHD_YES;
        ctx->answered = true;
        return response_send_reply(srv, conn, ctx, &rep);
    }
    if (*upload_data_size) {
        /* A small body (on GET) is read and ignored; a chunked one growing past the limit ends
         * the connection: nothing can be answered in the middle of an upload. */
        ctx->body_bytes += *upload_data_size;
        *upload_data_size = 0;
        return ctx->body_bytes > MAX_BODY_BYTES ? MHD_NO : MHD_YES;
    }
    if (strcmp(method, "OPTIONS") == 0 && ctx->uri_len <= MAX_URI_BYTES &&
        resource_exists(srv, url))
        return cors_send_preflight(srv, conn, ctx);
    struct cached_reply *cached = respcache_http_lookup(srv, conn, ctx, method);
    if (cached)
        return respcache_http_send(srv, conn, ctx, cached);
    struct reply rep = {0};
    const struct static_file *file = NULL;
    struct export_stream *export = NULL;
    dispatch(srv, conn, ctx, url, method, &rep, &file, &export);
    if (export)
        return send_export(srv, conn, ctx, export);
    return file ? static_send(srv, conn, ctx, file) : response_send_reply(srv, conn, ctx, &rep);
}
