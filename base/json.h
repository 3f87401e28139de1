/*
 * json.h — a string as a JSON string literal, written once for every layer that renders JSON by
 * hand (the handlers' list pages, the store's build-time fragments).
 */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Where the pieces go: ctx's buffer gets s[0..n). */
typedef void (*base_put_fn)(void *ctx, const char *s, size_t n);

/* Puts s[0..n) as a quoted JSON string: '"' and '\' escaped, the controls as \b \t \n \f \r or
 * \u00xx, all else (UTF-8 included) as it is. With lower-case hex digits that is byte for byte
 * what SQLite's json_object() writes, with capitals what jansson writes: a fragment rendered here
 * equals the one either library would have rendered. */
void base_json_string(const char *s, size_t n, bool upper_hex, base_put_fn put, void *ctx);

#endif
