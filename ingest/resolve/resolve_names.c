/* resolve_names.c — see resolve_names.h. */
#include "ingest/resolve/resolve_names.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/wordlist.h"

static bool rn_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool rn_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool rn_alnum(char c)
{
    return rn_upper(c) || rn_lower(c) || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Whether s[i] is one letter followed by a period: an initial ("F." of "E. F. Hutton"). */
static bool rn_initial_at(const char *s, size_t len, size_t i)
{
    return i + 1 < len && (rn_upper(s[i]) || rn_lower(s[i])) && s[i + 1] == '.';
}

size_t rn_key_into(const char *s, size_t len, char *out)
{
    size_t n = 0, seg = 0;
    bool space = false;
    bool initials = true; /* the word so far is single letters, each with its period */
    bool dotted = false;  /* ... and it ends with one */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            initials = initials && seg == 1;
            dotted = initials;
            seg = 0;
            continue;
        }
        if (c == '\'') { /* a possessive is no part of a name: "Standard and Poor's" */
            bool poss = i + 1 < len && (s[i + 1] == 's' || s[i + 1] == 'S') &&
                        (i + 2 == len || !rn_alnum(s[i + 2]));
            i += poss;
            continue;
        }
        if (c < 0x80 &&
            !(rn_upper((char)c) || rn_lower((char)c) || (c >= '0' && c <= '9') || c == '&')) {
            space = true;
            continue;
        }
        /* "E. F. Hutton" and "E.F. Hutton" have one key: spaced initials are one word */
        if (space && n && !(dotted && rn_initial_at(s, len, i))) {
            out[n++] = ' ';
            initials = true;
            seg = 0;
        }
        space = dotted = false;
        seg++;
        out[n++] = rn_upper((char)c) ? (char)(c + 32) : (char)c;
    }
    out[n] = '\0';
    return n;
}

char *rn_key(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (out)
        rn_key_into(s, len, out);
    return out;
}

/* " and " between two capitals at p ("S and P"). */
static bool rn_and_between_capitals(const char *s, const char *p)
{
    return p > s && rn_upper(p[-1]) && strncmp(p, " and ", 5) == 0 && rn_upper(p[5]);
}

bool rn_is_acronym(const char *s)
{
    size_t letters = 0, len = strlen(s);
    if (len > 2 && s[len - 2] == '\'' && s[len - 1] == 's') /* "S and P's creditwatch" */
        len -= 2;
    for (const char *p = s; p < s + len; p++) {
        if (rn_upper(*p))
            letters++;
        else if (rn_and_between_capitals(s, p))
            p += 4;
        else if (*p != '.' && *p != '&')
            return false;
    }
    return letters >= 2 && letters <= 8;
}

static bool rn_function_word(const char *w, size_t n)
{
    static const char *const words[] = {"of", "and", "the", "for", "on", "in", "de", "&"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strlen(words[i]) == n && strncasecmp(words[i], w, n) == 0)
            return true;
    return false;
}

/* Whether the word w[0..n) is in the legal-form list (compared as its key: "Corp." = "corp"). */
static bool rn_legal_word(const struct wordlist *legal, const char *w, size_t n)
{
    char key[32];
    return legal && n < sizeof key && wordlist_has(legal, key, rn_key_into(w, n, key));
}

bool rn_initials_match(const char *acr, const char *longform, const struct wordlist *legal)
{
    const char *word[16]; /* the capitalised words: their initials, and whether legal forms */
    size_t len[16], k = 0;
    for (const char *p = longform; *p;) {
        while (*p == ' ' || *p == '-')
            p++;
        const char *w = p;
        while (*p && *p != ' ' && *p != '-')
            p++;
        if (p == w || rn_function_word(w, (size_t)(p - w)) || !rn_upper(*w))
            continue;
        if (k + 1 >= sizeof word / sizeof *word)
            return false;
        word[k] = w;
        len[k++] = (size_t)(p - w);
    }
    size_t a = 0;
    bool spelled_and = false;
    for (const char *p = acr; *p; p++) {
        if (rn_and_between_capitals(acr, p)) {
            p += 4;
            spelled_and = true;
            continue;
        }
        if (*p == '.' || *p == '&')
            continue;
        if (a >= k || *word[a] != *p)
            return false;
        a++;
    }
    size_t spelled = a;
    /* "Corp" of "Standard and Poor's Corp" */
    while (spelled_and && a < k && rn_legal_word(legal, word[a], len[a]))
        a++;
    return a == k && spelled >= 2;
}

int rn_strip_suffixes(const struct wordlist *suffixes, char *key)
{
    int stripped = 0;
    for (;;) {
        char *sp = strrchr(key, ' ');
        if (!sp || !wordlist_has(suffixes, sp + 1, strlen(sp + 1)))
            return stripped;
        *sp = '\0';
        stripped++;
        sp = strrchr(key, ' '); /* "Smith Barney and Co" -> "smith barney" */
        if (sp && (strcmp(sp + 1, "and") == 0 || strcmp(sp + 1, "&") == 0))
            *sp = '\0';
    }
}

bool rn_is_short_of(const char *form_key, const char *long_key)
{
    const char *l = long_key;
    for (const char *f = form_key; *f;) {
        size_t n = strcspn(f, " ");
        bool found = false;
        while (*l && !found) {
            size_t m = strcspn(l, " ");
            found = m >= n && strncmp(l, f, n) == 0;
            l += m;
            while (*l == ' ')
                l++;
        }
        if (!found)
            return false;
        f += n;
        while (*f == ' ')
            f++;
    }
    return true;
}

/* "FRance", "COmmission": two capitals, then lower case. */
static bool rn_word_typo(const char *w, size_t n)
{
    return n >= 4 && rn_upper(w[0]) && rn_upper(w[1]) && rn_lower(w[2]) && rn_lower(w[3]);
}

int rn_quality(const char *s)
{
    size_t upper = 0, lower = 0, letters_in_word = 0, longest = 0;
    bool dotted = false;
    for (const char *p = s;; p++) {
        if (*p == ' ' || *p == '\0') {
            size_t n = letters_in_word;
            if (rn_word_typo(p - n, n))
                return 0;
            longest = n > longest ? n : longest;
            letters_in_word = 0;
            if (!*p)
                break;
            continue;
        }
        letters_in_word++;
        upper += rn_upper(*p);
        lower += rn_lower(*p);
        dotted |= *p == '.';
    }
    if (lower || upper < 2)
        return 2;
    /* ALL CAPS: one short token is an acronym ("OPEC", "U.S."), anything longer is shouting */
    return !strchr(s, ' ') && (longest <= 5 || dotted) ? 2 : 1;
}

char *rn_recase(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, s, n + 1);
    for (char *w = out; *w;) {
        char *e = w;
        while (*e && *e != ' ')
            e++;
        size_t len = (size_t)(e - w);
        bool caps = true, typo = rn_word_typo(w, len);
        for (char *p = w; p < e; p++)
            caps &= !rn_lower(*p);
        if ((caps && len > 1 && !memchr(w, '.', len)) || typo) {
            bool small = w != out && rn_function_word(w, len);
            for (char *p = w; p < e; p++)
                if (rn_upper(*p) && (p > w || small))
                    *p = (char)(*p + 32);
        }
        w = *e ? e + 1 : e;
    }
    return out;
}

size_t rn_words(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        n += *s == ' ';
    return n;
}
