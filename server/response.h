/*
 * response.h — the one way the server sends a response. A struct response says what goes out
 * (body and who owns it, type, encoding, ETag, caching, Link, extra headers); response_send adds
 * what every answer carries (CORS, X-Request-Id, nosniff, Connection: close when draining or
 * after a refused upload), queues it and records status and size for the access log.
 */
#ifndef SERVER_RESPONSE_H
#define SERVER_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "handlers/request.h"
#include "server.h"

enum response_body {
    BODY_NONE,       /* no body (204, 304) */
    BODY_PERSISTENT, /* outlives the response (static files, fixed texts) */
    BODY_MALLOC,     /* malloc'd; freed by the response */
    BODY_SHARED,     /* released with release(release_cls) when the response is done */
    BODY_STREAM      /* produced by reader(release_cls, …) while sending; release frees it */
};

#define RESPONSE_MAX_EXTRA 5

struct response {
    int status;
    enum response_body kind;
    const char *body;
    size_t len;
    ssize_t (*reader)(void *cls, uint64_t pos, char *buf, size_t max); /* BODY_STREAM */
    void (*release)(void *cls);                                        /* SHARED, STREAM */
    void *release_cls;
    const char *content_type;                 /* NULL: none */
    const char *content_encoding;             /* "gzip" or NULL */
    const char *etag;                         /* NULL: none */
    const char *cache_control;                /* NULL: none */
    const char *link_next;                    /* a URL for Link: <…>; rel="next", or NULL */
    bool vary_encoding;                       /* Vary: Accept-Encoding */
    const char *extra[RESPONSE_MAX_EXTRA][2]; /* more headers, name and value */
    size_t n_extra;
};

/* Adds one more header to r (ignored past RESPONSE_MAX_EXTRA). */
void response_add(struct response *r, const char *name, const char *value);
/* Sends r. The body is released on every path, also when the response cannot be made. */
enum MHD_Result response_send(struct server *srv, struct MHD_Connection *conn,
                              struct request_ctx *ctx, const struct response *r);
/* A 304 for etag (the headers a 200 would have had that matter to caches). */
enum MHD_Result response_send_not_modified(struct server *srv, struct MHD_Connection *conn,
                                           struct request_ctx *ctx, const char *etag,
                                           const char *cache_control);
/* A handler's reply (body taken over): cached when it may be shared, else ETag, 304, gzip. */
enum MHD_Result response_send_reply(struct server *srv, struct MHD_Connection *conn,
                                    struct request_ctx *ctx, struct reply *rep);
/* Answers status with a problem (detail) straight on the socket and shuts it down: only for a
 * request libmicrohttpd cannot hold, from the URI callback (see response.c). */
void response_refuse_raw(struct server *srv, struct MHD_Connection *conn, struct request_ctx *ctx,
                         int status, const char *detail);
/* Does the client accept a gzip body? */
bool response_wants_gzip(struct MHD_Connection *conn);

#endif
