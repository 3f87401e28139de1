/*
 * http.c — the HTTP daemon: starting libmicrohttpd (epoll, a thread pool, limits and the
 * callbacks of the other server/ files, see server.h), the store being served, and a graceful
 * stop.
 */
#include "http.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "handlers/request.h"
#include "metrics.h"
#include "response.h"
#include "respcache.h"
#include "router.h"
#include "server.h"
#include "static.h"

#define MHD_MEMORY_LIMIT (128 * 1024) /* above the URI and header limits, so we answer them */

struct store *server_current_store(struct server *srv)
{
    pthread_mutex_lock(&srv->store_lock);
    struct store *s = srv->store ? store_ref(srv->store) : NULL;
    pthread_mutex_unlock(&srv->store_lock);
    return s;
}

struct store *server_store(struct server *srv)
{
    return server_current_store(srv);
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

/* ---- lifetime --------------------------------------------------------------------------- */

/* addr of host:port, in whichever of sin/sin6 fits; *flags gains MHD_USE_IPv6 for IPv6. */
static const struct sockaddr *listen_addr(const char *host, unsigned short port,
                                          struct sockaddr_in *sin, struct sockaddr_in6 *sin6,
                                          unsigned *flags)
{
    if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        return (const struct sockaddr *)sin;
    }
    inet_pton(AF_INET6, host, &sin6->sin6_addr);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    *flags |= MHD_USE_IPv6;
    return (const struct sockaddr *)sin6;
}

static struct MHD_Daemon *start_daemon(struct server *srv, char **err)
{
    const struct config *cfg = srv->cfg;
    struct sockaddr_in sin = {0};
    struct sockaddr_in6 sin6 = {0};
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
    const struct sockaddr *addr =
        listen_addr(cfg->listen_host, cfg->listen_port, &sin, &sin6, &flags);
    /* A pool of >= 2 threads: one epoll thread stalls at multiples of 128 connections (NOTES).
     * Strict client mode: no spaces in the target, Host required in HTTP/1.1. */
    unsigned threads = cfg->threads < 2 ? 2 : cfg->threads;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, cfg->listen_port, NULL, NULL, dispatch_on_request, srv, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)cfg->timeout_seconds, MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)MHD_MEMORY_LIMIT, MHD_OPTION_URI_LOG_CALLBACK, access_on_uri, srv,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_NOTIFY_COMPLETED, access_on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, access_on_connection, srv,
        MHD_OPTION_END); /* no SO_REUSEPORT: a second server on the port must fail */
    if (!d && asprintf(err, "cannot listen on %s", cfg->listen) < 0)
        *err = NULL;
    return d;
}

/* The health listener (--health-listen): its own daemon and polling thread, so probes and
 * scrapes are answered while every worker of the main daemon is busy with data requests. It
 * serves /healthz, /readyz and /metrics only; none of them takes a store connection. */
static enum MHD_Result health_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                         const char *method, const char *version,
                                         const char *upload_data, size_t *upload_data_size,
                                         void **con_cls)
{
    if (strcmp(url, "/healthz") != 0 && strcmp(url, "/readyz") != 0 &&
        strcmp(url, "/metrics") != 0) {
        struct request_ctx *ctx = *con_cls;
        if (!ctx || ctx->refused_raw)
            return MHD_NO;
        if (!ctx->started) {
            access_start(cls, conn, ctx, method);
            return MHD_YES;
        }
        *upload_data_size = 0;
        struct reply rep = {0};
        reply_problem(&rep, 404, "the health listener serves /healthz, /readyz and /metrics");
        return response_send_reply(cls, conn, ctx, &rep);
    }
    return dispatch_on_request(cls, conn, url, method, version, upload_data, upload_data_size,
                               con_cls);
}

static struct MHD_Daemon *start_health_daemon(struct server *srv, char **err)
{
    const struct config *cfg = srv->cfg;
    if (!cfg->health_listen)
        return NULL;
    struct sockaddr_in sin = {0};
    struct sockaddr_in6 sin6 = {0};
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC;
    const struct sockaddr *addr =
        listen_addr(cfg->health_host, cfg->health_port, &sin, &sin6, &flags);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, cfg->health_port, NULL, NULL, health_on_request, srv, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_CONNECTION_TIMEOUT, 5u, MHD_OPTION_CONNECTION_LIMIT, 64u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024), MHD_OPTION_URI_LOG_CALLBACK,
        access_on_uri, srv, MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_NOTIFY_COMPLETED,
        access_on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, access_on_health_connection, srv,
        MHD_OPTION_END);
    if (!d && asprintf(err, "cannot listen on %s (--health-listen)", cfg->health_listen) < 0)
        *err = NULL;
    return d;
}

void server_maintain(struct server *srv)
{
    struct store *st = server_current_store(srv);
    unsigned closed = st ? store_close_idle(st) : 0;
    store_unref(st);
    /* Memory freed by a burst (connections' caches, export pages, request buffers) goes back to
     * the system once the server is idle again, not at the next burst. */
    unsigned long long done = metrics_requests_done(srv->metrics);
    if (closed > 0 || (metrics_in_flight(srv->metrics) == 0 && done != srv->done_at_trim)) {
        malloc_trim(0);
        srv->done_at_trim = done;
    }
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
    if (!srv->web || !init_labels(srv) || !(srv->daemon = start_daemon(srv, err)) ||
        (cfg->health_listen && !(srv->health = start_health_daemon(srv, err)))) {
        if (srv->daemon)
            MHD_stop_daemon(srv->daemon);
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
    if (srv->health) /* last: /readyz said 503 on it for the whole drain */
        MHD_stop_daemon(srv->health);
    server_set_store(srv, NULL);
    server_free(srv);
}
