/*
 * hostile_client.h — what the hostile end-to-end programs that share one server set-up use
 * (test_hostile.c: hostile requests; test_hostile_conn.c: slow and idle connections): the server
 * with a short connection timeout and small connection limits (so slow-client checks take
 * seconds), raw requests from any loopback source address, and the checks that every answer is a
 * problem or a clean close and that the server keeps serving. Header-only, like raw_http.h.
 */
#ifndef TESTS_E2E_HOSTILE_CLIENT_H
#define TESTS_E2E_HOSTILE_CLIENT_H

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
static inline int raw_connect(const struct server_proc *s, const char *src)
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

static inline void raw_free(struct raw_reply *r)
{
    free(r->data);
    memset(r, 0, sizeof *r);
}

/* Reads until the first answer is complete (Content-Length), the server closes, or timeout_s
 * passes. */
static inline void raw_read(int fd, struct raw_reply *r, double timeout_s)
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
static inline struct raw_reply raw_send(const char *data, size_t len, double timeout_s)
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
static inline struct raw_reply raw_get(const char *target, size_t tlen, const char *extra)
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

static inline struct raw_reply raw_get_str(const char *target)
{
    return raw_get(target, strlen(target), NULL);
}

/* The answer has status, and for API errors an RFC 9457 problem body with that status. */
static inline void assert_problem_reply(const struct raw_reply *r, int status)
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
static inline void expect_problem(const char *target, int status)
{
    struct raw_reply r = raw_get_str(target);
    assert_problem_reply(&r, status);
    raw_free(&r);
}

/* Any well-formed answer below 500: 2xx with JSON, or a 4xx problem. */
static inline int expect_json_below_500(const char *target)
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
static inline void assert_alive(void)
{
    struct http_response h = http_get(&srv, "/healthz");
    assert_int_equal(h.status, 200);
    http_free(&h);
}

/* Requests being answered right now (from /metrics), -1 when the server has no /metrics. */
static inline long long in_flight(void)
{
    struct http_response m = http_get(&srv, "/metrics");
    const char *p = m.status == 200 ? strstr(m.body, "\ncorpusd_http_requests_in_flight ") : NULL;
    long long n = p ? atoll(p + 33) : -1;
    http_free(&m);
    return n;
}

/* In-flight requests settle to at most the /metrics request itself (true without /metrics).
 * A connection's close notification may run a moment after the client sees the close. */
static inline bool in_flight_settles(void)
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

static inline int start_server(void **state)
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

static inline int stop_server(void **state)
{
    (void)state;
    int rc = server_stop_proc(&srv);
    curl_global_cleanup();
    if (rc != 0)
        fprintf(stderr, "corpusd exited with %d after SIGTERM\n", rc);
    return rc == 0 ? 0 : -1;
}

/* The server answers a search after whatever came before, and nothing stays in flight. */
static inline void test_still_serving(void **state)
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

#endif
