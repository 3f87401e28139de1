/*
 * test_hostile_limits.c — end-to-end: every request has a bounded cost and the server's
 * resources return to their idle level (issue 18, findings 1-3; issue 19, long request lines).
 * One server over a generated 3,000-article corpus built into a --db file, with a health
 * listener; a second, read-only server for the rebuild test.
 *
 *   1. CPU: the worst searches end within the per-request CPU budget (400 naming it), phrase
 *      words count toward the term cap, and /healthz on the health listener keeps a p99 under
 *      50 ms while 4 clients send them.
 *   2. Memory: 300 slow NDJSON exports held, then closed: RSS and descriptors come back within
 *      10%; store connections never exceed the pool.
 *   3. A --read-only replica keeps answering while its file is rebuilt in place, and SIGHUP
 *      picks up the new file.
 *   Long request lines of 1-64 KB with 1-10,000 parameters are answered (414/400) at once.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "gen_corpus.h"
#include "raw_http.h"

#define N_DOCS 3000
static struct server_proc srv;
static int health_port;
static char dir[64] = "/tmp/corpusd-limits-XXXXXX";
static char db_path[128];

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZED_BUILD 1
#endif
#endif
#ifndef SANITIZED_BUILD
#define SANITIZED_BUILD 0
#endif

/* Under valgrind (CORPUSD_WRAPPER) or a sanitizer build, timing checks would measure the tool:
 * they are reported, and skipped loudly. */
static bool slow_run(void)
{
    return harness_slowdown() > 1 || SANITIZED_BUILD;
}

static int start(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!mkdtemp(dir) ||
        gen_corpus_file(dir, "gen.jsonl", 0, harness_slowdown() > 1 ? 600 : N_DOCS) < 0)
        return -1;
    snprintf(db_path, sizeof db_path, "%s.db", dir);
    health_port = harness_free_port();
    static char health[64];
    snprintf(health, sizeof health, "127.0.0.1:%d", health_port);
    const char *extra[] = {"--db",
                           db_path,
                           "--health-listen",
                           health,
                           "--access-log",
                           "off",
                           "--per-ip-limit",
                           "0",
                           "--store-idle-seconds",
                           "1",
                           "--timeout",
                           "5",
                           NULL};
    return server_spawn(&srv, dir, extra);
}

static int stop(void **state)
{
    (void)state;
    int rc = server_stop_proc(&srv);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, db_path);
    if (system(cmd) != 0)
        rc = -1;
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

/* ---- 1. CPU budget ---------------------------------------------------------------------- */

/* (a* OR t*) twelve times: every prefix expands to hundreds of terms, ranked for every page. */
static const char worst_query[] =
    "/v1/search?q=(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)"
    "+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)+(a*+OR+t*)";

static void expect_budget_problem(const char *target)
{
    double t0 = raw_now();
    struct http_response r = http_get(&srv, target);
    double took = raw_now() - t0;
    fprintf(stderr, "[  INFO    ] %.60s…: %ld in %.0f ms\n", target, r.status, took * 1000);
    if (r.status != 400 || !strstr(r.body, "250 ms CPU budget"))
        fail_msg("expected a 400 naming the CPU budget, got %ld: %.300s", r.status, r.body);
    char *type = http_header(&r, "Content-Type");
    assert_non_null(type);
    assert_string_equal(type, "application/problem+json");
    free(type);
    if (!slow_run())
        assert_true(took < 1.5); /* 250 ms of CPU, on a shared machine */
    http_free(&r);
}

static void test_worst_search_ends_within_budget(void **state)
{
    (void)state;
    expect_budget_problem(worst_query);
    char target[512];
    snprintf(target, sizeof target, "%s&format=ndjson", worst_query);
    expect_budget_problem(target);
    assert_true(metric_value(&srv, "corpusd_refusals_total{reason=\"query_budget\"}") >= 2);
    /* an honest search still answers */
    struct http_response r = http_get(&srv, "/v1/search?q=report");
    assert_int_equal(r.status, 200);
    http_free(&r);
}

static void test_phrase_words_count_toward_the_cap(void **state)
{
    (void)state;
    char *t = malloc(8000);
    assert_non_null(t);
    int n = sprintf(t, "/v1/search?q=%%22");
    for (int i = 0; i < 3500 && n < 7900; i++)
        n += sprintf(t + n, "%sa", i ? "+" : "");
    sprintf(t + n, "%%22");
    struct http_response r = http_get(&srv, t);
    if (r.status != 400 || !strstr(r.body, "too many words"))
        fail_msg("a phrase of 3,500 words: expected 400 'too many words', got %ld: %.200s",
                 r.status, r.body);
    http_free(&r);
    free(t);
    r = http_get(&srv, "/v1/search?q=%22report+on%22"); /* a short phrase is fine */
    assert_int_equal(r.status, 200);
    http_free(&r);
}

struct abuser {
    atomic_bool *stop;
    atomic_int requests;
};

static void *abuse(void *arg)
{
    struct abuser *a = arg;
    char ndjson[512];
    snprintf(ndjson, sizeof ndjson, "%s&format=ndjson", worst_query);
    while (!atomic_load(a->stop)) {
        struct http_response r = http_get(&srv, a->requests % 2 ? ndjson : worst_query);
        http_free(&r);
        a->requests++;
    }
    return NULL;
}

static int abuse_count(struct abuser *a, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += atomic_load(&a[i].requests);
    return total;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* p99 of GET /healthz (ms) on port over n samples, one every 10 ms. */
static double healthz_p99(int port, int n)
{
    struct server_proc h = srv;
    h.port = port;
    snprintf(h.base, sizeof h.base, "http://127.0.0.1:%d", port);
    double *ms = calloc((size_t)n, sizeof *ms);
    for (int i = 0; i < n; i++) {
        double t0 = raw_now();
        struct http_response r = http_get(&h, "/healthz");
        ms[i] = r.status == 200 ? (raw_now() - t0) * 1000 : 1e9;
        http_free(&r);
        usleep(10 * 1000);
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    double p99 = ms[n * 99 / 100];
    free(ms);
    return p99;
}

static void test_healthz_p99_under_abuse(void **state)
{
    (void)state;
    atomic_bool stop_flag = false;
    struct abuser a[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        a[i] = (struct abuser){&stop_flag, 0};
        pthread_create(&th[i], NULL, abuse, &a[i]);
    }
    usleep(300 * 1000);
    /* Under valgrind, which runs one thread at a time, each sample waits behind the abusers'
     * searches (seconds each): 400 samples took 20 minutes there, and the p99 is not checked. */
    double p99 = healthz_p99(health_port, slow_run() ? 40 : 400);
    double main_p99 = healthz_p99(srv.port, 10);
    /* The samples were taken under abuse; on a loaded machine the abusers' searches (each up to
     * the CPU budget) may not yet add up to the 8 checked below, so they go on a little. */
    for (int waited = 0; waited < 300 * harness_slowdown() && abuse_count(a, 4) < 8; waited++)
        usleep(100 * 1000);
    atomic_store(&stop_flag, true);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    int total = abuse_count(a, 4);
    fprintf(stderr,
            "[  INFO    ] 4 abusive clients, %d requests: /healthz p99 %.1f ms on the health "
            "listener (%.1f ms on the API port)\n",
            total, p99, main_p99);
    assert_true(total >= 8);
    if (slow_run())
        fprintf(stderr, "[  SKIP    ] p99 <= 50 ms not checked under valgrind or a sanitizer\n");
    else
        assert_true(p99 <= 50.0);
}

/* ---- 2. memory and descriptors ---------------------------------------------------------- */

/* Starts an NDJSON export of every document and reads only its first bytes. The client's
 * receive buffer is tiny, so the export cannot finish and holds what it holds. */
static int slow_export(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int small = 2048;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    static const char req[] = "GET /v1/documents?format=ndjson HTTP/1.1\r\nHost: t\r\n\r\n";
    if (send(fd, req, sizeof req - 1, MSG_NOSIGNAL) < 0) {
        close(fd);
        return -1;
    }
    char buf[512];
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 5000) > 0 && recv(fd, buf, sizeof buf, 0) <= 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Waits until the server holds no store connection and nothing is in flight. */
static void wait_idle(void)
{
    for (int i = 0; i < 100 * harness_slowdown(); i++) {
        if (metric_value(&srv, "corpusd_store_connections") == 0 &&
            metric_value(&srv, "corpusd_http_requests_in_flight") <= 1)
            return;
        usleep(100 * 1000);
    }
    fail_msg("store connections were not closed after the idle time (--store-idle-seconds 1)");
}

/* A whole export, so the memory it leaves cached is in the baseline. Each page has the CPU
 * budget of a request; a page of this corpus costs a few ms, but a sandbox's thread clock can
 * count time the host took back (seen once in CI: the export stopped at a page). A stop the
 * server counts as a budget refusal is reported and the export is tried once more; any other
 * failure fails the test. */
static void warm_up_export(void)
{
    for (int attempt = 0;; attempt++) {
        double trips = metric_value(&srv, "corpusd_refusals_total{reason=\"query_budget\"}");
        struct http_response r = http_get(&srv, "/v1/documents?format=ndjson");
        long status = r.status;
        http_free(&r);
        if (status == 200)
            return;
        double now = metric_value(&srv, "corpusd_refusals_total{reason=\"query_budget\"}");
        if (attempt > 0 || now <= trips)
            fail_msg("the export of every document failed (status %ld, budget refusals %.0f -> "
                     "%.0f)",
                     status, trips, now);
        fprintf(stderr, "[  NOTE    ] the warm-up export stopped at a page over the CPU budget on "
                        "this machine; trying once more\n");
    }
}

static void test_slow_exports_give_resources_back(void **state)
{
    (void)state;
    warm_up_export();
    wait_idle();
    sleep(2); /* the server's once-a-second housekeeping gives memory back when idle */
    long rss0 = proc_rss_kb(srv.pid), fds0 = proc_fds(srv.pid);
    int fds[300], held = 0;
    for (int i = 0; i < 300; i++)
        if ((fds[i] = slow_export()) >= 0)
            held++;
    double peak_conns = metric_value(&srv, "corpusd_store_connections");
    long rss_peak = proc_rss_kb(srv.pid), fds_peak = proc_fds(srv.pid);
    sleep(1);
    for (int i = 0; i < 300; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    wait_idle();
    sleep(2);
    long rss1 = proc_rss_kb(srv.pid), fds1 = proc_fds(srv.pid);
    fprintf(stderr,
            "[  INFO    ] 300 slow exports (%d connected): store connections at most %.0f; RSS "
            "%ld -> %ld -> %ld kB, descriptors %ld -> %ld -> %ld\n",
            held, peak_conns, rss0, rss_peak, rss1, fds0, fds_peak, fds1);
    assert_true(held >= 250);
    assert_true(peak_conns <= 16);
    assert_true(fds1 <= fds0 + fds0 / 10);
    if (slow_run())
        fprintf(stderr, "[  SKIP    ] RSS not compared under valgrind or a sanitizer\n");
    else
        assert_true(rss1 <= rss0 + rss0 / 10);
    struct http_response r = http_get(&srv, "/v1/documents?limit=1");
    assert_int_equal(r.status, 200);
    http_free(&r);
}

/* ---- long request lines ----------------------------------------------------------------- */

static void test_long_request_lines_never_hang(void **state)
{
    (void)state;
    static const int kbs[] = {1, 4, 11, 16, 32, 48, 64};
    static const int params[] = {1, 10, 100, 1000, 2000, 3000, 5000, 10000};
    double before = metric_value(&srv, "corpusd_refusals_total{reason=\"unholdable\"}");
    char *req = malloc(70 * 1024);
    assert_non_null(req);
    int tried = 0;
    for (size_t k = 0; k < sizeof kbs / sizeof *kbs; k++)
        for (size_t p = 0; p < sizeof params / sizeof *params; p++) {
            size_t size = (size_t)kbs[k] * 1024;
            if ((size_t)params[p] * 2 > size)
                continue; /* "a&" is the shortest parameter */
            size_t n = (size_t)sprintf(req, "GET /v1/documents?");
            size_t per = size / (size_t)params[p]; /* bytes per parameter, '&' included */
            for (int i = 0; i < params[p]; i++) {
                size_t len = per - 1;
                req[n++] = i ? '&' : 'a';
                memset(req + n, 'a', len - (i ? 0 : 1));
                n += len - (i ? 0 : 1);
            }
            n += (size_t)sprintf(req + n, " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            struct raw_answer r = raw_exchange(srv.port, req, n, 10);
            if (r.status != 400 && r.status != 414)
                fail_msg("%d KB, %d parameters: no 400/414 (status %d after %.1f s)", kbs[k],
                         params[p], r.status, r.seconds);
            if (!slow_run() && r.seconds > 1.0)
                fail_msg("%d KB, %d parameters: answered after %.1f s", kbs[k], params[p],
                         r.seconds);
            raw_answer_free(&r);
            tried++;
        }
    free(req);
    double after = metric_value(&srv, "corpusd_refusals_total{reason=\"unholdable\"}");
    fprintf(stderr, "[  INFO    ] %d request lines answered; %.0f answered before the library\n",
            tried, after - before);
    assert_true(after - before >= 10);
}

/* ---- 3. read-only replica under a rebuild ----------------------------------------------- */

static int run_build(const char *corpus, const char *db)
{
    const char *bin = getenv("CORPUSD_BIN") ? getenv("CORPUSD_BIN") : "build/corpusd";
    pid_t pid = fork();
    if (pid == 0) {
        execl(bin, bin, "--corpus", corpus, "--build-db", db, "--log-level", "error", NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct reader {
    const struct server_proc *s;
    atomic_bool *stop;
    int ok, failed;
    long last_status;
};

static void *read_loop(void *arg)
{
    struct reader *r = arg;
    static const char *const targets[] = {"/v1/documents?limit=5&sort=title", "/v1/search?q=report",
                                          "/v1/documents/g00007", "/v1/entities?limit=3",
                                          "/v1/stats"};
    for (int i = 0; !atomic_load(r->stop); i++) {
        struct http_response h = http_get(r->s, targets[i % 5]);
        if (h.status == 200)
            r->ok++;
        else
            r->failed++, r->last_status = h.status;
        http_free(&h);
    }
    return NULL;
}

static long documents_served(const struct server_proc *s)
{
    struct http_response h = http_get(s, "/v1/stats");
    json_t *j = http_json(&h);
    long n = j ? (long)json_integer_value(json_object_get(j, "documents")) : -1;
    json_decref(j);
    http_free(&h);
    return n;
}

static void test_read_only_replica_survives_rebuild(void **state)
{
    (void)state;
    char rdir[] = "/tmp/corpusd-replica-XXXXXX", rdb[64];
    assert_non_null(mkdtemp(rdir));
    snprintf(rdb, sizeof rdb, "%s.db", rdir);
    assert_int_equal(gen_corpus_file(rdir, "a.jsonl", 0, 300), 0);
    assert_int_equal(run_build(rdir, rdb), 0);
    struct server_proc ro;
    const char *extra[] = {"--db", rdb, "--read-only", "--access-log", "off", NULL};
    assert_int_equal(server_spawn(&ro, "/nonexistent", extra), 0);
    long before = documents_served(&ro);
    atomic_bool stop_flag = false;
    struct reader rd[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        rd[i] = (struct reader){&ro, &stop_flag, 0, 0, 0};
        pthread_create(&th[i], NULL, read_loop, &rd[i]);
    }
    /* The same path rebuilt twice while the replica serves: the second from more articles. */
    assert_int_equal(run_build(rdir, rdb), 0);
    assert_int_equal(gen_corpus_file(rdir, "b.jsonl", 5000, 10), 0);
    assert_int_equal(run_build(rdir, rdb), 0);
    usleep(300 * 1000);
    atomic_store(&stop_flag, true);
    int ok = 0, failed = 0;
    long last = 0;
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        ok += rd[i].ok, failed += rd[i].failed;
        last = rd[i].last_status ? rd[i].last_status : last;
    }
    long during = documents_served(&ro);
    kill(ro.pid, SIGHUP);
    long after = -1;
    for (int i = 0; i < 100 * harness_slowdown() && after != before + 10; i++) {
        usleep(100 * 1000);
        after = documents_served(&ro);
    }
    int rc = server_stop_proc(&ro);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", rdir, rdb);
    assert_int_equal(system(cmd), 0);
    fprintf(stderr,
            "[  INFO    ] read-only replica during 2 rebuilds: %d answers, %d failed (last %ld); "
            "documents %ld, after SIGHUP %ld\n",
            ok, failed, last, during, after);
    assert_int_equal(failed, 0);
    assert_true(ok >= 20);
    assert_int_equal(during, before); /* it kept serving the file it opened */
    assert_int_equal(after, before + 10);
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worst_search_ends_within_budget),
        cmocka_unit_test(test_phrase_words_count_toward_the_cap),
        cmocka_unit_test(test_healthz_p99_under_abuse),
        cmocka_unit_test(test_slow_exports_give_resources_back),
        cmocka_unit_test(test_long_request_lines_never_hang),
        cmocka_unit_test(test_read_only_replica_survives_rebuild),
    };
    return cmocka_run_group_tests_name("hostile limits", tests, start, stop);
}
