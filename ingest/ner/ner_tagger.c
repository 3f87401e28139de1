/*
 * ner_tagger.c — loading the tagger's weights and tagging a document (see ner_tagger.h for the
 * model and the file layout). Decoding is greedy left to right under the BILOU constraints; the
 * entities of the second stage become the document's candidates, with the title words right
 * before a PERSON as its role and the gazetteer entry of the span (for canonical names).
 */
#include "ingest/ner/ner_tagger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/grow.h"

#define NER_MAGIC "CNERTAG2"
#define NER_MAX_BITS 24
/* The margin (best minus second-best label score) at which a mention's confidence is 0.5. */
#define NER_CONF_HALF 10.0f

_Static_assert(NER_NLABELS == 17, "tg_sum_rows sums 4 x 4 labels and one more");

static int tg_fail(char **err, const char *path, const char *why)
{
    if (err && asprintf(err, "%s: %s", path, why) < 0)
        *err = NULL;
    return -1;
}

/* Maps the weights file read-only (pages are shared by every thread and every process that
 * loads the same file, and only the rows a document touches are ever read from disk). */
static void *tg_map(const char *path, size_t *len, char **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        if (errno != ENOENT)
            tg_fail(err, path, strerror(errno));
        return NULL;
    }
    void *p = MAP_FAILED;
    if (fstat(fd, &st) == 0 && st.st_size > 0)
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        tg_fail(err, path, "cannot map the tagger's weights");
        return NULL;
    }
    *len = (size_t)st.st_size;
    return p;
}

static int tg_bad(struct ner_tagger *t, char **err, const char *path, const char *why)
{
    munmap(t->buf, t->len);
    for (int s = 0; s < NER_NSTAGES; s++)
        free(t->rank[s]);
    memset(t, 0, sizeof *t);
    return tg_fail(err, path, why);
}

/* The rank table of a stage's index; NULL when out of memory or when the index does not number
 * its rows 1, 2, 3 … in bucket order, as the trainer writes them (*bad set then). */
static struct ner_rank_word *tg_rank(const struct ner_weights *w, bool *bad)
{
    size_t buckets = (size_t)1 << w->bucket_bits, words = (buckets + 63) / 64;
    struct ner_rank_word *rank = calloc(words, sizeof *rank);
    uint32_t next = 1;
    *bad = false;
    for (size_t b = 0; rank && b < buckets; b++) {
        if (b % 64 == 0)
            rank[b / 64].base = next - 1;
        if (!w->index[b])
            continue;
        if (w->index[b] != next || next > w->n_rows) {
            *bad = true;
            break;
        }
        rank[b / 64].used |= (uint64_t)1 << (b % 64);
        next++;
    }
    if (rank && !*bad && next - 1 != w->n_rows)
        *bad = true;
    if (*bad) {
        free(rank);
        return NULL;
    }
    return rank;
}

int ner_tagger_load(struct ner_tagger *t, const char *path, char **err)
{
    memset(t, 0, sizeof *t);
    if (err)
        *err = NULL;
    t->buf = tg_map(path, &t->len, err);
    if (!t->buf)
        return err && *err ? -1 : 0; /* absent: the tagger is off */
    const unsigned char *buf = t->buf;
    uint32_t hdr[4];
    if (t->len < 8 + sizeof hdr || memcmp(buf, NER_MAGIC, 8) != 0)
        return tg_bad(t, err, path, "not a tagger weights file (bad magic)");
    memcpy(hdr, buf + 8, sizeof hdr);
    if (hdr[0] != NER_NLABELS || hdr[1] < 8 || hdr[1] > NER_MAX_BITS || hdr[2] != NER_NSTAGES)
        return tg_bad(t, err, path, "tagger weights of another format version");
    size_t off = 8 + sizeof hdr, buckets = (size_t)1 << hdr[1];
    for (int s = 0; s < NER_NSTAGES; s++) {
        uint32_t rows;
        float scale;
        if (off + 8 > t->len)
            return tg_bad(t, err, path, "truncated tagger weights");
        memcpy(&rows, buf + off, 4);
        memcpy(&scale, buf + off + 4, 4);
        off += 8;
        size_t need = buckets * 4 + (((size_t)rows * NER_NLABELS * sizeof(int16_t) + 3) & ~3u);
        if (need > t->len - off)
            return tg_bad(t, err, path, "truncated tagger weights");
        t->stage[s] = (struct ner_weights){.bucket_bits = hdr[1],
                                           .n_rows = rows,
                                           .index = (const uint32_t *)(buf + off),
                                           .qrows = (const int16_t *)(buf + off + buckets * 4),
                                           .scale = scale};
        off += need;
        bool bad;
        t->rank[s] = tg_rank(&t->stage[s], &bad);
        if (!t->rank[s])
            return tg_bad(t, err, path,
                          bad ? "tagger weights with an index out of order" : "out of memory");
        t->stage[s].rank = t->rank[s];
    }
    return 0;
}

void ner_tagger_free(struct ner_tagger *t)
{
    if (t->buf)
        munmap(t->buf, t->len);
    for (int s = 0; s < NER_NSTAGES; s++)
        free(t->rank[s]);
    memset(t, 0, sizeof *t);
}

/* The number of bits set in x. Inline: without the popcnt instruction (not in the x86-64
 * baseline Debian builds for) GCC's builtin is a library call, measurable at ~70 per token. */
static inline unsigned tg_bits_set(uint64_t x)
{
#ifdef __POPCNT__
    return (unsigned)__builtin_popcountll(x);
#else
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
#endif
}

/* Sums the rows label by label into acc[NER_NLABELS]: four labels at a time in vector registers
 * (GCC's vector extensions: SSE2 on x86-64, NEON on arm64), which the compiler does not do by
 * itself for 17 labels; the integer sums are exactly those of a plain loop. */
typedef int16_t tg_v4h __attribute__((vector_size(8)));
typedef int32_t tg_v4i __attribute__((vector_size(16)));

static void tg_sum_rows(const int16_t *const *rows, size_t nr, int32_t *acc)
{
    if (!nr)
        return;
    tg_v4i v0 = {0}, v1 = {0}, v2 = {0}, v3 = {0};
    int32_t last = 0;
    for (size_t k = 0; k < nr; k++) {
        tg_v4h h[4];
        memcpy(h, rows[k], sizeof h); /* rows are 2-byte aligned only */
        v0 += __builtin_convertvector(h[0], tg_v4i);
        v1 += __builtin_convertvector(h[1], tg_v4i);
        v2 += __builtin_convertvector(h[2], tg_v4i);
        v3 += __builtin_convertvector(h[3], tg_v4i);
        last += rows[k][16];
    }
    int32_t sum[NER_NLABELS];
    memcpy(sum, &v0, sizeof v0);
    memcpy(sum + 4, &v1, sizeof v1);
    memcpy(sum + 8, &v2, sizeof v2);
    memcpy(sum + 12, &v3, sizeof v3);
    sum[16] = last;
    for (int l = 0; l < NER_NLABELS; l++)
        acc[l] += sum[l];
}

void ner_score(const struct ner_weights *w, const uint32_t *f, size_t nf, float *score)
{
    for (int l = 0; l < NER_NLABELS; l++)
        score[l] = 0;
    if (!w->rank) { /* dense float weights while training */
        for (size_t k = 0; k < nf; k++) {
            const float *row = w->rows + (size_t)f[k] * NER_NLABELS;
            for (int l = 0; l < NER_NLABELS; l++)
                score[l] += row[l];
        }
        return;
    }
    int32_t acc[NER_NLABELS] = {0};
    ner_score_add(w, f, nf, acc);
    for (int l = 0; l < NER_NLABELS; l++)
        score[l] = (float)acc[l] * w->scale;
}

void ner_score_add(const struct ner_weights *w, const uint32_t *f, size_t nf, int32_t *acc)
{
    /* The rows are far larger than the cache: each feature's row is a cache miss. Its place
     * comes from the rank table (in cache), and every row load is issued before any is used, so
     * the misses overlap instead of queueing one after another. */
    const int16_t *rows[NER_MAX_FEATS];
    size_t nr = 0;
    if (nf > NER_MAX_FEATS) /* ner_features never writes more */
        nf = NER_MAX_FEATS;
    for (size_t k = 0; k < nf; k++) {
        const struct ner_rank_word *word = &w->rank[f[k] / 64];
        uint64_t below = ((uint64_t)1 << (f[k] % 64)) - 1;
        if (!(word->used >> (f[k] % 64) & 1))
            continue; /* a zero row */
        size_t r = word->base + tg_bits_set(word->used & below);
        rows[nr] = w->qrows + r * NER_NLABELS;
        __builtin_prefetch(rows[nr]);
        __builtin_prefetch(rows[nr] + NER_NLABELS - 1); /* a row may straddle two lines */
        nr++;
    }
    tg_sum_rows(rows, nr, acc);
}

int ner_best_label(const float *score, int prev, bool last)
{
    int best = 0;
    float bs = -1e30f;
    for (int l = 0; l < NER_NLABELS; l++) {
        if (!ner_label_follows(prev, l))
            continue;
        if (last && ner_label_open(l))
            continue;
        if (score[l] > bs) {
            bs = score[l];
            best = l;
        }
    }
    return best;
}

/* n_local[i] with this bit: the token's whole list of local features is kept (no sums). */
#define NER_LOCAL_WHOLE 0x80
/* n_local[i] of a token the stage that kept the lists passed over as quiet (ner_tag_quiet) */
#define NER_LOCAL_NONE 0x7f
_Static_assert(NER_MAX_FEATS < NER_LOCAL_NONE, "n_local holds a count and a flag");

/* Token i's local features hashed now into f, less those whose rows the sums of frequent words
 * stand for, which are added to acc; *whole: the list is whole (no sums added). */
static size_t tg_fresh_features(const struct ner_tctx *c, const struct ner_weights *w, size_t i,
                                uint32_t *f, int32_t *acc, bool *whole)
{
    int32_t sums[NER_NLABELS] = {0};
    unsigned want = ner_sums_add(w, c, i, sums);
    size_t total, n = ner_features_part(c, i, want, w->bucket_bits, f, &total);
    /* the whole list would be cut at NER_MAX_FEATS: the rows cut must not be in a sum either */
    if (want != NER_FC_ALL && total + NER_MAX_CONTEXT_FEATS > NER_MAX_FEATS) {
        want = NER_FC_ALL;
        n = ner_features_part(c, i, want, w->bucket_bits, f, &total);
    }
    if (want != NER_FC_ALL)
        for (int l = 0; l < NER_NLABELS; l++)
            acc[l] += sums[l];
    *whole = want == NER_FC_ALL;
    return n;
}

/* Token i's local features into f (tg_fresh_features): read back when an earlier stage hashed
 * them (to the same buckets), else hashed now and, when the cache is there, kept for the next
 * stage. Which words have sums is the same for every stage, so the list kept fits the next
 * stage's sums too. */
static size_t tg_local_features(struct ner_tctx *c, const struct ner_weights *w, size_t i,
                                bool cached, uint32_t *f, int32_t *acc)
{
    bool whole;
    if (cached && c->n_local[i] != NER_LOCAL_NONE) {
        size_t n = c->n_local[i] & ~NER_LOCAL_WHOLE;
        memcpy(f, c->local + c->local_at[i], n * sizeof *f);
        if (!(c->n_local[i] & NER_LOCAL_WHOLE))
            ner_sums_add(w, c, i, acc);
        return n;
    }
    size_t n = tg_fresh_features(c, w, i, f, acc, &whole);
    if (!cached && c->n_local && !c->local_lost) {
        /* appended in token order: some forty a token, so ~48 a token is room for most */
        if (BASE_GROW(c->local, c->cap_local, c->used_local + n, c->d->n * 48) < 0) {
            c->local_lost = true;
        } else {
            memcpy(c->local + c->used_local, f, n * sizeof *f);
            c->local_at[i] = (uint32_t)c->used_local;
            c->n_local[i] = (uint8_t)(n | (whole ? NER_LOCAL_WHOLE : 0));
            c->used_local += n;
        }
    }
    return n;
}

/* The cache of local features, allocated by the first stage (a failed allocation only means
 * hashing them again); true when it already holds them for these buckets. The lists are packed
 * one after another (a fixed NER_MAX_FEATS a token was 384 bytes a token, most of it never
 * written but paged in). A document longer than NER_LOCAL_CACHE_TOKENS hashes them again. */
#define NER_LOCAL_CACHE_TOKENS 65536

static bool tg_local_cache(struct ner_tctx *c, uint32_t bits)
{
    if (c->local_ready && c->local_bits == bits)
        return true;
    if (!c->n_local && c->d->n && c->d->n <= NER_LOCAL_CACHE_TOKENS) {
        c->n_local = malloc(c->d->n);
        c->local_at = malloc(c->d->n * sizeof *c->local_at);
        if (!c->n_local || !c->local_at) {
            free(c->n_local);
            free(c->local_at);
            c->n_local = NULL;
            c->local_at = NULL;
        }
    }
    c->used_local = 0;
    c->local_lost = false;
    c->local_bits = bits;
    c->local_ready = false;
    return false;
}

/* Token i's label scores: its local features' rows (with a weights file, less those the sums of
 * frequent words stand for, added instead) and its context's, summed as integers (in floats
 * for the trainer's dense weights). */
static void tg_score(struct ner_tctx *c, const struct ner_weights *w, int stage, size_t i,
                     bool cached, uint32_t *f, float *score)
{
    int32_t acc[NER_NLABELS] = {0};
    size_t nf = tg_local_features(c, w, i, cached, f, acc);
    nf = ner_features_context(c, i, stage, w->bucket_bits, f, nf);
    if (!w->rank) { /* dense weights have no sums: the list is whole */
        ner_score(w, f, nf, score);
        return;
    }
    ner_score_add(w, f, nf, acc);
    for (int l = 0; l < NER_NLABELS; l++)
        score[l] = (float)acc[l] * w->scale;
}

void ner_tag_stage(struct ner_tctx *c, const struct ner_weights *w, int stage, float *margin)
{
    uint32_t f[NER_MAX_FEATS];
    float score[NER_NLABELS];
    int prev = 0;
    bool cached = tg_local_cache(c, w->bucket_bits);
    for (size_t i = 0; i < c->d->n; i++) {
        /* a quiet token is O unless a name is open before it: how far a name runs is the
         * model's to say */
        if (c->quiet && c->quiet[i] && !ner_label_open(prev)) {
            if (!cached && c->n_local)
                c->n_local[i] = NER_LOCAL_NONE; /* its lists are not kept */
            c->y[i] = 0;
            if (margin)
                margin[i] = 1e30f;
            prev = 0;
            continue;
        }
        tg_score(c, w, stage, i, cached, f, score);
        /* no entity runs on into the next sentence ("... by Acme Corp. Beta Inc sold it") */
        bool sentence_end = i + 1 == c->d->n || c->d->t[i + 1].sent != c->d->t[i].sent;
        int l = ner_best_label(score, prev, sentence_end);
        if (margin) { /* over the best allowed label of another type (or O): how sure the type
                          is where it was chosen (inside an entity no other type is allowed) */
            float second = 1e30f;
            int type = l ? NER_LABEL_TYPE(l) : -1;
            for (int k = 0; k < NER_NLABELS; k++)
                if ((k ? NER_LABEL_TYPE(k) : -1) != type && ner_label_follows(prev, k) &&
                    (second >= 1e30f || score[k] > second))
                    second = score[k];
            margin[i] = second >= 1e30f ? 1e30f : score[l] - second;
        }
        c->y[i] = (uint8_t)l;
        prev = l;
    }
    c->local_ready = c->n_local && !c->local_lost;
}

/* The role stated right before a PERSON: a title phrase ("Prime Minister", "Dr.", "Minister of
 * Foreign Affairs") — capitalised words and connectors back to the first title word, after the
 * previous entity (from) and with a title head among them. */
#define NER_ROLE_BEFORE 8

static void tg_role(struct ner_doc *d, struct ner_cand *c, size_t from)
{
    size_t first = SIZE_MAX;
    bool head = false;
    for (size_t k = c->a; k > from && c->a - k < NER_ROLE_BEFORE; k--) {
        const struct ner_tok *t = &d->t[k - 1];
        bool connector = (t->flags & NT_LOWER) && (t->lex & NL_CONNECT);
        if (!(t->flags & NT_WORD) || !((t->flags & NT_CAP) || connector))
            break;
        if (t->lex & (NL_TITLE | NL_TITLEMOD | NL_HONOR))
            first = k - 1;
        head |= (t->lex & (NL_TITLE | NL_HONOR)) != 0;
    }
    if (first != SIZE_MAX && head) {
        c->role_a = first;
        c->role_b = c->a;
    }
}

/* Whether token k starts a sentence: its first word, the first of a quotation, or the first
 * after a dateline's place and a spaced dash ("TOKYO - The Bank of Japan will sell", "Manila -
 * The bank said": up to three capitalised words from the sentence's start). */
static bool tg_opens_sentence(const struct ner_doc *d, size_t k)
{
    if ((d->t[k].flags & NT_SSTART) || (k > 0 && (d->t[k - 1].flags & NT_QUOTE)))
        return true;
    if (k < 2 || !(d->t[k - 1].flags & (NT_HYPHEN | NT_STOP)) || !(d->t[k - 1].flags & NT_SPACE) ||
        !(d->t[k].flags & NT_SPACE))
        return false;
    for (size_t j = k - 1; j-- > 0 && k - 2 - j < 3;) {
        if (!(d->t[j].flags & NT_WORD) || !(d->t[j].flags & (NT_CAP | NT_UPPER)))
            return false;
        if (d->t[j].flags & NT_SSTART)
            return true;
    }
    return false;
}

/* Whether tokens k and a are the same text. */
static bool tg_same_word(const struct ner_doc *d, size_t k, size_t a)
{
    size_t n = d->t[a].end - d->t[a].start;
    return d->t[k].end - d->t[k].start == n &&
           memcmp(d->text + d->t[k].start, d->text + d->t[a].start, n) == 0;
}

/* Whether name [a, b), which opens with an article, is written the same inside a sentence of d
 * with the article in a name the tagger labelled ("at The Advocate Corp"): there the article is
 * part of the name. */
static bool tg_article_written(const struct ner_doc *d, const uint8_t *y, size_t a, size_t b)
{
    size_t len = b - a;
    for (size_t k = 1; k + len <= d->n; k++) {
        if (k == a || y[k] == 0 || !tg_same_word(d, k, a) || tg_opens_sentence(d, k))
            continue;
        size_t j = 1;
        while (j < len && tg_same_word(d, k + j, a + j))
            j++;
        if (j == len)
            return true;
    }
    return false;
}

size_t ner_name_start(const struct ner_doc *d, const uint8_t *y, size_t a, size_t b,
                      enum entity_type type)
{
    if (b - a < 2 || !tg_opens_sentence(d, a) || !(d->t[a + 1].flags & NT_CAP))
        return a;
    /* "A Bank of Japan official said" (an organisation only: "A" may be a person's initial;
     * "A and P" is a name) */
    bool indefinite = type == ENTITY_ORG && (ner_word_eq(d, a, "A") || ner_word_eq(d, a, "An"));
    bool article = (type == ENTITY_ORG || type == ENTITY_PERSON) && ner_word_eq(d, a, "The");
    if ((indefinite || article) && !tg_article_written(d, y, a, b))
        return a + 1;
    return a;
}

/* Whether token k is a lowercase connector ("of", "for", "and", "on", "the"). */
static bool tg_connector(const struct ner_doc *d, size_t k)
{
    return (d->t[k].flags & NT_LOWER) && (d->t[k].lex & NL_CONNECT);
}

/* The end of the name [a, b) the tagger closed on a connector ("U.S. Department of" before
 * "Justice", a word it reads as a judge's title): the capitalised words after it that the tagger
 * left outside every name (up to four, same sentence) complete it; with none the connectors are
 * left out ("Bank of the"). A name never ends in one. */
static size_t tg_name_end(const struct ner_doc *d, const uint8_t *y, size_t a, size_t b)
{
    if (b - a < 2 || !tg_connector(d, b - 1))
        return b;
    size_t e = b;
    while (e < d->n && e - b < 4 && y[e] == 0 && (d->t[e].flags & NT_WORD) &&
           (d->t[e].flags & NT_CAP) && d->t[e].sent == d->t[a].sent)
        e++;
    if (e > b)
        return e;
    while (b - a >= 2 && tg_connector(d, b - 1))
        b--;
    return b;
}

/* A function word whose capital says nothing: opening a sentence, or after an abbreviation's
 * dot ("the U.S. Is keen": Reuters-21578 writes the word after "U.S." with a capital). Alone it
 * is no name there ("off-spinner Such" inside a sentence may be). */
static bool tg_capitalised_function_word(const struct ner_doc *d, size_t a)
{
    const struct ner_tok *t = &d->t[a];
    if (!(t->lex & NL_FUNC) || (t->flags & NT_UPPER) || !(t->flags & NT_CAP))
        return false;
    return (t->flags & NT_SSTART) ||
           (a > 0 && d->t[a - 1].end > d->t[a - 1].start && d->text[d->t[a - 1].end - 1] == '.');
}

/* Adds the candidate [a, b) of the type; a low margin anywhere in the span makes the evidence
 * "context" rather than "strong" (resolution lets strong mentions decide types). 0 or -1. */
static int tg_add(struct ner_doc *d, size_t a, size_t b, enum entity_type type, const float *margin,
                  size_t prev_end)
{
    float low = 1e30f;
    for (size_t k = a; k < b; k++)
        low = margin[k] < low ? margin[k] : low;
    enum ner_evidence ev = low >= 4.0f ? NER_EV_STRONG : NER_EV_CONTEXT;
    if (ner_cand_add(d, a, b, type, ev) < 0)
        return -1;
    struct ner_cand *c = &d->c[d->nc - 1];
    c->conf = low > 0 ? low / (low + NER_CONF_HALF) : 0;
    c->conf = c->conf < 0.01f ? 0.01f : c->conf; /* greedy: the best allowed label can trail */
    c->gaz = ner_gaz_span(d, a, b);
    if (c->type == ENTITY_PERSON)
        tg_role(d, c, prev_end);
    return 0;
}

/* The "of" in organisation [a, b) that a person's name comes before ("Robert Gordon of Benning
 * Lyle Inc", a span the rules' company runs lead the tagger to), with a name after it; else 0. */
static size_t tg_person_of(const struct ner_doc *d, size_t a, size_t b)
{
    for (size_t k = a + 1; k + 1 < b; k++)
        if ((ner_word_eq(d, k, "of") || ner_word_eq(d, k, "for")) && ner_person_before_of(d, a, k))
            return k;
    return 0;
}

/* Entities of the labels in y as candidates. */
static int tg_emit(struct ner_doc *d, const uint8_t *y, const float *margin)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < d->n; i++) {
        int l = y[i];
        if (l == 0 || (NER_LABEL_POS(l) != NER_POS_B && NER_LABEL_POS(l) != NER_POS_U))
            continue;
        size_t b = i + 1;
        while (NER_LABEL_POS(l) == NER_POS_B && b < d->n && y[b] != 0 &&
               NER_LABEL_TYPE(y[b]) == NER_LABEL_TYPE(l) &&
               (NER_LABEL_POS(y[b]) == NER_POS_I || NER_LABEL_POS(y[b]) == NER_POS_L)) {
            b++;
            if (NER_LABEL_POS(y[b - 1]) == NER_POS_L)
                break;
        }
        b = tg_name_end(d, y, i, b);
        size_t a = ner_name_start(d, y, i, b, (enum entity_type)NER_LABEL_TYPE(l)), next = b;
        if (b == a + 1 && ((d->t[a].lex & NL_NOTNAME) || tg_capitalised_function_word(d, a))) {
            i = next - 1; /* never a name on its own (ner_not_names.txt: "Monday", "CEO", "AA") */
            continue;
        }
        enum entity_type type = (enum entity_type)NER_LABEL_TYPE(l);
        size_t of = type == ENTITY_ORG ? tg_person_of(d, a, b) : 0;
        if (of) { /* "Analyst Dora Quist of Benning Lyle Inc": the person, then the firm */
            size_t p = a;
            while (p < of && (d->t[p].lex & (NL_TITLE | NL_HONOR)))
                p++;
            if (p < of && tg_add(d, p, of, ENTITY_PERSON, margin, prev_end) < 0)
                return -1;
            a = of + 1;
        }
        if (tg_add(d, a, b, type, margin, prev_end) < 0)
            return -1;
        prev_end = b;
        i = next - 1;
    }
    return 0;
}

/* Whether token k is plain lower-case prose: a lower-case English word (ASCII letters alone,
 * in the dictionary: not "germany" in a lower-case passage, not a name particle such as "van"),
 * a number of digits with "." or "," inside ("1,250.5"), or punctuation. */
static bool tg_plain(const struct ner_doc *d, size_t k)
{
    const struct ner_tok *t = &d->t[k];
    if (!(t->flags & NT_WORD))
        return true;
    const char *w = d->text + t->start;
    size_t len = t->end - t->start;
    bool number = t->flags & NT_DIGIT;
    if (number ? w[0] < '0' || w[0] > '9'
               : !(t->lex & (NL_DICT | NL_COMMON | NL_FUNC)) || (t->lex & NL_PARTICLE))
        return false;
    for (size_t j = 0; j < len; j++) {
        bool ok = number ? (w[j] >= '0' && w[j] <= '9') || w[j] == '.' || w[j] == ','
                         : w[j] >= 'a' && w[j] <= 'z';
        if (!ok)
            return false;
    }
    return true;
}

/* A name does not sit in plain lower-case prose, so a token with two plain tokens on each side
 * is O and is not scored (tg_plain; a name the model opened before it still runs on as the model
 * says). In CoNLL-2003 train 37 % of the tokens are such by a looser test (any ASCII lower-case
 * word), and 10 of those 75,319 are in a name, all oddities ("interior ministry" as an ORG); on
 * Reuters the test passes over 48 % of the tokens, and 19 of 167,437 mentions change, all of
 * them junk ("euro-commercial" as MISC, bench/RESULTS.md §7o). A document with under one
 * capitalised word in 50 is not cased prose: every token is scored. */
#define TG_QUIET_WINDOW 2

void ner_tag_quiet(struct ner_tctx *c)
{
    const struct ner_doc *d = c->d;
    size_t words = 0, capitals = 0;
    for (size_t k = 0; k < d->n; k++) {
        words += (d->t[k].flags & NT_WORD) != 0;
        capitals += (d->t[k].flags & NT_CAP) != 0;
    }
    if (capitals * 50 < words || !(c->quiet = malloc(d->n)))
        return;
    /* the tokens since the last one not plain, as of token k + TG_QUIET_WINDOW */
    size_t plain_run = 0;
    for (size_t k = 0; k < TG_QUIET_WINDOW && k < d->n; k++)
        plain_run = tg_plain(d, k) ? plain_run + 1 : 0;
    for (size_t i = 0; i < d->n; i++) {
        size_t ahead = i + TG_QUIET_WINDOW;
        if (ahead < d->n)
            plain_run = tg_plain(d, ahead) ? plain_run + 1 : 0;
        else
            plain_run++; /* past the end counts as plain */
        size_t behind = i < TG_QUIET_WINDOW ? i : TG_QUIET_WINDOW;
        c->quiet[i] = plain_run > behind + TG_QUIET_WINDOW;
    }
}

int ner_tagger_run(struct ner_doc *d)
{
    const struct ner_tagger *t = d->m->tagger;
    struct ner_tctx c;
    if (!d->n)
        return 0;
    if (ner_tctx_init(&c, d) < 0)
        return -1;
    float *margin = malloc(d->n * sizeof *margin);
    int rc = margin ? 0 : -1;
    if (rc == 0) {
        ner_tag_quiet(&c);
        ner_tag_stage(&c, &t->stage[0], 0, NULL);
        ner_tctx_nonlocal(&c);
        ner_tag_stage(&c, &t->stage[1], 1, margin);
        rc = tg_emit(d, c.y, margin);
        if (rc == 0)
            rc = ner_tagger_rules(d, &c);
    }
    free(margin);
    ner_tctx_free(&c);
    return rc;
}

/* ---------------------------------------------------------------- word clusters */

/* Parses one "bitpath<TAB>word[<TAB>count]" line into m; malformed lines are skipped. */
static int tg_cluster_line(struct ner_model *m, char *line, size_t *cap)
{
    char *tab = strchr(line, '\t');
    if (!tab)
        return 0;
    *tab = '\0';
    char *word = tab + 1, *end = strpbrk(word, "\t\r\n");
    unsigned long count = 0;
    if (end && *end == '\t')
        count = strtoul(end + 1, NULL, 10);
    if (end)
        *end = '\0';
    size_t plen = strlen(line);
    if (!*word || plen == 0 || plen > 32 || strspn(line, "01") != plen)
        return 0;
    uint32_t bits = 0;
    for (size_t i = 0; i < plen; i++)
        bits = bits << 1 | (uint32_t)(line[i] - '0');
    if (BASE_GROW(m->paths, *cap, m->n_paths, 4096) < 0)
        return -1;
    m->paths[m->n_paths] = (struct ner_cluster_path){
        bits, (uint8_t)plen, count > UINT32_MAX ? UINT32_MAX : (uint32_t)count, 0};
    if (ner_map_put(&m->clusters, word, strlen(word), (uint32_t)m->n_paths, false) < 0)
        return -1;
    m->n_paths++;
    return 0;
}

int ner_clusters_load(struct ner_model *m, const char *path, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? 0 : tg_fail(err, path, strerror(errno));
    char line[512];
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f))
        if (line[0] != '#')
            rc = tg_cluster_line(m, line, &cap);
    fclose(f);
    return rc < 0 ? tg_fail(err, path, "out of memory") : 0;
}
