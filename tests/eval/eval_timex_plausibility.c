/*
 * eval_timex_plausibility.c — how believable the timelines of a dated news corpus are.
 *
 *   eval_timex_plausibility --data DATA_DIR [--list] [--list-future] [--list-back] FILE.jsonl
 *
 * Every record (JSONL: id, title, text, published …) goes through the real ingest path. Two
 * measures a reader of the timeline notices first:
 *   - events outside [published - 100 years, published + 15 years]: a wire story rarely dates
 *     anything there, so these are mostly numbers misread as years (listed with --list, or
 *     always when fewer than 40);
 *   - bare month or weekday names ("in August", "on Wednesday") in a future-tense clause (see
 *     future_clause) that were resolved before the publication date: the sentence points
 *     forward, the timeline put it in the past.
 * Also the event year range and the number of year buckets, as /v1/stats shows them, and how
 * many bare month names were put 7 or more months before the story (mostly misdirected).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/grow.h"
#include "base/wordlist.h"
#include "ingest/doc.h"
#include "ingest/pipeline.h"
#include "ingest/timex/timex.h"

#define MAX_LISTED 40

struct words {
    struct wordlist *months, *weekdays;
};

struct tally {
    size_t docs, dated_events, outside, before_1900, after_15y;
    size_t bare_future, bare_future_past;
    size_t bare_months, bare_months_7back; /* bare month names; those 7+ months before */
    int min_year, max_year;
    unsigned char year_seen[10000];
    size_t listed;
    bool list_future, list_back;
};

/* The entries of a "word value" data file whose value is `want` (NULL: every entry). */
static struct wordlist *load_words(const char *dir, const char *file, const char *want)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap), line[256];
    while (buf && fgets(line, sizeof line, f)) {
        char w[64], v[64] = "";
        if (line[0] == '#' || sscanf(line, "%63s %63s", w, v) < 1)
            continue;
        if (want && strcmp(v, want) != 0)
            continue;
        size_t k = strlen(w);
        if (BASE_GROW(buf, cap, n + k + 1, 4096) < 0)
            break;
        memcpy(buf + n, w, k);
        n += k;
        buf[n++] = '\n';
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    struct wordlist *wl = wordlist_from_string(buf, true);
    free(buf);
    return wl;
}

/* The sentence containing byte offset pos. */
static const struct span *sentence_of(const struct doc *d, size_t pos)
{
    for (size_t i = 0; i < d->n_sentences; i++)
        if (d->sentences[i].start <= pos && pos < d->sentences[i].end)
            return &d->sentences[i];
    return NULL;
}

/* Is the expression in a future-tense clause: "will", "shall", "'ll", "is to", "are to" among
 * the eight words before it, with no comma, semicolon or colon in between? A fixed, narrow
 * definition, kept apart from the tagger's own cue list so that the measure does not move with
 * it. */
static bool future_clause(const struct doc *d, const struct span *s, size_t at)
{
    static const char *const cues[] = {"will", "shall", "ll", "is to", "are to"};
    int words = 0;
    size_t i = at;
    while (i > s->start && words < 8) {
        size_t j = i;
        while (j > s->start && d->text[j - 1] == ' ')
            j--;
        if (j > s->start && strchr(",;:", d->text[j - 1]))
            return false;
        size_t k = j;
        while (k > s->start && ((d->text[k - 1] | 32) >= 'a' && (d->text[k - 1] | 32) <= 'z'))
            k--;
        if (k == j) {
            i = j - (j > s->start);
            continue;
        }
        words++;
        for (size_t c = 0; c < sizeof cues / sizeof cues[0]; c++) {
            size_t n = strlen(cues[c]);
            const char *sp = strchr(cues[c], ' ');
            if (!sp && j - k == n && strncasecmp(d->text + k, cues[c], n) == 0)
                return true;
            /* "is to": this word is "to", the one before "is"/"are" */
            if (sp && j - k == 2 && strncasecmp(d->text + k, "to", 2) == 0) {
                size_t b = k;
                while (b > s->start && d->text[b - 1] == ' ')
                    b--;
                size_t lw = (size_t)(sp - cues[c]);
                if (b >= s->start + lw && strncasecmp(d->text + b - lw, cues[c], lw) == 0)
                    return true;
            }
        }
        i = k;
    }
    return false;
}

/* Is the expression a month or weekday name alone ("August", "Wed.")? */
static bool bare_name(const struct words *w, const char *s, size_t n, bool *weekday)
{
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
        n--;
    *weekday = wordlist_has(w->weekdays, s, n);
    return *weekday || wordlist_has(w->months, s, n);
}

static void print_context(const struct doc *d, const struct timex_expr *x)
{
    size_t a = x->start > 60 ? x->start - 60 : 0,
           b = x->end + 60 < d->text_len ? x->end + 60 : d->text_len;
    printf("  %s (%s) %s: …", d->id, d->published, x->value);
    for (size_t i = a; i < b; i++) {
        if (i == x->start)
            fputs("[[", stdout);
        putchar(d->text[i] == '\n' ? ' ' : d->text[i]);
        if (i + 1 == x->end)
            fputs("]]", stdout);
    }
    puts("…");
}

static void tally_doc(const struct words *w, const struct doc *d, struct tally *t, bool list)
{
    int py, pm, pd;
    if (sscanf(d->published, "%d-%d-%d", &py, &pm, &pd) != 3)
        return;
    t->docs++;
    long pub = py * 10000L + pm * 100 + pd;
    for (size_t i = 0; i < d->n_timexes; i++) {
        const struct timex_expr *x = &d->timexes[i];
        char date[11];
        enum date_precision pr;
        if ((x->type != TIMEX_DATE && x->type != TIMEX_TIME) ||
            !timex_value_date(x->value, date, &pr))
            continue;
        int y = atoi(date), m = pr >= PRECISION_MONTH ? atoi(date + 5) : 0;
        int dd = pr == PRECISION_DAY ? atoi(date + 8) : 0;
        t->dated_events++;
        if (y >= 0 && y < 10000)
            t->year_seen[y] = 1;
        if (t->min_year == 0 || y < t->min_year)
            t->min_year = y;
        if (y > t->max_year)
            t->max_year = y;
        long v = y * 10000L + m * 100 + dd;
        bool out = v < pub - 100 * 10000L || (long)(y * 10000L) > pub + 15 * 10000L;
        if (out) {
            t->outside++;
            t->before_1900 += y < 1900;
            t->after_15y += y * 10000L > pub + 15 * 10000L;
            if (list || t->listed < MAX_LISTED) {
                print_context(d, x);
                t->listed++;
            }
        }
        bool weekday;
        const struct span *s = sentence_of(d, x->start);
        if (pr < PRECISION_MONTH || !s ||
            !bare_name(w, d->text + x->start, x->end - x->start, &weekday))
            continue;
        if (!weekday) {
            t->bare_months++;
            bool back = (py * 12L + pm) - (y * 12L + m) >= 7;
            t->bare_months_7back += back;
            if (back && t->list_back) {
                printf("  7+ months back:");
                print_context(d, x);
            }
        }
        if (!future_clause(d, s, x->start))
            continue;
        t->bare_future++;
        long cmp = weekday ? pub : py * 100L + pm, val = weekday ? v : y * 100L + m;
        if (val < cmp) {
            t->bare_future_past++;
            if (t->list_future) {
                printf("  past in a future sentence:");
                print_context(d, x);
            }
        }
    }
}

static struct doc *ingest_line(const struct ingest *ing, const char *line)
{
    json_error_t je;
    json_t *o = json_loads(line, 0, &je);
    if (!o)
        return NULL;
    const char *text = json_string_value(json_object_get(o, "text"));
    struct raw_record r = {.id = json_string_value(json_object_get(o, "id")),
                           .path = "jsonl",
                           .raw = text,
                           .raw_len = text ? strlen(text) : 0,
                           .title = json_string_value(json_object_get(o, "title")),
                           .published = json_string_value(json_object_get(o, "published")),
                           .source = json_string_value(json_object_get(o, "source"))};
    struct doc *d = NULL;
    char *warn = NULL;
    if (r.id && text)
        d = ingest_document(ing, &r, &warn);
    free(warn);
    json_decref(o);
    return d;
}

static double share(size_t a, size_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

int main(int argc, char **argv)
{
    const char *data = getenv("CORPUSD_DATA_DIR"), *file = NULL;
    bool list = false, list_future = false, list_back = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--list") == 0)
            list = true;
        else if (strcmp(argv[i], "--list-future") == 0)
            list_future = true;
        else if (strcmp(argv[i], "--list-back") == 0)
            list_back = true;
        else
            file = argv[i];
    }
    if (!data || !file) {
        fprintf(stderr, "usage: eval_timex_plausibility --data DIR [--list] FILE.jsonl\n");
        return 2;
    }
    char *err = NULL;
    struct ingest *ing = ingest_open(data, &err);
    struct words w = {load_words(data, "timex_months.txt", NULL),
                      load_words(data, "timex_weekdays.txt", NULL)};
    FILE *f = fopen(file, "r");
    if (!ing || !w.months || !w.weekdays || !f) {
        fprintf(stderr, "eval_timex_plausibility: %s\n", err ? err : "cannot read the input");
        return 1;
    }
    struct tally *t = calloc(1, sizeof *t);
    if (t) {
        t->list_future = list_future;
        t->list_back = list_back;
    }
    char *line = NULL;
    size_t cap = 0;
    printf("events outside [published - 100 y, published + 15 y]:\n");
    while (t && getline(&line, &cap, f) > 0) {
        struct doc *d = ingest_line(ing, line);
        if (d)
            tally_doc(&w, d, t, list);
        doc_free(d);
    }
    free(line);
    fclose(f);
    size_t buckets = 0;
    for (int y = 0; t && y < 10000; y++)
        buckets += t->year_seen[y];
    if (t) {
        printf("\ndocuments %zu, dated events %zu\n", t->docs, t->dated_events);
        printf("outside the window   %zu (%.3f%%): before 1900 %zu, after published + 15 y %zu\n",
               t->outside, share(t->outside, t->dated_events), t->before_1900, t->after_15y);
        printf("event years          %d-%d, %zu year buckets\n", t->min_year, t->max_year, buckets);
        printf("bare month names %zu, resolved 7 or more months before the story %zu (%.1f%%)\n",
               t->bare_months, t->bare_months_7back, share(t->bare_months_7back, t->bare_months));
        printf("bare month/weekday in future-tense clauses %zu, resolved into the past %zu "
               "(%.1f%%)\n",
               t->bare_future, t->bare_future_past, share(t->bare_future_past, t->bare_future));
    }
    free(t);
    wordlist_free(w.months);
    wordlist_free(w.weekdays);
    ingest_close(ing);
    return 0;
}
