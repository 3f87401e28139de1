/*
 * pool.c — a store's reader connections: a fixed number at most, borrowed per request (a
 * request waits a bounded time for one, then is refused), closed when idle so memory and
 * descriptors return to their idle level after a burst; the statements of one borrowing run
 * under one CPU budget (sqlite3_progress_handler), so no request holds a worker for long.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "base/hash.h"

/* Virtual-machine steps between budget checks: a check costs one clock_gettime (~0.3 µs),
 * these steps tens of microseconds. */
#define BUDGET_CHECK_STEPS 2000

static long long thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The progress handler: a non-zero return interrupts the statement (SQLITE_INTERRUPT). It runs
 * for statements FTS5 runs inside the user's statement too, which is where ranking is spent.
 * CPU time of the thread, not wall time: a loaded machine does not fail honest queries. */
static int over_budget(void *cls)
{
    struct store_conn *c = cls;
    if (c->budget_ns > 0 && thread_cpu_ns() - c->query_start_ns > c->budget_ns) {
        if (!c->over_budget && c->store)
            atomic_fetch_add_explicit(&c->store->budget_trips, 1, memory_order_relaxed);
        c->over_budget = true;
        return 1;
    }
    return 0;
}

static void start_query(struct store_conn *c)
{
    c->query_start_ns = thread_cpu_ns();
    c->over_budget = false;
}

void store_budget_restart(struct store_conn *c)
{
    start_query(c);
}

unsigned long long store_budget_trips(const struct store *s)
{
    return atomic_load_explicit(&((struct store *)s)->budget_trips, memory_order_relaxed);
}

unsigned store_budget_exceeded(const struct store_conn *c)
{
    return c && c->over_budget ? (unsigned)(c->budget_ns / 1000000) : 0;
}

static void conn_close(struct store_conn *c)
{
    for (int i = 0; i < STMT_COUNT_STMTS; i++)
        sqlite3_finalize(c->cached[i]);
    for (int i = 0; i < SQL_CACHE_SLOTS; i++)
        sqlite3_finalize(c->sql_cache[i]);
    sqlite3_close(c->db);
    free(c);
}

static struct store_conn *conn_open(struct store *s, char **err)
{
    struct store_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->budget_ns = (long long)s->limits.query_budget_ms * 1000000LL;
    if (!(c->db = store_open_reader(s, c, err))) {
        free(c);
        return NULL;
    }
    if (c->budget_ns > 0)
        sqlite3_progress_handler(c->db, BUDGET_CHECK_STEPS, over_budget, c);
    return c;
}

void store_pool_close_all(struct store *s)
{
    while (s->free_conns) {
        struct store_conn *c = s->free_conns;
        s->free_conns = c->next_free;
        conn_close(c);
    }
}

static void deadline_after(struct timespec *ts, unsigned ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

/* Under the lock: a free connection, or permission to open one (*open_new), or NULL after
 * waiting wait_ms (streams never wait, and leave `reserved` connections to requests). The most
 * recently returned connection is reused first (warm caches), so the others stay idle long
 * enough to be closed. */
static struct store_conn *take_or_wait(struct store *s, bool stream, bool *open_new)
{
    struct timespec deadline;
    deadline_after(&deadline, stream ? 0 : s->limits.wait_ms);
    unsigned max = s->limits.max_connections;
    *open_new = false;
    if (stream && s->n_streams + s->limits.reserved >= max)
        return NULL;
    for (;;) {
        struct store_conn *c = s->free_conns;
        if (c) {
            s->free_conns = c->next_free;
            return c;
        }
        if (s->n_open < max) {
            s->n_open++;
            *open_new = true;
            return NULL;
        }
        if (stream ||
            (pthread_cond_timedwait(&s->pool_freed, &s->pool_lock, &deadline) == ETIMEDOUT &&
             !s->free_conns && s->n_open >= max))
            return NULL;
    }
}

static struct store_conn *acquire(struct store *s, bool stream, bool *busy, char **err)
{
    *err = NULL;
    *busy = false;
    bool open_new;
    pthread_mutex_lock(&s->pool_lock);
    struct store_conn *c = take_or_wait(s, stream, &open_new);
    if (c || open_new)
        s->n_streams += stream;
    pthread_mutex_unlock(&s->pool_lock);
    if (!c && open_new && !(c = conn_open(s, err))) {
        pthread_mutex_lock(&s->pool_lock);
        s->n_open--;
        s->n_streams -= stream;
        pthread_cond_signal(&s->pool_freed);
        pthread_mutex_unlock(&s->pool_lock);
        return NULL;
    }
    if (!c) {
        *busy = true;
        if (asprintf(err, "all %u store connections%s are busy",
                     stream ? s->limits.max_connections - s->limits.reserved
                            : s->limits.max_connections,
                     stream ? " for exports" : "") < 0)
            *err = NULL;
        return NULL;
    }
    c->store = store_ref(s);
    c->next_free = NULL;
    c->stream = stream;
    start_query(c);
    return c;
}

struct store_conn *store_acquire_busy(struct store *s, bool *busy, char **err)
{
    return acquire(s, false, busy, err);
}

struct store_conn *store_acquire_stream(struct store *s, bool *busy, char **err)
{
    return acquire(s, true, busy, err);
}

struct store_conn *store_acquire(struct store *s, char **err)
{
    bool busy;
    return acquire(s, false, &busy, err);
}

void store_release(struct store_conn *c)
{
    if (!c)
        return;
    struct store *s = c->store;
    clock_gettime(CLOCK_MONOTONIC, &c->idle_since);
    pthread_mutex_lock(&s->pool_lock);
    s->n_streams -= c->stream;
    c->stream = false;
    c->next_free = s->free_conns;
    s->free_conns = c;
    pthread_cond_signal(&s->pool_freed);
    pthread_mutex_unlock(&s->pool_lock);
    store_unref(s);
}

unsigned store_close_idle(struct store *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct store_conn *stale = NULL;
    unsigned closed = 0;
    pthread_mutex_lock(&s->pool_lock);
    for (struct store_conn **p = &s->free_conns; *p;) {
        struct store_conn *c = *p;
        if (now.tv_sec - c->idle_since.tv_sec >= (time_t)s->limits.idle_seconds) {
            *p = c->next_free;
            c->next_free = stale;
            stale = c;
            s->n_open--;
            closed++;
        } else {
            p = &c->next_free;
        }
    }
    pthread_mutex_unlock(&s->pool_lock);
    while (stale) { /* closed outside the lock: closing frees megabytes */
        struct store_conn *c = stale;
        stale = c->next_free;
        conn_close(c);
    }
    return closed;
}

unsigned store_open_connections(const struct store *s)
{
    struct store *w = (struct store *)s; /* the lock is not part of the store's value */
    pthread_mutex_lock(&w->pool_lock);
    unsigned n = w->n_open;
    pthread_mutex_unlock(&w->pool_lock);
    return n;
}

/* ---- statements ------------------------------------------------------------------------- */

static sqlite3_stmt *stmt_slot(struct store_conn *c, sqlite3_stmt **slot, const char *sql)
{
    if (!*slot &&
        sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_reset(*slot);
    sqlite3_clear_bindings(*slot);
    c->ran[c->n_ran++ % 8] = *slot;
    return *slot;
}

sqlite3_stmt *store_stmt(struct store_conn *c, enum store_stmt_id id, const char *sql)
{
    return stmt_slot(c, &c->cached[id], sql);
}

sqlite3_stmt *store_stmt_sql(struct store_conn *c, const char *sql)
{
    uint64_t h = base_hash_content(sql, strlen(sql));
    for (unsigned i = 0; i < SQL_CACHE_SLOTS; i++) {
        sqlite3_stmt **slot = &c->sql_cache[(h + i) % SQL_CACHE_SLOTS];
        if (!*slot || strcmp(sqlite3_sql(*slot), sql) == 0)
            return stmt_slot(c, slot, sql);
    }
    return NULL; /* cannot happen: the distinct list statements are far fewer than the slots */
}
