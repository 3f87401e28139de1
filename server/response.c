/*
 * response.c — the one send path (see response.h). Every answer the server gives, whatever
 * made it (a handler, the response cache, a dashboard file, an export stream, a preflight, a
 * 304), is described by a struct response and queued here, so the headers every response
 * carries are added in one place.
 */
#include "response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "compress.h"
#include "conditional.h"
#include "cors.h"
#include "respcache_http.h"

void response_add(struct response *r, const char *name, const char *value)
{
    if (r->n_extra < RESPONSE_MAX_EXTRA) {
        r->extra[r->n_extra][0] = name;
        r->extra[r->n_extra][1] = value;
        r->n_extra++;
    }
}

/* The library's response for r's body; on failure the body is released here. */
static struct MHD_Response *make_response(const struct response *r)
{
    struct MHD_Response *m = NULL;
    switch (r->kind) {
    case BODY_NONE:
        return MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    case BODY_PERSISTENT:
        return MHD_create_response_from_buffer(r->len, (void *)r->body, MHD_RESPMEM_PERSISTENT);
    case BODY_MALLOC:
        m = MHD_create_response_from_buffer(r->len, (void *)r->body, MHD_RESPMEM_MUST_FREE);
        if (!m)
            free((void *)r->body);
        return m;
    case BODY_SHARED:
        m = MHD_create_response_from_buffer_with_free_callback_cls(r->len, (void *)r->body,
                                                                   r->release, r->release_cls);
        break;
    case BODY_STREAM:
        m = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, r->reader,
                                              r->release_cls, r->release);
        break;
    }
    if (!m && r->release)
        r->release(r->release_cls);
    return m;
}

static void add_described_headers(struct MHD_Response *m, const struct response *r)
{
    if (r->content_type)
        MHD_add_response_header(m, "Content-Type", r->content_type);
    if (r->content_encoding)
        MHD_add_response_header(m, "Content-Encoding", r->content_encoding);
    if (r->vary_encoding)
        MHD_add_response_header(m, "Vary", "Accept-Encoding");
    if (r->etag)
        MHD_add_response_header(m, "ETag", r->etag);
    if (r->cache_control)
        MHD_add_response_header(m, "Cache-Control", r->cache_control);
    if (r->link_next) {
        char link[8300];
        snprintf(link, sizeof link, "<%s>; rel=\"next\"", r->link_next);
        MHD_add_response_header(m, "Link", link);
    }
    for (size_t i = 0; i < r->n_extra; i++)
        MHD_add_response_header(m, r->extra[i][0], r->extra[i][1]);
}

enum MHD_Result response_send(struct server *srv, struct MHD_Connection *conn,
                              struct request_ctx *ctx, const struct response *r)
{
    struct MHD_Response *m = make_response(r);
    if (!m)
        return MHD_NO;
    add_described_headers(m, r);
    cors_add_headers(m, srv->cfg->cors_origin);
    MHD_add_response_header(m, "X-Request-Id", ctx->request_id);
    MHD_add_response_header(m, "X-Content-Type-Options", "nosniff");
    /* Draining: proxies should move on. Answered before reading a large body: the rest of it
     * is not read, so the connection cannot be reused. */
    if (atomic_load(&srv->draining) || ctx->answered)
        MHD_add_response_header(m, "Connection", "close");
    ctx->status = r->status;
    ctx->bytes = r->kind == BODY_STREAM ? 0 : r->len;
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, m);
    MHD_destroy_response(m);
    return ret;
}

enum MHD_Result response_send_not_modified(struct server *srv, struct MHD_Connection *conn,
                                           struct request_ctx *ctx, const char *etag,
                                           const char *cache_control)
{
    struct response r = {.status = 304,
                         .kind = BODY_NONE,
                         .etag = etag,
                         .cache_control = cache_control,
                         .vary_encoding = true};
    return response_send(srv, conn, ctx, &r);
}

bool response_wants_gzip(struct MHD_Connection *conn)
{
    return compress_accepts_gzip(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Encoding"));
}

static void drop_reply(struct reply *rep)
{
    free(rep->body);
    free(rep->link_next);
    free(rep->location);
    rep->body = NULL;
    rep->link_next = NULL;
    rep->location = NULL;
}

enum MHD_Result response_send_reply(struct server *srv, struct MHD_Connection *conn,
                                    struct request_ctx *ctx, struct reply *rep)
{
    struct cached_reply *cached = respcache_http_store(srv, ctx, rep);
    if (cached)
        return respcache_http_send(srv, conn, ctx, cached);
    const char *cc = rep->cache_control ? rep->cache_control : "no-store";
    bool gzip = rep->body_len >= COMPRESS_MIN_BYTES && response_wants_gzip(conn);
    char identity[ETAG_SIZE], etag[ETAG_SIZE];
    etag_of_body(identity, rep->body, rep->body_len);
    etag_for_encoding(etag, identity, gzip);
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    if (rep->status == 200 && etag_none_match(inm, etag)) {
        drop_reply(rep);
        return response_send_not_modified(srv, conn, ctx, etag, cc);
    }
    size_t gz_len = 0;
    char *gz = gzip ? compress_gzip(rep->body, rep->body_len, &gz_len) : NULL;
    if (gz) {
        free(rep->body);
        rep->body = gz;
        rep->body_len = gz_len;
    } else if (gzip) {
        memcpy(etag, identity, sizeof etag); /* not smaller compressed: sent as is */
    }
    struct response r = {.status = rep->status,
                         .kind = BODY_MALLOC,
                         .body = rep->body,
                         .len = rep->body_len,
                         .content_type = rep->content_type,
                         .content_encoding = gz ? "gzip" : NULL,
                         .etag = rep->status == 200 ? etag : NULL,
                         .cache_control = cc,
                         .link_next = rep->link_next,
                         .vary_encoding = true};
    if (rep->status == 405)
        response_add(&r, "Allow", "GET, HEAD, OPTIONS");
    if (rep->status == 503)
        response_add(&r, "Retry-After", "1");
    if (rep->location) /* a moved entity id: 301 to where it lives now */
        response_add(&r, "Location", rep->location);
    rep->body = NULL;
    enum MHD_Result ret = response_send(srv, conn, ctx, &r);
    drop_reply(rep);
    return ret;
}

/* The one exception to response_send: a request libmicrohttpd 0.9.75 cannot hold (its query
 * arguments overflow the connection's memory pool) is never handed to the access handler and
 * would wait silently for the timeout. The URI callback sees it first, so the answer is written
 * to the socket from there and the connection shut down; the library then closes it. */
void response_refuse_raw(struct server *srv, struct MHD_Connection *conn, struct request_ctx *ctx,
                         int status, const char *detail)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    struct reply rep = {0};
    reply_problem(&rep, status, "%s", detail);
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nConnection: close\r\nContent-Type: %s\r\n"
                     "Content-Length: %zu\r\nCache-Control: no-store\r\n"
                     "Access-Control-Allow-Origin: %s\r\nX-Content-Type-Options: nosniff\r\n"
                     "X-Request-Id: %s\r\n\r\n",
                     status, reply_status_title(status), rep.content_type, rep.body_len,
                     srv->cfg->cors_origin, ctx->request_id);
    if (ci && n > 0 && (size_t)n < sizeof head) {
        /* A few hundred bytes on a connection that has sent nothing else since its last answer
         * was complete: the socket buffer takes them at once. */
        if (send(ci->connect_fd, head, (size_t)n, MSG_NOSIGNAL | MSG_MORE) == n)
            send(ci->connect_fd, rep.body, rep.body_len, MSG_NOSIGNAL);
        shutdown(ci->connect_fd, SHUT_RDWR);
    }
    ctx->status = status;
    ctx->bytes = rep.body_len;
    ctx->refused_raw = true;
    free(rep.body);
}
