/* wordlist.c — open-addressing hash set of strings read from a data file. */
#include "base/wordlist.h"

#include "base/file.h"
#include "base/hash.h"
#include "base/grow.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wordlist {
    char **entries; /* file order, owned */
    size_t count;
    size_t *slots; /* index+1 into entries, 0 = empty; capacity is a power of two */
    size_t nslots;
    bool fold_case;
};

static uint64_t hash_bytes(const char *s, size_t len, bool fold)
{
    return fold ? base_hash_update_folded(BASE_HASH_SEED, s, len) : base_hash(s, len);
}

static bool equal_bytes(const char *a, const char *b, size_t len, bool fold)
{
    if (strnlen(a, len + 1) != len) /* a may be shorter than len: never read past its end */
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (fold ? tolower(x) != tolower(y) : x != y)
            return false;
    }
    return true;
}

static bool rehash(struct wordlist *w, size_t nslots)
{
    size_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < w->count; i++) {
        size_t h = hash_bytes(w->entries[i], strlen(w->entries[i]), w->fold_case) & (nslots - 1);
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = i + 1;
    }
    free(w->slots);
    w->slots = slots;
    w->nslots = nslots;
    return true;
}

static bool add_entry(struct wordlist *w, const char *s, size_t len, size_t *cap)
{
    if (wordlist_has(w, s, len))
        return true;
    if (BASE_GROW(w->entries, *cap, w->count, 64) < 0)
        return false;
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, s, len);
    copy[len] = '\0';
    w->entries[w->count++] = copy;
    if (w->count * 2 > w->nslots)
        return rehash(w, w->nslots * 2);
    size_t h = hash_bytes(copy, len, w->fold_case) & (w->nslots - 1);
    while (w->slots[h])
        h = (h + 1) & (w->nslots - 1);
    w->slots[h] = w->count;
    return true;
}

struct wordlist *wordlist_from_string(const char *text, bool fold_case)
{
    struct wordlist *w = calloc(1, sizeof *w);
    if (!w || !rehash(w, 64)) {
        free(w);
        return NULL;
    }
    w->fold_case = fold_case;
    size_t cap = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (a < b && *a != '#' && !add_entry(w, a, (size_t)(b - a), &cap)) {
            wordlist_free(w);
            return NULL;
        }
        p = eol ? eol + 1 : end;
    }
    return w;
}

struct wordlist *wordlist_load(const char *dir, const char *name, bool fold_case, char **err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t len = 0;
    char *buf = base_read_file(path, SIZE_MAX, &len, NULL);
    if (!buf) {
        if (err && asprintf(err, "cannot read data file %s", path) < 0)
            *err = NULL;
        return NULL;
    }
    struct wordlist *w = wordlist_from_string(buf, fold_case);
    free(buf);
    if (!w && err)
        *err = strdup("out of memory reading a data file");
    return w;
}

void wordlist_free(struct wordlist *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++)
        free(w->entries[i]);
    free(w->entries);
    free(w->slots);
    free(w);
}

bool wordlist_has(const struct wordlist *w, const char *s, size_t len)
{
    if (!w || !w->nslots)
        return false;
    size_t h = hash_bytes(s, len, w->fold_case) & (w->nslots - 1);
    while (w->slots[h]) {
        if (equal_bytes(w->entries[w->slots[h] - 1], s, len, w->fold_case))
            return true;
        h = (h + 1) & (w->nslots - 1);
    }
    return false;
}

size_t wordlist_count(const struct wordlist *w)
{
    return w ? w->count : 0;
}

const char *wordlist_at(const struct wordlist *w, size_t i)
{
    return w && i < w->count ? w->entries[i] : NULL;
}
