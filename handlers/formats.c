/*
 * formats.c — CSV and NDJSON representations of list pages.
 */
#include "formats.h"

#include <stdlib.h>
#include <string.h>

bool format_of_request(const struct request *req, struct reply *rep, enum output_format *f)
{
    const char *v = request_arg(req, "format");
    *f = FORMAT_JSON;
    if (!v || strcmp(v, "json") == 0)
        return true;
    if (strcmp(v, "csv") == 0)
        return *f = FORMAT_CSV, true;
    if (strcmp(v, "ndjson") == 0)
        return *f = FORMAT_NDJSON, true;
    reply_problem(rep, 400, "parameter 'format' must be one of: json, csv, ndjson");
    return false;
}

struct buf {
    char *s;
    size_t len, cap;
    bool failed;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = true;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* One CSV field: quoted when it holds a comma, quote, CR or LF (RFC 4180 §2). */
static void csv_field(struct buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        buf_put(b, s, strlen(s));
        return;
    }
    buf_put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_put(b, "\"\"", 2);
        else
            buf_put(b, p, 1);
    }
    buf_put(b, "\"", 1);
}

static bool all_strings(json_t *a)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (!json_is_string(v)) return false;
    return true;
}

/* The text of one value in a CSV cell. */
static char *cell_text(json_t *v)
{
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_null(v))
        return strdup("");
    if (json_is_array(v) && all_strings(v)) {
        struct buf b = {0};
        size_t i;
        json_t *s;
        buf_put(&b, "", 0);
        json_array_foreach(v, i, s)
        {
            if (i)
                buf_put(&b, "; ", 2);
            buf_put(&b, json_string_value(s), json_string_length(s));
        }
        return b.s;
    }
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static void csv_row(struct buf *b, json_t *item, json_t *columns)
{
    size_t i;
    json_t *col;
    json_array_foreach(columns, i, col)
    {
        if (i)
            buf_put(b, ",", 1);
        char *text = cell_text(json_object_get(item, json_string_value(col)));
        csv_field(b, text ? text : "");
        free(text);
    }
    buf_put(b, "\r\n", 2);
}

void format_reply_csv(struct reply *rep, char **next_link)
{
    *next_link = NULL;
    json_t *body = rep->status == 200 ? json_loadb(rep->body, rep->body_len, 0, NULL) : NULL;
    json_t *data = json_object_get(body, "data");
    if (!json_is_array(data)) {
        json_decref(body);
        return; /* problems stay problem JSON */
    }
    json_t *columns = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(json_array_get(data, 0), key, v)
        json_array_append_new(columns, json_string(key));
    struct buf b = {0};
    size_t i;
    json_t *col;
    json_array_foreach(columns, i, col)
    {
        if (i)
            buf_put(&b, ",", 1);
        csv_field(&b, json_string_value(col));
    }
    if (json_array_size(columns))
        buf_put(&b, "\r\n", 2);
    json_t *item;
    json_array_foreach(data, i, item) csv_row(&b, item, columns);
    const char *next = json_string_value(json_object_get(json_object_get(body, "meta"), "next"));
    *next_link = next ? strdup(next) : NULL;
    bool header = json_array_size(columns) > 0; /* before columns is freed */
    json_decref(columns);
    json_decref(body);
    if (b.failed) {
        free(b.s);
        reply_problem(rep, 500, "out of memory");
        return;
    }
    free(rep->body);
    rep->body = b.s ? b.s : strdup("");
    rep->body_len = b.s ? b.len : 0;
    /* An empty page has no item to take the columns from: no header row (RFC 4180 §3). */
    rep->content_type = header ? "text/csv; charset=utf-8; header=present"
                               : "text/csv; charset=utf-8; header=absent";
}

char *format_page_ndjson(const char *body, size_t body_len, size_t *len, char **next_cursor)
{
    *next_cursor = NULL;
    json_t *page = json_loadb(body, body_len, 0, NULL);
    json_t *data = json_object_get(page, "data");
    if (!json_is_array(data)) {
        json_decref(page);
        return NULL;
    }
    struct buf b = {0};
    buf_put(&b, "", 0);
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item)
    {
        char *line = json_dumps(item, JSON_COMPACT);
        if (line) {
            buf_put(&b, line, strlen(line));
            buf_put(&b, "\n", 1);
        }
        free(line);
    }
    const char *next =
        json_string_value(json_object_get(json_object_get(page, "meta"), "next_cursor"));
    *next_cursor = next ? strdup(next) : NULL;
    json_decref(page);
    if (b.failed) {
        free(b.s);
        free(*next_cursor);
        *next_cursor = NULL;
        return NULL;
    }
    *len = b.len;
    return b.s;
}
