/*
 * utf8.h — decoding, validation and repair of UTF-8 text, and byte <-> code-point offsets.
 */
#ifndef BASE_UTF8_H
#define BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[0..len). Returns its byte length (1..4) and stores it in *cp, or
 * returns 0 for an invalid/overlong/surrogate/truncated sequence (then *cp = U+FFFD). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (4 bytes room). Returns its byte length. */
size_t utf8_encode(uint32_t cp, char *out);
bool utf8_valid(const char *s, size_t len);
/* Number of code points in s[0..len) (len bytes of valid UTF-8). */
size_t utf8_count(const char *s, size_t len);
/* Byte offset of the code point at cp_index (clamped to len). */
size_t utf8_byte_offset(const char *s, size_t len, size_t cp_index);

/* A repaired copy of raw input: invalid sequences become U+FFFD, NUL bytes and other C0
 * controls (but tab and newline) are dropped, CRLF and lone CR become LF, and a leading BOM is
 * removed; no-break and other Unicode spaces become ' ' and zero-width characters are dropped
 * (normalisation, not counted as repairs), and the text is composed to Unicode NFC.
 * *repairs counts the bytes changed or dropped (0 = input
 * was already clean). Returns a malloc'd NUL-terminated string, its length in *out_len; NULL on out
 * of memory. */
char *utf8_sanitize(const char *raw, size_t len, size_t *out_len, size_t *repairs);

#endif
