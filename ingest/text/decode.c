/*
 * decode.c — choosing between UTF-8 and a legacy encoding for one record, and transcoding.
 *
 * Why the choice is per record: a record is written by one program in one encoding. If it holds
 * valid multi-byte UTF-8 sequences and fewer invalid bytes than those, it is UTF-8 with damage
 * (the invalid bytes become U+FFFD); if it holds no valid multi-byte sequence at all, or more
 * invalid bytes than valid sequences, its high bytes are single-byte characters.
 */
#include "ingest/text/decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"

/* Counts the valid multi-byte sequences, invalid bytes and C0 controls of raw. */
static void survey(const unsigned char *p, size_t len, size_t *multi, size_t *invalid,
                   size_t *controls)
{
    *multi = *invalid = *controls = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            *controls += c < 0x20 && c != '\n' && c != '\r' && c != '\t';
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (n) {
            (*multi)++;
            i += n;
        } else {
            (*invalid)++;
            i++;
        }
    }
}

/* Windows-1252 to UTF-8 with iconv; a byte iconv rejects (the five undefined in Windows-1252)
 * is read as Latin-1. out has room for 3 bytes per input byte. Returns the length, or -1 when
 * iconv is unavailable. */
static long transcode_cp1252(const char *raw, size_t len, char *out)
{
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    if (cd == (iconv_t)-1)
        return -1;
    char *in = (char *)raw, *o = out;
    size_t in_left = len, out_left = len * 3 + 1;
    while (in_left > 0) {
        if (iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1)
            break;
        if (errno != EILSEQ && errno != EINVAL)
            break;
        size_t n = utf8_encode((unsigned char)*in, o); /* Latin-1: the byte is the code point */
        o += n, out_left -= n;
        in++, in_left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    return in_left == 0 ? (long)(o - out) : -1;
}

int text_decode(const char *raw, size_t len, struct decoded *out)
{
    memset(out, 0, sizeof *out);
    size_t multi, invalid, controls;
    survey((const unsigned char *)raw, len, &multi, &invalid, &controls);
    out->control_bytes = controls;
    const char *src = raw;
    size_t src_len = len;
    char *legacy = NULL;
    if (invalid > 0 && invalid >= multi) {
        legacy = malloc(len * 3 + 1);
        if (!legacy)
            return -1;
        long n = transcode_cp1252(raw, len, legacy);
        if (n >= 0) {
            src = legacy, src_len = (size_t)n;
            out->transcoded = true;
            out->legacy_bytes = invalid + multi;
        }
    }
    size_t repairs = 0;
    out->text = utf8_sanitize(src, src_len, &out->len, &repairs);
    free(legacy);
    if (!out->text)
        return -1;
    /* utf8_sanitize counts dropped controls and replaced bytes together. */
    out->replaced = out->transcoded ? 0 : (repairs > controls ? repairs - controls : 0);
    return 0;
}

const char *text_decode_note(const struct decoded *d)
{
    if (d->transcoded)
        return "windows-1252";
    if (d->replaced)
        return "utf-8 (invalid bytes replaced)";
    return NULL;
}
