/*
 * server.h — internal to server/: the running server and one request's state, shared by the
 * files of the HTTP layer (one per concern):
 *   http.c         the daemon: start, stop, the store being served
 *   access_log.c   a request's life from the URI callback to the completion callback (ids, log)
 *   dispatch.c     the access handler: checks, built-in endpoints, routes, formats
 *   response.c     the one way a response is sent (headers every answer carries, 304s, gzip)
 *   conditional.c  ETags (built once) and If-None-Match
 *   compress.c     the gzip encoding
 *   cors.c         CORS headers and preflight answers
 *   respcache_http.c  the response cache seen from HTTP (lookup, store, send)
 *   static.c       the dashboard's files
 */
#ifndef SERVER_SERVER_H
#define SERVER_SERVER_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "forwarded.h"
#include "store/store.h"

#define MAX_URI_BYTES 8192
#define MAX_HEADER_BYTES 16384
#define MAX_BODY_BYTES 65536 /* bodies are read and ignored up to this; larger ones get a 413 */
/* Query parameters libmicrohttpd 0.9.75 surely holds in a 128 KB connection pool: measured, it
 * holds about 1,000 with a 64 KB request line and 1,460 with 9 KB; beyond, it answers nothing
 * until the timeout. More than this is refused from the URI callback (the API reads 32). */
#define MAX_HELD_PARAMS 512

/* Metrics labels beyond the route table. */
enum { LABEL_METRICS, LABEL_OPENAPI, LABEL_STATIC, LABEL_UNMATCHED, EXTRA_LABELS };

struct server {
    const struct config *cfg;
    struct MHD_Daemon *daemon;
    struct MHD_Daemon *health; /* --health-listen, or NULL */
    pthread_mutex_t store_lock;
    struct store *store;
    atomic_ullong next_request;
    unsigned long long boot_nonce;
    struct static_files *web;
    struct metrics *metrics;
    atomic_bool draining; /* SIGTERM: /readyz says 503 and connections close after answering */
    const char **labels;
    size_t n_routes;
    struct respcache *cache;         /* rendered responses of the current store, or NULL */
    unsigned long long done_at_trim; /* requests finished at the last malloc_trim (main thread) */
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
    bool refused_raw;              /* answered from the URI callback (response_refuse_raw) */
};

/* A reference to the store being served, or NULL; the caller unrefs it. */
struct store *server_current_store(struct server *srv);

/* The sum of the request's header names and values (plus separators), for the 431 limit. */
size_t request_header_bytes(struct MHD_Connection *conn);

/* Replaces rep with the 400 that names the per-request CPU budget (budget_ms) it ran out of. */
struct reply;
void server_reply_over_budget(struct reply *rep, unsigned budget_ms);

/* ---- access_log.c: libmicrohttpd callbacks of a request's life ---- */
void *access_on_uri(void *cls, const char *uri, struct MHD_Connection *conn);
/* The first access-handler call: method, request id and forwarded headers. */
void access_start(struct server *srv, struct MHD_Connection *conn, struct request_ctx *ctx,
                  const char *method);
void access_on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe);
void access_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code);
/* The same for the health listener's connections (whose thread keeps its priority). */
void access_on_health_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                                 enum MHD_ConnectionNotificationCode code);

/* ---- dispatch.c: the access handler ---- */
enum MHD_Result dispatch_on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                    const char *method, const char *version,
                                    const char *upload_data, size_t *upload_data_size,
                                    void **con_cls);

#endif
