/*
 * fuzz_jsonl.c — the corpus reader (ingest/corpus.c) on an arbitrary *.jsonl file (and, when the
 * first byte is odd, the same bytes as a *.txt page), through the whole ingest pipeline.
 * The input is written to a private temporary directory and loaded with corpus_load.
 * Invariants: loading never fails for a bad file; every skipped record or file is counted and
 * warned about with the file's name; every loaded document has a unique id and valid UTF-8.
 */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "ingest/corpus.h"
#include "base/utf8.h"

static struct ingest *ing;
static char dir[64];

static void cleanup(void)
{
    char path[128];
    snprintf(path, sizeof path, "%s/feed.jsonl", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/page.txt", dir);
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char *err = NULL;
    snprintf(dir, sizeof dir, "%s/corpusd-fuzz-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir) || !(ing = ingest_open(fuzz_data_dir(), &err))) {
        fprintf(stderr, "fuzz_jsonl: %s\n", err ? err : "cannot create a temporary directory");
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

static void write_file(const char *name, const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
    close(fd);
}

struct seen {
    size_t warnings;
    bool named;
};

static void on_warning(void *ctx, const char *path, const char *msg)
{
    struct seen *s = ctx;
    s->warnings++;
    FUZZ_CHECK(msg && *msg);
    if (!strstr(path, "feed.jsonl") && !strstr(path, "page.txt"))
        s->named = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    write_file("feed.jsonl", data, size);
    bool txt = size && (data[0] & 1);
    char path[128];
    snprintf(path, sizeof path, "%s/page.txt", dir);
    if (txt)
        write_file("page.txt", data, size);
    else
        unlink(path);

    struct corpus c;
    struct seen s = {0, true};
    char *err = NULL;
    FUZZ_CHECK(corpus_load(ing, dir, &c, on_warning, &s, &err) == 0);
    FUZZ_CHECK(s.named);
    FUZZ_CHECK(s.warnings == c.stats.warnings);
    FUZZ_CHECK(c.stats.files_seen == 1u + txt);
    FUZZ_CHECK(c.stats.files_loaded + c.stats.files_skipped == c.stats.files_seen);
    FUZZ_CHECK(c.stats.records_loaded == c.n_docs);
    FUZZ_CHECK(c.stats.records_skipped == 0 || c.stats.warnings > 0);
    for (size_t i = 0; i < c.n_docs; i++) {
        const struct doc *d = c.docs[i];
        /* An empty text is kept (with a warning), never dropped. */
        FUZZ_CHECK(d->id && d->text && strlen(d->text) == d->text_len);
        FUZZ_CHECK(d->text_len > 0 || c.stats.warnings > 0 || d->original_len == 0);
        for (size_t k = 0; k < d->n_set_aside; k++)
            FUZZ_CHECK(d->set_aside[k].start < d->set_aside[k].end &&
                       d->set_aside[k].end <= d->original_len &&
                       (k == 0 || d->set_aside[k - 1].end <= d->set_aside[k].start));
        FUZZ_CHECK(utf8_valid(d->text, d->text_len));
        for (size_t k = 0; k < i; k++)
            FUZZ_CHECK(strcmp(c.docs[k]->id, d->id) != 0);
        fuzz_check_spans(d->paragraphs, d->n_paragraphs, d->text_len);
        fuzz_check_spans(d->sentences, d->n_sentences, d->text_len);
    }
    corpus_free(&c);
    return 0;
}
