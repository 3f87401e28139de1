/*
 * search.c — GET /v1/search?q=…: bm25-ranked documents with highlighted snippets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facets.h"
#include "fields.h"
#include "filters.h"
#include "handlers.h"
#include "params.h"
#include "store/documents.h"

char *search_snippet_html(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '&'                  ? 5
             : (*p == '<' || *p == '>') ? 4
             : *p == '"'                ? 6
             : (unsigned char)*p < 3    ? 7
                                        : 1;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = s; *p; p++) {
        const char *rep = *p == '&'      ? "&amp;"
                          : *p == '<'    ? "&lt;"
                          : *p == '>'    ? "&gt;"
                          : *p == '"'    ? "&quot;"
                          : *p == '\x01' ? "<mark>"
                          : *p == '\x02' ? "</mark>"
                                         : NULL;
        if (rep) {
            size_t k = strlen(rep);
            memcpy(o, rep, k);
            o += k;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* The hits of a page: rows, and the document texts when asked for (/v1/documents exports). */
struct hits {
    struct rows rows;
    struct store_conn *db;
    bool with_text;
};

/* A hit: the document's list representation (rendered at build time) with its snippet and score
 * (and its text). */
static int collect_hit(void *ctx, const struct store_doc *d)
{
    struct hits *h = ctx;
    char *snip = search_snippet_html(d->snippet ? d->snippet : ""), *text = NULL;
    if (h->with_text && store_document_text(h->db, d->id, &text) != STORE_OK)
        h->rows.json.failed = true;
    rows_extend(&h->rows, d->item);
    rows_member_string(&h->rows, "snippet", snip);
    rows_member_real(&h->rows, "score", -d->score);
    if (d->collapsed_duplicates >= 0) /* collapse=duplicates */
        rows_member_int(&h->rows, "collapsed_duplicates", d->collapsed_duplicates);
    if (text)
        rows_member_string(&h->rows, "text", text);
    rows_close(&h->rows);
    free(snip);
    free(text);
    return 0;
}

struct search_stream {
    struct fields fields;
    char *fts;
    long long *rowids;
    double *scores;
    size_t n, next;
};

static bool filtered(const struct store_doc_filter *f)
{
    return f->source || f->from || f->to || f->entity || f->entity_type;
}

/* Every match from offset, ranked once (filtered when the request has filters). */
static enum store_status rank_matches(const struct request *req, struct reply *rep,
                                      struct search_stream *s, long long offset)
{
    struct store_doc_filter f = {0};
    struct entity_list ents = {0};
    enum store_status st = STORE_BAD_QUERY;
    if (param_doc_filters(req, rep, &f, &ents))
        st = filtered(&f)
                 ? store_search_ranking_filtered(req->db, s->fts, &f, offset, &s->rowids,
                                                 &s->scores, &s->n)
                 : store_search_ranking(req->db, s->fts, offset, &s->rowids, &s->scores, &s->n);
    entity_list_free(&ents);
    return st;
}

struct search_stream *search_stream_open(const struct request *req, struct reply *rep)
{
    const char *q = request_arg(req, "q"), *err = NULL;
    long long offset;
    if (!q || !*q) {
        reply_problem(rep, 400, "parameter 'q' is required");
        return NULL;
    }
    struct list_options o;
    if (!param_offset_cursor(req, rep, 's', &offset) || !list_options_parse(req, rep, true, &o))
        return NULL;
    struct search_stream *s = calloc(1, sizeof *s);
    if (!s) {
        reply_problem(rep, 500, "out of memory");
        return NULL;
    }
    if (!param_fields(req, rep, search_hit_fields, &s->fields)) {
        free(s);
        return NULL;
    }
    if (!(s->fts = store_search_compile(q, &err))) {
        reply_problem(rep, 400, "parameter 'q': %s", err);
        search_stream_free(s);
        return NULL;
    }
    enum store_status st = rank_matches(req, rep, s, offset);
    if (st != STORE_OK) {
        search_stream_free(s);
        if (rep->status) /* a bad filter: its problem is in rep */
            return NULL;
        if (st == STORE_BAD_QUERY)
            reply_problem(rep, 400, "parameter 'q' is not a valid search query");
        else
            reply_problem(rep, 500, "the store could not answer");
        return NULL;
    }
    return s;
}

struct lines {
    struct text *out;
    const struct fields *fields;
};

/* One hit as one NDJSON line: the item of the JSON list (its selected fields), then a newline. */
static int collect_line(void *ctx, const struct store_doc *d)
{
    struct lines *l = ctx;
    struct hits hit = {0};
    collect_hit(&hit, d);
    struct rows one = hit.rows;
    l->out->failed |= one.json.failed;
    char *reduced = one.json.s && l->fields->n
                        ? fields_select_object(one.json.s, one.json.len, l->fields)
                        : NULL;
    if (one.json.s && l->fields->n && !reduced)
        l->out->failed = true;
    else if (one.json.s) {
        text_puts(l->out, reduced ? reduced : one.json.s);
        text_put(l->out, "\n", 1);
    }
    free(reduced);
    rows_free(&one);
    return 0;
}

bool search_stream_next(struct search_stream *s, struct store_conn *c, size_t n, struct text *out,
                        bool *failed)
{
    *failed = false;
    if (s->next >= s->n)
        return false;
    if (n > s->n - s->next)
        n = s->n - s->next;
    struct lines lines = {out, &s->fields};
    *failed = store_search_rows(c, s->fts, s->rowids + s->next, s->scores + s->next, n,
                                collect_line, &lines) != STORE_OK ||
              out->failed;
    s->next += n;
    return !*failed;
}

void search_stream_free(struct search_stream *s)
{
    if (!s)
        return;
    fields_free(&s->fields);
    free(s->fts);
    free(s->rowids);
    free(s->scores);
    free(s);
}

/* A ranked page: /v1/search (offset cursors 's'), or /v1/documents?q=…&sort=relevance ('r',
 * whose NDJSON export carries the documents' text like its other orders). */
static void reply_ranked(const struct request *req, struct reply *rep, char kind,
                         const char *const *known)
{
    const char *q = request_arg(req, "q"), *err = NULL;
    int limit;
    long long offset;
    if (!q || !*q) {
        reply_problem(rep, 400,
                      kind == 's' ? "parameter 'q' is required"
                                  : "sort=relevance needs a query: parameter 'q'");
        return;
    }
    struct store_doc_filter f = {0};
    struct entity_list ents = {0};
    struct fields fl = {0};
    struct list_options o;
    if (!param_limit(req, rep, &limit) || !param_offset_cursor(req, rep, kind, &offset) ||
        !param_fields(req, rep, known, &fl) || !param_doc_filters(req, rep, &f, &ents) ||
        !list_options_parse(req, rep, true, &o)) {
        entity_list_free(&ents);
        fields_free(&fl);
        return;
    }
    char *fts = store_search_compile(q, &err);
    if (!fts) {
        entity_list_free(&ents);
        fields_free(&fl);
        reply_problem(rep, 400, "parameter 'q': %s", err);
        return;
    }
    const char *format = request_arg(req, "format");
    struct hits hits = {.db = req->db,
                        .with_text =
                            kind == 'r' && ((format && strcmp(format, "ndjson") == 0 && !fl.n) ||
                                            fields_wanted(&fl, "text"))};
    long long total = 0;
    f.fts = fts; /* the facets and the collapsed ranking count under the query too */
    enum store_status s =
        o.collapse ? store_search_collapsed(req->db, &f, limit, offset, collect_hit, &hits, &total)
        : filtered(&f)
            ? store_search_filtered(req->db, fts, &f, limit, offset, collect_hit, &hits, &total)
            : store_search(req->db, fts, limit, offset, collect_hit, &hits, &total);
    if (s != STORE_OK) {
        entity_list_free(&ents);
        free(fts);
        rows_free(&hits.rows);
        fields_free(&fl);
        if (s == STORE_BAD_QUERY)
            reply_problem(rep, 400, "parameter 'q' is not a valid search query");
        else
            reply_problem(rep, 500, "the store could not answer");
        return;
    }
    reply_page(req, rep, &hits.rows, total, limit, offset_cursor_next(kind, offset, limit, total));
    list_options_add_facets(req, rep, &o, &f);
    fields_select(rep, &fl, true);
    fields_free(&fl);
    entity_list_free(&ents);
    free(fts);
}

void handle_search(const struct request *req, struct reply *rep)
{
    reply_ranked(req, rep, 's', search_hit_fields);
}

void handle_documents_ranked(const struct request *req, struct reply *rep)
{
    reply_ranked(req, rep, 'r', document_list_fields);
}
