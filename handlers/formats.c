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

/* ---- CSV: flat columns, plain text in every cell ---------------------------------------------- *
 * A scalar field is a column of its own; a nested object's members are columns named after their
 * path (an event's timex: timex_text, timex_value, …; a related entity: entity_id, entity_name,
 * entity_type); arrays are looked through, their values joined by "; " in one cell (an event's
 * entities: entities_id "loc:oslo; org:opec", entities_name "Oslo; OPEC"; an entity's aliases). No
 * cell ever holds JSON. The columns come in the order the page's items first show them. */

#define CSV_MAX_COLUMNS 64
#define CSV_MAX_DEPTH 4

struct csv_column {
    const char *path[CSV_MAX_DEPTH]; /* member names, borrowed from the items */
    size_t depth;
    bool weak; /* from an empty array or a null: dropped when a deeper column has its path */
};

struct csv_columns {
    struct csv_column c[CSV_MAX_COLUMNS];
    size_t n;
};

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

static bool same_path(const struct csv_column *a, const char *const *path, size_t depth)
{
    if (a->depth != depth)
        return false;
    for (size_t i = 0; i < depth; i++)
        if (strcmp(a->path[i], path[i]) != 0)
            return false;
    return true;
}

static void add_column(struct csv_columns *cols, const char *const *path, size_t depth, bool weak)
{
    for (size_t i = 0; i < cols->n; i++)
        if (same_path(&cols->c[i], path, depth)) {
            cols->c[i].weak &= weak;
            return;
        }
    if (cols->n == CSV_MAX_COLUMNS || depth == 0)
        return;
    struct csv_column *c = &cols->c[cols->n++];
    memcpy(c->path, path, depth * sizeof *path);
    c->depth = depth;
    c->weak = weak;
}

/* The columns of v at path: objects open into their members, arrays are looked through. */
static void find_columns(struct csv_columns *cols, json_t *v, const char **path, size_t depth)
{
    if (json_is_object(v) && depth < CSV_MAX_DEPTH) {
        const char *key;
        json_t *member;
        json_object_foreach(v, key, member)
        {
            path[depth] = key;
            find_columns(cols, member, path, depth + 1);
        }
    } else if (json_is_array(v) && json_array_size(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) find_columns(cols, item, path, depth);
    } else {
        add_column(cols, path, depth, json_is_array(v) || json_is_null(v));
    }
}

/* Drops a weak column when another column lies below its path (an empty `entities` on one row,
 * entities_id on another: the column is entities_id). */
static void drop_weak(struct csv_columns *cols)
{
    size_t kept = 0;
    for (size_t i = 0; i < cols->n; i++) {
        bool below = false;
        for (size_t j = 0; cols->c[i].weak && j < cols->n && !below; j++)
            below = cols->c[j].depth > cols->c[i].depth &&
                    same_path(&cols->c[i], cols->c[j].path, cols->c[i].depth);
        if (!below)
            cols->c[kept++] = cols->c[i];
    }
    cols->n = kept;
}

/* The values of v at path[depth..] into cell, "; " between several; *number when the only value
 * is a number. */
static void put_values(struct text *cell, json_t *v, const struct csv_column *col, size_t depth,
                       bool *first, bool *number)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) put_values(cell, item, col, depth, first, number);
        return;
    }
    if (depth < col->depth) {
        if (json_is_object(v))
            put_values(cell, json_object_get(v, col->path[depth]), col, depth + 1, first, number);
        return;
    }
    if (!v || json_is_null(v) || json_is_object(v))
        return;
    if (!*first)
        text_put(cell, "; ", 2);
    *number = *first && json_is_number(v);
    *first = false;
    put_scalar(cell, v);
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

static void put_header(struct text *out, const struct csv_columns *cols)
{
    struct text name = {0};
    for (size_t c = 0; c < cols->n; c++) {
        name.len = 0;
        text_put(&name, "", 0);
        for (size_t d = 0; d < cols->c[c].depth; d++) {
            text_puts(&name, d ? "_" : "");
            text_puts(&name, cols->c[c].path[d]);
        }
        if (c)
            text_put(out, ",", 1);
        csv_field(out, name.s ? name.s : "", false);
    }
    out->failed |= name.failed;
    free(name.s);
}

bool format_csv_items(json_t *data, struct text *out, bool *header)
{
    struct csv_columns cols = {0};
    const char *path[CSV_MAX_DEPTH];
    size_t i;
    json_t *item;
    json_array_foreach(data, i, item) find_columns(&cols, item, path, 0);
    drop_weak(&cols);
    put_header(out, &cols);
    *header = cols.n > 0;
    if (*header)
        text_put(out, "\r\n", 2);
    struct text cell = {0};
    json_array_foreach(data, i, item)
    {
        for (size_t c = 0; c < cols.n; c++) {
            cell.len = 0;
            text_put(&cell, "", 0);
            bool first = true, number = false;
            put_values(&cell, item, &cols.c[c], 0, &first, &number);
            if (c)
                text_put(out, ",", 1);
            csv_field(out, cell.s ? cell.s : "", number);
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
