/*
 * parallel.c — a queue of records run through ingest_record on a pool of threads (see
 * parallel.h). Threads are started per run of the queue and take records by an atomic index;
 * the queue holds 64 records per thread, so starting them costs little against the work.
 */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RECORDS_PER_THREAD 64

struct job {
    struct raw_record rec; /* strings owned by the job */
    char *where;
    int tag;
    struct doc *doc;
    struct ingest_warnings warnings;
};

struct ingest_batch {
    const struct ingest *ing;
    unsigned threads;
    ingest_done_fn done;
    void *ctx;
    struct job *jobs;
    size_t n, cap;
    atomic_size_t next; /* the next job a worker takes */
    double ms;
};

unsigned ingest_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

struct ingest_batch *ingest_batch_new(const struct ingest *ing, unsigned threads,
                                      ingest_done_fn done, void *ctx)
{
    struct ingest_batch *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->ing = ing;
    b->threads = threads ? threads : 1;
    b->done = done;
    b->ctx = ctx;
    b->cap = b->threads == 1 ? 1 : (size_t)b->threads * RECORDS_PER_THREAD;
    if (!(b->jobs = calloc(b->cap, sizeof *b->jobs))) {
        free(b);
        return NULL;
    }
    return b;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void job_clear(struct job *j)
{
    free((char *)j->rec.id);
    free((char *)j->rec.path);
    free((char *)j->rec.raw);
    free((char *)j->rec.title);
    free((char *)j->rec.published);
    free((char *)j->rec.source);
    free((char *)j->rec.url);
    free((char *)j->rec.language);
    free(j->where);
    doc_free(j->doc);
    memset(j, 0, sizeof *j);
}

/* Copies rec into j: the reader frees its buffers as soon as the record is queued. The template
 * counts are shared, not copied: the corpus reader does not change them while a batch runs. */
static bool job_set(struct job *j, const struct raw_record *rec, const char *where, int tag)
{
    char *raw = malloc(rec->raw_len + 1);
    if (raw) {
        memcpy(raw, rec->raw, rec->raw_len);
        raw[rec->raw_len] = '\0';
    }
    j->rec = (struct raw_record){dup_or_null(rec->id),
                                 dup_or_null(rec->path),
                                 raw,
                                 rec->raw_len,
                                 dup_or_null(rec->title),
                                 dup_or_null(rec->published),
                                 dup_or_null(rec->source),
                                 dup_or_null(rec->url),
                                 dup_or_null(rec->language),
                                 rec->given_text,
                                 rec->templates,
                                 rec->context_year};
    j->where = dup_or_null(where);
    j->tag = tag;
    return raw && j->rec.id && (!rec->path || j->rec.path) && (!rec->title || j->rec.title) &&
           (!rec->published || j->rec.published) && (!rec->source || j->rec.source) &&
           (!rec->url || j->rec.url) && (!rec->language || j->rec.language) && (!where || j->where);
}

static void *work(void *arg)
{
    struct ingest_batch *b = arg;
    size_t i;
    while ((i = atomic_fetch_add(&b->next, 1)) < b->n) {
        struct job *j = &b->jobs[i];
        j->warnings.n = 0;
        j->doc = ingest_record(b->ing, &j->rec, &j->warnings);
    }
    return NULL;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Every queued record through ingest_record: the caller's thread plus up to threads - 1. */
static void run_jobs(struct ingest_batch *b)
{
    double t0 = now_ms();
    atomic_store(&b->next, 0);
    pthread_t tids[256];
    size_t helpers = b->threads - 1 < b->n ? b->threads - 1 : b->n - 1, started = 0;
    if (helpers > 256)
        helpers = 256;
    while (started < helpers && pthread_create(&tids[started], NULL, work, b) == 0)
        started++; /* fewer threads when the system refuses more: the work still gets done */
    work(b);
    for (size_t i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    b->ms += now_ms() - t0;
}

int ingest_batch_run(struct ingest_batch *b)
{
    if (b->n == 0)
        return 0;
    run_jobs(b);
    int rc = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct job *j = &b->jobs[i];
        if (rc == 0)
            rc = b->done(b->ctx, j->rec.id, j->where, j->tag, j->doc, &j->warnings);
        else
            doc_free(j->doc);
        j->doc = NULL; /* handed over (or freed) */
        job_clear(j);
    }
    b->n = 0;
    return rc;
}

int ingest_batch_add(struct ingest_batch *b, const struct raw_record *rec, const char *where,
                     int tag)
{
    struct job *j = &b->jobs[b->n];
    if (!job_set(j, rec, where, tag)) {
        job_clear(j);
        return -1;
    }
    b->n++;
    return b->n == b->cap ? ingest_batch_run(b) : 0;
}

double ingest_batch_ms(const struct ingest_batch *b)
{
    return b->ms;
}

void ingest_batch_free(struct ingest_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        job_clear(&b->jobs[i]);
    free(b->jobs);
    free(b);
}
