/*
 * metrics.h — request counters and latency histograms per route, rendered in the Prometheus
 * text exposition format (version 0.0.4). Updated with relaxed atomics from every worker.
 */
#ifndef SERVER_METRICS_H
#define SERVER_METRICS_H

#include <stddef.h>

#include "store/store.h"

struct metrics;

/* labels: the route label of each index (e.g. "/v1/documents/{}"), n of them. */
struct metrics *metrics_new(const char *const *labels, size_t n);
void metrics_free(struct metrics *m);

/* Refusals counted beside the requests (corpusd_refusals_total{reason}). */
enum metric_event {
    METRIC_STORE_BUSY,       /* no store connection free in time: 503 */
    METRIC_UNHOLDABLE,       /* a request libmicrohttpd cannot hold: answered raw, closed */
    METRIC_LIBRARY_REJECTED, /* answered by libmicrohttpd itself (malformed request) */
    METRIC_EVENTS
};
void metrics_count(struct metrics *m, enum metric_event e);

void metrics_request_started(struct metrics *m);
void metrics_request_done(struct metrics *m, size_t label, int status, unsigned long long us);
long long metrics_in_flight(const struct metrics *m);
/* Requests finished since start. */
unsigned long long metrics_requests_done(const struct metrics *m);

/* The exposition text (malloc'd); store may be NULL before the corpus is loaded. */
char *metrics_render(const struct metrics *m, const struct store *store, size_t *len);

#endif
