/*
 * timex_actions_range.c — ranges written as one expression: months ("June/July", "between March
 * and May") and years ("1986/87", "1985-1987"). The expression's value is the first point and
 * range_end the last, so a timeline can place the range from begin to end.
 */
#include <stdio.h>
#include <string.h>

#include "ingest/timex/timex_actions.h"

/* A range of years longer than this is more likely two unrelated numbers than a span. */
#define YEAR_RANGE_MAX 30

/* The first year of a split year glossed by a month range that wraps: "1986/87 (July-June)",
 * "the 1985/86 season (Oct/Sept)"; -1 when the range does not follow one. */
static int timex_split_year_gloss(const struct timex_ctx *c, const struct timex_match *m)
{
    size_t k = m->first;
    if (k < 4 || !timex_tok_punct(c, k - 1, '('))
        return -1;
    k--;
    if (c->toks[k - 1].kind == TIMEX_TOK_WORD && k >= 4)
        k--; /* "1985/86 season (Oct/Sept)" */
    int last = timex_year_pair_end(c, k - 3);
    return last >= 0 && last == c->toks[k - 3].num + 1 ? last - 1 : -1;
}

/* "June/July", "between March and May 1988": the months are the first and last MONTH tokens of
 * the extent; the year is given or chosen for the first month as for "in June", and the last
 * month falls in the next year when it comes earlier in the calendar ("December/January"); a
 * delivery period ("Aug/Sep shipment") is the next one, as a delivery month is. */
bool timex_act_mrange(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out)
{
    int cls = c->slots->cls[TS_MONTH], first = -1, last = -1;
    for (size_t k = m->first; k < m->last; k++) {
        int32_t iv;
        const char *sv;
        if (timex_tok_value(c->lx, &c->toks[k], cls, &iv, &sv)) {
            if (first < 0)
                first = iv;
            last = iv;
        }
    }
    if (first < 1 || last < 1 || first == last)
        return false;
    struct timex_point p = {timex_get_int(c, m, TS_YEAR, -1), first, -1, 0, TIMEX_G_MONTH};
    if (p.year < 0 && last < first)
        p.year = timex_split_year_gloss(c, m);
    if (p.year < 0 && !timex_year_from_list(c, m, first, &p))
        timex_choose_year(c, &p, timex_delivery_month(c, m) ? 1 : timex_tense_text(c, m, text));
    struct timex_point e = {p.year < 0 ? -1 : p.year + (last < first), last, -1, 0, TIMEX_G_MONTH};
    timex_put(out, &p);
    timex_point_format(&e, out->range_end, sizeof out->range_end);
    return true;
}

/* "1986/87", "1987-91", "1985-1987": the first year is weighed as any bare year (the second one
 * is its evidence); the second must come after it, within YEAR_RANGE_MAX years. */
bool timex_act_yrange(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                      struct timex_expr *out)
{
    (void)text;
    size_t k = m->first; /* the first year: the match keeps only one capture per class */
    while (k < m->last && c->toks[k].kind != TIMEX_TOK_NUM)
        k++;
    const struct timex_tok *t = &c->toks[m->last - 1];
    if (k + 1 >= m->last || t->kind != TIMEX_TOK_NUM || t->num < 0)
        return false;
    int y = c->toks[k].num;
    long e = t->num;
    if (t->end - t->start == 2) {
        e += y / 100 * 100;
        if (e <= y)
            e += 100;
    }
    if (e <= y || e - y > YEAR_RANGE_MAX || !timex_year_at(c, k, out))
        return false;
    struct timex_point p = {(int)e, -1, -1, 0, TIMEX_G_YEAR};
    timex_point_format(&p, out->range_end, sizeof out->range_end);
    return true;
}

/* The count and unit of one side of a range of durations, read from tokens [from, to) of the
 * match: digits or number words ("two", "12", "a" = 1), and a unit word. */
struct dur_side {
    long count; /* -1 = none written */
    const char *unit;
};

static void dur_side_read(const struct timex_ctx *c, size_t from, size_t to, struct dur_side *s)
{
    int ncls = c->slots->cls[TS_NUMW], icls = c->slots->cls[TS_INT];
    int ucls = c->slots->cls[TS_UNIT], pcls = c->slots->cls[TS_UNITPL];
    s->count = -1;
    s->unit = NULL;
    for (size_t k = from; k < to; k++) {
        int32_t iv;
        const char *sv;
        const struct timex_tok *t = &c->toks[k];
        if (timex_tok_value(c->lx, t, icls, &iv, &sv) ||
            (s->count < 0 && timex_tok_value(c->lx, t, ncls, &iv, &sv)))
            s->count = iv;
        else if (!s->unit && (timex_tok_value(c->lx, t, ucls, &iv, &sv) ||
                              timex_tok_value(c->lx, t, pcls, &iv, &sv)))
            s->unit = sv;
        else if (s->count < 0 && t->end - t->start <= 2 && (c->text[t->start] | 0x20) == 'a' &&
                 t->kind == TIMEX_TOK_WORD)
            s->count = 1; /* "a year or two" */
    }
}

static bool dur_put(char *out, size_t cap, long n, const char *u)
{
    long mult;
    char letter;
    bool tu;
    if (!u || !timex_parse_unit(u, &mult, &letter, &tu))
        return false;
    if (n < 0)
        snprintf(out, cap, "P%sX%c", tu ? "T" : "", letter);
    else
        snprintf(out, cap, "P%s%ld%c", tu ? "T" : "", n * mult, letter);
    return true;
}

/* "two to three weeks", "the next 12 to 18 months", "a year or two", "weeks or months": value
 * the first duration, range_end the last. The side without a unit takes the other's ("two to
 * three weeks"); the side without a count is vague ("weeks or months" = PXW … PXM). */
bool timex_act_durrange(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                        struct timex_expr *out)
{
    (void)text;
    static const char *const joins[] = {"to", "or", "and", "-"};
    size_t mid = m->last; /* the joining word */
    for (size_t k = m->first + 1; k + 1 < m->last && mid == m->last; k++)
        for (size_t j = 0; j < sizeof joins / sizeof joins[0]; j++)
            if (timex_word_is(c, k, joins[j]))
                mid = k;
    if (mid >= m->last)
        return false;
    struct dur_side a, b;
    dur_side_read(c, m->first, mid, &a);
    dur_side_read(c, mid + 1, m->last, &b);
    if (!a.unit)
        a.unit = b.unit;
    if (!b.unit)
        b.unit = a.unit;
    if (a.count == 0 || b.count == 0 || !a.unit)
        return false;
    if (a.count > 0 && b.count > 0 && strcmp(a.unit, b.unit) == 0 && b.count <= a.count)
        return false; /* "five to three years": no range */
    return dur_put(out->value, sizeof out->value, a.count, a.unit) &&
           dur_put(out->range_end, sizeof out->range_end, b.count, b.unit);
}
