/*
 * compress.h — gzip bodies with zlib when the client accepts it and the body is worth it.
 */
#ifndef SERVER_COMPRESS_H
#define SERVER_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#define COMPRESS_MIN_BYTES 1024

/* Does an Accept-Encoding value allow gzip (and not with q=0)? */
bool compress_accepts_gzip(const char *accept_encoding);
/* gzip of body[0..len); malloc'd, length in *out_len; NULL if it would not be smaller. */
char *compress_gzip(const char *body, size_t len, size_t *out_len);

#endif
