/*
 * test_hostile_inputs.c — end-to-end: inputs that cannot lie (issue 18, findings 5-12). A
 * store file, a file name, a cursor, a header or a web directory crafted by someone hostile or
 * careless is refused or neutralised, never trusted:
 *   5. a --db file with another schema (sort keys that may be NULL) is refused at start;
 *   6. a FIFO as --db is refused at once with exit code 2;
 *   7. a file name that is not UTF-8 becomes an escaped id the API can carry;
 *   8. file names and methods cannot forge or corrupt log lines (text and JSON);
 *   9. a forged offset cursor is a 400, not an overflow;
 *  10. a preflight echoes only header-name characters;
 *  11. libmicrohttpd's parser quirks: duplicate Content-Length, unknown Transfer-Encoding,
 *      HTTP/1.1 without Host, and library-level answers in the access log;
 *  12. static files: no symbolic link out of the web directory, only an allow-list of types.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "raw_http.h"

static const char article[] =
    "Harbour Board Approves New Ferry Timetable\n\n"
    "The harbour board approved a new ferry timetable on Monday after a long meeting.\n\n"
    "Ferries will leave every forty minutes during the summer, the chairwoman said.\n";

static void put_file(const char *dir, const char *name, const char *data)
{
    assert_true(harness_write_file(dir, name, data, strlen(data)));
}

static void rm_rf(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    assert_int_equal(system(cmd), 0);
}

/* Runs corpusd with args (NULL-terminated), stderr to err_path; its exit status, or -1 when it
 * was still running after seconds (then killed). */
static int run_corpusd(const char *const *args, const char *err_path, double seconds)
{
    const char *bin = getenv("CORPUSD_BIN") ? getenv("CORPUSD_BIN") : "build/corpusd";
    const char *argv[16] = {bin};
    int n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err_path, "w", stderr))
            _exit(126);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    for (double t = 0; t < seconds * harness_slowdown(); t += 0.05) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        usleep(50 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

/* ---- 5, 6: store files ------------------------------------------------------------------ */

static void sql(const char *db_path, const char *statements)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, statements, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", statements, err);
    sqlite3_close(db);
}

static void test_store_file_with_another_schema_is_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-schema-XXXXXX", db[64], log[80];
    assert_non_null(mkdtemp(dir));
    put_file(dir, "ferry.txt", article);
    snprintf(db, sizeof db, "%s/x.db", dir);
    snprintf(log, sizeof log, "%s/err.log", dir);
    assert_int_equal(
        run_corpusd((const char *const[]){"--corpus", dir, "--build-db", db, NULL}, log, 60), 0);
    /* The file as built is served. */
    struct server_proc good;
    assert_int_equal(
        server_spawn(&good, "/nonexistent", (const char *const[]){"--db", db, "--read-only", NULL}),
        0);
    struct http_response r = http_get(&good, "/v1/documents?sort=title");
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(server_stop_proc(&good), 0);
    /* What a hand-edited file looks like: titles may be NULL, and are. */
    sql(db, "PRAGMA writable_schema=ON;"
            "UPDATE sqlite_schema SET sql = replace(sql, 'title              TEXT NOT NULL "
            "DEFAULT ''''', 'title TEXT') WHERE name = 'documents';");
    sql(db, "UPDATE documents SET title = NULL;");
    int rc = run_corpusd(
        (const char *const[]){"--db", db, "--read-only", "--listen", "127.0.0.1:0", NULL}, log, 20);
    char *msg = harness_read_log(log);
    if (rc != 1 || !strstr(msg, "table documents has a different definition"))
        fail_msg("a store with nullable titles: exit %d, log:\n%s", rc, msg);
    free(msg);
    /* A file cut in half is refused too. */
    assert_int_equal(truncate(db, 8192), 0);
    rc = run_corpusd(
        (const char *const[]){"--db", db, "--read-only", "--listen", "127.0.0.1:0", NULL}, log, 20);
    msg = harness_read_log(log);
    if (rc != 1 || !strstr(msg, "x.db"))
        fail_msg("a truncated store: exit %d, log:\n%s", rc, msg);
    free(msg);
    rm_rf(dir);
}

static void test_fifo_as_db_is_refused_at_once(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-fifo-XXXXXX", fifo[64], log[80];
    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/store.db", dir);
    snprintf(log, sizeof log, "%s/err.log", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    double t0 = raw_now();
    int rc = run_corpusd((const char *const[]){"--db", fifo, "--read-only", NULL}, log, 5);
    double took = raw_now() - t0;
    char *msg = harness_read_log(log);
    if (rc != 2 || !strstr(msg, "FIFO"))
        fail_msg("a FIFO as --db: exit %d after %.1f s (-1: it hung), log:\n%s", rc, took, msg);
    free(msg);
    rc = run_corpusd((const char *const[]){"--corpus", dir, "--db", dir, NULL}, log, 5);
    assert_int_equal(rc, 2); /* a directory is no store file either */
    rm_rf(dir);
}

/* ---- 7, 8: names are data --------------------------------------------------------------- */

static void test_file_names_are_escaped_everywhere(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-names-XXXXXX", err_path[80], out_path[80];
    assert_non_null(mkdtemp(dir));
    put_file(dir, "plain.txt", article);
    put_file(dir, "caf\xe9.txt", article);                            /* Latin-1, not UTF-8 */
    put_file(dir, "evil\n2026-01-01T00:00:00Z error FORGED.txt", ""); /* empty: warned about */
    snprintf(err_path, sizeof err_path, "%s.err", dir);
    snprintf(out_path, sizeof out_path, "%s.out", dir);
    const char *const formats[] = {"text", "json"};
    for (int f = 0; f < 2; f++) {
        int saved = dup(2), fd = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
        struct server_proc s;
        const char *extra[] = {"--log-level", "info", "--log-format", formats[f], NULL};
        int rc = server_spawn_logged(&s, dir, extra, out_path);
        dup2(saved, 2);
        close(saved);
        close(fd);
        assert_int_equal(rc, 0);
        struct http_response list = http_get(&s, "/v1/documents?limit=10");
        struct http_response doc = http_get(&s, "/v1/documents/caf%25E9");
        struct raw_answer esc = raw_text(s.port, "G\x1b[2JET / HTTP/1.1\r\nHost: t\r\n\r\n", 3);
        raw_answer_free(&esc);
        assert_int_equal(server_stop_proc(&s), 0);
        json_t *j = http_json(&list); /* 7: the list is valid JSON and shows what it counts */
        assert_non_null(j);
        assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "meta"), "total")),
                         2);
        assert_int_equal(json_array_size(json_object_get(j, "data")), 2);
        json_decref(j);
        assert_int_equal(doc.status, 200);
        http_free(&list);
        http_free(&doc);
        char *err = harness_read_log(err_path), *out = harness_read_log(out_path);
        for (char *line = err; line && *line;
             line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
            if (strncmp(line, "2026-01-01T00:00:00Z error FORGED", 33) == 0)
                fail_msg("a file name forged a log line (%s):\n%s", formats[f], err);
            if (f == 1 && *line != '\n') { /* 8: every JSON line parses, even with \xe9 */
                char *eol = strchr(line, '\n');
                json_t *l = json_loadb(line, eol ? (size_t)(eol - line) : strlen(line), 0, NULL);
                if (!l)
                    fail_msg("a log line is not JSON: %.300s", line);
                json_decref(l);
            }
        }
        const char *shown = f == 0 ? "caf\\xe9" : "caf\\\\xe9"; /* the byte, made visible */
        if (!strstr(err, shown))
            fail_msg("the log does not show the file name as %s:\n%s", shown, err);
        assert_null(strchr(out, '\x1b')); /* the access log shows the method's ESC, escaped */
        free(err);
        free(out);
    }
    unlink(err_path);
    unlink(out_path);
    rm_rf(dir);
}

/* ---- 9, 10, 11, 12: the HTTP edge ------------------------------------------------------- */

static struct server_proc srv;
static char web[] = "/tmp/corpusd-web-XXXXXX", outside[] = "/tmp/corpusd-secret-XXXXXX";
static char access_log[64];

static int start(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!mkdtemp(web) || !mkdtemp(outside))
        return -1;
    char path[256], target[256];
    snprintf(path, sizeof path, "%s/index.html", web);
    FILE *f = fopen(path, "w");
    fputs("<!doctype html><title>t</title>", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/README.md", web);
    f = fopen(path, "w");
    fputs("notes for developers", f);
    fclose(f);
    snprintf(target, sizeof target, "%s/secret.js", outside);
    f = fopen(target, "w");
    fputs("const secret = 1;", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/out.js", web);
    if (symlink(target, path) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/in.html", web);
    if (symlink("index.html", path) != 0)
        return -1;
    snprintf(access_log, sizeof access_log, "%s.access", web);
    const char *corpus = getenv("CORPUSD_TEST_CORPUS") ? getenv("CORPUSD_TEST_CORPUS") : "corpus";
    const char *extra[] = {"--web-dir", web,         "--log-level", "info", "--log-format",
                           "text",      "--timeout", "3",           NULL};
    return server_spawn_logged(&srv, corpus, extra, access_log);
}

static int stop(void **state)
{
    (void)state;
    int rc = server_stop_proc(&srv);
    rm_rf(web);
    rm_rf(outside);
    unlink(access_log);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

/* base64url without padding, as the server writes cursors. */
static void b64url(const unsigned char *in, size_t n, char *out)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) |
                     (i + 2 < n ? in[i + 2] : 0);
        out[o++] = a[v >> 18 & 63];
        out[o++] = a[v >> 12 & 63];
        if (i + 1 < n)
            out[o++] = a[v >> 6 & 63];
        if (i + 2 < n)
            out[o++] = a[v & 63];
    }
    out[o] = '\0';
}

static void test_forged_cursor_is_refused(void **state)
{
    (void)state;
    static const char *const offsets[] = {"9223372036854775800", "9223372036854775807",
                                          "99999999999999999999", "1000000001"};
    for (size_t i = 0; i < sizeof offsets / sizeof *offsets; i++) {
        char raw[64], cur[96], target[160];
        int n = snprintf(raw, sizeof raw, "s\x1f%s\x1f", offsets[i]);
        b64url((const unsigned char *)raw, (size_t)n, cur);
        snprintf(target, sizeof target, "/v1/search?q=the&cursor=%s", cur);
        struct http_response r = http_get(&srv, target);
        if (r.status != 400)
            fail_msg("offset %s: expected 400, got %ld: %.200s", offsets[i], r.status, r.body);
        http_free(&r);
    }
}

static void test_preflight_echoes_only_tokens(void **state)
{
    (void)state;
    struct raw_answer r = raw_text(
        srv.port,
        "OPTIONS /v1/documents HTTP/1.1\r\nHost: t\r\nConnection: close\r\nOrigin: http://a\r\n"
        "Access-Control-Request-Method: GET\r\n"
        "Access-Control-Request-Headers: X-One, X-\x01Two\x1b[31m, x-three\r\n\r\n",
        5);
    assert_int_equal(r.status, 204);
    char *h = strcasestr(r.data, "\r\nAccess-Control-Allow-Headers: ");
    assert_non_null(h);
    char *eol = strstr(h + 2, "\r\n");
    *eol = '\0';
    assert_string_equal(h + 2, "Access-Control-Allow-Headers: X-One, x-three");
    for (const char *p = r.data; p < eol; p++)
        if ((unsigned char)*p < 0x20 && *p != '\r' && *p != '\n')
            fail_msg("a control character reached the answer: %s", r.data);
    raw_answer_free(&r);
}

static void test_framing_quirks(void **state)
{
    (void)state;
    struct raw_answer r = raw_text(srv.port,
                                   "GET /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n"
                                   "Content-Length: 2\r\n\r\nab",
                                   5);
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.data, "two different Content-Length"));
    raw_answer_free(&r);
    r = raw_text(srv.port,
                 "GET /v1/stats HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                 5);
    if (r.status != 501 || r.seconds > 1.0)
        fail_msg("an unknown Transfer-Encoding: %d after %.1f s", r.status, r.seconds);
    raw_answer_free(&r);
    r = raw_text(srv.port, "GET /v1/stats?nohost=1 HTTP/1.1\r\nConnection: close\r\n\r\n", 5);
    assert_int_equal(r.status, 400); /* strict client mode: HTTP/1.1 needs Host */
    raw_answer_free(&r);
    r = raw_text(srv.port, "GET /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n", 5);
    assert_int_equal(r.status, 400); /* the library's answer (two status lines: see README) */
    raw_answer_free(&r);
    usleep(200 * 1000);
    char *log =
        harness_read_log(access_log); /* library-level answers are logged with their status */
    if (!strstr(log, "/v1/stats?nohost=1 400"))
        fail_msg("the request without Host is not in the access log:\n%s", log);
    free(log);
    assert_true(metric_value(&srv, "corpusd_refusals_total{reason=\"library\"}") >= 2);
}

static void test_static_files_stay_inside(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        long status;
    } cases[] = {{"/", 200}, {"/in.html", 200}, {"/README.md", 404}, {"/out.js", 404}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct http_response r = http_get(&srv, cases[i].path);
        if (r.status != cases[i].status)
            fail_msg("%s: expected %ld, got %ld", cases[i].path, cases[i].status, r.status);
        char *type = http_header(&r, "Content-Type");
        assert_non_null(type);
        assert_non_null(strstr(type, r.status == 200 ? "text/html" : "application/problem+json"));
        free(type);
        assert_null(strstr(r.body, "secret"));
        http_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_store_file_with_another_schema_is_refused),
        cmocka_unit_test(test_fifo_as_db_is_refused_at_once),
        cmocka_unit_test(test_file_names_are_escaped_everywhere),
        cmocka_unit_test(test_forged_cursor_is_refused),
        cmocka_unit_test(test_preflight_echoes_only_tokens),
        cmocka_unit_test(test_framing_quirks),
        cmocka_unit_test(test_static_files_stay_inside),
    };
    return cmocka_run_group_tests_name("hostile inputs", tests, start, stop);
}
