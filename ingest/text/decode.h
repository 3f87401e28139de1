/*
 * decode.h — raw record bytes to clean UTF-8, without losing what can be read.
 *
 * Valid UTF-8 passes through (repaired by utf8_sanitize: CRLF, NFC, spaces). Text that is not
 * UTF-8 but reads as a legacy single-byte encoding — the common case for older news archives —
 * is transcoded from Windows-1252 with glibc's iconv (Latin-1 for the five bytes Windows-1252
 * leaves undefined: 0x81, 0x8D, 0x8F, 0x90, 0x9D). Only the invalid bytes of a text that is
 * otherwise UTF-8 become U+FFFD. NUL and other C0 control bytes are dropped and counted.
 */
#ifndef INGEST_TEXT_DECODE_H
#define INGEST_TEXT_DECODE_H

#include <stdbool.h>
#include <stddef.h>

struct decoded {
    char *text; /* malloc'd, NUL-terminated, valid NFC UTF-8 with LF line ends */
    size_t len;
    bool transcoded;      /* read as Windows-1252 / Latin-1 */
    size_t legacy_bytes;  /* bytes >= 0x80 transcoded */
    size_t replaced;      /* invalid UTF-8 bytes replaced by U+FFFD */
    size_t control_bytes; /* NUL and other C0 control bytes dropped */
};

/* Decodes raw[0..len). Returns 0, or -1 on out of memory (out is then zeroed). */
int text_decode(const char *raw, size_t len, struct decoded *out);

/* The note a document carries about its encoding ("windows-1252", "utf-8 (repaired)") or
 * NULL when the input was clean UTF-8. Static string. */
const char *text_decode_note(const struct decoded *d);

#endif
