/*
 * params.c — query parameter parsing, cursors and the list envelope.
 */
#include "params.h"

#include <errno.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool param_limit(const struct request *req, struct reply *rep, int *limit)
{
    const char *v = request_arg(req, "limit");
    *limit = LIMIT_DEFAULT;
    if (!v)
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || !isdigit((unsigned char)*v) || n < 1 || n > LIMIT_MAX) {
        reply_problem(rep, 400, "parameter 'limit' must be an integer from 1 to %d", LIMIT_MAX);
        return false;
    }
    *limit = (int)n;
    return true;
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static bool valid_date(const char *v)
{
    size_t n = strlen(v);
    if ((n != 4 && n != 7 && n != 10) || !digits(v, 4))
        return false;
    if (n == 4)
        return true;
    if (v[4] != '-' || !digits(v + 5, 2))
        return false;
    int month = atoi(v + 5);
    if (month < 1 || month > 12)
        return false;
    if (n == 7)
        return true;
    if (v[7] != '-' || !digits(v + 8, 2))
        return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int year = atoi(v), day = atoi(v + 8);
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = month == 2 && !leap ? 28 : days[month - 1];
    return day >= 1 && day <= max;
}

bool param_date(const struct request *req, struct reply *rep, const char *key, const char **out)
{
    const char *v = request_arg(req, key);
    *out = v;
    if (!v || valid_date(v))
        return true;
    reply_problem(rep, 400, "parameter '%s' must be a date: YYYY, YYYY-MM or YYYY-MM-DD", key);
    return false;
}

bool param_choice(const struct request *req, struct reply *rep, const char *key,
                  const char *const *choices, int *index)
{
    const char *v = request_arg(req, key);
    *index = -1;
    if (!v)
        return true;
    char allowed[256] = "";
    for (int i = 0; choices[i]; i++) {
        /* Case-insensitive: ids read `person:…`, so `type=person` must work as `type=PERSON`. */
        if (strcasecmp(v, choices[i]) == 0) {
            *index = i;
            return true;
        }
        strncat(allowed, i ? ", " : "", sizeof allowed - strlen(allowed) - 1);
        strncat(allowed, choices[i], sizeof allowed - strlen(allowed) - 1);
    }
    reply_problem(rep, 400, "parameter '%s' must be one of: %s", key, allowed);
    return false;
}

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *base64url_encode(const unsigned char *s, size_t n)
{
    char *out = malloc(n * 4 / 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        out[o++] = b64url[(v >> 18) & 63];
        out[o++] = b64url[(v >> 12) & 63];
        if (i + 1 < n)
            out[o++] = b64url[(v >> 6) & 63];
        if (i + 2 < n)
            out[o++] = b64url[v & 63];
    }
    out[o] = '\0';
    return out;
}

static char *base64url_decode(const char *s, size_t *n_out)
{
    size_t n = strlen(s);
    if (n % 4 == 1 || n > 4096)
        return NULL;
    char *out = malloc(n * 3 / 4 + 2);
    if (!out)
        return NULL;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        const char *p = strchr(b64url, s[i]);
        if (!p || !s[i]) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned)(p - b64url);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xFF);
        }
    }
    out[o] = '\0';
    *n_out = o;
    return out;
}

/* key and id come from store rows; a NULL (a store that broke its NOT NULL schema) is encoded
 * as "" rather than crashing the worker. */
char *cursor_encode(char kind, const char *key, const char *id)
{
    key = key ? key : "";
    id = id ? id : "";
    size_t kl = strlen(key), il = strlen(id);
    char *raw = malloc(kl + il + 4);
    if (!raw)
        return NULL;
    raw[0] = kind;
    raw[1] = '\x1f';
    memcpy(raw + 2, key, kl);
    raw[2 + kl] = '\x1f';
    memcpy(raw + 3 + kl, id, il);
    char *c = base64url_encode((unsigned char *)raw, kl + il + 3);
    free(raw);
    return c;
}

bool param_cursor(const struct request *req, struct reply *rep, char kind, char **key, char **id)
{
    *key = *id = NULL;
    const char *v = request_arg(req, "cursor");
    if (!v)
        return true;
    size_t n = 0;
    char *raw = base64url_decode(v, &n);
    char *sep1 = raw && n >= 3 && raw[0] == kind && raw[1] == '\x1f' ? raw + 1 : NULL;
    char *sep2 = sep1 ? memchr(sep1 + 1, '\x1f', n - 2) : NULL;
    if (!sep2 || memchr(raw, '\0', n) || memchr(sep2 + 1, '\x1f', (size_t)(raw + n - sep2 - 1))) {
        free(raw);
        reply_problem(rep, 400, "parameter 'cursor' is not a cursor this list issued");
        return false;
    }
    *key = strndup(sep1 + 1, (size_t)(sep2 - sep1 - 1));
    *id = strdup(sep2 + 1);
    free(raw);
    return *key && *id;
}

bool param_offset_cursor(const struct request *req, struct reply *rep, char kind, long long *offset)
{
    char *key = NULL, *id = NULL;
    *offset = 0;
    if (!param_cursor(req, rep, kind, &key, &id))
        return false;
    char *end = NULL;
    errno = 0;
    if (key)
        *offset = strtoll(key, &end, 10);
    /* A forged cursor may hold any number: only offsets a list can reach are accepted, so the
     * next offset (offset + limit) cannot overflow. */
    bool ok = !key || (*key && !*end && !errno && *offset >= 0 && *offset <= CURSOR_MAX_OFFSET);
    free(key);
    free(id);
    if (!ok)
        reply_problem(rep, 400, "parameter 'cursor' is not a cursor this list issued");
    return ok;
}

char *offset_cursor_next(char kind, long long offset, int limit, long long total)
{
    if (offset < 0 || limit <= 0 || offset >= total || (long long)limit >= total - offset)
        return NULL; /* written so that nothing overflows whatever the arguments */
    char key[32];
    snprintf(key, sizeof key, "%lld", offset + limit);
    return cursor_encode(kind, key, "");
}

/* Appends s percent-encoded (RFC 3986 unreserved characters kept; '/' kept when keep_slash). */
static void url_encode(char *out, size_t size, const char *s, bool keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = strlen(out);
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < size; p++) {
        if (isalnum(*p) || strchr("-._~", *p) || (keep_slash && *p == '/')) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
}

/* prefix + path + the same query with the next cursor, into url. */
static void next_link(const struct request *req, const char *cursor, char *url, size_t size)
{
    url[0] = '\0';
    url_encode(url, size, req->base_path ? req->base_path : "", true);
    url_encode(url, size, req->path ? req->path : "", true);
    strncat(url, "?", size - strlen(url) - 1);
    for (size_t i = 0; i < req->n_args; i++) {
        if (strcmp(req->args[i].key, "cursor") == 0)
            continue;
        url_encode(url, size, req->args[i].key, false);
        strncat(url, "=", size - strlen(url) - 1);
        url_encode(url, size, req->args[i].value, false);
        strncat(url, "&", size - strlen(url) - 1);
    }
    strncat(url, "cursor=", size - strlen(url) - 1);
    url_encode(url, size, cursor, false);
}

void reply_page(const struct request *req, struct reply *rep, struct rows *rows, long long total,
                int limit, char *next_cursor)
{
    struct text meta = {0};
    char num[64];
    snprintf(num, sizeof num, "{\"total\":%lld,\"limit\":%d,\"next_cursor\":", total, limit);
    text_puts(&meta, num);
    if (next_cursor) {
        char url[8192];
        next_link(req, next_cursor, url, sizeof url);
        text_put_json_string(&meta, next_cursor);
        text_puts(&meta, ",\"next\":");
        text_put_json_string(&meta, url);
        text_puts(&meta, "}");
    } else {
        text_puts(&meta, "null,\"next\":null}");
    }
    free(next_cursor);
    if (meta.failed) {
        free(meta.s);
        rows_free(rows);
        reply_problem(rep, 500, "out of memory");
        return;
    }
    reply_rows(rep, rows, meta.s);
    free(meta.s);
}

void keyset_page_init(struct keyset_page *p, int limit)
{
    *p = (struct keyset_page){.limit = limit};
}

bool keyset_page_full(struct keyset_page *p)
{
    if (p->count < p->limit)
        return false;
    p->more = true;
    return true;
}

bool keyset_page_add(struct keyset_page *p, json_t *item)
{
    rows_add_json(&p->rows, item);
    return ++p->count == p->limit;
}

bool keyset_page_add_fragment(struct keyset_page *p, const char *json)
{
    if (json)
        rows_add_fragment(&p->rows, json, strlen(json));
    else
        p->rows.json.failed = true; /* a row the build did not render */
    return ++p->count == p->limit;
}

void keyset_page_reply(const struct request *req, struct reply *rep, struct keyset_page *p,
                       long long total, enum store_status s)
{
    if (s == STORE_OK) {
        if (!p->more) {
            free(p->next_cursor);
            p->next_cursor = NULL;
        }
        reply_page(req, rep, &p->rows, total, p->limit, p->next_cursor);
    } else {
        rows_free(&p->rows);
        free(p->next_cursor);
        if (s == STORE_BAD_QUERY)
            reply_problem(rep, 400, "parameter 'q' is not a valid search query");
        else
            reply_problem(rep, 500, "the store could not answer");
    }
    p->next_cursor = NULL;
}
