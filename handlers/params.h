/*
 * params.h — validation of query parameters shared by the handlers. Each parser either stores
 * the value and returns true, or fills rep with a 400 problem naming the parameter and returns
 * false.
 */
#ifndef HANDLERS_PARAMS_H
#define HANDLERS_PARAMS_H

#include "request.h"
#include "represent.h"

#define LIMIT_DEFAULT 20
#define LIMIT_MAX 100

/* limit: 1..100, default 20. */
bool param_limit(const struct request *req, struct reply *rep, int *limit);
/* A date bound: YYYY, YYYY-MM or YYYY-MM-DD with a real month/day; *out NULL when absent. */
bool param_date(const struct request *req, struct reply *rep, const char *key, const char **out);
/* One of the NULL-terminated choices; *index -1 when absent. */
bool param_choice(const struct request *req, struct reply *rep, const char *key,
                  const char *const *choices, int *index);

/* Opaque keyset cursors: base64url of "kind\x1fkey\x1fid". */
char *cursor_encode(char kind, const char *key, const char *id);
/* Decodes the `cursor` argument into key/id (malloc'd, caller frees both). Absent: true with
 * NULLs. Malformed or of another kind (a cursor from another sort or endpoint): 400. */
bool param_cursor(const struct request *req, struct reply *rep, char kind, char **key, char **id);

/* One page of a keyset-paginated list. Handlers ask the store for limit + 1 rows: the row after
 * the page is not shown, it only tells that a next page exists. A row collector does
 *     if (keyset_page_full(p)) return 1;
 *     if (keyset_page_add(p, item)) p->next_cursor = cursor_encode(…the row's sort key…);   */
struct keyset_page {
    struct rows rows;
    int limit, count;
    bool more;         /* a row beyond the page exists */
    char *next_cursor; /* the cursor of the page's last row (malloc'd) */
};
void keyset_page_init(struct keyset_page *p, int limit);
/* True (and the page knows there is more) when the page has no room for another row. */
bool keyset_page_full(struct keyset_page *p);
/* Appends item (consumed); true when it is the page's last row, whose cursor the caller sets. */
bool keyset_page_add(struct keyset_page *p, json_t *item);
/* The same for a row rendered when the store was built (a JSON object's text). */
bool keyset_page_add_fragment(struct keyset_page *p, const char *json);
/* Replies for a page the store filled with status s: the list envelope (with a next cursor only
 * when there is more), 400 for a malformed search query, 500 otherwise. Releases the page. */
void keyset_page_reply(const struct request *req, struct reply *rep, struct keyset_page *p,
                       long long total, enum store_status s);

/* The largest offset a cursor may carry (far beyond any list; keeps offset + limit in range). */
#define CURSOR_MAX_OFFSET 1000000000LL
/* Offset cursors, for ranked lists that have no stable key: *offset 0 when absent. */
bool param_offset_cursor(const struct request *req, struct reply *rep, char kind,
                         long long *offset);
/* The cursor of the next page, or NULL when offset + limit reaches total. */
char *offset_cursor_next(char kind, long long offset, int limit, long long total);

/* The 200 list reply {"data": [rows], "meta": {"total", "limit", "next_cursor", "next"}}; next
 * is the URL of the next page (with the proxy prefix the client came through), or null.
 * Consumes the rows and next_cursor (may be NULL). */
void reply_page(const struct request *req, struct reply *rep, struct rows *rows, long long total,
                int limit, char *next_cursor);

#endif
