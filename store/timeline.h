/*
 * timeline.h — temporal expressions of a document and timeline events (sentences with a resolved
 * date): chronological lists with filters, and counts per year/month/day.
 */
#ifndef STORE_TIMELINE_H
#define STORE_TIMELINE_H

#include "documents.h"

struct store_timex {
    const char *document_id, *text, *type, *value;
    const char *mod, *range_end; /* "" when none */
    long long start, end;
};
typedef int (*store_timex_fn)(void *ctx, const struct store_timex *t);
enum store_status store_document_timexes(struct store_conn *c, const char *doc_id,
                                         store_timex_fn fn, void *ctx);

/* An event: its keyset sort key (date, rowid) and its representation (JSON object text rendered
 * at build time: id, date, precision, timex, sentence, document_id, entities). */
struct store_event {
    const char *date;
    long long rowid;
    const char *item;
};
typedef int (*store_event_fn)(void *ctx, const struct store_event *e);

struct store_event_filter {
    const char *from, *to;  /* date bounds (prefix semantics as for documents) */
    const char *entity;     /* entity id */
    const char *document;   /* document id */
    const char *precision;  /* day | month | year */
    const char *after_date; /* keyset cursor: (date, rowid) */
    long long after_rowid;
    int limit;
};
enum store_status store_events_list(struct store_conn *c, const struct store_event_filter *f,
                                    store_event_fn fn, void *ctx, long long *total);

enum store_interval { INTERVAL_YEAR = 0, INTERVAL_MONTH, INTERVAL_DAY };
typedef int (*store_bucket_fn)(void *ctx, const char *period, long long count);
/* Events per period, oldest first; only events at least as precise as the interval count. */
enum store_status store_events_histogram(struct store_conn *c, const struct store_event_filter *f,
                                         enum store_interval interval, store_bucket_fn fn,
                                         void *ctx);

#endif
