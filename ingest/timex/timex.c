/*
 * timex.c — the temporal tagger: loads the rules and word classes from the data directory,
 * scans a text block by block (tokens, longest rule match at each token, modifiers that extend
 * it leftwards, then normalisation), and the date helpers built on it (stated dates, inferred
 * publication dates, calendar dates of values).
 *
 * The tagger is immutable after timex_tagger_open; timex_tag keeps its state on the stack and
 * in its own buffers, so any number of threads may share one tagger.
 */
#include "ingest/timex/timex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/timex/timex_actions.h"
#include "ingest/timex/timex_calendar.h"
#include "ingest/timex/timex_lex.h"
#include "ingest/timex/timex_resolve.h"
#include "ingest/timex/timex_rules.h"

/* Tokens per block: bounds memory on huge input; blocks end at paragraph breaks. */
#define TIMEX_BLOCK_TOKENS 4096

struct timex_tagger {
    struct timex_lex lx;
    struct timex_rules rules;
    struct timex_slots slots;
    int cue_cls; /* PUBCUE: "Published", "©" … */
    int year_cls;
};

void timex_tagger_close(struct timex_tagger *t)
{
    if (!t)
        return;
    timex_rules_free(&t->rules);
    timex_lex_free(&t->lx);
    free(t);
}

struct timex_tagger *timex_tagger_open(const char *data_dir, char **err)
{
    if (err)
        *err = NULL;
    struct timex_tagger *t = calloc(1, sizeof *t);
    if (!t) {
        if (err)
            *err = strdup("out of memory");
        return NULL;
    }
    timex_lex_init(&t->lx);
    if (timex_rules_load(&t->rules, &t->lx, data_dir, err) < 0) {
        timex_tagger_close(t);
        return NULL;
    }
    const char *bad = timex_unknown_action(&t->rules);
    if (bad) {
        if (err && (*err = malloc(strlen(bad) + 48)))
            sprintf(*err, "timex_rules.txt: unknown action %s", bad);
        timex_tagger_close(t);
        return NULL;
    }
    timex_slots_init(&t->slots, &t->lx);
    t->cue_cls = timex_lex_class(&t->lx, "PUBCUE");
    t->year_cls = timex_lex_class(&t->lx, "YEAR");
    return t;
}

/* ---- output vector ---- */

struct timex_vec {
    struct timex_expr *items;
    int8_t *tense; /* per item, only when want_tense (publication date inference) */
    size_t n, cap;
    bool want_tense;
};

static int timex_vec_push(struct timex_vec *v, const struct timex_expr *x, int tense)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 16;
        struct timex_expr *items = realloc(v->items, ncap * sizeof *items);
        if (!items)
            return -1;
        v->items = items;
        if (v->want_tense) {
            int8_t *tn = realloc(v->tense, ncap);
            if (!tn)
                return -1;
            v->tense = tn;
        }
        v->cap = ncap;
    }
    if (v->want_tense)
        v->tense[v->n] = (int8_t)tense;
    v->items[v->n++] = *x;
    return 0;
}

/* ---- tagging ---- */

/* Replaces the tokenizer's rough sentence numbers with the caller's sentence spans. */
static void timex_map_sentences(struct timex_tok *toks, size_t n, const struct span *sentences,
                                size_t n_sentences, size_t *si)
{
    for (size_t i = 0; i < n; i++) {
        while (*si < n_sentences && sentences[*si].end <= toks[i].start)
            (*si)++;
        toks[i].sent = (uint32_t)*si;
    }
}

static void timex_ctx_init(struct timex_ctx *c, const struct timex_tagger *t, const char *text,
                           const char *dct)
{
    memset(c, 0, sizeof *c);
    c->lx = &t->lx;
    c->slots = &t->slots;
    c->text = text;
    c->dct = (struct timex_point){-1, -1, -1, -1, TIMEX_G_YEAR};
    c->ref = c->dct;
    c->quarter = c->dct;
    struct timex_point p;
    if (dct && timex_point_parse(dct, &p) && p.year >= 0 &&
        (p.gran == TIMEX_G_DAY || p.gran == TIMEX_G_MONTH || p.gran == TIMEX_G_YEAR)) {
        c->dct = p;
        c->dct_day = p.gran == TIMEX_G_DAY && p.month > 0 && p.day > 0;
    }
}

/* Can quarter p be the one an earnings story reports, which "a year ago", "the year-earlier
 * period" and "the quarter" then refer to? Not one that has not ended by the story's date
 * unless a past tense reports it (a fiscal quarter: "reported lower fourth-quarter earnings"
 * on 2 November): "losses through the third quarter of 1990", "continue into the fourth
 * quarter" are forecasts. Nor one named as a contrast ("After a flat second quarter, … the
 * gain"). */
#define TIMEX_CONTRAST_REACH 3
static bool timex_reported_quarter(const struct timex_ctx *c, const struct timex_match *m,
                                   const struct timex_point *p)
{
    bool open =
        c->dct.year >= 0 && c->dct.month > 0 &&
        (p->year > c->dct.year || (p->year == c->dct.year && p->sub >= (c->dct.month - 1) / 3 + 1));
    if (open && timex_tense_text(c, m, c->text) >= 0)
        return false;
    int cls = c->slots->cls[TS_CONTRAST];
    for (size_t k = m->first, n = 0; k > 0 && n < TIMEX_CONTRAST_REACH; n++) {
        k--;
        if (c->toks[k].sent != c->toks[m->first].sent || c->toks[k].kind == TIMEX_TOK_PUNCT)
            break;
        int32_t iv;
        const char *sv;
        if (timex_tok_value(c->lx, &c->toks[k], cls, &iv, &sv))
            return false;
    }
    return true;
}

/* Remembers a resolved date as the anchor of later anaphoric expressions. */
static void timex_note_ref(struct timex_ctx *c, const struct timex_match *m,
                           const struct timex_expr *x, uint32_t sent)
{
    struct timex_point p;
    if (x->type == TIMEX_DURATION || x->type == TIMEX_SET || !timex_point_parse(x->value, &p) ||
        p.year < 0)
        return;
    /* "… from 4.91 billion in the same month last year. Seat miles for the month rose": a
     * comparison does not move the date in discussion */
    if (strcmp(m->rule->action, "sameago") == 0)
        return;
    c->ref = p;
    c->ref_sent = sent;
    int ycls = c->slots->cls[TS_YEAR];
    c->ref_bare_month =
        p.gran == TIMEX_G_MONTH && (ycls < 0 || m->caps.tok[ycls] < 0) &&
        (strcmp(m->rule->action, "date") == 0 || strcmp(m->rule->action, "mrange") == 0);
    c->ref_in_block = true;
    if (p.gran == TIMEX_G_QUARTER && p.sub > 0 && timex_reported_quarter(c, m, &p)) {
        c->quarter = p;
        c->quarter_at = x->end;
    }
}

/* Tags one block of tokens. */
static int timex_tag_block(const struct timex_tagger *t, struct timex_ctx *c, struct timex_vec *v)
{
    size_t floor = 0;
    c->ref_in_block = false;
    for (size_t i = 0; i < c->n;) {
        struct timex_match m;
        if (!timex_rules_match_at(&t->rules, c->toks, c->n, i, &m)) {
            i++;
            continue;
        }
        /* a rule with left context ("by [ Jan ]") must not hide a longer match that starts
         * inside its context or at its extent ("Jan. 14"); an IGNORE rule's context is
         * there to hide one ("to [ last ] two weeks" is the verb) */
        for (size_t j = i + 1; !m.rule->ignore && j <= m.first && j < c->n; j++) {
            struct timex_match m2;
            if (timex_rules_match_at(&t->rules, c->toks, c->n, j, &m2) && m2.last > m.last)
                m = m2;
        }
        if (m.rule->ignore) {
            i = m.last;
            continue;
        }
        timex_rules_extend(&t->rules, c->toks, floor, &m);
        struct timex_expr x;
        memset(&x, 0, sizeof x);
        if (timex_resolve(c, &m, &x)) {
            if (!x.mod[0] && m.mod)
                snprintf(x.mod, sizeof x.mod, "%s", m.mod);
            x.start = c->toks[m.first].start;
            x.end = c->toks[m.last - 1].end;
            int tense = v->want_tense ? timex_tense_text(c, &m, c->text) : 0;
            if (timex_vec_push(v, &x, tense) < 0)
                return -1;
            /* "a year earlier" points away from the story's time; it does not become it */
            if (strcmp(m.rule->action, "ago") != 0)
                timex_note_ref(c, &m, &x, c->toks[m.first].sent);
            floor = m.last;
            i = m.last > i ? m.last : i + 1;
        } else {
            i++; /* the action declined (e.g. "Feb. 30"): shorter matches may still apply */
        }
    }
    return 0;
}

/* Tags text into v (which the caller frees, also on error). 0 or -1 (out of memory). */
static int timex_tag_into(const struct timex_tagger *t, const char *text, size_t len,
                          const struct span *sentences, size_t n_sentences, const char *dct,
                          struct timex_vec *v)
{
    struct timex_tok *toks = malloc(TIMEX_BLOCK_TOKENS * sizeof *toks);
    if (!toks)
        return -1;
    struct timex_ctx c;
    timex_ctx_init(&c, t, text, dct);
    size_t pos = 0, si = 0;
    int rc = 0;
    while (pos < len && rc == 0) {
        size_t next;
        size_t n = timex_tokenize(&t->lx, text, len, pos, toks, TIMEX_BLOCK_TOKENS, &next);
        if (n == 0)
            break;
        if (sentences)
            timex_map_sentences(toks, n, sentences, n_sentences, &si);
        c.toks = toks;
        c.n = n;
        rc = timex_tag_block(t, &c, v);
        pos = next > pos ? next : len;
    }
    free(toks);
    return rc;
}

int timex_tag(const struct timex_tagger *t, const char *text, size_t len,
              const struct span *sentences, size_t n_sentences, const char *dct,
              struct timex_expr **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (!t || !text)
        return 0;
    struct timex_vec v = {0};
    if (timex_tag_into(t, text, len, sentences, n_sentences, dct, &v) < 0) {
        free(v.items);
        return -1;
    }
    *out = v.items;
    *n_out = v.n;
    return 0;
}

/* ---- calendar dates of values ---- */

/* Writes "YYYY-MM-DD", "YYYY-MM" or "YYYY" (m or d -1 to stop there) into out[11]. */
static void timex_date_string(int y, int m, int d, char out[11])
{
    struct timex_point p = {y % 10000, m, d, 0,
                            d > 0   ? TIMEX_G_DAY
                            : m > 0 ? TIMEX_G_MONTH
                                    : TIMEX_G_YEAR};
    char buf[32];
    timex_point_format(&p, buf, sizeof buf);
    snprintf(out, 11, "%.10s", buf);
}

bool timex_value_date(const char *value, char out[11], enum date_precision *precision)
{
    struct timex_point p;
    if (!value || !timex_point_parse(value, &p) || p.year < 0)
        return false;
    long first, last;
    int y, m, d;
    switch (p.gran) {
    case TIMEX_G_DAY:
        if (p.month < 1 || p.day < 1)
            return false;
        timex_date_string(p.year, p.month, p.day, out);
        *precision = PRECISION_DAY;
        return true;
    case TIMEX_G_MONTH:
        if (p.month < 1)
            return false;
        timex_date_string(p.year, p.month, -1, out);
        *precision = PRECISION_MONTH;
        return true;
    case TIMEX_G_YEAR:
        timex_date_string(p.year, -1, -1, out);
        *precision = PRECISION_YEAR;
        return true;
    case TIMEX_G_DECADE:
    case TIMEX_G_CENTURY:
        return false; /* "the 1990s" is no year: a timeline would misplace it as 1990 */
    default:          /* weeks, quarters, halves, seasons: their first month */
        if (!timex_point_interval(&p, &first, &last))
            return false;
        timex_civil_from_days(first, &y, &m, &d);
        timex_date_string(y, m, -1, out);
        *precision = PRECISION_MONTH;
        return true;
    }
}

/* First and last day of a value; a clock time ("1987-03-04T16:00") covers its day. */
static bool timex_value_days(const char *value, long *first, long *last)
{
    char date[24];
    snprintf(date, sizeof date, "%s", value ? value : "");
    char *t = strchr(date, 'T');
    if (t && t - date == 10)
        *t = '\0';
    struct timex_point p;
    return timex_point_parse(date, &p) && timex_point_interval(&p, first, last);
}

bool timex_value_interval(const char *value, const char *range_end, char first[11], char last[11])
{
    long f, l, rf, rl;
    if (!timex_value_days(value, &f, &l))
        return false;
    if (range_end && range_end[0] && timex_value_days(range_end, &rf, &rl) && rl > l)
        l = rl;
    int y, m, d;
    timex_civil_from_days(f, &y, &m, &d);
    if (y < 0 || y > 9999)
        return false;
    timex_date_string(y, m, d, first);
    timex_civil_from_days(l, &y, &m, &d);
    if (y < 0 || y > 9999)
        return false;
    timex_date_string(y, m, d, last);
    return true;
}

/* A stated date: the first DATE/TIME expression in s whose year is given. */
bool timex_parse_date(const struct timex_tagger *t, const char *s, size_t len, char out[11],
                      enum date_precision *precision)
{
    struct timex_expr *v;
    size_t n;
    if (!t || !s || timex_tag(t, s, len, NULL, 0, NULL, &v, &n) < 0)
        return false;
    bool ok = false;
    for (size_t i = 0; i < n && !ok; i++) {
        if (v[i].type != TIMEX_DATE && v[i].type != TIMEX_TIME)
            continue;
        struct timex_point p;
        if (!timex_point_parse(v[i].value, &p) || p.year < 0)
            continue;
        if (p.gran != TIMEX_G_DAY && p.gran != TIMEX_G_MONTH && p.gran != TIMEX_G_YEAR)
            continue;
        ok = timex_value_date(v[i].value, out, precision);
    }
    free(v);
    return ok;
}

/* ---- publication date inference ---- */

struct timex_pubinfo {
    char cue_date[11];       /* a date right after "Published:" / "Updated:" */
    int copyright_year;      /* latest year after "©" / "Copyright" */
    struct timex_point day;  /* latest explicit full date */
    int latest_year;         /* latest explicit year of any precision */
    int latest_month_noyear; /* latest month among dates stated without a year */
};

/* Scans the tokens for publication and copyright cues. */
static void timex_scan_cues(const struct timex_tagger *t, const char *text, size_t len,
                            const struct timex_expr *v, size_t n, struct timex_pubinfo *info)
{
    struct timex_tok *toks = malloc(TIMEX_BLOCK_TOKENS * sizeof *toks);
    if (!toks || t->cue_cls < 0)
        goto done;
    size_t pos = 0, vi = 0;
    while (pos < len) {
        size_t next, nt = timex_tokenize(&t->lx, text, len, pos, toks, TIMEX_BLOCK_TOKENS, &next);
        for (size_t i = 0; i < nt; i++) {
            int32_t iv;
            const char *sv;
            if (!timex_tok_value(&t->lx, &toks[i], t->cue_cls, &iv, &sv))
                continue;
            if (strcmp(sv, "copyright") == 0) {
                for (size_t k = i + 1; k < nt && k <= i + 4; k++)
                    if (timex_tok_value(&t->lx, &toks[k], t->year_cls, &iv, &sv) &&
                        iv > info->copyright_year)
                        info->copyright_year = iv;
                continue;
            }
            while (vi < n && v[vi].start < toks[i].end)
                vi++;
            enum date_precision pr;
            char d[11];
            if (!info->cue_date[0] && vi < n && v[vi].start - toks[i].end <= 4 &&
                timex_value_date(v[vi].value, d, &pr) && pr == PRECISION_DAY)
                memcpy(info->cue_date, d, 11);
        }
        if (nt == 0 || next <= pos)
            break;
        pos = next;
    }
done:
    free(toks);
}

/* Dates stated in the text; those in future-tense sentences ("will … by 2030") are plans,
 * not evidence that the page was written after them. */
static void timex_scan_dates(const struct timex_vec *tv, struct timex_pubinfo *info)
{
    const struct timex_expr *v = tv->items;
    for (size_t i = 0; i < tv->n; i++) {
        struct timex_point p;
        if (v[i].type != TIMEX_DATE || tv->tense[i] > 0 || !timex_point_parse(v[i].value, &p))
            continue;
        if (p.year < 0) {
            if ((p.gran == TIMEX_G_DAY || p.gran == TIMEX_G_MONTH) && p.month > 0 &&
                p.month > info->latest_month_noyear)
                info->latest_month_noyear = p.month;
            continue;
        }
        if (p.year > 2200 || p.gran > TIMEX_G_YEAR)
            continue;
        if (p.year > info->latest_year)
            info->latest_year = p.year;
        long f1, l1, f2, l2;
        if (p.gran == TIMEX_G_DAY && timex_point_interval(&p, &f1, &l1) &&
            (!timex_point_interval(&info->day, &f2, &l2) || f1 > f2))
            info->day = p;
    }
}

bool timex_infer_published(const struct timex_tagger *t, const char *text, size_t len, char out[11],
                           enum date_precision *precision)
{
    struct timex_vec v = {0};
    v.want_tense = true;
    if (!t || !text || timex_tag_into(t, text, len, NULL, 0, NULL, &v) < 0) {
        free(v.items);
        free(v.tense);
        return false;
    }
    struct timex_pubinfo info;
    memset(&info, 0, sizeof info);
    info.day = (struct timex_point){-1, -1, -1, 0, TIMEX_G_DAY};
    timex_scan_cues(t, text, len, v.items, v.n, &info);
    timex_scan_dates(&v, &info);
    free(v.items);
    free(v.tense);
    if (info.cue_date[0]) {
        memcpy(out, info.cue_date, 11);
        *precision = PRECISION_DAY;
        return true;
    }
    /* A page is published after the dates it reports: the latest full date gives the month,
     * the copyright line the year when it is later. */
    int year = info.copyright_year > info.day.year ? info.copyright_year : info.day.year;
    if (year > 0 && year == info.day.year) {
        timex_date_string(year, info.day.month, -1, out);
        *precision = PRECISION_MONTH;
        return true;
    }
    if (year <= 0)
        year = info.latest_year;
    if (year <= 0)
        return false;
    if (info.latest_month_noyear > 0 && year != info.copyright_year) {
        timex_date_string(year, info.latest_month_noyear, -1, out);
        *precision = PRECISION_MONTH;
        return true;
    }
    timex_date_string(year, -1, -1, out);
    *precision = PRECISION_YEAR;
    return true;
}
