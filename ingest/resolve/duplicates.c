/*
 * duplicates.c — near-duplicate groups (see duplicates.h): shingle and number sets per document,
 * MinHash signatures banded into buckets, an exact check of every pair that shares a bucket, and
 * union-find over the pairs that pass.
 */
#include "ingest/resolve/duplicates.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "ingest/timex/timex_calendar.h"

/* MinHash values per document, compared DUP_BAND_ROWS at a time: a pair of Jaccard similarity s
 * shares a bucket with probability 1 - (1 - s^2)^10, 0.998 at s = 0.7 and 0.94 at 0.5. */
#define DUP_MINHASHES 20
#define DUP_BAND_ROWS 2
#define DUP_BANDS (DUP_MINHASHES / DUP_BAND_ROWS)
/* A bucket's documents are each compared with at most this many of the next ones, so that a
 * bucket of many identical short texts costs a chain of checks, not every pair. */
#define DUP_BUCKET_REACH 64

struct sketch {
    uint64_t *shingles; /* (malloc'd); none: no word, never a duplicate */
    size_t n_shingles;
    uint64_t *numbers; /* number tokens (malloc'd) */
    size_t n_numbers;
    bool sets; /* both made sets (sorted, unique): only for the documents checked exactly */
    long day;  /* published, as a day number; LONG_MIN unless known to the day */
    uint64_t sig[DUP_MINHASHES];
};

struct u64s {
    uint64_t *v;
    size_t n, cap;
};

static bool u64s_push(struct u64s *a, uint64_t x)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        uint64_t *v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return false;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return true;
}

/* splitmix64's finaliser: spreads the bits of a combination of word hashes. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts and drops repeats in place; returns the new count. */
static size_t sort_unique(uint64_t *v, size_t n)
{
    if (n < 2)
        return n;
    qsort(v, n, sizeof *v, cmp_u64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

/* Words as FTS5's unicode61 tokenizer sees them, roughly: runs of ASCII letters and digits and
 * of non-ASCII bytes; ASCII case folded by the hash. */
static bool is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* A number token starting at s: digits with the separators of figures between them ("1.5",
 * "155,221", "6-3/16", "1987-03-01"). Returns its length (ends on a digit). */
static size_t number_len(const char *s, size_t max)
{
    size_t end = 0;
    for (size_t i = 0; i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_digit(c))
            end = i + 1;
        else if (!(c == '.' || c == ',' || c == '/' || c == '-'))
            break;
    }
    return end;
}

/* Adds the word hashes of s to words and its number tokens to numbers. */
static bool scan_text(const char *s, size_t len, struct u64s *words, struct u64s *numbers)
{
    for (size_t i = 0; i < len;) {
        if (!is_word_byte((unsigned char)s[i])) {
            i++;
            continue;
        }
        if (is_digit((unsigned char)s[i])) {
            size_t k = number_len(s + i, len - i);
            if (!u64s_push(numbers, base_hash(s + i, k)))
                return false;
        }
        size_t k = 0;
        while (i + k < len && is_word_byte((unsigned char)s[i + k]))
            k++;
        if (!u64s_push(words, base_hash_update_folded(BASE_HASH_SEED, s + i, k)))
            return false;
        i += k;
    }
    return true;
}

/* The shingles of a run of word hashes: every DUP_SHINGLE_WORDS consecutive words (the words
 * themselves when there are fewer). */
static bool shingle(const struct u64s *words, struct u64s *out)
{
    if (words->n < DUP_SHINGLE_WORDS) {
        for (size_t i = 0; i < words->n; i++)
            if (!u64s_push(out, mix64(words->v[i])))
                return false;
        return true;
    }
    for (size_t i = 0; i + DUP_SHINGLE_WORDS <= words->n; i++)
        if (!u64s_push(out,
                       mix64(words->v[i] ^ rotl(words->v[i + 1], 21) ^ rotl(words->v[i + 2], 42))))
            return false;
    return true;
}

/* The day number of a date known to the day ("1987-03-02"), else LONG_MIN. */
static long day_of(const char *published)
{
    int y, m, d;
    if (strlen(published) != 10 || sscanf(published, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return LONG_MIN;
    return timex_days_from_civil(y, m, d);
}

/* MinHash: the least value of each of DUP_MINHASHES permutations (x * odd + c, over hashes
 * already mixed) of the shingles. */
static void minhash(struct sketch *k, const uint64_t *mul, const uint64_t *add)
{
    for (int h = 0; h < DUP_MINHASHES; h++) { /* one permutation at a time: the minimum stays
                                                 in a register */
        uint64_t least = UINT64_MAX, m = mul[h], a = add[h];
        for (size_t i = 0; i < k->n_shingles; i++) {
            uint64_t v = k->shingles[i] * m + a;
            least = v < least ? v : least;
        }
        k->sig[h] = least;
    }
}

static bool sketch_doc(const struct doc *d, struct sketch *k, const uint64_t *mul,
                       const uint64_t *add)
{
    struct u64s words = {0}, numbers = {0}, shingles = {0};
    bool ok = true;
    if (d->title) { /* the title's shingles apart: none spans title and text */
        ok = scan_text(d->title, strlen(d->title), &words, &numbers) && shingle(&words, &shingles);
        words.n = 0;
    }
    ok = ok && scan_text(d->text, d->text_len, &words, &numbers) && shingle(&words, &shingles);
    free(words.v);
    k->shingles = shingles.v;
    k->n_shingles = shingles.n;
    k->numbers = numbers.v;
    k->n_numbers = numbers.n;
    k->day = day_of(d->published);
    if (ok)
        minhash(k, mul, add);
    return ok;
}

/* |a ∩ b| / |a ∪ b| of two sorted sets; two empty sets are alike. */
static double jaccard(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    if (!na && !nb)
        return 1.0;
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        if (a[i] == b[j])
            common++, i++, j++;
        else if (a[i] < b[j])
            i++;
        else
            j++;
    }
    return (double)common / (double)(na + nb - common);
}

static void make_sets(struct sketch *k)
{
    if (k->sets)
        return;
    k->n_shingles = sort_unique(k->shingles, k->n_shingles);
    k->n_numbers = sort_unique(k->numbers, k->n_numbers);
    k->sets = true;
}

/* The share of equal MinHash values estimates the Jaccard similarity: far below the threshold,
 * the pair is not worth an exact check (a pair at 0.7 falls under 0.4 once in a thousand). */
static bool similar_signatures(const struct sketch *a, const struct sketch *b)
{
    int same = 0;
    for (int h = 0; h < DUP_MINHASHES; h++)
        same += a->sig[h] == b->sig[h];
    return same >= DUP_MINHASHES * 2 / 5;
}

static bool near_duplicates(struct sketch *a, struct sketch *b)
{
    if (!a->n_shingles || !b->n_shingles)
        return false;
    if (a->day != LONG_MIN && b->day != LONG_MIN && labs(a->day - b->day) > DUP_MAX_DAYS)
        return false;
    if (!similar_signatures(a, b))
        return false;
    make_sets(a);
    make_sets(b);
    size_t small = a->n_shingles < b->n_shingles ? a->n_shingles : b->n_shingles;
    size_t large = a->n_shingles + b->n_shingles - small;
    if ((double)small < DUP_JACCARD * (double)large) /* the Jaccard cannot reach it */
        return false;
    double j = jaccard(a->shingles, a->n_shingles, b->shingles, b->n_shingles);
    if (j >= DUP_JACCARD_ALONE)
        return true;
    return j >= DUP_JACCARD &&
           jaccard(a->numbers, a->n_numbers, b->numbers, b->n_numbers) >= DUP_NUMBERS;
}

static size_t find(size_t *parent, size_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

/* A band's entries: the band's key in the high bits, the document's index in the low `bits`, so
 * that sorting plain integers puts the documents of one bucket side by side. (Keys that differ
 * only in the bits given to the index merely cost an exact check.) */
struct band {
    uint64_t *e;
    size_t n;
    int bits;
};

/* Checks the pairs of every run of equal keys and unites those that pass. */
static void unite_bucket_pairs(const struct band *b, struct sketch *k, size_t *parent)
{
    uint64_t mask = ((uint64_t)1 << b->bits) - 1;
    for (size_t i = 0; i < b->n; i++)
        for (size_t j = i + 1;
             j < b->n && j <= i + DUP_BUCKET_REACH && b->e[j] >> b->bits == b->e[i] >> b->bits;
             j++) {
            size_t x = (size_t)(b->e[i] & mask), y = (size_t)(b->e[j] & mask);
            size_t rx = find(parent, x), ry = find(parent, y);
            if (rx != ry && near_duplicates(&k[x], &k[y]))
                parent[rx < ry ? ry : rx] = rx < ry ? rx : ry;
        }
}

static bool group_bands(struct sketch *k, size_t n, size_t *parent)
{
    struct band b = {malloc((n ? n : 1) * sizeof *b.e), 0, 1};
    if (!b.e)
        return false;
    while (b.bits < 40 && ((size_t)1 << b.bits) <= n)
        b.bits++;
    for (int band = 0; band < DUP_BANDS; band++) {
        b.n = 0;
        for (size_t i = 0; i < n; i++) {
            if (!k[i].n_shingles)
                continue;
            const uint64_t *s = k[i].sig + band * DUP_BAND_ROWS;
            uint64_t key = mix64(s[0] ^ rotl(s[1], 32) ^ (uint64_t)band);
            b.e[b.n++] = (key << b.bits) | i;
        }
        qsort(b.e, b.n, sizeof *b.e, cmp_u64);
        unite_bucket_pairs(&b, k, parent);
    }
    free(b.e);
    return true;
}

/* Earlier published first (undated last), then the least id. */
static bool represents_better(const struct doc *a, const struct doc *b)
{
    if (!a->published[0] != !b->published[0])
        return a->published[0] != '\0';
    int c = strcmp(a->published, b->published);
    return c ? c < 0 : strcmp(a->id, b->id) < 0;
}

/* rep[i] = the representative of i's group; returns the groups of two or more. parent is
 * scratch afterwards. */
static long pick_representatives(struct doc *const *docs, size_t n, size_t *parent, size_t *rep)
{
    for (size_t i = 0; i < n; i++) {
        rep[i] = i;                  /* at a root: the group's best member so far */
        parent[i] = find(parent, i); /* every document points at its root (roots stay roots) */
    }
    for (size_t i = 0; i < n; i++)
        if (represents_better(docs[i], docs[rep[parent[i]]]))
            rep[parent[i]] = i;
    for (size_t i = 0; i < n; i++) /* a root's rep is final before or when i reaches it */
        rep[i] = rep[parent[i]];
    long groups = 0;
    memset(parent, 0, n * sizeof *parent); /* now: "this representative was counted" */
    for (size_t i = 0; i < n; i++)
        if (rep[i] != i && !parent[rep[i]]) {
            parent[rep[i]] = 1;
            groups++;
        }
    return groups;
}

size_t *duplicates_link(struct doc *const *docs, size_t n)
{
    struct sketch *k = calloc(n ? n : 1, sizeof *k);
    size_t *parent = malloc((n ? n : 1) * sizeof *parent);
    uint64_t mul[DUP_MINHASHES], add[DUP_MINHASHES], seed = BASE_HASH_SEED;
    for (int h = 0; h < DUP_MINHASHES; h++) {
        mul[h] = mix64(seed += 0x9e3779b97f4a7c15ULL) | 1;
        add[h] = mix64(seed += 0x9e3779b97f4a7c15ULL);
    }
    bool ok = k && parent;
    for (size_t i = 0; ok && i < n; i++) {
        parent[i] = i;
        ok = sketch_doc(docs[i], &k[i], mul, add);
    }
    ok = ok && group_bands(k, n, parent);
    for (size_t i = 0; k && i < n; i++) {
        free(k[i].shingles);
        free(k[i].numbers);
    }
    free(k);
    if (!ok) {
        free(parent);
        return NULL;
    }
    return parent;
}

long duplicates_find(struct doc *const *docs, size_t n, size_t *rep)
{
    size_t *links = duplicates_link(docs, n);
    long groups = links ? pick_representatives(docs, n, links, rep) : -1;
    free(links);
    return groups;
}

long duplicates_mark(struct doc *const *docs, size_t n, size_t *links)
{
    size_t *rep = links ? malloc((n ? n : 1) * sizeof *rep) : NULL;
    long groups = rep ? pick_representatives(docs, n, links, rep) : -1;
    free(links);
    for (size_t i = 0; groups > 0 && i < n; i++) {
        if (rep[i] == i)
            continue;
        struct doc *d = docs[i], *r = docs[rep[i]];
        if ((!d->duplicate_of && !(d->duplicate_of = strdup(r->id))) ||
            (!r->duplicate_of && !(r->duplicate_of = strdup(r->id))))
            groups = -1;
    }
    free(rep);
    return groups;
}
