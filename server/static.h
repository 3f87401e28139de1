/*
 * static.h — the dashboard's files (web/), read once at start-up and served from memory with
 * their content type, a strong ETag and a precomputed gzip variant. Only files found under the
 * web directory at start-up exist: a request path is a key in this table, never a file path,
 * so traversal ("/../etc/passwd") finds nothing.
 */
#ifndef SERVER_STATIC_H
#define SERVER_STATIC_H

#include <stddef.h>

#include "server.h"

struct static_file {
    char *path; /* "/index.html" */
    const char *content_type;
    char *body;
    size_t len;
    char *gzip; /* NULL when not worth it */
    size_t gzip_len;
    char etag[24];
};

struct static_files;

/* Loads every regular file below dir (at most 64 MiB in all). NULL dir or a missing directory
 * gives an empty table (the API still works); *warning says why. */
struct static_files *static_load(const char *dir, char **warning);
void static_free(struct static_files *s);
/* "/" is "/index.html". NULL when there is no such file. */
const struct static_file *static_find(const struct static_files *s, const char *path);
size_t static_count(const struct static_files *s);
/* Sends f (or a 304 for it). */
enum MHD_Result static_send(struct server *srv, struct MHD_Connection *conn,
                            struct request_ctx *ctx, const struct static_file *f);

#endif
