/*
 * conll.c — reading and detokenising CoNLL-2003-style files (see conll.h).
 */
#include "tools/conll.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"

void conll_oom(void)
{
    fprintf(stderr, "out of memory\n");
    exit(2);
}

void *conll_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        conll_oom();
    return q;
}

void conll_ents_push(struct ents *e, size_t a, size_t b, int type)
{
    if (BASE_GROW(e->v, e->cap, e->n, 64) < 0)
        conll_oom();
    e->v[e->n++] = (struct ent){a, b, type};
}

static int tag_type(const char *tag, bool *begin)
{
    static const char *const type_names[T_N] = {"PER", "ORG", "LOC", "MISC"};
    *begin = false;
    if (strcmp(tag, "O") == 0 || strlen(tag) < 3 || tag[1] != '-')
        return -1;
    *begin = tag[0] == 'B' || tag[0] == 'S';
    const char *t = tag + 2;
    for (int i = 0; i < T_N; i++)
        if (strcmp(t, type_names[i]) == 0)
            return i;
    if (strcmp(t, "PERSON") == 0)
        return T_PER;
    return T_MISC;
}

static void tokens_push(struct tokens *t, const char *tok, const char *tag)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->tok = conll_xrealloc(t->tok, t->cap * sizeof *t->tok);
        t->tag = conll_xrealloc(t->tag, t->cap * sizeof *t->tag);
    }
    bool begin;
    int ty = tag_type(tag, &begin);
    t->tok[t->n] = strdup(tok);
    t->tag[t->n] = ty < 0 ? -1 : ty + (begin ? T_N : 0);
    t->n++;
}

static void tokens_end_sentence(struct tokens *t)
{
    if (t->n_sent && t->sent_end[t->n_sent - 1] == t->n)
        return;
    if (BASE_GROW(t->sent_end, t->cap_sent, t->n_sent, 64) < 0)
        conll_oom();
    t->sent_end[t->n_sent++] = t->n;
}

static void tokens_clear(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->tok[i]);
    t->n = 0;
    t->n_sent = 0;
}

/* Gold entities from IOB1/IOB2 tags. */
static void conll_gold(const struct tokens *t, struct ents *g)
{
    g->n = 0;
    size_t s = 0;
    for (size_t i = 0; i < t->n; i++) {
        int ty = t->tag[i] < 0 ? -1 : t->tag[i] % T_N;
        bool begin = t->tag[i] >= T_N;
        bool prev_same = i > 0 && t->tag[i - 1] >= 0 && t->tag[i - 1] % T_N == ty;
        for (; s < t->n_sent && t->sent_end[s] <= i; s++)
            ;
        bool sent_start = i == 0 || (s > 0 && t->sent_end[s - 1] == i);
        if (ty < 0)
            continue;
        if (begin || !prev_same || sent_start) {
            conll_ents_push(g, i, i + 1, ty);
        } else {
            g->v[g->n - 1].b = i + 1;
        }
    }
}

static bool no_space_before(const char *w, bool *quote_open)
{
    static const char *const glue[] = {",",  ".",  ":",   ";",   "!",   "?",   ")",  "]",  "}", "%",
                                       "'s", "'S", "n't", "'re", "'ve", "'ll", "'d", "'m", "''"};
    for (size_t i = 0; i < sizeof glue / sizeof glue[0]; i++)
        if (strcmp(w, glue[i]) == 0)
            return true;
    if (strcmp(w, "\"") == 0)
        return *quote_open;
    return false;
}

static bool no_space_after(const char *w, bool quote_open)
{
    return strcmp(w, "(") == 0 || strcmp(w, "[") == 0 || strcmp(w, "{") == 0 ||
           strcmp(w, "$") == 0 || strcmp(w, "``") == 0 || (strcmp(w, "\"") == 0 && quote_open);
}

/* Joins the tokens into text; starts/ends get each token's byte span. */
static char *detokenize(const struct tokens *t, size_t *starts, size_t *ends, size_t *len)
{
    size_t cap = 1;
    for (size_t i = 0; i < t->n; i++)
        cap += strlen(t->tok[i]) + 1;
    char *s = conll_xrealloc(NULL, cap + 1);
    size_t n = 0, sent = 0;
    bool quote_open = false, glue_next = true;
    for (size_t i = 0; i < t->n; i++) {
        const char *w = t->tok[i];
        size_t before = sent;
        while (sent < t->n_sent && t->sent_end[sent] <= i)
            sent++;
        bool new_sent = i > 0 && sent != before;
        if (new_sent)
            quote_open = false;
        bool closing = strcmp(w, "\"") == 0 && quote_open;
        if (n && new_sent)
            s[n++] = '\n'; /* one sentence per line, as wire copy runs */
        else if (n && !glue_next && !no_space_before(w, &quote_open))
            s[n++] = ' ';
        if (strcmp(w, "\"") == 0)
            quote_open = !closing;
        starts[i] = n;
        memcpy(s + n, w, strlen(w));
        n += strlen(w);
        ends[i] = n;
        glue_next = no_space_after(w, quote_open && !closing);
    }
    s[n] = '\0';
    *len = n;
    return s;
}

static void edoc_push(struct edocs *ds, struct tokens *t)
{
    if (!t->n)
        return;
    tokens_end_sentence(t);
    if (BASE_GROW(ds->v, ds->cap, ds->n, 64) < 0)
        conll_oom();
    struct edoc *e = &ds->v[ds->n++];
    memset(e, 0, sizeof *e);
    e->t = *t;
    memset(t, 0, sizeof *t);
    conll_gold(&e->t, &e->gold);
    e->starts = conll_xrealloc(NULL, e->t.n * sizeof *e->starts);
    e->ends = conll_xrealloc(NULL, e->t.n * sizeof *e->ends);
    e->text = detokenize(&e->t, e->starts, e->ends, &e->len);
}

void conll_docs_free(struct edocs *ds)
{
    for (size_t i = 0; i < ds->n; i++) {
        struct edoc *e = &ds->v[i];
        tokens_clear(&e->t);
        free(e->t.tok);
        free(e->t.tag);
        free(e->t.sent_end);
        free(e->gold.v);
        free(e->text);
        free(e->starts);
        free(e->ends);
    }
    free(ds->v);
}

void conll_read(FILE *f, struct edocs *ds)
{
    struct tokens t = {0};
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        char *save = NULL, *first = strtok_r(line, " \t\r\n", &save), *last = first, *w;
        while ((w = strtok_r(NULL, " \t\r\n", &save)))
            last = w;
        if (!first)
            tokens_end_sentence(&t);
        else if (strcmp(first, "-DOCSTART-") == 0)
            edoc_push(ds, &t);
        else
            tokens_push(&t, first, last == first ? "O" : last);
    }
    edoc_push(ds, &t);
    free(t.tok);
    free(t.tag);
    free(t.sent_end);
}

/* Adds documents (all but fold `skip` of k, or all when k == 0) to a trainer. */
