/*
 * documents.c — GET /v1/documents (filters, sort, keyset cursor) and GET /v1/documents/{id}.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "params.h"
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
    if (keyset_page_add_fragment(&p->page, d->item))
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

/* The document with its text and paragraphs, as the store rendered it when it was built. */
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
