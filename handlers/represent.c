/*
 * represent.c — list pages written from row texts (see represent.h).
 */
#include "represent.h"
#include "base/grow.h"
#include "base/json.h"

#include <stdlib.h>
#include <string.h>

void text_put(struct text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (BASE_GROW(t->s, t->cap, t->len + n, 4096) < 0) { /* room for the bytes and a NUL */
        t->failed = true;
        return;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void text_puts(struct text *t, const char *s)
{
    text_put(t, s, strlen(s));
}

static void text_put_piece(void *t, const char *s, size_t n)
{
    text_put(t, s, n);
}

void text_put_json_string(struct text *t, const char *s)
{
    base_json_string(s, strlen(s), true, text_put_piece, t); /* capitals, as jansson */
}

static void put(struct rows *r, const char *s, size_t n)
{
    text_put(&r->json, s, n);
}

void rows_add_fragment(struct rows *r, const char *json, size_t len)
{
    if (r->count++)
        put(r, ",", 1);
    put(r, json, len);
}

void rows_extend(struct rows *r, const char *json)
{
    size_t n = json ? strlen(json) : 0;
    if (n < 2 || json[n - 1] != '}') {
        r->json.failed = true;
        return;
    }
    if (r->count++)
        put(r, ",", 1);
    put(r, json, n - 1);
    r->open_empty = n == 2;
}

/* ,"key": (no comma right after "{") */
static void member_key(struct rows *r, const char *key)
{
    if (!r->open_empty)
        put(r, ",", 1);
    r->open_empty = false;
    put(r, "\"", 1);
    put(r, key, strlen(key));
    put(r, "\":", 2);
}

void rows_member_string(struct rows *r, const char *key, const char *value)
{
    member_key(r, key);
    if (value)
        text_put_json_string(&r->json, value);
    else
        put(r, "null", 4);
}

void rows_member_int(struct rows *r, const char *key, long long value)
{
    char num[32];
    int n = snprintf(num, sizeof num, "%lld", value);
    member_key(r, key);
    put(r, num, (size_t)n);
}

/* As jansson writes a real: %.17g without a '+' or leading zeros in the exponent, and with
 * ".0" when that looks like an integer. */
void rows_member_real(struct rows *r, const char *key, double value)
{
    char num[48];
    snprintf(num, sizeof num - 2, "%.17g", value);
    char *e = strchr(num, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
    } else if (!strchr(num, '.')) {
        strcat(num, ".0");
    }
    member_key(r, key);
    put(r, num, strlen(num));
}

void rows_close(struct rows *r)
{
    put(r, "}", 1);
    r->open_empty = false;
}

void rows_add_json(struct rows *r, json_t *item)
{
    char *s = item ? json_dumps(item, JSON_COMPACT) : NULL;
    json_decref(item);
    if (!s) {
        r->json.failed = true;
        return;
    }
    rows_add_fragment(r, s, strlen(s));
    free(s);
}

void rows_free(struct rows *r)
{
    free(r->json.s);
    *r = (struct rows){0};
}

void reply_rows(struct reply *rep, struct rows *r, const char *m)
{
    static const char head[] = "{\"data\":[", mid[] = "],\"meta\":";
    size_t ml = m ? strlen(m) : 0, n = sizeof head - 1 + r->json.len + sizeof mid - 1 + ml + 1;
    char *body = !r->json.failed && m ? malloc(n + 1) : NULL;
    if (!body) {
        rows_free(r);
        reply_problem(rep, 500, "out of memory");
        return;
    }
    char *o = body;
    o = (char *)memcpy(o, head, sizeof head - 1) + sizeof head - 1;
    if (r->json.len)
        o = (char *)memcpy(o, r->json.s, r->json.len) + r->json.len;
    o = (char *)memcpy(o, mid, sizeof mid - 1) + sizeof mid - 1;
    o = (char *)memcpy(o, m, ml) + ml;
    *o++ = '}';
    *o = '\0';
    rows_free(r);
    free(rep->body);
    rep->body = body;
    rep->body_len = (size_t)(o - body);
    rep->status = 200;
    rep->content_type = "application/json; charset=utf-8";
}
