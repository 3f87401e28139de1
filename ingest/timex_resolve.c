/*
 * timex_resolve.c — normalisation of rule matches to TIMEX3 values, following the news
 * convention: underspecified and relative expressions count from the publication date (DCT);
 * where a date could lie on either side of it ("Friday", "Dec. 12", "the 26th"), the tense of
 * the sentence decides (past: the latest one not after the DCT; future: the first one not
 * before it; unknown: the nearest). Anaphoric expressions ("the next day", "a year earlier")
 * count from the previously mentioned date.
 */
#include "timex_resolve.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const timex_slot_names[TS_COUNT] = {
    "MONTH",   "MONTHBARE", "MONN",  "DAYN",   "ORDN",      "ORDW",       "YEAR",
    "WEEKDAY", "NUMW",      "INT",   "UNIT",   "UNITPL",    "CUNIT",      "SEASON",
    "PARTDAY", "DIR",       "ADIR",  "VAGUE",  "AMPM",      "AMPMLETTER", "HOURN",
    "MIN2",    "DECN",      "QTOK",  "RELDAY", "CLOCKWORD", "SHIFTREF",   "TENSE",
    "DECW",    "CENTW",     "TENSW", "ONESW",  "LONGUNIT",  "HOLIDAY"};

void timex_slots_init(struct timex_slots *s, const struct timex_lex *lx)
{
    for (int i = 0; i < TS_COUNT; i++)
        s->cls[i] = timex_lex_class(lx, timex_slot_names[i]);
}

/* ---- reading a match ---- */

/* The value of slot `slot` in the match; false when the match did not capture it. */
static bool timex_get(const struct timex_ctx *c, const struct timex_match *m, enum timex_slot slot,
                      int32_t *iv, const char **sv)
{
    int cls = c->slots->cls[slot];
    if (cls < 0 || m->caps.tok[cls] < 0)
        return false;
    return timex_tok_value(c->lx, &c->toks[m->caps.tok[cls]], cls, iv, sv);
}

static int timex_get_int(const struct timex_ctx *c, const struct timex_match *m,
                         enum timex_slot slot, int dflt)
{
    int32_t iv;
    const char *sv;
    return timex_get(c, m, slot, &iv, &sv) ? iv : dflt;
}

static const char *timex_get_str(const struct timex_ctx *c, const struct timex_match *m,
                                 enum timex_slot slot)
{
    int32_t iv;
    const char *sv = NULL;
    return timex_get(c, m, slot, &iv, &sv) ? sv : NULL;
}

/* The count of a duration or shift: a number word or digits; dflt when neither is there. */
static int timex_get_count(const struct timex_ctx *c, const struct timex_match *m, int dflt)
{
    int v = timex_get_int(c, m, TS_INT, -1);
    return v >= 0 ? v : timex_get_int(c, m, TS_NUMW, dflt);
}

/* ---- tense ---- */

/* Tense cue of token k: the TENSE class, else a regular past form ("-ed", not "-eed") unless
 * an auxiliary listed with value 0 makes it passive ("will be named"). */
static int timex_tok_tense(const struct timex_ctx *c, size_t k, const char *text)
{
    int32_t iv;
    const char *sv;
    const struct timex_tok *t = &c->toks[k];
    int cls = c->slots->cls[TS_TENSE];
    if (timex_tok_value(c->lx, t, cls, &iv, &sv))
        return iv < 0 ? -1 : iv > 0 ? 1 : 0;
    if (!text || t->kind != TIMEX_TOK_WORD || t->cap)
        return 0;
    if (k > 0 && timex_tok_value(c->lx, &c->toks[k - 1], cls, &iv, &sv) && iv == 0)
        return 0;
    size_t n = t->end - t->start;
    const char *w = text + t->start;
    if (n >= 5 && w[n - 2] == 'e' && w[n - 1] == 'd' && w[n - 3] != 'e')
        return -1;
    return 0;
}

/* Tense of the sentence around a match: -1 past, 1 future, 0 unknown. The nearest cue in the
 * same sentence wins, the left one at equal distance. */
static int timex_tense_text(const struct timex_ctx *c, const struct timex_match *m,
                            const char *text)
{
    uint32_t sent = c->toks[m->first].sent;
    for (size_t d = 1; d <= 40; d++) {
        if (m->first >= d && c->toks[m->first - d].sent == sent) {
            int t = timex_tok_tense(c, m->first - d, text);
            if (t)
                return t;
        }
        size_t r = m->last + d / 2 - 1; /* the right side counts double distance */
        if (d % 2 == 0 && r < c->n && c->toks[r].sent == sent) {
            int t = timex_tok_tense(c, r, text);
            if (t)
                return t;
        }
    }
    return 0;
}

/* ---- choosing among candidates ---- */

static long timex_dct_daynum(const struct timex_ctx *c)
{
    long f, l;
    if (!timex_point_interval(&c->dct, &f, &l))
        return 0;
    return c->dct_day ? f : (f + l) / 2;
}

/* Index of the candidate that the tense picks (see the file comment); -1 if none is valid. */
static int timex_choose_tense(const struct timex_ctx *c, const struct timex_point *cand, int n,
                              int tense)
{
    long dct = timex_dct_daynum(c), best_key = 0;
    int best = -1;
    for (int i = 0; i < n; i++) {
        long f, l, key;
        if (!timex_point_interval(&cand[i], &f, &l))
            continue;
        if (tense < 0) {
            if (f > dct)
                continue;
            key = dct - f; /* latest start not after the DCT */
        } else if (tense > 0) {
            if (l < dct)
                continue;
            key = l - dct; /* earliest end not before the DCT */
        } else {
            key = dct < f ? f - dct : dct > l ? dct - l : 0;
            key = key * 2 + (f > dct); /* nearest; ties go to the past */
        }
        if (best < 0 || key < best_key) {
            best = i;
            best_key = key;
        }
    }
    return best;
}

/* Distance in days between a point and the DCT (0 when it contains it). */
static long timex_distance(const struct timex_ctx *c, const struct timex_point *p)
{
    long f, l, dct = timex_dct_daynum(c);
    if (!timex_point_interval(p, &f, &l))
        return 1L << 30;
    return dct < f ? f - dct : dct > l ? dct - l : 0;
}

/* The tense decides only between candidates at comparable distances: a cue that would put
 * "Feb. 10" eleven months back in a January article is more likely misread than right. */
static int timex_choose(const struct timex_ctx *c, const struct timex_point *cand, int n, int tense)
{
    int near = timex_choose_tense(c, cand, n, 0);
    if (!tense || near < 0)
        return near;
    int t = timex_choose_tense(c, cand, n, tense);
    if (t < 0 || timex_distance(c, &cand[t]) > 300)
        return near;
    return t;
}

/* Picks the year for a point whose year is missing, from DCT year -1, 0, +1. */
static bool timex_choose_year(const struct timex_ctx *c, struct timex_point *p, int tense)
{
    if (c->dct.year < 0)
        return false;
    struct timex_point cand[3];
    for (int k = 0; k < 3; k++) {
        cand[k] = *p;
        cand[k].year = c->dct.year - 1 + k;
    }
    int i = timex_choose(c, cand, 3, tense);
    if (i < 0)
        return false;
    *p = cand[i];
    return true;
}

static struct timex_point timex_unknown(enum timex_gran g)
{
    struct timex_point p = {-1, -1, -1, -1, g};
    return p;
}

static void timex_put(struct timex_expr *out, const struct timex_point *p)
{
    timex_point_format(p, out->value, sizeof out->value);
}

/* ---- actions ---- */

typedef bool (*timex_action_fn)(const struct timex_ctx *c, const struct timex_match *m,
                                const char *text, struct timex_expr *out);

static bool timex_valid_day(int y, int mo, int d)
{
    return mo >= 1 && mo <= 12 && d >= 1 && d <= timex_days_in_month(y < 0 ? 2000 : y, mo);
}

static int timex_get_month(const struct timex_ctx *c, const struct timex_match *m)
{
    int mo = timex_get_int(c, m, TS_MONTH, -1);
    if (mo < 0)
        mo = timex_get_int(c, m, TS_MONTHBARE, -1);
    return mo < 0 ? timex_get_int(c, m, TS_MONN, -1) : mo;
}

/* A day of the month with no month: "on the 26th" — this month or the last/next one. */
static bool timex_day_only(const struct timex_ctx *c, int d, int tense, struct timex_expr *out)
{
    struct timex_point p = {-1, -1, d, 0, TIMEX_G_DAY};
    if (c->dct.year < 0 || c->dct.month < 0) {
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

/* "Nov 28, 2024", "Dec. 12", "December 2015", "2018", "the 1st", "January last year". */
static bool timex_act_date(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                           struct timex_expr *out)
{
    int y = timex_get_int(c, m, TS_YEAR, -1);
    int mo = timex_get_month(c, m);
    int d = timex_get_int(c, m, TS_DAYN, -1);
    if (d < 0)
        d = timex_get_int(c, m, TS_ORDN, -1);
    if (strcmp(m->rule->args[0], "diryear") == 0)
        y = c->dct.year < 0 ? -1 : c->dct.year + timex_get_int(c, m, TS_DIR, 0);
    if (mo < 0 && d > 0)
        return d <= 31 && timex_day_only(c, d, timex_tense_text(c, m, text), out);
    if (d > 0 && !timex_valid_day(y, mo, d))
        return false;
    struct timex_point p = {y, mo, d > 0 ? d : -1, 0,
                            d > 0    ? TIMEX_G_DAY
                            : mo > 0 ? TIMEX_G_MONTH
                                     : TIMEX_G_YEAR};
    if (y < 0 && mo > 0)
        timex_choose_year(c, &p, timex_tense_text(c, m, text));
    timex_put(out, &p);
    return true;
}

/* "last November", "next March", "this September". */
static bool timex_act_month(const struct timex_ctx *c, const struct timex_match *m,
                            const char *text, struct timex_expr *out)
{
    int mo = timex_get_month(c, m), dir = timex_get_int(c, m, TS_DIR, 0);
    struct timex_point p = {-1, mo, -1, 0, TIMEX_G_MONTH};
    if (c->dct.year >= 0 && c->dct.month > 0) {
        p.year = c->dct.year;
        if (dir < 0 && mo >= c->dct.month)
            p.year--;
        else if (dir > 0 && mo <= c->dct.month)
            p.year++;
    } else if (c->dct.year >= 0 && dir == 0) {
        p.year = c->dct.year;
    }
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
    else
        day = tense > 0 ? fwd : back;
    *p = timex_point_at(day, TIMEX_G_DAY);
    return true;
}

static bool timex_act_weekday(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_expr *out)
{
    int wd = timex_get_int(c, m, TS_WEEKDAY, 0);
    int32_t dv;
    const char *sv;
    bool has_dir = timex_get(c, m, TS_DIR, &dv, &sv);
    struct timex_point p;
    int tense = has_dir ? 0 : timex_tense_text(c, m, text);
    if (!timex_weekday_day(c, wd, has_dir ? dv : 0, tense, &p))
        return false;
    timex_put(out, &p);
    return true;
}

/* Day of a holiday rule "MM-DD" or "MM-W-N" (N-th ISO weekday W of the month, N 5 = last) in
 * year y; false for a malformed rule. */
static bool timex_holiday_day(const char *spec, int y, struct timex_point *p)
{
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
static bool timex_act_holiday(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_expr *out)
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
    if (c->dct_day)
        p = timex_point_shift(&c->dct, TIMEX_G_DAY, timex_get_int(c, m, TS_RELDAY, 0));
    return p;
}

/* "Friday morning", "yesterday afternoon", "this morning" -> 1998-02-13TMO. */
static bool timex_act_partday(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_expr *out)
{
    struct timex_point p = timex_partday_base(c, m, text);
    const char *code = timex_get_str(c, m, TS_PARTDAY);
    char day[24];
    timex_point_format(&p, day, sizeof day);
    snprintf(out->value, sizeof out->value, "%sT%s", day, code ? code : "XX");
    return true;
}

/* "11:38 PM", "5 p.m.", "noon" on the DCT's day. */
static bool timex_act_clock(const struct timex_ctx *c, const struct timex_match *m,
                            const char *text, struct timex_expr *out)
{
    int h = timex_get_int(c, m, TS_CLOCKWORD, -1), mi = 0;
    if (h < 0) {
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

/* Calendar unit code ("Y", "Q", "M", "W", "D", "E", "C", "WE") -> granularity. */
static bool timex_unit_gran(const char *u, enum timex_gran *g)
{
    static const struct {
        const char *code;
        enum timex_gran g;
    } map[] = {{"Y", TIMEX_G_YEAR},    {"Q", TIMEX_G_QUARTER},  {"M", TIMEX_G_MONTH},
               {"W", TIMEX_G_WEEK},    {"D", TIMEX_G_DAY},      {"E", TIMEX_G_DECADE},
               {"C", TIMEX_G_CENTURY}, {"WE", TIMEX_G_WEEKEND}, {"H", TIMEX_G_HALF}};
    for (size_t i = 0; u && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(u, map[i].code) == 0) {
            *g = map[i].g;
            return true;
        }
    return false;
}

/* The point of granularity g that contains the base point, moved by n units. */
static struct timex_point timex_from_base(const struct timex_point *base, bool base_day,
                                          enum timex_gran g, long n)
{
    long f, l;
    if (base->year < 0 || !timex_point_interval(base, &f, &l))
        return timex_unknown(g);
    if (!base_day && g <= TIMEX_G_WEEKEND)
        return timex_unknown(g);
    if (!base_day && g == TIMEX_G_MONTH && base->month < 0)
        return timex_unknown(g);
    struct timex_point p = timex_point_at(base_day ? f : (f + l) / 2, g);
    if (g == TIMEX_G_WEEKEND)
        return timex_point_shift(&p, TIMEX_G_WEEK, n);
    return timex_point_shift(&p, g, n);
}

/* "last month", "next week", "this year", "today" (rel:D:0). */
static bool timex_act_rel(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out)
{
    enum timex_gran g;
    const char *unit = m->rule->args[0][0] ? m->rule->args[0] : timex_get_str(c, m, TS_CUNIT);
    if (!timex_unit_gran(unit, &g))
        return false;
    long n = m->rule->args[1][0] ? atol(m->rule->args[1]) : timex_get_int(c, m, TS_DIR, 0);
    /* "the weekend" on a weekday is the one just past unless the sentence looks ahead */
    if (g == TIMEX_G_WEEKEND && n == 0 && c->dct_day && timex_weekday(timex_dct_daynum(c)) <= 5 &&
        timex_tense_text(c, m, text) <= 0)
        n = -1;
    struct timex_point p = timex_from_base(&c->dct, c->dct_day, g, n);
    timex_put(out, &p);
    return true;
}

static bool timex_act_relday(const struct timex_ctx *c, const struct timex_match *m,
                             const char *text, struct timex_expr *out)
{
    struct timex_point p =
        timex_from_base(&c->dct, c->dct_day, TIMEX_G_DAY, timex_get_int(c, m, TS_RELDAY, 0));
    (void)text;
    timex_put(out, &p);
    return true;
}

/* Duration unit "10Y", "TH", "W" -> multiplier, letter(s), time flag. */
static bool timex_parse_unit(const char *u, long *mult, char *letter, bool *time_unit)
{
    if (!u || !*u)
        return false;
    *mult = isdigit((unsigned char)*u) ? strtol(u, (char **)&u, 10) : 1;
    *time_unit = *u == 'T';
    if (*time_unit)
        u++;
    *letter = *u;
    return *letter != '\0';
}

/* Granularity a shift by a duration unit lands on ("two years ago" -> a year). */
static enum timex_gran timex_shift_gran(char letter, bool time_unit)
{
    if (time_unit)
        return TIMEX_G_DAY;
    switch (letter) {
    case 'Y':
        return TIMEX_G_YEAR;
    case 'Q':
        return TIMEX_G_QUARTER;
    case 'M':
        return TIMEX_G_MONTH;
    case 'W':
        return TIMEX_G_WEEK;
    default:
        return TIMEX_G_DAY;
    }
}

/* Is the previously mentioned date recent enough (this or the previous sentence) to anchor? */
static bool timex_ref_near(const struct timex_ctx *c, const struct timex_match *m)
{
    return c->ref.year >= 0 && c->ref_in_block && c->toks[m->first].sent <= c->ref_sent + 1;
}

/* "two years ago" (from the DCT), "a year earlier" (from the previous date), "… from now".
 * A year back from a quarter stays a quarter ("the quarter … a year earlier" = 1988-Q3). */
static bool timex_act_ago(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out)
{
    const char *mode = m->rule->args[0];
    long mult;
    char letter;
    bool tu;
    const char *unit = timex_get_str(c, m, TS_UNIT);
    if (!unit)
        unit = m->rule->args[1];
    if (!timex_parse_unit(unit, &mult, &letter, &tu))
        return false;
    long n = (long)timex_get_count(c, m, 1) * mult;
    long sign = strcmp(mode, "fut") == 0 ? 1 : -1;
    if (strcmp(mode, "ref") == 0)
        sign = timex_get_int(c, m, TS_SHIFTREF, -1) > 0 ? 1 : -1;
    enum timex_gran g = timex_shift_gran(letter, tu);
    bool near = timex_ref_near(c, m);
    const struct timex_point *base = &c->dct;
    bool base_day = c->dct_day;
    if (strcmp(mode, "ref") == 0 && near && c->ref.gran <= g) {
        base = &c->ref;
        base_day = c->ref.gran == TIMEX_G_DAY;
    }
    struct timex_point p;
    if (g == TIMEX_G_YEAR && n == 1 && c->quarter.year >= 0) /* earnings: the same quarter */
        p = timex_point_shift(&c->quarter, TIMEX_G_YEAR, sign);
    else
        p = timex_from_base(base, base_day, g, sign * n);
    (void)text;
    timex_put(out, &p);
    return true;
}

/* "the next day", "the previous year", "that day": from the previously mentioned date. */
static bool timex_act_anaphor(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_expr *out)
{
    enum timex_gran g;
    if (!timex_unit_gran(timex_get_str(c, m, TS_CUNIT), &g))
        return false;
    long n = m->rule->args[0][0] ? atol(m->rule->args[0]) : timex_get_int(c, m, TS_ADIR, 0);
    struct timex_point p;
    if (c->ref.year >= 0 && c->ref.gran <= g)
        p = timex_from_base(&c->ref, c->ref.gran == TIMEX_G_DAY, g, n);
    else
        p = timex_from_base(&c->dct, c->dct_day, g, n);
    (void)text;
    timex_put(out, &p);
    return true;
}

/* The year of a quarter/half/season: stated, "this/last/next", or chosen by tense. */
static void timex_period_year(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_point *p)
{
    int y = timex_get_int(c, m, TS_YEAR, -1);
    int32_t dv;
    const char *sv;
    if (y >= 0) {
        p->year = y;
    } else if (timex_get(c, m, TS_DIR, &dv, &sv) && c->dct.year >= 0) {
        p->year = c->dct.year + dv; /* news usage: "last spring" is last year's spring */
    } else {
        /* quarters and halves are mostly reported after the fact: a past cue decides, but the
         * future cues of earnings sentences ("expects", "will report") mislead more than they
         * help, so then the nearest one wins */
        int tense = timex_tense_text(c, m, text);
        if (p->gran != TIMEX_G_SEASON && tense > 0)
            tense = 0;
        timex_choose_year(c, p, tense);
    }
}

/* "the third quarter", "Q3 2024", "the quarter" (the one just mentioned, else the last one
 * completed before the DCT, as earnings reports use it). */
static bool timex_act_quarter(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_expr *out)
{
    int q = timex_get_int(c, m, TS_ORDW, -1);
    if (q < 0)
        q = timex_get_int(c, m, TS_ORDN, -1);
    if (q < 0)
        q = timex_get_int(c, m, TS_QTOK, -1);
    struct timex_point p = {-1, -1, -1, q, TIMEX_G_QUARTER};
    int y = timex_get_int(c, m, TS_YEAR, -1);
    if (q < 0) {
        if (c->quarter.year >= 0)
            p = c->quarter;
        else
            p = timex_from_base(&c->dct, c->dct_day, TIMEX_G_QUARTER, -1);
        if (y >= 0) /* "the 1988 quarter": the quarter under discussion, in 1988 */
            p.year = y;
        timex_put(out, &p);
        return true;
    }
    if (q > 4)
        return false;
    timex_period_year(c, m, text, &p);
    timex_put(out, &p);
    return true;
}

static bool timex_act_half(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                           struct timex_expr *out)
{
    int h = m->rule->args[0][0] ? atoi(m->rule->args[0]) : timex_get_int(c, m, TS_ORDW, -1);
    if (h < 0)
        h = timex_get_int(c, m, TS_ORDN, -1);
    if (h < 1 || h > 2)
        return false;
    struct timex_point p = {-1, -1, -1, h, TIMEX_G_HALF};
    int32_t dv;
    const char *sv;
    if (timex_get_int(c, m, TS_YEAR, -1) < 0 && timex_get(c, m, TS_DIR, &dv, &sv) &&
        c->dct.year >= 0)
        p.year = c->dct.year + dv; /* "the first half of next year" */
    else
        timex_period_year(c, m, text, &p);
    timex_put(out, &p);
    return true;
}

static bool timex_act_season(const struct timex_ctx *c, const struct timex_match *m,
                             const char *text, struct timex_expr *out)
{
    static const char *const codes[] = {"SP", "SU", "FA", "WI"};
    const char *s = timex_get_str(c, m, TS_SEASON);
    struct timex_point p = {-1, -1, -1, -1, TIMEX_G_SEASON};
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, codes[i]) == 0)
            p.sub = i;
    if (p.sub < 0)
        return false;
    timex_period_year(c, m, text, &p);
    timex_put(out, &p);
    return true;
}

/* "the 1990s" -> 199, "the '80s" -> 198. */
static bool timex_act_decade(const struct timex_ctx *c, const struct timex_match *m,
                             const char *text, struct timex_expr *out)
{
    int v = timex_get_int(c, m, TS_DECN, -1);
    if (v < 0)
        v = timex_get_int(c, m, TS_DECW, -1);
    if (v < 0)
        return false;
    if (v < 100)
        v += (c->dct.year >= 0 && 2000 + v <= c->dct.year) ? 2000 : 1900;
    struct timex_point p = {v, -1, -1, 0, TIMEX_G_DECADE};
    (void)text;
    timex_put(out, &p);
    return true;
}

static bool timex_act_century(const struct timex_ctx *c, const struct timex_match *m,
                              const char *text, struct timex_expr *out)
{
    int n = timex_get_int(c, m, TS_ORDW, -1);
    if (n < 0)
        n = timex_get_int(c, m, TS_ORDN, -1);
    if (n < 1 || n > 30)
        return false;
    struct timex_point p = {(n - 1) * 100, -1, -1, 0, TIMEX_G_CENTURY};
    (void)text;
    timex_put(out, &p);
    return true;
}

/* "nineteen ninety-six" -> 1996, "two thousand one" -> 2001 (broadcast transcripts). */
static bool timex_act_spokenyear(const struct timex_ctx *c, const struct timex_match *m,
                                 const char *text, struct timex_expr *out)
{
    int cent = timex_get_int(c, m, TS_CENTW, 20), tens = timex_get_int(c, m, TS_TENSW, 0);
    struct timex_point p = {cent * 100 + tens + timex_get_int(c, m, TS_ONESW, 0), -1, -1, 0,
                            TIMEX_G_YEAR};
    (void)text;
    timex_put(out, &p);
    return true;
}

/* Writes "P11Y", "PT5H", "PXY" for count n (-1 = X) of unit u. */
static bool timex_put_duration(struct timex_expr *out, long n, const char *u)
{
    long mult;
    char letter;
    bool tu;
    if (!timex_parse_unit(u, &mult, &letter, &tu))
        return false;
    if (n < 0)
        snprintf(out->value, sizeof out->value, "P%sX%c", tu ? "T" : "", letter);
    else
        snprintf(out->value, sizeof out->value, "P%s%ld%c", tu ? "T" : "", n * mult, letter);
    return true;
}

/* "11 years", "the past decade" (P10Y), "several years" (dur:X), "a year" (dur:1). */
static bool timex_act_dur(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out)
{
    const char *a = m->rule->args[0];
    const char *u = timex_get_str(c, m, TS_UNIT);
    if (!u)
        u = timex_get_str(c, m, TS_UNITPL);
    if (!u)
        u = timex_get_str(c, m, TS_LONGUNIT);
    long n = a[0] == 'X' ? -1 : a[0] ? atol(a) : timex_get_count(c, m, 1);
    int ucls = c->slots->cls[TS_UNIT], pcls = c->slots->cls[TS_UNITPL];
    if (!a[0] && timex_get_count(c, m, -1) < 0 && ucls >= 0 && pcls >= 0 &&
        m->caps.tok[ucls] >= 0 && ((c->toks[m->caps.tok[ucls]].cls >> pcls) & 1))
        n = -1; /* "the coming years": a plural unit without a count is vague */
    (void)text;
    return n != 0 && timex_put_duration(out, n, u);
}

/* "daily" (set:P1D), "every week", "each year". */
static bool timex_act_set(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out)
{
    (void)text;
    if (m->rule->args[0][0]) {
        snprintf(out->value, sizeof out->value, "%s", m->rule->args[0]);
        return true;
    }
    return timex_put_duration(out, timex_get_count(c, m, 1), timex_get_str(c, m, TS_UNIT));
}

/* "now" (ref:PRESENT_REF), "recently", "the future". */
static bool timex_act_ref(const struct timex_ctx *c, const struct timex_match *m, const char *text,
                          struct timex_expr *out)
{
    (void)c;
    (void)text;
    snprintf(out->value, sizeof out->value, "%s", m->rule->args[0]);
    return out->value[0] != '\0';
}

static const struct {
    const char *name;
    timex_action_fn fn;
} timex_actions[] = {
    {"date", timex_act_date},       {"month", timex_act_month},
    {"weekday", timex_act_weekday}, {"partday", timex_act_partday},
    {"clock", timex_act_clock},     {"rel", timex_act_rel},
    {"relday", timex_act_relday},   {"ago", timex_act_ago},
    {"anaphor", timex_act_anaphor}, {"quarter", timex_act_quarter},
    {"half", timex_act_half},       {"season", timex_act_season},
    {"decade", timex_act_decade},   {"century", timex_act_century},
    {"dur", timex_act_dur},         {"set", timex_act_set},
    {"ref", timex_act_ref},         {"spokenyear", timex_act_spokenyear},
    {"holiday", timex_act_holiday},
};

static timex_action_fn timex_find_action(const char *name)
{
    for (size_t i = 0; i < sizeof timex_actions / sizeof timex_actions[0]; i++)
        if (strcmp(timex_actions[i].name, name) == 0)
            return timex_actions[i].fn;
    return NULL;
}

const char *timex_unknown_action(const struct timex_rules *rs)
{
    for (size_t i = 0; i < rs->n_rules; i++)
        if (!rs->rules[i].ignore && !timex_find_action(rs->rules[i].action))
            return rs->rules[i].action;
    return NULL;
}

bool timex_resolve(const struct timex_ctx *c, const struct timex_match *m, struct timex_expr *out)
{
    timex_action_fn fn = timex_find_action(m->rule->action);
    out->type = m->rule->type;
    out->value[0] = '\0';
    return fn && fn(c, m, c->text, out) && out->value[0];
}
