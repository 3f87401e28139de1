/*
 * config.c — flags and environment variables, described once in a table that drives both the
 * parser and --help.
 */
#include "config.h"
#include "ingest/parallel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum opt_kind {
    OPT_STRING,
    OPT_UINT,
    OPT_LISTEN,
    OPT_LOG_FORMAT,
    OPT_LOG_LEVEL,
    OPT_BOOL,
    OPT_FLAG, /* no value on the command line; on/off in the environment */
    OPT_PROXIES,
    OPT_HEALTH_LISTEN
};

struct option_spec {
    const char *flag;
    const char *env;
    enum opt_kind kind;
    size_t offset;
    unsigned min, max;
    const char *help;
};

#define OFF(field) offsetof(struct config, field)

static const struct option_spec options[] = {
    {"--corpus", "CORPUSD_CORPUS", OPT_STRING, OFF(corpus_dir), 0, 0,
     "corpus directory of *.txt and *.jsonl files (default: corpus)"},
    {"--listen", "CORPUSD_LISTEN", OPT_LISTEN, OFF(listen), 0, 0,
     "ADDR:PORT to listen on, e.g. 0.0.0.0:8080 or [::1]:8080 (default: 127.0.0.1:8080)"},
    {"--db", "CORPUSD_DB", OPT_STRING, OFF(db_path), 0, 0,
     "write the built store to this SQLite file (default: in memory)"},
    {"--data-dir", "CORPUSD_DATA_DIR", OPT_STRING, OFF(data_dir), 0, 0,
     "directory of the extraction data files (default: " CORPUSD_DATA_DIR ")"},
    {"--threads", "CORPUSD_THREADS", OPT_UINT, OFF(threads), 1, 256,
     "HTTP worker threads (default: 2)"},
    {"--ingest-threads", "CORPUSD_INGEST_THREADS", OPT_UINT, OFF(ingest_threads), 1, 256,
     "threads that clean and tag documents while loading (2 or more: the store build uses a"
     " second); the store is the same for any number (default: all cores)"},
    {"--log-format", "CORPUSD_LOG_FORMAT", OPT_LOG_FORMAT, OFF(log_format), 0, 0,
     "json | text (default: json)"},
    {"--log-level", "CORPUSD_LOG_LEVEL", OPT_LOG_LEVEL, OFF(log_level), 0, 0,
     "debug | info | warn | error (default: info)"},
    {"--access-log", "CORPUSD_ACCESS_LOG", OPT_BOOL, OFF(access_log), 0, 0,
     "on | off: one line per request on stdout (default: on)"},
    {"--cors-origin", "CORPUSD_CORS_ORIGIN", OPT_STRING, OFF(cors_origin), 0, 0,
     "Access-Control-Allow-Origin value (default: *)"},
    {"--max-connections", "CORPUSD_MAX_CONNECTIONS", OPT_UINT, OFF(max_connections), 1, 100000,
     "concurrent connections accepted (default: 1024)"},
    {"--per-ip-limit", "CORPUSD_PER_IP_LIMIT", OPT_UINT, OFF(per_ip_limit), 0, 100000,
     "concurrent connections per client address, 0 = no limit (default: 512)"},
    {"--timeout", "CORPUSD_TIMEOUT", OPT_UINT, OFF(timeout_seconds), 1, 3600,
     "seconds an idle or slow connection is kept (default: 30)"},
    {"--shutdown-timeout", "CORPUSD_SHUTDOWN_TIMEOUT", OPT_UINT, OFF(shutdown_seconds), 0, 600,
     "seconds in-flight requests may take to finish on SIGTERM (default: 10)"},
    {"--web-dir", "CORPUSD_WEB_DIR", OPT_STRING, OFF(web_dir), 0, 0,
     "directory of the dashboard served at / (default: " CORPUSD_WEB_DIR ")"},
    {"--trusted-proxies", "CORPUSD_TRUSTED_PROXIES", OPT_PROXIES, OFF(trusted_proxies_text), 0, 0,
     "addresses/CIDRs whose X-Forwarded-For/-Proto/-Prefix are honoured (default: none)"},
    {"--build-db", "CORPUSD_BUILD_DB", OPT_STRING, OFF(build_db), 0, 0,
     "build the store from the corpus into this SQLite file and exit"},
    {"--read-only", "CORPUSD_READ_ONLY", OPT_FLAG, OFF(read_only), 0, 0,
     "serve the --db file as built (immutable); the corpus is not read"},
    {"--response-cache-mb", "CORPUSD_RESPONSE_CACHE_MB", OPT_UINT, OFF(response_cache_mb), 0, 65536,
     "MB of rendered responses kept until the next reload, 0 = none (default: 64)"},
    {"--store-connections", "CORPUSD_STORE_CONNECTIONS", OPT_UINT, OFF(store_connections), 1, 1024,
     "SQLite reader connections per store; exports may hold all but --threads of them (default: "
     "16)"},
    {"--store-wait-ms", "CORPUSD_STORE_WAIT_MS", OPT_UINT, OFF(store_wait_ms), 0, 60000,
     "ms a request waits for a free store connection before a 503 (default: 100)"},
    {"--store-idle-seconds", "CORPUSD_STORE_IDLE_SECONDS", OPT_UINT, OFF(store_idle_seconds), 1,
     86400, "seconds before an unused store connection is closed (default: 10)"},
    {"--query-budget-ms", "CORPUSD_QUERY_BUDGET_MS", OPT_UINT, OFF(query_budget_ms), 0, 60000,
     "CPU ms the SQL of one request (or export page) may use, 0 = no limit (default: 250)"},
    {"--health-listen", "CORPUSD_HEALTH_LISTEN", OPT_HEALTH_LISTEN, OFF(health_listen), 0, 0,
     "ADDR:PORT of a separate listener for /healthz, /readyz, /metrics (default: none)"},
    {"--entity-overrides", "CORPUSD_ENTITY_OVERRIDES", OPT_STRING, OFF(entity_overrides), 0, 0,
     "file of corrections to entity resolution: merge A => B, split A, type A => ORG"},
};

#define N_OPTIONS (sizeof options / sizeof options[0])

static void defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->corpus_dir = "corpus";
    cfg->listen = "127.0.0.1:8080";
    snprintf(cfg->listen_host, sizeof cfg->listen_host, "127.0.0.1");
    cfg->listen_port = 8080;
    cfg->data_dir = CORPUSD_DATA_DIR;
    cfg->threads = 2;
    cfg->ingest_threads = ingest_cores();
    cfg->log_format = LOG_FORMAT_JSON;
    cfg->log_level = LOG_INFO;
    cfg->access_log = true;
    cfg->cors_origin = "*";
    cfg->max_connections = 1024;
    cfg->per_ip_limit = 512;
    cfg->timeout_seconds = 30;
    cfg->shutdown_seconds = 10;
    cfg->web_dir = CORPUSD_WEB_DIR;
    cfg->response_cache_mb = 64;
    cfg->store_connections = 16;
    cfg->store_wait_ms = 100;
    cfg->store_idle_seconds = 10;
    cfg->query_budget_ms = 250;
}

/* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80" into host (64 bytes) and port. */
static bool parse_host_port(const char *v, char *host_out, unsigned short *port_out)
{
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v)
        return false;
    const char *host = v;
    size_t hlen = (size_t)(colon - v);
    if (host[0] == '[') {
        if (hlen < 3 || host[hlen - 1] != ']')
            return false;
        host++, hlen -= 2;
    }
    if (hlen >= 64)
        return false;
    char h[64];
    memcpy(h, host, hlen);
    h[hlen] = '\0';
    unsigned char addr[16];
    if (inet_pton(AF_INET, h, addr) != 1 && inet_pton(AF_INET6, h, addr) != 1)
        return false;
    char *end;
    errno = 0;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (errno || *end || colon[1] == '\0' || port > 65535)
        return false;
    memcpy(host_out, h, hlen + 1);
    *port_out = (unsigned short)port;
    return true;
}

static bool parse_listen(struct config *cfg, const char *v)
{
    if (!parse_host_port(v, cfg->listen_host, &cfg->listen_port))
        return false;
    cfg->listen = v;
    return true;
}

static bool parse_enum(const char *v, const char *const *names, int *out)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(v, names[i]) == 0)
            return *out = i, true;
    return false;
}

static bool apply(struct config *cfg, const struct option_spec *o, const char *v)
{
    char *field = (char *)cfg + o->offset;
    static const char *const formats[] = {"json", "text", NULL};
    static const char *const levels[] = {"debug", "info", "warn", "error", NULL};
    static const char *const bools[] = {"off", "on", NULL};
    int e;
    switch (o->kind) {
    case OPT_STRING:
        if (!*v)
            return false;
        *(const char **)field = v;
        return true;
    case OPT_UINT: {
        char *end;
        errno = 0;
        unsigned long n = strtoul(v, &end, 10);
        if (errno || !*v || *end || *v == '-' || n < o->min || n > o->max)
            return false;
        *(unsigned *)field = (unsigned)n;
        return true;
    }
    case OPT_LISTEN:
        return parse_listen(cfg, v);
    case OPT_LOG_FORMAT:
        return parse_enum(v, formats, &e) && (*(enum log_format *)field = (enum log_format)e, true);
    case OPT_LOG_LEVEL:
        return parse_enum(v, levels, &e) && (*(enum log_level *)field = (enum log_level)e, true);
    case OPT_BOOL:
    case OPT_FLAG:
        return parse_enum(v, bools, &e) && (*(bool *)field = e == 1, true);
    case OPT_HEALTH_LISTEN:
        if (!parse_host_port(v, cfg->health_host, &cfg->health_port))
            return false;
        cfg->health_listen = v;
        return true;
    case OPT_PROXIES:
        *(const char **)field = v;
        return forwarded_parse_proxies(v, &cfg->trusted_proxies);
    }
    return false;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: corpusd [options]\n\nServes a news corpus as a JSON API.\n\noptions"
                 " (each also read from its environment variable; flags win):\n");
    for (size_t i = 0; i < N_OPTIONS; i++)
        fprintf(out, "  %-20s %-26s %s\n", options[i].flag, options[i].env, options[i].help);
    fprintf(out, "  %-20s %-26s %s\n  %-20s %-26s %s\n", "--help", "", "show this help and exit",
            "--version", "", "show the version and exit");
}

static const struct option_spec *find_flag(const char *arg, const char **inline_value)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        size_t n = strlen(options[i].flag);
        if (strncmp(arg, options[i].flag, n) == 0 && (arg[n] == '\0' || arg[n] == '=')) {
            *inline_value = arg[n] == '=' ? arg + n + 1 : NULL;
            return &options[i];
        }
    }
    return NULL;
}

enum config_result config_parse(struct config *cfg, int argc, char **argv, FILE *out, FILE *err)
{
    defaults(cfg);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *v = getenv(options[i].env);
        if (v && !apply(cfg, &options[i], v)) {
            fprintf(err, "corpusd: invalid value '%s' for %s\n", v, options[i].env);
            return CONFIG_EXIT_USAGE;
        }
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(out);
            return CONFIG_EXIT_OK;
        }
        if (strcmp(argv[i], "--version") == 0) {
            fprintf(out, "corpusd %s\n", CORPUSD_VERSION);
            return CONFIG_EXIT_OK;
        }
        const char *v;
        const struct option_spec *o = find_flag(argv[i], &v);
        if (!o) {
            fprintf(err, "corpusd: unknown option '%s' (see --help)\n", argv[i]);
            return CONFIG_EXIT_USAGE;
        }
        if (o->kind == OPT_FLAG && !v) {
            *(bool *)((char *)cfg + o->offset) = true;
            continue;
        }
        if (!v && (v = argv[++i]) == NULL) {
            fprintf(err, "corpusd: %s needs a value\n", o->flag);
            return CONFIG_EXIT_USAGE;
        }
        if (!apply(cfg, o, v)) {
            fprintf(err, "corpusd: invalid value '%s' for %s (%s)\n", v, o->flag, o->help);
            return CONFIG_EXIT_USAGE;
        }
    }
    if (cfg->read_only && !cfg->db_path) {
        fprintf(err, "corpusd: --read-only needs --db PATH (a store built with --build-db)\n");
        return CONFIG_EXIT_USAGE;
    }
    return CONFIG_OK;
}
