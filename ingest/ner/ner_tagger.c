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

#define NER_MAGIC "CNERTAG2"
#define NER_MAX_BITS 24

static int tg_fail(char **err, const char *path, const char *why)
{
    if (err) {
        size_t n = strlen(path) + strlen(why) + 8;
        *err = malloc(n);
        if (*err)
            snprintf(*err, n, "%s: %s", path, why);
    }
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
    t->buf = NULL;
    return tg_fail(err, path, why);
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
    }
    return 0;
}

void ner_tagger_free(struct ner_tagger *t)
{
    if (t->buf)
        munmap(t->buf, t->len);
    memset(t, 0, sizeof *t);
}

void ner_score(const struct ner_weights *w, const uint32_t *f, size_t nf, float *score)
{
    for (int l = 0; l < NER_NLABELS; l++)
        score[l] = 0;
    if (!w->index) { /* dense float weights while training */
        for (size_t k = 0; k < nf; k++) {
            const float *row = w->rows + (size_t)f[k] * NER_NLABELS;
            for (int l = 0; l < NER_NLABELS; l++)
                score[l] += row[l];
        }
        return;
    }
    int32_t acc[NER_NLABELS] = {0};
    for (size_t k = 0; k < nf; k++) {
        uint32_t r = w->index[f[k]];
        if (!r || r > w->n_rows) /* zero row, or a corrupt index entry */
            continue;
        const int16_t *row = w->qrows + (size_t)(r - 1) * NER_NLABELS;
        for (int l = 0; l < NER_NLABELS; l++)
            acc[l] += row[l];
    }
    for (int l = 0; l < NER_NLABELS; l++)
        score[l] = (float)acc[l] * w->scale;
}

int ner_best_label(const float *score, int prev, bool last)
{
    int best = 0;
    float bs = -1e30f;
    for (int l = 0; l < NER_NLABELS; l++) {
        if (!ner_label_follows(prev, l))
            continue;
        if (last && l > 0 && (NER_LABEL_POS(l) == NER_POS_B || NER_LABEL_POS(l) == NER_POS_I))
            continue;
        if (score[l] > bs) {
            bs = score[l];
            best = l;
        }
    }
    return best;
}

void ner_tag_stage(struct ner_tctx *c, const struct ner_weights *w, int stage, float *margin)
{
    uint32_t f[NER_MAX_FEATS];
    float score[NER_NLABELS];
    int prev = 0;
    for (size_t i = 0; i < c->d->n; i++) {
        size_t nf = ner_features(c, i, stage, w->bucket_bits, f);
        ner_score(w, f, nf, score);
        int l = ner_best_label(score, prev, i + 1 == c->d->n);
        if (margin) {
            float second = -1e30f;
            for (int k = 0; k < NER_NLABELS; k++)
                if (k != l && score[k] > second)
                    second = score[k];
            margin[i] = score[l] - second;
        }
        c->y[i] = (uint8_t)l;
        prev = l;
    }
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

/* Entities of the labels in y as candidates; a low margin anywhere in the span makes the
 * evidence "context" rather than "strong" (resolution lets strong mentions decide types). */
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
        size_t a = i, next = b;
        if (b == a + 1 && (d->t[a].lex & NL_NOTNAME)) {
            i = next - 1; /* never a name on its own (ner_not_names.txt: "Monday", "CEO", "AA") */
            continue;
        }
        float low = 1e30f;
        for (size_t k = a; k < b; k++)
            low = margin[k] < low ? margin[k] : low;
        enum ner_evidence ev = low >= 4.0f ? NER_EV_STRONG : NER_EV_CONTEXT;
        if (ner_cand_add(d, a, b, (enum entity_type)NER_LABEL_TYPE(l), ev) < 0)
            return -1;
        struct ner_cand *c = &d->c[d->nc - 1];
        c->gaz = ner_gaz_span(d, a, b);
        if (c->type == ENTITY_PERSON)
            tg_role(d, c, prev_end);
        prev_end = b;
        i = next - 1;
    }
    return 0;
}

/* The rules keep one job: an organisation cue right next to a name makes it an organisation, in
 * every mention of the same text in the document — before it a lowercase cue noun or verb ("news
 * agency X", "the carmaker X", "to acquire X"), after it a word of a company's ("X shares fell").
 * A cue is explicit where the model weighs attribution contexts (", X reported", "X said") that
 * persons share. */
static bool tg_same_text(const struct ner_doc *d, const struct ner_cand *x,
                         const struct ner_cand *y)
{
    size_t xl = d->t[x->b - 1].end - d->t[x->a].start, yl = d->t[y->b - 1].end - d->t[y->a].start;
    return xl == yl && memcmp(d->text + d->t[x->a].start, d->text + d->t[y->a].start, xl) == 0;
}

/* Whether tokens [a, b) stand between organisation cues: a lowercase cue noun or verb before
 * them or a company word after them. */
static bool tg_cued(const struct ner_doc *d, size_t a, size_t b)
{
    const struct ner_tok *p = a > 0 ? &d->t[a - 1] : NULL, *n = b < d->n ? &d->t[b] : NULL;
    const uint32_t before = NL_ORGCUE | NL_ORGPREV;
    if (p && (p->flags & NT_LOWER) && (p->lex & before))
        return true;
    /* "economists at X", "shares of X" */
    if (p && a > 1 && (p->flags & NT_LOWER) && (p->lex & (NL_CONNECT | NL_LOCPREP)) &&
        (d->t[a - 2].flags & NT_LOWER) && (d->t[a - 2].lex & before))
        return true;
    return n && (n->flags & NT_LOWER) && (n->lex & NL_ORGAFTER);
}

static void tg_retype_all(struct ner_doc *d, const struct ner_cand *x)
{
    for (size_t k = 0; k < d->nc; k++)
        if (d->c[k].type != ENTITY_ORG && tg_same_text(d, x, &d->c[k]))
            d->c[k].type = ENTITY_ORG;
}

static int tg_org_cues(struct ner_doc *d, const struct ner_tctx *tc)
{
    size_t n0 = d->nc;
    for (size_t i = 0; i < n0; i++)
        if (d->c[i].type != ENTITY_ORG && !tc->gaz[d->c[i].a] && tg_cued(d, d->c[i].a, d->c[i].b))
            tg_retype_all(d, &d->c[i]); /* not "Canadian shares": a known place or demonym */
    /* a single capitalised word the tagger left out, mid-sentence between cues ("and Mango
     * shares rose"), not a known place or a word that is never a name */
    for (size_t a = 0; a < d->n; a++) {
        const struct ner_tok *t = &d->t[a];
        if (!(t->flags & NT_WORD) || !(t->flags & NT_CAP) || (t->flags & NT_SSTART) ||
            (t->lex & (NL_NOTNAME | NL_FUNC)) || tc->y[a] != 0 || tc->gaz[a] ||
            !tg_cued(d, a, a + 1))
            continue;
        if (ner_cand_add(d, a, a + 1, ENTITY_ORG, NER_EV_CONTEXT) < 0)
            return -1;
        struct ner_cand probe = {.a = a, .b = a + 1};
        for (size_t k = 0; k < n0; k++) /* its other mentions the tagger did find */
            if (tg_same_text(d, &probe, &d->c[k]))
                d->c[k].type = ENTITY_ORG;
    }
    return 0;
}

/* The rules keep their job for titles: a person they found right after a title ("Minister of
 * Foreign Affairs Tomas Varga") replaces whatever the tagger made of those words — a title
 * phrase with "of" reads like an organisation's name to a left-to-right tagger. */
static int tg_titled(struct ner_doc *d, const struct ner_tctx *tc)
{
    size_t n0 = d->nc;
    for (size_t k = 0; k < tc->n_titled; k++) {
        const struct ner_titled *t = &tc->titled[k];
        /* only a name the tagger also read as a person, or one opening with a given name: the
         * rules take "General Agreement on Tariffs" for a general's name */
        size_t same = SIZE_MAX;
        bool person = (d->t[t->a].lex & NL_GIVEN) != 0;
        for (size_t i = 0; i < n0; i++) {
            const struct ner_cand *c = &d->c[i];
            if (c->a == t->a && c->b == t->b && c->type == ENTITY_PERSON)
                same = i;
            person |= c->type == ENTITY_PERSON && c->a < t->b && c->b > t->a;
        }
        if (!person)
            continue;
        for (size_t i = 0; i < n0; i++) /* what the tagger made of the title and the name */
            if (i != same && d->c[i].a < t->b && d->c[i].b > t->role_a)
                d->c[i].drop = true;
        if (same == SIZE_MAX && ner_cand_add(d, t->a, t->b, ENTITY_PERSON, NER_EV_STRONG) < 0)
            return -1;
        struct ner_cand *c = same == SIZE_MAX ? &d->c[d->nc - 1] : &d->c[same];
        c->role_a = t->role_a;
        c->role_b = t->a;
    }
    return 0;
}

/* And for "Ministry of Trade, Industry and Energy": an organisation head with its "of" part
 * (commas and "and" included), which the tagger tends to cut at the comma. */
static int tg_headed(struct ner_doc *d, const struct ner_tctx *tc)
{
    size_t n0 = d->nc;
    for (size_t k = 0; k < tc->n_headed; k++) {
        const struct ner_titled *t = &tc->headed[k];
        bool same = false, other_type = false;
        for (size_t i = 0; i < n0; i++) {
            const struct ner_cand *c = &d->c[i];
            if (c->drop || c->a >= t->b || c->b <= t->a)
                continue;
            same |= c->a == t->a && c->b == t->b;
            other_type |= c->type != ENTITY_ORG;
        }
        if (same || other_type)
            continue;
        for (size_t i = 0; i < n0; i++)
            if (d->c[i].a < t->b && d->c[i].b > t->a)
                d->c[i].drop = true;
        if (ner_cand_add(d, t->a, t->b, ENTITY_ORG, NER_EV_STRONG) < 0)
            return -1;
    }
    return 0;
}

/* And for company names with a possessive or a connector inside, which the training data hardly
 * has: a capitalised run "X's … Inc" / "X and Y's … Corp" ending in an organisation suffix, or
 * "X and Y's" (a partnership's name), is one organisation — unless the part before the "'s" is a
 * known place ("Japan's Acme Corp" is a place and a company). */
#define TG_PLACE_GAZ 0x1FFFFu /* gazetteer bits of countries … regions (kinds 0-4, 4 positions) */

static bool tg_org_run(const struct ner_doc *d, const struct ner_tctx *tc, size_t a, size_t e,
                       size_t *end)
{
    size_t last = tc->run_last[a];
    bool poss = false, conn = false, place = false;
    for (size_t k = a; k < e; k++) {
        if (d->t[k].flags & NT_POSS) {
            poss = true;
            place |= k > a && (tc->gaz[k - 1] & TG_PLACE_GAZ);
        } else if (!(d->t[k].flags & (NT_CAP | NT_UPPER))) {
            conn = true;
        }
    }
    if (place || !(poss || conn))
        return false;
    for (size_t k = a; k < last; k++)
        if ((d->t[k].lex & NL_ORGSUF) && (d->t[k].flags & NT_CAP) && !(d->t[k + 1].flags & NT_CAP))
            return false; /* "Vorlax Corp and Helmar Oy": two companies */
    if ((d->t[last].lex & NL_ORGSUF) && (d->t[last].flags & NT_CAP)) {
        *end = last + 1;
        return true;
    }
    *end = e; /* "Standard and Poor's": a connector and a final possessive */
    return conn && poss && (d->t[e - 1].flags & NT_POSS) && e - a == 4;
}

static int tg_org_runs(struct ner_doc *d, const struct ner_tctx *tc)
{
    size_t n0 = d->nc;
    for (size_t a = 0; a < d->n; a++) {
        if (tc->run_last[a] == UINT32_MAX || (a > 0 && tc->run_last[a - 1] == tc->run_last[a]))
            continue;
        size_t e = tc->run_next[a] == UINT32_MAX ? d->n : tc->run_next[a], end;
        if (!tg_org_run(d, tc, a, e, &end))
            continue;
        bool same = false;
        for (size_t i = 0; i < n0; i++)
            same |= !d->c[i].drop && d->c[i].a == a && d->c[i].b >= end - 1 && d->c[i].b <= end &&
                    d->c[i].type == ENTITY_ORG;
        if (same)
            continue;
        for (size_t i = 0; i < n0; i++)
            if (d->c[i].a < end && d->c[i].b > a)
                d->c[i].drop = true;
        if (ner_cand_add(d, a, end, ENTITY_ORG, NER_EV_STRONG) < 0)
            return -1;
    }
    return 0;
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
        ner_tag_stage(&c, &t->stage[0], 0, NULL);
        ner_tctx_nonlocal(&c);
        ner_tag_stage(&c, &t->stage[1], 1, margin);
        rc = tg_emit(d, c.y, margin);
        if (rc == 0)
            rc = tg_org_cues(d, &c);
        if (rc == 0)
            rc = tg_titled(d, &c);
        if (rc == 0)
            rc = tg_org_runs(d, &c);
        if (rc == 0)
            rc = tg_headed(d, &c);
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
    if (end)
        *end = '\0';
    size_t plen = strlen(line);
    if (!*word || plen == 0 || plen > 32 || strspn(line, "01") != plen)
        return 0;
    uint32_t bits = 0;
    for (size_t i = 0; i < plen; i++)
        bits = bits << 1 | (uint32_t)(line[i] - '0');
    if (m->n_paths == *cap) {
        size_t nc = *cap ? *cap * 2 : 4096;
        struct ner_cluster_path *p = realloc(m->paths, nc * sizeof *p);
        if (!p)
            return -1;
        m->paths = p;
        *cap = nc;
    }
    m->paths[m->n_paths] = (struct ner_cluster_path){bits, (uint8_t)plen};
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
