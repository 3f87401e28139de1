/*
 * resolve_conj.c — splitting mention spans that join two entities ("House and Senate", "Paul
 * Volcker and International Monetary Fund", "U.S. And Japan" in a headline). A span "A and B" is
 * split when the corpus uses A and B on their own (each at least twice) more often than the
 * joined span: "Securities and Exchange Commission" stays whole because "Securities" is no name
 * on its own, "Babcock and Wilcox Co" because only its second part has a legal form. "&" never
 * splits ("Procter & Gamble"). Each part takes the name and the majority
 * type its standalone mentions have.
 */
#include "ingest/resolve/resolve_internal.h"

#include <stdlib.h>
#include <string.h>

#include "base/wordlist.h"
#include "ingest/resolve/resolve_names.h"
#include "base/grow.h"

#include <stdio.h>

struct cj_name {
    uint32_t count;
    uint32_t votes[4];
    const char *name; /* the document-level name of its first mention (borrowed) */
};

struct cj_state {
    const struct wordlist *suffixes;
    const struct wordlist *generic; /* ner_generic_heads.txt */
    struct strmap index;            /* surface key -> names[] */
    struct cj_name *names;
    size_t n, cap;
};

static struct cj_name *cj_lookup(const struct cj_state *cj, const char *s, size_t len)
{
    char buf[256];
    if (len >= sizeof buf)
        return NULL; /* no name that long is split */
    uint32_t v;
    return strmap_get(&cj->index, buf, rn_key_into(s, len, buf), &v) ? &cj->names[v] : NULL;
}

static int cj_count(struct cj_state *cj, const struct doc *d, const struct mention *m)
{
    char buf[256];
    size_t len = m->end - m->start;
    if (len >= sizeof buf)
        return 0; /* too long to be half of a split span */
    uint32_t *v;
    int fresh = strmap_upsert(&cj->index, buf, rn_key_into(d->text + m->start, len, buf), &v);
    if (fresh < 0)
        return -1;
    if (fresh) {
        if (BASE_GROW(cj->names, cj->cap, cj->n, 1024) < 0)
            return -1;
        cj->names[cj->n] = (struct cj_name){.name = m->name};
        *v = (uint32_t)cj->n++;
    }
    cj->names[*v].count++;
    cj->names[*v].votes[(unsigned)m->type < 4 ? m->type : ENTITY_MISC]++;
    return 0;
}

/* "Brunswick Mining and Smelter Corp", "Babcock and Wilcox Co": a legal-form word ends the
 * second part only, so the whole span is one company; so is "Bausch and Lomb" when the corpus
 * writes it with a legal form too. */
static bool cj_one_company(const struct cj_state *cj, const char *l, size_t nl, const char *r,
                           size_t nr)
{
    char kl[256], kr[256];
    if (nl >= sizeof kl || nr >= sizeof kr)
        return false;
    rn_key_into(l, nl, kl);
    rn_key_into(r, nr, kr);
    /* "Wertheim and Co", "Dillon Read and Co Inc": a right part that is only a legal form
     * (mentions of "Co" alone, left by such spans, must not license their split) */
    int stripped = rn_strip_suffixes(cj->suffixes, kr);
    bool form_only = !strchr(kr, ' ') && wordlist_has(cj->suffixes, kr, strlen(kr));
    if ((stripped > 0 || form_only) && rn_strip_suffixes(cj->suffixes, kl) == 0)
        return true;
    /* "Bausch and Lomb" when the corpus also names "Bausch and Lomb Inc" */
    char whole[600];
    for (size_t i = 0; i < wordlist_count(cj->suffixes); i++) {
        int n = snprintf(whole, sizeof whole, "%s and %s %s", kl, kr, wordlist_at(cj->suffixes, i));
        if (n > 0 && (size_t)n < sizeof whole && strmap_get(&cj->index, whole, (size_t)n, NULL))
            return true;
    }
    return false;
}

static bool cj_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t';
}

/* The byte range of the single "and" word inside text[a, b), or false (none, or several). */
static bool cj_find_and(const char *text, size_t a, size_t b, size_t *ca, size_t *cb)
{
    int found = 0;
    for (size_t i = a + 1; i + 4 < b; i++) {
        if (!cj_space(text[i - 1]) || !cj_space(text[i + 3]))
            continue;
        if (strncmp(text + i, "and", 3) && strncmp(text + i, "And", 3) &&
            strncmp(text + i, "AND", 3))
            continue;
        *ca = i - 1;
        *cb = i + 4;
        found++;
    }
    while (found == 1 && *ca > a && cj_space(text[*ca - 1]))
        (*ca)--;
    while (found == 1 && *cb < b && cj_space(text[*cb]))
        (*cb)++;
    return found == 1 && *ca > a && *cb < b;
}

static enum entity_type cj_type(const struct cj_name *n)
{
    return n ? rs_vote(n->votes) : ENTITY_MISC;
}

static int cj_part(struct mention *out, const struct cj_name *n, size_t a, size_t b)
{
    *out = (struct mention){.start = a, .end = b, .type = cj_type(n)};
    return n && n->name && !(out->name = strdup(n->name)) ? -1 : 0;
}

/* Whether the split part text[a, b) is kept as a mention: a generic head alone ("House" of
 * "House and Senate"; ner_generic_heads.txt) names nothing by itself. */
static bool cj_keep(const struct cj_state *cj, const char *text, size_t a, size_t b)
{
    return memchr(text + a, ' ', b - a) || !wordlist_has(cj->generic, text + a, b - a);
}

/* Whether mention m of d is "A and B" to split: both parts names the corpus uses alone (at
 * least twice, more often than the joined span), each longer than one letter ("S and P" is a
 * name). */
static bool cj_splits(const struct cj_state *cj, const struct doc *d, const struct mention *m)
{
    size_t ca, cb;
    if (m->end > d->text_len || !cj_find_and(d->text, m->start, m->end, &ca, &cb) ||
        !(d->text[cb] >= 'A' && d->text[cb] <= 'Z') || ca - m->start < 2 || m->end - cb < 2)
        return false;
    if (cj_one_company(cj, d->text + m->start, ca - m->start, d->text + cb, m->end - cb))
        return false;
    const struct cj_name *l = cj_lookup(cj, d->text + m->start, ca - m->start);
    const struct cj_name *r = cj_lookup(cj, d->text + cb, m->end - cb);
    const struct cj_name *w = cj_lookup(cj, d->text + m->start, m->end - m->start);
    uint32_t whole = w ? w->count : 0;
    /* "Johnson and Johnson" is one company */
    return l && r && l != r && l->count >= 2 && r->count >= 2 && whole < l->count &&
           whole < r->count;
}

static void cj_free_mention(struct mention *m)
{
    free(m->name);
    free(m->role);
    free(m->local_name);
    free(m->why);
}

/* The parts of split mention m into ms[*k ...]. 0 or -1 (OOM). */
static int cj_add_parts(const struct cj_state *cj, const struct doc *d, const struct mention *m,
                        struct mention *ms, size_t *k)
{
    size_t ca, cb;
    cj_find_and(d->text, m->start, m->end, &ca, &cb);
    if (cj_keep(cj, d->text, m->start, ca) &&
        cj_part(&ms[(*k)++], cj_lookup(cj, d->text + m->start, ca - m->start), m->start, ca) < 0)
        return -1;
    if (cj_keep(cj, d->text, cb, m->end) &&
        cj_part(&ms[(*k)++], cj_lookup(cj, d->text + cb, m->end - cb), cb, m->end) < 0)
        return -1;
    return 0;
}

/* Splits the mentions of d that qualify; the array grows by at most one per split. */
static int cj_split_doc(const struct cj_state *cj, struct doc *d)
{
    size_t splits = 0;
    bool *split = calloc(d->n_mentions ? d->n_mentions : 1, sizeof *split);
    if (!split)
        return -1;
    for (size_t i = 0; i < d->n_mentions; i++)
        splits += split[i] = cj_splits(cj, d, &d->mentions[i]);
    int rc = 0;
    struct mention *ms = splits ? calloc(d->n_mentions + splits, sizeof *ms) : NULL;
    if (splits && !ms)
        rc = -1;
    size_t k = 0;
    for (size_t i = 0; splits && rc == 0 && i < d->n_mentions; i++) {
        if (!split[i])
            ms[k++] = d->mentions[i]; /* shared until the old array is let go */
        else
            rc = cj_add_parts(cj, d, &d->mentions[i], ms, &k);
    }
    if (splits && rc == 0) {
        for (size_t i = 0; i < d->n_mentions; i++)
            if (split[i]) /* the others are now owned by ms */
                cj_free_mention(&d->mentions[i]);
        free(d->mentions);
        d->mentions = ms;
        d->n_mentions = k;
    } else if (splits && ms) { /* out of memory: the document keeps its mentions */
        for (size_t i = 0, j = 0; i < d->n_mentions && j < k; i++) {
            if (!split[i]) {
                j++; /* a copy: owns nothing */
                continue;
            }
            size_t ca, cb;
            cj_find_and(d->text, d->mentions[i].start, d->mentions[i].end, &ca, &cb);
            size_t parts = cj_keep(cj, d->text, d->mentions[i].start, ca) +
                           cj_keep(cj, d->text, cb, d->mentions[i].end);
            for (size_t p = 0; p < parts && j < k; p++, j++)
                free(ms[j].name);
        }
        free(ms);
    }
    free(split);
    return rc;
}

int rs_split_conjunctions(const struct resolve_rules *r, struct doc **docs, size_t n_docs)
{
    struct cj_state cj = {.suffixes = r->suffixes, .generic = r->generic};
    int rc = 0;
    for (size_t i = 0; i < n_docs && rc == 0; i++)
        for (size_t k = 0; docs[i] && k < docs[i]->n_mentions && rc == 0; k++)
            if (docs[i]->mentions[k].end <= docs[i]->text_len)
                rc = cj_count(&cj, docs[i], &docs[i]->mentions[k]);
    for (size_t i = 0; i < n_docs && rc == 0; i++)
        if (docs[i])
            rc = cj_split_doc(&cj, docs[i]);
    strmap_free(&cj.index);
    free(cj.names);
    return rc;
}
