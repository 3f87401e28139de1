/*
 * main.c — the corpusd process: configuration, loading the corpus into a store, serving it, and
 * the signals (SIGINT/SIGTERM stop gracefully, SIGHUP reloads the corpus and swaps the store).
 */
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "http.h"
#include "ingest/corpus.h"
#include "ingest/pipeline.h"
#include "log.h"
#include "base/hash.h"
#include "store/store.h"

/* What the fingerprint of a corpus is taken with, at load (the bytes read) and at reload (the
 * files as they are now): the program's version and the format of the store it builds, so a
 * --db file written by another version or store format is rebuilt, never reused. */
#define FINGERPRINT_VERSION CORPUSD_VERSION "+store" STORE_FORMAT

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Each warning at debug level; the summary (summarise_warnings) at the default level. */
static void warn_file(void *ctx, const char *path, const char *msg)
{
    (void)ctx;
    log_msg(LOG_DEBUG, "corpus: %s: %s", path, msg);
}

/* One line per kind of warning: how many, and where the first few were. */
static void summarise_warnings(const struct corpus_stats *cs)
{
    for (int k = 0; k < WARN_KIND_COUNT; k++) {
        const struct corpus_warning_kind *w = &cs->by_kind[k];
        if (!w->count)
            continue;
        log_msg(
            LOG_WARN, "corpus: %zu %s warning%s, first: %s%s%s%s%s (--log-level debug lists each)",
            w->count, ingest_warning_name((enum ingest_warning_kind)k), w->count == 1 ? "" : "s",
            w->first[0], w->count > 1 ? ", " : "", w->count > 1 ? w->first[1] : "",
            w->count > 2 ? ", " : "", w->count > 2 ? w->first[2] : "");
    }
}

/* The store limits of the configuration, set before the store is shared. */
static struct store *with_limits(const struct config *cfg, struct store *st)
{
    /* Each HTTP worker runs one request at a time: that many connections are kept for them. */
    unsigned workers = cfg->threads < 2 ? 2 : cfg->threads;
    struct store_limits limits = {cfg->store_connections, workers, cfg->store_wait_ms,
                                  cfg->store_idle_seconds, cfg->query_budget_ms};
    if (st)
        store_set_limits(st, &limits);
    return st;
}

/* Reads the corpus and builds a store from it (into db_path, or in memory); NULL (logged) on
 * failure. The store records the fingerprint of the bytes read, not of the directory as it was
 * before: a file changed during the load makes the next reload rebuild. */
static struct store *build_store(const struct config *cfg, const struct ingest *ing,
                                 const char *db_path, const char *version)
{
    double t0 = now_ms();
    struct corpus corpus;
    char *err = NULL;
    if (corpus_load(ing, cfg->corpus_dir, &corpus, warn_file, NULL, &err) < 0) {
        log_msg(LOG_ERROR, "corpus: %s", err ? err : "out of memory");
        free(err);
        return NULL;
    }
    double t1 = now_ms();
    char fingerprint[33];
    corpus_fingerprint_loaded(&corpus, cfg->data_dir, version, fingerprint);
    struct store *st = store_build_consume(corpus.docs, corpus.n_docs, db_path, fingerprint,
                                           cfg->ingest_threads, &err);
    const struct corpus_stats cs = corpus.stats;
    corpus_free(&corpus);
    malloc_trim(0); /* what ingest and the build freed goes back before serving, not when idle */
    if (!st) {
        log_msg(LOG_ERROR, "store: %s", err ? err : "out of memory");
        free(err);
        return NULL;
    }
    store_set_load_stats(st, (int64_t)cs.files_loaded, (int64_t)cs.files_skipped,
                         (int64_t)cs.records_skipped, (int64_t)cs.warnings);
    int64_t by_kind[WARN_KIND_COUNT];
    for (int k = 0; k < WARN_KIND_COUNT; k++)
        by_kind[k] = (int64_t)cs.by_kind[k].count;
    store_set_warning_counts(st, by_kind);
    summarise_warnings(&cs);
    const struct store_counts *c = store_counts(st);
    log_msg(LOG_INFO,
            "loaded %s: %zu files (%zu skipped), %lld documents, %lld entities, %lld events, "
            "%zu warnings, %.2f MB; ingest %.1f ms (documents %.1f ms on %u threads, corpus "
            "passes %.1f ms), store %.1f ms",
            cfg->corpus_dir, cs.files_loaded, cs.files_skipped, (long long)c->documents,
            (long long)c->entities, (long long)c->events, cs.warnings, (double)cs.bytes_read / 1e6,
            t1 - t0, cs.documents_ms, cs.threads, cs.corpus_passes_ms, now_ms() - t1);
    return with_limits(cfg, st);
}

static struct store *open_store_file(const struct config *cfg, const char *path)
{
    char *err = NULL;
    struct store *st = store_open_file(path, &err);
    if (!st) {
        log_msg(LOG_ERROR, "store: %s", err ? err : "out of memory");
        free(err);
    }
    return with_limits(cfg, st);
}

/* The store to serve: the prebuilt file (--read-only), the --db file when it was built from
 * exactly this corpus, or a new build. current (may be NULL) is kept when nothing changed:
 * *unchanged is set and NULL returned. */
static struct store *load_store(const struct config *cfg, const struct ingest *ing,
                                const char *version, const struct store *current, bool *unchanged)
{
    *unchanged = false;
    if (cfg->read_only)
        return open_store_file(cfg, cfg->db_path);
    /* Nothing to compare the corpus with (the first build, and no --db file): it is read and
     * hashed once, by the build, instead of also before it. */
    if (!current && !(cfg->db_path && access(cfg->db_path, R_OK) == 0))
        return build_store(cfg, ing, cfg->db_path, version);
    char fp[33];
    if (corpus_fingerprint(cfg->corpus_dir, cfg->data_dir, version, fp) < 0) {
        log_msg(LOG_ERROR, "corpus: cannot read directory %s", cfg->corpus_dir);
        return NULL;
    }
    if (current && strcmp(store_fingerprint(current), fp) == 0) {
        *unchanged = true;
        return NULL;
    }
    if (cfg->db_path && !current && access(cfg->db_path, R_OK) == 0) {
        char *err = NULL;
        struct store *st = store_open_file(cfg->db_path, &err);
        free(err);
        if (st && strcmp(store_fingerprint(st), fp) == 0) {
            log_msg(LOG_INFO, "reusing %s: built from this corpus (%s)", cfg->db_path, fp);
            return with_limits(cfg, st);
        }
        store_unref(st);
    }
    return build_store(cfg, ing, cfg->db_path, version);
}

/* What the store is built with besides the corpus and the data directory: the version and, with
 * --entity-overrides, the content of that file (read once at start), so a changed file is never
 * served from a store built without it. Returns 0, or -1 when the file cannot be read. */
static int store_version(const struct config *cfg, char *out, size_t size)
{
    if (!cfg->entity_overrides) {
        snprintf(out, size, "%s", FINGERPRINT_VERSION);
        return 0;
    }
    FILE *f = fopen(cfg->entity_overrides, "rb");
    if (!f)
        return -1;
    uint64_t h = BASE_HASH_SEED;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = base_hash_update(h, buf, n);
    fclose(f);
    snprintf(out, size, "%s+overrides-%016llx", FINGERPRINT_VERSION, (unsigned long long)h);
    return 0;
}

/* Blocks the signals the main thread waits for, before any other thread starts. */
static void block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* --build-db: build the store file and exit. */
static int build_only(const struct config *cfg, const struct ingest *ing, const char *version)
{
    struct store *st = build_store(cfg, ing, cfg->build_db, version);
    if (!st)
        return 1;
    log_msg(LOG_INFO, "built %s (fingerprint %s)", cfg->build_db, store_fingerprint(st));
    store_unref(st);
    return 0;
}

static void serve_until_stopped(const struct config *cfg, const struct ingest *ing,
                                const char *version, struct server *srv, const sigset_t *set)
{
    for (;;) {
        const struct timespec tick = {1, 0};
        int sig = sigtimedwait(set, NULL, &tick);
        if (sig < 0) {
            if (errno == EAGAIN) /* once a second between signals */
                server_maintain(srv);
            continue;
        }
        if (sig != SIGHUP) {
            log_msg(LOG_INFO, "signal %d: shutting down", sig);
            return;
        }
        log_msg(LOG_INFO, "SIGHUP: reloading %s", cfg->read_only ? cfg->db_path : cfg->corpus_dir);
        bool unchanged;
        struct store *current = server_store(srv);
        struct store *st = load_store(cfg, ing, version, current, &unchanged);
        store_unref(current);
        if (st)
            server_set_store(srv, st);
        else if (unchanged)
            log_msg(LOG_INFO, "corpus unchanged; keeping the loaded store");
        else
            log_msg(LOG_ERROR, "reload failed; still serving the previous store");
    }
}

/* A --db path that exists must be a regular file: opening a FIFO would block the process (and
 * its SIGTERM) until some writer appears; a directory or device is a mistake to report. */
static bool refuse_special_file(const char *path, const char *flag)
{
    struct stat st;
    if (!path || stat(path, &st) != 0 || S_ISREG(st.st_mode))
        return false;
    log_msg(LOG_ERROR, "%s %s: not a regular file (%s); give the path of a store file", flag, path,
            S_ISFIFO(st.st_mode)  ? "a FIFO"
            : S_ISDIR(st.st_mode) ? "a directory"
                                  : "a device or socket");
    return true;
}

int main(int argc, char **argv)
{
    struct config cfg;
    switch (config_parse(&cfg, argc, argv, stdout, stderr)) {
    case CONFIG_EXIT_OK:
        return 0;
    case CONFIG_EXIT_USAGE:
        return 2;
    case CONFIG_OK:
        break;
    }
    log_init(&cfg);
    if (store_library_init() < 0)
        log_msg(LOG_WARN, "SQLite was configured before the store: allocation statistics stay on");
    if (refuse_special_file(cfg.db_path, "--db") || refuse_special_file(cfg.build_db, "--build-db"))
        return 2;
    sigset_t set;
    block_signals(&set);
    double t0 = now_ms();
    char *err = NULL;
    struct ingest *ing = ingest_open(cfg.data_dir, &err);
    if (!ing) {
        log_msg(LOG_ERROR, "cannot load extraction data from %s: %s", cfg.data_dir,
                err ? err : "out of memory");
        free(err);
        return 1;
    }
    char version[96];
    if (cfg.entity_overrides &&
        (ingest_load_entity_overrides(ing, cfg.entity_overrides, &err) < 0 ||
         store_version(&cfg, version, sizeof version) < 0)) {
        log_msg(LOG_ERROR, "--entity-overrides: %s", err ? err : cfg.entity_overrides);
        free(err);
        ingest_close(ing);
        return 2;
    }
    if (!cfg.entity_overrides)
        store_version(&cfg, version, sizeof version);
    ingest_set_threads(ing, cfg.ingest_threads);
    if (cfg.build_db) {
        int rc = build_only(&cfg, ing, version);
        ingest_close(ing);
        return rc;
    }
    struct server *srv = server_start(&cfg, &err);
    if (!srv) {
        log_msg(LOG_ERROR, "%s", err ? err : "cannot start the HTTP server");
        free(err);
        ingest_close(ing);
        return 1;
    }
    log_msg(LOG_INFO, "corpusd %s listening on http://%s", CORPUSD_VERSION, cfg.listen);
    bool unchanged;
    struct store *st = load_store(&cfg, ing, version, NULL, &unchanged);
    int rc = 0;
    if (st) {
        server_set_store(srv, st);
        log_msg(LOG_INFO, "ready in %.1f ms", now_ms() - t0);
        serve_until_stopped(&cfg, ing, version, srv, &set);
    } else {
        rc = 1;
    }
    server_stop(srv);
    ingest_close(ing);
    return rc;
}
