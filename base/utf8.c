/* utf8.c — strict UTF-8 per RFC 3629 (no overlongs, no surrogates, max U+10FFFF), on libunistring.
 */
#include "base/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uninorm.h>

/* The decoding and checks are libunistring's (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF); this file keeps the project's small interface over them. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    *cp = 0xFFFD;
    if (len == 0)
        return 0;
    ucs4_t uc;
    int n = u8_mbtoucr(&uc, s, len);
    if (n <= 0)
        return 0;
    *cp = uc;
    return (size_t)n;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    int n = u8_uctomb((uint8_t *)out, cp, 4);
    return n > 0 ? (size_t)n : 0;
}

bool utf8_valid(const char *s, size_t len)
{
    return u8_check((const uint8_t *)s, len) == NULL;
}

size_t utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

size_t utf8_byte_offset(const char *s, size_t len, size_t cp_index)
{
    size_t i = 0;
    while (i < len && cp_index > 0) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        cp_index--;
    }
    return i;
}

/* No-break and typographic spaces read as ordinary spaces in clean text. */
static bool is_unicode_space(uint32_t cp)
{
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

/* Zero-width characters and stray BOMs carry nothing a reader sees. */
static bool is_invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == 0xAD;
}

/* Composes to NFC with libunistring, so "é" typed as e + U+0301 and as U+00E9 is one text for
 * search and extraction. ASCII-only text is already NFC and is returned as is. */
static char *compose_nfc(char *s, size_t *len)
{
    bool ascii = true;
    for (size_t i = 0; i < *len && ascii; i++)
        ascii = (unsigned char)s[i] < 0x80;
    if (ascii)
        return s;
    size_t n = 0;
    uint8_t *nfc = u8_normalize(UNINORM_NFC, (const uint8_t *)s, *len, NULL, &n);
    char *out = nfc ? realloc(nfc, n + 1) : NULL;
    if (!out) {
        free(nfc);
        return s; /* out of memory: keep the valid, unnormalised text */
    }
    out[n] = '\0';
    free(s);
    *len = n;
    return out;
}

char *utf8_sanitize(const char *raw, size_t len, size_t *out_len, size_t *repairs)
{
    /* Worst case: every byte becomes U+FFFD (3 bytes). */
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)raw;
    size_t i = 0, o = 0, fixed = 0;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        i = 3;
    while (i < len) {
        unsigned char c = p[i];
        if (c == '\r') {
            out[o++] = '\n';
            i += (i + 1 < len && p[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c < 0x20 && c != '\n' && c != '\t') {
            fixed++, i++;
            continue;
        }
        if (c < 0x80) {
            out[o++] = (char)c, i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (!n) {
            o += utf8_encode(0xFFFD, out + o);
            fixed++, i++;
            continue;
        }
        i += n;
        if (is_unicode_space(cp)) {
            out[o++] = ' ';
        } else if (!is_invisible(cp)) {
            for (size_t k = n; k > 0; k--)
                out[o++] = (char)p[i - k];
        }
    }
    out[o] = '\0';
    if (repairs)
        *repairs = fixed;
    out = compose_nfc(out, &o);
    *out_len = o;
    return out;
}
