/*
 * explain.c — the statements a store call ran and their query plans (see explain.h).
 */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>

#include "conn.h"

void store_explain_reset(struct store_conn *c)
{
    c->n_ran = 0;
}

size_t store_explain_count(const struct store_conn *c)
{
    return c->n_ran < 8 ? c->n_ran : 8;
}

const char *store_explain_sql(const struct store_conn *c, size_t i)
{
    size_t n = store_explain_count(c);
    if (i >= n)
        return NULL;
    return sqlite3_sql(c->ran[(c->n_ran - n + i) % 8]);
}

int store_explain(struct store_conn *c, const char *sql, store_plan_fn fn, void *ctx)
{
    char *q = NULL;
    if (asprintf(&q, "EXPLAIN QUERY PLAN %s", sql) < 0)
        return -1;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, q, -1, &st, NULL);
    free(q);
    if (rc != SQLITE_OK)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
               (const char *)sqlite3_column_text(st, 3)))
            break;
    sqlite3_finalize(st);
    return 0;
}
