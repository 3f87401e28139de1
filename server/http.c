/*
 * http.c — libmicrohttpd glue. Follows the library's two-call contract: the first call for a
 * request only allocates its context (answering there would cost keep-alive), the second
 * answers. Every response gets Content-Type, ETag, Cache-Control, CORS and X-Request-Id; a
 * matching If-None-Match gets 304.
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

#include "ingest/utf8.h"
#include "log.h"
#include "router.h"

struct server {
    const struct config *cfg;
    struct MHD_Daemon *daemon;
    pthread_mutex_t store_lock;
    struct store *store;
    atomic_ullong next_request;
    unsigned long long boot_nonce;
};

/* Per-request state, from the first call of the access handler to the completion callback. */
struct request_ctx {
    struct timespec start;
    char request_id[72];
    int status;
    size_t bytes;
    char method[16];
    char path[512];
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

void server_set_store(struct server *srv, struct store *st)
{
    pthread_mutex_lock(&srv->store_lock);
    struct store *old = srv->store;
    srv->store = st;
    pthread_mutex_unlock(&srv->store_lock);
    store_unref(old);
}

/* ---- request ids ------------------------------------------------------------------------ */

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

static void assign_request_id(struct server *srv, struct MHD_Connection *conn,
                              struct request_ctx *ctx)
{
    const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (given && valid_request_id(given)) {
        snprintf(ctx->request_id, sizeof ctx->request_id, "%s", given);
        return;
    }
    unsigned long long n = atomic_fetch_add(&srv->next_request, 1);
    snprintf(ctx->request_id, sizeof ctx->request_id, "%08llx-%010llx",
             srv->boot_nonce & 0xffffffffULL, n);
}

/* ---- query arguments -------------------------------------------------------------------- */

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
    MHD_add_response_header(r, "Access-Control-Expose-Headers", "ETag, X-Request-Id");
    MHD_add_response_header(r, "X-Request-Id", ctx->request_id);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

static enum MHD_Result send_reply(struct server *srv, struct MHD_Connection *conn,
                                  struct request_ctx *ctx, struct reply *rep)
{
    char etag[24];
    snprintf(etag, sizeof etag, "\"%016llx\"", fnv1a64(rep->body, rep->body_len));
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    bool not_modified = rep->status == 200 && inm && (strstr(inm, etag) || strcmp(inm, "*") == 0);
    struct MHD_Response *r;
    if (not_modified) {
        r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        free(rep->body);
        rep->status = 304;
        rep->body_len = 0;
    } else {
        r = MHD_create_response_from_buffer(rep->body_len, rep->body, MHD_RESPMEM_MUST_FREE);
    }
    rep->body = NULL;
    if (!r)
        return MHD_NO;
    if (!not_modified)
        MHD_add_response_header(r, "Content-Type", rep->content_type);
    if (rep->status == 200 || not_modified)
        MHD_add_response_header(r, "ETag", etag);
    MHD_add_response_header(r, "Cache-Control", rep->cache_control ? rep->cache_control : "no-store");
    if (rep->status == 405)
        MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
    add_common_headers(srv, r, ctx);
    ctx->status = rep->status;
    ctx->bytes = rep->body_len;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)rep->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* CORS preflight: any route may be read from any allowed origin. */
static enum MHD_Result send_preflight(struct server *srv, struct MHD_Connection *conn,
                                      struct request_ctx *ctx)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    const char *req_headers =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Access-Control-Request-Headers");
    MHD_add_response_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    MHD_add_response_header(r, "Access-Control-Allow-Headers",
                            req_headers && strlen(req_headers) < 256 && utf8_valid(req_headers, strlen(req_headers))
                                ? req_headers
                                : "If-None-Match, X-Request-Id, Accept, Accept-Encoding");
    MHD_add_response_header(r, "Access-Control-Max-Age", "86400");
    MHD_add_response_header(r, "Allow", "GET, HEAD, OPTIONS");
    add_common_headers(srv, r, ctx);
    ctx->status = 204;
    enum MHD_Result ret = MHD_queue_response(conn, 204, r);
    MHD_destroy_response(r);
    return ret;
}

/* ---- dispatch --------------------------------------------------------------------------- */

static void run_handler(struct server *srv, const struct route *route, struct request *req,
                        struct reply *rep)
{
    struct store *store = route->needs_store || route->handler ? current_store(srv) : NULL;
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

static void dispatch(struct server *srv, struct MHD_Connection *conn, const char *url,
                     const char *method, struct reply *rep)
{
    char buf[1024];
    struct request req = {.method = method, .path = url, .base_path = ""};
    if (!utf8_valid(url, strlen(url))) {
        reply_problem(rep, 400, "the request path is not valid UTF-8");
        return;
    }
    const struct route *route = router_match(url, buf, sizeof buf, req.params, &req.n_params);
    if (!route) {
        reply_problem(rep, 404, "no resource at this path; see /openapi.json for the API");
        return;
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        reply_problem(rep, 405, "%s is not allowed here; use GET or HEAD", method);
        return;
    }
    struct arg_scan scan = {&req, route, rep};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &scan);
    if (rep->status)
        return;
    run_handler(srv, route, &req, rep);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version, (void)upload_data;
    struct server *srv = cls;
    struct request_ctx *ctx = *con_cls;
    if (!ctx) {
        if (!(ctx = calloc(1, sizeof *ctx)))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &ctx->start);
        snprintf(ctx->method, sizeof ctx->method, "%s", method);
        snprintf(ctx->path, sizeof ctx->path, "%s", utf8_valid(url, strlen(url)) ? url : "(invalid)");
        assign_request_id(srv, conn, ctx);
        *con_cls = ctx;
        return MHD_YES;
    }
    if (*upload_data_size) { /* a body on GET is read and ignored */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (strcmp(method, "OPTIONS") == 0 && router_match(url, (char[1024]){0}, 1024,
                                                       (const char *[4]){0}, &(size_t){0}))
        return send_preflight(srv, conn, ctx);
    struct reply rep = {0};
    dispatch(srv, conn, url, method, &rep);
    return send_reply(srv, conn, ctx, &rep);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)toe;
    struct request_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    char ip[INET6_ADDRSTRLEN] = "-";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, ip, sizeof ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, ip, sizeof ip);
    }
    struct access_entry e = {ctx->request_id, ip, ctx->method, ctx->path, ctx->status,
                             ctx->bytes, elapsed_us(&ctx->start)};
    log_access(&e);
    free(ctx);
    *con_cls = NULL;
}

/* ---- lifetime --------------------------------------------------------------------------- */

static struct MHD_Daemon *start_daemon(struct server *srv, char **err)
{
    const struct config *cfg = srv->cfg;
    struct sockaddr_in sin = {0};
    struct sockaddr_in6 sin6 = {0};
    const struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
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
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!d && asprintf(err, "cannot listen on %s", cfg->listen) < 0)
        *err = NULL;
    return d;
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
    if (!(srv->daemon = start_daemon(srv, err))) {
        pthread_mutex_destroy(&srv->store_lock);
        free(srv);
        return NULL;
    }
    return srv;
}

void server_stop(struct server *srv)
{
    if (!srv)
        return;
    MHD_stop_daemon(srv->daemon);
    server_set_store(srv, NULL);
    pthread_mutex_destroy(&srv->store_lock);
    free(srv);
}
