/*
 * timex_calendar.c — calendar arithmetic for the temporal tagger: day numbers, ISO weeks,
 * points at a granularity, and TIMEX3 value strings in both directions.
 */
#include "ingest/timex/timex_calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
long timex_days_from_civil(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void timex_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int timex_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 31;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return dim[m - 1] + (m == 2 && leap);
}

int timex_weekday(long days)
{
    long w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

/* Monday of ISO week 1 of ISO year y. */
static long timex_iso_week1(int y)
{
    long jan4 = timex_days_from_civil(y, 1, 4);
    return jan4 - (timex_weekday(jan4) - 1);
}

static void timex_iso_week(long days, int *iso_year, int *week)
{
    int y, m, d;
    timex_civil_from_days(days, &y, &m, &d);
    long w1 = timex_iso_week1(y + 1);
    if (days >= w1)
        y++;
    else if (days < (w1 = timex_iso_week1(y)))
        y--;
    *iso_year = y;
    *week = (int)((days - timex_iso_week1(y)) / 7) + 1;
}

static const int timex_season_start[] = {3, 6, 9, 12}; /* SP SU FA WI start months */

bool timex_point_interval(const struct timex_point *p, long *first, long *last)
{
    int y = p->year;
    if (y < 0)
        return false;
    int m = p->month > 0 ? p->month : 1;
    switch (p->gran) {
    case TIMEX_G_DAY:
        if (p->month < 1 || p->day < 1)
            return false;
        *first = *last = timex_days_from_civil(y, p->month, p->day);
        return true;
    case TIMEX_G_WEEK:
    case TIMEX_G_WEEKEND:
        *first = timex_iso_week1(y) + 7L * (p->sub - 1);
        *last = *first + 6;
        if (p->gran == TIMEX_G_WEEKEND)
            *first += 5;
        return p->sub >= 1;
    case TIMEX_G_MONTH:
        if (p->month < 1)
            return false;
        *first = timex_days_from_civil(y, m, 1);
        *last = timex_days_from_civil(y, m, timex_days_in_month(y, m));
        return true;
    case TIMEX_G_QUARTER:
    case TIMEX_G_HALF: {
        int span = p->gran == TIMEX_G_QUARTER ? 3 : 6;
        if (p->sub < 1)
            return false;
        int m0 = (p->sub - 1) * span + 1;
        *first = timex_days_from_civil(y, m0, 1);
        *last = timex_days_from_civil(y + (m0 + span > 12), (m0 + span - 1) % 12 + 1, 1) - 1;
        return true;
    }
    case TIMEX_G_SEASON: {
        if (p->sub < 0 || p->sub > 3)
            return false;
        int m0 = timex_season_start[p->sub];
        *first = timex_days_from_civil(y, m0, 1);
        *last = *first + 91;
        return true;
    }
    case TIMEX_G_YEAR:
        *first = timex_days_from_civil(y, 1, 1);
        *last = timex_days_from_civil(y, 12, 31);
        return true;
    case TIMEX_G_DECADE:
        *first = timex_days_from_civil(y - y % 10, 1, 1);
        *last = timex_days_from_civil(y - y % 10 + 9, 12, 31);
        return true;
    case TIMEX_G_CENTURY:
        *first = timex_days_from_civil(y - y % 100, 1, 1);
        *last = timex_days_from_civil(y - y % 100 + 99, 12, 31);
        return true;
    }
    return false;
}

struct timex_point timex_point_at(long days, enum timex_gran g)
{
    struct timex_point p = {-1, -1, -1, 0, g};
    timex_civil_from_days(days, &p.year, &p.month, &p.day);
    switch (g) {
    case TIMEX_G_WEEK:
    case TIMEX_G_WEEKEND:
        timex_iso_week(days, &p.year, &p.sub);
        p.month = p.day = -1;
        break;
    case TIMEX_G_QUARTER:
        p.sub = (p.month - 1) / 3 + 1;
        p.month = p.day = -1;
        break;
    case TIMEX_G_HALF:
        p.sub = (p.month - 1) / 6 + 1;
        p.month = p.day = -1;
        break;
    case TIMEX_G_SEASON:
        p.sub = p.month == 12 ? 3 : p.month < 3 ? 3 : (p.month - 3) / 3;
        if (p.month < 3)
            p.year--; /* January belongs to the winter that began in December */
        p.month = p.day = -1;
        break;
    case TIMEX_G_MONTH:
        p.day = -1;
        break;
    case TIMEX_G_DAY:
        break;
    default:
        p.month = p.day = -1;
        break;
    }
    return p;
}

/* Months per unit for the month-based granularities, 0 for the day-based ones. */
static long timex_gran_months(enum timex_gran g)
{
    switch (g) {
    case TIMEX_G_MONTH:
        return 1;
    case TIMEX_G_QUARTER:
        return 3;
    case TIMEX_G_HALF:
    case TIMEX_G_SEASON:
        return g == TIMEX_G_HALF ? 6 : 12;
    case TIMEX_G_YEAR:
        return 12;
    case TIMEX_G_DECADE:
        return 120;
    case TIMEX_G_CENTURY:
        return 1200;
    default:
        return 0;
    }
}

/* Shifts a point whose own fields are at least as fine as the unit. */
static struct timex_point timex_shift_fields(struct timex_point p, enum timex_gran g, long n)
{
    if (g == TIMEX_G_YEAR || g == TIMEX_G_DECADE || g == TIMEX_G_CENTURY || g == TIMEX_G_SEASON) {
        p.year += (int)(n * timex_gran_months(g) / 12);
        if (p.gran == TIMEX_G_DAY && p.month == 2 && p.day == 29)
            p.day = 28;
        return p;
    }
    long mo = timex_gran_months(g);
    if (p.gran == TIMEX_G_QUARTER || p.gran == TIMEX_G_HALF) {
        long per = p.gran == TIMEX_G_QUARTER ? 4 : 2;
        long idx = (long)p.year * per + (p.sub - 1) + n * mo * per / 12;
        p.year = (int)(idx >= 0 ? idx / per : (idx - per + 1) / per);
        p.sub = (int)(idx - (long)p.year * per) + 1;
        return p;
    }
    long idx = (long)p.year * 12 + (p.month - 1) + n * mo;
    p.year = (int)(idx >= 0 ? idx / 12 : (idx - 11) / 12);
    p.month = (int)(idx - (long)p.year * 12) + 1;
    if (p.day > 0 && p.day > timex_days_in_month(p.year, p.month))
        p.day = timex_days_in_month(p.year, p.month);
    return p;
}

struct timex_point timex_point_shift(const struct timex_point *p, enum timex_gran g, long n)
{
    if (p->year < 0)
        return *p;
    long first, last;
    if (g == TIMEX_G_DAY || g == TIMEX_G_WEEK || g == TIMEX_G_WEEKEND) {
        if (!timex_point_interval(p, &first, &last))
            return *p;
        enum timex_gran out = p->gran < g ? g : p->gran;
        if (p->gran == TIMEX_G_WEEKEND)
            first -= 5;
        return timex_point_at(first + n * (g == TIMEX_G_DAY ? 1 : 7), out);
    }
    if (p->gran == TIMEX_G_WEEK || p->gran == TIMEX_G_WEEKEND ||
        (p->gran == TIMEX_G_DAY && p->month < 0)) {
        if (!timex_point_interval(p, &first, &last))
            return *p;
        struct timex_point d = timex_point_at(first, TIMEX_G_DAY);
        struct timex_point s = timex_shift_fields(d, g, n);
        return timex_point_at(timex_days_from_civil(s.year, s.month, s.day), p->gran);
    }
    if (p->month < 0 && timex_gran_months(g) < 12 && p->gran != TIMEX_G_QUARTER &&
        p->gran != TIMEX_G_HALF)
        return *p;
    return timex_shift_fields(*p, g, n);
}

/* Zero-padded field of `width` digits (the low digits of v), or X's when v is unknown. */
static void timex_fmt_num(char *out, int v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = v < 0 ? 'X' : (char)('0' + v % 10);
        if (v >= 0)
            v /= 10;
    }
    out[width] = '\0';
}

void timex_point_format(const struct timex_point *p, char *out, size_t cap)
{
    static const char *const seasons[] = {"SP", "SU", "FA", "WI"};
    char y[8], m[4], d[4];
    timex_fmt_num(y, p->year, 4);
    timex_fmt_num(m, p->month, 2);
    timex_fmt_num(d, p->day, 2);
    switch (p->gran) {
    case TIMEX_G_DAY:
        snprintf(out, cap, "%s-%s-%s", y, m, d);
        break;
    case TIMEX_G_WEEK:
    case TIMEX_G_WEEKEND:
        timex_fmt_num(m, p->sub > 0 ? p->sub : -1, 2);
        snprintf(out, cap, "%s-W%s%s", y, m, p->gran == TIMEX_G_WEEKEND ? "-WE" : "");
        break;
    case TIMEX_G_MONTH:
        snprintf(out, cap, "%s-%s", y, m);
        break;
    case TIMEX_G_QUARTER:
    case TIMEX_G_HALF:
        if (p->sub > 0)
            snprintf(out, cap, "%s-%c%d", y, p->gran == TIMEX_G_QUARTER ? 'Q' : 'H', p->sub);
        else
            snprintf(out, cap, "%s-%cX", y, p->gran == TIMEX_G_QUARTER ? 'Q' : 'H');
        break;
    case TIMEX_G_SEASON:
        snprintf(out, cap, "%s-%s", y, seasons[p->sub & 3]);
        break;
    case TIMEX_G_YEAR:
        snprintf(out, cap, "%s", y);
        break;
    case TIMEX_G_DECADE:
        snprintf(out, cap, "%.3s", y);
        break;
    case TIMEX_G_CENTURY:
        snprintf(out, cap, "%.2s", y);
        break;
    }
}

/* Reads exactly n digits (or n X's, giving -1) at s. */
static bool timex_read_field(const char *s, int n, int *v)
{
    if (s[0] == 'X') {
        for (int i = 0; i < n; i++)
            if (s[i] != 'X')
                return false;
        *v = -1;
        return true;
    }
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

static bool timex_parse_after_year(const char *s, struct timex_point *p)
{
    static const char *const seasons[] = {"SP", "SU", "FA", "WI"};
    if (s[0] == '\0' || s[0] == 'T') {
        p->gran = TIMEX_G_YEAR;
        return true;
    }
    if (s[0] != '-')
        return false;
    s++;
    for (int i = 0; i < 4; i++)
        if (strncmp(s, seasons[i], 2) == 0 && (s[2] == '\0' || s[2] == 'T')) {
            p->gran = TIMEX_G_SEASON;
            p->sub = i;
            return true;
        }
    if ((s[0] == 'Q' || s[0] == 'H' || s[0] == 'W') && s[1] != '\0') {
        p->gran = s[0] == 'Q' ? TIMEX_G_QUARTER : s[0] == 'H' ? TIMEX_G_HALF : TIMEX_G_WEEK;
        int w = p->gran == TIMEX_G_WEEK ? 2 : 1;
        if (!timex_read_field(s + 1, w, &p->sub))
            return false;
        if (p->gran == TIMEX_G_WEEK && strncmp(s + 3, "-WE", 3) == 0)
            p->gran = TIMEX_G_WEEKEND;
        return true;
    }
    if (!timex_read_field(s, 2, &p->month))
        return false;
    p->gran = TIMEX_G_MONTH;
    if (s[2] != '-')
        return s[2] == '\0' || s[2] == 'T';
    p->gran = TIMEX_G_DAY;
    return timex_read_field(s + 3, 2, &p->day);
}

static bool timex_point_parse_fields(const char *v, struct timex_point *p)
{
    *p = (struct timex_point){-1, -1, -1, 0, TIMEX_G_YEAR};
    size_t n = strlen(v);
    if (n == 2 && timex_read_field(v, 2, &p->year)) {
        p->gran = TIMEX_G_CENTURY;
        p->year = p->year < 0 ? -1 : p->year * 100;
        return true;
    }
    if (n == 3 && timex_read_field(v, 3, &p->year)) {
        p->gran = TIMEX_G_DECADE;
        p->year = p->year < 0 ? -1 : p->year * 10;
        return true;
    }
    if (n < 4 || !timex_read_field(v, 4, &p->year))
        return false;
    return timex_parse_after_year(v + 4, p);
}

/* Are the known fields of p within their calendar ranges? */
static bool timex_point_valid(const struct timex_point *p)
{
    switch (p->gran) {
    case TIMEX_G_DAY:
        if (p->day != -1 && (p->day < 1 || p->day > 31))
            return false;
        if (p->day > 0 && p->month >= 1 && p->month <= 12 &&
            p->day > timex_days_in_month(p->year < 0 ? 2000 : p->year, p->month))
            return false;
        /* fall through */
    case TIMEX_G_MONTH:
        return p->month == -1 || (p->month >= 1 && p->month <= 12);
    case TIMEX_G_WEEK:
    case TIMEX_G_WEEKEND:
        return p->sub == -1 || (p->sub >= 1 && p->sub <= 53);
    case TIMEX_G_QUARTER:
        return p->sub == -1 || (p->sub >= 1 && p->sub <= 4);
    case TIMEX_G_HALF:
        return p->sub == -1 || (p->sub >= 1 && p->sub <= 2);
    default:
        return true;
    }
}

bool timex_point_parse(const char *v, struct timex_point *p)
{
    return timex_point_parse_fields(v, p) && timex_point_valid(p);
}
