/*
 * test_corpus.c — reading a hostile corpus directory: every bad file is skipped or repaired with
 * one warning naming it, and every good file still loads.
 */
#include "test_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/corpus.h"

struct warnings {
    char text[64][512];
    size_t n;
};

static void collect_warning(void *ctx, const char *path, const char *msg)
{
    struct warnings *w = ctx;
    if (w->n < 64)
        snprintf(w->text[w->n++], sizeof w->text[0], "%s: %s", path, msg);
}

static const char *article =
    "A Quiet Harbour Town Prepares for the Summer Season\n\n"
    "Fishermen in the harbour town repaired their boats on Friday as the season began.\n\n"
    "The mayor said the town expected more visitors than last year.\n";

static bool warned_about(const struct warnings *w, const char *name, const char *reason)
{
    for (size_t i = 0; i < w->n; i++)
        if (strstr(w->text[i], name) && strstr(w->text[i], reason))
            return true;
    return false;
}

static struct doc *find_doc(const struct corpus *c, const char *id)
{
    for (size_t i = 0; i < c->n_docs; i++)
        if (strcmp(c->docs[i]->id, id) == 0)
            return c->docs[i];
    return NULL;
}

static void test_hostile_corpus(void **state)
{
    (void)state;
    char dir[] = "/tmp/corpusd-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    test_write_file(dir, "good.txt", article, strlen(article));
    test_write_file(dir, "empty.txt", "", 0);
    char binary[4096];
    for (size_t i = 0; i < sizeof binary; i++)
        binary[i] = (char)(i * 7 % 256);
    test_write_file(dir, "binary.txt", binary, sizeof binary);
    char bad_utf8[512];
    snprintf(bad_utf8, sizeof bad_utf8, "%s", article);
    bad_utf8[60] = (char)0xFF;
    test_write_file(dir, "invalid-utf8.txt", bad_utf8, strlen(bad_utf8));
    char crlf[1024], *o = crlf;
    for (const char *p = article; *p; p++) {
        if (*p == '\n')
            *o++ = '\r';
        *o++ = *p;
    }
    test_write_file(dir, "crlf.txt", crlf, (size_t)(o - crlf));
    const char jsonl[] =
        "{\"id\":\"j1\",\"title\":\"Given Title\",\"published\":\"2020-05-01\",\"source\":\"Wire\","
        "\"text\":\"The council approved the budget on Tuesday after a long debate.\"}\n"
        "this is not json\n"
        "{\"id\":\"j2\",\"title\":\"No text here\"}\n"
        "{\"id\":\"good\",\"text\":\"A record whose id is taken by another file already.\"}\n"
        "{\"text\":\"A record without an id gets one from its file and line number.\"}\n"
        "{\"id\":\"a/b\",\"text\":\"An id with a slash could never be requested.\"}\n";
    test_write_file(dir, "feed.jsonl", jsonl, sizeof jsonl - 1);
    char path[1024];
    snprintf(path, sizeof path, "%s/loop.txt", dir);
    assert_int_equal(symlink(path, path), 0); /* a symlink to itself */
    snprintf(path, sizeof path, "%s/folder.txt", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/fifo.txt", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    test_write_file(dir, "ignored.md", "not a corpus file", 17);

    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    assert_non_null(ing);
    struct corpus c;
    struct warnings w = {0};
    assert_int_equal(corpus_load(ing, dir, &c, collect_warning, &w, &err), 0);

    assert_non_null(find_doc(&c, "good"));
    assert_non_null(find_doc(&c, "invalid-utf8"));
    assert_non_null(find_doc(&c, "crlf"));
    assert_null(strchr(find_doc(&c, "crlf")->text, '\r'));
    struct doc *j1 = find_doc(&c, "j1");
    assert_non_null(j1);
    assert_string_equal(j1->title, "Given Title");
    assert_string_equal(j1->source, "Wire");
    assert_non_null(find_doc(&c, "feed-5"));
    assert_int_equal(c.n_docs, 5);

    assert_true(warned_about(&w, "empty.txt", "empty file"));
    assert_true(warned_about(&w, "binary.txt", "binary"));
    /* Not UTF-8: read as Windows-1252 (0xFF is 'ÿ'), not replaced. */
    assert_true(warned_about(&w, "invalid-utf8.txt", "transcoded"));
    assert_non_null(strstr(find_doc(&c, "invalid-utf8")->text, "\xC3\xBF"));
    assert_true(warned_about(&w, "feed.jsonl:2", "not valid JSON"));
    assert_true(warned_about(&w, "feed.jsonl:3", "\"text\""));
    /* Files load in name order: feed.jsonl's "good" record comes before good.txt. */
    assert_true(warned_about(&w, "good.txt", "duplicate"));
    assert_non_null(strstr(find_doc(&c, "good")->text, "whose id is taken"));
    assert_true(warned_about(&w, "feed.jsonl:6", "'/'"));
    assert_true(warned_about(&w, "loop.txt", "symbolic links"));
    assert_true(warned_about(&w, "folder.txt", "regular"));
    assert_true(warned_about(&w, "fifo.txt", "regular"));
    assert_int_equal(c.stats.files_skipped, 6);
    assert_int_equal(c.stats.records_skipped, 4);
    assert_int_equal(c.stats.warnings, w.n);

    corpus_free(&c);
    ingest_close(ing);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_missing_directory(void **state)
{
    (void)state;
    char *err = NULL;
    struct ingest *ing = ingest_open(test_data_dir(), &err);
    struct corpus c;
    assert_int_equal(corpus_load(ing, "/nonexistent/corpus", &c, NULL, NULL, &err), -1);
    assert_non_null(strstr(err, "/nonexistent/corpus"));
    free(err);
    ingest_close(ing);
}

static void test_missing_data_dir(void **state)
{
    (void)state;
    char *err = NULL;
    assert_null(ingest_open("/nonexistent/data", &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "/nonexistent/data"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_corpus),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_missing_data_dir),
    };
    return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}
