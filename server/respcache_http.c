/*
 * respcache_http.c — answering from the response cache (see respcache_http.h).
 */
#include "respcache_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compress.h"
#include "conditional.h"
#include "response.h"

/* Requests whose headers are too large go the normal way (to get their 431). */
struct cached_reply *respcache_http_lookup(struct server *srv, struct MHD_Connection *conn,
                                           struct request_ctx *ctx, const char *method)
{
    if (!srv->cache || !ctx->target_exact || (strcmp(method, "GET") && strcmp(method, "HEAD")))
        return NULL;
    if (request_header_bytes(conn) > MAX_HEADER_BYTES)
        return NULL;
    int n =
        snprintf(ctx->cache_key, sizeof ctx->cache_key, "%s\x1f%s", ctx->target, ctx->fwd.prefix);
    ctx->cache_key_len = n > 0 && (size_t)n < sizeof ctx->cache_key ? (size_t)n : 0;
    ctx->cache_gen = respcache_generation(srv->cache);
    return ctx->cache_key_len ? respcache_get(srv->cache, ctx->cache_key, ctx->cache_key_len)
                              : NULL;
}

struct cached_reply *respcache_http_store(struct server *srv, struct request_ctx *ctx,
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

static void release_cached(void *cls)
{
    respcache_release(cls);
}

/* A 304 needs no body; the gzip body was made once for every request. */
enum MHD_Result respcache_http_send(struct server *srv, struct MHD_Connection *conn,
                                    struct request_ctx *ctx, struct cached_reply *e)
{
    ctx->label = e->label;
    size_t gz_len = 0;
    char *gz = e->body_len >= COMPRESS_MIN_BYTES && response_wants_gzip(conn)
                   ? respcache_gzip(e, &gz_len)
                   : NULL;
    char etag[ETAG_SIZE];
    etag_for_encoding(etag, e->etag, gz != NULL);
    const char *inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "If-None-Match");
    if (etag_none_match(inm, etag)) {
        enum MHD_Result ret = response_send_not_modified(srv, conn, ctx, etag, e->cache_control);
        respcache_release(e);
        return ret;
    }
    struct response r = {.status = 200,
                         .kind = BODY_SHARED,
                         .body = gz ? gz : e->body,
                         .len = gz ? gz_len : e->body_len,
                         .release = release_cached,
                         .release_cls = e,
                         .content_type = e->content_type,
                         .content_encoding = gz ? "gzip" : NULL,
                         .etag = etag,
                         .cache_control = e->cache_control,
                         .link_next = e->link_next,
                         .vary_encoding = true};
    return response_send(srv, conn, ctx, &r);
}
