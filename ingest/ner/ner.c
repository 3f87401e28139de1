/*
 * ner.c — named-entity extraction: the public API of ner.h. ner_open builds the read-only model
 * (ner_lex.c); ner_extract tokenises (ner_tok.c), finds and types candidates (ner_chunk.c),
 * resolves them within the document (ner_resolve.c) and returns mentions. Resolution across
 * documents is ingest/resolve.
 */
#include "ingest/ner/ner.h"
#include "ingest/ner/ner_internal.h"
#include "ingest/ner/ner_tagger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where Debian's iso-codes package (a declared dependency, `make deps`) puts its JSON files.
 * Fixed, like the wamerican word list (NER_DICT_PATH): no environment variable changes what the
 * extractor reads behind the configuration's back. */
#define NER_ISO_DIR "/usr/share/iso-codes/json"

struct ner_model *ner_open(const char *data_dir, char **err)
{
    return ner_open_with(data_dir, true, err);
}

struct ner_model *ner_open_with(const char *data_dir, bool tagger, char **err)
{
    struct ner_model *m = calloc(1, sizeof *m);
    if (err)
        *err = NULL;
    if (!m)
        return NULL;
    char *e = NULL;
    if (ner_lex_load(m, data_dir, NER_ISO_DIR, &e) < 0) {
        if (err)
            *err = e ? e : strdup("ner: out of memory");
        else
            free(e);
        ner_close(m);
        return NULL;
    }
    /* the statistical tagger and its word clusters; without a weights file the rules decide */
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", data_dir, NER_CLUSTER_FILE);
    int rc = ner_clusters_load(m, path, &e);
    if (rc == 0)
        ner_paths_lex(m);
    snprintf(path, sizeof path, "%s/%s", data_dir, NER_TAGGER_FILE);
    struct ner_tagger *t = rc == 0 && tagger ? calloc(1, sizeof *t) : NULL;
    if (rc == 0 && tagger && (!t || ner_tagger_load(t, path, &e) < 0))
        rc = -1;
    if (rc == 0 && t && t->buf) {
        m->tagger = t;
        t = NULL;
        /* an optimisation only: without the sums the tagger reads every row */
        (void)ner_sums_open(m, m->tagger);
    }
    free(t);
    if (rc < 0) {
        if (err)
            *err = e ? e : strdup("ner: out of memory");
        else
            free(e);
        ner_close(m);
        return NULL;
    }
    return m;
}

void ner_close(struct ner_model *m)
{
    if (!m)
        return;
    ner_lex_free(m);
    ner_sums_close(m, m->tagger);
    if (m->tagger)
        ner_tagger_free(m->tagger);
    free(m->tagger);
    ner_map_free(&m->clusters);
    free(m->paths);
    free(m);
}

static void ner_doc_free(struct ner_doc *d)
{
    for (size_t i = 0; i < d->nc; i++) {
        free(d->c[i].canon);
        free(d->c[i].role);
    }
    free(d->c);
    free(d->t);
    ner_map_free(&d->seen);
}

/* Moves the surviving candidates into a mention array (names and roles change owner). */
static int ner_emit(struct ner_doc *d, struct mention **out, size_t *n_out)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nc; i++)
        n += !d->c[i].drop;
    struct mention *ms = calloc(n ? n : 1, sizeof *ms);
    if (!ms)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < d->nc; i++) {
        struct ner_cand *c = &d->c[i];
        if (c->drop)
            continue;
        ms[k] = (struct mention){.start = d->t[c->a].start,
                                 .end = d->t[c->b - 1].end,
                                 .type = c->type,
                                 .name = c->canon,
                                 .role = c->role,
                                 .confidence = c->conf,
                                 .fixed_type =
                                     c->type == ENTITY_LOC && (d->t[c->a].flags & NT_DATELINE)};
        c->canon = NULL;
        c->role = NULL;
        k++;
    }
    *out = ms;
    *n_out = k;
    return 0;
}

int ner_extract(const struct ner_model *m, const char *text, size_t len,
                const struct span *sentences, size_t n_sentences, struct mention **out,
                size_t *n_out)
{
    return ner_extract_with(m, m->tagger != NULL, text, len, sentences, n_sentences, out, n_out);
}

int ner_extract_with(const struct ner_model *m, bool tagger, const char *text, size_t len,
                     const struct span *sentences, size_t n_sentences, struct mention **out,
                     size_t *n_out)
{
    struct ner_doc d = {.m = m, .text = text, .len = len};
    *out = NULL;
    *n_out = 0;
    int rc = ner_tokenize(m, text, len, sentences, n_sentences, &d.t, &d.n);
    if (rc == 0 && tagger && m->tagger) {
        d.model_typed = true;
        rc = ner_tagger_run(&d);
    } else if (rc == 0) {
        rc = ner_chunk(&d);
    }
    if (rc == 0)
        rc = ner_resolve_doc(&d);
    if (rc == 0)
        rc = ner_emit(&d, out, n_out);
    ner_doc_free(&d);
    return rc;
}
