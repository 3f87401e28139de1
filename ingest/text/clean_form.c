/*
 * clean_form.c — the rules of the scraped-page cleaner (its data files) and the form of one
 * line: interface labels and navigation bars, promotion and legal lines, copyright, credits,
 * link-list headings, other scripts, lines without letters, publication labels, captions.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/text/clean_internal.h"
#include "ingest/text/source.h"

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
        !(r->ui = wordlist_load(data_dir, "boilerplate_ui.txt", true, err)))
        goto fail;
    r->n_promo = wordlist_count(r->promo);
    if (!(r->promo_low = calloc(r->n_promo + 1, sizeof *r->promo_low)))
        goto fail;
    for (size_t i = 0; i < r->n_promo; i++) {
        if (!(r->promo_low[i] = strdup(wordlist_at(r->promo, i))))
            goto fail;
        for (char *p = r->promo_low[i]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    }
    return r;
fail:
    clean_rules_close(r);
    return NULL;
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
    wordlist_free(r->ui);
    for (size_t i = 0; r->promo_low && i < r->n_promo; i++)
        free(r->promo_low[i]);
    free(r->promo_low);
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
    free(res->set_aside);
    for (size_t i = 0; i < res->n_captions; i++)
        free(res->captions[i]);
    free(res->captions);
    memset(res, 0, sizeof *res);
}

/* ---- the form of one line -------------------------------------------------------------- */

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

/* How many distinct promotion phrases the line holds (up to 2). A paragraph of news may say
 * "advertisement" or "newsletter" once; a promotion line stacks them ("Follow us on our WhatsApp
 * channel for breaking news alerts"). */
static int promo_hits(const struct clean_rules *r, const char *s, size_t len)
{
    char low[2048];
    if (len >= sizeof low)
        return 0;
    for (size_t k = 0; k < len; k++)
        low[k] = (char)tolower((unsigned char)s[k]);
    int hits = 0;
    for (size_t i = 0; i < r->n_promo && hits < 2; i++)
        hits += memmem(low, len, r->promo_low[i], strlen(r->promo_low[i])) != NULL;
    return hits;
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

static bool is_separator(unsigned char c)
{
    return c == '|' || c == '/' || c == '>';
}

/* A whole line that is an interface label ("Text Size", "Back to top »"), or a navigation bar:
 * three or more segments of at most three words separated by '|', '/' or '>' ("Home | World"). */
static bool is_interface(const struct clean_rules *r, const char *s, size_t len)
{
    if (len > 120)
        return false;
    const char *a = s, *b = s + len;
    while (a < b && !isalnum((unsigned char)*a) && (unsigned char)*a < 0x80)
        a++;
    while (b > a && !isalnum((unsigned char)b[-1]) && (unsigned char)b[-1] < 0x80)
        b--;
    if (b > a && wordlist_has(r->ui, a, (size_t)(b - a)))
        return true;
    size_t segments = 1, words = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ' && i + 2 < len && is_separator((unsigned char)s[i + 1]) &&
            s[i + 2] == ' ') {
            if (words > 3 || words == 0)
                return false;
            segments++, words = 0, i += 2;
        } else if ((i == 0 || s[i - 1] == ' ') && s[i] != ' ') {
            words++;
        }
    }
    return segments >= 3 && words >= 1 && words <= 3;
}

/* A heading that opens a link list: a listed opener, at most three more words, no digits. */
static bool is_heading(const struct clean_rules *r, const struct line *l)
{
    size_t k;
    if (l->words > 6 || !starts_with_entry(r->headings, l->s, l->len, &k))
        return false;
    for (size_t i = 0; i < l->len; i++)
        if (isdigit((unsigned char)l->s[i]))
            return false;
    return lines_count_letter_words(l->s + k, l->len - k) <= 3;
}

static bool has_alnum(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
            return true;
    return false;
}

void clean_classify(const struct clean_rules *r, struct cline *c, enum script page_script)
{
    const struct line *l = &c->l;
    c->reason = KEPT;
    if (l->len == 0) {
        c->kind = LINE_BLANK;
        return;
    }
    bool prose = (l->words >= 4 && lines_ends_like_sentence(l->s, l->len)) ||
                 (l->words >= 8 && l->s[l->len - 1] == ':');
    c->kind = prose ? LINE_PROSE : LINE_SHORT;
    enum script sc = lines_script(l->s, l->len);
    if (!has_alnum(l->s, l->len))
        c->reason = ASIDE_NO_TEXT;
    else if (sc != SCRIPT_NONE && page_script != SCRIPT_NONE && sc != page_script)
        c->reason = ASIDE_OTHER_SCRIPT;
    else if (source_copyright_year(l->s, l->len) || (l->len >= 2 && !memcmp(l->s, "\xC2\xA9", 2)))
        c->reason = ASIDE_COPYRIGHT;
    else if (is_credit(r, l->s, l->len))
        c->reason = ASIDE_CREDIT;
    else if (promo_hits(r, l->s, l->len) >= (l->words > 4 ? 2 : 1))
        c->reason = ASIDE_PROMOTION;
    else if (!prose && is_interface(r, l->s, l->len))
        c->reason = ASIDE_NAVIGATION;
    else if (!prose && is_heading(r, l))
        c->reason = ASIDE_LINK_LIST, c->heading = true;
}

/* "Published: Nov 28, 2024 11:38 PM" -> "Nov 28, 2024 11:38 PM" */
char *clean_published_value(const struct clean_rules *r, const struct line *l)
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

/* A photo caption ends with a bare credit after its last sentence: "… in Gyeongju, Oct. 31.
 * Yonhap". The sentence has several words and does not end in an initial ("the U.S. Army" is
 * no caption); the credit is one to three capitalised words of letters. */
bool clean_ends_with_credit(const char *s, size_t len)
{
    size_t i = len;
    while (i > 1 && !(s[i - 1] == ' ' && s[i - 2] == '.'))
        i--;
    if (i <= 1)
        return false;
    size_t dot = i - 2, w = dot;
    while (w > 0 && s[w - 1] != ' ')
        w--;
    if ((dot - w < 2 && !isdigit((unsigned char)s[w])) || memchr(s + w, '.', dot - w) ||
        lines_count_letter_words(s, dot) < 6)
        return false; /* an initial or "U.S." */
    bool lower = false;
    for (size_t k = 0; k < dot && !lower; k++)
        lower = islower((unsigned char)s[k]) != 0;
    if (!lower)
        return false; /* a caption is a sentence, not a headline in capitals */
    const char *t = s + i, *end = s + len;
    if (t >= end || !isupper((unsigned char)*t) || lines_ends_like_sentence(t, (size_t)(end - t)))
        return false;
    for (const char *p = t; p < end; p++) {
        if (!isalpha((unsigned char)*p) && *p != ' ' && *p != '/' && *p != '-' &&
            (unsigned char)*p < 0x80)
            return false;
        if (p > t && p[-1] == ' ' && !isupper((unsigned char)*p))
            return false; /* every word of a credit is a name */
    }
    size_t words = lines_count_letter_words(t, (size_t)(end - t));
    return words >= 1 && words <= 3;
}

/* The publisher the page names (the best-ranked template over all lines), or NULL; *at: the
 * line it was found on. */
char *clean_find_source(const struct clean_rules *r, const struct line *lines, size_t n, size_t *at)
{
    size_t best_rank = SIZE_MAX;
    char *best = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t rank;
        char *name =
            lines[i].len ? source_match_line(r->sources, lines[i].s, lines[i].len, &rank) : NULL;
        if (name && rank < best_rank) {
            free(best);
            best = name;
            best_rank = rank;
            *at = i;
        } else {
            free(name);
        }
    }
    return best;
}
