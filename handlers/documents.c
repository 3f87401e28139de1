/*
 * documents.c — GET /v1/documents (filters, sort, keyset cursor) and GET /v1/documents/{id}.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facets.h"
#include "fields.h"
#include "filters.h"
#include "handlers.h"
#include "params.h"
#include "base/utf8.h"
#include "store/documents.h"

struct doc_page {
    struct keyset_page page;
    enum store_doc_sort sort;
    char kind;
    struct store_conn *db; /* for the snippets and texts */
    const char *fts;       /* q: each row gets its snippet and score, as a search hit does */
    bool with_text;
};

/* The listed document with its snippet and score (q) and its text (an export, or
 * fields=…,text): one lookup by id each. */
static bool add_extended(struct doc_page *p, const struct store_doc *d, const char *item)
{
    char *text = NULL, *snippet = NULL, *html = NULL;
    double score = 0;
    bool ok =
        item && (!p->with_text || store_document_text(p->db, d->id, &text) == STORE_OK) &&
        (!p->fts || (store_search_snippet(p->db, p->fts, d->id, &snippet, &score) == STORE_OK &&
                     (html = search_snippet_html(snippet))));
    if (ok) {
        rows_extend(&p->page.rows, item);
        if (p->fts) {
            rows_member_string(&p->page.rows, "snippet", html);
            rows_member_real(&p->page.rows, "score", -score);
        }
        if (p->with_text)
            rows_member_string(&p->page.rows, "text", text);
        rows_close(&p->page.rows);
    } else {
        p->page.rows.json.failed = true;
    }
    free(text);
    free(snippet);
    free(html);
    return ++p->page.count == p->page.limit;
}

static int collect_doc(void *ctx, const struct store_doc *d)
{
    struct doc_page *p = ctx;
    if (keyset_page_full(&p->page))
        return 1;
    char *collapsed = d->collapsed_duplicates >= 0 /* collapse=duplicates */
                          ? list_item_collapsed(d->item, d->collapsed_duplicates)
                          : NULL;
    const char *item = collapsed ? collapsed : d->item;
    if (p->with_text || p->fts ? add_extended(p, d, item)
                               : keyset_page_add_fragment(&p->page, item))
        p->page.next_cursor = cursor_encode(p->kind, store_doc_sort_key(d, p->sort), d->id);
    free(collapsed);
    return 0;
}

/* relevance: only with q, ranked as a search (search.c) */
static const char *const sort_names[] = {"-published", "published", "title", "relevance", NULL};
#define SORT_RELEVANCE 3
static const char cursor_kinds[] = {'P', 'p', 't'};

/* Parses every parameter of the list; false when rep holds a 400. */
static bool parse_list_params(const struct request *req, struct reply *rep,
                              struct store_doc_filter *f, struct entity_list *ents, char **fts,
                              char **key, char **id)
{
    int sort;
    if (!param_limit(req, rep, &f->limit) || !param_choice(req, rep, "sort", sort_names, &sort) ||
        !param_doc_filters(req, rep, f, ents))
        return false;
    if (sort == SORT_RELEVANCE) { /* handle_documents_list sent it to the ranked list */
        reply_problem(rep, 500, "sort=relevance reached the keyset list");
        return false;
    }
    f->sort = sort < 0 ? DOC_SORT_PUBLISHED_DESC : (enum store_doc_sort)sort;
    if (!param_cursor(req, rep, cursor_kinds[f->sort], key, id))
        return false;
    f->after_key = *key;
    f->after_id = *id;
    const char *q = request_arg(req, "q"), *err = NULL;
    if (q && !(*fts = store_search_compile(q, &err))) {
        reply_problem(rep, 400, "parameter 'q': %s", err);
        return false;
    }
    f->fts = *fts;
    return true;
}

/* fields=, against the list's fields; a snippet and a score exist only with q. */
static bool parse_list_fields(const struct request *req, struct reply *rep, struct fields *fl)
{
    if (!param_fields(req, rep, document_list_fields, fl))
        return false;
    if (request_arg(req, "q") || !(fields_wanted(fl, "snippet") || fields_wanted(fl, "score")))
        return true;
    fields_free(fl);
    reply_problem(rep, 400, "parameter 'fields': 'snippet' and 'score' need a query ('q')");
    return false;
}

/* Each document's text: asked for by fields=, or an NDJSON export without fields=. */
static bool wants_text(const struct request *req, const struct fields *fl)
{
    const char *format = request_arg(req, "format");
    return fields_wanted(fl, "text") || (format && strcmp(format, "ndjson") == 0 && !fl->n);
}

void handle_documents_list(const struct request *req, struct reply *rep)
{
    struct store_doc_filter f = {0};
    struct entity_list ents = {0};
    struct fields fl;
    char *fts = NULL, *key = NULL, *id = NULL;
    const char *sort = request_arg(req, "sort");
    if (sort && strcasecmp(sort, sort_names[SORT_RELEVANCE]) == 0) {
        handle_documents_ranked(req, rep);
        return;
    }
    if (!parse_list_fields(req, rep, &fl))
        return;
    struct list_options o;
    if (parse_list_params(req, rep, &f, &ents, &fts, &key, &id) &&
        list_options_parse(req, rep, false, &o)) {
        struct doc_page p = {.sort = f.sort,
                             .kind = cursor_kinds[f.sort],
                             .db = req->db,
                             .fts = fts,
                             .with_text = wants_text(req, &fl)};
        keyset_page_init(&p.page, f.limit);
        long long total = 0;
        f.limit++; /* the row after the page */
        enum store_status s =
            o.collapse ? store_documents_list_collapsed(req->db, &f, collect_doc, &p, &total)
                       : store_documents_list(req->db, &f, collect_doc, &p, &total);
        keyset_page_reply(req, rep, &p.page, total, s);
        list_options_add_facets(req, rep, &o, &f);
        fields_select(rep, &fl, true);
    }
    fields_free(&fl);
    entity_list_free(&ents);
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
    struct fields fl;
    if (!param_fields(req, rep, document_full_fields, &fl))
        return;
    enum store_status s = store_document_body(req->db, id, &body);
    if (s == STORE_NOT_FOUND)
        reply_problem(rep, 404, "no document with id '%s'", id);
    else if (s != STORE_OK)
        reply_problem(rep, 500, "the store could not answer");
    else
        reply_fragment(rep, body);
    fields_select(rep, &fl, false);
    fields_free(&fl);
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
