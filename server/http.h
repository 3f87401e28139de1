/*
 * http.h — the HTTP front end: a libmicrohttpd daemon (epoll, thread pool) that turns requests
 * into handler calls and handler replies into responses with the API's headers.
 */
#ifndef SERVER_HTTP_H
#define SERVER_HTTP_H

#include "config.h"
#include "store/store.h"

struct server;

/* Starts listening. The server answers /healthz at once and 503 on data routes until a store is
 * set. NULL with *err (malloc'd) on failure. cfg must outlive the server. */
struct server *server_start(const struct config *cfg, char **err);
/* Publishes a store (the server takes the reference); in-flight requests keep the old one. */
void server_set_store(struct server *srv, struct store *st);
/* A reference to the store being served (NULL before one is set); the caller unrefs it. */
struct store *server_store(struct server *srv);
/* Housekeeping, from the main thread about once a second: closes store connections idle past
 * --store-idle-seconds and gives freed memory back to the system after a burst. */
void server_maintain(struct server *srv);
/* Stops accepting, lets running requests finish, and frees the server. */
void server_stop(struct server *srv);

#endif
