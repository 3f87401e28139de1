/*
 * access_log.c — a request's life as libmicrohttpd reports it: the URI callback allocates the
 * request context (and keeps a printable copy of the target), the first access-handler call
 * names the request (X-Request-Id) and resolves forwarded headers, and the completion callback
 * writes the access-log line and the metrics, then frees the context.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "handlers/request.h"
#include "metrics.h"
#include "response.h"
#include "server.h"

#define WORKER_NICENESS 5

static unsigned long long elapsed_us(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (unsigned long long)(now.tv_sec - since->tv_sec) * 1000000ULL +
           (unsigned long long)((now.tv_nsec - since->tv_nsec) / 1000);
}

/* libmicrohttpd 0.9.75 never calls the completion callback for a request whose query arguments
 * overflow the connection's memory pool (e.g. 10 000 parameters; it answers nothing and closes
 * on timeout): each connection remembers its unfinished request, finished when it closes. */
struct conn_slot {
    void *pending; /* struct request_ctx between access_on_uri and access_on_completed */
};

static struct conn_slot *connection_slot(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT) : NULL;
    return ci ? ci->socket_context : NULL;
}

/* The client address for a request whose headers were never read (the peer itself). */
static void peer_only(struct request_ctx *ctx, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *peer =
        conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS) : NULL;
    forwarded_resolve(&ctx->srv->cfg->trusted_proxies, peer ? peer->client_addr : NULL, NULL, NULL,
                      NULL, &ctx->fwd);
}

static size_t count_params(const char *uri)
{
    const char *q = strchr(uri, '?');
    size_t n = q ? 1 : 0;
    for (const char *p = q; p && *p; p++)
        n += *p == '&';
    return n;
}

static void new_request_id(struct server *srv, struct request_ctx *ctx)
{
    unsigned long long n = atomic_fetch_add(&srv->next_request, 1);
    snprintf(ctx->request_id, sizeof ctx->request_id, "%08llx-%010llx",
             srv->boot_nonce & 0xffffffffULL, n);
}

/* The answer the request would have had (414 for its length, else 400 for its parameters),
 * given before the library fails to hold it. */
static void refuse_unholdable(struct server *srv, struct MHD_Connection *conn,
                              struct request_ctx *ctx)
{
    char detail[160];
    new_request_id(srv, ctx);
    peer_only(ctx, conn);
    snprintf(ctx->method, sizeof ctx->method, "-");
    if (ctx->uri_len > MAX_URI_BYTES)
        snprintf(detail, sizeof detail, "the request target is longer than %d bytes",
                 MAX_URI_BYTES);
    else
        snprintf(detail, sizeof detail, "too many query parameters (at most %d)", QUERY_MAX_ARGS);
    response_refuse_raw(srv, conn, ctx, ctx->uri_len > MAX_URI_BYTES ? 414 : 400, detail);
    metrics_count(srv->metrics, METRIC_UNHOLDABLE);
}

void *access_on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
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
    if (count_params(uri) > MAX_HELD_PARAMS)
        refuse_unholdable(srv, conn, ctx);
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

void access_start(struct server *srv, struct MHD_Connection *conn, struct request_ctx *ctx,
                  const char *method)
{
    ctx->started = true;
    snprintf(ctx->method, sizeof ctx->method, "%s", method);
    const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    if (given && valid_request_id(given)) {
        snprintf(ctx->request_id, sizeof ctx->request_id, "%s", given);
    } else {
        new_request_id(srv, ctx);
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    forwarded_resolve(&srv->cfg->trusted_proxies, ci ? ci->client_addr : NULL,
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For"),
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto"),
                      MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Prefix"),
                      &ctx->fwd);
}

/* A request that never reached the access handler: libmicrohttpd answered it itself (a malformed
 * request line or header, HTTP/1.1 without Host, a request too large for its memory pool) or
 * the connection closed first. It is logged and counted like any other, with the status the
 * library sent (0: none, "closed" in /metrics). */
static void library_answered(struct request_ctx *ctx, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        conn ? MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS) : NULL;
    ctx->status = ci ? (int)ci->http_status : 0;
    snprintf(ctx->method, sizeof ctx->method, "-");
    snprintf(ctx->request_id, sizeof ctx->request_id, "-");
    peer_only(ctx, conn);
    if (ctx->status)
        metrics_count(ctx->srv->metrics, METRIC_LIBRARY_REJECTED);
}

void access_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)toe;
    struct request_ctx *ctx = *con_cls;
    if (!ctx)
        return;
    struct conn_slot *slot = connection_slot(conn);
    if (slot && slot->pending == ctx)
        slot->pending = NULL;
    unsigned long long us = elapsed_us(&ctx->start);
    if (!ctx->started && !ctx->refused_raw)
        library_answered(ctx, conn);
    struct access_entry e = {ctx->request_id, ctx->fwd.client_ip, ctx->method, ctx->target,
                             ctx->status,     ctx->bytes,         us};
    log_access(&e);
    metrics_request_done(ctx->srv->metrics, ctx->label, ctx->status, us);
    free(ctx);
    *con_cls = NULL;
}

/* With a health listener, the main daemon's workers run at a lower priority than its thread
 * (this callback runs in the worker that accepted the connection): on a CPU-starved machine
 * probes are still answered at once, while data work only yields when a probe is waiting.
 * Raising a thread's niceness needs no privilege. */
static void connection_event(struct server *srv, bool worker, struct MHD_Connection *conn,
                             void **socket_context, enum MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(struct conn_slot));
        if (worker && srv->cfg->health_listen) /* relative to the process (main thread) */
            setpriority(PRIO_PROCESS, (id_t)gettid(),
                        getpriority(PRIO_PROCESS, (id_t)getpid()) + WORKER_NICENESS);
        return;
    }
    struct conn_slot *slot = *socket_context;
    if (slot && slot->pending)
        access_on_completed(NULL, conn, &slot->pending, MHD_REQUEST_TERMINATED_WITH_ERROR);
    free(slot);
    *socket_context = NULL;
}

void access_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    connection_event(cls, true, conn, socket_context, code);
}

void access_on_health_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                                 enum MHD_ConnectionNotificationCode code)
{
    connection_event(cls, false, conn, socket_context, code);
}
