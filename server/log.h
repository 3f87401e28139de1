/*
 * log.h — process logs (stderr) and the access log (stdout, one line per request), as JSON lines
 * or text per the configuration.
 */
#ifndef SERVER_LOG_H
#define SERVER_LOG_H

#include "config.h"

void log_init(const struct config *cfg);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct access_entry {
    const char *request_id;
    const char *client_ip;
    const char *method;
    const char *path;
    int status;
    unsigned long long bytes;
    unsigned long long duration_us;
};
void log_access(const struct access_entry *e);

#endif
