/*
 * timeline.h — temporal expressions of a document and timeline events (sentences with a resolved
 * date): chronological lists with filters, and counts per year/month/day.
 */
#ifndef STORE_TIMELINE_H
#define STORE_TIMELINE_H

#include "documents.h"

struct store_timex {
    const char *document_id, *text, *type, *value;
    const char *mod, *range_end;      /* "" when none */
    const char *first_day, *last_day; /* the calendar days covered, "" when none */
    long long start, end;
};
typedef int (*store_timex_fn)(void *ctx, const struct store_timex *t);
/* A document's expressions in text order; with from and/or to (YYYY[-MM[-DD]], NULL = open)
 * only those whose days lie within the window ("the 1970s" for from=1970&to=1979), or with
 * overlap those that meet it ("the 1970s" for from=1975&to=1975). */
enum store_status store_document_timexes(struct store_conn *c, const char *doc_id, const char *from,
                                         const char *to, bool overlap, store_timex_fn fn,
                                         void *ctx);

/* An event: its keyset sort key (date, rowid) and its representation (JSON object text rendered
 * at build time: id, date, precision, timex, sentence, document_id, entities). */
struct store_event {
    const char *date;
    long long rowid;
    const char *item;
};
typedef int (*store_event_fn)(void *ctx, const struct store_event *e);

struct store_event_filter {
    const char *from, *to; /* a window [from, to] at any precision: the events whose date lies
                              within it ("1987-03" is within from=1987-03-01&to=1987-03-31),
                              or with overlap those whose days (and range) meet it */
    bool overlap;
    const char *entity; /* entity id */
    /* … and each of these entity ids too (AND; at most STORE_MAX_ENTITIES - 1) */
    const char *const *more_entities;
    size_t n_more_entities;
    const char *entity_type; /* the sentence mentions an entity of this type */
    const char *document;    /* document id */
    const char *precision;   /* day | month | year */
    bool newest_first;       /* order by (date, rowid) descending */
    const char *after_date;  /* keyset cursor: (date, rowid) */
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
