/*
 * store.c — store lifetime: building (in memory or into a file), opening a prebuilt file, and
 * the reader connections' database image. Every store, built or read, is one immutable image
 * in memory that each reader connection maps read-only (sqlite3_deserialize): readers never
 * lock, and nothing a later build does to the file can change what a store serves.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "conn.h"

char *store_errdup(const char *what, const char *detail)
{
    char *e = NULL;
    if (asprintf(&e, "%s: %s", what, detail ? detail : "unknown error") < 0)
        e = NULL;
    return e;
}

int store_library_init(void)
{
    /* No allocation statistics: nothing here reads them, and keeping them takes one mutex
     * for the whole process on every SQLite allocation — the HTTP workers (and a build's
     * threads) queued on it (Reuters rare-word search: a tenth of its time in that lock). */
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : -1;
}

static struct store *store_new(void)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    atomic_init(&s->refs, 1);
    s->limits = (struct store_limits)STORE_LIMITS_DEFAULT;
    pthread_mutex_init(&s->pool_lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->pool_freed, &ca);
    pthread_condattr_destroy(&ca);
    return s;
}

void store_set_limits(struct store *s, const struct store_limits *limits)
{
    s->limits = *limits;
    if (s->limits.max_connections == 0)
        s->limits.max_connections = 1;
    if (s->limits.reserved >= s->limits.max_connections) /* streams get at least one */
        s->limits.reserved = s->limits.max_connections - 1;
}

/* Read-only mapping of the shared image: no copy, no locks, safe across threads. */
sqlite3 *store_open_reader(const struct store *s, struct store_conn *c, char **err)
{
    (void)c;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_deserialize(db, "main", s->image, s->image_size, s->image_size,
                                 SQLITE_DESERIALIZE_READONLY);
    if (rc == SQLITE_OK)
        rc = store_register_fts_functions(db); /* the store's rank and snippet functions */
    if (rc != SQLITE_OK) {
        *err = store_errdup("cannot open the store", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static const char *file_kind(mode_t m)
{
    return S_ISFIFO(m)   ? "a FIFO"
           : S_ISDIR(m)  ? "a directory"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a regular file";
}

/* The whole file into image (sqlite3_malloc64'd, as sqlite3_deserialize wants it). O_NONBLOCK:
 * opening a FIFO must not wait for a writer. */
static int read_image(struct store *s, const char *path, char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *err = store_errdup(path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        char why[80];
        snprintf(why, sizeof why, "is %s, not a store file", file_kind(st.st_mode));
        *err = store_errdup(path, why);
        close(fd);
        return -1;
    }
    s->image = sqlite3_malloc64((sqlite3_uint64)st.st_size + 1);
    sqlite3_int64 got = 0;
    while (s->image && got < st.st_size) {
        ssize_t n = pread(fd, s->image + got, (size_t)(st.st_size - got), got);
        if (n <= 0)
            break; /* truncated while reading: the checks below refuse what was read */
        got += n;
    }
    close(fd);
    if (!s->image) {
        *err = store_errdup(path, "out of memory");
        return -1;
    }
    s->image_size = got;
    return 0;
}

static int read_counts(struct store *s, bool verify, char **err)
{
    sqlite3 *db = store_open_reader(s, NULL, err);
    if (!db)
        return -1;
    char *bad = verify ? store_verify(db) : NULL;
    int rc = bad ? SQLITE_CORRUPT : store_read_counts(db, &s->counts);
    if (bad) {
        *err = store_errdup(s->path ? s->path : "store", bad);
        free(bad);
    } else if (rc != SQLITE_OK) {
        *err = store_errdup("cannot read the store", sqlite3_errmsg(db));
    } else {
        store_read_meta(db, "fingerprint", s->fingerprint, sizeof s->fingerprint);
    }
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

/* A file store is built beside its final path and renamed into place when complete. */
static struct store *build_file(struct doc *const *docs, size_t n_docs, struct doc **consume,
                                const char *db_path, const char *fingerprint, unsigned threads,
                                char **err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", db_path, (long)getpid());
    sqlite3 *db = NULL;
    struct build_buffer unused; /* a file build writes no buffer */
    int rc = store_build_db(docs, n_docs, consume, tmp, fingerprint, threads, &db, &unused, err);
    if (sqlite3_close(db) != SQLITE_OK && rc == 0)
        rc = -1;
    /* The image is read from the file this process has just written and closed, before it is
     * in place: no other writer has had it, so it is not checked again as a file found on disk
     * is (store_verify's quick_check reads every page: ~1.4 s on Reuters). */
    struct store *s = rc == 0 ? store_new() : NULL;
    if (s && (!(s->path = strdup(db_path)) || read_image(s, tmp, err) < 0 ||
              read_counts(s, false, err) < 0)) {
        store_unref(s);
        s = NULL;
    }
    if (s && rename(tmp, db_path) != 0) {
        *err = store_errdup("cannot write the store file", strerror(errno));
        store_unref(s);
        s = NULL;
    }
    if (!s)
        unlink(tmp);
    return s;
}

static struct store *build(struct doc *const *docs, size_t n_docs, struct doc **consume,
                           const char *db_path, const char *fingerprint, unsigned threads,
                           char **err)
{
    *err = NULL;
    if (db_path)
        return build_file(docs, n_docs, consume, db_path, fingerprint, threads, err);
    struct store *s = store_new();
    if (!s)
        return NULL;
    sqlite3 *db = NULL;
    struct build_buffer buf;
    int rc = store_build_db(docs, n_docs, consume, NULL, fingerprint, threads, &db, &buf, err);
    if (rc == 0) {
        /* The memdb buffer itself (no copy): its connection lives as long as the store. */
        s->image = sqlite3_serialize(db, "main", &s->image_size, SQLITE_SERIALIZE_NOCOPY);
        if (s->image) {
            s->image_owner = db;
            s->image_buffer = buf;
            sqlite3_db_release_memory(db); /* the build's page cache */
            db = NULL;
        } else if (!(s->image = sqlite3_serialize(db, "main", &s->image_size, 0))) {
            *err = store_errdup("cannot serialize the store", sqlite3_errmsg(db));
        }
    }
    sqlite3_close(db);
    if (db) /* closed here: the image, if any, is a copy */
        store_build_buffer_release(&buf);
    if (rc != 0 || !s->image || read_counts(s, false, err) < 0) {
        store_unref(s);
        return NULL;
    }
    return s;
}

struct store *store_build(struct doc *const *docs, size_t n_docs, const char *db_path,
                          const char *fingerprint, char **err)
{
    return build(docs, n_docs, NULL, db_path, fingerprint, 1, err);
}

struct store *store_build_consume(struct doc **docs, size_t n_docs, const char *db_path,
                                  const char *fingerprint, unsigned threads, char **err)
{
    return build(docs, n_docs, docs, db_path, fingerprint, threads, err);
}

struct store *store_open_file(const char *db_path, char **err)
{
    *err = NULL;
    struct store *s = store_new();
    if (!s)
        return NULL;
    if (!(s->path = strdup(db_path)) || read_image(s, db_path, err) < 0 ||
        read_counts(s, true, err) < 0) {
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

void store_unref(struct store *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    store_pool_close_all(s);
    pthread_cond_destroy(&s->pool_freed);
    pthread_mutex_destroy(&s->pool_lock);
    if (s->image_owner) {
        sqlite3_close(s->image_owner); /* frees the image, or leaves it in image_buffer */
        store_build_buffer_release(&s->image_buffer);
    } else
        sqlite3_free(s->image);
    free(s->path);
    free(s);
}

const struct store_counts *store_counts(const struct store *s)
{
    return &s->counts;
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

void store_set_warning_counts(struct store *s, const int64_t *by_kind)
{
    memcpy(s->counts.warnings_by_kind, by_kind, sizeof s->counts.warnings_by_kind);
}
