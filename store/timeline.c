/*
 * timeline.c — temporal expressions and events. Event dates are ISO strings at their precision
 * ("2025", "2025-10", "2025-10-31"), so text order is chronological order with coarser dates
 * first, and the date index serves the keyset condition and the upper bound of a window; each
 * event's last day (its own index) the lower bound, so that a window finds every event it
 * overlaps.
 */
#include "timeline.h"

#include <stdio.h>
#include <string.h>

#include "conn.h"

enum store_status store_document_timexes(struct store_conn *c, const char *doc_id, const char *from,
                                         const char *to, bool overlap, store_timex_fn fn, void *ctx)
{
    /* with from/to: the expressions within the window, or (?4) those that meet it; "to" is
     * bound as "YYYY-MM~", after every day it covers */
    sqlite3_stmt *st = store_stmt_sql(
        c, "SELECT t.start, t.end, t.text, t.type, t.value,"
           " t.mod, t.range_end, t.first_day, t.last_day FROM"
           " documents d JOIN timexes t ON t.doc = d.rowid"
           " WHERE d.id = ?1"
           " AND (?2 IS NULL OR (t.first_day <> '' AND (CASE WHEN ?4 THEN t.last_day"
           "  ELSE t.first_day END) >= ?2))"
           " AND (?3 IS NULL OR (t.first_day <> '' AND (CASE WHEN ?4 THEN t.first_day"
           "  ELSE t.last_day END) < ?3))"
           " ORDER BY t.start");
    if (!st)
        return STORE_ERROR;
    char to_bound[16];
    if (to)
        snprintf(to_bound, sizeof to_bound, "%.10s~", to);
    sqlite3_bind_text(st, 1, doc_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
    if (to)
        sqlite3_bind_text(st, 3, to_bound, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, overlap);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_timex t = {doc_id,
                                (const char *)sqlite3_column_text(st, 2),
                                (const char *)sqlite3_column_text(st, 3),
                                (const char *)sqlite3_column_text(st, 4),
                                (const char *)sqlite3_column_text(st, 5),
                                (const char *)sqlite3_column_text(st, 6),
                                (const char *)sqlite3_column_text(st, 7),
                                (const char *)sqlite3_column_text(st, 8),
                                sqlite3_column_int64(st, 0),
                                sqlite3_column_int64(st, 1)};
        if (fn(ctx, &t))
            break;
    }
    return store_rows_done(st, rc);
}

enum { VF_FROM = 1, VF_TO = 2, VF_ENTITY = 4, VF_DOCUMENT = 8, VF_PRECISION = 16 };

/* A window [from, to] keeps the events whose date lies within it: one dated "1987-03" covers
 * 1987-03-01 … 1987-03-31, so it is within from=1987-03-01&to=1987-03-31 but not within a
 * window of some of its days (what a histogram bar counts is what its window lists). ":to" is
 * bound as "YYYY-MM~", after every day it covers; the date (the first point, at its precision)
 * sorts before every day it covers, so "ev.date < :to" lets the date index bound the scan. The
 * other end: an event that starts on or after :from has a date >= :from, except a month or year
 * starting on :from's very day ("1987-03" for 1987-03-01, "1987" for 1987-01-01), hence the
 * lower bound cut to the month or year exactly then — not to the year always, which made every
 * window scan its year from January (Reuters: 22 ms for a day in March, 0.2 ms now). */
static const char *const event_filter_sql[] = {
    " AND ev.first_day >= :from AND ev.date >= CASE"
    " WHEN substr(:from, 5) IN ('', '-01', '-01-01') THEN substr(:from, 1, 4)"
    " WHEN substr(:from, 8) IN ('', '-01') THEN substr(:from, 1, 7) ELSE :from END",
    " AND ev.date < :to AND ev.last_day < :to",
    " AND ev.rowid IN (SELECT ee.event FROM event_entities ee JOIN entities en"
    " ON en.rowid = ee.entity WHERE en.id = :entity)",
    " AND ev.doc = (SELECT rowid FROM documents WHERE id = :document)",
    " AND ev.precision = :precision",
};

/* overlap: the events whose days, their range included, meet the window ("1987" and "1987-03"
 * for from=1987-03-10&to=1987-03-12; "June/July" for a day of July) */
static const char *const event_overlap_sql[] = {
    " AND ev.range_last_day >= :from",
    " AND ev.date < :to",
};

/* Each further entity, and the type: as sets (one range of event_entities per entity, of
 * type_events for the type) where they drive a count or a histogram, as point checks where a
 * page is read in date order and stops when full. */
static void event_entity_filters(char *where, size_t size, const struct store_event_filter *f,
                                 bool sets)
{
    char frag[256];
    for (size_t i = 0; f->entity && i < f->n_more_entities && i + 1 < STORE_MAX_ENTITIES; i++) {
        if (sets)
            snprintf(frag, sizeof frag,
                     " AND ev.rowid IN (SELECT ee%zu.event FROM event_entities ee%zu WHERE"
                     " ee%zu.entity = (SELECT rowid FROM entities WHERE id = :entity%zu))",
                     i + 1, i + 1, i + 1, i + 1);
        else
            snprintf(frag, sizeof frag,
                     " AND EXISTS (SELECT 1 FROM event_entities ee%zu WHERE ee%zu.event = ev.rowid"
                     " AND ee%zu.entity = (SELECT rowid FROM entities WHERE id = :entity%zu))",
                     i + 1, i + 1, i + 1, i + 1);
        store_sql_append(where, size, frag);
    }
    if (f->entity_type)
        store_sql_append(where, size,
                         sets ? " AND ev.rowid IN (SELECT te.event FROM type_events te"
                                " WHERE te.type = :type)"
                              : " AND EXISTS (SELECT 1 FROM type_events te WHERE te.type = :type"
                                " AND te.event = ev.rowid)");
}

static void event_where(char *where, size_t size, const struct store_event_filter *f, bool sets)
{
    unsigned mask = (f->from ? VF_FROM : 0) | (f->to ? VF_TO : 0) | (f->entity ? VF_ENTITY : 0) |
                    (f->document ? VF_DOCUMENT : 0) | (f->precision ? VF_PRECISION : 0);
    snprintf(where, size, " WHERE 1");
    for (unsigned i = 0; i < 5; i++)
        if (mask & (1u << i))
            store_sql_append(where, size,
                             f->overlap && i < 2 ? event_overlap_sql[i] : event_filter_sql[i]);
    event_entity_filters(where, size, f, sets);
}

static void bind_event_filters(sqlite3_stmt *st, const struct store_event_filter *f)
{
    char to[16];
    if (f->to)
        snprintf(to, sizeof to, "%.10s~", f->to); /* "2025-10" includes "2025-10-31" */
    store_bind_named(st, ":from", f->from);
    store_bind_named(st, ":to", f->to ? to : NULL);
    store_bind_named(st, ":entity", f->entity);
    for (size_t i = 0; f->entity && i < f->n_more_entities && i + 1 < STORE_MAX_ENTITIES; i++) {
        char name[16];
        snprintf(name, sizeof name, ":entity%zu", i + 1);
        store_bind_named(st, name, f->more_entities[i]);
    }
    store_bind_named(st, ":type", f->entity_type);
    store_bind_named(st, ":document", f->document);
    store_bind_named(st, ":precision", f->precision);
    store_bind_named(st, ":after_date", f->after_date);
    int i = sqlite3_bind_parameter_index(st, ":after_rowid");
    if (i > 0)
        sqlite3_bind_int64(st, i, f->after_rowid);
    i = sqlite3_bind_parameter_index(st, ":limit");
    if (i > 0)
        sqlite3_bind_int(st, i, f->limit);
}

static void read_event(sqlite3_stmt *st, struct store_event *e)
{
    e->date = (const char *)sqlite3_column_text(st, 0);
    e->rowid = sqlite3_column_int64(st, 1);
    e->item = (const char *)sqlite3_column_text(st, 2);
}

enum store_status store_events_list(struct store_conn *c, const struct store_event_filter *f,
                                    store_event_fn fn, void *ctx, long long *total)
{
    char where[2560], sql[4096];
    event_where(where, sizeof where, f, true);
    /* Dates and precision only: summed from the per-date counts of the build, not counted. */
    bool by_date = !f->entity && !f->document && !f->entity_type;
    snprintf(sql, sizeof sql, "%s%s",
             by_date ? "SELECT coalesce(sum(ev.n), 0) FROM event_date_counts ev"
                     : "SELECT count(*) FROM events ev",
             where);
    if (!by_date && strcmp(where, " WHERE 1 AND ev.rowid IN (SELECT te.event FROM type_events te"
                                  " WHERE te.type = :type)") == 0) /* the type alone */
        snprintf(sql, sizeof sql, "SELECT count(*) FROM type_events WHERE type = :type");
    bool all = strcmp(where, " WHERE 1") == 0; /* every event: counted when the store was built */
    sqlite3_stmt *st = all ? NULL : store_stmt_sql(c, sql);
    if (!all && !st)
        return STORE_ERROR;
    int rc = SQLITE_ROW;
    if (st) {
        bind_event_filters(st, f);
        rc = sqlite3_step(st);
        *total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
    } else {
        *total = store_counts(c->store)->events;
    }
    if (rc != SQLITE_ROW)
        return STORE_ERROR;
    event_where(where, sizeof where, f, false);
    snprintf(sql, sizeof sql, "SELECT ev.date, ev.rowid, ev.item FROM events ev%s%s%s LIMIT :limit",
             where,
             !f->after_date    ? ""
             : f->newest_first ? " AND (ev.date, ev.rowid) < (:after_date, :after_rowid)"
                               : " AND (ev.date, ev.rowid) > (:after_date, :after_rowid)",
             f->newest_first ? " ORDER BY ev.date DESC, ev.rowid DESC"
                             : " ORDER BY ev.date, ev.rowid");
    if (!(st = store_stmt_sql(c, sql)))
        return STORE_ERROR;
    bind_event_filters(st, f);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_event e;
        read_event(st, &e);
        if (fn(ctx, &e))
            break;
    }
    return store_rows_done(st, rc);
}

enum store_status store_events_histogram(struct store_conn *c, const struct store_event_filter *f,
                                         enum store_interval interval, store_bucket_fn fn,
                                         void *ctx)
{
    static const int widths[] = {4, 7, 10};
    char where[2560], sql[4096];
    event_where(where, sizeof where, f, true);
    snprintf(sql, sizeof sql,
             "SELECT substr(ev.date, 1, %d) AS period, count(*) FROM events ev%s"
             " AND length(ev.date) >= %d GROUP BY period ORDER BY period",
             widths[interval], where, widths[interval]);
    sqlite3_stmt *st = store_stmt_sql(c, sql);
    if (!st)
        return STORE_ERROR;
    bind_event_filters(st, f);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1)))
            break;
    return store_rows_done(st, rc);
}
