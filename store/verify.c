/*
 * verify.c — is a database file a store this version can serve? A --db file is trusted with
 * nothing: a file with a different schema (say, sort keys that may be NULL) or damaged pages
 * would crash or mislead the handlers, so it is refused at load with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "schema_sql.h"

static char *reason(const char *fmt, const char *a, const char *b)
{
    char *r = NULL;
    if (asprintf(&r, fmt, a, b) < 0)
        r = NULL;
    return r ? r : strdup("not a store");
}

/* Every table, index and trigger of schema.sql must be in db with the same definition (the
 * same columns and NOT NULL / UNIQUE constraints); db may have more (statistics). */
static char *compare_schema(sqlite3 *db)
{
    sqlite3 *ref = NULL;
    sqlite3_stmt *want = NULL, *have = NULL;
    char *bad = NULL;
    if (sqlite3_open_v2(":memory:", &ref, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
        sqlite3_exec(ref, store_schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(ref,
                           "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL"
                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                           -1, &want, NULL) != SQLITE_OK) {
        bad = strdup("cannot build the reference schema");
    } else if (sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?",
                                  -1, &have, NULL) != SQLITE_OK) {
        bad = reason("not a SQLite store (%s)%s", sqlite3_errmsg(db), "");
    }
    while (!bad && sqlite3_step(want) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(want, 0);
        const char *name = (const char *)sqlite3_column_text(want, 1);
        const char *sql = (const char *)sqlite3_column_text(want, 2);
        sqlite3_reset(have);
        sqlite3_bind_text(have, 1, type, -1, SQLITE_STATIC);
        sqlite3_bind_text(have, 2, name, -1, SQLITE_STATIC);
        if (sqlite3_step(have) != SQLITE_ROW)
            bad = reason("not a store of this version: %s %s is missing", type, name);
        else if (strcmp((const char *)sqlite3_column_text(have, 0), sql) != 0)
            bad =
                reason("not a store of this version: %s %s has a different definition", type, name);
    }
    sqlite3_finalize(have);
    sqlite3_finalize(want);
    sqlite3_close(ref);
    return bad;
}

static char *single_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return reason("cannot read the store: %s%s", sqlite3_errmsg(db), "");
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return NULL;
}

char *store_verify(sqlite3 *db)
{
    char *bad = compare_schema(db);
    char value[256];
    if (!bad &&
        !(bad = single_text(db, "SELECT value FROM meta WHERE key = 'schema_version'", value,
                            sizeof value)) &&
        strcmp(value, STORE_FORMAT) != 0) /* meta.schema_version, as store/build.c writes it */
        bad = reason("schema version '%s', this server reads version %s; rebuild the store", value,
                     STORE_FORMAT);
    /* quick_check: page structure, NOT NULL and CHECK constraints, in one pass over the file. */
    if (!bad && !(bad = single_text(db, "PRAGMA quick_check(1)", value, sizeof value)) &&
        strcmp(value, "ok") != 0)
        bad = reason("the file is damaged (PRAGMA quick_check: %s)%s", value, "");
    return bad;
}
