/*
 * clean.c — boilerplate removal by line classification.
 *
 * A page is read as logical lines (a paragraph per line; hard-wrapped wire text is reflowed
 * first). Each line is classified: prose (ends like a sentence and has several words), short
 * (headlines, navigation, UI labels, link titles), or one of the boilerplate kinds recognised
 * from the data files. The article is the prose lines minus boilerplate; the title is the first
 * headline-shaped short line before the first prose line.
 */
#include "ingest/text/clean.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/text/source.h"
#include "base/utf8.h"
#include "base/wordlist.h"

struct clean_rules {
    struct wordlist *promo;     /* substrings of promotion/legal lines */
    struct wordlist *headings;  /* openers of link lists */
    struct wordlist *credits;   /* photo/illustration credit labels */
    struct wordlist *published; /* publication date labels */
    struct wordlist *sources;   /* publisher templates */
    /* promo, lowercased, with the first four bytes of each entry and a bit per hash of them
     * (see contains_promo) */
    char **promo_low;
    uint32_t *promo_head;
    size_t n_promo;
    bool promo_short; /* an entry shorter than four bytes: contains_promo is not usable */
    unsigned char promo_heads[65536 / 8];
};

static unsigned head_hash(uint32_t head)
{
    return (head * 2654435761u) >> 16;
}

static bool index_promo(struct clean_rules *r)
{
    r->n_promo = wordlist_count(r->promo);
    if (!(r->promo_low = calloc(r->n_promo + 1, sizeof *r->promo_low)) ||
        !(r->promo_head = calloc(r->n_promo + 1, sizeof *r->promo_head)))
        return false;
    for (size_t i = 0; i < r->n_promo; i++) {
        char *e = r->promo_low[i] = strdup(wordlist_at(r->promo, i));
        if (!e)
            return false;
        for (char *p = e; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (strlen(e) < 4) {
            r->promo_short = true;
            continue;
        }
        memcpy(&r->promo_head[i], e, 4);
        unsigned h = head_hash(r->promo_head[i]);
        r->promo_heads[h >> 3] |= (unsigned char)(1u << (h & 7));
    }
    return true;
}

enum line_kind { LINE_BLANK, LINE_PROSE, LINE_SHORT, LINE_DROP };

struct line {
    const char *s;
    size_t len;
    enum line_kind kind;
    size_t words;
    bool heading; /* opens a link list */
};

struct clean_rules *clean_rules_open(const char *data_dir, char **err)
{
    struct clean_rules *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    if (!(r->promo = wordlist_load(data_dir, "boilerplate_promo.txt", true, err)) ||
        !(r->headings = wordlist_load(data_dir, "boilerplate_headings.txt", true, err)) ||
        !(r->credits = wordlist_load(data_dir, "boilerplate_credits.txt", true, err)) ||
        !(r->published = wordlist_load(data_dir, "published_labels.txt", true, err)) ||
        !(r->sources = wordlist_load(data_dir, "source_patterns.txt", false, err)) ||
        !index_promo(r)) {
        clean_rules_close(r);
        return NULL;
    }
    return r;
}

void clean_rules_close(struct clean_rules *r)
{
    if (!r)
        return;
    wordlist_free(r->promo);
    wordlist_free(r->headings);
    wordlist_free(r->credits);
    wordlist_free(r->published);
    wordlist_free(r->sources);
    for (size_t i = 0; r->promo_low && i < r->n_promo; i++)
        free(r->promo_low[i]);
    free(r->promo_low);
    free(r->promo_head);
    free(r);
}

void clean_result_free(struct clean_result *res)
{
    free(res->title);
    free(res->text);
    free(res->paragraphs);
    free(res->published_raw);
    free(res->source);
    free(res->head);
    memset(res, 0, sizeof *res);
}

/* ---- reflow ---------------------------------------------------------------------------- */

/* Wire stories are hard-wrapped at ~70 columns with indented paragraph starts; web pages put a
 * paragraph on one line. A text is hard-wrapped when most of its lines are of wire length. */
static bool is_hard_wrapped(const char *s, size_t len)
{
    size_t lines = 0, wire = 0, longest = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\n')
            continue;
        size_t n = i - start;
        if (n > 0) {
            lines++;
            wire += n >= 40 && n <= 90;
            if (n > longest)
                longest = n;
        }
        start = i + 1;
    }
    return lines >= 3 && longest <= 100 && wire * 2 > lines;
}

/* Joins wrapped lines of one paragraph with a space; a blank or indented line starts a new
 * paragraph. Writes into out (len + 1 bytes); returns the new length. */
static size_t reflow(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\n') {
            out[o++] = s[i];
            continue;
        }
        bool next_blank = i + 1 >= len || s[i + 1] == '\n';
        bool next_indent = i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t');
        bool prev_blank = o == 0 || out[o - 1] == '\n';
        out[o++] = (next_blank || next_indent || prev_blank) ? '\n' : ' ';
    }
    out[o] = '\0';
    return o;
}

/* ---- classification -------------------------------------------------------------------- */

static bool has_prefix_ci(const char *s, size_t len, const char *p)
{
    size_t n = strlen(p);
    return len >= n && strncasecmp(s, p, n) == 0;
}

/* Is any entry of w a case-insensitive prefix of s that ends at a word boundary? */
static bool starts_with_entry(const struct wordlist *w, const char *s, size_t len, size_t *plen)
{
    for (size_t k = 1; k <= len && k <= 40; k++) {
        if (k < len && isalnum((unsigned char)s[k]))
            continue;
        if (wordlist_has(w, s, k)) {
            if (plen)
                *plen = k;
            return true;
        }
    }
    return false;
}

static bool contains_entry(const struct wordlist *w, const char *s, size_t len)
{
    /* The line and each entry lowercased once, then memmem (was strncasecmp at every offset for
     * every entry: half of all ingest time on wire text). */
    char low[2048], entry[256];
    bool fast = len < sizeof low;
    for (size_t k = 0; fast && k < len; k++)
        low[k] = (char)tolower((unsigned char)s[k]);
    for (size_t i = 0; i < wordlist_count(w); i++) {
        const char *e = wordlist_at(w, i);
        size_t n = strlen(e);
        if (fast && n < sizeof entry) {
            for (size_t k = 0; k < n; k++)
                entry[k] = (char)tolower((unsigned char)e[k]);
            if (memmem(low, len, entry, n))
                return true;
            continue;
        }
        for (size_t k = 0; k + n <= len; k++)
            if (strncasecmp(s + k, e, n) == 0)
                return true;
    }
    return false;
}

/* contains_entry(r->promo, …) in one pass over the lowercased line: entries are compared only
 * where the line's next four bytes (by a 16-bit hash) may start one of them. */
static bool contains_promo(const struct clean_rules *r, const char *s, size_t len)
{
    char low[2048];
    if (len >= sizeof low || r->promo_short)
        return contains_entry(r->promo, s, len);
    for (size_t k = 0; k < len; k++) /* ASCII folding, as strncasecmp does */
        low[k] = (char)(s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]);
    for (size_t k = 0; k + 4 <= len; k++) {
        uint32_t head;
        memcpy(&head, low + k, 4);
        unsigned h = head_hash(head);
        if (!(r->promo_heads[h >> 3] & (1u << (h & 7))))
            continue;
        for (size_t i = 0; i < r->n_promo; i++) {
            if (r->promo_head[i] != head)
                continue;
            size_t n = strlen(r->promo_low[i]);
            if (k + n <= len && memcmp(low + k, r->promo_low[i], n) == 0)
                return true;
        }
    }
    return false;
}

static size_t count_words(const char *s, size_t len)
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

static bool has_latin_letter(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isalpha((unsigned char)s[i]))
            return true;
    return false;
}

/* Does the line end like a sentence (after closing quotes and brackets)? */
static bool ends_like_sentence(const char *s, size_t len)
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

/* "Photo: …", "Illustration: Xia/GT", "Photo/Reuters". */
static bool is_credit(const struct clean_rules *r, const char *s, size_t len)
{
    size_t k;
    if (!starts_with_entry(r->credits, s, len, &k))
        return false;
    while (k < len && s[k] == ' ')
        k++;
    return k < len && (s[k] == ':' || s[k] == '/' || s[k] == '|');
}

static enum line_kind classify(const struct clean_rules *r, struct line *l)
{
    l->words = count_words(l->s, l->len);
    if (l->len == 0)
        return LINE_BLANK;
    if (!has_latin_letter(l->s, l->len) || source_copyright_year(l->s, l->len) ||
        has_prefix_ci(l->s, l->len, "\xC2\xA9") || is_credit(r, l->s, l->len) ||
        (l->len <= 2000 && contains_promo(r, l->s, l->len)))
        return LINE_DROP;
    /* A paragraph may end with ':' when it introduces a list or a quote; a short label may not. */
    bool prose = (l->words >= 4 && ends_like_sentence(l->s, l->len)) ||
                 (l->words >= 8 && l->s[l->len - 1] == ':');
    if (!prose && l->words <= 6 && starts_with_entry(r->headings, l->s, l->len, NULL))
        l->heading = true;
    return prose ? LINE_PROSE : LINE_SHORT;
}

/* "Published: Nov 28, 2024 11:38 PM" -> "Nov 28, 2024 11:38 PM" */
static char *published_value(const struct clean_rules *r, const struct line *l)
{
    size_t k;
    if (l->words > 10 || !starts_with_entry(r->published, l->s, l->len, &k))
        return NULL;
    while (k < l->len && (l->s[k] == ' ' || l->s[k] == ':'))
        k++;
    if (k >= l->len || !isalnum((unsigned char)l->s[k]))
        return NULL;
    return strndup(l->s + k, l->len - k);
}

/* A photo caption at the top of a page ends with a bare credit after its last sentence:
 * "… in Gyeongju, Oct. 31. Yonhap". */
static bool ends_with_credit(const char *s, size_t len)
{
    size_t i = len;
    while (i > 0 && s[i - 1] != '.')
        i--;
    if (i == 0 || i == len)
        return false;
    size_t words = count_words(s + i, len - i);
    const char *t = s + i;
    while (*t == ' ')
        t++;
    return words >= 1 && words <= 3 && isupper((unsigned char)*t) &&
           !ends_like_sentence(s + i, len - i);
}

/* ---- assembly -------------------------------------------------------------------------- */

static struct line *split_lines(const char *s, size_t len, size_t *n_out)
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
        if (n == cap) {
            cap *= 2;
            struct line *nl = realloc(lines, cap * sizeof *nl);
            if (!nl) {
                free(lines);
                return NULL;
            }
            lines = nl;
        }
        lines[n++] = (struct line){a, (size_t)(b - a), LINE_BLANK, 0, false};
        start = i + 1;
    }
    *n_out = n;
    return lines;
}

static bool same_line(const struct line *a, const struct line *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* Picks the headline: the first short line of headline shape before the first prose line. */
static ptrdiff_t find_title_line(const struct line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lines[i].kind == LINE_PROSE)
            return -1;
        if (lines[i].kind == LINE_SHORT && !lines[i].heading && lines[i].words >= 4 &&
            lines[i].words <= 25 && !ends_with_credit(lines[i].s, lines[i].len))
            return (ptrdiff_t)i;
    }
    return -1;
}

static void collect_metadata(const struct clean_rules *r, struct line *lines, size_t n,
                             struct clean_result *out)
{
    size_t best_rank = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        struct line *l = &lines[i];
        if (l->kind == LINE_BLANK)
            continue;
        if (!out->published_raw && (out->published_raw = published_value(r, l)))
            l->kind = LINE_DROP;
        if (!out->copyright_year)
            out->copyright_year = source_copyright_year(l->s, l->len);
        size_t rank;
        char *name = source_match_line(r->sources, l->s, l->len, &rank);
        if (name && rank < best_rank) {
            free(out->source);
            out->source = name;
            best_rank = rank;
            /* A byline naming the publisher ("The author is a reporter with …") is not text. */
            l->kind = LINE_DROP;
        } else {
            free(name);
        }
    }
}

/* Marks what is not article text: everything but prose, link lists after their heading, lines
 * repeating the title or an earlier line, and a caption at the top of the page. */
static void mark_boilerplate(struct line *lines, size_t n, ptrdiff_t title)
{
    bool in_link_list = false, seen_prose = false;
    for (size_t i = 0; i < n; i++) {
        struct line *l = &lines[i];
        if (l->heading) {
            in_link_list = true;
            l->kind = LINE_DROP;
            continue;
        }
        if (l->kind != LINE_PROSE)
            continue;
        if (in_link_list && l->words < 25) {
            l->kind = LINE_DROP;
            continue;
        }
        in_link_list = false;
        if (title >= 0 && l->len >= lines[title].len &&
            memcmp(l->s, lines[title].s, lines[title].len) == 0)
            l->kind = LINE_DROP;
        if (!seen_prose && ends_with_credit(l->s, l->len))
            l->kind = LINE_DROP;
        for (size_t j = 0; j < i && l->kind == LINE_PROSE; j++)
            if (lines[j].kind == LINE_PROSE && same_line(&lines[j], l))
                l->kind = LINE_DROP;
        seen_prose |= l->kind == LINE_PROSE;
    }
}

/* The short lines before the first prose line, joined by newlines. */
static char *collect_head(const struct line *lines, size_t n)
{
    size_t total = 1;
    for (size_t i = 0; i < n && lines[i].kind != LINE_PROSE; i++)
        total += lines[i].kind == LINE_SHORT ? lines[i].len + 1 : 0;
    char *head = malloc(total), *o = head;
    if (!head)
        return NULL;
    for (size_t i = 0; i < n && lines[i].kind != LINE_PROSE; i++) {
        if (lines[i].kind != LINE_SHORT)
            continue;
        memcpy(o, lines[i].s, lines[i].len);
        o += lines[i].len;
        *o++ = '\n';
    }
    *o = '\0';
    return head;
}

static int assemble(const struct line *lines, size_t n, size_t total, struct clean_result *out)
{
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        np += lines[i].kind == LINE_PROSE;
    out->text = malloc(total + 2 * n + 1);
    out->paragraphs = malloc((np ? np : 1) * sizeof *out->paragraphs);
    if (!out->text || !out->paragraphs)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].kind == LINE_PROSE) {
            if (o) {
                memcpy(out->text + o, "\n\n", 2);
                o += 2;
            }
            memcpy(out->text + o, lines[i].s, lines[i].len);
            out->paragraphs[out->n_paragraphs++] = (struct span){o, o + lines[i].len};
            o += lines[i].len;
        } else if (lines[i].kind != LINE_BLANK) {
            out->dropped_lines++;
        }
    }
    out->text[o] = '\0';
    out->text_len = o;
    return 0;
}

int clean_page(const struct clean_rules *r, const char *s, size_t len, bool find_title,
               struct clean_result *out)
{
    memset(out, 0, sizeof *out);
    char *buf = malloc(len + 1);
    if (!buf)
        return -1;
    if (is_hard_wrapped(s, len))
        len = reflow(s, len, buf);
    else
        memcpy(buf, s, len), buf[len] = '\0';
    size_t n;
    struct line *lines = split_lines(buf, len, &n);
    if (!lines) {
        free(buf);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        lines[i].kind = classify(r, &lines[i]);
    collect_metadata(r, lines, n, out);
    ptrdiff_t title = find_title ? find_title_line(lines, n) : -1;
    if (title >= 0 && !(out->title = strndup(lines[title].s, lines[title].len)))
        goto oom;
    if (!(out->head = collect_head(lines, n)))
        goto oom;
    mark_boilerplate(lines, n, title);
    if (assemble(lines, n, len, out) < 0)
        goto oom;
    free(lines);
    free(buf);
    return 0;
oom:
    free(lines);
    free(buf);
    clean_result_free(out);
    return -1;
}
