/*
 * router.h — the route table: URL pattern -> handler, the query parameters each route accepts,
 * and whether it needs a loaded store.
 */
#ifndef SERVER_ROUTER_H
#define SERVER_ROUTER_H

#include <stdbool.h>

#include "handlers/request.h"

struct route {
    const char *pattern; /* "/v1/documents/{}" — {} matches one path segment */
    handler_fn handler;
    const char *const *query_keys; /* accepted query parameters, NULL-terminated */
    bool needs_store;
    const char *cache_control; /* for 2xx answers */
};

/* Finds the route for path; fills params with the {} segments (pointers into buf, a copy of
 * the path the router may cut). NULL when no route matches. */
const struct route *router_match(const char *path, char *buf, size_t buf_size, const char **params,
                                 size_t *n_params);
bool route_accepts(const struct route *r, const char *key);
/* A parameter that may be given more than once (entity=a&entity=b); any other repeated one is a
 * 400. */
bool route_key_repeatable(const char *key);
/* Routes are numbered 0..router_count()-1, for metrics labels. */
size_t router_count(void);
size_t router_index(const struct route *r);
const char *router_pattern(size_t i);

#endif
