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

/* ---- CSV: one column per field, plain text in every cell ------------------------------------ *
 * Scalars as they are; a nested object as "key=value" pairs joined by ", "; an array's elements
 * joined by "; " (so an event's entities read "id=loc:oslo, name=Oslo, type=LOC; id=…"). No cell
 * ever holds JSON. The columns are the fields of the page's items, in the order they appear. */

#define CSV_MAX_COLUMNS 64

static void put_scalar(struct text *t, json_t *v)
{
    if (json_is_string(v)) {
        text_puts(t, json_string_value(v));
    } else if (!json_is_null(v)) {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s)
            text_puts(t, s);
        else
            t->failed = true;
        free(s);
    }
}

static void put_flat(struct text *t, json_t *v)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *member;
        bool first = true;
        json_object_foreach(v, key, member)
        {
            if (!first)
                text_put(t, ", ", 2);
            first = false;
            text_puts(t, key);
            text_put(t, "=", 1);
            put_flat(t, member);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (i)
                text_put(t, "; ", 2);
            put_flat(t, item);
        }
    } else {
        put_scalar(t, v);
    }
}

/* One CSV field: quoted when it holds a comma, quote, CR or LF (RFC 4180 §2). OWASP CSV
 * injection: a cell a spreadsheet would read as a formula (=, +, -, @, tab or CR first) starts
 * with a single quote instead; a number (-5) is left as it is: a spreadsheet cannot run it. */
static void csv_field(struct text *b, const char *s, bool number)
{
    bool formula = !number && *s && strchr("=+-@\t\r", *s);
    if (!strpbrk(s, ",\"\r\n")) {
        text_puts(b, formula ? "'" : "");
        text_puts(b, s);
        return;
    }
    text_puts(b, formula ? "\"'" : "\"");
    for (const char *p = s; *p; p++)
        text_put(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    text_put(b, "\"", 1);
}

struct csv_columns {
    const char *names[CSV_MAX_COLUMNS]; /* borrowed from the items */
    size_t n;
};

static void add_columns(struct csv_columns *cols, json_t *item)
{
    const char *key;
    json_t *v;
    json_object_foreach(item, key, v)
    {
        size_t i = 0;
        while (i < cols->n && strcmp(cols->names[i], key) != 0)
            i++;
        if (i == cols->n && cols->n < CSV_MAX_COLUMNS)
            cols->names[cols->n++] = key;
    }
}

bool format_csv_items(json_t *data, struct text *out, bool *header)
{
    struct csv_columns cols = {0};
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item) add_columns(&cols, item);
    for (size_t c = 0; c < cols.n; c++) {
        if (c)
            text_put(out, ",", 1);
        csv_field(out, cols.names[c], false);
    }
    *header = cols.n > 0;
    if (*header)
        text_put(out, "\r\n", 2);
    struct text cell = {0};
    json_array_foreach(data, i, item)
    {
        for (size_t c = 0; c < cols.n; c++) {
            cell.len = 0;
            text_put(&cell, "", 0);
            json_t *v = json_object_get(item, cols.names[c]);
            put_flat(&cell, v);
            if (c)
                text_put(out, ",", 1);
            csv_field(out, cell.s ? cell.s : "", json_is_number(v));
        }
        text_put(out, "\r\n", 2);
    }
    bool ok = !cell.failed && !out->failed;
    free(cell.s);
    return ok;
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
    struct text csv = {0};
    bool header = false;
    bool ok = format_csv_items(data, &csv, &header);
    const char *next = json_string_value(json_object_get(json_object_get(body, "meta"), "next"));
    *next_link = next ? strdup(next) : NULL;
    json_decref(body);
    if (!ok) {
        free(csv.s);
        reply_problem(rep, 500, "out of memory");
        return;
    }
    free(rep->body);
    rep->body = csv.s ? csv.s : strdup("");
    rep->body_len = csv.len;
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
    struct text b = {0};
    text_put(&b, "", 0);
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item)
    {
        char *line = json_dumps(item, JSON_COMPACT);
        if (line) {
            text_puts(&b, line);
            text_put(&b, "\n", 1);
        } else {
            b.failed = true;
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
