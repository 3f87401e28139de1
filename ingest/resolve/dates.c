/*
 * dates.c — corpus-wide publication dates for undated pages (see dates.h).
 *
 * Names are the canonical names of the entity mentions (after cross-document resolution). An
 * event is named by an organisation or a named event (ORG, MISC: "APEC", "the Nordic
 * Council"), so such a name is the key; it is "specific" when few documents mention it (at most
 * max(2, n/100)). Places and people alone ("China and Brazil … on the 12th") tie nothing. A
 * sentence of an undated page that holds an expression the missing date left unresolved ("on
 * the 26th" = XXXX-XX-26, "the end of this month" = XXXX-XX; not "recently") is matched against
 * the dated sentences of other documents through its specific keys. The other date must agree
 * with what the expression states (the 26th of some month: a 26th); the candidate sharing the
 * most names (at least two, the key among them) wins, a day-precision date before a month, the
 * earlier document at a tie.
 */
#include "ingest/resolve/dates.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/grow.h"

/* Evidence snippets are cut at this many code points. */
#define DATES_SNIPPET_CHARS 300
#define DATES_MIN_SHARED 2

struct name_ref {
    const char *name;
    uint32_t doc, sent, id;
    bool key; /* an ORG or MISC mention */
};

/* (doc, sentence, name id), sorted and unique: the names of each sentence. */
struct sent_name {
    uint32_t doc, sent, id;
};

struct event {
    uint32_t doc, sent;
    char date[11];
    enum date_precision precision;
};

struct dates_index {
    struct sent_name *names;
    size_t n_names;
    uint32_t *df; /* name id -> documents mentioning it */
    uint8_t *key; /* name id -> mentioned as an ORG or MISC */
    size_t n_ids;
    struct event *events;
    size_t n_events;
    uint32_t *bucket_start; /* name id -> first index into bucket (n_ids + 1 entries) */
    uint32_t *bucket;       /* event indexes, grouped by specific name */
    uint32_t max_df;
};

static int cmp_ref(const void *a, const void *b)
{
    const struct name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_sent_name(const void *a, const void *b)
{
    const struct sent_name *x = a, *y = b;
    if (x->doc != y->doc)
        return x->doc < y->doc ? -1 : 1;
    if (x->sent != y->sent)
        return x->sent < y->sent ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* The sentence holding byte offset pos, walking forward from *si. */
static uint32_t sentence_at(const struct doc *d, size_t pos, size_t *si)
{
    while (*si + 1 < d->n_sentences && d->sentences[*si].end <= pos)
        (*si)++;
    return (uint32_t)*si;
}

/* Every mention as (name, doc, sentence), sorted by name; ids assigned, df counted. */
static int collect_names(struct dates_index *ix, struct doc **docs, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += docs[i]->n_mentions;
    struct name_ref *refs = malloc((total + 1) * sizeof *refs);
    ix->names = malloc((total + 1) * sizeof *ix->names);
    ix->df = calloc(total + 1, sizeof *ix->df);
    ix->key = calloc(total + 1, 1);
    if (!refs || !ix->names || !ix->df || !ix->key) {
        free(refs);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t si = 0;
        for (size_t m = 0; m < docs[i]->n_mentions; m++) {
            const struct mention *mn = &docs[i]->mentions[m];
            if (mn->name && docs[i]->n_sentences)
                refs[k++] =
                    (struct name_ref){mn->name, (uint32_t)i, sentence_at(docs[i], mn->start, &si),
                                      0, mn->type == ENTITY_ORG || mn->type == ENTITY_MISC};
        }
    }
    qsort(refs, k, sizeof *refs, cmp_ref);
    uint32_t id = 0;
    for (size_t r = 0; r < k; r++) {
        if (r > 0 && strcmp(refs[r].name, refs[r - 1].name) != 0)
            id++;
        refs[r].id = id;
        ix->key[id] |= refs[r].key;
        if (r == 0 || refs[r].id != refs[r - 1].id || refs[r].doc != refs[r - 1].doc)
            ix->df[id]++;
        ix->names[r] = (struct sent_name){refs[r].doc, refs[r].sent, id};
    }
    ix->n_ids = k ? id + 1 : 0;
    free(refs);
    qsort(ix->names, k, sizeof *ix->names, cmp_sent_name);
    size_t u = 0;
    for (size_t r = 0; r < k; r++)
        if (u == 0 || cmp_sent_name(&ix->names[r], &ix->names[u - 1]) != 0)
            ix->names[u++] = ix->names[r];
    ix->n_names = u;
    return 0;
}

/* The names of sentence (doc, sent): a range of ix->names. */
static const struct sent_name *sentence_names(const struct dates_index *ix, uint32_t doc,
                                              uint32_t sent, size_t *count)
{
    size_t lo = 0, hi = ix->n_names;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct sent_name *x = &ix->names[mid];
        if (x->doc < doc || (x->doc == doc && x->sent < sent))
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ix->n_names && ix->names[end].doc == doc && ix->names[end].sent == sent)
        end++;
    *count = end - lo;
    return &ix->names[lo];
}

static bool dated(const struct doc *d)
{
    return d->published[0] && !d->published_evidence;
}

/* The DATE expressions of dated documents that fix a month or a day. */
static int collect_events(struct dates_index *ix, struct doc **docs, size_t n)
{
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (!dated(docs[i]) || !docs[i]->n_sentences)
            continue;
        size_t si = 0;
        for (size_t t = 0; t < docs[i]->n_timexes; t++) {
            const struct timex_expr *x = &docs[i]->timexes[t];
            struct event e = {(uint32_t)i, 0, "", PRECISION_NONE};
            if (x->type != TIMEX_DATE || !timex_value_date(x->value, e.date, &e.precision) ||
                e.precision < PRECISION_MONTH)
                continue;
            e.sent = sentence_at(docs[i], x->start, &si);
            if (BASE_GROW(ix->events, cap, ix->n_events, 256) < 0)
                return -1;
            ix->events[ix->n_events++] = e;
        }
    }
    return 0;
}

/* A name that can identify an event: an organisation or named event few documents mention. */
static bool specific(const struct dates_index *ix, uint32_t id)
{
    return ix->key[id] && ix->df[id] >= 2 && ix->df[id] <= ix->max_df;
}

/* Events grouped by the specific names of their sentences. */
static int index_events(struct dates_index *ix)
{
    ix->bucket_start = calloc(ix->n_ids + 2, sizeof *ix->bucket_start);
    if (!ix->bucket_start)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t *fill = NULL;
        if (pass == 1) {
            for (size_t i = 1; i <= ix->n_ids + 1; i++)
                ix->bucket_start[i] += ix->bucket_start[i - 1];
            ix->bucket = malloc((ix->bucket_start[ix->n_ids] + 1) * sizeof *ix->bucket);
            fill = calloc(ix->n_ids + 1, sizeof *fill);
            if (!ix->bucket || !fill) {
                free(fill);
                return -1;
            }
        }
        for (size_t e = 0; e < ix->n_events; e++) {
            size_t cnt;
            const struct sent_name *nm =
                sentence_names(ix, ix->events[e].doc, ix->events[e].sent, &cnt);
            for (size_t k = 0; k < cnt; k++) {
                if (!specific(ix, nm[k].id))
                    continue;
                if (pass == 0)
                    ix->bucket_start[nm[k].id + 1]++;
                else
                    ix->bucket[ix->bucket_start[nm[k].id] + fill[nm[k].id]++] = (uint32_t)e;
            }
        }
        free(fill);
    }
    return 0;
}

static size_t shared_names(const struct sent_name *a, size_t na, const struct sent_name *b,
                           size_t nb)
{
    size_t i = 0, j = 0, shared = 0;
    while (i < na && j < nb) {
        if (a[i].id == b[j].id)
            shared++, i++, j++;
        else if (a[i].id < b[j].id)
            i++;
        else
            j++;
    }
    return shared;
}

struct match {
    long event; /* -1 = none */
    uint32_t sent;
    size_t shared;
};

/* Does candidate (event e, shared names) beat the best so far? */
static bool better(const struct dates_index *ix, const struct match *best, size_t e, size_t shared)
{
    if (best->event < 0 || shared != best->shared)
        return best->event < 0 || shared > best->shared;
    const struct event *a = &ix->events[e], *b = &ix->events[best->event];
    if (a->precision != b->precision)
        return a->precision > b->precision;
    return a->doc < b->doc;
}

/* An expression the missing publication date left open: "XXXX-XX-26", "XXXX-10", "XXXX-XX". */
static bool unresolved(const struct timex_expr *x)
{
    return (x->type == TIMEX_DATE || x->type == TIMEX_TIME) && strncmp(x->value, "XXXX", 4) == 0;
}

/* Does the event's date agree with the fields the expression states ("XXXX-XX-26" and
 * "2031-04-26")? A stated day needs an event of day precision on that day. */
static bool compatible(const struct timex_expr *x, const struct event *e)
{
    const char *v = x->value;
    size_t vl = strlen(v);
    if (vl >= 7 && v[5] != 'X' && strncmp(v + 5, e->date + 5, 2) != 0)
        return false;
    if (vl >= 10 && v[8] != 'X' && v[7] == '-' &&
        (e->precision != PRECISION_DAY || strncmp(v + 8, e->date + 8, 2) != 0))
        return false;
    return true;
}

/* The best dated event an undated document's sentences share names with. */
static struct match best_event(const struct dates_index *ix, struct doc **docs, uint32_t u)
{
    struct match best = {-1, 0, 0};
    const struct doc *d = docs[u];
    size_t si = 0;
    for (size_t t = 0; t < d->n_timexes; t++) {
        if (!unresolved(&d->timexes[t]))
            continue;
        uint32_t s = sentence_at(d, d->timexes[t].start, &si);
        size_t cnt;
        const struct sent_name *nm = sentence_names(ix, u, s, &cnt);
        for (size_t k = 0; k < cnt; k++) {
            if (!specific(ix, nm[k].id))
                continue;
            for (uint32_t b = ix->bucket_start[nm[k].id]; b < ix->bucket_start[nm[k].id + 1]; b++) {
                const struct event *e = &ix->events[ix->bucket[b]];
                if (e->doc == u || !compatible(&d->timexes[t], e))
                    continue;
                size_t ecnt;
                const struct sent_name *en = sentence_names(ix, e->doc, e->sent, &ecnt);
                size_t shared = shared_names(nm, cnt, en, ecnt);
                if (shared >= DATES_MIN_SHARED && better(ix, &best, ix->bucket[b], shared)) {
                    best = (struct match){(long)ix->bucket[b], s, shared};
                }
            }
        }
    }
    return best;
}

/* A sentence's text, at most DATES_SNIPPET_CHARS code points, malloc'd. */
static char *snippet(const struct doc *d, uint32_t sent)
{
    const struct span *s = &d->sentences[sent];
    size_t len = s->end - s->start;
    size_t cut = utf8_byte_offset(d->text + s->start, len, DATES_SNIPPET_CHARS);
    char *out = malloc(cut + 1);
    if (out) {
        memcpy(out, d->text + s->start, cut);
        out[cut] = '\0';
    }
    return out;
}

/* Gives document u the event's month, the evidence, and re-resolves its expressions. */
static int apply_match(const struct timex_tagger *t, struct doc **docs, uint32_t u,
                       const struct dates_index *ix, const struct match *m)
{
    struct doc *d = docs[u];
    const struct event *e = &ix->events[m->event];
    struct date_evidence *ev = calloc(1, sizeof *ev);
    if (!ev)
        return -1;
    ev->document_id = strdup(docs[e->doc]->id);
    ev->phrase = snippet(d, m->sent);
    ev->source_text = snippet(docs[e->doc], e->sent);
    memcpy(ev->date, e->date, sizeof ev->date);
    if (!ev->document_id || !ev->phrase || !ev->source_text) {
        free(ev->document_id);
        free(ev->phrase);
        free(ev->source_text);
        free(ev);
        return -1;
    }
    snprintf(d->published, sizeof d->published, "%.7s", e->date);
    d->published_precision = PRECISION_MONTH;
    d->published_inferred = true;
    d->published_evidence = ev;
    struct timex_expr *tx;
    size_t ntx;
    if (timex_tag(t, d->text, d->text_len, d->sentences, d->n_sentences, d->published, &tx, &ntx) ==
        0) {
        free(d->timexes);
        d->timexes = tx;
        d->n_timexes = ntx;
    }
    return 0;
}

static void dates_index_free(struct dates_index *ix)
{
    free(ix->names);
    free(ix->df);
    free(ix->key);
    free(ix->events);
    free(ix->bucket_start);
    free(ix->bucket);
}

int dates_infer_corpus(const struct timex_tagger *t, struct doc **docs, size_t n)
{
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = !docs[i]->published[0];
    if (!any)
        return 0;
    struct dates_index ix;
    memset(&ix, 0, sizeof ix);
    ix.max_df = n / 100 > 2 ? (uint32_t)(n / 100) : 2;
    int rc = -1;
    if (collect_names(&ix, docs, n) == 0 && collect_events(&ix, docs, n) == 0 &&
        index_events(&ix) == 0) {
        rc = 0;
        /* decide every page first: a page dated here does not date another one */
        struct match *found = calloc(n, sizeof *found);
        for (size_t u = 0; found && u < n; u++) {
            found[u].event = -1;
            if (!docs[u]->published[0])
                found[u] = best_event(&ix, docs, (uint32_t)u);
        }
        for (size_t u = 0; found && u < n && rc == 0; u++)
            if (found[u].event >= 0)
                rc = apply_match(t, docs, (uint32_t)u, &ix, &found[u]);
        if (!found)
            rc = -1;
        free(found);
    }
    dates_index_free(&ix);
    return rc;
}
