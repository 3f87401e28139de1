/*
 * respcache_http.h — the response cache (respcache.h) seen from HTTP: which requests may be
 * answered from it, what goes into it, and sending an entry (shared, not copied; gzip made once).
 */
#ifndef SERVER_RESPCACHE_HTTP_H
#define SERVER_RESPCACHE_HTTP_H

#include "handlers/request.h"
#include "respcache.h"
#include "server.h"

/* The cached response for this GET/HEAD target, or NULL (then ctx holds the key for
 * respcache_http_store). */
struct cached_reply *respcache_http_lookup(struct server *srv, struct MHD_Connection *conn,
                                           struct request_ctx *ctx, const char *method);
/* Moves a cacheable reply (a 200 that may be shared: "public") into the cache; the entry with a
 * reference, or NULL when it was not cached (rep untouched). */
struct cached_reply *respcache_http_store(struct server *srv, struct request_ctx *ctx,
                                          struct reply *rep);
/* Sends e (its reference is given up here). */
enum MHD_Result respcache_http_send(struct server *srv, struct MHD_Connection *conn,
                                    struct request_ctx *ctx, struct cached_reply *e);

#endif
