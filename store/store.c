/*
 * store.c — store lifetime, reader connections and the connection pool.
 */
#include "store.h"

#include <fcntl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "conn.h"

struct store {
    atomic_int refs;
    unsigned char *image; /* serialized in-memory database, or NULL for a file store */
    sqlite3 *image_owner; /* the memdb connection whose buffer image is, or NULL (a copy) */
    sqlite3_int64 image_size;
    char *path; /* file store */
    int fd;     /* file store: held open so renames over path do not affect this store */
    struct store_counts counts;
    char fingerprint[40];
    pthread_mutex_t pool_lock;
    struct store_conn *free_conns;
};

static char *errdup(const char *what, const char *detail)
{
    char *e = NULL;
    if (asprintf(&e, "%s: %s", what, detail ? detail : "unknown error") < 0)
        e = NULL;
    return e;
}

static struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    atomic_init(&s->refs, 1);
    s->fd = -1;
    pthread_mutex_init(&s->pool_lock, NULL);
    return s;
}

/* Opens a reader connection on the image or file. */
static sqlite3 *open_reader(const struct store *s, char **err)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    char uri[4200];
    if (s->image)
        snprintf(uri, sizeof uri, ":memory:");
    else
        snprintf(uri, sizeof uri, "file:/proc/self/fd/%d?immutable=1", s->fd);
    int rc = sqlite3_open_v2(uri, &db,
                             s->image ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX : flags, NULL);
    if (rc == SQLITE_OK && s->image) {
        /* Read-only mapping of the shared image: no copy, no locks, safe across threads. */
        rc = sqlite3_deserialize(db, "main", s->image, s->image_size, s->image_size,
                                 SQLITE_DESERIALIZE_READONLY);
    }
    if (rc != SQLITE_OK) {
        *err = errdup("cannot open the store", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static int read_counts(struct store *s, char **err)
{
    sqlite3 *db = open_reader(s, err);
    if (!db)
        return -1;
    char format[16];
    store_read_meta(db, "schema_version", format, sizeof format);
    if (strcmp(format, STORE_FORMAT) != 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "format %s, this corpusd reads format %s; rebuild it",
                 format[0] ? format : "?", STORE_FORMAT);
        *err = errdup("the store was built by another version of corpusd", detail);
        sqlite3_close(db);
        return -1;
    }
    int rc = store_read_counts(db, &s->counts);
    store_read_meta(db, "fingerprint", s->fingerprint, sizeof s->fingerprint);
    if (rc != SQLITE_OK)
        *err = errdup("cannot read the store", sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

/* A file store is built beside its final path and renamed into place when complete. */
static struct store *build_file(struct doc *const *docs, size_t n_docs, const char *db_path,
                                const char *fingerprint, char **err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", db_path, (long)getpid());
    sqlite3 *db = NULL;
    int rc = store_build_db(docs, n_docs, tmp, fingerprint, &db, err);
    if (sqlite3_close(db) != SQLITE_OK && rc == 0)
        rc = -1;
    if (rc == 0 && rename(tmp, db_path) != 0) {
        *err = errdup("cannot write the store file", strerror(errno));
        rc = -1;
    }
    if (rc != 0) {
        unlink(tmp);
        return NULL;
    }
    return store_open_file(db_path, err);
}

struct store *store_build(struct doc *const *docs, size_t n_docs, const char *db_path,
                          const char *fingerprint, char **err)
{
    *err = NULL;
    if (db_path)
        return build_file(docs, n_docs, db_path, fingerprint, err);
    struct store *s = store_new();
    if (!s)
        return NULL;
    sqlite3 *db = NULL;
    int rc = store_build_db(docs, n_docs, NULL, fingerprint, &db, err);
    if (rc == 0) {
        /* The memdb buffer itself (no copy): its connection lives as long as the store. */
        s->image = sqlite3_serialize(db, "main", &s->image_size, SQLITE_SERIALIZE_NOCOPY);
        if (s->image) {
            s->image_owner = db;
            sqlite3_db_release_memory(db); /* the build's page cache */
            db = NULL;
        } else if (!(s->image = sqlite3_serialize(db, "main", &s->image_size, 0))) {
            *err = errdup("cannot serialize the store", sqlite3_errmsg(db));
        }
    }
    sqlite3_close(db);
    if (rc != 0 || !s->image || read_counts(s, err) < 0) {
        store_unref(s);
        return NULL;
    }
    return s;
}

struct store *store_open_file(const char *db_path, char **err)
{
    *err = NULL;
    struct store *s = store_new();
    if (!s)
        return NULL;
    if ((s->fd = open(db_path, O_RDONLY | O_CLOEXEC)) < 0) {
        *err = errdup(db_path, strerror(errno));
        store_unref(s);
        return NULL;
    }
    if (!(s->path = strdup(db_path)) || read_counts(s, err) < 0) {
        store_unref(s);
        return NULL;
    }
    return s;
}

const char *store_fingerprint(const struct store *s)
{
    return s->fingerprint;
}

struct store *store_ref(struct store *s)
{
    atomic_fetch_add(&s->refs, 1);
    return s;
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

void store_unref(struct store *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    while (s->free_conns) {
        struct store_conn *c = s->free_conns;
        s->free_conns = c->next_free;
        conn_close(c);
    }
    pthread_mutex_destroy(&s->pool_lock);
    if (s->image_owner)
        sqlite3_close(s->image_owner); /* frees the image */
    else
        sqlite3_free(s->image);
    if (s->fd >= 0)
        close(s->fd);
    free(s->path);
    free(s);
}

struct store_conn *store_acquire(struct store *s, char **err)
{
    *err = NULL;
    pthread_mutex_lock(&s->pool_lock);
    struct store_conn *c = s->free_conns;
    if (c)
        s->free_conns = c->next_free;
    pthread_mutex_unlock(&s->pool_lock);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c || !(c->db = open_reader(s, err))) {
            free(c);
            return NULL;
        }
    }
    c->store = store_ref(s);
    c->next_free = NULL;
    return c;
}

void store_release(struct store_conn *c)
{
    if (!c)
        return;
    struct store *s = c->store;
    pthread_mutex_lock(&s->pool_lock);
    c->next_free = s->free_conns;
    s->free_conns = c;
    pthread_mutex_unlock(&s->pool_lock);
    store_unref(s);
}

const struct store_counts *store_counts(const struct store *s)
{
    return &s->counts;
}

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
    unsigned long h = 5381;
    for (const char *p = sql; *p; p++)
        h = h * 33 + (unsigned char)*p;
    for (unsigned i = 0; i < SQL_CACHE_SLOTS; i++) {
        sqlite3_stmt **slot = &c->sql_cache[(h + i) % SQL_CACHE_SLOTS];
        if (!*slot || strcmp(sqlite3_sql(*slot), sql) == 0)
            return stmt_slot(c, slot, sql);
    }
    return NULL; /* cannot happen: the distinct list statements are far fewer than the slots */
}

void store_bind_named(sqlite3_stmt *st, const char *name, const char *value)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

void store_sql_append(char *sql, size_t size, const char *fragment)
{
    strncat(sql, fragment, size - strlen(sql) - 1);
}

enum store_status store_rows_done(sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERROR;
}

void store_set_load_stats(struct store *s, int64_t files_loaded, int64_t files_skipped,
                          int64_t records_skipped, int64_t warnings)
{
    s->counts.files_loaded = files_loaded;
    s->counts.files_skipped = files_skipped;
    s->counts.records_skipped = records_skipped;
    s->counts.warnings = warnings;
}
