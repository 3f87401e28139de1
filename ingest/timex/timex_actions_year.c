/*
 * timex_actions_year.c — is a bare four-digit number a year? ("in 1985" yes; "1600 GMT",
 * "2188 versus 2179", "Series 1900", "1700 lawsuits", "1600 Pennsylvania Avenue" no).
 *
 * The words around the number are weighed (timex_year_before.txt, timex_year_after.txt,
 * timex_year_links.txt): date evidence ("in", "fiscal", "since", a range with another year)
 * makes it a year whatever its distance from the publication date; words that count or name
 * things, clock and address words, figures around it, decimals make it none. Between the two,
 * a number is a year only when it lies near the publication date: no rule drops a year by its
 * value alone, but a year far away needs the stronger evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest/timex/timex_actions.h"

/* The window in which weak or no evidence suffices: publication year - 100 .. + 15. Without a
 * publication date, the years a news text is likely to be about. */
#define YEAR_PAST_WINDOW 100
#define YEAR_FUTURE_WINDOW 15
#define YEAR_UNDATED_FIRST 1900
#define YEAR_UNDATED_LAST 2099

/* EV_DATE: a date context ("until 1995", "mid-1987"); EV_STRONG: one that holds even far from
 * the publication date ("in 1881", "founded 1881", "fiscal 1987", "due 2017"). */
enum { EV_HARD_NO = -2, EV_NO = -1, EV_NONE = 0, EV_WEAK = 1, EV_DATE = 2, EV_STRONG = 3 };

static bool year_plausible(const struct timex_ctx *c, long y)
{
    if (c->dct.year < 0)
        return y >= YEAR_UNDATED_FIRST && y <= YEAR_UNDATED_LAST;
    return y >= c->dct.year - YEAR_PAST_WINDOW && y <= c->dct.year + YEAR_FUTURE_WINDOW;
}

/* The value of token k in the class of slot s, or 0 when it is not a member. */
static int tok_class_value(const struct timex_ctx *c, size_t k, enum timex_slot s, bool *member)
{
    int32_t iv;
    const char *sv;
    *member = k < c->n && timex_tok_value(c->lx, &c->toks[k], c->slots->cls[s], &iv, &sv);
    return *member ? iv : 0;
}

/* Do tokens a and b touch (no space between)? */
static bool touching(const struct timex_ctx *c, size_t a, size_t b)
{
    return c->toks[a].end == c->toks[b].start;
}

/* Part of a longer number: "1,987", "1987.5", "12.1987". */
static bool inside_number(const struct timex_ctx *c, size_t k)
{
    for (int side = -1; side <= 1; side += 2) {
        size_t p = k + (size_t)side, q = k + (size_t)(2 * side);
        if ((side < 0 && k < 2) || q >= c->n)
            continue;
        bool mark = timex_tok_punct(c, p, ',') || timex_tok_punct(c, p, '.');
        if (mark && c->toks[q].kind == TIMEX_TOK_NUM &&
            (side < 0 ? touching(c, q, p) && touching(c, p, k)
                      : touching(c, k, p) && touching(c, p, q)))
            return true;
    }
    return false;
}

/* Digits only, no leading zero: a figure (not "4th", "0415", "X25"). */
static bool plain_number(const struct timex_ctx *c, size_t k)
{
    const char *s = c->text + c->toks[k].start;
    size_t n = c->toks[k].end - c->toks[k].start;
    if (n == 0 || (s[0] == '0' && n > 1))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* A figure with thousands groups or decimals, one token ("1,004", "1003.50"). */
static bool is_figure(const struct timex_ctx *c, size_t k)
{
    bool figure;
    tok_class_value(c, k, TS_FIG, &figure);
    return figure;
}

/* Letters glued to the end of a number ("1920H", "2213L": a price with its high/low mark, a
 * code): no year is written so. Not the "T" of an ISO time ("1987-03-04T16:00"). */
static bool letters_glued(const struct timex_ctx *c, size_t k)
{
    if (k + 1 >= c->n || c->toks[k + 1].kind != TIMEX_TOK_WORD || !touching(c, k, k + 1))
        return false;
    const char *w = c->text + c->toks[k + 1].start;
    bool iso_t = (w[0] == 'T' || w[0] == 't') && k + 2 < c->n && touching(c, k + 1, k + 2) &&
                 c->toks[k + 2].kind == TIMEX_TOK_NUM;
    bool quarter; /* "1987Q1" */
    tok_class_value(c, k + 1, TS_QTOK, &quarter);
    return !iso_t && !quarter;
}

/* Is the token before k a figure that cannot be a year: a number with letters glued to it
 * ("1920L 1907"), a decimal or thousands ("146.25 2000", "60,296 1986")? A year beside one is
 * a column of the same table. */
static bool figure_before(const struct timex_ctx *c, size_t k)
{
    if (k < 2)
        return false;
    size_t p = k - 1;
    if (c->toks[p].kind == TIMEX_TOK_WORD && c->toks[p - 1].kind == TIMEX_TOK_NUM &&
        touching(c, p - 1, p) && c->toks[p].sent == c->toks[k].sent)
        return letters_glued(c, p - 1);
    return c->toks[p].kind == TIMEX_TOK_NUM && c->toks[p].sent == c->toks[k].sent &&
           (is_figure(c, p) || inside_number(c, p));
}

/* "during 1406 (September 1985-86)": a number glossed in parentheses by a date of another year
 * is a year of another calendar (Hijri, Persian, Buddhist …), not one of ours. A gloss within a
 * few years is a comparison ("1986 (1985)"), which says nothing. */
#define GLOSS_MIN_GAP 10
static bool glossed_other_calendar(const struct timex_ctx *c, size_t k, long y)
{
    if (!timex_tok_punct(c, k + 1, '('))
        return false;
    for (size_t q = k + 2; q < c->n && q <= k + 4; q++) {
        if (timex_tok_punct(c, q, ')'))
            break;
        if (c->toks[q].kind == TIMEX_TOK_NUM && c->toks[q].end - c->toks[q].start == 4 &&
            plain_number(c, q) && year_plausible(c, c->toks[q].num))
            return labs(c->toks[q].num - y) > GLOSS_MIN_GAP;
    }
    return false;
}

/* "(MMGU 1926)", "(NYFD 2044)": a capitalised code and a number alone in parentheses is a
 * reference (a wire page, a product code), not a date; "(in 1948)" has a lower-case word. */
static bool code_in_parens(const struct timex_ctx *c, size_t k)
{
    if (k < 2 || !timex_tok_punct(c, k - 2, '(') || !timex_tok_punct(c, k + 1, ')') ||
        c->toks[k - 1].kind != TIMEX_TOK_WORD)
        return false;
    const char *w = c->text + c->toks[k - 1].start;
    size_t n = c->toks[k - 1].end - c->toks[k - 1].start;
    bool pre, month;
    tok_class_value(c, k - 1, TS_YEARPRE, &pre);
    tok_class_value(c, k - 1, TS_MONTH, &month);
    if (pre || month || n < 2)
        return false;
    for (size_t i = 0; i < n; i++)
        if (w[i] < 'A' || w[i] > 'Z')
            return false;
    return true;
}

/* Is the number at token k followed by a time zone ("2130 GMT") — a clock time? */
static bool clock_follows(const struct timex_ctx *c, size_t k)
{
    bool tz, post;
    tok_class_value(c, k + 1, TS_TZ, &tz);
    int v = tok_class_value(c, k + 1, TS_YEARPOST, &post);
    return tz || (post && v == EV_HARD_NO);
}

/* Evidence from another number joined to the year ("1986/87", "1985-1987", "1986 vs 1985",
 * "2188 versus 2179", "2000 2129"). */
static int partner_evidence(const struct timex_ctx *c, size_t k, long y)
{
    int ev = EV_NONE;
    for (int side = -1; side <= 1; side += 2) {
        size_t p = k + (size_t)side; /* the link, or the number itself when adjacent */
        if ((side < 0 && k == 0) || p >= c->n)
            continue;
        bool link;
        tok_class_value(c, p, TS_YEARLINK, &link);
        size_t q = link ? p + (size_t)side : p;
        if ((side < 0 && link && p == 0) || q >= c->n || c->toks[q].kind != TIMEX_TOK_NUM ||
            c->toks[q].sent != c->toks[k].sent)
            continue;
        size_t qlen = c->toks[q].end - c->toks[q].start;
        long v = c->toks[q].num;
        if (!plain_number(c, q))
            continue; /* an ordinal or a code ("1986 4th qtr", "0415"), not a figure */
        if (link && qlen != 4 && !timex_tok_punct(c, p, '/') && !timex_tok_punct(c, p, '-'))
            continue; /* "deficit for 1988 to 108 billion": a figure after a word says nothing */
        if (qlen == 4 && clock_follows(c, q))
            return EV_HARD_NO; /* "2000 or 2100 EST" */
        if (qlen <= 2) {
            /* "1986/87", "1987-91": a later year of the same century; small numbers elsewhere
             * ("1986/87 1987/88") say nothing */
            bool dash = timex_tok_punct(c, p, '/') || timex_tok_punct(c, p, '-');
            if (side > 0 && dash && v > y % 100 && v - y % 100 <= 30 && year_plausible(c, y))
                ev = EV_STRONG;
            continue;
        }
        if (qlen == 4 && year_plausible(c, v) && year_plausible(c, y))
            ev = EV_STRONG; /* "1985-1987", "1986 vs 1985", "1986 1985" (table columns) */
        else
            return EV_NO; /* figures around it */
    }
    return ev;
}

/* The weight of the evidence around the year at token k. */
static int year_evidence(const struct timex_ctx *c, size_t k, long y)
{
    if (inside_number(c, k) || clock_follows(c, k) || letters_glued(c, k) ||
        glossed_other_calendar(c, k, y) || code_in_parens(c, k))
        return EV_HARD_NO;
    bool mem;
    int before = k > 0 ? tok_class_value(c, k - 1, TS_YEARPRE, &mem) : 0;
    /* "mid-1987", "early-1986" */
    if (k > 1 && timex_tok_punct(c, k - 1, '-') &&
        tok_class_value(c, k - 2, TS_YEARPRE, &mem) == EV_STRONG)
        before = EV_STRONG;
    int after = tok_class_value(c, k + 1, TS_YEARPOST, &mem);
    /* "1987's results", "the 1970's" */
    if (timex_tok_punct(c, k + 1, '\'') && k + 2 < c->n && touching(c, k, k + 1))
        after = after > EV_WEAK ? after : EV_WEAK;
    if (before == EV_HARD_NO || after == EV_HARD_NO)
        return EV_HARD_NO;
    int partner = figure_before(c, k) ? EV_NO : partner_evidence(c, k, y);
    if (partner == EV_HARD_NO)
        return EV_HARD_NO;
    if (before >= EV_DATE || partner == EV_STRONG)
        return before > partner ? before : partner;
    if (before == EV_NO || after == EV_NO || partner == EV_NO)
        return EV_NO;
    return before > after ? before : after;
}

bool timex_year_in_table(const struct timex_ctx *c, size_t k)
{
    if (k >= c->n || year_plausible(c, c->toks[k].num) || k + 1 >= c->n)
        return false;
    bool month, season;
    tok_class_value(c, k + 1, TS_MONTH, &month);
    tok_class_value(c, k + 1, TS_SEASON, &season);
    return month || season ||
           (c->toks[k + 1].kind == TIMEX_TOK_NUM &&
            (plain_number(c, k + 1) || is_figure(c, k + 1)) &&
            c->toks[k + 1].sent == c->toks[k].sent);
}

/* A bare year: "2017", "in 1985". */
bool timex_act_year(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                    struct timex_expr *out)
{
    (void)text;
    int cls = c->slots->cls[TS_YEAR];
    return cls >= 0 && m->caps.tok[cls] >= 0 && timex_year_at(c, (size_t)m->caps.tok[cls], out);
}

bool timex_year_at(const struct timex_ctx *c, size_t k, struct timex_expr *out)
{
    long y = c->toks[k].num;
    int ev = year_evidence(c, k, y);
    if (ev < EV_NONE || (ev < EV_STRONG && !year_plausible(c, y)))
        return false;
    struct timex_point p = {(int)y, -1, -1, 0, TIMEX_G_YEAR};
    timex_put(out, &p);
    return true;
}
