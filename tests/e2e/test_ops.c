/*
 * test_ops.c — end-to-end checks of HTTP manners and operations against the real corpusd:
 * gzip, request limits, /metrics text format, the dashboard files, forwarded headers from
 * trusted proxies only, CSV and NDJSON, reloads under load, failed reloads, graceful shutdown,
 * read-only replicas of a prebuilt store, and configuration errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <regex.h>
#include <zlib.h>

#include "harness.h"

static const char *corpus_dir(void)
{
    const char *c = getenv("CORPUSD_TEST_CORPUS");
    return c ? c : "corpus";
}

static const char *bin_path(void)
{
    const char *b = getenv("CORPUSD_BIN");
    return b ? b : "build/corpusd";
}

static char *header(const struct http_response *r, const char *name)
{
    return http_header(r, name);
}

static void assert_header_contains(const struct http_response *r, const char *name,
                                   const char *want)
{
    char *v = header(r, name);
    if (!v || !strstr(v, want))
        fail_msg("header %s is '%s', expected to contain '%s'", name, v ? v : "(none)", want);
    free(v);
}

static int run(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* ---- one shared server for the read-only checks ------------------------------------------ */

static struct server_proc srv;
static char access_log[] = "/tmp/corpusd-ops-access-XXXXXX";

static int start(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int fd = mkstemp(access_log);
    if (fd >= 0)
        close(fd);
    const char *extra[] = {"--trusted-proxies", "127.0.0.1", "--log-level", "info", NULL};
    return server_spawn_logged(&srv, corpus_dir(), extra, access_log);
}

static int stop(void **state)
{
    (void)state;
    int rc = server_stop_proc(&srv);
    unlink(access_log);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

static char *gunzip(const char *data, size_t len, size_t *out_len)
{
    size_t cap = len * 20 + 1024;
    char *out = malloc(cap);
    z_stream zs = {0};
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = zs.total_out;
    inflateEnd(&zs);
    return out;
}

static void test_gzip(void **state)
{
    (void)state;
    struct http_response plain = http_get(&srv, "/v1/documents/000_158f2d61013df6fa");
    const char *gz_hdr[] = {"Accept-Encoding: gzip", NULL};
    struct http_response gz =
        http_request(&srv, NULL, "/v1/documents/000_158f2d61013df6fa", gz_hdr);
    assert_int_equal(gz.status, 200);
    assert_header_contains(&gz, "Content-Encoding", "gzip");
    assert_header_contains(&gz, "Vary", "Accept-Encoding");
    assert_true(gz.body_len < plain.body_len / 2);
    size_t n;
    char *body = gunzip(gz.body, gz.body_len, &n);
    assert_int_equal(n, plain.body_len);
    assert_memory_equal(body, plain.body, n);
    char *e1 = header(&plain, "ETag"), *e2 = header(&gz, "ETag");
    assert_string_not_equal(e1, e2); /* one strong ETag per representation */
    const char *refused[] = {"Accept-Encoding: gzip;q=0, identity", NULL};
    struct http_response id =
        http_request(&srv, NULL, "/v1/documents/000_158f2d61013df6fa", refused);
    char *ce = header(&id, "Content-Encoding");
    assert_null(ce);
    struct http_response small = http_request(&srv, NULL, "/healthz", gz_hdr);
    ce = header(&small, "Content-Encoding");
    assert_null(ce); /* not worth it under 1 KB */
    free(body);
    free(e1);
    free(e2);
    http_free(&plain);
    http_free(&gz);
    http_free(&id);
    http_free(&small);
}

static void assert_problem_status(struct http_response *r, long status)
{
    assert_int_equal(r->status, status);
    assert_header_contains(r, "Content-Type", "application/problem+json");
    json_t *j = http_json(r);
    assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
    json_decref(j);
}

static void test_request_limits(void **state)
{
    (void)state;
    char *path = malloc(9100);
    strcpy(path, "/v1/search?q=");
    memset(path + 13, 'a', 9000);
    path[9013] = '\0';
    struct http_response r = http_get(&srv, path);
    assert_problem_status(&r, 414);
    http_free(&r);
    char *big = malloc(20100);
    strcpy(big, "X-Big: ");
    memset(big + 7, 'b', 20000);
    big[20007] = '\0';
    const char *hdrs[] = {big, NULL};
    r = http_request(&srv, NULL, "/v1/documents", hdrs);
    assert_problem_status(&r, 431);
    http_free(&r);
    r = http_get(&srv, "/v1/documents?format=xml");
    assert_problem_status(&r, 400);
    http_free(&r);
    free(path);
    free(big);
}

/* Every line of the exposition format: a comment, or `name{labels} value`. */
static void test_metrics_format(void **state)
{
    (void)state;
    struct http_response warm = http_get(&srv, "/v1/documents");
    http_free(&warm);
    /* Requests are counted when libmicrohttpd reports them complete, just after the client has
     * its answer: poll briefly. */
    struct http_response r = http_get(&srv, "/metrics");
    for (int i = 0; i < 50 && !strstr(r.body, "route=\"/v1/documents\",status=\"200\""); i++) {
        http_free(&r);
        usleep(20 * 1000);
        r = http_get(&srv, "/metrics");
    }
    assert_int_equal(r.status, 200);
    assert_header_contains(&r, "Content-Type", "text/plain; version=0.0.4");
    regex_t sample, comment;
    assert_int_equal(regcomp(&sample,
                             "^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\""
                             "(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")*\\})? [-+0-9.eE]+(Inf)?$",
                             REG_EXTENDED | REG_NOSUB),
                     0);
    assert_int_equal(
        regcomp(&comment, "^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$", REG_EXTENDED | REG_NOSUB),
        0);
    char *body = strdup(r.body), *save = NULL;
    size_t lines = 0;
    for (char *line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        lines++;
        if (regexec(line[0] == '#' ? &comment : &sample, line, 0, NULL, 0) != 0)
            fail_msg("not Prometheus text format: '%s'", line);
    }
    assert_true(lines > 20);
    assert_non_null(
        strstr(r.body, "corpusd_http_requests_total{route=\"/v1/documents\",status=\"200\"}"));
    assert_non_null(strstr(r.body, "corpusd_store_documents 5\n"));
    assert_non_null(strstr(r.body, "corpusd_build_info{version=\""));
    assert_non_null(strstr(r.body, "le=\"+Inf\""));
    regfree(&sample);
    regfree(&comment);
    free(body);
    http_free(&r);
}

static void test_dashboard_files(void **state)
{
    (void)state;
    struct http_response r = http_get(&srv, "/");
    if (r.status == 200) {
        assert_header_contains(&r, "Content-Type", "text/html");
        assert_header_contains(&r, "Cache-Control", "no-cache");
    } else {
        assert_int_equal(r.status, 404); /* no web/ directory in this checkout */
    }
    http_free(&r);
    static const char *const traversal[] = {"/../Makefile", "/%2e%2e/Makefile",
                                            "/..%2fserver/main.c", "/etc/passwd"};
    for (size_t i = 0; i < 4; i++) {
        r = http_get(&srv, traversal[i]);
        assert_true(r.status == 404 || r.status == 400);
        assert_null(strstr(r.body, "include"));
        http_free(&r);
    }
}

static void test_forwarded_headers(void **state)
{
    (void)state;
    const char *hdrs[] = {"X-Forwarded-Prefix: /corpus", "X-Forwarded-For: 203.0.113.7, 127.0.0.1",
                          "X-Request-Id: ops-forwarded-1", NULL};
    struct http_response r = http_request(&srv, NULL, "/v1/documents?limit=2", hdrs);
    assert_int_equal(r.status, 200);
    assert_header_contains(&r, "X-Request-Id", "ops-forwarded-1");
    json_t *j = http_json(&r);
    const char *next = json_string_value(json_object_get(json_object_get(j, "meta"), "next"));
    assert_non_null(next);
    assert_memory_equal(next, "/corpus/v1/documents?limit=2&cursor=", 35);
    json_decref(j);
    http_free(&r);
    /* The access log names the forwarded client and the request id. */
    usleep(200 * 1000);
    char *log = harness_read_log(access_log);
    assert_non_null(log);
    assert_true(strlen(log) > 0);
    char *line = strstr(log, "ops-forwarded-1");
    assert_non_null(line);
    while (line > log && line[-1] != '\n')
        line--;
    json_t *entry = json_loadb(line, strcspn(line, "\n"), 0, NULL);
    assert_non_null(entry);
    assert_string_equal(json_string_value(json_object_get(entry, "client_ip")), "203.0.113.7");
    assert_string_equal(json_string_value(json_object_get(entry, "method")), "GET");
    assert_int_equal(json_integer_value(json_object_get(entry, "status")), 200);
    assert_true(json_is_integer(json_object_get(entry, "duration_us")));
    assert_true(json_is_integer(json_object_get(entry, "bytes")));
    assert_true(json_is_string(json_object_get(entry, "time")));
    json_decref(entry);
    free(log);
}

static void test_csv_and_ndjson(void **state)
{
    (void)state;
    struct http_response r = http_get(&srv, "/v1/documents?limit=2&format=csv&sort=title");
    assert_int_equal(r.status, 200);
    assert_header_contains(&r, "Content-Type", "text/csv");
    assert_header_contains(&r, "Link", "rel=\"next\"");
    assert_memory_equal(r.body, "id,title,source,url,published,", 30);
    size_t rows = 0;
    for (const char *p = r.body; (p = strstr(p, "\r\n")) != NULL; p += 2)
        rows++;
    assert_int_equal(rows, 3);
    /* The first title holds a comma and is quoted as RFC 4180 says. */
    assert_non_null(strstr(r.body, "\"China, South Korea boast"));
    http_free(&r);
    r = http_get(&srv, "/v1/entities?format=ndjson");
    assert_int_equal(r.status, 200);
    assert_header_contains(&r, "Content-Type", "application/x-ndjson");
    struct http_response stats = http_get(&srv, "/v1/stats");
    json_t *sj = http_json(&stats);
    size_t lines = 0;
    for (const char *p = r.body; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, json_integer_value(json_object_get(sj, "entities")));
    json_t *first = json_loadb(r.body, strcspn(r.body, "\n"), 0, NULL);
    assert_true(json_is_string(json_object_get(first, "id")));
    json_decref(first);
    json_decref(sj);
    http_free(&stats);
    http_free(&r);
}

/* ---- servers of their own ---------------------------------------------------------------- */

struct load {
    struct server_proc *s;
    atomic_int stop; /* set by the test, read by the client thread */
    long ok, failed;
};

static void *client_loop(void *arg)
{
    struct load *l = arg;
    while (!atomic_load(&l->stop)) {
        struct http_response r = http_get(l->s, "/v1/documents?limit=5");
        if (r.status == 200)
            l->ok++;
        else
            l->failed++;
        http_free(&r);
    }
    return NULL;
}

static long documents_total(struct server_proc *s)
{
    struct http_response r = http_get(s, "/v1/stats");
    json_t *j = http_json(&r);
    long n = (long)json_integer_value(json_object_get(j, "documents"));
    json_decref(j);
    http_free(&r);
    return n;
}

static void test_reload_under_load(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-reload-XXXXXX", cmd[512];
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cp %s/*.txt %s/", corpus_dir(), dir);
    assert_int_equal(run(cmd), 0);
    struct server_proc s;
    assert_int_equal(server_spawn(&s, dir, NULL), 0);
    struct load l = {.s = &s};
    pthread_t t;
    pthread_create(&t, NULL, client_loop, &l);
    for (int i = 0; i < 4; i++) {
        snprintf(cmd, sizeof cmd,
                 "printf 'Extra Article Number %d For Reloading\\n\\nThe extra article number %d "
                 "says that reloading works while clients keep asking.\\n' > %s/extra-%d.txt",
                 i, i, dir, i);
        assert_int_equal(run(cmd), 0);
        kill(s.pid, SIGHUP);
        usleep(300 * 1000 * harness_slowdown()); /* 10x under valgrind (CORPUSD_WRAPPER) */
    }
    /* The last reload may still be running (a loaded machine): wait for it, bounded. */
    for (int waited = 0; documents_total(&s) != 9 && waited < 100 * harness_slowdown(); waited++)
        usleep(100 * 1000);
    atomic_store(&l.stop, 1);
    pthread_join(t, NULL);
    print_message("reload under load: %ld ok, %ld failed\n", l.ok, l.failed);
    assert_true(l.ok > 20);
    assert_int_equal(l.failed, 0);
    assert_int_equal(documents_total(&s), 9);
    /* A corpus that cannot be read keeps the old store. */
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(run(cmd), 0);
    kill(s.pid, SIGHUP);
    usleep(300 * 1000 * harness_slowdown());
    assert_int_equal(documents_total(&s), 9);
    assert_int_equal(server_stop_proc(&s), 0); /* graceful: exit status 0 on SIGTERM */
}

static void test_read_only_replica(void **state)
{
    (void)state;
    char db[] = "/tmp/corpusd-replica-XXXXXX";
    int fd = mkstemp(db);
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s --corpus %s --build-db %s --log-level warn", bin_path(),
             corpus_dir(), db);
    assert_int_equal(run(cmd), 0);
    struct server_proc s;
    const char *extra[] = {"--db", db, "--read-only", NULL};
    assert_int_equal(server_spawn(&s, "/nonexistent", extra), 0);
    assert_int_equal(documents_total(&s), 5);
    struct http_response r = http_get(&s, "/v1/search?q=soybean");
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(server_stop_proc(&s), 0);
    unlink(db);
}

static void test_config_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {"--threads abc",
                                      "--listen nowhere",
                                      "--log-format xml",
                                      "--limit 5",
                                      "--trusted-proxies 10.0.0.0/99",
                                      "--read-only"};
    char cmd[512];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(cmd, sizeof cmd, "%s %s 2>/dev/null", bin_path(), bad[i]);
        assert_int_equal(run(cmd), 2);
    }
    snprintf(cmd, sizeof cmd, "CORPUSD_THREADS=x %s 2>/dev/null", bin_path());
    assert_int_equal(run(cmd), 2);
    snprintf(cmd, sizeof cmd, "%s --help | grep -q CORPUSD_TRUSTED_PROXIES", bin_path());
    assert_int_equal(run(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s --version | grep -q '^corpusd '", bin_path());
    assert_int_equal(run(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest shared[] = {
        cmocka_unit_test(test_gzip),
        cmocka_unit_test(test_request_limits),
        cmocka_unit_test(test_metrics_format),
        cmocka_unit_test(test_dashboard_files),
        cmocka_unit_test(test_forwarded_headers),
        cmocka_unit_test(test_csv_and_ndjson),
    };
    const struct CMUnitTest own[] = {
        cmocka_unit_test(test_reload_under_load),
        cmocka_unit_test(test_read_only_replica),
        cmocka_unit_test(test_config_errors),
    };
    int failed = cmocka_run_group_tests_name("e2e_http", shared, start, stop);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed += cmocka_run_group_tests_name("e2e_ops", own, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
