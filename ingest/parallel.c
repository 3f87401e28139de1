/*
 * parallel.c — a queue of records run through ingest_record on a pool of threads (see
 * parallel.h). The queue is a ring of 64 records per thread that the threads drain while the
 * reader fills it: the helpers (threads - 1, started with the first record, kept until the queue
 * is freed) take the oldest record not yet taken; the reader's own thread hands the finished
 * records on in queue order and, whenever the ring is full, runs records itself. Reading,
 * running and handing on overlap: a queue run in batches left a core idle while the reader
 * parsed the next batch and while the last record of each batch ran (bench/RESULTS.md §7l).
 */
#include "parallel.h"

#include <pthread.h>
#include <stdbool.h>
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
    bool done; /* ingest_record has returned (set under the lock) */
};

/* Jobs are numbered in queue order; job s is jobs[s % cap]. delivered <= taken <= added:
 * [delivered, added) are in the ring, [taken, added) wait for a thread. */
struct ingest_batch {
    const struct ingest *ing;
    unsigned threads;
    ingest_done_fn done;
    void *ctx;
    struct job *jobs;
    size_t cap;
    size_t added, taken; /* under lock */
    size_t delivered;    /* the reader's thread only */
    pthread_mutex_t lock;
    pthread_cond_t work;     /* to the helpers: a job was added, or they stop */
    pthread_cond_t finished; /* to the reader: a job is done */
    pthread_t helper[255];
    size_t helpers; /* started */
    bool started, stopping;
    int rc;        /* the first failure of done: later documents are dropped */
    double ms;     /* wall time while the ring held jobs */
    double busy_t; /* when the ring last went from empty to holding a job */
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
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->work, NULL);
    pthread_cond_init(&b->finished, NULL);
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

/* Runs job s (taken by the caller, who holds no lock) and marks it done. */
static void run_job(struct ingest_batch *b, size_t s)
{
    struct job *j = &b->jobs[s % b->cap];
    j->warnings.n = 0;
    j->doc = ingest_record(b->ing, &j->rec, &j->warnings);
    pthread_mutex_lock(&b->lock);
    j->done = true;
    pthread_cond_signal(&b->finished);
    pthread_mutex_unlock(&b->lock);
}

static void *helper(void *arg)
{
    struct ingest_batch *b = arg;
    pthread_mutex_lock(&b->lock);
    while (!b->stopping) {
        if (b->taken == b->added) {
            pthread_cond_wait(&b->work, &b->lock);
            continue;
        }
        size_t s = b->taken++;
        pthread_mutex_unlock(&b->lock);
        run_job(b, s);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Starts the helpers once; fewer when the system refuses more (the reader's thread still runs
 * every record the helpers do not). */
static void start_helpers(struct ingest_batch *b)
{
    b->started = true;
    size_t want = b->threads - 1 < 255 ? b->threads - 1 : 255;
    while (b->helpers < want && pthread_create(&b->helper[b->helpers], NULL, helper, b) == 0)
        b->helpers++;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Hands the oldest job on (done, or freed after a failure) and empties its slot; the reader's
 * thread, without the lock (the slot is no thread's until it is added again). */
static void deliver(struct ingest_batch *b)
{
    struct job *j = &b->jobs[b->delivered % b->cap];
    if (b->rc == 0)
        b->rc = b->done(b->ctx, j->rec.id, j->where, j->tag, j->doc, &j->warnings);
    else
        doc_free(j->doc);
    j->doc = NULL; /* handed over (or freed) */
    job_clear(j);
    b->delivered++;
    if (b->delivered == b->added) /* drained: the stage's clock stops (b->added: reader's) */
        b->ms += now_ms() - b->busy_t;
}

/* Makes progress for the reader until `until` jobs are left in the ring (0: drained): hands on
 * the oldest when done, else runs a waiting job, else waits for one to finish. */
static void progress(struct ingest_batch *b, size_t until)
{
    pthread_mutex_lock(&b->lock);
    while (b->added - b->delivered > until) {
        if (b->jobs[b->delivered % b->cap].done) {
            pthread_mutex_unlock(&b->lock);
            deliver(b);
            pthread_mutex_lock(&b->lock);
        } else if (b->taken < b->added) {
            size_t s = b->taken++;
            pthread_mutex_unlock(&b->lock);
            run_job(b, s);
            pthread_mutex_lock(&b->lock);
        } else {
            pthread_cond_wait(&b->finished, &b->lock);
        }
    }
    pthread_mutex_unlock(&b->lock);
}

/* Hands on the jobs already done at the head of the ring, without waiting. */
static void deliver_done(struct ingest_batch *b)
{
    for (;;) {
        pthread_mutex_lock(&b->lock);
        bool ready = b->delivered < b->added && b->jobs[b->delivered % b->cap].done;
        pthread_mutex_unlock(&b->lock);
        if (!ready)
            return;
        deliver(b);
    }
}

int ingest_batch_run(struct ingest_batch *b)
{
    progress(b, 0);
    return b->rc;
}

int ingest_batch_add(struct ingest_batch *b, const struct raw_record *rec, const char *where,
                     int tag)
{
    if (!b->started)
        start_helpers(b);
    progress(b, b->cap - 1); /* a free slot */
    struct job *j = &b->jobs[b->added % b->cap];
    if (!job_set(j, rec, where, tag)) {
        job_clear(j);
        return -1;
    }
    if (b->added == b->delivered)
        b->busy_t = now_ms();
    pthread_mutex_lock(&b->lock);
    b->added++;
    pthread_cond_signal(&b->work);
    pthread_mutex_unlock(&b->lock);
    deliver_done(b);
    return b->rc;
}

double ingest_batch_ms(const struct ingest_batch *b)
{
    return b->ms;
}

void ingest_batch_free(struct ingest_batch *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->taken = b->added; /* what no thread has taken is dropped */
    b->stopping = true;
    pthread_cond_broadcast(&b->work);
    pthread_mutex_unlock(&b->lock);
    for (size_t i = 0; i < b->helpers; i++)
        pthread_join(b->helper[i], NULL);
    for (size_t i = 0; i < b->cap; i++)
        job_clear(&b->jobs[i]);
    pthread_cond_destroy(&b->work);
    pthread_cond_destroy(&b->finished);
    pthread_mutex_destroy(&b->lock);
    free(b->jobs);
    free(b);
}
