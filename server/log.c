/*
 * log.c — structured logs. The configuration pointer is set once at start-up, before any thread
 * exists, and never changes: it is the one piece of process state (see config.h).
 */
#include "log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct config *log_cfg;

void log_init(const struct config *cfg)
{
    log_cfg = cfg;
}

static void timestamp(char *out, size_t size)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, size - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (log_cfg && level < log_cfg->log_level)
        return;
    char msg[2048], ts[40];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    timestamp(ts, sizeof ts);
    if (log_cfg && log_cfg->log_format == LOG_FORMAT_TEXT) {
        fprintf(stderr, "%s %s %s\n", ts, level_names[level], msg);
        return;
    }
    json_t *line = json_pack("{s:s, s:s, s:s%}", "time", ts, "level", level_names[level], "msg",
                             msg, strlen(msg));
    char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
    fprintf(stderr, "%s\n", s ? s : msg);
    free(s);
    json_decref(line);
}

void log_access(const struct access_entry *e)
{
    if (!log_cfg || !log_cfg->access_log || log_cfg->log_level > LOG_INFO)
        return;
    char ts[40];
    timestamp(ts, sizeof ts);
    if (log_cfg->log_format == LOG_FORMAT_TEXT) {
        printf("%s %s %s %s %d %llu %lluus %s\n", ts, e->client_ip, e->method, e->path, e->status,
               e->bytes, e->duration_us, e->request_id);
    } else {
        /* json_pack validates UTF-8; paths were validated before logging, methods are tokens. */
        json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:I}", "time", ts,
                                 "request_id", e->request_id, "client_ip", e->client_ip, "method",
                                 e->method, "path", e->path, "status", e->status, "bytes",
                                 (json_int_t)e->bytes, "duration_us", (json_int_t)e->duration_us);
        char *s = line ? json_dumps(line, JSON_COMPACT) : NULL;
        if (s)
            printf("%s\n", s);
        free(s);
        json_decref(line);
    }
    fflush(stdout);
}
