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

/* ---- CSV: one flat column per scalar field ------------------------------------------------ *
 * Nested objects become dotted columns ("timex.text"); an array of strings is one cell joined
 * by "; "; an array of objects gives one column per member ("entities.name"), its values joined
 * by "; ". No cell ever holds JSON. The columns are those of every row of the page, in the order
 * they first appear. */

#define CSV_MAX_COLUMNS 64

struct csv_row {
    char *names[CSV_MAX_COLUMNS]; /* borrowed from the page's column list */
    struct text cells[CSV_MAX_COLUMNS];
    size_t n;
};

struct csv_columns {
    char *names[CSV_MAX_COLUMNS]; /* malloc'd */
    size_t n;
};

static size_t column_index(struct csv_columns *cols, const char *name)
{
    for (size_t i = 0; i < cols->n; i++)
        if (strcmp(cols->names[i], name) == 0)
            return i;
    if (cols->n == CSV_MAX_COLUMNS)
        return CSV_MAX_COLUMNS;
    cols->names[cols->n] = strdup(name);
    return cols->names[cols->n] ? cols->n++ : CSV_MAX_COLUMNS;
}

/* OWASP CSV injection: a cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first)
 * starts with a single quote instead. */
static void put_neutral(struct text *t, const char *s)
{
    if (*s && strchr("=+-@\t\r", *s))
        text_put(t, "'", 1);
    text_puts(t, s);
}

static void put_scalar(struct text *t, json_t *v)
{
    if (json_is_string(v)) {
        put_neutral(t, json_string_value(v));
    } else if (!json_is_null(v)) {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (s)
            text_puts(t, s);
        else
            t->failed = true;
        free(s);
    }
}

/* Adds value under column name (joined with "; " to what an array already put there). */
static void collect(struct csv_columns *cols, struct text *cells, const char *name, json_t *v,
                    bool in_array)
{
    if (json_is_object(v)) {
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member)
        {
            char sub[256];
            snprintf(sub, sizeof sub, "%s%s%s", name, *name ? "." : "", key);
            collect(cols, cells, sub, member, in_array);
        }
        return;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        if (json_array_size(v) == 0)
            column_index(cols, name); /* the column exists, empty */
        json_array_foreach(v, i, item) collect(cols, cells, name, item, true);
        return;
    }
    size_t c = column_index(cols, name);
    if (c == CSV_MAX_COLUMNS)
        return;
    if (in_array && cells[c].len)
        text_put(&cells[c], "; ", 2);
    put_scalar(&cells[c], v);
}

/* One CSV field: quoted when it holds a comma, quote, CR or LF (RFC 4180 §2). */
static void csv_field(struct text *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        text_puts(b, s);
        return;
    }
    text_put(b, "\"", 1);
    for (const char *p = s; *p; p++)
        text_put(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    text_put(b, "\"", 1);
}

/* Drops a column left empty by an empty array when its members have columns of their own
 * ("entities" when "entities.id" exists). */
static bool superseded(const struct csv_columns *cols, size_t c)
{
    size_t n = strlen(cols->names[c]);
    for (size_t i = 0; i < cols->n; i++)
        if (strncmp(cols->names[i], cols->names[c], n) == 0 && cols->names[i][n] == '.')
            return true;
    return false;
}

/* The CSV text of the items of data (a JSON array of objects); false when out of memory. */
bool format_csv_items(json_t *data, struct text *out, bool *header)
{
    struct csv_columns cols = {0};
    size_t n = json_array_size(data);
    struct text(*cells)[CSV_MAX_COLUMNS] = calloc(n ? n : 1, sizeof *cells);
    if (!cells)
        return false;
    for (size_t r = 0; r < n; r++)
        collect(&cols, cells[r], "", json_array_get(data, r), false);
    bool first = true;
    for (size_t c = 0; c < cols.n; c++) {
        if (superseded(&cols, c))
            continue;
        if (!first)
            text_put(out, ",", 1);
        first = false;
        csv_field(out, cols.names[c]);
    }
    *header = cols.n > 0;
    if (*header)
        text_put(out, "\r\n", 2);
    bool ok = true;
    for (size_t r = 0; r < n; r++) {
        first = true;
        for (size_t c = 0; c < cols.n; c++) {
            ok &= !cells[r][c].failed;
            if (!superseded(&cols, c)) {
                if (!first)
                    text_put(out, ",", 1);
                first = false;
                csv_field(out, cells[r][c].s ? cells[r][c].s : "");
            }
            free(cells[r][c].s);
        }
        text_put(out, "\r\n", 2);
    }
    for (size_t c = 0; c < cols.n; c++)
        free(cols.names[c]);
    free(cells);
    return ok && !out->failed;
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
