/*
 * http.c — libmicrohttpd glue. Follows the library's two-call contract: the URI callback
 * allocates the request context, the first access-handler call only marks it started (answering
 * there would cost keep-alive), the second answers. Every response gets Content-Type, ETag,
 * Cache-Control, Vary, CORS and X-Request-Id; a matching If-None-Match gets 304; bodies over
 * 1 KB are gzipped for clients that accept it.
 */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compress.h"
#include "export.h"
#include "handlers/formats.h"
#include "forwarded.h"
#include "base/utf8.h"
#include "log.h"
#include "metrics.h"
#include "openapi.h"
#include "respcache.h"
#include "router.h"
#include "static.h"

/* The dashboard uses only its own scripts, styles and the API (tests/browser checks it). */
#define DASHBOARD_CSP                                                                              \
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
#define MAX_URI_BYTES 8192
#define MAX_HEADER_BYTES 16384
#define MAX_BODY_BYTES 65536 /* bodies are read and ignored up to this; larger ones get a 413 */
#define MHD_MEMORY_LIMIT (128 * 1024) /* above both limits, so we answer them, not the library */

/* Metrics labels beyond the route table. */
enum { LABEL_METRICS, LABEL_OPENAPI, LABEL_STATIC, LABEL_UNMATCHED, EXTRA_LABELS };

struct server {
    const struct config *cfg;
    struct MHD_Daemon *daemon;
    pthread_mutex_t store_lock;
    struct store *store;
    atomic_ullong next_request;
    unsigned long long boot_nonce;
    struct static_files *web;
    struct metrics *metrics;
    atomic_bool draining; /* SIGTERM: /readyz says 503 and connections close after answering */
    const char **labels;
    size_t n_routes;
    struct respcache *cache; /* rendered responses of the current store, or NULL */
};

/* Per-request state, from the URI callback to the completion callback. */
struct request_ctx {
    struct server *srv;
    struct timespec start;
    bool started;
    size_t uri_len;
    bool uri_has_nul;
    size_t label;
    char request_id[72];
    int status;
    size_t bytes;
    char method[16];
    char target[512]; /* the raw request target, made printable, for the access log */
    struct forwarded fwd;
    bool target_exact;   /* target is the whole raw target, unchanged */
    char cache_key[656]; /* target and forwarded prefix, when looked up in the cache */
    size_t cache_key_len;
    unsigned long long cache_gen;
    unsigned long long body_bytes; /* of a request body, which no endpoint reads */
    bool answered;                 /* a response is queued (early, for a body too large) */
};

static unsigned long long elapsed_us(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (unsigned long long)(now.tv_sec - since->tv_sec) * 1000000ULL +
           (unsigned long long)((now.tv_nsec - since->tv_nsec) / 1000);
}

static struct store *current_store(struct server *srv)
{
    pthread_mutex_lock(&srv->store_lock);
    struct store *s = srv->store ? store_ref(srv->store) : NULL;
    pthread_mutex_unlock(&srv->store_lock);
    return s;
}

struct store *server_store(struct server *srv)
{
    return current_store(srv);
}

void server_set_store(struct server *srv, struct store *st)
{
    pthread_mutex_lock(&srv->store_lock);
    struct store *old = srv->store;
    srv->store = st;
    pthread_mutex_unlock(&srv->store_lock);
    respcache_invalidate(srv->cache);
    store_unref(old);
}

/* ---- request context -------------------------------------------------------------------- */

/* libmicrohttpd 0.9.75 never calls the completion callback for a request whose query arguments
 * overflow the connection's memory pool (e.g. 10 000 parameters; it answers nothing and closes
 * on timeout): each connection remembers its unfinished request, finished when it closes. */
struct conn_slot {
    void *pending; /* struct request_ctx between on_uri and on_completed */
};

static struct conn_slot *connection_slot(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT) : NULL;
    return ci ? ci->socket_context : NULL;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct request_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->srv = srv;
    clock_gettime(CLOCK_MONOTONIC, &ctx->start);
    ctx->uri_len = strlen(uri);
    ctx->uri_has_nul = strstr(uri, "%00") != NULL;
    ctx->label = srv->n_routes + LABEL_UNMATCHED;
    size_t n = 0;
    for (const char *p = uri; *p && n + 1 < sizeof ctx->target; p++)
        ctx->target[n++] = ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F) ? '?' : *p;
    ctx->target[n] = '\0';
    ctx->target_exact = !uri[n] && memcmp(ctx->target, uri, n) == 0; /* not cut, not altered */
    metrics_request_started(srv->metrics);
    struct conn_slot *slot = connection_slot(conn);
    if (slot)
        slot->pending = ctx;
    return ctx;
}

static bool valid_request_id(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (n >= 64 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
            return false;
    }
    return n > 0;
}

static void start_request(struct server *srv, struct MHD_Connection *conn, struct request_ctx *ctx,
                          const char *method)
{
    ctx->started = true;
    snprintf(ctx->method, sizeof ctx->method, "%s", method);
    const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (given && valid_request_id(given)) {
        snprintf(ctx->request_id, sizeof ctx->request_id, "%s", given);
    } else {
        unsigned long long n = atomic_fetch_add(&srv->next_request, 1);
        snprintf(ctx->request_id, sizeof ctx->request_id, "%08llx-%010llx",
                 srv->boot_nonce & 0xffffffffULL, n);
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    forwarded_resolve(&srv->cfg->trusted_proxies, ci ? ci->client_addr : NULL,
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto"),
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Prefix"),
                      &ctx->fwd);
}

/* ---- request checks --------------------------------------------------------------------- */

static enum MHD_Result add_header_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
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
    } else if (request_arg(scan->req, key)) {
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
    size_t header_bytes = 0;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_size, &header_bytes);
    if (ctx->uri_len > MAX_URI_BYTES)
        reply_problem(rep, 414, "the request target is longer than %d bytes", MAX_URI_BYTES);
    else if (header_bytes > MAX_HEADER_BYTES)
        reply_problem(rep, 431, "the request headers exceed %d bytes", MAX_HEADER_BYTES);
    else if (ctx->uri_has_nul || !utf8_valid(url, strlen(url)))
        reply_problem(rep, 400, "the request path is not valid UTF-8 text");
    else
        return false;
    return true;
}

/* ---- responses -------------------------------------------------------------------------- */

static unsigned long long fnv1a64(const char *s, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void add_common_headers(struct server *srv, struct MHD_Response *r,
                               const struct request_ctx *ctx)
{
    MHD_add_response_header(r, "Access-Control-Allow-Origin", srv->cfg->cors_origin);
    MHD_add_response_header(r, "Access-Control-Expose-Headers", "ETag, Link, X-Request-Id");
    MHD_add_response_header(r, "X-Request-Id", ctx->request_id);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

/* If-None-Match matches this representation (either encoding of the same content). */
static bool not_modified(struct MHD_Connection *conn, const char *etag)
{
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    if (!inm)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    char hash[20];
    snprintf(hash, sizeof hash, "%.16s", etag + 1);
    return strstr(inm, hash) != NULL;
}

static bool wants_gzip(struct MHD_Connection *conn)
{
    return compress_accepts_gzip(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding"));
}

static enum MHD_Result queue(struct server *srv, struct MHD_Connection *conn,
                             struct request_ctx *ctx, struct MHD_Response *r, int status,
                             size_t bytes)
{
    if (!r)
        return MHD_NO;
    add_common_headers(srv, r, ctx);
    if (atomic_load(&srv->draining))
        MHD_add_response_header(r, "Connection", "close");
    else if (ctx->answered) /* answered before reading a large body: do not read the rest */
        MHD_add_response_header(r, "Connection", "close");
    ctx->status = status;
    ctx->bytes = bytes;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_not_modified(struct server *srv, struct MHD_Connection *conn,
                                         struct request_ctx *ctx, const char *etag,
                                         const char *cache_control)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", cache_control);
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
    }
    return queue(srv, conn, ctx, r, 304, 0);
}

static void release_cached(void *cls)
{
    respcache_release(cls);
}

/* A rendered response from the cache (e: a reference, given up here). The body is shared with
 * libmicrohttpd, not copied; a 304 needs no body; gzip was done once. */
static enum MHD_Result send_cached(struct server *srv, struct MHD_Connection *conn,
                                   struct request_ctx *ctx, struct cached_reply *e)
{
    ctx->label = e->label;
    char etag[24];
    memcpy(etag, e->etag, sizeof etag);
    size_t gz_len = 0;
    char *gz =
        e->body_len >= COMPRESS_MIN_BYTES && wants_gzip(conn) ? respcache_gzip(e, &gz_len) : NULL;
    if (gz) /* the gzip representation has its own strong ETag, for 304s too */
        snprintf(etag + 17, sizeof etag - 17, "-gz\"");
    if (not_modified(conn, etag)) {
        enum MHD_Result ret = send_not_modified(srv, conn, ctx, etag, e->cache_control);
        respcache_release(e);
        return ret;
    }
    size_t len = gz ? gz_len : e->body_len;
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback_cls(
        len, gz ? gz : e->body, release_cached, e);
    if (!r) {
        respcache_release(e);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", e->content_type);
    if (gz)
        MHD_add_response_header(r, "Content-Encoding", "gzip");
    MHD_add_response_header(r, "Vary", "Accept-Encoding");
    MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", e->cache_control);
    if (e->link_next) {
        char link[8300];
        snprintf(link, sizeof link, "<%s>; rel=\"next\"", e->link_next);
        MHD_add_response_header(r, "Link", link);
    }
    return queue(srv, conn, ctx, r, 200, len);
}

/* The cached response for this GET/HEAD target, or NULL (then ctx holds the key for
 * cache_store). Requests whose headers are too large go the normal way (to get their 431). */
static struct cached_reply *cache_lookup(struct server *srv, struct MHD_Connection *conn,
                                         struct request_ctx *ctx, const char *method)
{
    size_t header_bytes = 0;
    if (!srv->cache || !ctx->target_exact || (strcmp(method, "GET") && strcmp(method, "HEAD")))
        return NULL;
    MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header_size, &header_bytes);
    if (header_bytes > MAX_HEADER_BYTES)
        return NULL;
    int n =
        snprintf(ctx->cache_key, sizeof ctx->cache_key, "%s\x1f%s", ctx->target, ctx->fwd.prefix);
    ctx->cache_key_len = n > 0 && (size_t)n < sizeof ctx->cache_key ? (size_t)n : 0;
    ctx->cache_gen = respcache_generation(srv->cache);
    return ctx->cache_key_len ? respcache_get(srv->cache, ctx->cache_key, ctx->cache_key_len)
                              : NULL;
}

/* Moves a cacheable reply (a 200 that may be shared: "public") into the cache. */
static struct cached_reply *cache_store(struct server *srv, struct request_ctx *ctx,
                                        struct reply *rep)
{
    if (!srv->cache || !ctx->cache_key_len || rep->status != 200 || !rep->body ||
        !rep->cache_control || strncmp(rep->cache_control, "public", 6) != 0)
        return NULL;
    struct cached_reply *e = respcache_put(
        srv->cache, ctx->cache_gen, ctx->cache_key, ctx->cache_key_len, rep->body, rep->body_len,
        rep->content_type, rep->cache_control, rep->link_next, ctx->label);
    if (e) {
        rep->body = NULL;
        free(rep->link_next);
        rep->link_next = NULL;
    }
    return e;
}

static enum MHD_Result send_reply(struct server *srv, struct MHD_Connection *conn,
                                  struct request_ctx *ctx, struct reply *rep)
{
    struct cached_reply *cached = cache_store(srv, ctx, rep);
    if (cached)
        return send_cached(srv, conn, ctx, cached);
    char etag[24];
    const char *cc = rep->cache_control ? rep->cache_control : "no-store";
    bool gzip = rep->body_len >= COMPRESS_MIN_BYTES && wants_gzip(conn);
    /* A strong ETag per representation: the gzip variant's differs from the identity one. */
    snprintf(etag, sizeof etag, gzip ? "\"%016llx-gz\"" : "\"%016llx\"",
             fnv1a64(rep->body, rep->body_len));
    if (rep->status == 200 && not_modified(conn, etag)) {
        free(rep->body);
        free(rep->link_next);
        rep->body = NULL;
        rep->link_next = NULL;
        return send_not_modified(srv, conn, ctx, etag, cc);
    }
    size_t gz_len = 0;
    char *gz = gzip ? compress_gzip(rep->body, rep->body_len, &gz_len) : NULL;
    if (gz) {
        free(rep->body);
        rep->body = gz;
        rep->body_len = gz_len;
    } else if (gzip) {
        etag[17] = '"'; /* not smaller compressed: sent as is, with the identity ETag */
        etag[18] = '\0';
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(rep->body_len, rep->body, MHD_RESPMEM_MUST_FREE);
    rep->body = NULL;
    if (r) {
        MHD_add_response_header(r, "Content-Type", rep->content_type);
        if (gz)
            MHD_add_response_header(r, "Content-Encoding", "gzip");
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
        if (rep->status == 200)
            MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", cc);
        if (rep->status == 405)
            MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
        if (rep->link_next) {
            char link[8300];
            snprintf(link, sizeof link, "<%s>; rel=\"next\"", rep->link_next);
            MHD_add_response_header(r, "Link", link);
        }
        if (rep->location)
            MHD_add_response_header(r, "Location", rep->location);
    }
    free(rep->link_next);
    rep->link_next = NULL;
    free(rep->location);
    rep->location = NULL;
    return queue(srv, conn, ctx, r, rep->status, rep->body_len);
}

/* The dashboard's files: bodies live as long as the server, so responses only point at them. */
static enum MHD_Result send_static(struct server *srv, struct MHD_Connection *conn,
                                   struct request_ctx *ctx, const struct static_file *f)
{
    static const char cc[] = "no-cache"; /* unversioned files: always revalidate (cheap 304s) */
    bool gz = f->gzip && wants_gzip(conn);
    char etag[24];
    snprintf(etag, sizeof etag, "%s", f->etag);
    if (gz)
        snprintf(etag + 17, sizeof etag - 17, "-gz\"");
    if (not_modified(conn, etag))
        return send_not_modified(srv, conn, ctx, etag, cc);
    size_t len = gz ? f->gzip_len : f->len;
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, gz ? f->gzip : f->body, MHD_RESPMEM_PERSISTENT);
    if (r) {
        if (gz)
            MHD_add_response_header(r, "Content-Encoding", "gzip");
        MHD_add_response_header(r, "Content-Type", f->content_type);
        if (strncmp(f->content_type, "text/html", 9) == 0)
            MHD_add_response_header(r, "Content-Security-Policy", DASHBOARD_CSP);
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", cc);
        MHD_add_response_header(r, "Vary", "Accept-Encoding");
    }
    return queue(srv, conn, ctx, r, 200, len);
}

static enum MHD_Result send_export(struct server *srv, struct MHD_Connection *conn,
                                   struct request_ctx *ctx, struct export_stream *x)
{
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, export_read, x, export_free);
    if (!r) {
        export_free(x);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "application/x-ndjson; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    return queue(srv, conn, ctx, r, 200, 0);
}

/* CORS preflight: any resource may be read from any allowed origin. */
static enum MHD_Result send_preflight(struct server *srv, struct MHD_Connection *conn,
                                      struct request_ctx *ctx)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (r) {
        const char *asked =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Access-Control-Request-Headers");
        bool echo = asked && strlen(asked) < 256 && utf8_valid(asked, strlen(asked));
        MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        MHD_add_response_header(r, "Access-Control-Allow-Headers",
                                echo ? asked
                                     : "If-None-Match, X-Request-Id, Accept, Accept-Encoding");
        MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
        MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
    }
    return queue(srv, conn, ctx, r, 204, 0);
}

/* ---- dispatch --------------------------------------------------------------------------- */

static void run_handler(struct server *srv, const struct route *route, struct request *req,
                        struct reply *rep)
{
    struct store *store = current_store(srv);
    struct store_conn *db = NULL;
    char *err = NULL;
    req->store = store;
    if (route->needs_store && !store) {
        reply_problem(rep, 503, "the corpus is still loading");
    } else if (route->needs_store && !(db = store_acquire(store, &err))) {
        log_msg(LOG_ERROR, "store: %s", err ? err : "cannot open a connection");
        reply_problem(rep, 503, "the store is unavailable");
    } else {
        req->db = db;
        route->handler(req, rep);
        if (rep->status < 300 && !rep->cache_control)
            rep->cache_control = route->cache_control;
    }
    free(err);
    store_release(db);
    if (store)
        store_unref(store);
}

static void reply_text(struct reply *rep, char *body, size_t len, const char *type)
{
    rep->status = body ? 200 : 500;
    rep->body = body;
    rep->body_len = body ? len : 0;
    rep->content_type = type;
    rep->cache_control = "no-store";
}

/* Endpoints that belong to the server itself rather than to the API's resources. */
static bool serve_builtin(struct server *srv, const char *url, struct request_ctx *ctx,
                          struct reply *rep)
{
    if (strcmp(url, "/readyz") == 0 && atomic_load(&srv->draining)) {
        reply_problem(rep, 503, "shutting down");
        return true;
    }
    if (strcmp(url, "/metrics") == 0) {
        ctx->label = srv->n_routes + LABEL_METRICS;
        struct store *store = current_store(srv);
        size_t len = 0;
        char *body = metrics_render(srv->metrics, store, &len);
        if (store)
            store_unref(store);
        reply_text(rep, body, len, "text/plain; version=0.0.4; charset=utf-8");
        return true;
    }
    if (strcmp(url, "/openapi.json") == 0) {
        ctx->label = srv->n_routes + LABEL_OPENAPI;
        char *body = strdup(openapi_json);
        reply_text(rep, body, body ? strlen(body) : 0, "application/json; charset=utf-8");
        rep->cache_control = "public, max-age=300";
        return true;
    }
    return false;
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
    struct store *store = current_store(srv);
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
           strcmp(url, "/metrics") == 0 || strcmp(url, "/openapi.json") == 0;
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
    bool builtin =
        !route && !f && (strcmp(url, "/metrics") == 0 || strcmp(url, "/openapi.json") == 0);
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
        serve_builtin(srv, url, ctx, rep);
        return;
    }
    ctx->label = router_index(route);
    if (strcmp(url, "/readyz") == 0 && serve_builtin(srv, url, ctx, rep))
        return; /* draining */
    struct arg_scan scan = {&req, route, rep};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &scan);
    if (!rep->status)
        run_with_format(srv, route, &req, rep, export);
}

/* A declared body over the limit is refused before it is read (in the first call: the
 * connection closes after the answer, which is what a refused upload wants). */
static bool declares_large_body(struct MHD_Connection *conn)
{
    const char *declared = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    return declared && strtoull(declared, NULL, 10) > MAX_BODY_BYTES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version, (void)upload_data;
    struct server *srv = cls;
    struct request_ctx *ctx = *con_cls;
    if (!ctx)
        return MHD_NO;
    if (!ctx->started) {
        start_request(srv, conn, ctx, method);
        if (!declares_large_body(conn))
            return MHD_YES;
        ctx->answered = true;
        struct reply rep = {0};
        reply_problem(&rep, 413, "request bodies are not accepted (at most %d bytes are read)",
                      MAX_BODY_BYTES);
        return send_reply(srv, conn, ctx, &rep);
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
        return send_preflight(srv, conn, ctx);
    struct cached_reply *cached = cache_lookup(srv, conn, ctx, method);
    if (cached)
        return send_cached(srv, conn, ctx, cached);
    struct reply rep = {0};
    const struct static_file *file = NULL;
    struct export_stream *export = NULL;
    dispatch(srv, conn, ctx, url, method, &rep, &file, &export);
    if (export)
        return send_export(srv, conn, ctx, export);
    return file ? send_static(srv, conn, ctx, file) : send_reply(srv, conn, ctx, &rep);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    struct request_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    struct conn_slot *slot = connection_slot(conn);
    if (slot && slot->pending == ctx)
        slot->pending = NULL;
    unsigned long long us = elapsed_us(&ctx->start);
    if (ctx->started) {
        struct access_entry e = {ctx->request_id, ctx->fwd.client_ip, ctx->method, ctx->target,
                                 ctx->status,     ctx->bytes,         us};
        log_access(&e);
    }
    metrics_request_done(ctx->srv->metrics, ctx->label, ctx->status, us);
    free(ctx);
    *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(struct conn_slot));
        return;
    }
    struct conn_slot *slot = *socket_context;
    if (slot && slot->pending)
        on_completed(NULL, conn, &slot->pending, MHD_REQUEST_TERMINATED_WITH_ERROR);
    free(slot);
    *socket_context = NULL;
}

/* ---- lifetime --------------------------------------------------------------------------- */

static struct MHD_Daemon *start_daemon(struct server *srv, char **err)
{
    const struct config *cfg = srv->cfg;
    struct sockaddr_in sin = {0};
    struct sockaddr_in6 sin6 = {0};
    const struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    if (inet_pton(AF_INET, cfg->listen_host, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        sin.sin_port = htons(cfg->listen_port);
        addr = (const struct sockaddr *)&sin;
    } else {
        inet_pton(AF_INET6, cfg->listen_host, &sin6.sin6_addr);
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons(cfg->listen_port);
        addr = (const struct sockaddr *)&sin6;
        flags |= MHD_USE_IPv6;
    }
    /* A pool of >= 2 threads: one epoll thread stalls at multiples of 128 connections (NOTES). */
    unsigned threads = cfg->threads < 2 ? 2 : cfg->threads;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, cfg->listen_port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->timeout_seconds, MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)MHD_MEMORY_LIMIT, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        srv, MHD_OPTION_END); /* no SO_REUSEPORT: a second server on the port must fail */
    if (!d && asprintf(err, "cannot listen on %s", cfg->listen) < 0)
        *err = NULL;
    return d;
}

static bool init_labels(struct server *srv)
{
    static const char *const extra[EXTRA_LABELS] = {"/metrics", "/openapi.json", "static",
                                                    "unmatched"};
    srv->n_routes = router_count();
    srv->labels = calloc(srv->n_routes + EXTRA_LABELS, sizeof *srv->labels);
    if (!srv->labels)
        return false;
    for (size_t i = 0; i < srv->n_routes; i++)
        srv->labels[i] = router_pattern(i);
    for (size_t i = 0; i < EXTRA_LABELS; i++)
        srv->labels[srv->n_routes + i] = extra[i];
    srv->metrics = metrics_new(srv->labels, srv->n_routes + EXTRA_LABELS);
    return srv->metrics != NULL;
}

static void server_free(struct server *srv)
{
    respcache_free(srv->cache);
    metrics_free(srv->metrics);
    free(srv->labels);
    static_free(srv->web);
    pthread_mutex_destroy(&srv->store_lock);
    free(srv);
}

struct server *server_start(const struct config *cfg, char **err)
{
    *err = NULL;
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return NULL;
    srv->cfg = cfg;
    pthread_mutex_init(&srv->store_lock, NULL);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    srv->boot_nonce = (unsigned long long)ts.tv_sec * 1000003ULL ^ (unsigned long long)ts.tv_nsec;
    char *warning = NULL;
    srv->web = static_load(cfg->web_dir && *cfg->web_dir ? cfg->web_dir : NULL, &warning);
    if (warning)
        log_msg(LOG_WARN, "%s", warning);
    free(warning);
    srv->cache = respcache_new(cfg->response_cache_mb);
    if (!srv->web || !init_labels(srv) || !(srv->daemon = start_daemon(srv, err))) {
        server_free(srv);
        return NULL;
    }
    return srv;
}

void server_stop(struct server *srv)
{
    if (!srv)
        return;
    /* Stop accepting, then give in-flight requests a bounded time to finish; meanwhile /readyz
     * says 503 and every answer closes its connection, so proxies move to other replicas. */
    atomic_store(&srv->draining, true);
    MHD_socket listener = MHD_quiesce_daemon(srv->daemon);
    /* New connections are refused now; the socket is closed only after MHD_stop_daemon, since
     * its threads may still use it (microhttpd.h; ThreadSanitizer saw the race). */
    if (listener != MHD_INVALID_SOCKET)
        shutdown(listener, SHUT_RDWR);
    for (unsigned i = 0;
         i < srv->cfg->shutdown_seconds * 100 && metrics_in_flight(srv->metrics) > 0; i++)
        usleep(10 * 1000);
    MHD_stop_daemon(srv->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    server_set_store(srv, NULL);
    server_free(srv);
}
