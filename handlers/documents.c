/*
 * documents.c — GET /v1/documents (filters, sort, keyset cursor) and GET /v1/documents/{id}.
 */
#include <stdlib.h>
#include <string.h>

#include "facets.h"
#include "handlers.h"
#include "params.h"
#include "base/utf8.h"
#include "store/documents.h"

struct doc_page {
    struct keyset_page page;
    enum store_doc_sort sort;
    char kind;
};

static int collect_doc(void *ctx, const struct store_doc *d)
{
    struct doc_page *p = ctx;
    if (keyset_page_full(&p->page))
        return 1;
    char *collapsed = d->collapsed_duplicates >= 0 /* collapse=duplicates */
                          ? list_item_collapsed(d->item, d->collapsed_duplicates)
                          : NULL;
    if (keyset_page_add_fragment(&p->page, collapsed ? collapsed : d->item))
        p->page.next_cursor = cursor_encode(p->kind, store_doc_sort_key(d, p->sort), d->id);
    free(collapsed);
    return 0;
}

static const char *const sort_names[] = {"-published", "published", "title", NULL};
static const char cursor_kinds[] = {'P', 'p', 't'};

/* Parses every parameter of the list; false when rep holds a 400. */
static bool parse_list_params(const struct request *req, struct reply *rep,
                              struct store_doc_filter *f, char **fts, char **key, char **id)
{
    int sort;
    if (!param_limit(req, rep, &f->limit) || !param_choice(req, rep, "sort", sort_names, &sort) ||
        !param_date(req, rep, "from", &f->from) || !param_date(req, rep, "to", &f->to))
        return false;
    f->sort = sort < 0 ? DOC_SORT_PUBLISHED_DESC : (enum store_doc_sort)sort;
    if (!param_cursor(req, rep, cursor_kinds[f->sort], key, id))
        return false;
    f->after_key = *key;
    f->after_id = *id;
    f->source = request_arg(req, "source");
    f->entity = request_arg(req, "entity");
    const char *q = request_arg(req, "q"), *err = NULL;
    if (q && !(*fts = store_search_compile(q, &err))) {
        reply_problem(rep, 400, "parameter 'q': %s", err);
        return false;
    }
    f->fts = *fts;
    return true;
}

void handle_documents_list(const struct request *req, struct reply *rep)
{
    struct store_doc_filter f = {0};
    char *fts = NULL, *key = NULL, *id = NULL;
    struct list_options o;
    if (parse_list_params(req, rep, &f, &fts, &key, &id) &&
        list_options_parse(req, rep, false, &o)) {
        struct doc_page p = {.sort = f.sort, .kind = cursor_kinds[f.sort]};
        keyset_page_init(&p.page, f.limit);
        long long total = 0;
        f.limit++; /* the row after the page */
        enum store_status s =
            o.collapse ? store_documents_list_collapsed(req->db, &f, collect_doc, &p, &total)
                       : store_documents_list(req->db, &f, collect_doc, &p, &total);
        keyset_page_reply(req, rep, &p.page, total, s);
        list_options_add_facets(req, rep, &o, &f);
    }
    free(fts);
    free(key);
    free(id);
}

/* The document with its text, paragraphs and stated metadata (DocumentFull), as the store
 * rendered it when it was built. */
void handle_document_get(const struct request *req, struct reply *rep)
{
    const char *id = req->params[0];
    char *body = NULL;
    enum store_status s = store_document_body(req->db, id, &body);
    if (s == STORE_NOT_FOUND)
        reply_problem(rep, 404, "no document with id '%s'", id);
    else if (s != STORE_OK)
        reply_problem(rep, 500, "the store could not answer");
    else
        reply_fragment(rep, body);
    free(body);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

struct source_reply {
    json_t *spans;
    const char *original;
    size_t len;
    size_t cp, byte; /* a cursor: spans come in order, so the original is walked once */
};

/* The byte offset of code point cp in the original (cp not before the cursor's). */
static size_t source_byte(struct source_reply *r, size_t cp)
{
    if (cp < r->cp)
        r->cp = r->byte = 0;
    r->byte += utf8_byte_offset(r->original + r->byte, r->len - r->byte, cp - r->cp);
    r->cp = cp;
    return r->byte;
}

/* A set-aside span with its text (sliced from the original by code points). */
static int add_aside(void *ctx, const struct store_aside *a)
{
    struct source_reply *r = ctx;
    json_t *span = json_pack("{s:I, s:I, s:s}", "start", (json_int_t)a->start, "end",
                             (json_int_t)a->end, "reason", a->reason);
    if (a->repeats > 0)
        json_object_set_new(span, "pages", json_integer(a->repeats));
    if (r->original) {
        if (!r->len)
            r->len = strlen(r->original);
        size_t from = source_byte(r, (size_t)a->start);
        size_t to = source_byte(r, (size_t)a->end);
        json_object_set_new(span, "text", json_stringn(r->original + from, to - from));
    }
    json_array_append_new(r->spans, span);
    return 0;
}

void handle_document_source(const struct request *req, struct reply *rep)
{
    const char *id = req->params[0];
    struct source_reply r = {json_array(), NULL, 0, 0, 0};
    enum store_status s = store_document_source(req->db, id, &r.original, add_aside, &r);
    if (s == STORE_NOT_FOUND) {
        json_decref(r.spans);
        reply_problem(rep, 404, "no document with id '%s'", id);
        return;
    }
    if (s != STORE_OK) {
        json_decref(r.spans);
        reply_problem(rep, 500, "the store could not answer");
        return;
    }
    reply_json(rep, 200,
               json_pack("{s:s, s:o, s:I, s:o}", "id", id, "original", str_or_null(r.original),
                         "set_aside_count", (json_int_t)json_array_size(r.spans), "set_aside",
                         r.spans));
}
