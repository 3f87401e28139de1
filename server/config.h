/*
 * config.h — the server's configuration: command-line flags, each with a CORPUSD_* environment
 * variable (flags win). The only process-wide state besides the loaded store.
 */
#ifndef SERVER_CONFIG_H
#define SERVER_CONFIG_H

#include <stdbool.h>
#include <stdio.h>

#include "forwarded.h"

enum log_format { LOG_FORMAT_JSON, LOG_FORMAT_TEXT };
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

struct config {
    const char *corpus_dir;
    const char *listen; /* as given, for messages */
    char listen_host[64];
    unsigned short listen_port;
    const char *db_path; /* NULL: in memory */
    const char *data_dir;
    unsigned threads;
    unsigned ingest_threads; /* ingest_record on this many threads (ingest/parallel.h) */
    enum log_format log_format;
    enum log_level log_level;
    bool access_log;
    const char *cors_origin;
    unsigned max_connections;
    unsigned per_ip_limit;
    unsigned timeout_seconds;
    unsigned shutdown_seconds; /* how long in-flight requests may take to finish on SIGTERM */
    const char *web_dir;       /* the dashboard's files; "" disables */
    const char *trusted_proxies_text;
    struct proxy_list trusted_proxies;
    const char *build_db;        /* build the store into this file and exit */
    bool read_only;              /* serve --db as a prebuilt immutable file; no corpus is read */
    unsigned response_cache_mb;  /* rendered 200 responses kept per store; 0 disables */
    unsigned store_connections;  /* reader connections per store, at most */
    unsigned store_wait_ms;      /* a request waits this long for one, then 503 */
    unsigned store_idle_seconds; /* an unused connection is closed after this */
    unsigned query_budget_ms;    /* CPU per SQL statement; 0 = unlimited */
    const char *health_listen;   /* ADDR:PORT of the health daemon, or NULL */
    char health_host[64];
    unsigned short health_port;
    const char *entity_overrides; /* user corrections to entity resolution, or NULL */
};

enum config_result { CONFIG_OK, CONFIG_EXIT_OK, CONFIG_EXIT_USAGE };

/* Fills cfg from defaults, then the environment, then argv. --help/--version print to out and
 * give CONFIG_EXIT_OK; a bad flag or value prints a message to err and gives CONFIG_EXIT_USAGE
 * (the process exits 2). */
enum config_result config_parse(struct config *cfg, int argc, char **argv, FILE *out, FILE *err);

#endif
