/*
 * documents.c — GET /v1/documents (filters, sort, keyset cursor) and GET /v1/documents/{id}.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "params.h"
#include "base/utf8.h"
#include "store/documents.h"

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *document_json(const struct store_doc *d)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:b, s:s, s:I, s:o}", "id", d->id, "title",
                     str_or_null(d->title), "source", str_or_null(d->source), "url",
                     str_or_null(d->url), "published", str_or_null(d->published), "precision",
                     str_or_null(d->precision), "published_inferred", d->published_inferred,
                     "language", d->language ? d->language : "en", "word_count",
                     (json_int_t)d->word_count, "summary", str_or_null(d->summary));
}

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
    if (keyset_page_add(&p->page, document_json(d)))
        p->page.next_cursor = cursor_encode(p->kind, store_doc_sort_key(d, p->sort), d->id);
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
    if (parse_list_params(req, rep, &f, &fts, &key, &id)) {
        struct doc_page p = {.sort = f.sort, .kind = cursor_kinds[f.sort]};
        keyset_page_init(&p.page, f.limit);
        long long total = 0;
        f.limit++; /* the row after the page */
        enum store_status s = store_documents_list(req->db, &f, collect_doc, &p, &total);
        keyset_page_reply(req, rep, &p.page, total, s);
    }
    free(fts);
    free(key);
    free(id);
}

static json_t *json_array_or_empty(const char *text)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    if (json_is_array(a))
        return a;
    json_decref(a);
    return json_array();
}

/* What the text states about itself: dateline (place, date, span), authors, captions, and how
 * the input was decoded. */
static void add_stated_metadata(json_t *out, const struct store_doc *d)
{
    json_t *dateline = json_null();
    if (d->dateline_start >= 0)
        dateline = json_pack("{s:o, s:o, s:I, s:I}", "place", str_or_null(d->place), "date",
                             str_or_null(d->dateline_date), "start", (json_int_t)d->dateline_start,
                             "end", (json_int_t)d->dateline_end);
    json_object_set_new(out, "place", str_or_null(d->place));
    json_object_set_new(out, "dateline", dateline);
    json_object_set_new(out, "authors", json_array_or_empty(d->authors_json));
    json_object_set_new(out, "captions", json_array_or_empty(d->captions_json));
    json_object_set_new(out, "encoding", str_or_null(d->encoding));
}

static int take_doc(void *ctx, const struct store_doc *d)
{
    json_t **out = ctx;
    *out = document_json(d);
    json_object_set_new(*out, "text", json_string(d->text));
    add_stated_metadata(*out, d);
    return 0;
}

static int add_span(void *ctx, long long start, long long end)
{
    json_array_append_new(
        ctx, json_pack("{s:I, s:I}", "start", (json_int_t)start, "end", (json_int_t)end));
    return 0;
}

static int take_evidence(void *ctx, const struct store_evidence *e)
{
    json_t **out = ctx;
    *out = json_pack("{s:s, s:s, s:s, s:s}", "document_id", e->document_id, "phrase", e->phrase,
                     "source_text", e->source_text, "date", e->date);
    return 1;
}

void handle_document_get(const struct request *req, struct reply *rep)
{
    const char *id = req->params[0];
    json_t *doc = NULL;
    enum store_status s = store_document_get(req->db, id, take_doc, &doc);
    if (s == STORE_NOT_FOUND) {
        reply_problem(rep, 404, "no document with id '%s'", id);
        return;
    }
    json_t *paragraphs = json_array(), *evidence = NULL;
    if (s != STORE_OK || store_document_paragraphs(req->db, id, add_span, paragraphs) != STORE_OK ||
        store_document_evidence(req->db, id, take_evidence, &evidence) != STORE_OK) {
        json_decref(doc);
        json_decref(paragraphs);
        json_decref(evidence);
        reply_problem(rep, 500, "the store could not answer");
        return;
    }
    json_object_set_new(doc, "paragraphs", paragraphs);
    json_object_set_new(doc, "published_evidence", evidence ? evidence : json_null());
    reply_json(rep, 200, doc);
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
