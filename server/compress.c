/*
 * compress.c — gzip (RFC 1952) via zlib's deflate with a gzip wrapper.
 */
#include "compress.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <zlib.h>

bool compress_accepts_gzip(const char *ae)
{
    if (!ae)
        return false;
    for (const char *p = ae; (p = strstr(p, "gzip")) != NULL; p += 4) {
        bool token_start = p == ae || p[-1] == ' ' || p[-1] == ',';
        const char *q = p + 4;
        if (!token_start || (*q && *q != ',' && *q != ';' && *q != ' '))
            continue;
        while (*q == ' ')
            q++;
        if (*q != ';')
            return true;
        /* "gzip;q=0", "gzip;q=0.0", "gzip; q=0.000": refused */
        q++;
        while (*q == ' ')
            q++;
        if (tolower((unsigned char)q[0]) != 'q' || q[1] != '=')
            return true;
        q += 2;
        double v = strtod(q, NULL);
        return v > 0;
    }
    return false;
}

char *compress_gzip(const char *body, size_t len, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* Level 5: most of level 9's ratio on JSON at a fraction of the time. */
    if (deflateInit2(&zs, 5, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = deflateBound(&zs, (uLong)len);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&zs);
        return NULL;
    }
    zs.next_in = (Bytef *)(uintptr_t)body;
    zs.avail_in = (uInt)len;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, Z_FINISH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}
