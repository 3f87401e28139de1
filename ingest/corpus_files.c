/*
 * corpus_files.c — the corpus's files: reading one whole (bounded, regular files only), telling
 * binary data from text, listing a directory in name order, and the fingerprint of a corpus and
 * the data files (two FNV-1a streams over names and bytes) that decides whether a store is stale.
 */
#include "ingest/corpus.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"
#include "base/grow.h"
#include "base/hash.h"
#include "ingest/corpus_internal.h"

bool corpus_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads a whole corpus file (base/file.c), naming the corpus's limit when it is over it. */
char *corpus_read_file(const char *path, size_t *len, const char **why)
{
    char *buf = base_read_file(path, CORPUS_MAX_FILE_BYTES, len, why);
    if (!buf && *why == base_file_too_large)
        *why = "larger than the 256 MiB limit";
    return buf;
}

/* Binary data is not an article: mostly NUL bytes (UTF-16, images) or many other control
 * bytes. A stray NUL per line of otherwise readable text is damage to repair, not binary. */
bool corpus_looks_binary(const char *s, size_t len)
{
    size_t nul = 0, ctl = 0, sample = len < 65536 ? len : 65536;
    for (size_t i = 0; i < sample; i++) {
        unsigned char c = (unsigned char)s[i];
        nul += c == 0;
        ctl += c != 0 && c < 0x20 && c != '\n' && c != '\r' && c != '\t';
    }
    return sample > 0 && (nul * 5 > sample || ctl * 20 > sample || (nul + ctl) * 10 > sample);
}

/* The names in dir (corpus files only, or every name but dot files), sorted; NULL with *err
 * when dir cannot be opened. */
char **corpus_list_names(const char *dir, bool corpus_only, size_t *n_out, char **err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (asprintf(err, "cannot open corpus directory %s: %s", dir, strerror(errno)) < 0)
            *err = NULL;
        return NULL;
    }
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || (corpus_only && !corpus_has_suffix(e->d_name, ".txt") &&
                                    !corpus_has_suffix(e->d_name, ".jsonl")))
            continue;
        if (BASE_GROW(names, cap, n, 64) < 0)
            break;
        if (!(names[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, cmp_names);
    *n_out = n;
    return names;
}

void corpus_fp_add(struct fingerprint *fp, const void *data, size_t n)
{
    fp->a = base_hash_update(fp->a, data, n);
    fp->b = base_hash_update(fp->b, data, n);
}

static void fp_add_file(struct fingerprint *fp, const char *dir, const char *name)
{
    char path[4096], buf[65536];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    corpus_fp_add(fp, name, strlen(name) + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    /* "?" for what corpus_load cannot read either, so both fingerprints agree. */
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        (size_t)st.st_size > CORPUS_MAX_FILE_BYTES) {
        corpus_fp_add(fp, "?", 1);
    } else {
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            corpus_fp_add(fp, buf, (size_t)n);
    }
    if (fd >= 0)
        close(fd);
}

/* Every entry of dir in name order (corpus files only, when corpus_only). */
static int fp_add_dir(struct fingerprint *fp, const char *dir, bool corpus_only)
{
    size_t n = 0;
    char *err = NULL;
    char **names = corpus_list_names(dir, corpus_only, &n, &err);
    if (!names) {
        free(err);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        fp_add_file(fp, dir, names[i]);
        free(names[i]);
    }
    free(names);
    return 0;
}

/* version, the corpus files' fingerprint, then the data files. */
static void fp_finish(const struct fingerprint *files, const char *data_dir, const char *version,
                      char out[33])
{
    struct fingerprint fp = FINGERPRINT_START;
    corpus_fp_add(&fp, version, strlen(version) + 1);
    corpus_fp_add(&fp, files, sizeof *files);
    corpus_fp_add(&fp, "\0data", 6);
    fp_add_dir(&fp, data_dir, false);
    snprintf(out, 33, "%016llx%016llx", fp.a, fp.b);
}

int corpus_fingerprint(const char *dir, const char *data_dir, const char *version, char out[33])
{
    struct fingerprint files = FINGERPRINT_START;
    if (fp_add_dir(&files, dir, true) < 0)
        return -1;
    fp_finish(&files, data_dir, version, out);
    return 0;
}

void corpus_fingerprint_loaded(const struct corpus *c, const char *data_dir, const char *version,
                               char out[33])
{
    struct fingerprint files = {c->files_fingerprint[0], c->files_fingerprint[1]};
    fp_finish(&files, data_dir, version, out);
}
