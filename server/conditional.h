/*
 * conditional.h — entity tags and conditional requests. A body's ETag is built here and only
 * here: a strong tag of the body's hash, "\"%016llx\"", and for its gzip representation the
 * same tag with "-gz" (a different representation needs a different strong tag, RFC 9110
 * 8.8.3). If-None-Match matches either representation of the same content.
 */
#ifndef SERVER_CONDITIONAL_H
#define SERVER_CONDITIONAL_H

#include <stdbool.h>
#include <stddef.h>

#define ETAG_SIZE 24

/* The identity ETag of body[0..len). */
void etag_of_body(char out[ETAG_SIZE], const char *body, size_t len);
/* identity's tag for the representation sent: a copy, or its "-gz" variant. */
void etag_for_encoding(char out[ETAG_SIZE], const char *identity, bool gzip);
/* Does an If-None-Match value (NULL: absent) match etag? */
bool etag_none_match(const char *if_none_match, const char *etag);

#endif
