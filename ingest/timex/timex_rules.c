/*
 * timex_rules.c — parses ingest/data/timex_rules.txt into token patterns and matches them.
 *
 * Matching is a small backtracking walk over a rule's elements (optional elements are tried
 * taken first, then skipped); patterns are a dozen elements at most, so a match attempt is
 * cheap, and only tokens that can begin some rule are tried at all.
 */
#include "ingest/timex/timex_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The start sets' order in struct timex_rules: anywhere, each of 64 classes, each word. */
#define TIMEX_SET_ANY 0
#define TIMEX_SET_CLASS 1
#define TIMEX_SET_WORD 65

static int timex_rules_fail(char **err, const char *what, const char *line)
{
    if (err) {
        size_t n = strlen(what) + strlen(line) + 32;
        *err = malloc(n);
        if (*err)
            snprintf(*err, n, "timex_rules.txt: %s: %s", what, line);
    }
    return -1;
}

static const char *const timex_type_names[] = {"DATE", "TIME", "DURATION", "SET"};

static int timex_parse_type(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, timex_type_names[i]) == 0)
            return i;
    return -1;
}

/* One alternative: "@CLASS", "@END" (the end of the block), or a literal word/punctuation. */
static int timex_parse_alt(struct timex_lex *lx, const char *s, size_t len, struct timex_alt *a)
{
    if (len == 4 && strncmp(s, "@END", 4) == 0) {
        a->kind = TIMEX_ALT_END;
        a->id = 0;
        return 0;
    }
    if (len > 1 && s[0] == '@') {
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)(len - 1), s + 1);
        a->kind = TIMEX_ALT_CLASS;
        a->id = timex_lex_class(lx, name);
        return a->id < 0 ? -1 : 0;
    }
    a->kind = TIMEX_ALT_WORD;
    a->id = timex_lex_intern(lx, s, len);
    return a->id < 0 ? -1 : 0;
}

/* One element: [<!]alt|alt|…[?]. A lone "?" or "|" is a literal mark, not syntax. */
static int timex_parse_elem(struct timex_lex *lx, const char *tok, struct timex_elem *e)
{
    size_t len = strlen(tok);
    memset(e, 0, sizeof *e);
    if (len > 1 && tok[0] == '!')
        e->flags |= TIMEX_EL_NOTNEXT, tok++, len--;
    else if (len > 1 && tok[0] == '<')
        e->flags |= TIMEX_EL_NOTPREV, tok++, len--;
    if (len > 1 && tok[len - 1] == '?')
        e->flags |= TIMEX_EL_OPT, len--;
    if (len == 1) /* a punctuation mark such as "|" stands for itself */
        return timex_parse_alt(lx, tok, 1, &e->alts[e->n_alts++]);
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && tok[j] != '|')
            j++;
        if (j == i || e->n_alts == TIMEX_MAX_ALTS)
            return -1;
        if (timex_parse_alt(lx, tok + i, j - i, &e->alts[e->n_alts++]) < 0)
            return -1;
        i = j + 1;
    }
    return 0;
}

static int timex_parse_pattern(struct timex_lex *lx, char **f, int n, struct timex_rule *r,
                               const char *line, char **err)
{
    r->span_open = r->span_close = -1;
    for (int k = 0; k < n; k++) {
        if (strcmp(f[k], "[") == 0) {
            r->span_open = r->n_elems;
            continue;
        }
        if (strcmp(f[k], "]") == 0) {
            r->span_close = r->n_elems;
            continue;
        }
        if (r->n_elems == TIMEX_MAX_ELEMS)
            return timex_rules_fail(err, "pattern too long", line);
        if (timex_parse_elem(lx, f[k], &r->elems[r->n_elems++]) < 0)
            return timex_rules_fail(err, "bad element or unknown class", line);
    }
    return r->n_elems ? 0 : timex_rules_fail(err, "empty pattern", line);
}

static int timex_push_rule(struct timex_rule **v, size_t *n, const struct timex_rule *r)
{
    struct timex_rule *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    nv[(*n)++] = *r;
    *v = nv;
    return 0;
}

/* Splits "TYPES:MOD" into the types and the TIMEX3 mod (copied into mod[16]). */
static void timex_split_mod(char *types, char mod[16])
{
    char *colon = strchr(types, ':');
    mod[0] = '\0';
    if (colon) {
        *colon = '\0';
        snprintf(mod, 16, "%s", colon + 1);
    }
}

/* "PREFIX DATE,TIME[:MOD] words…" */
static int timex_parse_prefix(struct timex_rules *rs, struct timex_lex *lx, char **f, int n,
                              const char *line, char **err)
{
    struct timex_rule r;
    memset(&r, 0, sizeof r);
    r.prefix = true;
    char types[64];
    snprintf(types, sizeof types, "%s", n > 1 ? f[1] : "");
    timex_split_mod(types, r.mod);
    char *save = NULL;
    for (char *p = strtok_r(types, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        int t = timex_parse_type(p);
        if (t < 0)
            return timex_rules_fail(err, "unknown type", line);
        r.type_mask |= (uint8_t)(1u << t);
    }
    if (timex_parse_pattern(lx, f + 2, n - 2, &r, line, err) < 0)
        return -1;
    return timex_push_rule(&rs->prefixes, &rs->n_prefixes, &r);
}

/* "TYPE[:MOD] action[:a[:b]] pattern…" */
static int timex_parse_main(struct timex_rules *rs, struct timex_lex *lx, char **f, int n,
                            const char *line, char **err)
{
    struct timex_rule r;
    memset(&r, 0, sizeof r);
    r.ignore = strcmp(f[0], "IGNORE") == 0;
    char type[64];
    snprintf(type, sizeof type, "%s", f[0]);
    timex_split_mod(type, r.mod);
    int t = r.ignore ? TIMEX_DATE : timex_parse_type(type);
    if (t < 0 || n < 3)
        return timex_rules_fail(err, "unknown type or missing pattern", line);
    r.type = (enum timex_type)t;
    char act[64];
    snprintf(act, sizeof act, "%s", f[1]);
    char *save = NULL, *p = strtok_r(act, ":", &save);
    snprintf(r.action, sizeof r.action, "%s", p ? p : "");
    for (int k = 0; k < 2 && (p = strtok_r(NULL, ":", &save)); k++)
        snprintf(r.args[k], sizeof r.args[k], "%s", p);
    if (timex_parse_pattern(lx, f + 2, n - 2, &r, line, err) < 0)
        return -1;
    r.line = (int)rs->n_rules;
    return timex_push_rule(&rs->rules, &rs->n_rules, &r);
}

static int timex_rules_line(struct timex_rules *rs, struct timex_lex *lx, const char *dir,
                            const char *line, char **err)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", line);
    char *f[40];
    int n = 0;
    char *save = NULL;
    for (char *p = strtok_r(buf, " \t", &save); p && n < 40; p = strtok_r(NULL, " \t", &save))
        f[n++] = p;
    if (n == 0)
        return 0;
    if (strcmp(f[0], "class") == 0)
        return timex_lex_add_class(lx, dir, f + 1, n - 1, err);
    if (strcmp(f[0], "PREFIX") == 0)
        return timex_parse_prefix(rs, lx, f, n, line, err);
    return timex_parse_main(rs, lx, f, n, line, err);
}

/* Adds one alternative to the first-token set of r and to the global start sets. */
static void timex_rules_start_alt(struct timex_rules *rs, struct timex_rule *r,
                                  const struct timex_alt *a)
{
    if (a->kind == TIMEX_ALT_CLASS) {
        rs->start_classes |= 1ULL << a->id;
        r->first_cls |= 1ULL << a->id;
    } else if (a->kind == TIMEX_ALT_WORD && (size_t)a->id < rs->n_start_words) {
        rs->start_words[a->id] = 1;
        if (r->n_first_words < sizeof r->first_words / sizeof r->first_words[0])
            r->first_words[r->n_first_words++] = a->id;
        else
            r->first_any = true;
    } else {
        r->first_any = true;
    }
}

/* Marks the words and classes that can begin rule r (up to its first required element). */
static void timex_rules_starts(struct timex_rules *rs, struct timex_rule *r)
{
    for (int e = 0; e < r->n_elems; e++) {
        const struct timex_elem *el = &r->elems[e];
        if (el->flags & (TIMEX_EL_NOTNEXT | TIMEX_EL_NOTPREV))
            continue;
        for (int a = 0; a < el->n_alts; a++)
            timex_rules_start_alt(rs, r, &el->alts[a]);
        if (!(el->flags & TIMEX_EL_OPT))
            return;
    }
    r->first_any = true; /* every element optional */
}

/* Adds to cand the rules token t may begin: those that may begin anywhere, and those of its
 * classes and of its word. */
static void timex_rule_candidates(const struct timex_rules *rs, const struct timex_tok *t,
                                  uint64_t *cand)
{
    size_t nw = rs->set_words;
    const uint64_t *any = rs->start_sets + TIMEX_SET_ANY * nw;
    for (size_t k = 0; k < nw; k++)
        cand[k] = any[k];
    for (uint64_t c = t->cls & rs->start_classes; c; c &= c - 1) {
        const uint64_t *s = rs->start_sets + (TIMEX_SET_CLASS + (size_t)__builtin_ctzll(c)) * nw;
        for (size_t k = 0; k < nw; k++)
            cand[k] |= s[k];
    }
    if (t->word >= 0 && (size_t)t->word < rs->n_start_words && rs->start_words[t->word]) {
        const uint64_t *s = rs->start_sets + (TIMEX_SET_WORD + (size_t)t->word) * nw;
        for (size_t k = 0; k < nw; k++)
            cand[k] |= s[k];
    }
}

struct timex_rules_load_ctx {
    struct timex_rules *rs;
    struct timex_lex *lx;
    const char *dir;
    char **err;
};

static int timex_rules_load_line(void *arg, const char *line)
{
    struct timex_rules_load_ctx *c = arg;
    return timex_rules_line(c->rs, c->lx, c->dir, line, c->err);
}

static void timex_set_add(struct timex_rules *rs, size_t set, size_t rule)
{
    rs->start_sets[set * rs->set_words + rule / 64] |= 1ULL << (rule % 64);
}

/* The start sets of every main rule (struct timex_rules). */
static int timex_rules_sets(struct timex_rules *rs)
{
    rs->set_words = (rs->n_rules + 63) / 64;
    if (!rs->set_words)
        return 0;
    if (rs->n_rules > TIMEX_MAX_RULES)
        return -2;
    rs->start_sets = calloc((TIMEX_SET_WORD + rs->n_start_words) * rs->set_words, sizeof(uint64_t));
    if (!rs->start_sets)
        return -1;
    for (size_t k = 0; k < rs->n_rules; k++) {
        const struct timex_rule *r = &rs->rules[k];
        if (r->first_any)
            timex_set_add(rs, TIMEX_SET_ANY, k);
        for (int c = 0; c < 64; c++)
            if ((r->first_cls >> c) & 1)
                timex_set_add(rs, TIMEX_SET_CLASS + (size_t)c, k);
        for (int i = 0; i < r->n_first_words; i++)
            timex_set_add(rs, TIMEX_SET_WORD + (size_t)r->first_words[i], k);
    }
    return 0;
}

int timex_rules_load(struct timex_rules *rs, struct timex_lex *lx, const char *dir, char **err)
{
    memset(rs, 0, sizeof *rs);
    struct timex_rules_load_ctx c = {rs, lx, dir, err};
    if (timex_read_lines(dir, "timex_rules.txt", timex_rules_load_line, &c, err) < 0)
        return -1;
    rs->period = timex_lex_intern(lx, ".", 1);
    rs->n_start_words = lx->n_words;
    rs->start_words = calloc(lx->n_words + 1, 1);
    if (!rs->start_words)
        return timex_rules_fail(err, "out of memory", "");
    for (size_t i = 0; i < rs->n_rules; i++)
        timex_rules_starts(rs, &rs->rules[i]);
    int rc = timex_rules_sets(rs);
    if (rc == -2)
        return timex_rules_fail(err, "more rules than TIMEX_MAX_RULES", "");
    return rc < 0 ? timex_rules_fail(err, "out of memory", "") : 0;
}

void timex_rules_free(struct timex_rules *rs)
{
    free(rs->rules);
    free(rs->prefixes);
    free(rs->start_words);
    free(rs->start_sets);
    memset(rs, 0, sizeof *rs);
}

/* ---- matching ---- */

static bool timex_alt_matches(const struct timex_alt *a, const struct timex_tok *t)
{
    if (a->kind == TIMEX_ALT_CLASS)
        return (t->cls >> a->id) & 1;
    return a->kind == TIMEX_ALT_WORD && t->word == a->id;
}

/* Does token t match element e; which class alternative matched (-1 for a word) in *cls. */
static bool timex_elem_matches(const struct timex_elem *e, const struct timex_tok *t, int *cls)
{
    for (int a = 0; a < e->n_alts; a++) {
        if (timex_alt_matches(&e->alts[a], t)) {
            *cls = e->alts[a].kind == TIMEX_ALT_CLASS ? e->alts[a].id : -1;
            return true;
        }
    }
    return false;
}

static bool timex_elem_has_end(const struct timex_elem *e)
{
    for (int a = 0; a < e->n_alts; a++)
        if (e->alts[a].kind == TIMEX_ALT_END)
            return true;
    return false;
}

struct timex_walk {
    const struct timex_rule *r;
    const struct timex_tok *toks;
    size_t n;
    size_t open, close, end;
    struct timex_caps caps;
};

static bool timex_walk(struct timex_walk *w, int e, size_t i);

/* Zero-width elements: !X and <X. */
static bool timex_walk_zero(struct timex_walk *w, int e, size_t i)
{
    const struct timex_elem *el = &w->r->elems[e];
    int cls;
    if (el->flags & TIMEX_EL_NOTPREV) {
        if (i > 0 && timex_elem_matches(el, &w->toks[i - 1], &cls))
            return false;
        return timex_walk(w, e + 1, i);
    }
    if (i >= w->n) /* !X at the end of the block: nothing follows, so it holds unless X is @END */
        return !timex_elem_has_end(el) && timex_walk(w, e + 1, i);
    if (timex_elem_matches(el, &w->toks[i], &cls))
        return false;
    return timex_walk(w, e + 1, i);
}

static bool timex_walk(struct timex_walk *w, int e, size_t i)
{
    const struct timex_rule *r = w->r;
    if (e == r->span_open)
        w->open = i;
    if (e == r->span_close)
        w->close = i;
    if (e == r->n_elems) {
        w->end = i;
        return true;
    }
    const struct timex_elem *el = &r->elems[e];
    if (el->flags & (TIMEX_EL_NOTNEXT | TIMEX_EL_NOTPREV))
        return timex_walk_zero(w, e, i);
    int cls;
    if (i < w->n && timex_elem_matches(el, &w->toks[i], &cls)) {
        int32_t saved = cls >= 0 ? w->caps.tok[cls] : 0;
        if (cls >= 0)
            w->caps.tok[cls] = (int32_t)i;
        if (timex_walk(w, e + 1, i + 1))
            return true;
        if (cls >= 0)
            w->caps.tok[cls] = saved;
    }
    if (i >= w->n && timex_elem_has_end(el) && timex_walk(w, e + 1, i))
        return true;
    return (el->flags & TIMEX_EL_OPT) && timex_walk(w, e + 1, i);
}

static bool timex_can_start(const struct timex_rules *rs, const struct timex_tok *t)
{
    return (t->cls & rs->start_classes) ||
           (t->word >= 0 && (size_t)t->word < rs->n_start_words && rs->start_words[t->word]);
}

/* The first candidate rule from k on (n_rules when none). */
static size_t timex_next_rule(const struct timex_rules *rs, const uint64_t *cand, size_t k)
{
    while (k < rs->n_rules) {
        uint64_t bits = cand[k / 64] >> (k % 64);
        if (bits)
            return k + (size_t)__builtin_ctzll(bits);
        k = (k / 64 + 1) * 64;
    }
    return rs->n_rules;
}

bool timex_rules_match_at(const struct timex_rules *rs, const struct timex_tok *toks, size_t n,
                          size_t i, struct timex_match *m)
{
    if (!timex_can_start(rs, &toks[i]))
        return false;
    bool found = false;
    struct timex_walk w;
    uint64_t cand[TIMEX_MAX_RULES / 64];
    timex_rule_candidates(rs, &toks[i], cand);
    for (size_t k = timex_next_rule(rs, cand, 0); k < rs->n_rules;
         k = timex_next_rule(rs, cand, k + 1)) {
        w.r = &rs->rules[k];
        w.toks = toks;
        w.n = n;
        w.open = i;
        w.close = (size_t)-1;
        memset(w.caps.tok, 0xff, sizeof w.caps.tok);
        if (!timex_walk(&w, 0, i))
            continue;
        size_t last = w.close != (size_t)-1 ? w.close : w.end;
        /* optional punctuation at the end ("Dec. 12 ," before a missing year) is not part of
         * the expression; a final period is ("p.m.") */
        while (last > w.open && toks[last - 1].kind == TIMEX_TOK_PUNCT &&
               toks[last - 1].end - toks[last - 1].start == 1 && toks[last - 1].word != rs->period)
            last--;
        if (last <= w.open)
            continue;
        /* the longest extent wins; ties keep the earlier rule */
        if (!found || last > m->last || (last == m->last && w.open < m->first)) {
            found = true;
            m->rule = w.r;
            m->mod = w.r->mod;
            m->first = w.open;
            m->last = last;
            m->caps = w.caps;
        }
    }
    return found;
}

/* Does prefix rule p match the tokens right before match m, not reaching below floor? The
 * elements after a "]" in p are a look-ahead: they must match the first tokens of m ("about ]
 * @NUMW" extends "two years" but not "the future"). */
static bool timex_prefix_fits(const struct timex_rule *p, const struct timex_tok *toks,
                              size_t floor, const struct timex_match *m, size_t *start)
{
    size_t at = m->first;
    size_t k = p->span_close >= 0 ? (size_t)p->span_close : (size_t)p->n_elems;
    if (at < floor + k || at + ((size_t)p->n_elems - k) > m->last)
        return false;
    int cls;
    for (size_t e = 0; e < (size_t)p->n_elems; e++) {
        const struct timex_tok *t = e < k ? &toks[at - k + e] : &toks[at + e - k];
        if (!timex_elem_matches(&p->elems[e], t, &cls))
            return false;
    }
    *start = at - k;
    return true;
}

void timex_rules_extend(const struct timex_rules *rs, const struct timex_tok *toks, size_t floor,
                        struct timex_match *m)
{
    for (int round = 0; round < 3; round++) {
        bool grew = false;
        for (size_t k = 0; k < rs->n_prefixes && !grew; k++) {
            const struct timex_rule *p = &rs->prefixes[k];
            size_t start;
            if ((p->type_mask >> m->rule->type) & 1 &&
                timex_prefix_fits(p, toks, floor, m, &start)) {
                m->first = start;
                if (p->mod[0])
                    m->mod = p->mod;
                grew = true;
            }
        }
        if (!grew)
            return;
    }
}
