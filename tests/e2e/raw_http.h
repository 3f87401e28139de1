/*
 * raw_http.h — raw-socket HTTP for the hostile end-to-end tests: send any bytes (what curl will
 * not: control characters, duplicate framing headers, thousands of parameters), read what comes
 * back until the answer is complete, the server closes, or a timeout. Also the server's resource
 * use from /proc (RSS, open descriptors). Header-only, like harness.h.
 */
#ifndef TESTS_E2E_RAW_HTTP_H
#define TESTS_E2E_RAW_HTTP_H

#include <dirent.h>
#include <poll.h>
#include <stdbool.h>

#include "harness.h"

static inline double raw_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct raw_answer {
    int status;  /* 0: no HTTP answer */
    bool closed; /* the server closed the connection */
    char *data;  /* everything received, NUL-terminated */
    size_t len;
    double seconds; /* from the first byte sent to the end of the answer */
};

static inline int raw_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads one answer (Content-Length framed) or until close/timeout. */
static inline void raw_receive(int fd, struct raw_answer *r, double timeout_s)
{
    size_t cap = 1 << 16;
    r->data = calloc(1, cap + 1);
    double end = raw_now() + timeout_s;
    for (;;) {
        char *hdr_end = strstr(r->data, "\r\n\r\n");
        if (hdr_end) {
            const char *cl = strcasestr(r->data, "\r\nContent-Length:");
            size_t want = cl && cl < hdr_end ? strtoul(cl + 17, NULL, 10) : 0;
            if (r->len - (size_t)(hdr_end + 4 - r->data) >= want)
                break;
        }
        int left_ms = (int)((end - raw_now()) * 1000);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left_ms <= 0 || poll(&p, 1, left_ms) <= 0)
            break;
        if (r->len == cap) {
            char *nd = realloc(r->data, (cap *= 2) + 1);
            if (!nd)
                break;
            r->data = nd;
        }
        ssize_t n = recv(fd, r->data + r->len, cap - r->len, 0);
        if (n <= 0) {
            r->closed = true;
            break;
        }
        r->len += (size_t)n;
        r->data[r->len] = '\0';
    }
    if (r->len > 12 && strncmp(r->data, "HTTP/1.", 7) == 0)
        r->status = atoi(r->data + 9);
}

/* Sends len bytes to port and reads the answer. */
static inline struct raw_answer raw_exchange(int port, const char *data, size_t len,
                                             double timeout_s)
{
    struct raw_answer r = {0};
    double t0 = raw_now();
    int fd = raw_open(port);
    if (fd < 0)
        return r;
    for (size_t off = 0; off < len;) {
        ssize_t n = send(fd, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    raw_receive(fd, &r, timeout_s);
    r.seconds = raw_now() - t0;
    close(fd);
    return r;
}

static inline struct raw_answer raw_text(int port, const char *request, double timeout_s)
{
    return raw_exchange(port, request, strlen(request), timeout_s);
}

static inline void raw_answer_free(struct raw_answer *r)
{
    free(r->data);
    memset(r, 0, sizeof *r);
}

/* A counter or gauge of /metrics (the first sample line starting with name), -1 if absent. */
static inline double metric_value(const struct server_proc *s, const char *name)
{
    struct http_response m = http_get(s, "/metrics");
    double v = -1;
    size_t n = strlen(name);
    for (const char *p = m.body; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, name, n) == 0 && p[n] == ' ') {
            v = atof(p + n + 1);
            break;
        }
    http_free(&m);
    return v;
}

/* Resident memory of pid in kB (VmRSS), -1 when unknown. */
static inline long proc_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

/* Open descriptors of pid, -1 when unknown. */
static inline long proc_fds(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

#endif
