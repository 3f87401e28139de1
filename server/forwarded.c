/*
 * forwarded.c — trusting forwarded headers only from trusted proxies. The client address is
 * the rightmost X-Forwarded-For entry that is not itself a trusted proxy (entries to its left
 * were written by the client and prove nothing).
 */
#include "forwarded.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_addr(const char *s, int *family, unsigned char addr[16])
{
    memset(addr, 0, 16);
    if (inet_pton(AF_INET, s, addr) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, s, addr) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

static bool parse_cidr(const char *s, size_t len, struct cidr *c)
{
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    if (!parse_addr(buf, &c->family, c->addr))
        return false;
    unsigned max = c->family == AF_INET ? 32 : 128;
    c->bits = max;
    if (slash) {
        char *end;
        long bits = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || bits < 0 || bits > (long)max)
            return false;
        c->bits = (unsigned)bits;
    }
    return true;
}

bool forwarded_parse_proxies(const char *s, struct proxy_list *out)
{
    out->n = 0;
    while (s && *s) {
        while (*s == ' ' || *s == ',')
            s++;
        const char *e = s;
        while (*e && *e != ',' && *e != ' ')
            e++;
        if (e > s) {
            if (out->n == FORWARDED_MAX_PROXIES ||
                !parse_cidr(s, (size_t)(e - s), &out->items[out->n]))
                return false;
            out->n++;
        }
        s = e;
    }
    return true;
}

static bool in_cidr(const struct cidr *c, int family, const unsigned char *addr)
{
    if (c->family != family)
        return false;
    unsigned full = c->bits / 8, rest = c->bits % 8;
    if (memcmp(c->addr, addr, full) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xFF << (8 - rest));
    return rest == 0 || (c->addr[full] & mask) == (addr[full] & mask);
}

static bool trusted_addr(const struct proxy_list *l, int family, const unsigned char *addr)
{
    for (size_t i = 0; i < l->n; i++)
        if (in_cidr(&l->items[i], family, addr))
            return true;
    return false;
}

/* The peer as family/bytes/text; IPv4-mapped IPv6 peers count as IPv4. */
static void peer_addr(const struct sockaddr *sa, int *family, unsigned char addr[16], char *text,
                      size_t size)
{
    memset(addr, 0, 16);
    *family = AF_UNSPEC;
    snprintf(text, size, "-");
    if (!sa)
        return;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        memcpy(addr, &in->sin_addr, 4);
        *family = AF_INET;
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            memcpy(addr, (const unsigned char *)&in6->sin6_addr + 12, 4);
            *family = AF_INET;
        } else {
            memcpy(addr, &in6->sin6_addr, 16);
            *family = AF_INET6;
        }
    }
    if (*family != AF_UNSPEC)
        inet_ntop(*family, addr, text, (socklen_t)size);
}

/* Walks X-Forwarded-For from the right, skipping trusted proxies. */
static void client_from_xff(const struct proxy_list *l, const char *xff, char *out, size_t size)
{
    size_t n = strlen(xff);
    while (n > 0) {
        size_t end = n;
        while (n > 0 && xff[n - 1] != ',')
            n--;
        const char *item = xff + n;
        size_t len = end - n;
        while (len && isspace((unsigned char)*item))
            item++, len--;
        while (len && isspace((unsigned char)item[len - 1]))
            len--;
        char buf[64];
        int family;
        unsigned char addr[16];
        if (len == 0 || len >= sizeof buf)
            return;
        memcpy(buf, item, len);
        buf[len] = '\0';
        if (!parse_addr(buf, &family, addr))
            return; /* garbage: keep what we have */
        inet_ntop(family, addr, out, (socklen_t)size);
        if (!trusted_addr(l, family, addr))
            return;
        if (n > 0)
            n--; /* skip the comma */
    }
}

static bool valid_prefix(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n >= 128 || p[0] != '/' || strstr(p, "..") || strstr(p, "//"))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)p[i]) || strchr("/-._~", p[i])))
            return false;
    return true;
}

void forwarded_resolve(const struct proxy_list *trusted, const struct sockaddr *peer,
                       const char *xff, const char *xfp, const char *xfx, struct forwarded *out)
{
    int family;
    unsigned char addr[16];
    peer_addr(peer, &family, addr, out->client_ip, sizeof out->client_ip);
    snprintf(out->proto, sizeof out->proto, "http");
    out->prefix[0] = '\0';
    if (family == AF_UNSPEC || !trusted_addr(trusted, family, addr))
        return;
    if (xff)
        client_from_xff(trusted, xff, out->client_ip, sizeof out->client_ip);
    if (xfp && (strcmp(xfp, "https") == 0 || strcmp(xfp, "http") == 0))
        snprintf(out->proto, sizeof out->proto, "%s", xfp);
    if (xfx && valid_prefix(xfx)) {
        snprintf(out->prefix, sizeof out->prefix, "%s", xfx);
        size_t n = strlen(out->prefix);
        while (n > 1 && out->prefix[n - 1] == '/')
            out->prefix[--n] = '\0';
        if (strcmp(out->prefix, "/") == 0)
            out->prefix[0] = '\0';
    }
}
