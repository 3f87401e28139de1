/*
 * request.h — what a handler sees of a request and what it gives back. Handlers know the API
 * (parameters, resource shapes, errors); they know nothing of HTTP libraries, sockets or SQL.
 */
#ifndef HANDLERS_REQUEST_H
#define HANDLERS_REQUEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

#define REQUEST_MAX_PARAMS 4
#define QUERY_MAX_ARGS 32

struct query_arg {
    const char *key;
    const char *value; /* "" for a key without '=' */
};

struct request {
    const char *method;
    const char *path;
    const char *params[REQUEST_MAX_PARAMS]; /* path parameters, in pattern order */
    size_t n_params;
    struct query_arg args[QUERY_MAX_ARGS];
    size_t n_args;
    const char *base_path; /* prefix the client reached us under ("" or "/corpus") */
    struct store_conn *db; /* NULL when no store is loaded yet */
    const struct store *store;
};

struct reply {
    int status;
    const char *content_type; /* static string */
    char *body;               /* malloc'd, owned by the reply; NULL for no body */
    size_t body_len;
    const char *cache_control; /* static string or NULL */
    char *link_next;           /* malloc'd URL for a Link: <…>; rel="next" header, or NULL */
    char *location;            /* malloc'd URL for a Location header (redirects), or NULL */
};

typedef void (*handler_fn)(const struct request *req, struct reply *rep);

/* The value of query argument key, or NULL when absent. */
const char *request_arg(const struct request *req, const char *key);

/* Serialises json (consumed) as the reply body with the given status. */
void reply_json(struct reply *rep, int status, json_t *json);
/* A 200 JSON reply whose body is a copy of json (a representation rendered at build time). */
void reply_fragment(struct reply *rep, const char *json);
/* An RFC 9457 problem body: {"type","title","status","detail"}. */
void reply_problem(struct reply *rep, int status, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The standard reason phrase for a status ("Not Found"). */
const char *reply_status_title(int status);

#endif
