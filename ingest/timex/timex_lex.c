/*
 * timex_lex.c — the temporal tagger's lexicon (word ids, word classes read from data files) and
 * its tokenizer. Built once by timex_tagger_open; read-only afterwards.
 */
#include "ingest/timex/timex_lex.h"
#include "base/hash.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/grow.h"
#include "base/utf8.h"

void timex_lex_init(struct timex_lex *lx)
{
    memset(lx, 0, sizeof *lx);
}

void timex_lex_free(struct timex_lex *lx)
{
    for (size_t i = 0; i < lx->n_words; i++)
        free(lx->words[i]);
    free(lx->words);
    free(lx->first_ent);
    free(lx->slots);
    free(lx->ents);
    memset(lx, 0, sizeof *lx);
}

static uint64_t timex_hash(const char *s, size_t len)
{
    return base_hash_update_folded(BASE_HASH_SEED, s, len);
}

static bool timex_word_eq(const char *w, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (w[i] != (char)tolower((unsigned char)s[i]))
            return false;
    return w[len] == '\0';
}

int32_t timex_lex_find(const struct timex_lex *lx, const char *s, size_t len)
{
    if (!lx->n_slots || len == 0 || len > TIMEX_MAX_WORD)
        return -1;
    size_t mask = lx->n_slots - 1;
    for (size_t h = timex_hash(s, len) & mask; lx->slots[h]; h = (h + 1) & mask) {
        uint32_t id = lx->slots[h] - 1;
        if (timex_word_eq(lx->words[id], s, len))
            return (int32_t)id;
    }
    return -1;
}

static bool timex_lex_rehash(struct timex_lex *lx, size_t n_slots)
{
    uint32_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < lx->n_words; i++) {
        size_t h = timex_hash(lx->words[i], strlen(lx->words[i])) & (n_slots - 1);
        while (slots[h])
            h = (h + 1) & (n_slots - 1);
        slots[h] = (uint32_t)i + 1;
    }
    free(lx->slots);
    lx->slots = slots;
    lx->n_slots = n_slots;
    return true;
}

static bool timex_lex_grow_words(struct timex_lex *lx)
{
    size_t ncap = lx->cap_words ? lx->cap_words * 2 : 256;
    char **w = realloc(lx->words, ncap * sizeof *w);
    if (!w)
        return false;
    lx->words = w;
    uint32_t *f = realloc(lx->first_ent, ncap * sizeof *f);
    if (!f)
        return false;
    lx->first_ent = f;
    lx->cap_words = ncap;
    return true;
}

int32_t timex_lex_intern(struct timex_lex *lx, const char *s, size_t len)
{
    int32_t id = timex_lex_find(lx, s, len);
    if (id >= 0 || len == 0 || len > TIMEX_MAX_WORD)
        return id;
    if (lx->n_words == lx->cap_words && !timex_lex_grow_words(lx))
        return -1;
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    for (size_t i = 0; i < len; i++)
        copy[i] = (char)tolower((unsigned char)s[i]);
    copy[len] = '\0';
    lx->words[lx->n_words] = copy;
    lx->first_ent[lx->n_words] = 0;
    lx->n_words++;
    /* keep the table at most half full */
    if (lx->n_words * 2 > lx->n_slots && !timex_lex_rehash(lx, lx->n_slots ? lx->n_slots * 2 : 512))
        return -1;
    if (lx->n_slots && timex_lex_find(lx, s, len) < 0) {
        size_t h = timex_hash(copy, len) & (lx->n_slots - 1);
        while (lx->slots[h])
            h = (h + 1) & (lx->n_slots - 1);
        lx->slots[h] = (uint32_t)lx->n_words;
    }
    return (int32_t)lx->n_words - 1;
}

int timex_lex_class(const struct timex_lex *lx, const char *name)
{
    for (int i = 0; i < lx->n_classes; i++)
        if (strcmp(lx->classes[i].name, name) == 0)
            return i;
    return -1;
}

static int timex_lex_fail(char **err, const char *what, const char *name)
{
    if (err && asprintf(err, "timex rules: %s: %s", what, name) < 0)
        *err = NULL;
    return -1;
}

/* Adds membership (cls, value) to word w. */
static int timex_lex_add_ent(struct timex_lex *lx, int32_t w, int cls, const char *value)
{
    if (BASE_GROW(lx->ents, lx->cap_ents, lx->n_ents, 256) < 0)
        return -1;

    struct timex_lexent *e = &lx->ents[lx->n_ents];
    memset(e, 0, sizeof *e);
    e->cls = (uint8_t)cls;
    e->ival = (int32_t)strtol(value, NULL, 10);
    snprintf(e->sval, sizeof e->sval, "%s", value);
    e->next = lx->first_ent[w];
    lx->first_ent[w] = (uint32_t)++lx->n_ents;
    return 0;
}

/* Splits a line into white-space separated fields (in place). */
static int timex_split(char *line, char **fields, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *p = strtok_r(line, " \t", &save); p && n < max; p = strtok_r(NULL, " \t", &save))
        fields[n++] = p;
    return n;
}

/* One entry of a word file: "word value flags…"; only entries carrying `flag` when one is set. */
static int timex_lex_load_entry(struct timex_lex *lx, int cls, const char *entry, const char *flag)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", entry);
    char *f[8];
    int n = timex_split(buf, f, 8);
    if (n == 0)
        return 0;
    bool has_flag = !flag;
    for (int i = 2; i < n; i++)
        if (flag && strcmp(f[i], flag) == 0)
            has_flag = true;
    if (!has_flag)
        return 0;
    int32_t w = timex_lex_intern(lx, f[0], strlen(f[0]));
    if (w < 0)
        return -1;
    return timex_lex_add_ent(lx, w, cls, n > 1 ? f[1] : "");
}

int timex_read_lines(const char *dir, const char *file, int (*fn)(void *arg, const char *line),
                     void *arg, char **err)
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    if (!f)
        return timex_lex_fail(err, "cannot read data file", path);
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *a = line, *b = line + strlen(line);
        while (*a && isspace((unsigned char)*a))
            a++;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        *b = '\0';
        if (*a && *a != '#')
            rc = fn(arg, a);
    }
    fclose(f);
    return rc;
}

struct timex_load_ctx {
    struct timex_lex *lx;
    int cls;
    const char *flag;
};

static int timex_lex_load_line(void *arg, const char *line)
{
    struct timex_load_ctx *c = arg;
    return timex_lex_load_entry(c->lx, c->cls, line, c->flag);
}

static int timex_lex_load_words(struct timex_lex *lx, const char *dir, const char *file, int cls,
                                const char *flag, char **err)
{
    struct timex_load_ctx c = {lx, cls, flag};
    int rc = timex_read_lines(dir, file, timex_lex_load_line, &c, err);
    if (rc > 0 || (rc < 0 && err && !*err))
        return timex_lex_fail(err, "out of memory loading", file);
    return rc;
}

static const struct {
    const char *name;
    enum timex_class_kind kind;
} timex_class_kinds[] = {
    {"digits", TIMEX_CLASS_DIGITS},   {"ordinal", TIMEX_CLASS_ORDINAL},
    {"decade", TIMEX_CLASS_DECADE},   {"qtoken", TIMEX_CLASS_QTOKEN},
    {"capital", TIMEX_CLASS_CAPITAL}, {"figure", TIMEX_CLASS_FIGURE},
};

int timex_lex_add_class(struct timex_lex *lx, const char *dir, char **f, int n, char **err)
{
    if (n < 2)
        return timex_lex_fail(err, "class needs a name and a source", n ? f[0] : "");
    if (lx->n_classes == TIMEX_MAX_CLASSES)
        return timex_lex_fail(err, "too many classes at", f[0]);
    int id = lx->n_classes;
    struct timex_class *c = &lx->classes[id];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", f[0]);
    c->kind = TIMEX_CLASS_WORDS;
    for (size_t k = 0; k < sizeof timex_class_kinds / sizeof timex_class_kinds[0]; k++)
        if (strcmp(f[1], timex_class_kinds[k].name) == 0)
            c->kind = timex_class_kinds[k].kind;
    c->minlen = n > 2 ? atoi(f[2]) : 1;
    c->maxlen = n > 3 ? atoi(f[3]) : 9;
    c->minv = n > 4 ? atol(f[4]) : 0;
    c->maxv = n > 5 ? atol(f[5]) : 999999999;
    if (c->kind == TIMEX_CLASS_ORDINAL) { /* ordinal MIN MAX */
        c->minv = n > 2 ? atol(f[2]) : 1;
        c->maxv = n > 3 ? atol(f[3]) : 99;
    }
    lx->n_classes++;
    if (c->kind != TIMEX_CLASS_WORDS)
        return 0;
    const char *flag = NULL;
    for (int i = 2; i < n; i++) {
        if (strcmp(f[i], "cap") == 0)
            c->cap = true;
        else if (strncmp(f[i], "flag=", 5) == 0)
            flag = f[i] + 5;
    }
    return timex_lex_load_words(lx, dir, f[1], id, flag, err);
}

/* ---- tokenizer ---- */

static bool timex_is_alnum(unsigned char c)
{
    return isalnum(c) != 0;
}

/* Is the code point at s a letter-like character that continues a word? ASCII letters and
 * digits, and non-ASCII characters outside the punctuation blocks (so "Gyeongju’s" splits at
 * the apostrophe but "Zürich" stays whole). */
static size_t timex_word_char(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return timex_is_alnum(c) ? 1 : 0;
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s, len, &cp);
    if (!n)
        return 0;
    if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
        cp == 0xA9 || cp == 0xAB || cp == 0xBB || cp == 0xFEFF)
        return 0;
    return n;
}

/* Typographic punctuation that the rules write in ASCII. */
static const char *timex_punct_ascii(const char *s, size_t len, size_t *n)
{
    uint32_t cp;
    *n = utf8_decode((const unsigned char *)s, len, &cp);
    if (!*n) {
        *n = 1;
        return NULL;
    }
    if (cp == 0x2018 || cp == 0x2019)
        return "'";
    if (cp == 0x2013 || cp == 0x2014)
        return "-";
    if (cp == 0x201C || cp == 0x201D)
        return "\"";
    return NULL;
}

static long timex_digits_value(const char *s, size_t n)
{
    long v = 0;
    for (size_t i = 0; i < n && i < 9; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool timex_ordinal_suffix(const char *s, size_t n)
{
    if (n != 2)
        return false;
    char a = (char)tolower((unsigned char)s[0]), b = (char)tolower((unsigned char)s[1]);
    return (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
           (a == 't' && b == 'h');
}

/* Does the form of token s[0..n) (ndig leading digits) put it in builtin class c? */
static bool timex_form_class(const struct timex_class *c, const char *s, size_t n, size_t ndig,
                             bool cap)
{
    long v = timex_digits_value(s, ndig);
    switch (c->kind) {
    case TIMEX_CLASS_DIGITS:
        return ndig == n && (int)n >= c->minlen && (int)n <= c->maxlen && v >= c->minv &&
               v <= c->maxv;
    case TIMEX_CLASS_ORDINAL:
        return ndig > 0 && ndig <= 2 && timex_ordinal_suffix(s + ndig, n - ndig) && v >= c->minv &&
               v <= c->maxv;
    case TIMEX_CLASS_DECADE:
        return (ndig == 4 || ndig == 2) && n == ndig + 1 && (s[ndig] == 's' || s[ndig] == 'S') &&
               v % 10 == 0;
    case TIMEX_CLASS_QTOKEN:
        return n == 2 && (s[0] == 'Q' || s[0] == 'q') && s[1] >= '1' && s[1] <= '4';
    case TIMEX_CLASS_CAPITAL:
        return cap;
    case TIMEX_CLASS_FIGURE:
        return ndig > 0 && ndig < n && (s[ndig] == ',' || s[ndig] == '.');
    case TIMEX_CLASS_WORDS:
        break;
    }
    return false;
}

static void timex_word_classes(const struct timex_lex *lx, struct timex_tok *t);

static void timex_classify(const struct timex_lex *lx, const char *s, struct timex_tok *t)
{
    size_t n = t->end - t->start, ndig = 0;
    while (ndig < n && isdigit((unsigned char)s[ndig]))
        ndig++;
    /* a figure with thousands groups or decimals ("7,500,000", "13.85") is no value a date
     * reads */
    t->num = ndig && (ndig == n || (s[ndig] != ',' && s[ndig] != '.'))
                 ? (int32_t)timex_digits_value(s, ndig)
                 : -1;
    if (n == 2 && (s[0] == 'Q' || s[0] == 'q') && isdigit((unsigned char)s[1]))
        t->num = s[1] - '0';
    t->kind = ndig ? TIMEX_TOK_NUM : TIMEX_TOK_WORD;
    t->cap = isupper((unsigned char)s[0]) != 0;
    t->cls = 0;
    for (int c = 0; c < lx->n_classes; c++)
        if (lx->classes[c].kind != TIMEX_CLASS_WORDS &&
            timex_form_class(&lx->classes[c], s, n, ndig, t->cap))
            t->cls |= 1ULL << c;
    t->word = timex_lex_find(lx, s, n);
    timex_word_classes(lx, t);
}

/* Adds the classes the lexicon gives t's word (capitalised-only classes need a capital). */
static void timex_word_classes(const struct timex_lex *lx, struct timex_tok *t)
{
    if (t->word < 0)
        return;
    for (uint32_t e = lx->first_ent[t->word]; e; e = lx->ents[e - 1].next) {
        const struct timex_lexent *le = &lx->ents[e - 1];
        if (!lx->classes[le->cls].cap || t->cap)
            t->cls |= 1ULL << le->cls;
    }
}

bool timex_tok_value(const struct timex_lex *lx, const struct timex_tok *t, int cls, int32_t *ival,
                     const char **sval)
{
    *ival = 0;
    *sval = NULL;
    if (cls < 0 || !(t->cls & (1ULL << cls)))
        return false;
    if (lx->classes[cls].kind != TIMEX_CLASS_WORDS) {
        *ival = t->num;
        return true;
    }
    for (uint32_t e = t->word >= 0 ? lx->first_ent[t->word] : 0; e; e = lx->ents[e - 1].next) {
        if (lx->ents[e - 1].cls == cls) {
            *ival = lx->ents[e - 1].ival;
            *sval = lx->ents[e - 1].sval;
            return true;
        }
    }
    return false;
}

/* Skips white space; reports whether it held a paragraph break (a blank line). */
static size_t timex_skip_space(const char *text, size_t len, size_t i, bool *para)
{
    int newlines = 0;
    *para = false;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) {
        if (text[i] == '\n' && ++newlines >= 2)
            *para = true;
        i++;
    }
    return i;
}

/* A '.', '!' or '?' token ends a sentence unless the word before is an abbreviation-like short
 * capitalised word ("Dec.", "Mr.") or a single letter ("p.m."); the next token must start with
 * a capital or a digit. Sentence numbers only steer tense cues, so a rough cut is enough. */
static bool timex_ends_sentence(const char *text, const struct timex_tok *toks, size_t n,
                                const char *next, size_t next_len)
{
    const struct timex_tok *t = &toks[n - 1];
    char c = text[t->start];
    if (t->end - t->start != 1 || (c != '.' && c != '!' && c != '?'))
        return false;
    if (c == '.' && n >= 2) {
        const struct timex_tok *w = &toks[n - 2];
        size_t wl = w->end - w->start;
        if (w->end == t->start && (wl == 1 || (wl <= 4 && w->cap)))
            return false;
    }
    return next_len == 0 || isupper((unsigned char)next[0]) || isdigit((unsigned char)next[0]) ||
           next[0] == '"' || (unsigned char)next[0] >= 0x80;
}

/* Letters after digits that belong to the number: "1st", "22nd", "26th", "1990s". Other letters
 * start a new token, so that "10pm" reads as "10 pm" and "2024-11-28T23:38" splits at the T. */
static bool timex_number_suffix(const char *s, size_t len)
{
    size_t k = 0;
    while (k < len && k < 3 && isalpha((unsigned char)s[k]))
        k++;
    if (k < len && isalnum((unsigned char)s[k]))
        return false;
    return (k == 1 && (s[0] == 's' || s[0] == 'S')) || timex_ordinal_suffix(s, k);
}

/* The end of a figure's thousands groups and decimals after digits ending at j: ",500,000" in
 * "7,500,000", ".85" in "13.85". The figure is one token, which no day, year or count class
 * takes ("in late April 7,500,000 shares" has no April 7, "a life of 13.85 years" no 85 years;
 * "April 7,1987" and "June 5,6" have no group of three). */
static size_t timex_figure_end(const char *text, size_t len, size_t j)
{
    while (j + 3 < len && text[j] == ',' && isdigit((unsigned char)text[j + 1]) &&
           isdigit((unsigned char)text[j + 2]) && isdigit((unsigned char)text[j + 3]) &&
           (j + 4 >= len || !isalnum((unsigned char)text[j + 4])))
        j += 4;
    if (j + 1 < len && text[j] == '.' && isdigit((unsigned char)text[j + 1]))
        for (j++; j < len && isdigit((unsigned char)text[j]);)
            j++;
    return j;
}

static size_t timex_token_end(const char *text, size_t len, size_t i)
{
    size_t n = timex_word_char(text + i, len - i);
    if (!n)
        return 0;
    size_t j = i + n;
    while (j < len && (n = timex_word_char(text + j, len - j)) > 0) {
        if (isdigit((unsigned char)text[j - 1]) && isalpha((unsigned char)text[j]) &&
            !timex_number_suffix(text + j, len - j))
            break;
        j += n;
    }
    size_t k = i;
    while (k < j && isdigit((unsigned char)text[k]))
        k++;
    return k == j ? timex_figure_end(text, len, j) : j;
}

size_t timex_tokenize(const struct timex_lex *lx, const char *text, size_t len, size_t from,
                      struct timex_tok *out, size_t cap, size_t *next)
{
    size_t n = 0, i = from;
    uint32_t sent = 0;
    bool para = false;
    while (n < cap) {
        i = timex_skip_space(text, len, i, &para);
        if (i >= len)
            break;
        if (n && (para || timex_ends_sentence(text, out, n, text + i, len - i)))
            sent++;
        /* near capacity, stop at a sentence boundary so no expression is cut in two */
        if (para && n + 256 > cap)
            break;
        struct timex_tok *t = &out[n];
        memset(t, 0, sizeof *t);
        t->start = i;
        t->sent = sent;
        size_t j = timex_token_end(text, len, i);
        if (j) {
            t->end = j;
            timex_classify(lx, text + i, t);
        } else {
            size_t pl;
            const char *ascii = timex_punct_ascii(text + i, len - i, &pl);
            t->end = i + pl;
            t->kind = TIMEX_TOK_PUNCT;
            t->num = -1;
            t->word = ascii ? timex_lex_find(lx, ascii, 1) : timex_lex_find(lx, text + i, pl);
            timex_word_classes(lx, t);
        }
        i = t->end;
        n++;
    }
    *next = n == cap ? out[n - 1].end : i;
    return n;
}
