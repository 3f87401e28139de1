/*
 * eval_timex.c — scores the temporal tagger on TimeML files (TempEval-3 style).
 *
 *   eval_timex --data DATA_DIR [--errors] [--kinds] [--split NAME=LIST]… [--only NAME] FILE_OR_DIR…
 *
 * Each .tml file's <TEXT> content is stripped of tags (entities decoded) to give the plain text;
 * the TIMEX3 elements inside it are the gold expressions, with offsets in that plain text. The
 * document creation time (the TIMEX3 with functionInDocument="CREATION_TIME") is the
 * publication date. The text runs through the real ingest path (ingest_annotate: sentences,
 * entities, temporal expressions) and the result is compared as TempEval-3 does:
 *   strict  = exact extent match, relaxed = any overlap (one-to-one);
 *   type / value accuracy = share of relaxed matches with the right type / value;
 *   value F1 = P/R over relaxed matches with the right value (= relaxed F1 x value accuracy).
 *
 * --split NAME=LIST (repeatable) reports the files named in LIST (one file name a line, e.g.
 * TE3's LIST.TimeBank / LIST.AQUAINT) apart, then all files together: tuning happens on one
 * part and the other is reported as held out.
 *
 * --only NAME scores the files of that split alone: the others are not even read, so errors
 * can be listed for the tuning part without showing any of the held-out part.
 * --kinds prints the errors grouped by kind (missed, spurious, extent, type, and wrong values
 * by gold type: a *_REF, granularity, placed earlier / later than gold, left unresolved, a
 * duration's amount); with --errors each error line carries its kind.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/file.h"
#include "base/grow.h"
#include "ingest/doc.h"
#include "ingest/pipeline.h"

struct gold {
    size_t start, end;
    enum timex_type type;
    char value[48];
};

struct gold_vec {
    struct gold *items;
    size_t n, cap;
};

struct counts {
    size_t gold, sys, strict, relaxed, type_ok, value_ok;
};

struct type_counts {
    size_t gold, found, value_ok;
};

#define EVAL_MAX_SPLITS 4

/* A named part of the data: the file names of its list, and its scores. */
struct split {
    const char *name;
    char **files;
    size_t n_files;
    struct counts c;
    struct type_counts tc[4];
};

/* Kinds of error, counted per gold type (the system's type for SPURIOUS). */
enum err_kind {
    ERR_MISSED,
    ERR_SPURIOUS,
    ERR_EXTENT,
    ERR_TYPE,
    ERR_REF,
    ERR_GRAN,
    ERR_EARLIER,
    ERR_LATER,
    ERR_UNRESOLVED,
    ERR_AMOUNT,
    ERR_OTHER,
    ERR_N
};

static const char *const err_names[ERR_N] = {"missed",         "spurious",     "extent only",
                                             "type",           "value: *_REF", "value: granularity",
                                             "value: earlier", "value: later", "value: unresolved",
                                             "value: amount",  "value: other"};

struct options {
    const char *data_dir;
    const char *only; /* score only the files of this split */
    bool errors;
    bool kinds;
    size_t err[ERR_N][4];
    struct split splits[EVAL_MAX_SPLITS];
    int n_splits;
};

/* Copies attribute `name` of the tag [tag, end) into out; false if absent. */
static bool tag_attr(const char *tag, const char *end, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *p = tag; p + nl + 2 < end; p++) {
        if ((p == tag || p[-1] == ' ') && strncmp(p, name, nl) == 0 && p[nl] == '=' &&
            p[nl + 1] == '"') {
            const char *v = p + nl + 2, *q = memchr(v, '"', (size_t)(end - v));
            if (!q)
                return false;
            snprintf(out, cap, "%.*s", (int)(q - v), v);
            return true;
        }
    }
    return false;
}

static enum timex_type parse_type(const char *s)
{
    static const char *const names[] = {"DATE", "TIME", "DURATION", "SET"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return (enum timex_type)i;
    return TIMEX_DATE;
}

/* XML entity at p (after '&'): decoded char, length consumed in *n; 0 if unknown. */
static char decode_entity(const char *p, size_t *n)
{
    static const struct {
        const char *name;
        char c;
    } ents[] = {{"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
    for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
        size_t l = strlen(ents[i].name);
        if (strncmp(p, ents[i].name, l) == 0) {
            *n = l + 1;
            return ents[i].c;
        }
    }
    return 0;
}

static int gold_push(struct gold_vec *g, const struct gold *x)
{
    if (BASE_GROW(g->items, g->cap, g->n, 64) < 0)
        return -1;
    g->items[g->n++] = *x;
    return 0;
}

/* Plain text of [p, end) with the TIMEX3 elements recorded as gold; returns malloc'd text. */
static char *strip_timeml(const char *p, const char *end, struct gold_vec *g, size_t *len)
{
    char *out = malloc((size_t)(end - p) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    struct gold cur;
    bool open = false;
    while (p < end) {
        if (*p == '<') {
            const char *q = memchr(p, '>', (size_t)(end - p));
            if (!q)
                break;
            if (strncmp(p, "<TIMEX3", 7) == 0) {
                char type[16] = "", value[48] = "";
                tag_attr(p, q, "type", type, sizeof type);
                tag_attr(p, q, "value", value, sizeof value);
                memset(&cur, 0, sizeof cur);
                cur.start = n;
                cur.type = parse_type(type);
                snprintf(cur.value, sizeof cur.value, "%s", value);
                open = true;
            } else if (strncmp(p, "</TIMEX3", 8) == 0 && open) {
                cur.end = n;
                open = false;
                if (gold_push(g, &cur) < 0)
                    break;
            }
            p = q + 1;
            continue;
        }
        size_t el = 0;
        char c = *p == '&' ? decode_entity(p + 1, &el) : 0;
        out[n++] = c ? c : *p;
        p += c ? el : 1;
    }
    out[n] = '\0';
    *len = n;
    return out;
}

/* The creation time's date ("1998-02-13") from the DCT TIMEX3, or "" when there is none. */
static void find_dct(const char *xml, char dct[11])
{
    dct[0] = '\0';
    const char *p = strstr(xml, "functionInDocument=\"CREATION_TIME\"");
    if (!p)
        return;
    const char *tag = p;
    while (tag > xml && *tag != '<')
        tag--;
    const char *q = strchr(p, '>');
    char value[48];
    if (q && tag_attr(tag, q, "value", value, sizeof value))
        snprintf(dct, 11, "%.10s", value);
}

static bool overlaps(size_t a0, size_t a1, size_t b0, size_t b1)
{
    return a0 < b1 && b0 < a1;
}

static void print_span(const char *label, const char *file, const char *text, size_t s, size_t e,
                       const char *type, const char *value)
{
    printf("%-8s %s [%zu,%zu) %-8s %-16s \"%.*s\"\n", label, file, s, e, type, value, (int)(e - s),
           text + s);
}

/* "1998-01-08" -> "9999-99-99": the shape of a value, to tell granularity from placement. */
static void value_shape(const char *v, char *out, size_t cap)
{
    size_t n = 0;
    for (; *v && n + 1 < cap; v++)
        out[n++] = *v >= '0' && *v <= '9' ? '9' : *v;
    out[n] = '\0';
}

/* Why a relaxed match has the wrong value. */
static enum err_kind value_kind(const char *gold, const char *sys)
{
    if (strstr(gold, "_REF") || strstr(sys, "_REF"))
        return ERR_REF;
    if (gold[0] == 'P' || sys[0] == 'P')
        return ERR_AMOUNT;
    if (strchr(sys, 'X') && !strchr(gold, 'X'))
        return ERR_UNRESOLVED;
    char gs[48], ss[48];
    value_shape(gold, gs, sizeof gs);
    value_shape(sys, ss, sizeof ss);
    if (strcmp(gs, ss) != 0)
        return ERR_GRAN;
    int cmp = strcmp(sys, gold);
    return cmp < 0 ? ERR_EARLIER : cmp > 0 ? ERR_LATER : ERR_OTHER;
}

/* Matches system expressions to gold (one-to-one, largest overlap first in text order). */
static void score_doc(const char *file, const char *text, const struct gold_vec *g,
                      const struct doc *d, struct options *o, struct counts *c,
                      struct type_counts *tc)
{
    bool *used = calloc(d->n_timexes + 1, sizeof *used);
    if (!used)
        return;
    c->gold += g->n;
    c->sys += d->n_timexes;
    for (size_t i = 0; i < g->n; i++) {
        const struct gold *x = &g->items[i];
        tc[x->type].gold++;
        size_t best = (size_t)-1, best_ov = 0;
        for (size_t j = 0; j < d->n_timexes; j++) {
            const struct timex_expr *s = &d->timexes[j];
            if (used[j] || !overlaps(x->start, x->end, s->start, s->end))
                continue;
            size_t ov =
                (x->end < s->end ? x->end : s->end) - (x->start > s->start ? x->start : s->start);
            if (ov > best_ov) {
                best = j;
                best_ov = ov;
            }
        }
        if (best == (size_t)-1) {
            o->err[ERR_MISSED][x->type]++;
            if (o->errors)
                print_span("MISSED", file, text, x->start, x->end, timex_type_name(x->type),
                           x->value);
            continue;
        }
        used[best] = true;
        const struct timex_expr *s = &d->timexes[best];
        c->relaxed++;
        tc[x->type].found++;
        bool strict = s->start == x->start && s->end == x->end;
        c->strict += strict;
        c->type_ok += s->type == x->type;
        bool vok = strcmp(s->value, x->value) == 0;
        c->value_ok += vok;
        tc[x->type].value_ok += vok;
        enum err_kind k = !vok                 ? value_kind(x->value, s->value)
                          : s->type != x->type ? ERR_TYPE
                                               : ERR_EXTENT;
        if (vok && strict && s->type == x->type)
            continue;
        o->err[k][x->type]++;
        if (s->type != x->type && k != ERR_TYPE)
            o->err[ERR_TYPE][x->type]++;
        if (o->errors) {
            char label[32];
            snprintf(label, sizeof label, "%s:%s", vok ? "EXTENT" : "VALUE",
                     k == ERR_EXTENT || k == ERR_TYPE ? (strict ? "type" : "extent")
                                                      : err_names[k] + 7);
            print_span(label, file, text, x->start, x->end, timex_type_name(x->type), x->value);
            print_span("  got", file, text, s->start, s->end, timex_type_name(s->type), s->value);
        }
    }
    for (size_t j = 0; j < d->n_timexes; j++) {
        if (used[j])
            continue;
        o->err[ERR_SPURIOUS][d->timexes[j].type]++;
        if (o->errors)
            print_span("SPURIOUS", file, text, d->timexes[j].start, d->timexes[j].end,
                       timex_type_name(d->timexes[j].type), d->timexes[j].value);
    }
    free(used);
}

/* The split a file belongs to, or NULL. */
static struct split *find_split(struct options *o, const char *base)
{
    for (int i = 0; i < o->n_splits; i++)
        for (size_t k = 0; k < o->splits[i].n_files; k++)
            if (strcmp(o->splits[i].files[k], base) == 0)
                return &o->splits[i];
    return NULL;
}

static void add_counts(struct counts *to, const struct counts *a, const struct counts *b)
{
    to->gold += a->gold - b->gold;
    to->sys += a->sys - b->sys;
    to->strict += a->strict - b->strict;
    to->relaxed += a->relaxed - b->relaxed;
    to->type_ok += a->type_ok - b->type_ok;
    to->value_ok += a->value_ok - b->value_ok;
}

static int eval_file(const struct ingest *ing, const char *path, struct options *o,
                     struct counts *c, struct type_counts *tc)
{
    if (o->only) {
        const char *name = strrchr(path, '/');
        struct split *in = find_split(o, name ? name + 1 : path);
        if (!in || strcmp(in->name, o->only) != 0)
            return 0;
    }
    size_t len;
    char *xml = base_read_file(path, SIZE_MAX, &len, NULL);
    if (!xml) {
        fprintf(stderr, "eval_timex: cannot read %s\n", path);
        return -1;
    }
    const char *b = strstr(xml, "<TEXT>"), *e = b ? strstr(b, "</TEXT>") : NULL;
    if (!b || !e) {
        free(xml);
        return 0;
    }
    char dct[11];
    find_dct(xml, dct);
    struct gold_vec g = {0};
    struct doc *d = calloc(1, sizeof *d);
    int rc = -1;
    if (d && (d->text = strip_timeml(b + 6, e, &g, &d->text_len)) &&
        ingest_annotate(ing, d, dct[0] ? dct : NULL) == 0) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        struct counts before = *c;
        struct type_counts tbefore[4];
        memcpy(tbefore, tc, sizeof tbefore);
        score_doc(base, d->text, &g, d, o, c, tc);
        struct split *sp = find_split(o, base);
        if (sp) {
            add_counts(&sp->c, c, &before);
            for (int t = 0; t < 4; t++) {
                sp->tc[t].gold += tc[t].gold - tbefore[t].gold;
                sp->tc[t].found += tc[t].found - tbefore[t].found;
                sp->tc[t].value_ok += tc[t].value_ok - tbefore[t].value_ok;
            }
        }
        rc = 0;
    }
    if (d)
        doc_free(d);
    free(g.items);
    free(xml);
    return rc;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .tml file of a directory, in name order (so runs are comparable). */
static int eval_dir(const struct ingest *ing, const char *dir, struct options *o, struct counts *c,
                    struct type_counts *tc)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return eval_file(ing, dir, o, c, tc);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (!has_suffix(de->d_name, ".tml"))
            continue;
        if (BASE_GROW(names, cap, n, 256) < 0)
            break;
        names[n++] = strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (names[i] && eval_file(ing, path, o, c, tc) < 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

static void print_row(const char *name, size_t ok, size_t sys, size_t gold)
{
    double p = ratio(ok, sys), r = ratio(ok, gold);
    printf("%-10s %8.4f %8.4f %8.4f\n", name, p, r, f1(p, r));
}

static void report(const struct counts *c, const struct type_counts *tc)
{
    printf("gold %zu, system %zu, relaxed matches %zu\n\n", c->gold, c->sys, c->relaxed);
    printf("%-10s %8s %8s %8s\n", "", "P", "R", "F1");
    print_row("strict", c->strict, c->sys, c->gold);
    print_row("relaxed", c->relaxed, c->sys, c->gold);
    print_row("type", c->type_ok, c->sys, c->gold);
    print_row("value", c->value_ok, c->sys, c->gold);
    printf("\ntype accuracy  %.4f\nvalue accuracy %.4f\nvalue F1       %.4f\n",
           ratio(c->type_ok, c->relaxed), ratio(c->value_ok, c->relaxed),
           f1(ratio(c->value_ok, c->sys), ratio(c->value_ok, c->gold)));
    printf("\n%-10s %6s %8s %8s\n", "gold type", "count", "recall", "value");
    for (int t = 0; t < 4; t++)
        printf("%-10s %6zu %8.4f %8.4f\n", timex_type_name((enum timex_type)t), tc[t].gold,
               ratio(tc[t].found, tc[t].gold), ratio(tc[t].value_ok, tc[t].gold));
}

static void report_kinds(const struct options *o)
{
    printf("\n%-20s %6s %6s %6s %6s %6s\n", "errors by kind", "DATE", "TIME", "DUR", "SET", "all");
    for (int k = 0; k < ERR_N; k++) {
        const size_t *e = o->err[k];
        printf("%-20s %6zu %6zu %6zu %6zu %6zu\n", err_names[k], e[0], e[1], e[2], e[3],
               e[0] + e[1] + e[2] + e[3]);
    }
    printf("(by gold type; spurious by the system's type; a wrong type is also counted under "
           "its value or extent kind)\n");
}

/* Reads "NAME=LIST" into a split: one file name a line. false when the list cannot be read. */
static bool load_split(struct split *sp, char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq)
        return false;
    *eq = '\0';
    sp->name = arg;
    FILE *f = fopen(eq + 1, "r");
    if (!f)
        return false;
    char line[512];
    size_t cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n \t")] = '\0';
        if (!line[0])
            continue;
        if (BASE_GROW(sp->files, cap, sp->n_files, 128) < 0)
            break;

        sp->files[sp->n_files++] = strdup(line);
    }
    fclose(f);
    return sp->n_files > 0;
}

int main(int argc, char **argv)
{
    struct options o = {.data_dir = getenv("CORPUSD_DATA_DIR")};
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "--data") == 0 && first + 1 < argc)
            o.data_dir = argv[++first];
        else if (strcmp(argv[first], "--errors") == 0)
            o.errors = true;
        else if (strcmp(argv[first], "--kinds") == 0)
            o.kinds = true;
        else if (strcmp(argv[first], "--only") == 0 && first + 1 < argc)
            o.only = argv[++first];
        else if (strcmp(argv[first], "--split") == 0 && first + 1 < argc &&
                 o.n_splits < EVAL_MAX_SPLITS) {
            if (!load_split(&o.splits[o.n_splits++], argv[++first])) {
                fprintf(stderr, "eval_timex: cannot read split %s\n", argv[first]);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: eval_timex --data DIR [--errors] [--kinds] "
                            "[--split NAME=LIST]... [--only NAME] FILE_OR_DIR...\n");
            return 2;
        }
    }
    if (!o.data_dir || first >= argc) {
        fprintf(stderr, "usage: eval_timex --data DIR [--errors] FILE_OR_DIR...\n");
        return 2;
    }
    char *err = NULL;
    struct ingest *ing = ingest_open(o.data_dir, &err);
    if (!ing) {
        fprintf(stderr, "eval_timex: %s\n", err ? err : "cannot open the data directory");
        free(err);
        return 1;
    }
    bool only_known = !o.only;
    for (int i = 0; i < o.n_splits; i++)
        only_known |= strcmp(o.splits[i].name, o.only ? o.only : "") == 0;
    if (!only_known) {
        fprintf(stderr, "eval_timex: --only %s names no --split\n", o.only);
        return 2;
    }
    struct counts c = {0};
    struct type_counts tc[4] = {{0}};
    int rc = 0;
    for (int i = first; i < argc; i++)
        if (eval_dir(ing, argv[i], &o, &c, tc) < 0)
            rc = 1;
    for (int i = 0; i < o.n_splits; i++) {
        if (!o.only || strcmp(o.splits[i].name, o.only) == 0) {
            printf("==== %s (%zu files listed)\n", o.splits[i].name, o.splits[i].n_files);
            report(&o.splits[i].c, o.splits[i].tc);
            printf("\n");
        }
        for (size_t k = 0; k < o.splits[i].n_files; k++)
            free(o.splits[i].files[k]);
        free(o.splits[i].files);
    }
    if (!o.only) {
        if (o.n_splits)
            printf("==== all files\n");
        report(&c, tc);
    }
    if (o.kinds)
        report_kinds(&o);
    ingest_close(ing);
    return rc;
}
