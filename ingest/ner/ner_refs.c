/*
 * ner_refs.c — two within-document checks on what a candidate refers to, run by
 * ner_resolve_doc before names are resolved:
 *   - markup is never part of a name: wire copy marks tickers and unlisted companies with angle
 *     brackets ("Acme Corp <ACME.N>", "<Acme Holdings A/S>"), and a candidate that runs into
 *     such a bracket is cut before it; what is left of a cut (one letter, "S" of "A/S>") or a
 *     ticker alone in brackets is no entity;
 *   - a capitalised common head noun alone ("The Bank said", "Commission officials";
 *     ner_generic_heads.txt) refers back to an institution the document names with that head
 *     ("Bank of Ruritania", "European Commission") and becomes its alias; when the document
 *     names none it is no entity.
 * Both are linear in the document (one hash map of head words).
 */
#include "ingest/ner/ner_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- markup */

/* A punctuation token made of markup characters only ("<", ">", "|", "=" ...). */
static bool rf_markup(const struct ner_doc *d, size_t i)
{
    if (d->t[i].flags & NT_WORD)
        return false;
    for (size_t k = d->t[i].start; k < d->t[i].end; k++)
        if (!strchr("<>{}|\\=*^~#@_", d->text[k]) || !d->text[k])
            return false;
    return true;
}

static bool rf_char_is(const struct ner_doc *d, size_t i, char c)
{
    return i < d->n && d->t[i].end == d->t[i].start + 1 && d->text[d->t[i].start] == c;
}

/* "<ACME>", "<ACME.N>": one upper-case word (with an exchange code) alone in angle brackets. */
static bool rf_ticker(const struct ner_doc *d, size_t a, size_t b)
{
    if (a == 0 || !rf_char_is(d, a - 1, '<') || !(d->t[a].flags & NT_UPPER))
        return false;
    size_t e = a + 1;
    while (e < d->n && e < a + 3 && !rf_char_is(d, e, '>'))
        e++; /* ".N" */
    return rf_char_is(d, e, '>') && b <= e;
}

static bool rf_letter(const struct ner_doc *d, size_t i)
{
    return i < d->n && (d->t[i].flags & NT_CAP) && d->t[i].end == d->t[i].start + 1;
}

/* Cuts candidate c at the first markup token inside it, after skipping leading ones; a legal
 * form written with a slash ("Brekke Verft A/S", "Acme S/A") stays part of the name. */
static void rf_cut_markup(struct ner_doc *d, struct ner_cand *c)
{
    if (rf_letter(d, c->b - 1) && rf_char_is(d, c->b, '/') && rf_letter(d, c->b + 1) &&
        !(d->t[c->b].flags & NT_SPACE) && !(d->t[c->b + 1].flags & NT_SPACE))
        c->b += 2;
    bool cut = false;
    while (c->a < c->b && rf_markup(d, c->a)) {
        c->a++;
        cut = true;
    }
    for (size_t k = c->a; k < c->b; k++) {
        if (rf_markup(d, k)) {
            c->b = k;
            cut = true;
        }
    }
    while (cut && c->b > c->a && !(d->t[c->b - 1].flags & NT_WORD))
        c->b--; /* "S>." -> "S" (only after a cut: "Lord's", "C$" and "Fla." stay whole) */
    bool letter = c->b == c->a + 1 && d->t[c->a].end - d->t[c->a].start == 1;
    if (c->b <= c->a || (cut && letter) || rf_ticker(d, c->a, c->b))
        c->drop = true;
}

static int rf_cmp(const void *x, const void *y)
{
    const struct ner_cand *a = x, *b = y;
    return a->a < b->a ? -1 : a->a > b->a ? 1 : (a->b > b->b) - (a->b < b->b);
}

void ner_cands_sort(struct ner_doc *d)
{
    if (d->nc)
        qsort(d->c, d->nc, sizeof *d->c, rf_cmp);
}

void ner_refs_markup(struct ner_doc *d)
{
    for (size_t i = 0; i < d->nc; i++)
        if (!d->c[i].drop)
            rf_cut_markup(d, &d->c[i]);
    ner_cands_sort(d); /* a cut start may change the order */
}

/* ---------------------------------------------------------------- generic heads */

/* The head-word key of token i (lowercased ASCII), into buf; its length or 0. */
static size_t rf_key(const struct ner_doc *d, size_t i, char *buf, size_t size)
{
    size_t n = d->t[i].end - d->t[i].start;
    if (n >= size)
        return 0;
    for (size_t k = 0; k < n; k++) {
        char ch = d->text[d->t[i].start + k];
        buf[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    return n;
}

/* The token that heads organisation candidate c, when it is a generic head: its last word
 * ("European Commission") or its first before "of"/"for" ("Bank of Ruritania"). */
static size_t rf_head_of(const struct ner_doc *d, const struct ner_cand *c, size_t *second)
{
    *second = SIZE_MAX;
    if (c->drop || c->type != ENTITY_ORG || c->b - c->a < 2 || !c->canon)
        return SIZE_MAX;
    size_t last = c->b - 1, first = c->a;
    size_t w = first + 1, n = d->t[w].end - d->t[w].start;
    const char *s = d->text + d->t[w].start;
    if ((d->t[first].lex & NL_GENERIC) &&
        ((n == 2 && !memcmp(s, "of", 2)) || (n == 3 && !memcmp(s, "for", 3))))
        *second = first; /* not "House and Senate Budget Committee" */
    return (d->t[last].lex & NL_GENERIC) ? last : *second == SIZE_MAX ? SIZE_MAX : first;
}

static bool rf_bare_head(const struct ner_doc *d, const struct ner_cand *c)
{
    return !c->drop && c->b == c->a + 1 && c->link < 0 && c->gaz < 0 &&
           (d->t[c->a].lex & NL_GENERIC) && (d->t[c->a].flags & (NT_CAP | NT_UPPER));
}

/* Registers the head words of candidate i in map (set: the latest; put: the first). */
static int rf_note_heads(const struct ner_doc *d, size_t i, struct ner_map *map, bool latest)
{
    char buf[64];
    size_t second, h = rf_head_of(d, &d->c[i], &second);
    size_t heads[2] = {h, second != h ? second : SIZE_MAX};
    for (int k = 0; k < 2; k++) {
        size_t n = heads[k] == SIZE_MAX ? 0 : rf_key(d, heads[k], buf, sizeof buf);
        if (!n)
            continue;
        int rc = latest ? ner_map_set(map, buf, n, (uint32_t)i)
                        : ner_map_put(map, buf, n, (uint32_t)i, false);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Bare head c becomes an alias of candidate full (or is dropped when full is NULL). */
static int rf_refer(struct ner_cand *c, const struct ner_cand *full)
{
    if (!full) {
        c->drop = true;
        return 0;
    }
    size_t n = strlen(full->canon) + 1;
    char *name = malloc(n);
    if (!name)
        return -1;
    memcpy(name, full->canon, n);
    free(c->canon);
    c->canon = name;
    c->type = full->type;
    c->ev = NER_EV_STRONG; /* resolved: no later short-name pass retypes it */
    return 0;
}

int ner_refs_heads(struct ner_doc *d)
{
    struct ner_map latest = {0}, first = {0};
    int rc = 0;
    for (size_t i = 0; i < d->nc && rc == 0; i++)
        rc = rf_note_heads(d, i, &first, false);
    for (size_t i = 0; i < d->nc && rc == 0; i++) {
        struct ner_cand *c = &d->c[i];
        rc = rf_note_heads(d, i, &latest, true);
        if (rc < 0 || !rf_bare_head(d, c))
            continue;
        char buf[64];
        size_t n = rf_key(d, c->a, buf, sizeof buf);
        uint32_t v;
        bool found = n && (ner_map_get(&latest, buf, n, &v) || ner_map_get(&first, buf, n, &v));
        rc = rf_refer(c, found ? &d->c[v] : NULL); /* the nearest before it, else the first */
    }
    ner_map_free(&latest);
    ner_map_free(&first);
    return rc;
}
