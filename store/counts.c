/*
 * counts.c — what a built store says about itself, read when it is opened: the counts /v1/stats
 * reports and the meta values (fingerprint, schema version). Takes an open database; gives plain
 * values (build.h).
 */
#include "build.h"

#include <stdio.h>

static void copy_col(sqlite3_stmt *st, int i, char *out, size_t size)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    snprintf(out, size, "%s", v ? (const char *)v : "");
}

int store_read_counts(sqlite3 *db, struct store_counts *out)
{
    static const char sql[] =
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM entities),"
        " (SELECT count(*) FROM mentions), (SELECT count(*) FROM timexes),"
        " (SELECT count(*) FROM events),"
        " (SELECT count(*) FROM entities WHERE type='PERSON'),"
        " (SELECT count(*) FROM entities WHERE type='ORG'),"
        " (SELECT count(*) FROM entities WHERE type='LOC'),"
        " (SELECT count(*) FROM entities WHERE type='MISC'),"
        " (SELECT min(published) FROM documents WHERE published <> ''),"
        " (SELECT max(published) FROM documents WHERE published <> ''),"
        " (SELECT min(date) FROM events), (SELECT max(date) FROM events)";
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int64_t *f[] = {&out->documents, &out->entities, &out->mentions, &out->timexes,
                        &out->events};
        for (int i = 0; i < 5; i++)
            *f[i] = sqlite3_column_int64(st, i);
        for (int i = 0; i < 4; i++)
            out->entities_by_type[i] = sqlite3_column_int64(st, 5 + i);
        copy_col(st, 9, out->first_published, sizeof out->first_published);
        copy_col(st, 10, out->last_published, sizeof out->last_published);
        copy_col(st, 11, out->first_event, sizeof out->first_event);
        copy_col(st, 12, out->last_event, sizeof out->last_event);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

void store_read_meta(sqlite3 *db, const char *key, char *out, size_t size)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        copy_col(st, 0, out, size);
    sqlite3_finalize(st);
}
