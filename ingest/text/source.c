/*
 * source.c — a tiny template matcher for publisher lines. Templates are literal words
 * (case-insensitive, any run of white space matches any run), `*` (any text, shortest first),
 * `{YEAR}` (four digits) and `{SOURCE}` (a name: starts with a letter; ends at the next literal
 * of the template, or at '.', '(', ':', ',', '|' or the end of the line).
 */
#include "ingest/text/source.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct capture {
    const char *start;
    size_t len;
};

static bool match_here(const char *t, const char *s, const char *end, struct capture *cap);

static const char *skip_ws(const char *s, const char *end)
{
    while (s < end && isspace((unsigned char)*s))
        s++;
    return s;
}

static bool match_year(const char *t, const char *s, const char *end, struct capture *cap)
{
    for (int i = 0; i < 4; i++)
        if (s + i >= end || !isdigit((unsigned char)s[i]))
            return false;
    if (s + 4 < end && isdigit((unsigned char)s[4]))
        return false;
    return match_here(t + 6, s + 4, end, cap);
}

static bool source_stop(char c)
{
    return c == '.' || c == '(' || c == ':' || c == ',' || c == '|' || c == ';';
}

static bool match_source(const char *t, const char *s, const char *end, struct capture *cap)
{
    if (s >= end || !isalpha((unsigned char)*s))
        return false;
    const char *rest = t + 8;
    const char *e = s;
    if (*rest == '\0') {
        /* Last element: the name runs to a stop character or the end of the line. */
        while (e < end && !source_stop(*e))
            e++;
        cap->start = s;
        cap->len = (size_t)(e - s);
        return true;
    }
    for (e = s + 1; e <= end; e++) {
        if (e < end && source_stop(*e) && *rest != *e)
            return false;
        if (match_here(rest, e, end, cap)) {
            cap->start = s;
            cap->len = (size_t)(e - s);
            return true;
        }
    }
    return false;
}

static bool match_here(const char *t, const char *s, const char *end, struct capture *cap)
{
    if (*t == '\0')
        return true;
    if (*t == ' ') /* any run of white space, or none ("©2024") */
        return match_here(t + 1, skip_ws(s, end), end, cap);
    if (*t == '*') {
        for (const char *p = s; p <= end; p++)
            if (match_here(t + 1, p, end, cap))
                return true;
        return false;
    }
    if (strncmp(t, "{YEAR}", 6) == 0)
        return match_year(t, s, end, cap);
    if (strncmp(t, "{SOURCE}", 8) == 0)
        return match_source(t, s, end, cap);
    if (s >= end || tolower((unsigned char)*t) != tolower((unsigned char)*s))
        return false;
    return match_here(t + 1, s + 1, end, cap);
}

/* Trims white space, a leading "The", trailing punctuation; rejects names that are no names. */
static char *clean_name(const char *s, size_t len)
{
    const char *e = s + len;
    s = skip_ws(s, e);
    if (e - s > 4 && strncasecmp(s, "the ", 4) == 0)
        s = skip_ws(s + 4, e);
    while (e > s && (isspace((unsigned char)e[-1]) || ispunct((unsigned char)e[-1])))
        e--;
    size_t n = (size_t)(e - s), words = 1;
    if (n < 2 || n > 80 || !isupper((unsigned char)*s))
        return NULL;
    for (const char *p = s; p < e; p++)
        words += *p == ' ';
    if (words > 8)
        return NULL;
    return strndup(s, n);
}

char *source_match_line(const struct wordlist *patterns, const char *line, size_t len, size_t *rank)
{
    if (len > 1000) /* publisher lines are short; bounds the backtracking of '*' */
        return NULL;
    const char *end = line + len;
    line = skip_ws(line, end);
    for (size_t i = 0; i < wordlist_count(patterns); i++) {
        struct capture cap = {0};
        const char *t = wordlist_at(patterns, i);
        if (!match_here(t, line, end, &cap) || !cap.start)
            continue;
        char *name = clean_name(cap.start, cap.len);
        if (name) {
            if (rank)
                *rank = i;
            return name;
        }
    }
    return NULL;
}

int source_copyright_year(const char *line, size_t len)
{
    const char *end = line + len;
    for (const char *p = line; p < end; p++) {
        /* Cheap first-byte test before the comparisons: this runs on every line of every page. */
        if (*p != 'c' && *p != 'C' && *p != '\xC2')
            continue;
        bool mark = (end - p >= 9 && strncasecmp(p, "copyright", 9) == 0) ||
                    (end - p >= 2 && memcmp(p, "\xC2\xA9", 2) == 0);
        if (!mark)
            continue;
        for (const char *q = p; q + 4 <= end && q < p + 40; q++) {
            if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) &&
                isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]) &&
                (q + 4 == end || !isdigit((unsigned char)q[4])) &&
                (q == line || !isdigit((unsigned char)q[-1]))) {
                int y = atoi(q);
                if (y >= 1900 && y <= 2100)
                    return y;
            }
        }
    }
    return 0;
}
