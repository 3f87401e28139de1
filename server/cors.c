/*
 * cors.c — CORS headers and preflight answers (see cors.h).
 */
#include "cors.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "response.h"

#define CORS_DEFAULT_HEADERS "If-None-Match, X-Request-Id, Accept, Accept-Encoding"

void cors_add_headers(struct MHD_Response *r, const char *origin)
{
    MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
    MHD_add_response_header(r, "Access-Control-Expose-Headers", "ETag, Link, X-Request-Id");
}

/* RFC 9110 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
 * "_" / "`" / "|" / "~" / DIGIT / ALPHA. */
static bool is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The header names asked for that are well-formed tokens, joined by ", "; anything else (control
 * characters, quotes, spaces inside a name) is dropped, so no byte of the request reaches the
 * answer unless it can be part of a header name. */
void cors_allow_headers(const char *asked, char *out, size_t size)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = asked ? asked : ""; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        bool token = end > start;
        for (const char *q = start; token && q < end; q++)
            token = is_tchar((unsigned char)*q);
        size_t len = (size_t)(end - start);
        if (token && o + len + 3 < size) {
            if (o)
                o += (size_t)snprintf(out + o, size - o, ", ");
            memcpy(out + o, start, len);
            out[o += len] = '\0';
        }
    }
    if (!o)
        snprintf(out, size, "%s", CORS_DEFAULT_HEADERS);
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
