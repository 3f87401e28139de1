/*
 * sources.c — GET /v1/sources: the publishers of the documents, most documents first, filtered
 * by a part of the name (what a source picker asks as the user types).
 */
#include <stdio.h>
#include <stdlib.h>

#include "handlers.h"
#include "params.h"
#include "store/sources.h"

static int collect_source(void *ctx, const struct store_source *s)
{
    struct keyset_page *p = ctx;
    if (keyset_page_full(p))
        return 1;
    if (keyset_page_add(p, json_pack("{s:s, s:I}", "name", s->name, "document_count",
                                     (json_int_t)s->document_count))) {
        char count[24];
        snprintf(count, sizeof count, "%lld", s->document_count);
        p->next_cursor = cursor_encode('S', count, s->name);
    }
    return 0;
}

void handle_sources_list(const struct request *req, struct reply *rep)
{
    struct store_source_filter f = {0};
    char *key = NULL, *name = NULL;
    if (!param_limit(req, rep, &f.limit) || !param_cursor(req, rep, 'S', &key, &name))
        return;
    f.q = request_arg(req, "q");
    f.after_key = key;
    f.after_id = name;
    struct keyset_page p;
    keyset_page_init(&p, f.limit);
    f.limit++; /* the row after the page */
    long long total = 0;
    enum store_status s = store_sources_list(req->db, &f, collect_source, &p, &total);
    keyset_page_reply(req, rep, &p, total, s);
    free(key);
    free(name);
}
