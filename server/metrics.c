/*
 * metrics.c — Prometheus counters. Status codes are counted exactly for the codes this server
 * answers and as "other" beyond them, so the label set stays bounded whatever clients send.
 */
#include "metrics.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 0: the connection was closed without an answer (a request libmicrohttpd could not hold). */
static const int status_codes[] = {200, 204, 304, 400, 404, 405, 413, 414, 431, 500, 501, 503, 0};
#define N_CODES (sizeof status_codes / sizeof status_codes[0])
/* Latency bucket upper bounds in microseconds (rendered in seconds). */
static const unsigned long long bucket_us[] = {100,   250,   500,   1000,   2500,   5000,
                                               10000, 25000, 50000, 100000, 250000, 1000000};
#define N_BUCKETS (sizeof bucket_us / sizeof bucket_us[0])

struct route_metrics {
    atomic_ullong by_status[N_CODES + 1];
    atomic_ullong buckets[N_BUCKETS]; /* non-cumulative; summed when rendered */
    atomic_ullong count;
    atomic_ullong sum_us;
};

struct metrics {
    const char *const *labels;
    size_t n;
    struct route_metrics *routes;
    atomic_llong in_flight;
    atomic_ullong events[METRIC_EVENTS];
    time_t started;
};

struct metrics *metrics_new(const char *const *labels, size_t n)
{
    struct metrics *m = calloc(1, sizeof *m);
    if (!m || !(m->routes = calloc(n, sizeof *m->routes))) {
        free(m);
        return NULL;
    }
    m->labels = labels;
    m->n = n;
    m->started = time(NULL);
    return m;
}

void metrics_free(struct metrics *m)
{
    if (m)
        free(m->routes);
    free(m);
}

void metrics_request_started(struct metrics *m)
{
    atomic_fetch_add_explicit(&m->in_flight, 1, memory_order_relaxed);
}

void metrics_count(struct metrics *m, enum metric_event e)
{
    atomic_fetch_add_explicit(&m->events[e], 1, memory_order_relaxed);
}

unsigned long long metrics_requests_done(const struct metrics *m)
{
    unsigned long long n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += atomic_load_explicit(&m->routes[i].count, memory_order_relaxed);
    return n;
}

long long metrics_in_flight(const struct metrics *m)
{
    return atomic_load_explicit(&m->in_flight, memory_order_relaxed);
}

void metrics_request_done(struct metrics *m, size_t label, int status, unsigned long long us)
{
    atomic_fetch_sub_explicit(&m->in_flight, 1, memory_order_relaxed);
    if (label >= m->n)
        return;
    struct route_metrics *r = &m->routes[label];
    size_t code = N_CODES;
    for (size_t i = 0; i < N_CODES; i++)
        if (status_codes[i] == status)
            code = i;
    atomic_fetch_add_explicit(&r->by_status[code], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < N_BUCKETS && us > bucket_us[b])
        b++;
    if (b < N_BUCKETS)
        atomic_fetch_add_explicit(&r->buckets[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->sum_us, us, memory_order_relaxed);
}

/* The exposition is built with SQLite's string builder (linked anyway). */
struct text {
    sqlite3_str *str;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_str_vappendf(t->str, fmt, ap);
    va_end(ap);
}

static void render_requests(const struct metrics *m, struct text *t)
{
    put(t, "# HELP corpusd_http_requests_total HTTP requests answered, by route and status.\n"
           "# TYPE corpusd_http_requests_total counter\n");
    for (size_t i = 0; i < m->n; i++)
        for (size_t c = 0; c <= N_CODES; c++) {
            unsigned long long v = atomic_load(&m->routes[i].by_status[c]);
            if (!v)
                continue;
            if (c < N_CODES && status_codes[c] == 0)
                put(t, "corpusd_http_requests_total{route=\"%s\",status=\"closed\"} %llu\n",
                    m->labels[i], v);
            else if (c < N_CODES)
                put(t, "corpusd_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                    m->labels[i], status_codes[c], v);
            else
                put(t, "corpusd_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
                    m->labels[i], v);
        }
}

static void render_latency(const struct metrics *m, struct text *t)
{
    put(t, "# HELP corpusd_http_request_duration_seconds Time from request line to response.\n"
           "# TYPE corpusd_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < m->n; i++) {
        const struct route_metrics *r = &m->routes[i];
        unsigned long long count = atomic_load(&r->count), cumulative = 0;
        if (!count)
            continue;
        for (size_t b = 0; b < N_BUCKETS; b++) {
            cumulative += atomic_load(&r->buckets[b]);
            put(t, "corpusd_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                m->labels[i], (double)bucket_us[b] / 1e6, cumulative);
        }
        put(t, "corpusd_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
            m->labels[i], count);
        put(t, "corpusd_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", m->labels[i],
            (double)atomic_load(&r->sum_us) / 1e6);
        put(t, "corpusd_http_request_duration_seconds_count{route=\"%s\"} %llu\n", m->labels[i],
            count);
    }
}

static void render_events(const struct metrics *m, const struct store *store, struct text *t)
{
    static const char *const reasons[METRIC_EVENTS] = {"store_busy", "unholdable", "library"};
    put(t, "# HELP corpusd_refusals_total Requests refused to bound their cost: a query over its "
           "CPU budget, no free store connection, a request libmicrohttpd cannot hold "
           "(answered at once and closed), or one libmicrohttpd rejected itself.\n"
           "# TYPE corpusd_refusals_total counter\n");
    for (int e = 0; e < METRIC_EVENTS; e++)
        put(t, "corpusd_refusals_total{reason=\"%s\"} %llu\n", reasons[e],
            (unsigned long long)atomic_load(&m->events[e]));
    /* Counted by the store (its connections see the budget run out, whichever request or
     * export page ran the statement): starts again at 0 when a reload swaps the store. */
    put(t, "corpusd_refusals_total{reason=\"query_budget\"} %llu\n",
        store ? store_budget_trips(store) : 0ULL);
}

static void render_store(const struct store *store, struct text *t)
{
    put(t,
        "# HELP corpusd_store_ready Whether a store is loaded (1) or not yet (0).\n"
        "# TYPE corpusd_store_ready gauge\ncorpusd_store_ready %d\n",
        store != NULL);
    if (!store)
        return;
    put(t,
        "# HELP corpusd_store_connections Reader connections open on the store.\n"
        "# TYPE corpusd_store_connections gauge\ncorpusd_store_connections %u\n",
        store_open_connections(store));
    const struct store_counts *c = store_counts(store);
    put(t,
        "# HELP corpusd_store_documents Documents in the loaded store.\n"
        "# TYPE corpusd_store_documents gauge\ncorpusd_store_documents %lld\n"
        "# HELP corpusd_store_events Timeline events in the loaded store.\n"
        "# TYPE corpusd_store_events gauge\ncorpusd_store_events %lld\n"
        "# HELP corpusd_store_mentions Entity mentions in the loaded store.\n"
        "# TYPE corpusd_store_mentions gauge\ncorpusd_store_mentions %lld\n"
        "# HELP corpusd_store_entities Entities in the loaded store, by type.\n"
        "# TYPE corpusd_store_entities gauge\n",
        (long long)c->documents, (long long)c->events, (long long)c->mentions);
    for (int i = 0; i < ENTITY_TYPE_COUNT; i++)
        put(t, "corpusd_store_entities{type=\"%s\"} %lld\n", entity_type_names[i],
            (long long)c->entities_by_type[i]);
    put(t,
        "# HELP corpusd_corpus_files Corpus files by outcome of the last load.\n"
        "# TYPE corpusd_corpus_files gauge\ncorpusd_corpus_files{outcome=\"loaded\"} %lld\n"
        "corpusd_corpus_files{outcome=\"skipped\"} %lld\n",
        (long long)c->files_loaded, (long long)c->files_skipped);
    put(t, "# HELP corpusd_corpus_warnings Warnings of the last corpus load, by kind.\n"
           "# TYPE corpusd_corpus_warnings gauge\n");
    for (int k = 0; k < WARN_KIND_COUNT; k++)
        put(t, "corpusd_corpus_warnings{kind=\"%s\"} %lld\n",
            ingest_warning_name((enum ingest_warning_kind)k), (long long)c->warnings_by_kind[k]);
}

char *metrics_render(const struct metrics *m, const struct store *store, size_t *len)
{
    struct text t = {sqlite3_str_new(NULL)};
    put(&t,
        "# HELP corpusd_build_info Build information.\n# TYPE corpusd_build_info gauge\n"
        "corpusd_build_info{version=\"%s\"} 1\n"
        "# HELP corpusd_start_time_seconds Unix time the process started.\n"
        "# TYPE corpusd_start_time_seconds gauge\ncorpusd_start_time_seconds %lld\n"
        "# HELP corpusd_http_requests_in_flight Requests being answered now.\n"
        "# TYPE corpusd_http_requests_in_flight gauge\ncorpusd_http_requests_in_flight %lld\n",
        CORPUSD_VERSION, (long long)m->started, metrics_in_flight(m));
    render_requests(m, &t);
    render_latency(m, &t);
    render_events(m, store, &t);
    render_store(store, &t);
    /* the caller frees with free(): hand over a malloc'd copy of SQLite's buffer */
    int n = sqlite3_str_errcode(t.str) == SQLITE_OK ? sqlite3_str_length(t.str) : -1;
    char *built = sqlite3_str_finish(t.str);
    char *out = n >= 0 && built ? strndup(built, (size_t)n) : NULL;
    sqlite3_free(built);
    *len = out ? (size_t)n : 0;
    return out;
}
