/*
 * timex_calendar.h — calendar points at a granularity (a day, an ISO week, a month, a quarter,
 * a season, a year, a decade …): arithmetic, intervals, and their TIMEX3 value strings
 * (internal to ingest/timex*.c). Unknown fields are -1 and print as X ("XXXX-10-31").
 */
#ifndef INGEST_TIMEX_CALENDAR_H
#define INGEST_TIMEX_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

enum timex_gran {
    TIMEX_G_DAY = 0,
    TIMEX_G_WEEK,    /* sub = ISO week, year = ISO year */
    TIMEX_G_WEEKEND, /* as WEEK, printed with -WE */
    TIMEX_G_MONTH,
    TIMEX_G_QUARTER, /* sub = 1..4 */
    TIMEX_G_HALF,    /* sub = 1..2 */
    TIMEX_G_SEASON,  /* sub = 0 SP, 1 SU, 2 FA, 3 WI */
    TIMEX_G_YEAR,
    TIMEX_G_DECADE,
    TIMEX_G_CENTURY
};

struct timex_point {
    int year, month, day; /* -1 = unknown */
    int sub;
    enum timex_gran gran;
};

/* Days since 1970-01-01 of a proleptic Gregorian date. */
long timex_days_from_civil(int y, int m, int d);
void timex_civil_from_days(long z, int *y, int *m, int *d);
int timex_days_in_month(int y, int m);
/* ISO weekday (Monday = 1) of a day number. */
int timex_weekday(long days);

/* First and last day (day numbers) that point p covers; false if its year is unknown. */
bool timex_point_interval(const struct timex_point *p, long *first, long *last);
/* The point at granularity g containing day number `days`. */
struct timex_point timex_point_at(long days, enum timex_gran g);
/* p moved by n units of granularity g (its own granularity kept unless g is coarser). Unknown
 * fields stay unknown. */
struct timex_point timex_point_shift(const struct timex_point *p, enum timex_gran g, long n);
/* The TIMEX3 value of p, e.g. "2025-10-31", "1998-W06", "1989-Q3", "199". */
void timex_point_format(const struct timex_point *p, char *out, size_t cap);
/* Parses a value of the forms timex_point_format writes (X allowed); false otherwise. */
bool timex_point_parse(const char *value, struct timex_point *p);

#endif
