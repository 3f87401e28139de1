/*
 * dateline.c — datelines and bylines, read with a small hand-written scanner: a dateline is a
 * place in capitals (or a capitalised place followed by a date or an agency in brackets), an
 * optional date, and a dash that opens the story; or, on a line of its own, a place and an ISO
 * date (the CoNLL/wire style).
 */
#include "ingest/text/dateline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/wordlist.h"

struct month_name {
    char name[16];
    int month;
};

struct dateline_rules {
    struct month_name *months;
    size_t n_months;
    struct wordlist *particles; /* "von", "de": lowercase words inside a name */
    struct wordlist *cities;    /* known places, for a dateline that gives no date */
    struct wordlist *capitals;  /* "City=Country" */
};

struct dateline_rules *dateline_rules_open(const char *data_dir, char **err)
{
    struct wordlist *w = wordlist_load(data_dir, "timex_months.txt", true, err);
    struct dateline_rules *r = w ? calloc(1, sizeof *r) : NULL;
    if (r)
        r->months = calloc(wordlist_count(w) + 1, sizeof *r->months);
    if (!r || !r->months) {
        wordlist_free(w);
        dateline_rules_close(r);
        return NULL;
    }
    for (size_t i = 0; i < wordlist_count(w); i++) {
        struct month_name m;
        if (sscanf(wordlist_at(w, i), "%15s %d", m.name, &m.month) == 2 && m.month >= 1 &&
            m.month <= 12)
            r->months[r->n_months++] = m;
    }
    wordlist_free(w);
    if (!(r->particles = wordlist_load(data_dir, "ner_name_particles.txt", true, err)) ||
        !(r->cities = wordlist_load(data_dir, "ner_cities.txt", true, err)) ||
        !(r->capitals = wordlist_load(data_dir, "ner_capitals.txt", true, err))) {
        dateline_rules_close(r);
        return NULL;
    }
    return r;
}

void dateline_rules_close(struct dateline_rules *r)
{
    if (!r)
        return;
    free(r->months);
    wordlist_free(r->particles);
    wordlist_free(r->cities);
    wordlist_free(r->capitals);
    free(r);
}

/* The month a word names ("March", "Mar.", "MAR"), or 0. *n: the word's length. */
static int month_at(const struct dateline_rules *r, const char *s, const char *end, size_t *n)
{
    size_t k = 0;
    while (s + k < end && isalpha((unsigned char)s[k]))
        k++;
    if (k == 0 || k > 15)
        return 0;
    for (size_t i = 0; i < r->n_months; i++)
        if (strlen(r->months[i].name) == k && strncasecmp(r->months[i].name, s, k) == 0) {
            *n = k + (s + k < end && s[k] == '.');
            return r->months[i].month;
        }
    return 0;
}

static const char *skip_spaces(const char *s, const char *end)
{
    while (s < end && *s == ' ')
        s++;
    return s;
}

static int read_number(const char *s, const char *end, size_t max_digits, size_t *n)
{
    size_t k = 0;
    int v = 0;
    while (s + k < end && isdigit((unsigned char)s[k]) && k < max_digits + 1)
        v = v * 10 + (s[k++] - '0');
    *n = k;
    return k >= 1 && k <= max_digits ? v : -1;
}

/* A date after the place: "March 3", "Mar. 3, 1987", "3 March", "1996-12-05". Returns the
 * end, or NULL. */
static const char *read_date(const struct dateline_rules *r, const char *s, const char *end,
                             struct dateline *d)
{
    size_t n;
    if (end - s >= 10 && isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-') {
        int y = atoi(s), m = atoi(s + 5), day = atoi(s + 8);
        if (y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && day >= 1 && day <= 31 &&
            (end - s == 10 || !isdigit((unsigned char)s[10]))) {
            d->year = y, d->month = m, d->day = day;
            return s + 10;
        }
        return NULL;
    }
    int m = month_at(r, s, end, &n), day;
    if (m) {
        const char *p = skip_spaces(s + n, end);
        if ((day = read_number(p, end, 2, &n)) < 1 || day > 31)
            return NULL;
        d->month = m, d->day = day;
        p += n;
        const char *q = p < end && *p == ',' ? skip_spaces(p + 1, end) : NULL;
        int y;
        if (q && (y = read_number(q, end, 4, &n)) >= 1800 && n == 4) {
            d->year = y;
            return q + n;
        }
        return p;
    }
    if ((day = read_number(s, end, 2, &n)) >= 1 && day <= 31) {
        const char *p = skip_spaces(s + n, end);
        if ((m = month_at(r, p, end, &n))) {
            d->month = m, d->day = day;
            return p + n;
        }
    }
    return NULL;
}

/* A dash opening the story: " - ", " -- ", " – ", " — ". Returns what follows, or NULL. */
static const char *read_dash(const char *s, const char *end)
{
    s = skip_spaces(s, end);
    if (s < end && *s == '-')
        s += (s + 1 < end && s[1] == '-') ? 2 : 1;
    else if (end - s >= 3 && (!memcmp(s, "\xE2\x80\x93", 3) || !memcmp(s, "\xE2\x80\x94", 3)))
        s += 3;
    else
        return NULL;
    return s < end && *s != ' ' ? NULL : s;
}

/* "(Reuters)" or "(AP)". Returns its end or NULL. */
static const char *read_agency(const char *s, const char *end)
{
    s = skip_spaces(s, end);
    if (s >= end || *s != '(' || s + 1 >= end || !isupper((unsigned char)s[1]))
        return NULL;
    const char *c = memchr(s, ')', (size_t)(end - s));
    return c && c - s <= 40 ? c + 1 : NULL;
}

/* Up to four place words: all capitals ("NEW YORK", "ST. LOUIS"), or capitalised when caps is
 * false. Returns the end of the place or NULL. */
static const char *read_place(const char *s, const char *end, bool caps)
{
    const char *p = s, *last = NULL;
    for (int words = 0; words < 4 && p < end && isupper((unsigned char)*p); words++) {
        const char *w = p;
        while (p < end && (isalpha((unsigned char)*p) || *p == '.' || *p == '-' || *p == '\'')) {
            if (caps && islower((unsigned char)*p))
                return last;
            p++;
        }
        if (p - w < 2 && !(p < end && *p == '.'))
            return last;
        last = p;
        if (p + 1 < end && *p == ' ' && isupper((unsigned char)p[1]))
            p++;
        else
            break;
    }
    return last;
}

static void normalise_place(const char *s, size_t len, char *out, size_t size)
{
    size_t o = 0;
    bool start = true, dotted = memchr(s, '.', len) && len <= 6; /* "U.S.", "D.C." */
    for (size_t i = 0; i < len && o + 1 < size; i++) {
        char c = s[i];
        out[o++] = dotted || start ? c : (char)tolower((unsigned char)c);
        start = c == ' ' || c == '-' || c == '\'';
    }
    out[o] = '\0';
}

/* A place the lists know (a city, or a capital of "City=Country"). */
static bool known_place(const struct dateline_rules *r, const char *s, size_t len)
{
    if (wordlist_has(r->cities, s, len))
        return true;
    for (size_t i = 0; i < wordlist_count(r->capitals); i++) {
        const char *e = wordlist_at(r->capitals, i), *eq = strchr(e, '=');
        if (eq && (size_t)(eq - e) == len && strncasecmp(e, s, len) == 0)
            return true;
    }
    return false;
}

/* After the dash of a dateline without a date, the story begins: a capitalised word in lower
 * case ("HONG KONG — In a bid …"), not more capitals ("SOCCER - JAPAN GET LUCKY WIN"). */
static bool sentence_follows(const char *s, const char *end)
{
    s = skip_spaces(s, end);
    return end - s >= 2 && isupper((unsigned char)s[0]) && islower((unsigned char)s[1]);
}

/* Tries a dateline at s (the start of a paragraph). */
static bool dateline_at(const struct dateline_rules *r, const char *text, const char *s,
                        const char *end, struct dateline *d)
{
    for (int caps = 1; caps >= 0; caps--) {
        memset(d, 0, sizeof *d);
        const char *place_end = read_place(s, end, caps), *p, *q;
        if (!place_end)
            continue;
        p = place_end;
        if (p < end && *p == ',') { /* "SPRINGFIELD, Ill., March 3 -" */
            q = skip_spaces(p + 1, end);
            const char *region = read_place(q, end, false);
            if (region && region < end && *region == ',' && !read_date(r, q, end, d))
                p = region;
        }
        const char *after = p < end && *p == ',' ? skip_spaces(p + 1, end) : skip_spaces(p, end);
        const char *date_end = read_date(r, after, end, d);
        const char *agency_end = read_agency(date_end ? date_end : p, end);
        const char *dash = read_dash(agency_end ? agency_end : date_end ? date_end : p, end);
        bool own_line = date_end && (date_end == end || *date_end == '\n') && d->year;
        if (!dash && !own_line)
            continue;
        /* A place in title case must be a known one ("Lisbon (Reuters) -", not "Gould Inc
         * (GLD) -"); without a date or an agency, only a known place opening a sentence is a
         * dateline: "HONG KONG — In a bid …", not "RTRS - Toyota workers …". */
        bool known = known_place(r, s, (size_t)(place_end - s));
        if ((!caps && !known) ||
            (!date_end && !agency_end && (!sentence_follows(dash, end) || !known)))
            continue;
        d->start = (size_t)(s - text);
        d->end = (size_t)((dash ? dash : date_end) - text);
        d->place_start = (size_t)(s - text);
        d->place_end = (size_t)(place_end - text);
        normalise_place(s, (size_t)(place_end - s), d->place, sizeof d->place);
        return true;
    }
    return false;
}

bool dateline_find(const struct dateline_rules *r, const char *text, size_t len,
                   struct dateline *out)
{
    const char *s = text, *end = text + len;
    for (int para = 0; para < 3 && s < end; para++) {
        const char *e = memmem(s, (size_t)(end - s), "\n\n", 2);
        const char *para_end = e ? e : end;
        if (dateline_at(r, text, s, para_end, out))
            return true;
        if (!e)
            break;
        s = e + 2;
    }
    return false;
}

/* One author's name: two to four capitalised words or initials ("Anna Roe", "J. R. Smith",
 * "Mary-Jo O'Neil"), lowercase particles between them ("Ursula von der Leyen"). Returns its end
 * or NULL. */
static const char *read_name(const struct dateline_rules *r, const char *s, const char *end)
{
    const char *p = s, *last = NULL;
    int words = 0;
    while (p < end && words < 6) {
        const char *w = p;
        bool particle = islower((unsigned char)*p);
        while (p < end && (isalpha((unsigned char)*p) || *p == '.' || *p == '-' || *p == '\'' ||
                           (unsigned char)*p >= 0x80))
            p++;
        if (p == w || (particle && (words == 0 || !wordlist_has(r->particles, w, (size_t)(p - w)))))
            break;
        words++;
        if (!particle)
            last = p;
        if (p + 1 < end && *p == ' ' && isalpha((unsigned char)p[1]))
            p++;
        else
            break;
    }
    return words >= 2 && last ? last : NULL;
}

static int push_author(char ***authors, size_t *n, const char *s, size_t len)
{
    char **na = realloc(*authors, (*n + 1) * sizeof *na);
    if (!na)
        return -1;
    *authors = na;
    if (!(na[*n] = strndup(s, len)))
        return -1;
    (*n)++;
    return 0;
}

/* "By Anna Roe", "By Anna Roe and Ben Lee", "By Anna Roe, Ben Lee and Cy Dee, Reuters". */
static int byline_at(const struct dateline_rules *r, const char *s, const char *end,
                     char ***authors, size_t *n)
{
    if (end - s < 6 || strncasecmp(s, "by ", 3) != 0 || end - s > 160)
        return 0;
    const char *p = s + 3, *e;
    while ((e = read_name(r, skip_spaces(p, end), end)) != NULL) {
        p = skip_spaces(p, end);
        if (push_author(authors, n, p, (size_t)(e - p)) < 0)
            return -1;
        p = skip_spaces(e, end);
        if (p < end && *p == ',')
            p = skip_spaces(p + 1, end);
        if (end - p > 4 && strncmp(p, "and ", 4) == 0)
            p += 4;
        else if (end - p > 2 && strncmp(p, "& ", 2) == 0)
            p += 2;
    }
    return 0;
}

int byline_authors(const struct dateline_rules *r, const char *text, size_t len, char ***authors,
                   size_t *n_authors)
{
    *authors = NULL;
    *n_authors = 0;
    const char *s = text, *end = text + len;
    for (int para = 0; para < 3 && s < end && *n_authors == 0; para++) {
        const char *e = memmem(s, (size_t)(end - s), "\n\n", 2);
        if (byline_at(r, s, e ? e : end, authors, n_authors) < 0)
            return -1;
        if (!e)
            break;
        s = e + 2;
    }
    return 0;
}

int text_likely_year(const char *text, size_t len)
{
    int counts[301] = {0}; /* 1900..2200 */
    for (size_t i = 0; i + 4 <= len; i++) {
        if ((text[i] != '1' && text[i] != '2') || (i > 0 && isalnum((unsigned char)text[i - 1])) ||
            (i + 4 < len && isalnum((unsigned char)text[i + 4])))
            continue;
        if (!isdigit((unsigned char)text[i + 1]) || !isdigit((unsigned char)text[i + 2]) ||
            !isdigit((unsigned char)text[i + 3]))
            continue;
        int y = atoi(text + i);
        if (y >= 1900 && y <= 2200)
            counts[y - 1900]++;
    }
    int best = -1;
    for (int k = 0; k <= 300; k++)
        if (counts[k] && (best < 0 || counts[k] >= counts[best]))
            best = k;
    return best < 0 ? 0 : 1900 + best;
}
