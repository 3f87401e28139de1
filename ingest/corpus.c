/*
 * corpus.c — loads a corpus directory: the second pass, which reads each file in name order, turns
 * every JSONL line or .txt file into a record with a unique id and runs it through the pipeline
 * (ingest/parallel.c, on every core), then the corpus-wide passes.
 *
 * Takes a directory and the loaded models; gives a struct corpus (documents in file order, warnings
 * by kind, the fingerprint of the bytes read). corpus_files.c reads files and fingerprints them;
 * corpus_survey.c is the first pass (template counts, each file's usual year).
 */
#include "ingest/corpus.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/hash.h"
#include "base/utf8.h"
#include "ingest/corpus_internal.h"
#include "ingest/parallel.h"
#include "base/grow.h"

struct loader {
    const struct ingest *ing;
    const struct template_counts *templates; /* from the first pass */
    int context_year;                        /* of the file being loaded */
    struct corpus *c;
    size_t cap;
    corpus_warn_fn warn;
    void *ctx;
    size_t *slots, n_slots;     /* hash set of the ids taken: doc index + 1, 0 when empty */
    struct fingerprint files;   /* of the names and bytes actually read */
    struct ingest_batch *batch; /* records run through ingest_record on every core */
};

enum { FROM_JSONL = 0, FROM_TXT = 1 }; /* a .txt file is one record: its file counts with it */

static void warnf(struct loader *l, enum ingest_warning_kind kind, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void warn_kind(struct loader *l, enum ingest_warning_kind kind, const char *path,
                      const char *msg)
{
    struct corpus_warning_kind *k = &l->c->stats.by_kind[kind];
    if (k->count < 3)
        snprintf(k->first[k->count], sizeof k->first[0], "%s", path);
    k->count++;
    l->c->stats.warnings++;
    if (l->warn)
        l->warn(l->ctx, path, msg);
}

static void warnf(struct loader *l, enum ingest_warning_kind kind, const char *path,
                  const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn_kind(l, kind, path, msg);
}

static size_t id_hash(const char *id)
{
    return (size_t)base_hash(id, strlen(id));
}

/* The slot of id in the hash set (n_slots is a power of two): its own, or the empty one. */
static size_t *id_slot(const struct loader *l, const char *id)
{
    size_t i = id_hash(id) & (l->n_slots - 1);
    while (l->slots[i] && strcmp(l->c->docs[l->slots[i] - 1]->id, id) != 0)
        i = (i + 1) & (l->n_slots - 1);
    return &l->slots[i];
}

static bool id_taken(const struct loader *l, const char *id)
{
    return l->n_slots && *id_slot(l, id);
}

/* Adds the last document's id to the set (grown to stay at most half full); -1 on OOM. */
static int id_add(struct loader *l)
{
    if (2 * l->c->n_docs > l->n_slots) {
        size_t *old = l->slots, n_old = l->n_slots;
        l->n_slots = n_old ? 2 * n_old : 256;
        if (!(l->slots = calloc(l->n_slots, sizeof *l->slots))) {
            l->slots = old, l->n_slots = n_old;
            return -1;
        }
        for (size_t i = 0; i < n_old; i++)
            if (old[i])
                *id_slot(l, l->c->docs[old[i] - 1]->id) = old[i];
        free(old);
    }
    *id_slot(l, l->c->docs[l->c->n_docs - 1]->id) = l->c->n_docs;
    return 0;
}

/* Ids become URL path segments and log fields: 1-200 bytes, no '/', no control characters,
 * not "." or ".." (clients and proxies resolve those as dot-segments, RFC 3986 5.2.4). */
static bool valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 200 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return false;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p < 0x20 || *p == 0x7F || *p == '/')
            return false;
    return true;
}

/* Checks the record's id and queues it for ingest_record (record_done takes the result). */
static int add_record(struct loader *l, const struct raw_record *rec, const char *where, int tag)
{
    bool valid = valid_id(rec->id);
    if (!valid || id_taken(l, rec->id)) {
        if (!valid)
            warnf(l, WARN_INVALID_ID, where,
                  "document id is empty, longer than 200 bytes, '.' or '..', or holds '/' or "
                  "control characters; record skipped");
        else
            warnf(l, WARN_DUPLICATE_ID, where, "duplicate document id '%s'; record skipped",
                  rec->id);
        l->c->stats.records_skipped++;
        l->c->stats.files_skipped += tag == FROM_TXT;
        return 0;
    }
    return ingest_batch_add(l->batch, rec, where, tag);
}

/* A record back from ingest_record (in corpus order, see ingest/parallel.h). An id may have
 * been taken since it was queued (twice in one batch): the later record is skipped as before. */
static int record_done(void *ctx, const char *id, const char *where, int tag, struct doc *d,
                       const struct ingest_warnings *w)
{
    struct loader *l = ctx;
    bool txt = tag == FROM_TXT;
    if (id_taken(l, id)) {
        doc_free(d);
        warnf(l, WARN_DUPLICATE_ID, where, "duplicate document id '%s'; record skipped", id);
        l->c->stats.records_skipped++;
        l->c->stats.files_skipped += txt;
        return 0;
    }
    for (size_t i = 0; i < w->n; i++)
        warn_kind(l, w->items[i].kind, where, w->items[i].msg);
    if (!d) {
        l->c->stats.records_skipped++;
        l->c->stats.files_skipped += txt;
        return 0;
    }
    if (BASE_GROW(l->c->docs, l->cap, l->c->n_docs, 64) < 0) {
        doc_free(d);
        return -1;
    }
    l->c->docs[l->c->n_docs++] = d;
    if (id_add(l) < 0)
        return -1;
    l->c->stats.records_loaded++;
    l->c->stats.files_loaded += txt;
    return 0;
}

const char *corpus_json_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int load_jsonl_line(struct loader *l, const char *path, const char *stem, size_t lineno,
                           const char *s, size_t len)
{
    char where[4200];
    snprintf(where, sizeof where, "%s:%zu", path, lineno);
    json_error_t jerr;
    json_t *obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(obj) || !corpus_json_str(obj, "text")) {
        if (obj)
            warnf(l, WARN_NO_TEXT_FIELD, where, "record has no string field \"text\"; skipped");
        else
            warnf(l, WARN_INVALID_JSON, where, "not valid JSON (%s); skipped", jerr.text);
        json_decref(obj);
        l->c->stats.records_skipped++;
        return 0;
    }
    char fallback_id[300];
    snprintf(fallback_id, sizeof fallback_id, "%s-%zu", stem, lineno);
    json_t *text = json_object_get(obj, "text");
    struct raw_record rec = {
        .id = corpus_json_str(obj, "id") ? corpus_json_str(obj, "id") : fallback_id,
        .path = path,
        .raw = json_string_value(text),
        .raw_len = json_string_length(text),
        .title = corpus_json_str(obj, "title"),
        .published = corpus_json_str(obj, "published"),
        .source = corpus_json_str(obj, "source"),
        .url = corpus_json_str(obj, "url"),
        .language = corpus_json_str(obj, "language"),
        .given_text = !json_is_true(json_object_get(obj, "raw")),
        .templates = l->templates,
        .context_year = l->context_year,
    };
    /* Warnings about the record name its line and its id. */
    char named[4500];
    snprintf(named, sizeof named, "%s (id %.200s)", where, rec.id);
    int rc = add_record(l, &rec, named, FROM_JSONL);
    json_decref(obj);
    return rc;
}

static int load_jsonl(struct loader *l, const char *path, const char *stem, const char *buf,
                      size_t len)
{
    size_t lineno = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && buf[i] != '\n')
            continue;
        lineno++;
        size_t a = start, b = i;
        start = i + 1;
        while (a < b && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '\r'))
            a++;
        if (a == b)
            continue;
        if (load_jsonl_line(l, path, stem, lineno, buf + a, b - a) < 0)
            return -1;
    }
    return 0;
}

/* A file name that is not UTF-8 cannot be an id (JSON carries text): every byte outside valid
 * UTF-8, and '%' itself, becomes %XX, so distinct names stay distinct. */
static void escape_stem(char *stem, size_t size)
{
    char out[256];
    size_t o = 0, n = strlen(stem);
    for (size_t i = 0; i < n && o + 4 < sizeof out;) {
        uint32_t cp;
        size_t k = utf8_decode((const unsigned char *)stem + i, n - i, &cp);
        if (k == 0 || stem[i] == '%') {
            o += (size_t)snprintf(out + o, sizeof out - o, "%%%02X", (unsigned char)stem[i]);
            i++;
        } else {
            memcpy(out + o, stem + i, k);
            o += k, i += k;
        }
    }
    out[o] = '\0';
    snprintf(stem, size, "%s", out);
}

static int load_file(struct loader *l, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    bool jsonl = corpus_has_suffix(name, ".jsonl");
    char stem[256];
    snprintf(stem, sizeof stem, "%.*s", (int)(strlen(name) - (jsonl ? 6 : 4)), name);
    l->c->stats.files_seen++;
    if (!utf8_valid(stem, strlen(stem))) {
        escape_stem(stem, sizeof stem);
        warnf(l, WARN_FILE_NAME, path,
              "the file name is not valid UTF-8; its documents' ids use '%s'", stem);
    }
    size_t len = 0;
    const char *why = NULL;
    char *buf = corpus_read_file(path, &len, &why);
    corpus_fp_add(&l->files, name, strlen(name) + 1);
    corpus_fp_add(&l->files, buf ? buf : "?", buf ? len : 1);
    if (!buf || len == 0 || corpus_looks_binary(buf, len)) {
        warnf(l,
              !buf       ? WARN_UNREADABLE
              : len == 0 ? WARN_EMPTY_FILE
                         : WARN_BINARY,
              path, "skipped: %s",
              !buf       ? why
              : len == 0 ? "empty file"
                         : "binary data");
        l->c->stats.files_skipped++;
        free(buf);
        return 0;
    }
    l->c->stats.bytes_read += len;
    size_t before = l->c->stats.records_loaded;
    int rc;
    if (jsonl) {
        rc = load_jsonl(l, path, stem, buf, len);
        if (rc == 0) /* this file's records done, so that it is counted loaded or skipped */
            rc = ingest_batch_run(l->batch);
        if (l->c->stats.records_loaded > before)
            l->c->stats.files_loaded++;
        else
            l->c->stats.files_skipped++;
    } else { /* counted when its record is done (record_done), across files */
        struct raw_record rec = {
            .id = stem, .path = path, .raw = buf, .raw_len = len, .templates = l->templates};
        rc = add_record(l, &rec, path, FROM_TXT);
    }
    free(buf);
    return rc;
}

static double corpus_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int corpus_load(const struct ingest *ing, const char *dir, struct corpus *out, corpus_warn_fn warn,
                void *ctx, char **err)
{
    memset(out, 0, sizeof *out);
    *err = NULL;
    size_t n = 0;
    char **names = corpus_list_names(dir, true, &n, err);
    if (!names)
        return -1;
    struct template_counts *counts = template_counts_new();
    int *years = calloc(n ? n : 1, sizeof *years);
    int rc = counts && years ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = corpus_survey_file(ing, dir, names[i], counts, &years[i], &out->stats.pages_counted);
    struct loader l = {.ing = ing,
                       .templates = counts,
                       .c = out,
                       .warn = warn,
                       .ctx = ctx,
                       .files = FINGERPRINT_START};
    /* After the first pass: the template counts are read-only while records run. */
    out->stats.threads = ingest_threads(ing);
    if (rc == 0 && !(l.batch = ingest_batch_new(ing, out->stats.threads, record_done, &l)))
        rc = -1;
    for (size_t i = 0; i < n; i++) {
        l.context_year = years ? years[i] : 0;
        if (rc == 0 && load_file(&l, dir, names[i]) < 0)
            rc = -1;
        free(names[i]);
    }
    if (rc == 0)
        rc = ingest_batch_run(l.batch); /* the .txt records still queued */
    if (l.batch)
        out->stats.documents_ms = ingest_batch_ms(l.batch);
    ingest_batch_free(l.batch);
    free(names);
    free(years);
    free(l.slots);
    out->files_fingerprint[0] = l.files.a;
    out->files_fingerprint[1] = l.files.b;
    template_counts_free(counts);
    double t0 = corpus_now_ms();
    if (rc == 0 && ingest_finish_corpus(ing, out->docs, out->n_docs) < 0) {
        *err = strdup("out of memory while resolving the corpus");
        rc = -1;
    } else if (rc < 0) {
        *err = strdup("out of memory while loading the corpus");
    }
    out->stats.corpus_passes_ms = corpus_now_ms() - t0;
    if (rc < 0) {
        corpus_free(out);
    }
    return rc;
}

void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->n_docs; i++)
        doc_free(c->docs[i]);
    free(c->docs);
    c->docs = NULL;
    c->n_docs = 0;
}
