/*
 * resolve_name.c — the end of corpus-wide resolution: each entity's type (the votes of all its
 * mentions) and canonical name, each surface form's reason for belonging to it, written back
 * into the documents' mentions.
 *
 * The canonical name is the most frequent surface form the texts use, among the forms that are
 * names in their own right: not an acronym when a long form occurs ("European Community", not
 * "EC"), not a bare surname when the full name occurs, not a form that only ever stood for a
 * longer name in its document. Case variants count together ("France", "FRANCE", "FRance") and
 * the best-written one of them is printed: a case typo or an ALL CAPS headline never wins.
 */
#include "ingest/resolve/resolve_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/resolve/resolve_names.h"
#include "base/wordlist.h"

struct rs_order {
    uint32_t root;
    uint32_t mention;
};

/* Entity, then surface key, then surface form, then corpus order: integers only (interned). */
static int rs_order_cmp(const void *x, const void *y, void *ctx)
{
    const struct rs_order *a = x, *b = y;
    const struct rs_state *s = ctx;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    const struct rs_mention *ma = &s->ms[a->mention], *mb = &s->ms[b->mention];
    if (ma->skey_id != mb->skey_id)
        return ma->skey_id < mb->skey_id ? -1 : 1;
    if (ma->surface_id != mb->surface_id)
        return ma->surface_id < mb->surface_id ? -1 : 1;
    return (a->mention > b->mention) - (a->mention < b->mention);
}

/* One surface key's mentions within an entity: order[a, b). */
struct rs_group {
    size_t a, b;
    const char *form; /* its best-written surface form */
    int quality;
    bool is_short;
    bool expands; /* the long form of an acronym the entity also uses ("European Community") */
    uint32_t self, merged, local;
};

/* The best-written form of a group: quality first, then frequency (forms are sorted). */
static void rs_group_form(const struct rs_state *s, const struct rs_order *o, struct rs_group *g)
{
    size_t best_n = 0;
    g->quality = -1;
    for (size_t i = g->a; i < g->b;) {
        const char *f = s->ms[o[i].mention].surface;
        uint32_t id = s->ms[o[i].mention].surface_id;
        size_t j = i;
        while (j < g->b && s->ms[o[j].mention].surface_id == id)
            j++;
        int q = rn_quality(f);
        if (q > g->quality || (q == g->quality && j - i > best_n)) {
            g->quality = q;
            g->form = f;
            best_n = j - i;
        }
        i = j;
    }
}

static void rs_group_counts(struct rs_state *s, const struct rs_order *o, struct rs_group *g,
                            uint32_t root)
{
    g->self = g->merged = g->local = 0;
    for (size_t i = g->a; i < g->b; i++) {
        const struct rs_mention *rm = &s->ms[o[i].mention];
        if (rm->cluster != root)
            g->merged++;
        else if (strcmp(rm->skey, rm->lkey) == 0)
            g->self++;
        else
            g->local++;
    }
}

/* An acronym is a short form when the entity also uses its long form ("EC" of "European
 * Community"): then the long form is preferred to any other name. An acronym without one
 * ("IBM", "GATT") may be the name. Quadratic in the forms of one entity, which are few. */
static void rs_mark_acronyms(const struct wordlist *legal, struct rs_group *g, size_t ng)
{
    for (size_t i = 0; i < ng; i++) {
        if (!rn_is_acronym(g[i].form))
            continue;
        for (size_t k = 0; k < ng && k < 64; k++) {
            if (k != i && rn_initials_match(g[i].form, g[k].form, legal)) {
                g[i].is_short = true;
                g[k].expands = true;
            }
        }
    }
}

/* The key of a longer name that one-word key opens ("standard oil" of "standard oil co"), its
 * legal-form words stripped (malloc'd), or NULL when other does not open with key or is longer
 * only by legal forms ("texaco inc"). Keys as rn_key makes them. */
static char *rs_opened_name(const struct rs_state *s, const char *key, const char *other)
{
    size_t n = strlen(key);
    if (strncmp(other, key, n) != 0 || other[n] != ' ')
        return NULL;
    char *bare = strdup(other);
    if (bare)
        rn_strip_suffixes(s->r->suffixes, bare);
    if (bare && rn_words(bare) < 2) {
        free(bare);
        bare = NULL;
    }
    return bare;
}

/* Whether two longer names that one-word key opens go on alike: the same second word
 * ("shearson lehman" and "shearson lehman bros"), not "fairchild semiconductor" and
 * "fairchild industries". */
static bool rs_same_next_word(const char *x, const char *y, size_t key_len)
{
    x += key_len + 1;
    y += key_len + 1;
    size_t nx = strcspn(x, " "), ny = strcspn(y, " ");
    return nx == ny && strncmp(x, y, nx) == 0;
}

/* An organisation's one-word name is a short form when the entity also writes a longer name it
 * opens, longer by more than legal-form words: "Standard" of "Standard Oil Co" (the longer name
 * is the entity's name), not "Texaco" of "Texaco Inc" (the common name stays), nor "Fairchild"
 * of both "Fairchild Semiconductor Corp" and "Fairchild Industries Inc" (which of them the short
 * mentions mean is not known). Longer names that go on alike are one ("Shearson" of "Shearson
 * Lehman Brothers Inc" and "Shearson Lehman Bros Inc"). */
static void rs_mark_first_words(const struct rs_state *s, const struct rs_order *o,
                                struct rs_group *g, size_t ng)
{
    for (size_t i = 0; i < ng; i++) {
        const char *key = s->ms[o[g[i].a].mention].skey;
        if (strchr(key, ' '))
            continue; /* one-word names only */
        char *opened = NULL;
        bool several = false;
        for (size_t k = 0; k < ng && k < 64 && !several; k++) {
            char *bare = k != i ? rs_opened_name(s, key, s->ms[o[g[k].a].mention].skey) : NULL;
            if (bare && opened)
                several = !rs_same_next_word(bare, opened, strlen(key));
            if (bare && !opened)
                opened = bare;
            else
                free(bare);
        }
        g[i].is_short |= opened && !several;
        free(opened);
    }
}

/* Whether group x makes a better canonical name than y. */
static bool rs_group_better(const struct rs_group *x, const struct rs_group *y)
{
    if (x->is_short != y->is_short)
        return !x->is_short;
    if (x->expands != y->expands)
        return x->expands;
    size_t nx = x->b - x->a, ny = y->b - y->a;
    if (nx != ny)
        return nx > ny;
    if (x->quality != y->quality)
        return x->quality > y->quality;
    size_t lx = strlen(x->form), ly = strlen(y->form);
    if (lx != ly)
        return lx > ly;
    return strcmp(x->form, y->form) < 0;
}

/* The mention of group g (resolved in its document to another name) whose document-level name
 * is the group's most common one (the first of them on ties). */
static const struct rs_mention *rs_common_local(const struct rs_state *s, const struct rs_order *o,
                                                const struct rs_group *g)
{
    struct strmap count = {0};
    const char *best_name = NULL;
    uint32_t best_n = 0;
    for (size_t i = g->a; i < g->b; i++) {
        const struct rs_mention *rm = &s->ms[o[i].mention];
        uint32_t *v;
        if (!rm->m->name || strmap_upsert(&count, rm->m->name, strlen(rm->m->name), &v) < 0)
            continue; /* out of memory: a less common name explains it, still truthfully */
        if (++*v > best_n) {
            best_n = *v;
            best_name = rm->m->name;
        }
    }
    const struct rs_mention *best = &s->ms[o[g->a].mention];
    for (size_t i = g->a; i < g->b && best_name; i++) { /* its first mention, in corpus order */
        const struct rs_mention *rm = &s->ms[o[i].mention];
        if (rm->m->name && strcmp(rm->m->name, best_name) == 0) {
            best = rm;
            break;
        }
    }
    strmap_free(&count);
    return best;
}

/* Why a form with the canonical name's key is an alias: it differs in letter case only
 * ("FRance") or also in spaces and punctuation ("J. K. Lindqvist", "Acme Corp."). */
static const char *rs_variant(const char *form, const char *canon)
{
    return strcasecmp(form, canon) == 0 ? "case variant" : "spelling variant";
}

/* The reason a group's mentions belong to the entity, malloc'd, or NULL (no reason needed). */
static char *rs_group_why(struct rs_state *s, const struct rs_order *o, const struct rs_group *g,
                          const struct rs_group *canon, enum entity_type type)
{
    const struct rs_mention *first = &s->ms[o[g->a].mention];
    if (g == canon)
        return NULL;
    if (strcmp(first->skey, s->ms[o[canon->a].mention].skey) == 0)
        return strdup(rs_variant(g->form, canon->form));
    char buf[700];
    if (g->merged >= g->self + g->local) {
        for (size_t i = g->a; i < g->b; i++) {
            const struct rs_cluster *c = &s->cs[s->ms[o[i].mention].cluster];
            if (c->why)
                return strdup(c->why);
        }
    }
    if (g->self >= g->local) {
        /* the entity's own name in another form: the reason its canonical form joined */
        const struct rs_mention *cm = &s->ms[o[canon->a].mention];
        const char *cw = s->cs[cm->cluster].why;
        if (cw) /* a short form won the name: this is the full name it stands for */
            return strdup(strncmp(cw, "short form of ", 14) ? cw : "full name");
        snprintf(buf, sizeof buf, "%s stands for it in %s", canon->form, s->docs[cm->doc]->id);
        return strdup(buf);
    }
    const struct rs_mention *rep = rs_common_local(s, o, g);
    const char *local = rep->m->name ? rep->m->name : rep->surface;
    const char *doc = s->docs[rep->doc]->id;
    if (rn_is_acronym(rep->surface) && rn_initials_match(rep->surface, local, s->r->suffixes))
        snprintf(buf, sizeof buf, "acronym of %s in %s", local, doc);
    else if (type == ENTITY_PERSON && rn_words(rep->surface) == 1)
        snprintf(buf, sizeof buf, "short form of %s in %s", local, doc);
    else
        snprintf(buf, sizeof buf, "stands for %s in %s", local, doc);
    return strdup(buf);
}

static int rs_set_mention(struct rs_mention *rm, const char *canon, enum entity_type type,
                          const char *why)
{
    struct mention *m = rm->m;
    char *name = strdup(canon), *w = why ? strdup(why) : NULL;
    if (!name || (why && !w)) {
        free(name);
        free(w);
        return -1;
    }
    free(m->local_name);
    free(m->why);
    m->local_type = m->type;
    if (m->name && (strcmp(m->name, canon) != 0 || m->type != type)) {
        m->local_name = m->name;
    } else {
        free(m->name);
        m->local_name = NULL;
    }
    m->name = name;
    m->type = type;
    m->why = w;
    return 0;
}

/* The name of a national body the documents of entity order[a, b) named with their country
 * ("Finance Ministry (Japan)", ingest/ner/ner_national.c), which no surface form writes, or
 * NULL. Read from the entity's own mentions, which keep their document's name until the entity
 * is written back (a cluster's name is borrowed from a mention another entity may rewrite). */
static const char *rs_national_name(const struct rs_state *s, const struct rs_order *o, size_t a,
                                    size_t b)
{
    for (size_t i = a; i < b; i++) {
        const char *name = s->ms[o[i].mention].m->name, *open = name ? strstr(name, " (") : NULL;
        if (open && name[strlen(name) - 1] == ')' &&
            wordlist_has(s->r->national, name, (size_t)(open - name)))
            return name;
    }
    return NULL;
}

/* Names one entity (order[a, b), one root): with canon_out, returns the canonical name
 * (malloc'd) and changes nothing; without, writes the mentions back. */
static int rs_name_entity(struct rs_state *s, const struct rs_order *o, size_t a, size_t b,
                          char **canon_out)
{
    uint32_t root = o[a].root;
    enum entity_type type = rs_majority(&s->cs[root]);
    size_t ng = 0;
    for (size_t i = a; i < b; i++)
        ng += i == a || s->ms[o[i].mention].skey_id != s->ms[o[i - 1].mention].skey_id;
    struct rs_group *g = calloc(ng, sizeof *g);
    if (!g)
        return -1;
    size_t k = 0;
    for (size_t i = a; i < b; k++) {
        size_t j = i + 1;
        while (j < b && s->ms[o[j].mention].skey_id == s->ms[o[i].mention].skey_id)
            j++;
        g[k].a = i;
        g[k].b = j;
        rs_group_form(s, o, &g[k]);
        rs_group_counts(s, o, &g[k], root);
        const struct rs_mention *first = &s->ms[o[g[k].a].mention];
        g[k].is_short = (type == ENTITY_PERSON && rn_words(g[k].form) == 1) ||
                        (g[k].self + g[k].merged == 0 && rn_is_short_of(first->skey, first->lkey));
        i = j;
    }
    rs_mark_acronyms(s->r->suffixes, g, ng);
    /* the names the same-name merge compares are the common ones ("Ford" in every story) */
    if (type == ENTITY_ORG && !canon_out)
        rs_mark_first_words(s, o, g, ng);
    const struct rs_group *best = &g[0];
    for (size_t i = 1; i < ng; i++)
        if (rs_group_better(&g[i], best))
            best = &g[i];
    const char *qualified = rs_national_name(s, o, a, b);
    char *canon = qualified           ? strdup(qualified)
                  : best->quality < 2 ? rn_recase(best->form)
                                      : strdup(best->form);
    int rc = canon ? 0 : -1;
    if (canon_out) {
        *canon_out = canon;
        free(g);
        return rc;
    }
    for (size_t i = 0; i < ng && rc == 0; i++) {
        char *why = rs_group_why(s, o, &g[i], best, type);
        for (size_t m = g[i].a; m < g[i].b && rc == 0; m++) {
            const struct rs_mention *rm = &s->ms[o[m].mention];
            const char *w = why;
            if (&g[i] == best && strcmp(rm->surface, canon) != 0)
                w = rs_variant(rm->surface, canon);
            rc = rs_set_mention(&s->ms[o[m].mention], canon, type, w);
        }
        free(why);
    }
    free(canon);
    free(g);
    return rc;
}

static struct rs_order *rs_sorted(struct rs_state *s)
{
    struct rs_order *o = malloc((s->nm ? s->nm : 1) * sizeof *o);
    if (!o)
        return NULL;
    for (size_t i = 0; i < s->nm; i++)
        o[i] = (struct rs_order){rs_find(s, s->ms[i].cluster), (uint32_t)i};
    if (s->nm)
        qsort_r(o, s->nm, sizeof *o, rs_order_cmp, s);
    return o;
}

/* Runs rs_name_entity over each entity of the sorted order; names (per cluster) as there. */
static int rs_each_entity(struct rs_state *s, const struct rs_order *o, char **names)
{
    int rc = 0;
    for (size_t a = 0; a < s->nm && rc == 0;) {
        size_t b = a + 1;
        while (b < s->nm && o[b].root == o[a].root)
            b++;
        rc = rs_name_entity(s, o, a, b, names ? &names[o[a].root] : NULL);
        a = b;
    }
    return rc;
}

/* Whether two entities of one name must stay apart: two kinds of thing, each reading well
 * attested (see rs_split_twins). */
static bool rs_keep_apart(const struct rs_cluster *x, const struct rs_cluster *y)
{
    if (rs_majority(x) == rs_majority(y))
        return false;
    if (x->has_twins || y->has_twins || x->is_twin || y->is_twin)
        return true; /* split on purpose by rs_split_twins */
    uint32_t small = x->n < y->n ? x->n : y->n;
    return small >= 3 && small * 10 >= (x->n + y->n) * 3;
}

/* Entities that came out with the same canonical name (a short form resolved in one document,
 * the full name in another; a place tagged as an organisation) are one entity. */
static int rs_merge_same_names(struct rs_state *s, char **names)
{
    struct strmap seen = {0};
    int rc = 0;
    for (size_t c = 0; c < s->nc && rc == 0; c++) {
        if (!names[c])
            continue;
        char *k = rn_key(names[c], strlen(names[c]));
        uint32_t *v;
        int fresh = k ? strmap_upsert(&seen, k, strlen(k), &v) : -1;
        free(k);
        if (fresh < 0)
            rc = -1;
        else if (fresh)
            *v = (uint32_t)c;
        else if (!rs_keep_apart(&s->cs[rs_find(s, (uint32_t)c)], &s->cs[rs_find(s, *v)]))
            rc = rs_union(s, (uint32_t)c, *v, "same name");
    }
    strmap_free(&seen);
    return rc;
}

int rs_write_back(struct rs_state *s)
{
    struct rs_order *o = rs_sorted(s);
    char **names = calloc(s->nc ? s->nc : 1, sizeof *names);
    int rc = o && names ? rs_each_entity(s, o, names) : -1;
    if (rc == 0)
        rc = rs_merge_same_names(s, names);
    for (size_t c = 0; names && c < s->nc; c++)
        free(names[c]);
    free(names);
    free(o);
    o = rc == 0 ? rs_sorted(s) : NULL;
    if (rc == 0)
        rc = o ? rs_each_entity(s, o, NULL) : -1;
    free(o);
    return rc;
}
