/*
 * parallel.h — ingest_record on every core. Documents are independent between the corpus-wide
 * passes (entity resolution runs after all of them), so the reader queues records here and a
 * pool of threads turns each into a struct doc; the results come back in queue order, so the
 * corpus (ids, warnings, store) is the same whatever the number of threads.
 *
 * Takes: records (copied when queued, so the reader may free its buffers at once).
 * Gives:  (doc or NULL, warnings) per record, to a callback, in the order they were queued.
 */
#ifndef INGEST_PARALLEL_H
#define INGEST_PARALLEL_H

#include "ingest/pipeline.h"

/* One finished record: doc (owned by the callee; NULL when memory ran out), the record's
 * warnings (valid during the call) and what was queued with it. Returns 0, or -1 to stop (out of
 * memory). */
typedef int (*ingest_done_fn)(void *ctx, const char *id, const char *where, int tag,
                              struct doc *doc, const struct ingest_warnings *w);

struct ingest_batch;

/* A queue that runs its records on `threads` threads while the caller adds more (1: in the
 * caller's thread, one record at a time, exactly as a plain loop would). The threads - 1 helpers
 * start with the first record and end with ingest_batch_free. NULL when out of memory. */
struct ingest_batch *ingest_batch_new(const struct ingest *ing, unsigned threads,
                                      ingest_done_fn done, void *ctx);
/* Queues rec, and hands on the records finished in order before it; when the queue is full,
 * the caller's thread runs queued records until one slot is free. Returns 0, or -1 (out of
 * memory, or done failed: later records are dropped). */
int ingest_batch_add(struct ingest_batch *b, const struct raw_record *rec, const char *where,
                     int tag);
/* Runs what is queued and hands every result to done, in order. 0 or -1. */
int ingest_batch_run(struct ingest_batch *b);
/* Wall-clock milliseconds while the queue held records so far (the per-document stage; with
 * several threads it includes the caller's reading, which overlaps the runs). */
double ingest_batch_ms(const struct ingest_batch *b);
void ingest_batch_free(struct ingest_batch *b);

/* The number of online cores (at least 1): the default of --ingest-threads. */
unsigned ingest_cores(void);

#endif
