/*
 * lines.c — reflow, line splitting and line shapes. Everything here is linear in the line.
 */
#include "ingest/text/lines.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>

#include "base/utf8.h"
#include "base/grow.h"

/* Wire stories are hard-wrapped at ~70 columns; web pages put a paragraph on one line. A text
 * is hard-wrapped when no line is longer than 100 bytes and most lines are of wire length, or a
 * line runs on into the next one (which starts in lowercase: the sentence continues), or
 * paragraphs start indented under the line before (the wire layout). */
bool lines_hard_wrapped(const char *s, size_t len)
{
    size_t lines = 0, wire = 0, longest = 0, start = 0, runs_on = 0, indented = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\n')
            continue;
        size_t n = i - start;
        if (n > 0) {
            lines++;
            wire += n >= 40 && n <= 90;
            if (n > longest)
                longest = n;
            runs_on += i + 1 < len && islower((unsigned char)s[i + 1]) &&
                       !lines_ends_like_sentence(s + start, n);
            /* a paragraph that starts indented right under the previous line (wire style) */
            indented += i + 3 < len && s[i + 1] == ' ' && s[i + 2] == ' ' &&
                        isalpha((unsigned char)s[i + 3]);
        }
        start = i + 1;
    }
    return lines >= 2 && longest <= 100 && (wire * 2 > lines || runs_on > 0 || indented > 0);
}

void lines_reflow(const char *s, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\n') {
            out[i] = s[i];
            continue;
        }
        bool next_blank = i + 1 >= len || s[i + 1] == '\n';
        bool next_indent = i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t');
        bool prev_blank = i == 0 || s[i - 1] == '\n';
        out[i] = (next_blank || next_indent || prev_blank) ? '\n' : ' ';
    }
    out[len] = '\0';
}

struct line *lines_split(const char *s, size_t len, size_t *n_out)
{
    size_t cap = 16, n = 0, start = 0;
    struct line *lines = malloc(cap * sizeof *lines);
    if (!lines)
        return NULL;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\n')
            continue;
        const char *a = s + start, *b = s + i;
        while (a < b && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        if (BASE_GROW(lines, cap, n, 16) < 0) {
            free(lines);
            return NULL;
        }
        size_t l = (size_t)(b - a);
        lines[n++] = (struct line){a, l, lines_count_letter_words(a, l)};
        start = i + 1;
    }
    *n_out = n;
    return lines;
}

size_t lines_count_letter_words(const char *s, size_t len)
{
    size_t words = 0;
    bool in_word = false;
    for (size_t i = 0; i < len; i++) {
        bool letter = isalnum((unsigned char)s[i]) || ((unsigned char)s[i] >= 0x80);
        if (letter && !in_word)
            words++;
        in_word = letter || (in_word && (s[i] == '\'' || s[i] == '-'));
    }
    return words;
}

bool lines_has_letter(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (cp < 0x80 ? isalpha((int)cp) != 0 : uc_is_alpha(cp))
            return true;
        i += n ? n : 1;
    }
    return false;
}

bool lines_ends_like_sentence(const char *s, size_t len)
{
    while (len > 0) {
        unsigned char c = (unsigned char)s[len - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']' || c == ' ') {
            len--;
        } else if (len >= 3 && (memcmp(s + len - 3, "\xE2\x80\x9D", 3) == 0 ||
                                memcmp(s + len - 3, "\xE2\x80\x99", 3) == 0)) {
            len -= 3;
        } else {
            break;
        }
    }
    if (len == 0)
        return false;
    char c = s[len - 1];
    return c == '.' || c == '!' || c == '?' ||
           (len >= 3 && memcmp(s + len - 3, "\xE2\x80\xA6", 3) == 0);
}

bool lines_sentence_case_headline(const char *s, size_t len)
{
    if (len == 0 || !isupper((unsigned char)s[0]) || lines_ends_like_sentence(s, len))
        return false;
    char last = s[len - 1];
    if (last == ':' || last == ',' || last == ';')
        return false;
    size_t lower = 0, later = 0;
    bool word_start = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            return false;
        if (c == ' ') {
            word_start = true;
            continue;
        }
        if (word_start && isalpha(c)) {
            later++;
            lower += islower(c) != 0;
        }
        if (isalpha(c) || c >= 0x80)
            word_start = false;
    }
    return later >= 4 && lower * 3 >= later * 2;
}

static enum script script_of(uint32_t cp)
{
    if (cp < 0x250)
        return SCRIPT_LATIN;
    if (cp >= 0x1E00 && cp <= 0x1EFF)
        return SCRIPT_LATIN;
    if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
        (cp >= 0x3130 && cp <= 0x318F))
        return SCRIPT_HANGUL;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
        return SCRIPT_HAN;
    if (cp >= 0x3040 && cp <= 0x30FF)
        return SCRIPT_KANA;
    if (cp >= 0x400 && cp <= 0x52F)
        return SCRIPT_CYRILLIC;
    if (cp >= 0x370 && cp <= 0x3FF)
        return SCRIPT_GREEK;
    if (cp >= 0x600 && cp <= 0x6FF)
        return SCRIPT_ARABIC;
    if (cp >= 0x590 && cp <= 0x5FF)
        return SCRIPT_HEBREW;
    return SCRIPT_OTHER;
}

enum script lines_script(const char *s, size_t len)
{
    size_t count[SCRIPT_COUNT] = {0};
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
        i += n ? n : 1;
        if (cp < 0x80 ? isalpha((int)cp) != 0 : uc_is_alpha(cp))
            count[script_of(cp)]++;
    }
    enum script best = SCRIPT_NONE;
    for (int k = SCRIPT_LATIN; k < SCRIPT_COUNT; k++)
        if (count[k] > count[best])
            best = (enum script)k;
    return best;
}
