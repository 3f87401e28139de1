/*
 * search.c — GET /v1/search?q=…: bm25-ranked documents with highlighted snippets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    rows_close(ctx);
    free(snip);
    return 0;
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
    if (!param_limit(req, rep, &limit) || !param_offset_cursor(req, rep, 's', &offset))
        return;
    char *fts = store_search_compile(q, &err);
    if (!fts) {
        reply_problem(rep, 400, "parameter 'q': %s", err);
        return;
    }
    struct rows hits = {0};
    long long total = 0;
    enum store_status s = store_search(req->db, fts, limit, offset, collect_hit, &hits, &total);
    free(fts);
    if (s != STORE_OK) {
        rows_free(&hits);
        if (s == STORE_BAD_QUERY)
            reply_problem(rep, 400, "parameter 'q' is not a valid search query");
        else
            reply_problem(rep, 500, "the store could not answer");
        return;
    }
    reply_page(req, rep, &hits, total, limit, offset_cursor_next('s', offset, limit, total));
}
