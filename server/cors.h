/*
 * cors.h — cross-origin reads: the headers every response carries and the preflight answer.
 * Any resource may be read (GET, HEAD) from the configured origin (--cors-origin).
 */
#ifndef SERVER_CORS_H
#define SERVER_CORS_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "server.h"

/* Access-Control-Allow-Origin and -Expose-Headers. */
void cors_add_headers(struct MHD_Response *r, const char *origin);
/* The Access-Control-Allow-Headers value answering an Access-Control-Request-Headers value
 * (asked, may be NULL), written to out: the names asked for that are valid tokens (at most
 * size - 1 bytes of them), or the headers the API reads when none is. */
void cors_allow_headers(const char *asked, char *out, size_t size);
/* 204 to an OPTIONS preflight for a resource that exists. */
enum MHD_Result cors_send_preflight(struct server *srv, struct MHD_Connection *conn,
                                    struct request_ctx *ctx);

#endif
