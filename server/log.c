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

/* s as the inside of a JSON string. Access-log fields are printable ASCII (the server made the
 * target printable), so only quotes, backslashes and controls need escaping. */
static void json_escape(char *out, size_t size, const char *s)
{
    size_t o = 0;
    for (; *s && o + 7 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c >= 0x7F) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
}

/* One line, one write: formatted by hand (a JSON library per request cost half a cached
 * request's instructions, bench/RESULTS.md) and flushed so container logs are timely. */
void log_access(const struct access_entry *e)
{
    if (!log_cfg || !log_cfg->access_log || log_cfg->log_level > LOG_INFO)
        return;
    char ts[40], line[4096];
    timestamp(ts, sizeof ts);
    int n;
    if (log_cfg->log_format == LOG_FORMAT_TEXT) {
        n = snprintf(line, sizeof line, "%s %s %s %s %d %llu %lluus %s\n", ts, e->client_ip,
                     e->method, e->path, e->status, e->bytes, e->duration_us, e->request_id);
    } else {
        char id[160], ip[160], method[64], path[2100];
        json_escape(id, sizeof id, e->request_id);
        json_escape(ip, sizeof ip, e->client_ip);
        json_escape(method, sizeof method, e->method);
        json_escape(path, sizeof path, e->path);
        n = snprintf(
            line, sizeof line,
            "{\"time\":\"%s\",\"request_id\":\"%s\",\"client_ip\":\"%s\",\"method\":\"%s\","
            "\"path\":\"%s\",\"status\":%d,\"bytes\":%llu,\"duration_us\":%llu}\n",
            ts, id, ip, method, path, e->status, e->bytes, e->duration_us);
    }
    if (n > 0) {
        size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
        line[len - 1] = '\n';
        fwrite(line, 1, len, stdout);
        fflush(stdout);
    }
}
