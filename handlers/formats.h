/*
 * formats.h — other representations of list replies: CSV (RFC 4180) for spreadsheets, and the
 * NDJSON lines of one page, which the server streams page after page for full exports.
 */
#ifndef HANDLERS_FORMATS_H
#define HANDLERS_FORMATS_H

#include "handler.h"

enum output_format { FORMAT_JSON = 0, FORMAT_CSV, FORMAT_NDJSON };

/* The format the request asks for (?format=json|csv|ndjson); false with a 400 in rep. */
bool format_of_request(const struct request *req, struct reply *rep, enum output_format *f);

/* Rewrites a 200 list reply ({"data": [...], "meta": …}) as CSV: a header row of the first
 * item's fields, one row per item; arrays of strings joined with "; ", objects as JSON. The next
 * page's URL (meta.next) is returned in *next_link (malloc'd) for a Link header. */
void format_reply_csv(struct reply *rep, char **next_link);

/* The items of a list body as NDJSON lines (malloc'd, *len bytes) and its next_cursor (malloc'd,
 * NULL on the last page). NULL when body is not a list. */
char *format_page_ndjson(const char *body, size_t body_len, size_t *len, char **next_cursor);

#endif
