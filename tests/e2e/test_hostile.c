/*
 * test_hostile.c — end-to-end: the real corpusd against hostile clients and a hostile corpus.
 * Raw sockets send what curl will not (NUL bytes, invalid escapes, 10 000 parameters, megabyte
 * request lines, slow and idle connections). Every answer must be a well-formed HTTP response
 * (problem JSON for API errors) or a clean close, never a crash, and the server must keep
 * serving and exit 0 on SIGTERM (under ASan/valgrind: without leaks).
 *
 * The server runs with a short connection timeout and small connection limits so the slow
 * client checks take seconds: --timeout 2 --per-ip-limit 16 --max-connections 48.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "harness.h"
#include "raw_http.h"

#define TIMEOUT_S 2
#define PER_IP_LIMIT 16
#define MAX_CONNECTIONS 48

static struct server_proc srv;

/* ---- raw HTTP ---------------------------------------------------------------------------- */

/* A TCP connection to the server from source address src ("127.0.0.1", "127.0.0.2", … all
 * loopback on Linux), or -1. */
static int raw_connect(const struct server_proc *s, const char *src)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (src) {
        struct sockaddr_in b = {.sin_family = AF_INET};
        inet_pton(AF_INET, src, &b.sin_addr);
        if (bind(fd, (struct sockaddr *)&b, sizeof b) < 0) {
            close(fd);
            return -1;
        }
    }
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

struct raw_reply {
    int status;  /* 0: no HTTP answer */
    bool closed; /* the server closed (or reset) the connection */
    char *data;  /* everything received, NUL-terminated */
    size_t len;
    const char *body;
    size_t body_len;
};

static void raw_free(struct raw_reply *r)
{
    free(r->data);
    memset(r, 0, sizeof *r);
}

/* Reads until the first answer is complete (Content-Length), the server closes, or timeout_s
 * passes. */
static void raw_read(int fd, struct raw_reply *r, double timeout_s)
{
    struct raw_answer a = {0};
    raw_receive(fd, &a, timeout_s); /* raw_http.h */
    assert_non_null(a.data);
    *r = (struct raw_reply){.status = a.status, .closed = a.closed, .data = a.data, .len = a.len};
    char *hdr_end = strstr(r->data, "\r\n\r\n");
    if (hdr_end) {
        r->body = hdr_end + 4;
        r->body_len = r->len - (size_t)(r->body - r->data);
    }
}

/* Sends len bytes (stopping quietly if the server closes early) and reads the answer. */
static struct raw_reply raw_send(const char *data, size_t len, double timeout_s)
{
    struct raw_reply r = {0};
    int fd = raw_connect(&srv, NULL);
    assert_true(fd >= 0);
    size_t off = 0;
    while (off < len) {
        ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    raw_read(fd, &r, timeout_s);
    close(fd);
    return r;
}

/* GET target (any bytes, length tlen) with optional extra header lines (each ending "\r\n"). */
static struct raw_reply raw_get(const char *target, size_t tlen, const char *extra)
{
    size_t elen = extra ? strlen(extra) : 0;
    char *req = malloc(tlen + elen + 128);
    assert_non_null(req);
    size_t n = 0;
    memcpy(req, "GET ", 4), n = 4;
    memcpy(req + n, target, tlen), n += tlen;
    n += (size_t)sprintf(req + n, " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    if (elen)
        memcpy(req + n, extra, elen), n += elen;
    memcpy(req + n, "\r\n", 2), n += 2;
    struct raw_reply r = raw_send(req, n, 10);
    free(req);
    return r;
}

static struct raw_reply raw_get_str(const char *target)
{
    return raw_get(target, strlen(target), NULL);
}

/* The answer has status, and for API errors an RFC 9457 problem body with that status. */
static void assert_problem_reply(const struct raw_reply *r, int status)
{
    if (r->status != status)
        fail_msg("expected %d, got %d: %.300s", status, r->status, r->data ? r->data : "");
    assert_non_null(strcasestr(r->data, "\r\nContent-Type: application/problem+json"));
    json_t *j = json_loadb(r->body, r->body_len, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
    assert_true(json_is_string(json_object_get(j, "detail")));
    json_decref(j);
}

/* GET target must answer status with a problem body. */
static void expect_problem(const char *target, int status)
{
    struct raw_reply r = raw_get_str(target);
    assert_problem_reply(&r, status);
    raw_free(&r);
}

/* Any well-formed answer below 500: 2xx with JSON, or a 4xx problem. */
static int expect_json_below_500(const char *target)
{
    struct raw_reply r = raw_get_str(target);
    if (r.status < 200 || r.status >= 500)
        fail_msg("%s: got %d: %.300s", target, r.status, r.data ? r.data : "");
    if (r.status >= 400) {
        assert_problem_reply(&r, r.status);
    } else {
        json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
        if (!j)
            fail_msg("%s: %d without a JSON body", target, r.status);
        json_decref(j);
    }
    int st = r.status;
    raw_free(&r);
    return st;
}

/* The server is alive and answering. */
static void assert_alive(void)
{
    struct http_response h = http_get(&srv, "/healthz");
    assert_int_equal(h.status, 200);
    http_free(&h);
}

/* Requests being answered right now (from /metrics), -1 when the server has no /metrics. */
static long long in_flight(void)
{
    struct http_response m = http_get(&srv, "/metrics");
    const char *p = m.status == 200 ? strstr(m.body, "\ncorpusd_http_requests_in_flight ") : NULL;
    long long n = p ? atoll(p + 33) : -1;
    http_free(&m);
    return n;
}

/* In-flight requests settle to at most the /metrics request itself (true without /metrics).
 * A connection's close notification may run a moment after the client sees the close. */
static bool in_flight_settles(void)
{
    for (int i = 0; i < 30; i++) {
        long long f = in_flight();
        if (f <= 1)
            return true;
        usleep(100 * 1000);
    }
    return false;
}

/* ---- set-up ------------------------------------------------------------------------------ */

static int start_server(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    const char *corpus = getenv("CORPUSD_TEST_CORPUS") ? getenv("CORPUSD_TEST_CORPUS") : "corpus";
    curl_global_init(CURL_GLOBAL_DEFAULT);
    static const char *const extra[] = {"--timeout",
                                        "2",
                                        "--per-ip-limit",
                                        "16",
                                        "--max-connections",
                                        "48",
                                        "--shutdown-timeout",
                                        "2",
                                        "--access-log",
                                        "off",
                                        NULL};
    return server_spawn(&srv, corpus, extra);
}

static int stop_server(void **state)
{
    (void)state;
    int rc = server_stop_proc(&srv);
    curl_global_cleanup();
    if (rc != 0)
        fprintf(stderr, "corpusd exited with %d after SIGTERM\n", rc);
    return rc == 0 ? 0 : -1;
}

/* ---- hostile requests -------------------------------------------------------------------- */

static void test_long_uri(void **state)
{
    (void)state;
    size_t n = 9000;
    char *t = malloc(1000001);
    assert_non_null(t);
    memcpy(t, "/v1/search?q=", 13);
    memset(t + 13, 'a', 1000000 - 13);
    struct raw_reply r = raw_get(t, n, NULL); /* 9 KB: over the 8 KB limit */
    assert_problem_reply(&r, 414);
    raw_free(&r);
    r = raw_get(t, 100000, NULL); /* 100 KB */
    assert_problem_reply(&r, 414);
    raw_free(&r);
    r = raw_get(t, 1000000, NULL); /* 1 MB: over the connection's memory; 414 or a reset */
    assert_true(r.status == 414 || (r.status == 0 && r.closed));
    raw_free(&r);
    free(t);
    r = raw_get(t = strdup("/v1/search?q=soybean"), 20, NULL); /* a normal one still works */
    assert_int_equal(r.status, 200);
    raw_free(&r);
    free(t);
    assert_alive();
}

static void test_large_headers(void **state)
{
    (void)state;
    char *h = malloc(300000);
    assert_non_null(h);
    /* one 20 KB header */
    int n = sprintf(h, "X-Big: ");
    memset(h + n, 'b', 20000);
    strcpy(h + n + 20000, "\r\n");
    struct raw_reply r = raw_get("/healthz", 8, h);
    assert_problem_reply(&r, 431);
    raw_free(&r);
    /* 300 headers of 100 bytes */
    size_t len = 0;
    for (int i = 0; i < 300; i++)
        len += (size_t)sprintf(h + len, "X-H%d: %0100d\r\n", i, 0);
    r = raw_get("/healthz", 8, h);
    assert_problem_reply(&r, 431);
    raw_free(&r);
    /* one 200 KB header: more than the connection's memory; the library answers 431 */
    n = sprintf(h, "X-Big: ");
    memset(h + n, 'b', 200000);
    strcpy(h + n + 200000, "\r\n");
    r = raw_get("/healthz", 8, h);
    assert_true(r.status == 431 || (r.status == 0 && r.closed));
    raw_free(&r);
    free(h);
    assert_alive();
}

static void test_many_query_parameters(void **state)
{
    (void)state;
    char *t = malloc(200000);
    assert_non_null(t);
    /* 1000 parameters (a 7 KB target): a 400 problem */
    size_t n = (size_t)sprintf(t, "/v1/documents?");
    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(t + n, "%slimit=%d", i ? "&" : "", i % 10);
    struct raw_reply r = raw_get(t, n, NULL);
    assert_problem_reply(&r, 400);
    raw_free(&r);
    /* 10 000 parameters (79 KB). libmicrohttpd 0.9.75 cannot store that many arguments in the
     * connection's memory and then neither answers nor calls back; the server answers such a
     * request from the URI callback (server/access_log.c; timed in test_hostile_limits.c). */
    n = (size_t)sprintf(t, "/v1/documents?");
    for (int i = 0; i < 10000; i++)
        n += (size_t)sprintf(t + n, "%sa%d=1", i ? "&" : "", i);
    double t0 = raw_now();
    r = raw_get(t, n, NULL);
    assert_true((r.status >= 400 && r.status < 500) || (r.status == 0 && r.closed));
    assert_true(raw_now() - t0 < TIMEOUT_S + 3);
    raw_free(&r);
    /* 10 000 empty parameters "&&&…" */
    n = (size_t)sprintf(t, "/v1/documents?");
    memset(t + n, '&', 10000);
    r = raw_get(t, n + 10000, NULL);
    assert_true((r.status >= 400 && r.status < 500) || (r.status == 0 && r.closed));
    raw_free(&r);
    free(t);
    assert_alive();
    /* Nothing is left in flight: the unanswered requests were finished when they closed. */
    assert_true(in_flight_settles());
}

static void test_invalid_percent_encoding(void **state)
{
    (void)state;
    /* Invalid escapes are kept as text: a search for "%zz", an unknown id, a bad limit. */
    assert_int_equal(expect_json_below_500("/v1/search?q=%zz"), 200);
    expect_problem("/v1/search?q=%", 400); /* no searchable word */
    expect_problem("/v1/search?q=%25", 400);
    expect_problem("/v1/documents?limit=%4", 400);
    expect_problem("/v1/documents?limit=%g1", 400);
    expect_problem("/v1/documents/%zz", 404);
    expect_problem("/v1/documents/%", 404);
    expect_problem("/v1/entities/%e4%b8", 400); /* a cut multi-byte escape: invalid UTF-8 */
    expect_problem("/v1/documents?%zz=1", 400); /* unknown parameter */
    expect_json_below_500("/v1/documents?cursor=%ZZ%");
    assert_alive();
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    expect_problem("/v1/search?q=%ff%fe", 400);
    expect_problem("/v1/search?q=%c0%af", 400);       /* overlong '/' */
    expect_problem("/v1/search?q=%ed%a0%80", 400);    /* a UTF-16 surrogate */
    expect_problem("/v1/search?q=%f4%90%80%80", 400); /* above U+10FFFF */
    expect_problem("/v1/documents/%c3%28", 400);
    expect_problem("/v1/documents?source=%80", 400);
    expect_problem("/v1/documents?%ff=1", 400);
    /* raw (unescaped) bytes >= 0x80 in the request line */
    struct raw_reply r = raw_get("/v1/documents/\xff\xfe", 16, NULL);
    assert_problem_reply(&r, 400);
    raw_free(&r);
    r = raw_get("/v1/search?q=\xc3\x28", 15, NULL);
    assert_problem_reply(&r, 400);
    raw_free(&r);
    /* valid UTF-8 is fine */
    assert_int_equal(expect_json_below_500("/v1/search?q=%e4%b8%ad%e5%9b%bd"), 200);
    assert_alive();
}

static void test_nul_bytes(void **state)
{
    (void)state;
    /* %00 decodes to a NUL that would cut the path ("/v1/stats" + junk): refused. */
    expect_problem("/v1/stats%00/../../etc/passwd", 400);
    expect_problem("/v1/documents/004_d7a86e59e83000be%00.txt", 400);
    expect_problem("/v1/search?q=soybean%00DROP", 400);
    expect_problem("/v1/documents?li%00mit=1", 400);
    /* A raw NUL byte in the request line: libmicrohttpd 0.9.75 hands the application the
     * target cut at the NUL, so what is after it is ignored (never a file, never a crash). */
    static const char line[] = "/v1/stats\0/../../../../etc/passwd";
    struct raw_reply r = raw_get(line, sizeof line - 1, NULL);
    assert_true(r.status == 0 || r.status == 200 || (r.status >= 400 && r.status < 500));
    assert_null(strstr(r.data, "root:"));
    if (r.status == 200) {
        json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
        assert_non_null(json_object_get(j, "documents")); /* /v1/stats, nothing else */
        json_decref(j);
    }
    raw_free(&r);
    static const char hdr[] = "X-A: a\0b\r\nX-Request-Id: ab\0cd\r\n";
    char req[256];
    int n = snprintf(req, sizeof req, "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    memcpy(req + n, hdr, sizeof hdr - 1);
    memcpy(req + n + sizeof hdr - 1, "\r\n", 2);
    r = raw_send(req, (size_t)n + sizeof hdr - 1 + 2, 5);
    assert_true(r.status == 0 || r.status == 200 || (r.status >= 400 && r.status < 500));
    raw_free(&r);
    /* Garbage with NULs instead of a request line. */
    static const char junk[] = "\0\x01\x02 garbage \0\r\n\r\n";
    r = raw_send(junk, sizeof junk - 1, TIMEOUT_S + 3);
    assert_true(r.status == 0 || (r.status >= 400 && r.status < 500));
    raw_free(&r);
    assert_alive();
}

static void test_path_traversal(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/../../../../etc/passwd",
        "/v1/../../etc/passwd",
        "/v1/documents/../../../etc/passwd",
        "/v1/documents/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "/.%2e/.%2e/etc/passwd",
        "//etc/passwd",
        "/static/../../../../etc/passwd",
        "/index.html/../../../etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/v1/documents/%2e%2e",
        "/v1/entities/..",
        "/..",
        "/./././etc/passwd",
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct raw_reply r = raw_get_str(paths[i]);
        if (r.status == 200 || strstr(r.data, "root:") || r.status == 0 || r.status >= 500)
            fail_msg("%s: %d %.200s", paths[i], r.status, r.data);
        raw_free(&r);
    }
    assert_alive();
}

/* Routes and their parameters (server/routes.c); {} is a path parameter. */
static const struct {
    const char *path;
    const char *keys[9];
} api[] = {
    {"/v1/documents", {"q", "source", "entity", "from", "to", "sort", "limit", "cursor"}},
    {"/v1/documents/{}", {NULL}},
    {"/v1/documents/{}/entities", {NULL}},
    {"/v1/documents/{}/timexes", {NULL}},
    {"/v1/documents/{}/timeline", {"from", "to", "precision", "limit", "cursor"}},
    {"/v1/entities", {"type", "q", "document", "sort", "limit", "cursor"}},
    {"/v1/entities/{}", {NULL}},
    {"/v1/entities/{}/mentions", {"limit", "cursor"}},
    {"/v1/entities/{}/documents", {"limit", "cursor"}},
    {"/v1/entities/{}/related", {"limit", "cursor"}},
    {"/v1/entities/{}/timeline", {"from", "to", "precision", "limit", "cursor"}},
    {"/v1/timeline", {"from", "to", "entity", "document", "precision", "limit", "cursor"}},
    {"/v1/timeline/histogram", {"interval", "from", "to", "entity", "document", "precision"}},
    {"/v1/search", {"q", "limit", "cursor"}},
};

static void test_sql_metacharacters(void **state)
{
    (void)state;
    static const char *const values[] = {
        "%27%3B%20DROP%20TABLE%20documents%3B%20--", /* '; DROP TABLE documents; -- */
        "1%27%20OR%20%271%27%3D%271",                /* 1' OR '1'='1 */
        "%22%29%3B%20DELETE%20FROM%20entities%3B--", /* "); DELETE FROM entities;-- */
        "1%20UNION%20SELECT%20sqlite_version()--",
        "%25%27%20OR%201%3D1%20--", /* %' OR 1=1 -- */
        "%5C%27%5C%22%60",          /* \'\"` */
        "1;%20ATTACH%20DATABASE%20%27/tmp/x%27%20AS%20x",
    };
    char target[512];
    for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
        for (size_t i = 0; i < sizeof api / sizeof *api; i++) {
            /* the value as each path parameter … */
            char path[256];
            snprintf(path, sizeof path, "%s", api[i].path);
            char *ph = strstr(path, "{}");
            if (ph) {
                snprintf(target, sizeof target, "%.*s%s%s", (int)(ph - path), path, values[v],
                         ph + 2);
                expect_json_below_500(target);
                snprintf(path, sizeof path, "%.*s%s%s", (int)(ph - path), api[i].path,
                         "004_d7a86e59e83000be", ph + 2);
            }
            /* … and as every query parameter */
            for (size_t k = 0; api[i].keys[k]; k++) {
                snprintf(target, sizeof target, "%s?%s=%s", path, api[i].keys[k], values[v]);
                expect_json_below_500(target);
            }
        }
    }
    /* All queries bind their parameters: a '; DROP TABLE search is just a search. */
    struct raw_reply r = raw_get_str("/v1/search?q=%27%3B%20DROP%20TABLE%20documents%3B%20--");
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    assert_non_null(j);
    assert_true(json_is_array(json_object_get(j, "data")));
    json_decref(j);
    raw_free(&r);
    struct http_response s = http_get(&srv, "/v1/stats");
    assert_int_equal(s.status, 200);
    j = http_json(&s);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), 5);
    assert_true(json_integer_value(json_object_get(j, "entities")) > 0);
    json_decref(j);
    http_free(&s);
    s = http_get(&srv, "/v1/documents?limit=100");
    assert_int_equal(s.status, 200);
    j = http_json(&s);
    assert_int_equal(json_array_size(json_object_get(j, "data")), 5);
    json_decref(j);
    http_free(&s);
}

static void test_fts5_syntax_abuse(void **state)
{
    (void)state;
    static const char *const queries[] = {
        "NEAR(china%20korea)",
        "NEAR(china%20korea%2C%202)",
        "title%3Achina",
        "%7Btitle%20text%7D%3A%20china",
        "-china",
        "%2Bchina",
        "%5Echina",
        "china%20%5E",
        "*",
        "**",
        "*china",
        "c*h*i",
        "china*",
        "AND",
        "OR%20OR",
        "NOT%20china",
        "china%20NOT",
        "china%20AND",
        "(china)",
        "()",
        "()%20china",
        "((((china))))",
        "soybean%20(rare%20OR%20earth)",
        "(rare%20OR%20earth)%20soybean",
        "china%20(korea)(trade)",
        "%22%22",
        "%22china%22%20%22",
        "%22a%22%22b%22",
        "%27",
        "%3B",
        "rank%3A1",
        "rowid%3D1",
        "china%20%2A%20korea",
        "%22china%20korea%22*",
        "%01%02%03",
        "%E2%80%A6",
        "%E4%B8%AD%E5%9B%BD",
        "china%20-%20korea",
        "a%20OR%20b%20AND%20c%20NOT%20d",
        "(a%20OR)",
        "(OR%20a)",
        "a)",
        "((a)",
    };
    char target[512];
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        snprintf(target, sizeof target, "/v1/search?q=%s", queries[i]);
        expect_json_below_500(target);
        snprintf(target, sizeof target, "/v1/documents?q=%s", queries[i]);
        expect_json_below_500(target);
        snprintf(target, sizeof target, "/v1/entities?q=%s", queries[i]);
        expect_json_below_500(target);
    }
    /* Parentheses next to words keep their meaning (FTS5 needs an explicit AND there). */
    assert_int_equal(expect_json_below_500("/v1/search?q=soybean%20(rare%20OR%20earth)"), 200);
    assert_int_equal(expect_json_below_500("/v1/search?q=(rare%20OR%20earth)%20soybean"), 200);
    /* Too many terms, one very long term */
    char *q = malloc(8000);
    assert_non_null(q);
    size_t n = (size_t)sprintf(q, "/v1/search?q=");
    for (int i = 0; i < 100; i++)
        n += (size_t)sprintf(q + n, "w%d%%20", i);
    expect_problem(q, 400);
    n = (size_t)sprintf(q, "/v1/search?q=");
    memset(q + n, 'x', 7000);
    q[n + 7000] = '\0';
    assert_int_equal(expect_json_below_500(q), 200);
    free(q);
    assert_alive();
}

static void test_get_with_body(void **state)
{
    (void)state;
    /* A body on GET is read and ignored, and keep-alive survives it. */
    int fd = raw_connect(&srv, NULL);
    assert_true(fd >= 0);
    static const char two[] = "GET /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\n"
                              "hello world";
    assert_int_equal(send(fd, two, sizeof two - 1, MSG_NOSIGNAL), sizeof two - 1);
    struct raw_reply r = {0};
    raw_read(fd, &r, 5);
    assert_int_equal(r.status, 200);
    raw_free(&r);
    static const char next[] = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
    assert_int_equal(send(fd, next, sizeof next - 1, MSG_NOSIGNAL), sizeof next - 1);
    raw_read(fd, &r, 5);
    assert_int_equal(r.status, 200);
    raw_free(&r);
    close(fd);
    /* chunked */
    static const char chunked[] = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                                  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    r = raw_send(chunked, sizeof chunked - 1, 5);
    assert_int_equal(r.status, 200);
    raw_free(&r);
    /* 1 MB body */
    size_t big = 1 << 20;
    char *req = malloc(big + 200);
    assert_non_null(req);
    int n = sprintf(req,
                    "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                    "Content-Length: %zu\r\n\r\n",
                    big);
    memset(req + n, 'x', big);
    r = raw_send(req, (size_t)n + big, 10);
    assert_problem_reply(&r, 413); /* refused before it is read */
    raw_free(&r);
    free(req);
    /* A huge declared body that never comes cannot hold the connection: 413 at once. */
    static const char liar[] = "GET /v1/stats HTTP/1.1\r\nHost: t\r\n"
                               "Content-Length: 99999999999\r\n\r\nab";
    r = raw_send(liar, sizeof liar - 1, 5);
    assert_problem_reply(&r, 413);
    raw_free(&r);
    /* HEAD and DELETE with bodies */
    static const char head[] = "HEAD /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                               "Content-Length: 3\r\n\r\nabc";
    r = raw_send(head, sizeof head - 1, 5);
    assert_int_equal(r.status, 200);
    raw_free(&r);
    static const char del[] = "DELETE /v1/documents HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                              "Content-Length: 3\r\n\r\nabc";
    r = raw_send(del, sizeof del - 1, 5);
    assert_problem_reply(&r, 405);
    raw_free(&r);
    assert_alive();
}

static void test_slowloris(void **state)
{
    (void)state;
    /* A client that sends part of its headers and stops is cut off by the timeout. */
    int fd = raw_connect(&srv, NULL);
    assert_true(fd >= 0);
    static const char part[] = "GET /v1/stats HTTP/1.1\r\nHost: t\r\nX-Slow: ";
    assert_int_equal(send(fd, part, sizeof part - 1, MSG_NOSIGNAL), sizeof part - 1);
    double t0 = raw_now();
    struct raw_reply r = {0};
    raw_read(fd, &r, TIMEOUT_S + 4);
    double took = raw_now() - t0;
    assert_true(r.closed);
    assert_true(took >= TIMEOUT_S - 0.5 && took < TIMEOUT_S + 3.5);
    raw_free(&r);
    close(fd);

    /* Slow clients from one address hold at most --per-ip-limit connections; another address
     * is still served while they are held. */
    int slow[PER_IP_LIMIT + 8];
    size_t n_slow = 0, refused = 0;
    for (size_t i = 0; i < PER_IP_LIMIT + 8; i++) {
        int s = raw_connect(&srv, "127.0.0.2");
        if (s < 0) {
            refused++;
            continue;
        }
        send(s, part, sizeof part - 1, MSG_NOSIGNAL);
        slow[n_slow++] = s;
    }
    usleep(300 * 1000);
    /* The connections over the limit were closed by the server at once. */
    size_t closed_early = 0;
    for (size_t i = 0; i < n_slow; i++) {
        struct pollfd p = {.fd = slow[i], .events = POLLIN};
        char c;
        if (poll(&p, 1, 0) == 1 && recv(slow[i], &c, 1, MSG_DONTWAIT) <= 0)
            closed_early++;
    }
    assert_true(refused + closed_early >= 8);
    struct raw_reply ok = {0};
    int other = raw_connect(&srv, "127.0.0.3");
    assert_true(other >= 0);
    static const char get[] = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    send(other, get, sizeof get - 1, MSG_NOSIGNAL);
    raw_read(other, &ok, 5);
    assert_int_equal(ok.status, 200);
    raw_free(&ok);
    close(other);
    for (size_t i = 0; i < n_slow; i++)
        close(slow[i]);
    assert_alive();
}

static void test_idle_connections(void **state)
{
    (void)state;
    /* Fill the server with idle connections from four addresses (16 each: 64, over the limit
     * of 48). At its limit libmicrohttpd stops accepting, so the extra ones wait in the
     * listen queue. A request sent now is answered once idle connections time out. */
    enum { N = MAX_CONNECTIONS + 16 };
    int fds[N];
    size_t n = 0;
    static const char *const src[] = {"127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7"};
    for (size_t i = 0; i < N; i++) {
        int s = raw_connect(&srv, src[i / PER_IP_LIMIT]);
        if (s >= 0)
            fds[n++] = s;
    }
    usleep(200 * 1000);
    int late = raw_connect(&srv, "127.0.0.8");
    assert_true(late >= 0);
    static const char get[] = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    assert_int_equal(send(late, get, sizeof get - 1, MSG_NOSIGNAL), sizeof get - 1);
    struct raw_reply r = {0};
    raw_read(late, &r, 2 * TIMEOUT_S + 4);
    assert_int_equal(r.status, 200);
    raw_free(&r);
    close(late);
    /* Every idle connection is closed by the server after the timeout. */
    double t0 = raw_now();
    size_t still_open = n;
    while (still_open > 0 && raw_now() - t0 < TIMEOUT_S + 4) {
        still_open = 0;
        for (size_t i = 0; i < n; i++) {
            struct pollfd p = {.fd = fds[i], .events = POLLIN};
            char c;
            if (!(poll(&p, 1, 0) == 1 && recv(fds[i], &c, 1, MSG_DONTWAIT | MSG_PEEK) <= 0))
                still_open++;
        }
        usleep(100 * 1000);
    }
    assert_int_equal(still_open, 0);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    assert_alive();
    assert_true(n > 0);
    expect_json_below_500("/v1/documents?limit=1");
}

static void test_still_serving(void **state)
{
    (void)state;
    struct http_response r = http_get(&srv, "/v1/search?q=soybean");
    assert_int_equal(r.status, 200);
    char *ct = http_header(&r, "Content-Type");
    assert_non_null(ct);
    assert_non_null(strstr(ct, "application/json"));
    free(ct);
    http_free(&r);
    assert_true(in_flight_settles());
}

/* ---- hostile corpus: /v1/stats and the log ---------------------------------------------- */

static const char article[] =
    "A Quiet Harbour Town Prepares for the Summer Season\n\n"
    "Fishermen in the harbour town repaired their boats on Friday as the season began.\n\n"
    "The mayor said the town expected more visitors than last year.\n";

static void write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void test_hostile_corpus_stats_and_log(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-hostile-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "good.txt", article, sizeof article - 1);
    write_file(dir, "empty.txt", "", 0);
    char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i * 7 % 256);
    write_file(dir, "binary.txt", bin, sizeof bin);
    char text[1024];
    memcpy(text, article, sizeof article);
    text[70] = (char)0xFF;
    write_file(dir, "invalid-utf8.txt", text, sizeof article - 1);
    /* two stray NULs in 570 bytes (over 1% of NUL bytes is binary data, e.g. UTF-16) */
    for (int i = 0; i < 3; i++)
        memcpy(text + i * (sizeof article - 1), article, sizeof article - 1);
    text[40] = '\0';
    text[300] = '\0';
    write_file(dir, "nul-bytes.txt", text, 3 * (sizeof article - 1));
    size_t n = 0;
    for (const char *p = article; *p; p++)
        text[n++] = *p == '\n' ? '\r' : *p;
    write_file(dir, "cr-only.txt", text, n);
    static const char jsonl[] =
        "{\"id\":\"j1\",\"text\":\"The council approved the budget on Tuesday after a debate.\"}\n"
        "not json at all\n"
        "{\"id\":\"j2\",\"title\":\"no text\"}\n"
        "{\"id\":\"j1\",\"text\":\"A duplicate id.\"}\n";
    write_file(dir, "feed.jsonl", jsonl, sizeof jsonl - 1);
    write_file(dir, "locked.txt", article, sizeof article - 1);
    char path[1100];
    snprintf(path, sizeof path, "%s/locked.txt", dir);
    assert_int_equal(chmod(path, 0), 0);
    snprintf(path, sizeof path, "%s/loop.txt", dir);
    assert_int_equal(symlink(path, path), 0);
    snprintf(path, sizeof path, "%s/folder.txt", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/fifo.txt", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    /* Root reads a mode-000 file anyway: then it loads, and that one check is skipped. */
    bool root = geteuid() == 0;
    if (root)
        fprintf(stderr, "[  NOTE    ] running as root: locked.txt (mode 000) is readable, so "
                        "the unreadable-file check is skipped\n");

    /* A second server over this corpus, its stderr (messages) to a log file. */
    char log_path[] = "/tmp/corpusd-hostile-log-XXXXXX";
    int log_fd = mkstemp(log_path);
    assert_true(log_fd >= 0);
    int saved = dup(2);
    dup2(log_fd, 2);
    struct server_proc s2;
    static const char *const extra[] = {
        "--log-level", "info", "--log-format", "text", "--access-log", "off", NULL};
    int rc = server_spawn(&s2, dir, extra);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(rc, 0);
    /* Everything is fetched, and the server stopped, before any check can fail. */
    struct http_response st = http_get(&s2, "/v1/stats");
    struct http_response cr = http_get(&s2, "/v1/documents/cr-only");
    struct http_response nul = http_get(&s2, "/v1/documents/nul-bytes");
    assert_int_equal(server_stop_proc(&s2), 0);

    assert_int_equal(st.status, 200);
    json_t *j = http_json(&st);
    json_t *c = json_object_get(j, "corpus");
    /* good, invalid-utf8, nul-bytes, cr-only, feed.jsonl (+ locked.txt as root) load;
     * empty, binary, loop, folder, fifo (+ locked.txt) are skipped. */
    assert_int_equal(json_integer_value(json_object_get(c, "files_loaded")), root ? 6 : 5);
    assert_int_equal(json_integer_value(json_object_get(c, "files_skipped")), root ? 5 : 6);
    assert_int_equal(json_integer_value(json_object_get(c, "records_skipped")), 3);
    assert_int_equal(json_integer_value(json_object_get(j, "documents")), root ? 6 : 5);
    json_decref(j);
    http_free(&st);
    /* The CR-only and NUL files were repaired into proper paragraphs. */
    assert_int_equal(cr.status, 200);
    j = http_json(&cr);
    const char *t = json_string_value(json_object_get(j, "text"));
    assert_non_null(t);
    assert_null(strchr(t, '\r'));
    assert_true(json_array_size(json_object_get(j, "paragraphs")) >= 2);
    json_decref(j);
    http_free(&cr);
    assert_int_equal(nul.status, 200);
    j = http_json(&nul);
    t = json_string_value(json_object_get(j, "text"));
    assert_non_null(t);
    assert_non_null(strstr(t, "Fishermen"));
    json_decref(j);
    http_free(&nul);

    size_t log_len = 0;
    FILE *f = fopen(log_path, "rb");
    assert_non_null(f);
    char *log = calloc(1, 1 << 20);
    log_len = fread(log, 1, (1 << 20) - 1, f);
    fclose(f);
    assert_true(log_len > 0);
    static const char *const named[] = {
        "empty.txt",  "binary.txt", "invalid-utf8.txt", "nul-bytes.txt", "loop.txt",
        "folder.txt", "fifo.txt",   "feed.jsonl:2",     "feed.jsonl:3",  "feed.jsonl:4"};
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (!strstr(log, named[i]))
            fail_msg("the log names no problem with %s:\n%s", named[i], log);
    if (!root && !strstr(log, "locked.txt"))
        fail_msg("the log does not name the unreadable file:\n%s", log);
    assert_null(strstr(log, "good.txt")); /* good files load silently */
    char counts[64];
    snprintf(counts, sizeof counts, "%d files (%d skipped)", root ? 6 : 5, root ? 5 : 6);
    if (!strstr(log, counts))
        fail_msg("the log has no '%s' line:\n%s", counts, log);
    free(log);
    unlink(log_path);
    snprintf(path, sizeof path, "rm -rf %s", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_uri),
        cmocka_unit_test(test_large_headers),
        cmocka_unit_test(test_many_query_parameters),
        cmocka_unit_test(test_invalid_percent_encoding),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_path_traversal),
        cmocka_unit_test(test_sql_metacharacters),
        cmocka_unit_test(test_fts5_syntax_abuse),
        cmocka_unit_test(test_get_with_body),
        cmocka_unit_test(test_slowloris),
        cmocka_unit_test(test_idle_connections),
        cmocka_unit_test(test_still_serving),
        cmocka_unit_test(test_hostile_corpus_stats_and_log),
    };
    return cmocka_run_group_tests_name("hostile", tests, start_server, stop_server);
}
