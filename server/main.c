/*
 * main.c — the corpusd process: configuration, loading the corpus into a store, serving it, and
 * the signals (SIGINT/SIGTERM stop gracefully, SIGHUP reloads the corpus and swaps the store).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "http.h"
#include "ingest/corpus.h"
#include "ingest/pipeline.h"
#include "log.h"
#include "store/store.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void warn_file(void *ctx, const char *path, const char *msg)
{
    (void)ctx;
    log_msg(LOG_WARN, "corpus: %s: %s", path, msg);
}

/* Reads the corpus and builds a store from it; NULL (logged) on failure. */
static struct store *load_store(const struct config *cfg, const struct ingest *ing)
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
    struct store *st = store_build(corpus.docs, corpus.n_docs, cfg->db_path, &err);
    const struct corpus_stats cs = corpus.stats;
    corpus_free(&corpus);
    if (!st) {
        log_msg(LOG_ERROR, "store: %s", err ? err : "out of memory");
        free(err);
        return NULL;
    }
    store_set_load_stats(st, (int64_t)cs.files_loaded, (int64_t)cs.files_skipped,
                         (int64_t)cs.records_skipped, (int64_t)cs.warnings);
    const struct store_counts *c = store_counts(st);
    log_msg(LOG_INFO,
            "loaded %s: %zu files (%zu skipped), %lld documents, %lld entities, %lld events, "
            "%zu warnings; ingest %.1f ms, store %.1f ms",
            cfg->corpus_dir, cs.files_loaded, cs.files_skipped, (long long)c->documents,
            (long long)c->entities, (long long)c->events, cs.warnings, t1 - t0, now_ms() - t1);
    return st;
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

static void serve_until_stopped(const struct config *cfg, const struct ingest *ing,
                                struct server *srv, const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig != SIGHUP) {
            log_msg(LOG_INFO, "signal %d: shutting down", sig);
            return;
        }
        log_msg(LOG_INFO, "SIGHUP: reloading %s", cfg->corpus_dir);
        struct store *st = load_store(cfg, ing);
        if (st)
            server_set_store(srv, st);
        else
            log_msg(LOG_ERROR, "reload failed; still serving the previous store");
    }
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
    struct server *srv = server_start(&cfg, &err);
    if (!srv) {
        log_msg(LOG_ERROR, "%s", err ? err : "cannot start the HTTP server");
        free(err);
        ingest_close(ing);
        return 1;
    }
    log_msg(LOG_INFO, "corpusd %s listening on http://%s", CORPUSD_VERSION, cfg.listen);
    struct store *st = load_store(&cfg, ing);
    int rc = 0;
    if (st) {
        server_set_store(srv, st);
        log_msg(LOG_INFO, "ready in %.1f ms", now_ms() - t0);
        serve_until_stopped(&cfg, ing, srv, &set);
    } else {
        rc = 1;
    }
    server_stop(srv);
    ingest_close(ing);
    return rc;
}
