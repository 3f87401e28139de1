/*
 * forwarded.h — X-Forwarded-For/-Proto/-Prefix, honoured only when the peer is a configured
 * trusted proxy (a list of addresses and CIDR ranges, IPv4 and IPv6).
 */
#ifndef SERVER_FORWARDED_H
#define SERVER_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define FORWARDED_MAX_PROXIES 32

struct cidr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    unsigned bits;
};

struct proxy_list {
    struct cidr items[FORWARDED_MAX_PROXIES];
    size_t n;
};

/* "127.0.0.1, 10.0.0.0/8, ::1" -> list. false on a malformed entry. */
bool forwarded_parse_proxies(const char *s, struct proxy_list *out);

struct forwarded {
    char client_ip[64]; /* the peer, or the forwarded client when the peer is trusted */
    char proto[8];      /* "http" or "https" */
    char prefix[128];   /* "" or "/corpus" (no trailing slash) */
};

/* xff/xfp/xfx are the header values or NULL. */
void forwarded_resolve(const struct proxy_list *trusted, const struct sockaddr *peer,
                       const char *xff, const char *xfp, const char *xfx, struct forwarded *out);

#endif
