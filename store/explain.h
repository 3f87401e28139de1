/*
 * explain.h — diagnostics for tests and benchmarks: which SQL statements a store call ran on a
 * connection, and SQLite's query plan for a statement (EXPLAIN QUERY PLAN). Not used when serving.
 */
#ifndef STORE_EXPLAIN_H
#define STORE_EXPLAIN_H

#include <stddef.h>

struct store_conn;

/* Forgets the statements run so far on c. */
void store_explain_reset(struct store_conn *c);
/* How many statements ran on c since the reset (at most the last 8 are kept). */
size_t store_explain_count(const struct store_conn *c);
/* The SQL text of the i-th statement run since the reset (0 = first kept), or NULL. */
const char *store_explain_sql(const struct store_conn *c, size_t i);

/* One line of a query plan: its id, its parent's id (0 at the top) and SQLite's description
 * ("SEARCH d USING INDEX documents_by_published (published<?)"). Return non-zero to stop. */
typedef int (*store_plan_fn)(void *ctx, int id, int parent, const char *detail);
/* Runs EXPLAIN QUERY PLAN on sql over c's database; 0, or -1 when sql does not prepare. */
int store_explain(struct store_conn *c, const char *sql, store_plan_fn fn, void *ctx);

#endif
