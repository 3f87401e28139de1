/*
 * resolve_merge.c — the merges of corpus-wide resolution, each one linear pass over mentions or
 * clusters with hash maps: acronym <-> the long form a document defines it as, corporate-suffix
 * variants, and a bare surname <-> the one full name it stands for in the corpus.
 */
#include "ingest/resolve/resolve_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/resolve/resolve_names.h"
#include "base/grow.h"

/* How often one key (an acronym, a surname) goes with each target entity: the best target, its
 * count, the runner-up and its count, and the first document that showed the best pairing. */
struct rs_pick {
    uint32_t best, best_n, second, second_n, first_doc;
};

struct rs_pairs {
    struct strmap index; /* "key\x1ftarget" -> pair; key -> pick */
    struct strmap picks;
    struct rs_pick *v;
    size_t n, cap;
    struct {
        char *key; /* owned */
        uint32_t target, count, first_doc;
    } * p;
    size_t np, capp;
};

static void rs_pairs_free(struct rs_pairs *pr)
{
    for (size_t i = 0; i < pr->np; i++)
        free(pr->p[i].key);
    strmap_free(&pr->index);
    strmap_free(&pr->picks);
    free(pr->v);
    free(pr->p);
}

/* Counts `weight` for key -> target, seen first in document doc. */
static int rs_pair_add(struct rs_pairs *pr, const char *key, uint32_t target, uint32_t weight,
                       uint32_t doc)
{
    char buf[512];
    int n = snprintf(buf, sizeof buf, "%s\x1f%u", key, target);
    if (n < 0 || (size_t)n >= sizeof buf)
        return 0; /* an absurdly long name: not paired */
    uint32_t *v;
    int fresh = strmap_upsert(&pr->index, buf, (size_t)n, &v);
    if (fresh < 0)
        return -1;
    if (fresh) {
        if (BASE_GROW(pr->p, pr->capp, pr->np, 256) < 0)
            return -1;
        if (!(pr->p[pr->np].key = strdup(key)))
            return -1;
        pr->p[pr->np].target = target;
        pr->p[pr->np].count = 0;
        pr->p[pr->np].first_doc = doc;
        *v = (uint32_t)pr->np++;
    }
    pr->p[*v].count += weight;
    if (doc < pr->p[*v].first_doc)
        pr->p[*v].first_doc = doc;
    return 0;
}

/* Folds the pairs into one pick per key (pairs in insertion order: deterministic ties). */
static int rs_pairs_pick(struct rs_pairs *pr)
{
    for (size_t i = 0; i < pr->np; i++) {
        uint32_t *v;
        int fresh = strmap_upsert(&pr->picks, pr->p[i].key, strlen(pr->p[i].key), &v);
        if (fresh < 0)
            return -1;
        if (fresh) {
            if (BASE_GROW(pr->v, pr->cap, pr->n, 256) < 0)
                return -1;
            pr->v[pr->n] = (struct rs_pick){RS_NONE, 0, RS_NONE, 0, 0};
            *v = (uint32_t)pr->n++;
        }
        struct rs_pick *k = &pr->v[*v];
        uint32_t c = pr->p[i].count;
        if (c > k->best_n) {
            k->second = k->best;
            k->second_n = k->best_n;
            k->best_n = c;
            k->best = pr->p[i].target;
            k->first_doc = pr->p[i].first_doc;
        } else if (c > k->second_n) {
            k->second = pr->p[i].target;
            k->second_n = c;
        }
    }
    return 0;
}

static const struct rs_pick *rs_pick_get(const struct rs_pairs *pr, const char *key)
{
    uint32_t v;
    return strmap_get(&pr->picks, key, strlen(key), &v) ? &pr->v[v] : NULL;
}

/* Counts, per acronym, the entities its documents define it as ("Commodity Futures Trading
 * Commission (CFTC)": the acronym's mention is named by its long form), and picks the best. */
static int rs_acronym_pairs(struct rs_state *s, struct rs_pairs *pr)
{
    int rc = 0;
    for (size_t i = 0; i < s->nm && rc == 0; i++) {
        const struct rs_mention *rm = &s->ms[i];
        const char *local = rm->m->name;
        if (!local || strcmp(rm->skey, rm->lkey) == 0 || !rn_is_acronym(rm->surface) ||
            !rn_initials_match(rm->surface, local, s->r->suffixes))
            continue;
        rc = rs_pair_add(pr, rm->skey, rs_find(s, rm->cluster), 1, rm->doc);
    }
    return rc == 0 ? rs_pairs_pick(pr) : rc;
}

/* Two readings of one name that the corpus defines as the same acronym ("European Community
 * (EC)" in documents the tagger read as ORG and in others it read as MISC, each at least twice)
 * are one thing: the second reading was the tagger's type error, not a second sense (a city
 * and the team named after it share no acronym). The joined entity takes its mentions' vote.
 * *joined tells whether any did. 0 or -1 (OOM). */
static int rs_join_twins_by_acronym(struct rs_state *s, const struct rs_pairs *pr, bool *joined)
{
    *joined = false;
    for (size_t i = 0; i < pr->n; i++) {
        const struct rs_pick *k = &pr->v[i];
        if (k->best == RS_NONE || k->second == RS_NONE || k->second_n < 2)
            continue;
        const struct rs_cluster *a = &s->cs[k->best], *b = &s->cs[k->second];
        if (!(a->is_twin || a->has_twins) || !(b->is_twin || b->has_twins) ||
            strcmp(a->key, b->key) != 0)
            continue;
        if (rs_union(s, k->second, k->best, "same name, defined as the same acronym") < 0)
            return -1;
        *joined = true;
    }
    return 0;
}

/* Whether clusters x and y are one name but for legal-form words ("Standard and Poor's Corp",
 * "Standard and Poor"), which rs_merge_suffixes joins later: an acronym defined as both is
 * defined one way. */
static bool rs_suffix_variants(const struct rs_state *s, uint32_t x, uint32_t y)
{
    char a[512], b[512];
    snprintf(a, sizeof a, "%s", s->cs[x].key);
    snprintf(b, sizeof b, "%s", s->cs[y].key);
    rn_strip_suffixes(s->r->suffixes, a);
    rn_strip_suffixes(s->r->suffixes, b);
    return strcmp(a, b) == 0;
}

/* "Commodity Futures Trading Commission (CFTC)" in one document makes a bare "CFTC" anywhere
 * else the same entity, when the corpus defines that acronym mostly (2:1) one way (suffix
 * variants of one name counting as one way). */
int rs_merge_acronyms(struct rs_state *s)
{
    struct rs_pairs pr = {0};
    bool joined = false;
    int rc = rs_acronym_pairs(s, &pr);
    if (rc == 0)
        rc = rs_join_twins_by_acronym(s, &pr, &joined);
    if (rc == 0 && joined) { /* count again: the joined readings are one target now */
        rs_pairs_free(&pr);
        pr = (struct rs_pairs){0};
        rc = rs_acronym_pairs(s, &pr);
    }
    for (size_t c = 0; c < s->nc && rc == 0; c++) {
        if (s->cs[c].parent != c || !rn_is_acronym(s->cs[c].name))
            continue;
        const struct rs_pick *k = rs_pick_get(&pr, s->cs[c].key);
        if (!k || k->best == RS_NONE ||
            (k->best_n < 2 * k->second_n && !rs_suffix_variants(s, k->best, k->second)))
            continue;
        char why[600];
        snprintf(why, sizeof why, "acronym defined in %s", s->docs[k->first_doc]->id);
        rc = rs_union(s, (uint32_t)c, k->best, why);
    }
    rs_pairs_free(&pr);
    return rc;
}

/* A name the tagger read as a person that the corpus also writes with a legal form ("E.F.
 * Hutton" beside "E.F. Hutton Group Inc"): a company named after its founders, unless its
 * mentions show a person (a role in one of ten: "lead manager E.F. Hutton" is a firm's role in
 * an underwriting). Multi-word names only: a surname alone may be both. */
static bool rs_person_named_company(const struct rs_cluster *c)
{
    return rs_majority(c) == ENTITY_PERSON && !c->has_twins && !c->is_twin &&
           c->person_roles * 10 < c->n && rn_words(c->key) >= 2;
}

/* Joins organisation c, whose key stripped of its suffixes is k, to a person-named cluster of
 * that name, if any: the entity is then a company whatever the person votes. */
static int rs_join_person_named(struct rs_state *s, const struct strmap *people, const char *k,
                                uint32_t c)
{
    uint32_t p;
    if (!strmap_get(people, k, strlen(k), &p) || rs_find(s, p) != p)
        return 0;
    if (rs_union(s, p, c, "suffix variant") < 0)
        return -1;
    struct rs_cluster *root = &s->cs[rs_find(s, c)];
    if (root->forced_type < 0 && !root->locked)
        root->forced_type = ENTITY_ORG;
    return 0;
}

/* "General Motors Corp", "General Motors Corp." and "General Motors" are one company: names of
 * organisations equal once their legal-form words are stripped merge into the bare name (or the
 * first variant seen). Only organisations: "Texas" the state is not "Texas Co"; a person-named
 * company joins too (rs_person_named_company). */
int rs_merge_suffixes(struct rs_state *s)
{
    struct strmap bare = {0}, people = {0};
    int rc = 0;
    for (size_t c = 0; c < s->nc && rc == 0; c++) {
        uint32_t *v;
        if (s->cs[c].parent != c || !rs_person_named_company(&s->cs[c]))
            continue;
        int fresh = strmap_upsert(&people, s->cs[c].key, strlen(s->cs[c].key), &v);
        if (fresh < 0)
            rc = -1;
        else if (fresh)
            *v = (uint32_t)c;
    }
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        for (size_t c = 0; c < s->nc && rc == 0; c++) {
            if (s->cs[c].parent != c || rs_majority(&s->cs[c]) != ENTITY_ORG || s->cs[c].has_twins)
                continue;
            char *k = strdup(s->cs[c].key);
            if (!k) {
                rc = -1;
                break;
            }
            int stripped = rn_strip_suffixes(s->r->suffixes, k);
            if ((pass == 0) != (stripped == 0)) {
                free(k);
                continue;
            }
            uint32_t *v;
            int fresh = strmap_upsert(&bare, k, strlen(k), &v);
            if (fresh < 0)
                rc = -1;
            else if (fresh)
                *v = (uint32_t)c;
            else if ((rc = rs_union(s, (uint32_t)c, *v, "suffix variant")) == 0)
                s->cs[rs_find(s, *v)].legal_form = true;
            if (rc == 0 && stripped)
                rc = rs_join_person_named(s, &people, k, fresh ? (uint32_t)c : *v);
            free(k);
        }
    }
    strmap_free(&bare);
    strmap_free(&people);
    return rc;
}

/* The word of a multi-word key a short form repeats: a person's surname, an organisation's
 * first word ("Yonhap" of "Yonhap News Agency"). Copied into buf. */
static const char *rs_edge_word(const char *key, enum entity_type type, char *buf, size_t size)
{
    if (type == ENTITY_PERSON) {
        const char *sp = strrchr(key, ' ');
        return sp ? sp + 1 : key;
    }
    size_t n = strcspn(key, " ");
    snprintf(buf, size, "%.*s", (int)n, key);
    return buf;
}

/* "Reagan" is "Ronald Reagan", "Yonhap" is "Yonhap News Agency", when the corpus names (almost)
 * no other person Reagan or organisation Yonhap ...: the full name must have ten times the
 * mentions of any other full name of that type with that surname / first word, and be named in
 * at least two documents. */
static int rs_merge_short(struct rs_state *s, enum entity_type type, const char *why_fmt)
{
    struct rs_pairs pr = {0};
    int rc = 0;
    char buf[256];
    for (size_t c = 0; c < s->nc && rc == 0; c++) {
        const struct rs_cluster *cl = &s->cs[c];
        if (rs_majority(cl) != type || rn_words(cl->key) < 2 || cl->n == 0)
            continue;
        const char *w = rs_edge_word(cl->key, type, buf, sizeof buf);
        if (rn_words(w) != 1 || strlen(w) < 3)
            continue;
        rc = rs_pair_add(&pr, w, rs_find(s, (uint32_t)c), cl->n, 0);
    }
    if (rc == 0)
        rc = rs_pairs_pick(&pr);
    for (size_t c = 0; c < s->nc && rc == 0; c++) {
        const struct rs_cluster *cl = &s->cs[c];
        if (cl->parent != c || rs_majority(cl) != type || rn_words(cl->key) != 1 ||
            rn_is_acronym(cl->name) || cl->legal_form)
            continue; /* "Finance", also written "Finance Ltd", is a firm, not the Finance Ministry
                       */
        const struct rs_pick *k = rs_pick_get(&pr, cl->key);
        if (!k || k->best == RS_NONE || k->best_n < 10 * k->second_n)
            continue;
        const uint32_t *d = s->cs[k->best].docs;
        if (d[0] + d[1] + d[2] + d[3] < 2)
            continue; /* a full name one document gives ("Donna Pope") takes no bare "Pope" */
        uint32_t target = rs_find(s, k->best);
        if (target == c)
            continue;
        char why[600];
        snprintf(why, sizeof why, why_fmt, s->cs[target].name);
        rc = rs_union(s, (uint32_t)c, target, why);
    }
    rs_pairs_free(&pr);
    return rc;
}

int rs_merge_surnames(struct rs_state *s)
{
    int rc = rs_merge_short(s, ENTITY_PERSON, "surname of %s");
    return rc == 0 ? rs_merge_short(s, ENTITY_ORG, "short form of %s") : rc;
}
