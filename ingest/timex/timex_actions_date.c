/*
 * timex_actions_date.c — actions for calendar dates: "Nov 28, 2024", "Dec. 12", "the 26th",
 * "last November", weekdays, holidays, parts of days and clock times. Missing years and months
 * come from the publication date, the sentence's tense deciding between the candidates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/timex/timex_actions.h"

static bool timex_valid_day(int y, int mo, int d)
{
    return mo >= 1 && mo <= 12 && d >= 1 && d <= timex_days_in_month(y < 0 ? 2000 : y, mo);
}

/* A day of the month with no month: "on the 26th" — this month or the last/next one; the
 * publication month itself when that is all that is known of the publication date. */
static bool timex_day_only(const struct timex_ctx *c, int d, int tense, struct timex_expr *out)
{
    struct timex_point p = {-1, -1, d, 0, TIMEX_G_DAY};
    if (c->dct.year < 0 || c->dct.month < 0) {
        timex_put(out, &p);
        return true;
    }
    if (!c->dct_day && timex_valid_day(c->dct.year, c->dct.month, d)) {
        /* only the month is known (a page dated from the corpus): its own month */
        p.year = c->dct.year;
        p.month = c->dct.month;
        timex_put(out, &p);
        return true;
    }
    struct timex_point cand[3];
    int n = 0;
    for (int k = -1; k <= 1; k++) {
        struct timex_point mp = {c->dct.year, c->dct.month, -1, 0, TIMEX_G_MONTH};
        mp = timex_point_shift(&mp, TIMEX_G_MONTH, k);
        if (timex_valid_day(mp.year, mp.month, d))
            cand[n++] = (struct timex_point){mp.year, mp.month, d, 0, TIMEX_G_DAY};
    }
    int i = timex_choose(c, cand, n, tense ? tense : -1);
    if (i < 0)
        return false;
    timex_put(out, &cand[i]);
    return true;
}

/* How far (months) a month listed after another may run ahead of it in one list. */
#define TIMEX_LIST_STEP 6

bool timex_year_from_list(const struct timex_ctx *c, const struct timex_match *m, int mo,
                          struct timex_point *p)
{
    const struct timex_point *r = &c->ref;
    /* a list runs forward a few months at a time; "rose in January after falling in December"
     * compares with the month before, not with the December after */
    if (r->year < 0 || !c->ref_in_block || !c->ref_bare_month ||
        c->ref_sent != c->toks[m->first].sent || r->gran != TIMEX_G_MONTH || r->month < 1 ||
        mo <= r->month || mo - r->month > TIMEX_LIST_STEP)
        return false;
    p->year = r->year;
    return true;
}

int timex_year_after_month(const struct timex_ctx *c, size_t k)
{
    int32_t iv;
    const char *sv;
    uint32_t sent = c->toks[k - 1].sent;
    if (k + 1 < c->n && timex_tok_punct(c, k, '.'))
        k++; /* "Sept. 30" */
    if (k < c->n && timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_DAYN], &iv, &sv))
        k++; /* "January 1 to September 30, 1986" */
    if (k + 1 < c->n && timex_tok_punct(c, k, ','))
        k++; /* "January to September, 1986" */
    if (k >= c->n || c->toks[k].sent != sent)
        return -1;
    if (timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_YEAR], &iv, &sv))
        return c->toks[k].num;
    if (timex_word_is(c, k, "of"))
        k++;
    if (k + 1 < c->n && c->dct.year >= 0 &&
        timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_DIR], &iv, &sv) &&
        timex_word_is(c, k + 1, "year"))
        return c->dct.year + iv;
    return -1;
}

int timex_year_pair_end(const struct timex_ctx *c, size_t k)
{
    const struct timex_tok *t = &c->toks[k];
    if (k + 2 >= c->n || t->kind != TIMEX_TOK_NUM || t->end - t->start != 4 || t->num < 1000 ||
        (!timex_tok_punct(c, k + 1, '/') && !timex_tok_punct(c, k + 1, '-')) ||
        c->toks[k + 1].start != t->end)
        return -1;
    const struct timex_tok *u = &c->toks[k + 2];
    if (u->kind != TIMEX_TOK_NUM || u->start != c->toks[k + 1].end)
        return -1;
    long last = u->num;
    if (u->end - u->start == 2)
        last += t->num / 100 * 100 + (last < t->num % 100 ? 100 : 0);
    return (int)last;
}

/* The year in brackets right after token k - 1 ("October (1986)"), or -1. */
static int timex_bracket_year(const struct timex_ctx *c, size_t k)
{
    int32_t iv;
    const char *sv;
    if (!timex_tok_punct(c, k, '(') || !timex_tok_punct(c, k + 2, ')') ||
        !timex_tok_value(c->lx, &c->toks[k + 1], c->slots->cls[TS_YEAR], &iv, &sv))
        return -1;
    return c->toks[k + 1].num;
}

/* "January to September 1986", "between March and May 1998", "from January to November last
 * year": the first month of a range takes the year written after the last (the year before
 * when it comes later in the calendar: "November to February 1987"). false when no such year
 * follows token k. */
static bool timex_year_of_range(const struct timex_ctx *c, size_t k, int mo, struct timex_point *p)
{
    int32_t iv, mo2;
    const char *sv;
    if (k + 2 >= c->n || !timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_YEARLINK], &iv, &sv))
        return false;
    if (!timex_tok_value(c->lx, &c->toks[k + 1], c->slots->cls[TS_MONTH], &mo2, &sv))
        return false;
    int year = timex_year_after_month(c, k + 2);
    if (year < 0)
        return false;
    p->year = year - (mo > mo2 ? 1 : 0);
    return true;
}

/* How far before "ending June" the year or season it ends may stand ("the 1986/87 crop year
 * ending June"). */
#define TIMEX_PERIOD_END_REACH 6

/* The month that ends a period named just before it: "the 1986/87 crop year ending June" ends
 * in the second year of the range (1 with *year set); "the current financial year ending June"
 * ends next (1, *year unset: look ahead); 0 when neither. */
static int timex_period_end(const struct timex_ctx *c, const struct timex_match *m, int *year)
{
    size_t e = m->first;
    *year = -1;
    if (e == 0 || (!timex_word_is(c, e - 1, "ending") && !timex_word_is(c, e - 1, "ended")))
        return 0;
    uint32_t sent = c->toks[e].sent;
    for (size_t j = e - 1; j > 0 && e - j <= TIMEX_PERIOD_END_REACH; j--) {
        const struct timex_tok *t = &c->toks[j - 1];
        if (t->sent != sent)
            break;
        if (timex_word_is(c, j - 1, "current"))
            return 1;
        int last = j + 1 < e ? timex_year_pair_end(c, j - 1) : -1;
        if (last >= 0) {
            if (last != t->num + 1)
                return 0;
            *year = last;
            return 1;
        }
    }
    return 0;
}

/* How many words may stand between a contract month and its noun ("the June share price index
 * futures"). */
#define TIMEX_CONTRACT_REACH 4

/* Is a contract noun ("futures", "delivery") among the few words from token k on, with only
 * content words, hyphens and other months of a range between ("June Comex-linked gold
 * futures", "May to September shipment")? */
static bool timex_contract_noun_after(const struct timex_ctx *c, size_t k)
{
    int32_t iv;
    const char *sv;
    int far = c->slots->cls[TS_FWDFAR], link = c->slots->cls[TS_YEARPRE];
    for (size_t j = k; j < c->n && j < k + TIMEX_CONTRACT_REACH; j++) {
        const struct timex_tok *t = &c->toks[j];
        if (timex_tok_value(c->lx, t, far, &iv, &sv))
            return true;
        /* "May to September shipment", "June and July contracts": other months of the range */
        bool range = timex_tok_value(c->lx, t, c->slots->cls[TS_MONTH], &iv, &sv) ||
                     timex_tok_value(c->lx, t, c->slots->cls[TS_YEARLINK], &iv, &sv);
        /* "January sales of gold futures": a function word ends the noun phrase; "June U.S.
         * T-bonds": hyphens and the points of abbreviations do not */
        bool mark = t->kind == TIMEX_TOK_PUNCT && t->sent == c->toks[k].sent &&
                    (c->text[t->start] == '-' || c->text[t->start] == '.');
        if (!range && ((t->kind != TIMEX_TOK_WORD && !mark) ||
                       (timex_tok_value(c->lx, t, link, &iv, &sv) && iv >= 1)))
            return false;
    }
    return false;
}

/* The token after the other months of a range that starts at token k ("June and July closed
 * firmer": "closed"), or k when none follows. */
static size_t timex_after_month_range(const struct timex_ctx *c, size_t k)
{
    int32_t iv;
    const char *sv;
    size_t j = k;
    while (j + 1 < c->n && j < k + 4 &&
           timex_tok_value(c->lx, &c->toks[j], c->slots->cls[TS_YEARLINK], &iv, &sv) &&
           timex_tok_value(c->lx, &c->toks[j + 1], c->slots->cls[TS_MONTH], &iv, &sv))
        j += 2;
    return j;
}

/* A delivery or contract month: "June was down 1.25 dlrs", "the July shipment" — a month with
 * no date preposition before it ("in June" is a date) and a word of timex_month_forward.txt
 * after it. */
bool timex_delivery_month(const struct timex_ctx *c, const struct timex_match *m)
{
    int32_t iv;
    const char *sv;
    int fwd = c->slots->cls[TS_FWDMONTH], pre = c->slots->cls[TS_YEARPRE];
    int aux = c->slots->cls[TS_FWDAUX], quote = c->slots->cls[TS_FWDQUOTE];
    if (m->first > 0 &&
        timex_tok_value(c->lx, &c->toks[m->first - 1], c->slots->cls[TS_FWDPRE], &iv, &sv))
        return true; /* "near July", "nearby June" */
    size_t k = timex_after_month_range(c, m->last);
    if (k >= c->n)
        return false;
    /* "November off 19-1/2 cents": a quote word and a figure right after the month */
    bool quoted = k + 1 < c->n && timex_tok_value(c->lx, &c->toks[k], quote, &iv, &sv) &&
                  c->toks[k + 1].kind == TIMEX_TOK_NUM;
    if (!quoted && !timex_tok_value(c->lx, &c->toks[k], fwd, &iv, &sv) &&
        !(k + 1 < c->n && timex_tok_value(c->lx, &c->toks[k], aux, &iv, &sv) &&
          timex_tok_value(c->lx, &c->toks[k + 1], quote, &iv, &sv)) &&
        !timex_contract_noun_after(c, k))
        return false;
    return m->first == 0 || !timex_tok_value(c->lx, &c->toks[m->first - 1], pre, &iv, &sv) ||
           iv < 2;
}

/* A delivery day or period: a date with its day and a delivery noun of timex_month_forward.txt
 * (flag far) right after it in the same sentence ("for May 20/June 20 shipment", "the Dec 19
 * expiration"). The market verbs of that list are no cue after a day ("sales from January 1
 * fell to 383,380"). */
static bool timex_delivery_day(const struct timex_ctx *c, const struct timex_match *m)
{
    int32_t iv;
    const char *sv;
    size_t k = m->last;
    return k < c->n && c->toks[k].sent == c->toks[m->last - 1].sent &&
           timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_FWDFAR], &iv, &sv);
}

/* The tense of a date without its year: "since January" starts a stretch that runs up to the
 * story, so it is past whatever the sentence's verbs say ("has been planning the sale since
 * September", "talks since January will resume"); a delivery date or one that ends a period
 * looks ahead; else the sentence's tense. */
static int timex_date_tense(const struct timex_ctx *c, const struct timex_match *m,
                            const char *text, bool ahead)
{
    if (m->first > 0 && timex_word_is(c, m->first - 1, "since"))
        return -1;
    return ahead ? 1 : timex_tense_text(c, m, text);
}

/* "Nov 28, 2024", "Dec. 12", "December 2015", "2018", "the 1st", "January last year". */
bool timex_act_date(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                    struct timex_expr *out)
{
    int y = timex_get_year(c, m);
    int mo = timex_get_month(c, m);
    int d = timex_get_int(c, m, TS_DAYN, -1);
    if (d < 0)
        d = timex_get_int(c, m, TS_ORDN, -1);
    if (d < 0 && mo > 0 && timex_get_int(c, m, TS_ORDW, -1) > 0) { /* "March eighth" */
        int tens = timex_get_int(c, m, TS_NUMW, 0);                /* "May twenty-first" */
        if (tens != 0 && tens != 20 && tens != 30)
            return false;
        d = timex_get_int(c, m, TS_ORDW, 0) + tens;
    }
    if (d < 0 && mo > 0 && strcmp(m->rule->args[0], "dayword") == 0) { /* "payable June one" */
        d = timex_get_int(c, m, TS_NUMW, -1);
        if (d < 1 || d > 31)
            return false;
    }
    if (strcmp(m->rule->args[0], "diryear") == 0)
        y = c->dct.year < 0 ? -1 : c->dct.year + timex_get_int(c, m, TS_DIR, 0);
    if (mo < 0 && d > 0)
        return d <= 31 && timex_day_only(c, d, timex_tense_text(c, m, text), out);
    if (d > 0 && !timex_valid_day(y, mo, d))
        return false;
    int ycls = c->slots->cls[TS_YEAR];
    if (y >= 0 && d < 0 && ycls >= 0 && m->caps.tok[ycls] >= 0 &&
        timex_year_in_table(c, (size_t)m->caps.tok[ycls]))
        return false;
    struct timex_point p = {y, mo, d > 0 ? d : -1, 0,
                            d > 0    ? TIMEX_G_DAY
                            : mo > 0 ? TIMEX_G_MONTH
                                     : TIMEX_G_YEAR};
    if (y < 0 && mo > 0 && m->last < c->n && timex_year_of_range(c, m->last, mo, &p))
        y = p.year;
    if (y < 0 && mo > 0 && (p.year = timex_bracket_year(c, m->last)) >= 0)
        y = p.year;
    int end_year, period_end = y < 0 && mo > 0 && d < 0 ? timex_period_end(c, m, &end_year) : 0;
    if (period_end && end_year > 0)
        p.year = y = end_year;
    if (y < 0 && mo > 0 && (d > 0 || !timex_year_from_list(c, m, mo, &p)))
        timex_choose_year(c, &p,
                          timex_date_tense(c, m, text,
                                           period_end || (d < 0 ? timex_delivery_month(c, m)
                                                                : timex_delivery_day(c, m))));
    timex_put(out, &p);
    return true;
}

/* "last November", "next March", "this September", "last November 25". */
/* "the previous January", "the following March": the nearest such month before or after the
 * month of the date last mentioned in the block ("output in January was above the previous
 * January's" is a year back, not this January); false when no day, week or month was. */
static bool timex_month_anaphor(const struct timex_ctx *c, int mo, int dir, struct timex_point *p)
{
    long first, last;
    int year, month, day;
    if (!dir || c->ref.gran > TIMEX_G_MONTH || !c->ref_in_block ||
        !timex_point_interval(&c->ref, &first, &last))
        return false;
    timex_civil_from_days(first, &year, &month, &day);
    if (dir < 0)
        p->year = mo < month ? year : year - 1;
    else
        p->year = mo > month ? year : year + 1;
    return true;
}

bool timex_act_month(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                     struct timex_expr *out)
{
    bool anaphor = strcmp(m->rule->args[0], "anaphor") == 0;
    int mo = timex_get_month(c, m), dir = timex_get_int(c, m, anaphor ? TS_ADIR : TS_DIR, 0);
    int d = timex_get_int(c, m, TS_DAYN, -1);
    if (d < 0)
        d = timex_get_int(c, m, TS_ORDN, -1);
    struct timex_point p = {-1, mo, d > 0 ? d : -1, 0, d > 0 ? TIMEX_G_DAY : TIMEX_G_MONTH};
    if (anaphor && d <= 0 && timex_month_anaphor(c, mo, dir, &p)) {
        timex_put(out, &p);
        return true;
    }
    if (c->dct.year >= 0 && c->dct.month > 0) {
        /* with a day, the month of the story itself is last year's only from the day on ("last
         * March 5" in a story of 15 March is ten days back) */
        int at = mo * 32 + (d > 0 ? d : 0), now = c->dct.month * 32 + (d > 0 ? c->dct.day : 0);
        p.year = c->dct.year;
        if (dir < 0 && at >= now)
            p.year--;
        else if (dir > 0 && at <= now)
            p.year++;
    } else if (c->dct.year >= 0 && dir == 0) {
        p.year = c->dct.year;
    }
    if (d > 0 && !timex_valid_day(p.year, mo, d))
        return false;
    (void)text;
    timex_put(out, &p);
    return true;
}

/* The day a weekday names: dir -1 "last Friday", +1 "next Friday", else by tense. */
static bool timex_weekday_day(const struct timex_ctx *c, int wd, int dir, int tense,
                              struct timex_point *p)
{
    if (!c->dct_day) {
        *p = timex_unknown(TIMEX_G_DAY);
        return true;
    }
    long dct = timex_dct_daynum(c);
    int delta = wd - timex_weekday(dct);
    long back = dct + (delta > 0 ? delta - 7 : delta); /* on or before the DCT */
    long fwd = dct + (delta < 0 ? delta + 7 : delta);  /* on or after */
    long day;
    if (dir < 0)
        day = back == dct ? dct - 7 : back;
    else if (dir > 0)
        day = fwd == dct ? dct + 7 : fwd;
    else if (tense)
        day = tense > 0 ? fwd : back;
    else /* no cue: the nearest, the past one at equal distance */
        day = fwd - dct < dct - back ? fwd : back;
    *p = timex_point_at(day, TIMEX_G_DAY);
    return true;
}

/* "the previous Friday", "the following Monday": from the day last mentioned (the story's
 * narrative day); false when there is none. */
static bool timex_weekday_anaphor(const struct timex_ctx *c, const struct timex_match *m, int wd,
                                  struct timex_point *p)
{
    int dir = timex_get_int(c, m, TS_ADIR, 0);
    long f, l;
    if (!dir || c->ref.gran != TIMEX_G_DAY || !c->ref_in_block ||
        !timex_point_interval(&c->ref, &f, &l))
        return false;
    int delta = wd - timex_weekday(f);
    long day =
        dir < 0 ? f + (delta >= 0 ? delta - 7 : delta) : f + (delta <= 0 ? delta + 7 : delta);
    *p = timex_point_at(day, TIMEX_G_DAY);
    return true;
}

bool timex_act_weekday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    int wd = timex_get_int(c, m, TS_WEEKDAY, 0);
    int32_t dv;
    const char *sv;
    bool has_dir = timex_get(c, m, TS_DIR, &dv, &sv);
    struct timex_point p;
    int tense = has_dir && dv != 0 ? 0 : timex_tense_text(c, m, text);
    if (strcmp(m->rule->args[0], "anaphor") == 0) {
        if (!timex_weekday_anaphor(c, m, wd, &p) &&
            !timex_weekday_day(c, wd, timex_get_int(c, m, TS_ADIR, 0), 0, &p))
            return false;
    } else if (has_dir && c->dct_day &&
               (strcmp(m->rule->args[0], "ofweek") == 0 || (dv == 0 && tense == 0))) {
        /* "Friday of last week": that day of the week named; "this Friday" with no tense
         * cue: the Friday of the publication week (ISO weeks, from Monday) */
        long dct = timex_dct_daynum(c);
        p = timex_point_at(dct + 7L * dv + wd - timex_weekday(dct), TIMEX_G_DAY);
    } else if (!timex_weekday_day(c, wd, has_dir ? dv : 0, tense, &p)) {
        return false;
    }
    timex_put(out, &p);
    return true;
}

/* Days since 1970 of Easter Sunday of Gregorian year y (the anonymous Gregorian algorithm). */
static long timex_easter(int y)
{
    int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25;
    int g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7, m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
    return timex_days_from_civil(y, month, day);
}

/* Day of a holiday rule "MM-DD", "MM-W-N" (N-th ISO weekday W of the month, N 5 = last) or
 * "E+N" (N days from Easter Sunday: "E-2" Good Friday) in year y; false for a malformed rule. */
static bool timex_holiday_day(const char *spec, int y, struct timex_point *p)
{
    if (spec[0] == 'E' && (spec[1] == '+' || spec[1] == '-')) {
        *p = timex_point_at(timex_easter(y) + atol(spec + 1), TIMEX_G_DAY);
        return true;
    }
    int mo = 0, a = 0, b = 0;
    int n = sscanf(spec, "%d-%d-%d", &mo, &a, &b);
    if (n < 2 || mo < 1 || mo > 12)
        return false;
    int d = a;
    if (n == 3) {
        long first = timex_days_from_civil(y, mo, 1);
        d = 1 + (a - timex_weekday(first) + 7) % 7 + 7 * (b - 1);
        while (d > timex_days_in_month(y, mo))
            d -= 7;
    }
    if (d < 1 || d > timex_days_in_month(y, mo))
        return false;
    *p = (struct timex_point){y, mo, d, 0, TIMEX_G_DAY};
    return true;
}

/* "Christmas", "Thanksgiving Day 1998", "New Year's Eve": the year as for "Dec. 12". */
bool timex_act_holiday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    const char *spec = m->rule->args[0][0] ? m->rule->args[0] : timex_get_str(c, m, TS_HOLIDAY);
    int y = timex_get_int(c, m, TS_YEAR, -1);
    struct timex_point cand[3];
    if (!spec)
        return false;
    if (y >= 0 || c->dct.year < 0) {
        if (y >= 0 && !timex_holiday_day(spec, y, &cand[0]))
            return false;
        if (y < 0 && !timex_holiday_day(spec, 2001, &cand[0]))
            return false;
        if (y < 0)
            cand[0].year = -1;
        timex_put(out, &cand[0]);
        return true;
    }
    for (int k = 0; k < 3; k++)
        if (!timex_holiday_day(spec, c->dct.year - 1 + k, &cand[k]))
            return false;
    int i = timex_choose(c, cand, 3, timex_tense_text(c, m, text));
    if (i < 0)
        return false;
    timex_put(out, &cand[i]);
    return true;
}

/* The day a part-of-day expression hangs on: a weekday, yesterday/today/tomorrow, or the DCT. */
static struct timex_point timex_partday_base(const struct timex_ctx *c, const struct timex_match *m,
                                             const char *text)
{
    struct timex_point p = timex_unknown(TIMEX_G_DAY);
    int wd = timex_get_int(c, m, TS_WEEKDAY, 0);
    int mo = timex_get_month(c, m), d = timex_get_int(c, m, TS_DAYN, -1);
    if (mo > 0 && timex_valid_day(-1, mo, d)) { /* "5 p.m. EST Nov. 9" */
        p = (struct timex_point){-1, mo, d, 0, TIMEX_G_DAY};
        timex_choose_year(c, &p, timex_tense_text(c, m, text));
        return p;
    }
    if (wd > 0) {
        int32_t dv;
        const char *sv;
        bool has_dir = timex_get(c, m, TS_DIR, &dv, &sv);
        timex_weekday_day(c, wd, has_dir ? dv : 0, has_dir ? 0 : timex_tense_text(c, m, text), &p);
        return p;
    }
    /* "in the morning" (partday:ref): the day in discussion, when one was just named */
    if (strcmp(m->rule->args[0], "ref") == 0 && c->ref.gran == TIMEX_G_DAY && c->ref.year >= 0 &&
        c->ref_in_block && c->toks[m->first].sent <= c->ref_sent + 1)
        return c->ref;
    /* "yesterday morning" (RELDAY), "last night" (partday:-1), "this morning" */
    long shift = m->rule->args[0][0] ? atol(m->rule->args[0]) : timex_get_int(c, m, TS_RELDAY, 0);
    if (c->dct_day)
        p = timex_point_shift(&c->dct, TIMEX_G_DAY, shift);
    return p;
}

/* "Friday morning", "yesterday afternoon", "this morning" -> 1998-02-13TMO. */
bool timex_act_partday(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                       struct timex_expr *out)
{
    struct timex_point p = timex_partday_base(c, m, text);
    const char *code = timex_get_str(c, m, TS_PARTDAY);
    int32_t iv;
    for (size_t k = m->first; !code && k < m->last; k++) /* "tonight": a literal of the rule */
        timex_tok_value(c->lx, &c->toks[k], c->slots->cls[TS_PARTDAY], &iv, &code);
    char day[24];
    timex_point_format(&p, day, sizeof day);
    snprintf(out->value, sizeof out->value, "%sT%s", day, code ? code : "XX");
    return true;
}

/* "11:38 PM", "5 p.m.", "noon" on the DCT's day. */
bool timex_act_clock(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                     struct timex_expr *out)
{
    int h = timex_get_int(c, m, TS_CLOCKWORD, -1), mi = 0;
    int hhmm = timex_get_int(c, m, TS_HHMM, -1);
    if (hhmm >= 0) { /* "1600 GMT" */
        h = hhmm / 100;
        mi = hhmm % 100;
    } else if (h < 0) {
        h = timex_get_int(c, m, TS_HOURN, -1);
        mi = timex_get_int(c, m, TS_MIN2, 0);
        int add = timex_get_int(c, m, TS_AMPM, -1);
        if (add < 0)
            add = timex_get_int(c, m, TS_AMPMLETTER, -1);
        if (add >= 0 && (h < 1 || h > 12))
            return false;
        if (add >= 0)
            h = h % 12 + add;
    }
    if (h < 0 || h > 24 || mi > 59)
        return false;
    struct timex_point p = timex_partday_base(c, m, text);
    char day[24];
    timex_point_format(&p, day, sizeof day);
    snprintf(out->value, sizeof out->value, "%sT%02d:%02d", day, h, mi);
    return true;
}
