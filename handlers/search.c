/*
 * search.c — GET /v1/search?q=…: bm25-ranked documents with highlighted snippets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facets.h"
#include "handlers.h"
#include "params.h"
#include "store/documents.h"

/* The snippet as HTML: text escaped, the store's \x01…\x02 markers turned into <mark>…</mark>. */
static char *snippet_html(const char *s)
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

/* A hit: the document's list representation (rendered at build time) with its snippet and score. */
static int collect_hit(void *ctx, const struct store_doc *d)
{
    char *snip = snippet_html(d->snippet ? d->snippet : "");
    rows_extend(ctx, d->item);
    rows_member_string(ctx, "snippet", snip);
    rows_member_real(ctx, "score", -d->score);
    if (d->collapsed_duplicates >= 0) /* collapse=duplicates */
        rows_member_int(ctx, "collapsed_duplicates", d->collapsed_duplicates);
    rows_close(ctx);
    free(snip);
    return 0;
}

struct search_stream {
    char *fts;
    long long *rowids;
    double *scores;
    size_t n, next;
};

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
    if (!(s->fts = store_search_compile(q, &err))) {
        reply_problem(rep, 400, "parameter 'q': %s", err);
        free(s);
        return NULL;
    }
    enum store_status st =
        store_search_ranking(req->db, s->fts, offset, &s->rowids, &s->scores, &s->n);
    if (st != STORE_OK) {
        search_stream_free(s);
        if (st == STORE_BAD_QUERY)
            reply_problem(rep, 400, "parameter 'q' is not a valid search query");
        else
            reply_problem(rep, 500, "the store could not answer");
        return NULL;
    }
    return s;
}

/* One hit as one NDJSON line: the item of the JSON list, then a newline. */
static int collect_line(void *ctx, const struct store_doc *d)
{
    struct text *out = ctx;
    struct rows one = {0};
    collect_hit(&one, d);
    out->failed |= one.json.failed;
    if (one.json.s) {
        text_put(out, one.json.s, one.json.len);
        text_put(out, "\n", 1);
    }
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
    *failed = store_search_rows(c, s->fts, s->rowids + s->next, s->scores + s->next, n,
                                collect_line, out) != STORE_OK ||
              out->failed;
    s->next += n;
    return !*failed;
}

void search_stream_free(struct search_stream *s)
{
    if (!s)
        return;
    free(s->fts);
    free(s->rowids);
    free(s->scores);
    free(s);
}

void handle_search(const struct request *req, struct reply *rep)
{
    const char *q = request_arg(req, "q"), *err = NULL;
    int limit;
    long long offset;
    if (!q || !*q) {
        reply_problem(rep, 400, "parameter 'q' is required");
        return;
    }
    struct list_options o;
    if (!param_limit(req, rep, &limit) || !param_offset_cursor(req, rep, 's', &offset) ||
        !list_options_parse(req, rep, true, &o))
        return;
    char *fts = store_search_compile(q, &err);
    if (!fts) {
        reply_problem(rep, 400, "parameter 'q': %s", err);
        return;
    }
    struct rows hits = {0};
    long long total = 0;
    struct store_doc_filter f = {.fts = fts};
    enum store_status s =
        o.collapse ? store_search_collapsed(req->db, &f, limit, offset, collect_hit, &hits, &total)
                   : store_search(req->db, fts, limit, offset, collect_hit, &hits, &total);
    if (s != STORE_OK) {
        free(fts);
        rows_free(&hits);
        if (s == STORE_BAD_QUERY)
            reply_problem(rep, 400, "parameter 'q' is not a valid search query");
        else
            reply_problem(rep, 500, "the store could not answer");
        return;
    }
    reply_page(req, rep, &hits, total, limit, offset_cursor_next('s', offset, limit, total));
    list_options_add_facets(req, rep, &o, &f);
    free(fts);
}
