/*
 * cors.c — CORS headers and preflight answers (see cors.h).
 */
#include "cors.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "response.h"

#define CORS_DEFAULT_HEADERS "If-None-Match, X-Request-Id, Accept, Accept-Encoding"

void cors_add_headers(struct MHD_Response *r, const char *origin)
{
    MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
    MHD_add_response_header(r, "Access-Control-Expose-Headers", "ETag, Link, X-Request-Id");
}

void cors_allow_headers(const char *asked, char *out, size_t size)
{
    bool echo = asked && strlen(asked) < 256 && utf8_valid(asked, strlen(asked));
    snprintf(out, size, "%s", echo ? asked : CORS_DEFAULT_HEADERS);
}

enum MHD_Result cors_send_preflight(struct server *srv, struct MHD_Connection *conn,
                                    struct request_ctx *ctx)
{
    char allow[300];
    cors_allow_headers(
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Access-Control-Request-Headers"), allow,
        sizeof allow);
    struct response r = {.status = 204, .kind = BODY_NONE};
    response_add(&r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    response_add(&r, "Access-Control-Allow-Headers", allow);
    response_add(&r, "Access-Control-Max-Age", "86400");
    response_add(&r, "Allow", "GET, HEAD, OPTIONS");
    return response_send(srv, conn, ctx, &r);
}
