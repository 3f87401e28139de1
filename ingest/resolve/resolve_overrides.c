/*
 * resolve_overrides.c — a user's corrections to corpus-wide resolution (--entity-overrides FILE),
 * applied at build time. One rule per line, '#' starts a comment, names compared with case and
 * punctuation folded (as documents name them, before resolution):
 *
 *   merge Credit Suisse => Credit Suisse First Boston   the first name's entity joins the second's
 *   split Hutton LBO                                    its mentions never join another entity
 *   type Statoil => ORG                                 the entity's type, whatever the votes
 */
#include "ingest/resolve/resolve_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/resolve/resolve_names.h"
#include "base/grow.h"

static char *ov_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static int ov_push(struct resolve_rules *r, enum ov_kind kind, const char *a, const char *b,
                   int type)
{
    if (BASE_GROW(r->ov, r->cap_ov, r->n_ov, 16) < 0)
        return -1;
    struct ov_rule *o = &r->ov[r->n_ov];
    *o = (struct ov_rule){.kind = kind, .type = type};
    if (!(o->from = rn_key(a, strlen(a))) || (b && !(o->to = rn_key(b, strlen(b))))) {
        free(o->from);
        free(o->to);
        return -1;
    }
    r->n_ov++;
    return 0;
}

/* One line: 0, 1 (not a rule: *why says why), or -1 (out of memory). */
static int ov_parse(struct resolve_rules *r, char *line, const char **why)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *s = ov_trim(line);
    if (!*s)
        return 0;
    char *arrow = strstr(s, "=>");
    char *b = arrow ? ov_trim(arrow + 2) : NULL;
    if (arrow)
        *arrow = '\0';
    if (strncmp(s, "split ", 6) == 0 && !arrow && *ov_trim(s + 6))
        return ov_push(r, OV_SPLIT, ov_trim(s + 6), NULL, -1);
    if (strncmp(s, "merge ", 6) == 0 && b && *b && *ov_trim(s + 6))
        return ov_push(r, OV_MERGE, ov_trim(s + 6), b, -1);
    if (strncmp(s, "type ", 5) == 0 && b && *ov_trim(s + 5)) {
        int t = entity_type_parse(b);
        if (t >= 0)
            return ov_push(r, OV_TYPE, ov_trim(s + 5), NULL, t);
        *why = "the type must be PERSON, ORG, LOC or MISC";
        return 1;
    }
    *why = "expected 'merge NAME => NAME', 'split NAME' or 'type NAME => TYPE'";
    return 1;
}

int resolve_load_overrides(struct resolve_rules *r, const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (asprintf(err, "%s: %s", path, strerror(errno)) < 0)
            *err = NULL;
        return -1;
    }
    char line[2048];
    int rc = 0;
    for (unsigned no = 1; rc == 0 && fgets(line, sizeof line, f); no++) {
        const char *why = NULL;
        int p = ov_parse(r, line, &why);
        if (p < 0 && asprintf(err, "%s: out of memory", path) < 0)
            *err = NULL;
        if (p > 0 && asprintf(err, "%s:%u: %s", path, no, why) < 0)
            *err = NULL;
        rc = p ? -1 : 0;
    }
    fclose(f);
    return rc;
}

void rs_overrides_free(struct resolve_rules *r)
{
    for (size_t i = 0; i < r->n_ov; i++) {
        free(r->ov[i].from);
        free(r->ov[i].to);
    }
    free(r->ov);
}

static uint32_t ov_cluster(const struct rs_state *s, const char *key)
{
    uint32_t v;
    return strmap_get(&s->by_key, key, strlen(key), &v) ? v : RS_NONE;
}

void rs_apply_splits(struct rs_state *s)
{
    for (size_t i = 0; i < s->r->n_ov; i++) {
        uint32_t c = ov_cluster(s, s->r->ov[i].from);
        if (s->r->ov[i].kind != OV_SPLIT || c == RS_NONE)
            continue;
        s->cs[c].locked = true;
        for (int t = 0; t < 4; t++)
            if (s->cs[c].twin[t] != RS_NONE)
                s->cs[s->cs[c].twin[t]].locked = true;
    }
}

int rs_apply_merges_and_types(struct rs_state *s)
{
    for (size_t i = 0; i < s->r->n_ov; i++) {
        const struct ov_rule *o = &s->r->ov[i];
        uint32_t a = ov_cluster(s, o->from), b = o->to ? ov_cluster(s, o->to) : RS_NONE;
        if (a == RS_NONE)
            continue; /* a name this corpus does not use */
        if (o->kind == OV_MERGE && b != RS_NONE &&
            rs_union_forced(s, a, b, "merged by the overrides file") < 0)
            return -1;
        if (o->kind == OV_TYPE)
            s->cs[rs_find(s, a)].forced_type = (int8_t)o->type;
    }
    return 0;
}
