/*
 * sentences.c — rule-based sentence splitter.
 *
 * A sentence ends at '.', '!', '?' or '…' (plus any closing quotes/brackets) when white space and
 * then an uppercase letter, digit, opening quote/bracket or the end of the paragraph follow, and
 * — for '.' — the word before it is not an abbreviation (also in capitals: "ST."), an initial or
 * initials ("J.", "A.G."), or a multi-period acronym ("U.S.") followed by a lowercase word. An
 * abbreviation listed with its period ("Corp.") may end a sentence: it does before a capitalised
 * word that is no abbreviation itself. A blank line always ends a sentence, and a
 * sentence is never longer than SENTENCE_MAX_BYTES.
 */
#include "ingest/text/sentences.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/grow.h"

struct span_vec {
    struct span *items;
    size_t count, cap;
};

static int span_push(struct span_vec *v, size_t start, size_t end)
{
    if (BASE_GROW(v->items, v->cap, v->count, 32) < 0)
        return -1;
    v->items[v->count++] = (struct span){start, end};
    return 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

/* Closing quotes and brackets that stay with the sentence they end: " ' ) ] ” ’ » */
static size_t closer_len(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == '"' || s[0] == '\'' || s[0] == ')' || s[0] == ']'))
        return 1;
    if (len >= 3 && (memcmp(s, "\xE2\x80\x9D", 3) == 0 || memcmp(s, "\xE2\x80\x99", 3) == 0))
        return 3;
    if (len >= 2 && memcmp(s, "\xC2\xBB", 2) == 0)
        return 2;
    return 0;
}

/* Does the text at s look like the start of a new sentence? */
static bool starts_sentence(const char *s, size_t len)
{
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s, len, &cp);
    if (!n)
        return true;
    if (cp < 0x80)
        return (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '"' || cp == '\'' ||
               cp == '(' || cp == '[' || cp == '-';
    /* Opening quotes, dashes, bullets, and any non-ASCII letter that is not lowercase Latin. */
    if (cp == 0x201C || cp == 0x2018 || cp == 0x2014 || cp == 0x2013 || cp == 0xAB || cp == 0x25B2)
        return true;
    return !(cp >= 0xDF && cp <= 0xFF);
}

/* The word before the '.' at text[dot]: from the previous space or opening bracket/quote. */
static size_t word_before(const char *text, size_t dot)
{
    size_t b = dot;
    while (b > 0 && !is_space(text[b - 1]) && text[b - 1] != '(' && text[b - 1] != '"' &&
           text[b - 1] != '[')
        b--;
    return b;
}

/* The word w[0, n) with a period after it, as the abbreviations list is looked up ("Corp." for
 * "Corp"; for "CORP" of an all-caps headline too when fold_caps), in buf; NULL when too long. */
static const char *listed_form(const char *w, size_t n, bool fold_caps, char *buf, size_t size)
{
    if (n == 0 || n + 2 > size)
        return NULL;
    bool caps = fold_caps && n >= 2;
    for (size_t k = 0; caps && k < n; k++)
        caps = w[k] >= 'A' && w[k] <= 'Z';
    buf[0] = w[0];
    for (size_t k = 1; k < n; k++)
        buf[k] = caps ? (char)(w[k] - 'A' + 'a') : w[k];
    buf[n] = '.';
    buf[n + 1] = '\0';
    return buf;
}

/* Is the word at next (up to white space, without a final period) in the abbreviations list,
 * with or without that period? */
static bool next_is_abbreviation(const struct wordlist *abbr, const char *next, size_t next_len)
{
    size_t n = 0;
    while (n < next_len && !is_space(next[n]))
        n++;
    if (n && next[n - 1] == '.')
        n--;
    char buf[32]; /* entries are listed either way */
    const char *key = listed_form(next, n, false, buf, sizeof buf);
    return key && (wordlist_has(abbr, key, n) || wordlist_has(abbr, key, n + 1));
}

bool text_is_initials(const char *w, size_t n)
{
    if (n == 0 || n > 6)
        return false;
    for (size_t k = 0; k < n; k++)
        if (k % 2 ? w[k] != '.' : !(w[k] >= 'A' && w[k] <= 'Z'))
            return false;
    return true;
}

bool text_letter_pair_head(const char *x, size_t x_len, const char *j, size_t j_len)
{
    return x_len == 1 && x[0] >= 'A' && x[0] <= 'Z' &&
           ((j_len == 3 && memcmp(j, "and", 3) == 0) || (j_len == 1 && j[0] == '&'));
}

/* Whether the word starting at text[b] follows a capital letter and "and" or "&" ("S and P",
 * "S & P"): a firm's initials, not a person's. */
static bool ends_letter_pair(const char *text, size_t b)
{
    if (b < 4 || text[b - 1] != ' ')
        return false;
    size_t j = word_before(text, b - 1);
    if (j < 2 || text[j - 1] != ' ')
        return false;
    size_t x = word_before(text, j - 1);
    return text_letter_pair_head(text + x, j - 1 - x, text + j, b - 1 - j);
}

static bool period_is_abbreviation(const struct wordlist *abbr, const char *text, size_t dot,
                                   const char *next, size_t next_len)
{
    size_t b = word_before(text, dot);
    size_t wlen = dot - b;
    if (wlen == 0)
        return false;
    char buf[32];
    const char *w = text + b, *key = listed_form(w, wlen, true, buf, sizeof buf);
    if (key && wordlist_has(abbr, key, wlen)) /* a month or title never ends a sentence */
        return true;
    /* Listed with its period ("Corp."): it ends a sentence before a capitalised word unless
     * that word is an abbreviation too ("Acme Co. Ltd"). */
    if (key && wordlist_has(abbr, key, wlen + 1))
        return next_is_abbreviation(abbr, next, next_len);
    /* An initial ("J. Smith") or initials ("J.J. Kenny"), but not the second letter of a pair
     * ("rated AA by S and P. The issue"). */
    if (wlen == 1 ? text_is_initials(w, wlen) && !ends_letter_pair(text, b)
                  : text_is_initials(w, wlen))
        return true;
    /* Multi-period acronyms not in the list ("N.Y.C."): no break before a lowercase word. */
    if (memchr(w, '.', wlen) && next_len && next[0] >= 'a' && next[0] <= 'z')
        return true;
    return false;
}

/* If a sentence ends at the terminator at text[i], returns the end of that sentence (after
 * closers); otherwise 0. */
static size_t sentence_end_at(const struct wordlist *abbr, const char *text, size_t len, size_t i,
                              size_t term_len)
{
    size_t j = i + term_len;
    while (j < len && (text[j] == '.' || text[j] == '!' || text[j] == '?'))
        j++;
    size_t c;
    while (j < len && (c = closer_len(text + j, len - j)) > 0)
        j += c;
    size_t end = j;
    if (j < len && !is_space(text[j]))
        return 0;
    while (j < len && (text[j] == ' ' || text[j] == '\t'))
        j++;
    if (j >= len || text[j] == '\n')
        return end;
    if (!starts_sentence(text + j, len - j))
        return 0;
    if (text[i] == '.' && term_len == 1 && period_is_abbreviation(abbr, text, i, text + j, len - j))
        return 0;
    return end;
}

/* A sentence longer than this is cut at the last space before it (or at a character
 * boundary): text without punctuation — a 5 MB line, a table flattened into one line — still
 * reaches the extractors in pieces they can handle. */
#define SENTENCE_MAX_BYTES 1000

static int push_trimmed(struct span_vec *v, const char *text, size_t a, size_t b)
{
    while (a < b && is_space(text[a]))
        a++;
    while (b > a && is_space(text[b - 1]))
        b--;
    while (b - a > SENTENCE_MAX_BYTES) {
        size_t cut = a + SENTENCE_MAX_BYTES;
        while (cut > a + SENTENCE_MAX_BYTES / 2 && !is_space(text[cut]))
            cut--;
        if (!is_space(text[cut])) { /* one long word: cut between characters */
            cut = a + SENTENCE_MAX_BYTES;
            while (cut > a && ((unsigned char)text[cut] & 0xC0) == 0x80)
                cut--;
        }
        size_t e = cut;
        while (e > a && is_space(text[e - 1]))
            e--;
        if (span_push(v, a, e) < 0)
            return -1;
        a = cut;
        while (a < b && is_space(text[a]))
            a++;
    }
    return a < b ? span_push(v, a, b) : 0;
}

int sentences_split(const struct wordlist *abbreviations, const char *text, size_t len,
                    struct span **out, size_t *n_out)
{
    struct span_vec v = {0};
    size_t start = 0, i = 0;
    while (i < len) {
        size_t end = 0, step = 1;
        char c = text[i];
        if (c == '\n' && i + 1 < len && text[i + 1] == '\n') {
            end = i;
        } else if (c == '.' || c == '!' || c == '?') {
            end = sentence_end_at(abbreviations, text, len, i, 1);
        } else if (len - i >= 3 && memcmp(text + i, "\xE2\x80\xA6", 3) == 0) { /* … */
            end = sentence_end_at(abbreviations, text, len, i, 3);
            step = 3;
        }
        if (end) {
            if (push_trimmed(&v, text, start, end) < 0)
                goto oom;
            start = i = end > i ? end : i + 1;
            continue;
        }
        i += step;
    }
    if (push_trimmed(&v, text, start, len) < 0)
        goto oom;
    *out = v.items;
    *n_out = v.count;
    return 0;
oom:
    free(v.items);
    *out = NULL;
    *n_out = 0;
    return -1;
}
