/*
 * formats.h — other representations of list replies: CSV (RFC 4180) for spreadsheets, and the
 * NDJSON lines of one page, which the server streams page after page for full exports.
 */
#ifndef HANDLERS_FORMATS_H
#define HANDLERS_FORMATS_H

#include "request.h"
#include "represent.h"

enum output_format { FORMAT_JSON = 0, FORMAT_CSV, FORMAT_NDJSON };

/* The format the request asks for (?format=json|csv|ndjson); false with a 400 in rep. */
bool format_of_request(const struct request *req, struct reply *rep, enum output_format *f);

/* Rewrites a 200 list reply ({"data": [...], "meta": …}) as CSV (format_csv_items). The next
 * page's URL (meta.next) is returned in *next_link (malloc'd) for a Link header. */
void format_reply_csv(struct reply *rep, char **next_link);

/* The CSV text (RFC 4180, CRLF) of a JSON array of objects: a header row of the items' fields,
 * one row per item, plain text in every cell, never JSON: a nested object as "key=value" pairs
 * joined by ", ", an array's elements joined by "; ". A cell a spreadsheet would take for a
 * formula (leading =, +, -, @, tab or CR) is prefixed with a single quote (OWASP). *header false
 * when there is no column (an empty page). false when out of memory. */
bool format_csv_items(json_t *data, struct text *out, bool *header);

/* The items of a list body as NDJSON lines (malloc'd, *len bytes) and its next_cursor (malloc'd,
 * NULL on the last page). NULL when body is not a list. */
char *format_page_ndjson(const char *body, size_t body_len, size_t *len, char **next_cursor);

#endif
