/*
 * fuzz_query.c — the query string, the parameter parsers and opaque cursors (handlers/params.c),
 * the search-query compiler (store/search.c) and every handler behind them, over a store built
 * once from the seed corpus.
 *
 * Input: "PATH?QUERY" (PATH must start with '/'), or just QUERY for /v1/documents. The query is
 * split and percent-decoded the way libmicrohttpd does (MHD_http_unescape), and checked the way
 * server/dispatch.c checks it (UTF-8, accepted keys, no duplicates, at most QUERY_MAX_ARGS).
 * Invariants: every answer is JSON with a status below 500; a compiled search query is never an
 * FTS5 syntax error; a cursor we issue is accepted again and decodes to what was encoded.
 */
#include <jansson.h>
#include <microhttpd.h>

#include "fuzz_util.h"
#include "handlers/handlers.h"
#include "handlers/params.h"
#include "ingest/corpus.h"
#include "base/utf8.h"
#include "server/router.h"
#include "store/documents.h"

static struct store *store;
static struct store_conn *conn;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *corpus = getenv("CORPUSD_TEST_CORPUS") ? getenv("CORPUSD_TEST_CORPUS") : "corpus";
    char *err = NULL;
    struct ingest *ing = ingest_open(fuzz_data_dir(), &err);
    struct corpus c;
    if (!ing || corpus_load(ing, corpus, &c, NULL, NULL, &err) < 0) {
        fprintf(stderr, "fuzz_query: cannot load %s: %s\n", corpus, err ? err : "?");
        exit(1);
    }
    store = store_build(c.docs, c.n_docs, NULL, NULL, &err);
    corpus_free(&c);
    ingest_close(ing);
    if (!store || !(conn = store_acquire(store, &err))) {
        fprintf(stderr, "fuzz_query: cannot build the store: %s\n", err ? err : "?");
        exit(1);
    }
    return 0;
}

static int count_row(void *ctx, const struct store_doc *d)
{
    (void)d;
    ++*(int *)ctx;
    return 0;
}

/* Runs the route's handler and checks the answer; returns the parsed body (or NULL). */
static json_t *run(const struct route *route, struct request *req)
{
    struct reply rep = {0};
    route->handler(req, &rep);
    if (rep.status < 200 || rep.status >= 500)
        fprintf(stderr, "status %d: %.*s\n", rep.status, (int)rep.body_len,
                rep.body ? rep.body : "");
    FUZZ_CHECK(rep.status >= 200 && rep.status < 500);
    FUZZ_CHECK(rep.content_type != NULL);
    json_error_t jerr;
    json_t *j = json_loadb(rep.body, rep.body_len, 0, &jerr);
    FUZZ_CHECK(j != NULL);
    free(rep.body);
    if (rep.status != 200) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static void check_cursor_roundtrip(const uint8_t *data, size_t size)
{
    /* kind, key and id from the input (no 0x1f or NUL inside: those are separators). */
    if (size < 1)
        return;
    char kind = (char)data[0];
    char key[64] = "", id[64] = "";
    size_t k = 0, i = 0, p = 1;
    for (; p < size && data[p] != 0x1f && k < sizeof key - 1; p++)
        if (data[p])
            key[k++] = (char)data[p];
    for (p++; p < size && i < sizeof id - 1; p++)
        if (data[p] && data[p] != 0x1f)
            id[i++] = (char)data[p];
    if (!kind || kind == 0x1f)
        return;
    char *c = cursor_encode(kind, key, id);
    FUZZ_CHECK(c != NULL);
    struct request req = {.method = "GET", .path = "/"};
    req.args[req.n_args++] = (struct query_arg){"cursor", c};
    struct reply rep = {0};
    char *dk = NULL, *di = NULL;
    FUZZ_CHECK(param_cursor(&req, &rep, kind, &dk, &di));
    FUZZ_CHECK(dk && di && strcmp(dk, key) == 0 && strcmp(di, id) == 0);
    free(dk);
    free(di);
    char other = kind == 'd' ? 't' : 'd';
    FUZZ_CHECK(!param_cursor(&req, &rep, other, &dk, &di));
    free(rep.body);
    free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    check_cursor_roundtrip(data, size);
    store_budget_restart(conn); /* each input is one request: its own CPU budget */
    char *in = fuzz_strndup(data, size);
    char *q = in, *path = "/v1/documents";
    if (in[0] == '/') {
        path = in;
        q = strchr(in, '?');
        if (q)
            *q++ = '\0';
        else
            q = "";
        MHD_http_unescape(path);
    }
    char buf[1024];
    struct request req = {
        .method = "GET", .path = path, .base_path = "", .db = conn, .store = store};
    const struct route *route = router_match(path, buf, sizeof buf, req.params, &req.n_params);
    bool ok = route != NULL && utf8_valid(path, strlen(path));
    /* Split like libmicrohttpd: '&' between arguments, the first '=' between key and value. */
    for (char *arg = q, *next; ok && arg && *arg; arg = next) {
        next = strchr(arg, '&');
        if (next)
            *next++ = '\0';
        char *eq = strchr(arg, '=');
        if (eq)
            *eq++ = '\0';
        MHD_http_unescape(arg);
        if (eq)
            MHD_http_unescape(eq);
        const char *value = eq ? eq : "";
        ok = utf8_valid(arg, strlen(arg)) && utf8_valid(value, strlen(value)) &&
             req.n_args < QUERY_MAX_ARGS && route_accepts(route, arg) && !request_arg(&req, arg);
        if (ok)
            req.args[req.n_args++] = (struct query_arg){arg, value};
    }
    /* Any query a client can send: if it compiles, FTS5 must accept it. */
    const char *sq = request_arg(&req, "q");
    if (sq) {
        const char *err = NULL;
        char *fts = store_search_compile(sq, &err);
        FUZZ_CHECK((fts == NULL) != (err == NULL));
        if (fts) {
            long long total = 0;
            int rows = 0;
            enum store_status st = store_search(conn, fts, 5, 0, count_row, &rows, &total);
            if (st != STORE_OK)
                fprintf(stderr, "q=[%s] compiled=[%s] status %d\n", sq, fts, st);
            FUZZ_CHECK(st == STORE_OK);
            free(fts);
        }
    }
    if (ok) {
        json_t *j = run(route, &req);
        const char *next =
            json_string_value(json_object_get(json_object_get(j, "meta"), "next_cursor"));
        if (next) { /* the next page must be answered too */
            size_t ci = req.n_args;
            for (size_t i = 0; i < req.n_args; i++)
                if (strcmp(req.args[i].key, "cursor") == 0)
                    ci = i;
            if (ci == req.n_args)
                req.n_args++;
            req.args[ci] = (struct query_arg){"cursor", next};
            json_decref(run(route, &req));
        }
        json_decref(j);
    }
    free(in);
    return 0;
}
