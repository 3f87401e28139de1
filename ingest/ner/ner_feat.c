/*
 * ner_feat.c — the tagger's features. Every token's strings are hashed once per document (form,
 * lowercase form, shape, affixes); a feature is a template number mixed with one or more of those
 * hashes, folded into a fixed number of buckets, so the model never stores a string.
 *
 * Families (the classic ones of Ratinov & Roth 2009 and the Stanford CRF tagger): the word and its
 * lowercase form in a +-2 window, prefixes and suffixes up to 4, word shapes and their
 * conjunctions, capitalisation and position flags (sentence start, headline, dateline), the
 * lexicon's word-list classes (titles, given names, organisation suffixes …) of the word and its
 * neighbours, gazetteer spans with the token's BILOU position in them, Brown-cluster path
 * prefixes, the previous two predictions, and in stage 2 the stage-1 labels of the same word
 * elsewhere in the document.
 */
#include "base/grow.h"
#include "base/hash.h"
#include "ingest/ner/ner_tagger.h"

#include <stdlib.h>
#include <string.h>

static uint64_t fe_mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ull;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dull;
    x ^= x >> 33;
    return x;
}

static uint64_t fe_hash(const char *s, size_t n, bool fold)
{
    /* the weights were trained with these exact hashes: base_hash is the same FNV-1a */
    uint64_t h = fold ? base_hash_update_folded(BASE_HASH_SEED, s, n) : base_hash(s, n);
    return fe_mix(h ^ n);
}

/* Collapsed shape: X for an upper-case letter, x lower, d digit, other bytes themselves (a
 * multi-byte letter is one "x"); runs of one class collapse to one ("McDonald" -> "XxXx"). */
static uint64_t fe_shape(const char *s, size_t n)
{
    char buf[32];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof buf; i++) {
        unsigned char ch = (unsigned char)s[i];
        char c;
        if (ch >= 'A' && ch <= 'Z')
            c = 'X';
        else if ((ch >= 'a' && ch <= 'z') || ch >= 0x80)
            c = 'x';
        else if (ch >= '0' && ch <= '9')
            c = 'd';
        else
            c = (char)ch;
        if (ch >= 0x80 && (ch & 0xC0) == 0x80)
            continue; /* continuation byte */
        if (k && buf[k - 1] == c && (c == 'X' || c == 'x' || c == 'd'))
            continue;
        buf[k++] = c;
    }
    return fe_hash(buf, k, false);
}

/* The cluster path of word token t (its lowercase form's when the word itself has none), or
 * -1. The tokenizer looked the word itself up already. */
static int fe_cluster(const struct ner_model *m, const struct ner_tok *t, const char *w, size_t n)
{
    uint32_t v;
    if (t->path >= 0)
        return t->path;
    if (!m->clusters.count)
        return -1;
    char low[64];
    if (n >= sizeof low)
        return -1;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
    return ner_map_get(&m->clusters, low, n, &v) ? (int)v : -1;
}

/* Marks the tokens of every gazetteer phrase (starting with a capitalised word, up to
 * NER_GAZ_MAX_TOKENS tokens; the longest one from each start) with kind and BILOU position. */
static void fe_gazetteer(struct ner_tctx *c)
{
    const struct ner_doc *d = c->d;
    for (size_t i = 0; i < d->n; i++) {
        if (!(d->t[i].flags & NT_WORD) || !(d->t[i].flags & (NT_CAP | NT_UPPER)))
            continue;
        int best = -1;
        size_t best_b = 0;
        for (size_t b = i + 1; b <= d->n && b - i <= NER_GAZ_MAX_TOKENS; b++) {
            if (b > i + 1 && (d->t[b - 1].flags & NT_STOP) && !(d->t[b - 1].flags & NT_WORD))
                break;
            bool longer;
            int g = ner_gaz_span_longer(d, i, b, &longer);
            if (g >= 0) {
                best = g;
                best_b = b;
            }
            if (!longer)
                break; /* no phrase begins with [i, b) */
        }
        if (best < 0)
            continue;
        unsigned kind = d->m->gaz[best].kind;
        for (size_t k = i; k < best_b; k++) {
            unsigned pos = best_b - i == 1   ? NER_POS_U
                           : k == i          ? NER_POS_B
                           : k + 1 == best_b ? NER_POS_L
                                             : NER_POS_I;
            c->gaz[k] |= 1u << ((kind * 4 + pos) & 31);
        }
    }
}

/* Capitalised runs ("Vorlax Trimble"): for each token of one, the token just before the run and
 * the one just after it, so the first word of a name sees the cue that follows the whole name
 * ("X Y shares fell") although decoding goes left to right. */
static bool fe_capword(const struct ner_tok *t)
{
    return (t->flags & NT_WORD) && (t->flags & (NT_CAP | NT_UPPER));
}

/* A lowercase connector inside a name ("Standard and Poor's", "Bank of Tokyo"). */
static bool fe_connector(const struct ner_tok *t)
{
    return (t->flags & NT_WORD) && (t->flags & NT_LOWER) && (t->lex & NL_CONNECT);
}

static void fe_runs(struct ner_tctx *c)
{
    const struct ner_doc *d = c->d;
    for (size_t i = 0; i < d->n;) {
        if (!fe_capword(&d->t[i])) {
            c->run_prev[i] = c->run_next[i] = c->run_last[i] = UINT32_MAX;
            i++;
            continue;
        }
        size_t j = i + 1, last = i;
        while (j < d->n && j - i < 8) {
            bool inner = (d->t[j].flags & NT_POSS) || fe_connector(&d->t[j]);
            if (fe_capword(&d->t[j]))
                last = j;
            else if (!(inner && j + 1 < d->n && fe_capword(&d->t[j + 1])))
                break;
            j++;
        }
        if (j < d->n && (d->t[j].flags & NT_POSS))
            j++; /* "Poor's" at the end */
        for (size_t k = i; k < j; k++) {
            c->run_prev[k] = i > 0 ? (uint32_t)(i - 1) : UINT32_MAX;
            c->run_next[k] = j < d->n ? (uint32_t)j : UINT32_MAX;
            c->run_last[k] = (uint32_t)last;
        }
        i = j;
    }
}

/* An organisation head followed by "of" inside [a, b) ("Ministry of Trade, Industry and …"). */
static bool fe_headed(const struct ner_doc *d, size_t a, size_t b)
{
    for (size_t k = a; k + 1 < b; k++)
        if ((d->t[k].lex & NL_ORGHEAD) && (d->t[k].flags & NT_CAP) &&
            (d->t[k + 1].lex & NL_CONNECT) && (d->t[k + 1].flags & NT_LOWER))
            return true;
    return false;
}

/* The rule extractor (ner_chunk.c) run on the same tokens: its candidates, with their type,
 * evidence and each token's BILOU position, are features — the rules' knowledge of titles,
 * organisation cues and headlines informs the model instead of deciding. */
static int fe_rules(struct ner_tctx *c)
{
    struct ner_doc r = {
        .m = c->d->m, .text = c->d->text, .len = c->d->len, .t = c->d->t, .n = c->d->n};
    int rc = ner_chunk(&r);
    for (size_t k = 0; k < r.nc && rc == 0; k++) {
        struct ner_cand *x = &r.c[k];
        if (x->drop || x->b > r.n)
            continue;
        for (size_t i = x->a + 1; x->type == ENTITY_PERSON && i < x->b; i++)
            if ((r.t[i].flags & NT_LOWER) && (r.t[i].lex & NL_CONNECT)) {
                x->b = i; /* "Tomas Varga of Hungary": the person ends before "of" */
                break;
            }
        if (x->type == ENTITY_ORG && x->ev == NER_EV_STRONG && fe_headed(c->d, x->a, x->b)) {
            if (BASE_GROW(c->headed, c->cap_headed, c->n_headed, 8) < 0) {
                rc = -1;
                break;
            }
            c->headed[c->n_headed++] = (struct ner_titled){x->a, x->a, x->b};
        }
        if (x->type == ENTITY_PERSON && x->ev == NER_EV_STRONG && x->role_b == x->a &&
            x->role_a < x->role_b) {
            if (BASE_GROW(c->titled, c->cap_titled, c->n_titled, 8) < 0) {
                rc = -1;
                break;
            }
            c->titled[c->n_titled++] = (struct ner_titled){x->role_a, x->a, x->b};
        }
        for (size_t i = x->a; i < x->b; i++) {
            unsigned pos = x->b - x->a == 1 ? NER_POS_U
                           : i == x->a      ? NER_POS_B
                           : i + 1 == x->b  ? NER_POS_L
                                            : NER_POS_I;
            c->rule[i] =
                (uint8_t)(1 + x->type * 4 + pos + 32 * (unsigned)x->ev + (x->doubtful ? 128 : 0));
        }
    }
    for (size_t k = 0; k < r.nc; k++) {
        free(r.c[k].canon);
        free(r.c[k].role);
    }
    free(r.c);
    ner_map_free(&r.seen);
    return rc;
}

int ner_tctx_init(struct ner_tctx *c, const struct ner_doc *d)
{
    size_t n = d->n ? d->n : 1;
    memset(c, 0, sizeof *c);
    c->d = d;
    c->h_word = malloc(n * sizeof *c->h_word);
    c->h_lower = malloc(n * sizeof *c->h_lower);
    c->h_shape = malloc(n * sizeof *c->h_shape);
    c->h_affix = malloc(8 * n * sizeof *c->h_affix);
    c->cluster = malloc(n * sizeof *c->cluster);
    c->gaz = calloc(n, sizeof *c->gaz);
    c->rule = calloc(n, 1);
    c->run_prev = malloc(n * sizeof *c->run_prev);
    c->run_next = malloc(n * sizeof *c->run_next);
    c->run_last = malloc(n * sizeof *c->run_last);
    c->other = calloc(n, 1);
    c->major = malloc(n);
    c->own = calloc(n, 1);
    c->y = calloc(n, 1);
    if (!c->h_word || !c->h_lower || !c->h_shape || !c->h_affix || !c->cluster || !c->gaz ||
        !c->rule || !c->run_prev || !c->run_next || !c->run_last || !c->other || !c->major ||
        !c->own || !c->y) {
        ner_tctx_free(c);
        return -1;
    }
    memset(c->major, 5, n);
    for (size_t i = 0; i < d->n; i++) {
        const char *w = d->text + d->t[i].start;
        size_t len = d->t[i].end - d->t[i].start;
        c->h_word[i] = fe_hash(w, len, false);
        c->h_lower[i] = fe_hash(w, len, true);
        c->h_shape[i] = fe_shape(w, len);
        for (size_t k = 1; k <= 4; k++) {
            size_t m = k < len ? k : len;
            c->h_affix[8 * i + k - 1] = fe_hash(w, m, true) + k;
            c->h_affix[8 * i + 3 + k] = fe_hash(w + len - m, m, true) + 7 * k;
        }
        c->cluster[i] = (d->t[i].flags & NT_WORD) ? fe_cluster(d->m, &d->t[i], w, len) : -1;
    }
    fe_gazetteer(c);
    fe_runs(c);
    if (fe_rules(c) < 0) {
        ner_tctx_free(c);
        return -1;
    }
    return 0;
}

void ner_tctx_free(struct ner_tctx *c)
{
    free(c->quiet);
    free(c->h_word);
    free(c->h_lower);
    free(c->h_shape);
    free(c->h_affix);
    free(c->cluster);
    free(c->gaz);
    free(c->rule);
    free(c->run_prev);
    free(c->run_next);
    free(c->run_last);
    free(c->titled);
    free(c->headed);
    free(c->other);
    free(c->major);
    free(c->own);
    free(c->y);
    free(c->local);
    free(c->local_at);
    free(c->n_local);
    memset(c, 0, sizeof *c);
}

/* ---------------------------------------------------------------- non-local (stage 2) */

static int nl_type(int label)
{
    return label == 0 ? 4 : NER_LABEL_TYPE(label);
}

/* Per capitalised word form (lowercased, so ALL-CAPS headlines share with running text): the
 * stage-1 types its other occurrences got. Sorting (hash, token) pairs keeps it O(n log n). */
struct nl_item {
    uint64_t h;
    uint32_t i;
};

static int nl_cmp(const void *a, const void *b)
{
    const struct nl_item *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static bool nl_candidate(const struct ner_tok *t)
{
    return (t->flags & NT_WORD) && (t->flags & (NT_CAP | NT_UPPER)) && !(t->flags & NT_DIGIT);
}

void ner_tctx_nonlocal(struct ner_tctx *c)
{
    const struct ner_doc *d = c->d;
    struct nl_item *ix = malloc((d->n ? d->n : 1) * sizeof *ix);
    size_t n = 0;
    if (!ix)
        return; /* without the index the stage-2 features say "no other occurrence" */
    for (size_t i = 0; i < d->n; i++)
        if (nl_candidate(&d->t[i]))
            ix[n++] = (struct nl_item){c->h_lower[i], (uint32_t)i};
    if (n)
        qsort(ix, n, sizeof *ix, nl_cmp);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && ix[b].h == ix[a].h)
            b++;
        unsigned cnt[5] = {0};
        for (size_t k = a; k < b; k++)
            cnt[nl_type(c->y[ix[k].i])]++;
        for (size_t k = a; k < b && b - a > 1; k++) {
            unsigned own = (unsigned)nl_type(c->y[ix[k].i]), best = 5, best_n = 0, bits = 0;
            for (unsigned t = 0; t < 5; t++) {
                unsigned m = cnt[t] - (t == own);
                if (m)
                    bits |= 1u << t;
                if (m > best_n) {
                    best_n = m;
                    best = t;
                }
            }
            c->other[ix[k].i] = (uint8_t)bits;
            c->own[ix[k].i] = (uint8_t)own;
            c->major[ix[k].i] = (uint8_t)best;
        }
        a = b;
    }
    free(ix);
}

/* ---------------------------------------------------------------- feature vector */

/* want: the classes (NER_FC_*) of the features to write; total counts every feature, written
 * or not, so a caller knows how long the whole list would have been. */
struct fv {
    uint32_t *f;
    size_t n;
    uint32_t mask;
    unsigned want;
    size_t total;
};

static void fv_put(struct fv *v, unsigned cls, uint64_t tmpl, uint64_t val)
{
    v->total++;
    if ((v->want & cls) && v->n < NER_MAX_FEATS)
        v->f[v->n++] = (uint32_t)fe_mix(val * 0x9E3779B97F4A7C15ull + tmpl) & v->mask;
}

/* A feature of more than one token's string, or of a token's place in the document. */
static void fv_add(struct fv *v, uint64_t tmpl, uint64_t val)
{
    fv_put(v, NER_FC_MIXED, tmpl, val);
}

/* Token at offset k from i, or SIZE_MAX outside the document. */
static size_t fe_at(const struct ner_tctx *c, size_t i, int k)
{
    if (k < 0 && (size_t)-k > i)
        return SIZE_MAX;
    size_t j = i + (size_t)(ptrdiff_t)k;
    return j < c->d->n ? j : SIZE_MAX;
}

#define FE_PAD 0x5bd1e995ull /* the value of a word outside the document */

static uint64_t fe_lower(const struct ner_tctx *c, size_t j)
{
    return j == SIZE_MAX ? FE_PAD : c->h_lower[j];
}

static uint64_t fe_shp(const struct ner_tctx *c, size_t j)
{
    return j == SIZE_MAX ? FE_PAD : c->h_shape[j];
}

/* Capitalisation and position flags that matter for names, as one small number. */
static uint64_t fe_flags(const struct ner_tctx *c, size_t j)
{
    if (j == SIZE_MAX)
        return 99;
    uint32_t f = c->d->t[j].flags;
    return ((f & NT_CAP) != 0) | ((f & NT_UPPER) != 0) << 1 | ((f & NT_SSTART) != 0) << 2 |
           ((f & NT_HEADLINE) != 0) << 3 | ((f & NT_DATELINE) != 0) << 4 |
           ((f & NT_WORD) != 0) << 5 | ((f & NT_NL) != 0) << 6;
}

/* Lexicon classes that describe the word itself / its neighbours. */
#define FE_LEX_SELF 0x3FFFFFFFu
#define FE_LEX_NEAR                                                                                \
    (NL_FUNC | NL_TITLE | NL_TITLEMOD | NL_HONOR | NL_ORGSUF | NL_ORGHEAD | NL_LOCSUF |            \
     NL_LOCHEAD | NL_GIVEN | NL_ORGCUE | NL_LOCCUE | NL_LOCPREP | NL_NOTNAME | NL_CONNECT |        \
     NL_SUBJVERB | NL_SPORTVERB | NL_TEAMCUE | NL_ORGAFTER | NL_ORGPREV | NL_COMMON)

static void fe_lex(struct fv *v, unsigned cls, const struct ner_tctx *c, size_t j, uint64_t tmpl,
                   uint32_t mask)
{
    if (j == SIZE_MAX)
        return;
    uint32_t lex = c->d->t[j].lex & mask;
    while (lex) {
        unsigned b = (unsigned)__builtin_ctz(lex);
        fv_put(v, cls, tmpl, b);
        lex &= lex - 1;
    }
}

static void fe_clusters(struct fv *v, unsigned cls, const struct ner_tctx *c, size_t j,
                        uint64_t tmpl, bool full)
{
    static const uint8_t lens[] = {4, 6, 10, 20};
    if (j == SIZE_MAX || c->cluster[j] < 0) {
        fv_put(v, cls, tmpl, 7777);
        return;
    }
    const struct ner_cluster_path *p = &c->d->m->paths[c->cluster[j]];
    for (size_t k = 0; k < (full ? 4u : 2u); k++) {
        unsigned l = lens[k] < p->len ? lens[k] : p->len;
        uint32_t pre = l ? p->bits >> (p->len - l) : 0;
        fv_put(v, cls, tmpl + k, ((uint64_t)l << 32) | pre);
    }
}

static void fe_local(struct fv *v, const struct ner_tctx *c, size_t i)
{
    size_t p1 = fe_at(c, i, -1), p2 = fe_at(c, i, -2), n1 = fe_at(c, i, 1), n2 = fe_at(c, i, 2);
    fv_put(v, NER_FC_SELF, 1, 0); /* bias */
    fv_put(v, NER_FC_SELF, 2, c->h_word[i]);
    fv_put(v, NER_FC_SELF, 3, c->h_lower[i]);
    fv_put(v, NER_FC_PREV, 4, fe_lower(c, p1));
    fv_add(v, 5, fe_lower(c, p2));
    fv_put(v, NER_FC_NEXT, 6, fe_lower(c, n1));
    fv_add(v, 7, fe_lower(c, n2));
    fv_add(v, 8, fe_lower(c, p1) * 31 + c->h_lower[i]);
    fv_add(v, 9, c->h_lower[i] * 31 + fe_lower(c, n1));
    for (size_t k = 0; k < 8; k++)
        fv_put(v, NER_FC_SELF, 10 + k, c->h_affix[8 * i + k]);
    fv_put(v, NER_FC_SELF, 20, c->h_shape[i]);
    fv_put(v, NER_FC_PREV, 21, fe_shp(c, p1));
    fv_put(v, NER_FC_NEXT, 22, fe_shp(c, n1));
    fv_add(v, 23, fe_shp(c, p1) * 31 + c->h_shape[i]);
    fv_add(v, 24, c->h_shape[i] * 31 + fe_shp(c, n1));
    fv_add(v, 25, fe_shp(c, p1) * 961 + c->h_shape[i] * 31 + fe_shp(c, n1));
    uint64_t fl = fe_flags(c, i);
    fv_add(v, 30, fl);
    fv_add(v, 31, fl * 128 + fe_flags(c, p1));
    fv_add(v, 32, fl * 128 + fe_flags(c, n1));
    fv_add(v, 33, fl * 131 + c->h_shape[i]);
    fv_add(v, 34, (fl & 8) ? c->h_lower[i] : 0); /* the word in a headline */
    fe_lex(v, NER_FC_SELF, c, i, 40, FE_LEX_SELF);
    fe_lex(v, NER_FC_PREV, c, p1, 41, FE_LEX_NEAR);
    fe_lex(v, NER_FC_NEXT, c, n1, 42, FE_LEX_NEAR);
    fe_lex(v, NER_FC_MIXED, c, p2, 43, NL_TITLE | NL_HONOR | NL_ORGCUE | NL_LOCPREP | NL_SPORTVERB);
    fe_lex(v, NER_FC_MIXED, c, n2, 44, NL_ORGSUF | NL_LOCCUE | NL_SUBJVERB | NL_TEAMCUE);
    /* cue word x the word's shape: "agency Yonhap", "Zorvana shares", "in Kestrel" */
    uint32_t cues_before = NL_ORGCUE | NL_LOCPREP | NL_TITLE | NL_HONOR | NL_SPORTVERB | NL_ORGPREV;
    uint32_t cues_after = NL_ORGAFTER | NL_SUBJVERB | NL_LOCCUE | NL_TEAMCUE | NL_ORGSUF;
    if (p1 != SIZE_MAX && (c->d->t[p1].lex & cues_before))
        fv_add(v, 26, (uint64_t)(c->d->t[p1].lex & cues_before) * 131 + c->h_shape[i]);
    if (n1 != SIZE_MAX && (c->d->t[n1].lex & cues_after))
        fv_add(v, 27, (uint64_t)(c->d->t[n1].lex & cues_after) * 131 + c->h_shape[i]);
    size_t rp = c->run_prev[i] == UINT32_MAX ? SIZE_MAX : c->run_prev[i];
    size_t rn = c->run_next[i] == UINT32_MAX ? SIZE_MAX : c->run_next[i];
    if (rp != SIZE_MAX || rn != SIZE_MAX) {
        fv_add(v, 35, fe_lower(c, rp));
        fv_add(v, 36, fe_lower(c, rn));
        fv_add(v, 37, rp == SIZE_MAX ? 0 : c->d->t[rp].lex & cues_before);
        fv_add(v, 38, rn == SIZE_MAX ? 0 : c->d->t[rn].lex & cues_after);
    }
    if (c->run_last[i] != UINT32_MAX) { /* the last word of the name-like run: "… Service Inc" */
        const struct ner_tok *t = &c->d->t[c->run_last[i]];
        uint32_t heads = NL_ORGSUF | NL_LOCSUF | NL_MISCSUF | NL_SUBDIVSUF | NL_SURNAME | NL_GIVEN;
        fv_add(v, 39, t->lex & heads);
        fv_add(v, 28,
               ((uint64_t)(t->lex & heads) << 8) +
                   (c->run_last[i] - i < 7 ? c->run_last[i] - i : 7));
        fv_add(v, 29, c->h_lower[c->run_last[i]]);
    }
    uint32_t g = c->gaz[i];
    for (unsigned b = 0; g; b++, g >>= 1)
        if (g & 1)
            fv_add(v, 50, b);
    if (p1 != SIZE_MAX && c->gaz[p1])
        fv_add(v, 51, c->gaz[p1]);
    if (n1 != SIZE_MAX && c->gaz[n1])
        fv_add(v, 52, c->gaz[n1]);
    fv_add(v, 45, c->rule[i]);
    fv_add(v, 46, (uint64_t)c->rule[i] * 256 + (p1 == SIZE_MAX ? 255 : c->rule[p1]));
    fv_add(v, 47, (uint64_t)c->rule[i] * 256 + (n1 == SIZE_MAX ? 255 : c->rule[n1]));
    fv_add(v, 48, (uint64_t)c->rule[i] * 131 + c->h_shape[i]);
    fe_clusters(v, NER_FC_SELF, c, i, 60, true);
    fe_clusters(v, NER_FC_PREV, c, p1, 70, false);
    fe_clusters(v, NER_FC_NEXT, c, n1, 80, false);
}

size_t ner_features_local(const struct ner_tctx *c, size_t i, uint32_t bucket_bits, uint32_t *out)
{
    size_t total;
    return ner_features_part(c, i, NER_FC_ALL, bucket_bits, out, &total);
}

size_t ner_features_part(const struct ner_tctx *c, size_t i, unsigned want, uint32_t bucket_bits,
                         uint32_t *out, size_t *total)
{
    struct fv v = {out, 0, (1u << bucket_bits) - 1, want, 0};
    fe_local(&v, c, i);
    *total = v.total;
    return v.n;
}

size_t ner_features_context(const struct ner_tctx *c, size_t i, int stage, uint32_t bucket_bits,
                            uint32_t *out, size_t n)
{
    struct fv v = {out, n, (1u << bucket_bits) - 1, NER_FC_ALL, n};
    uint64_t y1 = i > 0 ? c->y[i - 1] : 99, y2 = i > 1 ? c->y[i - 2] : 99;
    fv_add(&v, 90, y1);
    fv_add(&v, 91, y1 * 128 + y2);
    fv_add(&v, 92, y1 * 131 + c->h_lower[i]);
    fv_add(&v, 93, y1 * 137 + c->h_shape[i]);
    if (stage > 0) {
        uint64_t base = 100 + (uint64_t)stage * 100;
        fv_add(&v, base, c->major[i]);
        fv_add(&v, base + 1, c->other[i]);
        fv_add(&v, base + 2, (uint64_t)c->major[i] * 256 + fe_flags(c, i));
        size_t p1 = fe_at(c, i, -1), n1 = fe_at(c, i, 1);
        fv_add(&v, base + 3, p1 == SIZE_MAX ? 9 : c->major[p1]);
        fv_add(&v, base + 4, n1 == SIZE_MAX ? 9 : c->major[n1]);
        if (c->major[i] < 5) /* agreement of this token's own stage-1 type with the others' */
            fv_add(&v, base + 5, (uint64_t)c->own[i] * 8 + c->major[i]);
    }
    return v.n;
}

size_t ner_features(const struct ner_tctx *c, size_t i, int stage, uint32_t bucket_bits,
                    uint32_t *out)
{
    size_t n = ner_features_local(c, i, bucket_bits, out);
    return ner_features_context(c, i, stage, bucket_bits, out, n);
}
