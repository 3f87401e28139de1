/*
 * ner_national.c — national institutions named with their country. "The Finance Ministry" of a
 * story about Japan is Japan's; named alone, corpus-wide resolution would join it with every
 * other country's finance ministry. An organisation whose canonical name is on
 * ner_national_bodies.txt is named "Finance Ministry (Japan)": the country comes from the text
 * right before one of its mentions ("Japan's Finance Ministry", "the Japanese Finance Ministry",
 * as a demonym inside the name too), else from the one country the story names (two mentions
 * at least, no other country: wire stories about one country quote their trading partners, and
 * the most-named country of a Taiwan story is often the United States); with neither, the name
 * stays as it is.
 */
#include "ingest/ner/ner_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/wordlist.h"

/* The country a gazetteer entry stands for: a country itself, a demonym's or a capital's when
 * that is a country ("European" stands for no country: the European Parliament stays). */
static const char *nb_country_of(const struct ner_doc *d, int g)
{
    if (g < 0)
        return NULL;
    const struct ner_gaz *e = &d->m->gaz[g];
    if (e->kind == NER_GAZ_COUNTRY)
        return e->canon;
    if ((e->kind != NER_GAZ_DEMONYM && e->kind != NER_GAZ_CAPITAL) || !e->country)
        return NULL;
    int c = ner_gaz_lookup(d->m, e->country, strlen(e->country), false);
    return c >= 0 && d->m->gaz[c].kind == NER_GAZ_COUNTRY ? d->m->gaz[c].canon : NULL;
}

/* The country of candidate c when it names one (a country, a nationality, a capital). */
static const char *nb_cand_country(const struct ner_doc *d, const struct ner_cand *c)
{
    return c->drop ? NULL : nb_country_of(d, ner_gaz_span(d, c->a, c->b));
}

/* Whether name (canonical) is a national body of the list, read "Ministry of X" as "X Ministry"
 * and "Department of X" as "X Department" into key. */
static bool nb_listed(const struct ner_doc *d, const char *name, char *key, size_t cap)
{
    static const char *const heads[] = {"Ministry", "Department"};
    snprintf(key, cap, "%s", name);
    for (size_t h = 0; h < sizeof heads / sizeof *heads; h++) {
        size_t n = strlen(heads[h]);
        if (strncmp(name, heads[h], n) != 0 || strncmp(name + n, " of ", 4) != 0)
            continue;
        const char *x = name + n + 4; /* "X" of "<head> of X": one word */
        if (*x && !strchr(x, ' '))
            snprintf(key, cap, "%s %s", x, heads[h]);
    }
    return wordlist_has(d->m->national, key, strlen(key));
}

/* The one country the story names (twice at least), or NULL when it names another too. */
static const char *nb_story_country(const struct ner_doc *d)
{
    const char *only = NULL;
    size_t n = 0;
    for (size_t i = 0; i < d->nc; i++) {
        const char *k = nb_cand_country(d, &d->c[i]);
        if (!k)
            continue;
        if (only && strcmp(k, only) != 0)
            return NULL;
        only = k;
        n++;
    }
    return n >= 2 ? only : NULL;
}

/* The country the text puts right before candidate i: a country or nationality candidate that
 * ends where it starts or before a possessive "'s" ("Japan's Finance Ministry"). */
static const char *nb_country_before(const struct ner_doc *d, size_t i)
{
    const struct ner_cand *c = &d->c[i];
    for (size_t j = i; j-- > 0;) {
        const struct ner_cand *p = &d->c[j];
        if (p->drop)
            continue;
        size_t gap = c->a - p->b;
        bool possessive =
            gap == 1 && d->t[p->b].end - d->t[p->b].start <= 2 && d->text[d->t[p->b].start] == '\'';
        return p->b <= c->a && (gap == 0 || possessive) ? nb_cand_country(d, p) : NULL;
    }
    return NULL;
}

/* A name that opens with a nationality or country ("Japanese Finance Ministry", "Dutch Central
 * Bank") and goes on with a listed body: that country, with the body's name in key. */
static const char *nb_country_inside(const struct ner_doc *d, const struct ner_cand *c, char *key,
                                     size_t cap)
{
    for (size_t k = c->a + 1; k < c->b && k - c->a <= NER_GAZ_MAX_TOKENS; k++) {
        const char *country = nb_country_of(d, ner_gaz_span(d, c->a, k));
        char *rest = country ? ner_span_text(d, k, c->b) : NULL;
        bool listed = rest && nb_listed(d, rest, key, cap);
        free(rest);
        if (listed)
            return country;
    }
    return NULL;
}

/* Names candidate c "body (country)"; 0, or -1 when out of memory. */
static int nb_rename(struct ner_cand *c, const char *body, const char *country)
{
    char *name = NULL;
    if (asprintf(&name, "%s (%s)", body, country) < 0)
        return -1;
    free(c->canon);
    c->canon = name;
    return 0;
}

/* The country of body i: its own (before or inside it), else that of another mention of the
 * same body in the story ("the Chinese Ministry of Commerce ... The Ministry of Commerce"), else
 * the story's one country. */
static const char *nb_country_for(const struct ner_doc *d, size_t i, char *const *body,
                                  const char *const *own, const char **story, bool *story_known)
{
    if (own[i])
        return own[i];
    for (size_t j = 0; j < d->nc; j++)
        if (own[j] && strcmp(body[j], body[i]) == 0)
            return own[j];
    if (!*story_known) {
        *story = nb_story_country(d);
        *story_known = true;
    }
    return *story;
}

/* The body candidate c names (into body[i], malloc'd) and the country it states itself. */
static int nb_read(const struct ner_doc *d, size_t i, char **body, const char **own)
{
    const struct ner_cand *c = &d->c[i];
    char key[160];
    if (c->drop || c->type != ENTITY_ORG || !c->canon)
        return 0;
    if (nb_listed(d, c->canon, key, sizeof key))
        own[i] = nb_country_before(d, i);
    else if (!(own[i] = nb_country_inside(d, c, key, sizeof key)))
        return 0;
    return (body[i] = strdup(key)) ? 0 : -1;
}

int ner_qualify_national(struct ner_doc *d)
{
    if (!d->m->national || d->nc == 0)
        return 0;
    char **body = calloc(d->nc, sizeof *body);
    const char **own = calloc(d->nc, sizeof *own), **country = calloc(d->nc, sizeof *country);
    int rc = body && own && country ? 0 : -1;
    for (size_t i = 0; i < d->nc && rc == 0; i++)
        rc = nb_read(d, i, body, own);
    /* every country first, then the names: a renamed candidate no longer reads as its body */
    const char *story = NULL;
    bool story_known = false;
    for (size_t i = 0; i < d->nc && rc == 0; i++)
        if (body[i])
            country[i] = nb_country_for(d, i, body, own, &story, &story_known);
    for (size_t i = 0; i < d->nc && rc == 0; i++)
        if (country[i])
            rc = nb_rename(&d->c[i], body[i], country[i]);
    for (size_t i = 0; body && i < d->nc; i++)
        free(body[i]);
    free(body);
    free(own);
    free(country);
    return rc;
}
