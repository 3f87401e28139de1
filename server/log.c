/*
 * log.c — structured logs. The configuration pointer is set once at start-up, before any thread
 * exists, and never changes: it is the one piece of process state (see config.h).
 */
#include "log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"

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

/* s made safe for one log line: for JSON the inside of a string (quotes, backslashes and
 * controls escaped), for text the same escapes without quoting; in both, bytes that are not
 * UTF-8 appear as the text \xNN, so a file name or header can never forge a line, break the
 * JSON or send terminal escapes. Cut (at a character boundary) to fit size. */
static void escape_field(char *out, size_t size, const char *s, bool json)
{
    size_t o = 0, n = strlen(s);
    for (size_t i = 0; i < n;) {
        char esc[16];
        size_t k = 1, len;
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        if (c == '"' && json) {
            len = (size_t)snprintf(esc, sizeof esc, "\\\"");
        } else if (c == '\\') {
            len = (size_t)snprintf(esc, sizeof esc, "\\\\");
        } else if (c == '\n' || c == '\r' || c == '\t') {
            len = (size_t)snprintf(esc, sizeof esc, "\\%c",
                                   c == '\n'   ? 'n'
                                   : c == '\r' ? 'r'
                                               : 't');
        } else if (c < 0x20 || c == 0x7F) {
            len = (size_t)snprintf(esc, sizeof esc, json ? "\\u%04x" : "\\x%02x", c);
        } else if (c < 0x80) {
            esc[0] = (char)c;
            len = 1;
        } else if ((k = utf8_decode((const unsigned char *)s + i, n - i, &cp)) > 0) {
            memcpy(esc, s + i, k);
            len = k;
        } else {
            k = 1; /* not UTF-8: shown, not passed on */
            len = (size_t)snprintf(esc, sizeof esc, json ? "\\\\x%02x" : "\\x%02x", c);
        }
        if (o + len + 1 > size)
            break;
        memcpy(out + o, esc, len);
        o += len;
        i += k;
    }
    out[o] = '\0';
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (log_cfg && level < log_cfg->log_level)
        return;
    char msg[2048], safe[8192], ts[40];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    timestamp(ts, sizeof ts);
    bool text = log_cfg && log_cfg->log_format == LOG_FORMAT_TEXT;
    escape_field(safe, sizeof safe, msg, !text);
    if (text)
        fprintf(stderr, "%s %s %s\n", ts, level_names[level], safe);
    else
        fprintf(stderr, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"}\n", ts,
                level_names[level], safe);
}

/* One line, one write: formatted by hand (a JSON library per request cost half a cached
 * request's instructions, bench/RESULTS.md) and flushed so container logs are timely. */
void log_access(const struct access_entry *e)
{
    if (!log_cfg || !log_cfg->access_log || log_cfg->log_level > LOG_INFO)
        return;
    bool json = log_cfg->log_format != LOG_FORMAT_TEXT;
    char ts[40], line[4096], id[160], ip[160], method[80], path[2100];
    timestamp(ts, sizeof ts);
    escape_field(id, sizeof id, e->request_id, json);
    escape_field(ip, sizeof ip, e->client_ip, json);
    escape_field(method, sizeof method, e->method, json);
    escape_field(path, sizeof path, e->path, json);
    int n;
    if (!json) {
        n = snprintf(line, sizeof line, "%s %s %s %s %d %llu %lluus %s\n", ts, ip, method, path,
                     e->status, e->bytes, e->duration_us, id);
    } else {
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
