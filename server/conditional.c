/*
 * conditional.c — ETags and If-None-Match (see conditional.h).
 */
#include "conditional.h"
#include "base/hash.h"

#include <stdio.h>
#include <string.h>

void etag_of_body(char out[ETAG_SIZE], const char *body, size_t len)
{
    snprintf(out, ETAG_SIZE, "\"%016llx\"", (unsigned long long)base_hash_content(body, len));
}

void etag_for_encoding(char out[ETAG_SIZE], const char *identity, bool gzip)
{
    snprintf(out, ETAG_SIZE, "%s", identity);
    if (gzip && strlen(out) == 18) /* '"' + 16 hex digits + '"' */
        snprintf(out + 17, ETAG_SIZE - 17, "-gz\"");
}

/* The 16 hex digits identify the content whichever the encoding, so a client holding the gzip
 * tag revalidates the identity one too. */
bool etag_none_match(const char *if_none_match, const char *etag)
{
    if (!if_none_match)
        return false;
    if (strcmp(if_none_match, "*") == 0)
        return true;
    char hash[20];
    snprintf(hash, sizeof hash, "%.16s", etag + 1);
    return strstr(if_none_match, hash) != NULL;
}
