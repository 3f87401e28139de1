/*
 * represent.h — the rows of a list reply and their representation. A handler adds each row as the
 * text of one JSON object: a fragment the store rendered when it was built (no jansson tree per
 * row, no parse), or a jansson object it made itself; the page is then written as the list
 * envelope {"data": [rows], "meta": {…}} by concatenation. formats.c renders the same rows as
 * CSV and NDJSON.
 */
#ifndef HANDLERS_REPRESENT_H
#define HANDLERS_REPRESENT_H

#include "request.h"

/* A growing text (the one string builder of the handlers). */
struct text {
    char *s; /* NUL-terminated once anything was put (malloc'd, owned) */
    size_t len, cap;
    bool failed; /* out of memory: everything after is dropped */
};
void text_put(struct text *t, const char *s, size_t n);
void text_puts(struct text *t, const char *s);
/* s as a JSON string: quote, backslash and control characters escaped as jansson escapes them
 * (\n, \t, \r, \b, \f, else \u00XX in capitals); every other byte as is (the store holds UTF-8). */
void text_put_json_string(struct text *t, const char *s);

struct rows {
    struct text json; /* the rows' JSON texts joined by ',' */
    size_t count;
    bool open_empty; /* rows_extend opened "{}": the next member needs no comma */
};

/* Appends one row from the JSON object text json (len bytes). */
void rows_add_fragment(struct rows *r, const char *json, size_t len);
/* The object text json with members added at its end, without a jansson tree: rows_extend opens the
 * object text json, each rows_member_* adds one member at its end, rows_close closes it. Strings
 * are UTF-8 (as the store holds them) and escaped as jansson escapes them; NULL writes null. */
void rows_extend(struct rows *r, const char *json);
void rows_member_string(struct rows *r, const char *key, const char *value);
void rows_member_int(struct rows *r, const char *key, long long value);
void rows_member_real(struct rows *r, const char *key, double value);
void rows_close(struct rows *r);
/* Appends one row from a jansson object (consumed). */
void rows_add_json(struct rows *r, json_t *item);
void rows_free(struct rows *r);

/* The 200 reply {"data": [rows], "meta": meta} (meta: a JSON object's text); releases the rows. */
void reply_rows(struct reply *rep, struct rows *r, const char *meta);

#endif
