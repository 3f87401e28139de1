/*
 * represent.c — list pages written from row texts (see represent.h).
 */
#include "represent.h"

#include <stdlib.h>
#include <string.h>

static void put(struct rows *r, const char *s, size_t n)
{
    if (r->failed)
        return;
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + n + 1)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) {
            r->failed = true;
            return;
        }
        r->buf = b;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, s, n);
    r->len += n;
    r->buf[r->len] = '\0';
}

void rows_add_fragment(struct rows *r, const char *json, size_t len)
{
    if (r->count++)
        put(r, ",", 1);
    put(r, json, len);
}

void rows_add_fragment_with(struct rows *r, const char *json, json_t *extra)
{
    char *members = json_dumps(extra, JSON_COMPACT); /* "{…}" */
    json_decref(extra);
    size_t n = strlen(json);
    if (!members || n < 2 || json[n - 1] != '}') {
        free(members);
        r->failed = true;
        return;
    }
    if (r->count++)
        put(r, ",", 1);
    put(r, json, n - 1);
    if (strcmp(members, "{}") != 0) {
        put(r, n > 2 ? "," : "", n > 2);
        put(r, members + 1, strlen(members) - 1);
    } else {
        put(r, "}", 1);
    }
    free(members);
}

void rows_add_json(struct rows *r, json_t *item)
{
    char *s = item ? json_dumps(item, JSON_COMPACT) : NULL;
    json_decref(item);
    if (!s) {
        r->failed = true;
        return;
    }
    rows_add_fragment(r, s, strlen(s));
    free(s);
}

void rows_free(struct rows *r)
{
    free(r->buf);
    *r = (struct rows){0};
}

void reply_rows(struct reply *rep, struct rows *r, json_t *meta)
{
    char *m = meta ? json_dumps(meta, JSON_COMPACT) : NULL;
    json_decref(meta);
    static const char head[] = "{\"data\":[", mid[] = "],\"meta\":";
    size_t ml = m ? strlen(m) : 0, n = sizeof head - 1 + r->len + sizeof mid - 1 + ml + 1;
    char *body = !r->failed && m ? malloc(n + 1) : NULL;
    if (!body) {
        free(m);
        rows_free(r);
        reply_problem(rep, 500, "out of memory");
        return;
    }
    char *o = body;
    o = (char *)memcpy(o, head, sizeof head - 1) + sizeof head - 1;
    if (r->len)
        o = (char *)memcpy(o, r->buf, r->len) + r->len;
    o = (char *)memcpy(o, mid, sizeof mid - 1) + sizeof mid - 1;
    o = (char *)memcpy(o, m, ml) + ml;
    *o++ = '}';
    *o = '\0';
    free(m);
    rows_free(r);
    free(rep->body);
    rep->body = body;
    rep->body_len = (size_t)(o - body);
    rep->status = 200;
    rep->content_type = "application/json; charset=utf-8";
}
