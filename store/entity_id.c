/*
 * entity_id.c — the stable id of an entity ("person:xi-jinping") from its type and canonical
 * name (build.h): the same name always gives the same id, so ids survive rebuilds.
 */
#include "build.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include <unicase.h>
#include <unictype.h>

/* Apostrophes vanish from ids ("O'Brien", "O’Brien" -> obrien); other non-letters separate. */
static bool is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC;
}

void store_entity_id(enum entity_type type, const char *name, char *out, size_t out_size)
{
    int n =
        snprintf(out, out_size,
                 "%s:", entity_type_slugs[(unsigned)type < ENTITY_TYPE_COUNT ? type : ENTITY_MISC]);
    size_t o = n > 0 ? (size_t)n : 0, len = strlen(name);
    bool dash = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = utf8_decode((const unsigned char *)name + i, len - i, &cp);
        i += k ? k : 1;
        if (is_apostrophe(cp))
            continue;
        if (!(uc_is_alpha(cp) || uc_is_digit(cp))) {
            dash = true;
            continue;
        }
        char enc[4];
        size_t e = utf8_encode(uc_tolower(cp), enc);
        if (o + e + 2 >= out_size)
            break;
        if (dash && o > (size_t)n)
            out[o++] = '-';
        memcpy(out + o, enc, e);
        o += e;
        dash = false;
    }
    out[o] = '\0';
}
