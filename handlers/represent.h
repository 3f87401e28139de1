/*
 * represent.h — the rows of a list reply and their representation. A handler adds each row as the
 * text of one JSON object: a fragment the store rendered when it was built (no jansson tree per
 * row, no parse), or a jansson object it made itself; the page is then written as the list
 * envelope {"data": [rows], "meta": {…}} by concatenation. formats.c renders the same rows as
 * CSV and NDJSON.
 */
#ifndef HANDLERS_REPRESENT_H
#define HANDLERS_REPRESENT_H

#include "handler.h"

struct rows {
    char *buf; /* the rows' JSON texts joined by ',' (malloc'd, owned) */
    size_t len, cap;
    size_t count;
    bool failed; /* out of memory: the reply becomes a 500 */
};

/* Appends one row from the JSON object text json (len bytes). */
void rows_add_fragment(struct rows *r, const char *json, size_t len);
/* Appends the object text json with the members of extra (consumed) added at its end. */
void rows_add_fragment_with(struct rows *r, const char *json, json_t *extra);
/* Appends one row from a jansson object (consumed). */
void rows_add_json(struct rows *r, json_t *item);
void rows_free(struct rows *r);

/* The 200 reply {"data": [rows], "meta": meta} (meta consumed); releases the rows. */
void reply_rows(struct reply *rep, struct rows *r, json_t *meta);

#endif
