/*
 * export.h — full exports as NDJSON (?format=ndjson): the list handler is called page after
 * page (100 items, keyset cursors) while libmicrohttpd sends, so memory stays one page whatever
 * the size of the list.
 */
#ifndef SERVER_EXPORT_H
#define SERVER_EXPORT_H

#include "handlers/request.h"
#include "router.h"

struct export_stream;

/* Takes a reference to store; copies what it needs of req; reads the first page. NULL when the
 * first page is not a 200 (its problem reply is moved to *failed) or memory runs out (*failed
 * then holds a 500). */
struct export_stream *export_start(const struct route *route, const struct request *req,
                                   struct store *store, struct reply *failed);
/* libmicrohttpd content-reader callback and its free callback. */
ssize_t export_read(void *cls, uint64_t pos, char *buf, size_t max);
void export_free(void *cls);

#endif
