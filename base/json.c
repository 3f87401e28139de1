/*
 * json.c — JSON string literals (see json.h).
 */
#include "json.h"

void base_json_string(const char *s, size_t n, bool upper_hex, base_put_fn put, void *ctx)
{
    const char *hex = upper_hex ? "0123456789ABCDEF" : "0123456789abcdef";
    put(ctx, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(ctx, s + run, i - run);
        char esc[6] = {'\\', (char)c, '0', '0', 0, 0};
        size_t k = 2;
        switch (c) {
        case '"':
        case '\\':
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        default:
            esc[1] = 'u';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            k = 6;
        }
        put(ctx, esc, k);
        run = i + 1;
    }
    put(ctx, s + run, n - run);
    put(ctx, "\"", 1);
}
