/*
 * facets.c — collapse and facets of the document lists and search (see facets.h).
 */
#include "facets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "params.h"
#include "represent.h"

/* facet_size: 1..FACET_SIZE_MAX, default FACET_SIZE_DEFAULT. */
static bool parse_facet_size(const struct request *req, struct reply *rep, int *size)
{
    const char *v = request_arg(req, "facet_size");
    *size = FACET_SIZE_DEFAULT;
    if (!v)
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (!isdigit((unsigned char)*v) || *end || n < 1 || n > FACET_SIZE_MAX) {
        reply_problem(rep, 400, "parameter 'facet_size' must be an integer from 1 to %d",
                      FACET_SIZE_MAX);
        return false;
    }
    *size = (int)n;
    return true;
}

/* One name of a facet list ("source" of "source,year"), len bytes. */
static bool add_facet(struct reply *rep, struct list_options *o, const char *name, size_t len)
{
    for (int i = 0; i < STORE_FACET_COUNT; i++) {
        if (strlen(store_facet_names[i]) != len || strncasecmp(name, store_facet_names[i], len))
            continue;
        for (int k = 0; k < o->n_facets; k++)
            if (o->facets[k] == (enum store_facet)i) {
                reply_problem(rep, 400, "parameter 'facet': '%s' is asked for more than once",
                              store_facet_names[i]);
                return false;
            }
        o->facets[o->n_facets++] = (enum store_facet)i;
        return true;
    }
    reply_problem(rep, 400,
                  "parameter 'facet': unknown facet '%.*s' (one of: source, year, month, entity, "
                  "type)",
                  (int)(len > 64 ? 64 : len), name);
    return false;
}

/* Every facet=… argument (the server lets this one repeat), each a comma-separated list. */
static bool parse_facets(const struct request *req, struct reply *rep, struct list_options *o)
{
    for (size_t i = 0; i < req->n_args; i++) {
        if (strcmp(req->args[i].key, "facet") != 0)
            continue;
        const char *p = req->args[i].value;
        do {
            size_t len = strcspn(p, ",");
            if (!add_facet(rep, o, p, len))
                return false;
            p += len;
        } while (*p++ == ',');
    }
    return true;
}

bool list_options_parse(const struct request *req, struct reply *rep, bool ranked,
                        struct list_options *o)
{
    static const char *const collapse_names[] = {"duplicates", NULL};
    int collapse;
    *o = (struct list_options){0};
    if (!param_choice(req, rep, "collapse", collapse_names, &collapse) ||
        !parse_facet_size(req, rep, &o->facet_size) || !parse_facets(req, rep, o))
        return false;
    o->collapse = collapse < 0 ? COLLAPSE_NONE : ranked ? COLLAPSE_RANKED : COLLAPSE_LIST;
    const char *format = request_arg(req, "format");
    bool json = !format || strcasecmp(format, "json") == 0;
    if (o->n_facets && !json) {
        reply_problem(rep, 400, "parameter 'facet' needs format=json: %s has no meta", format);
        return false;
    }
    if (ranked && o->collapse && format && strcasecmp(format, "ndjson") == 0) {
        reply_problem(rep, 400, "parameter 'collapse' is not available with format=ndjson");
        return false;
    }
    return true;
}

/* ---- meta.facets ---- */

struct facet_out {
    struct text *out;
    int shown, size;
    bool truncated;
};

static int put_value(void *ctx, const struct store_facet_value *v)
{
    struct facet_out *f = ctx;
    if (f->shown == f->size) { /* the store was asked for one more: it exists */
        f->truncated = true;
        return 1;
    }
    text_puts(f->out, f->shown++ ? ",{\"value\":" : "{\"value\":");
    if (v->value)
        text_put_json_string(f->out, v->value);
    else
        text_puts(f->out, "null");
    if (v->name) {
        text_puts(f->out, ",\"name\":");
        text_put_json_string(f->out, v->name);
        text_puts(f->out, ",\"type\":");
        text_put_json_string(f->out, v->type ? v->type : "");
    }
    char count[48];
    snprintf(count, sizeof count, ",\"count\":%lld}", v->count);
    text_puts(f->out, count);
    return 0;
}

/* {"source":{"values":[…],"truncated":false},…} into out. */
static enum store_status facets_json(const struct request *req, const struct list_options *o,
                                     const struct store_doc_filter *f, struct text *out)
{
    text_puts(out, "{");
    for (int i = 0; i < o->n_facets; i++) {
        text_puts(out, i ? ",\"" : "\"");
        text_puts(out, store_facet_names[o->facets[i]]);
        text_puts(out, "\":{\"values\":[");
        struct facet_out fo = {out, 0, o->facet_size, false};
        enum store_status s = store_facet_values(req->db, o->facets[i], f, o->collapse,
                                                 o->facet_size + 1, put_value, &fo);
        if (s != STORE_OK)
            return s;
        text_puts(out, fo.truncated ? "],\"truncated\":true}" : "],\"truncated\":false}");
    }
    text_puts(out, "}");
    return out->failed ? STORE_ERROR : STORE_OK;
}

/* The body {"data":[…],"meta":{…}} with ,"facets":json before its last two braces. */
static bool splice_meta(struct reply *rep, const struct text *json)
{
    size_t n = rep->body_len;
    if (n < 2 || memcmp(rep->body + n - 2, "}}", 2) != 0)
        return false;
    static const char key[] = ",\"facets\":";
    char *body = malloc(n + sizeof key - 1 + json->len + 1);
    if (!body)
        return false;
    memcpy(body, rep->body, n - 2);
    memcpy(body + n - 2, key, sizeof key - 1);
    memcpy(body + n - 2 + sizeof key - 1, json->s, json->len);
    memcpy(body + n - 2 + sizeof key - 1 + json->len, "}}", 3);
    free(rep->body);
    rep->body = body;
    rep->body_len = n + sizeof key - 1 + json->len;
    return true;
}

void list_options_add_facets(const struct request *req, struct reply *rep,
                             const struct list_options *o, const struct store_doc_filter *f)
{
    if (!o->n_facets || rep->status != 200 || !rep->body)
        return;
    struct text json = {0};
    enum store_status s = facets_json(req, o, f, &json);
    if (s == STORE_BAD_QUERY)
        reply_problem(rep, 400, "parameter 'q' is not a valid search query");
    else if (s != STORE_OK || !splice_meta(rep, &json))
        reply_problem(rep, 500, "the store could not count the facets");
    free(json.s);
}

char *list_item_collapsed(const char *item, long long n)
{
    struct rows one = {0};
    rows_extend(&one, item);
    rows_member_int(&one, "collapsed_duplicates", n);
    rows_close(&one);
    if (one.json.failed) {
        rows_free(&one);
        return NULL;
    }
    return one.json.s;
}
