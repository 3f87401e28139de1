/*
 * test_hostile_corpus.c — end-to-end: the real corpusd over a hostile corpus directory (empty,
 * binary, invalid UTF-8, NUL-laden, CR-only, unreadable, looping, folder and FIFO "files", broken
 * JSONL lines). The good and repairable files load, the rest are skipped, /v1/stats counts both,
 * and the log names every problem file and never a good one.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "harness.h"

static int setup(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    return 0;
}

static const char article[] =
    "A Quiet Harbour Town Prepares for the Summer Season\n\n"
    "Fishermen in the harbour town repaired their boats on Friday as the season began.\n\n"
    "The mayor said the town expected more visitors than last year.\n";

static void write_file(const char *dir, const char *name, const char *data, size_t len)
{
    assert_true(harness_write_file(dir, name, data, len));
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

    char *log = harness_read_log(log_path);
    assert_non_null(log);
    assert_true(strlen(log) > 0);
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
        cmocka_unit_test(test_hostile_corpus_stats_and_log),
    };
    return cmocka_run_group_tests_name("hostile corpus", tests, setup, teardown);
}
