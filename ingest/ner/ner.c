/*
 * ner.c — named-entity extraction: the public API of ner.h. ner_open builds the read-only model
 * (ner_lex.c); ner_extract tokenises (ner_tok.c), finds and types candidates (ner_chunk.c),
 * resolves them within the document (ner_resolve.c) and returns mentions. Resolution across
 * documents is ingest/resolve.
 */
#include "ingest/ner/ner.h"
#include "ingest/ner/ner_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where Debian's iso-codes package puts its JSON files; CORPUSD_ISO_CODES_DIR overrides. */
#define NER_ISO_DIR "/usr/share/iso-codes/json"

struct ner_model *ner_open(const char *data_dir, char **err)
{
    struct ner_model *m = calloc(1, sizeof *m);
    if (err)
        *err = NULL;
    if (!m)
        return NULL;
    const char *iso = getenv("CORPUSD_ISO_CODES_DIR");
    char *e = NULL;
    if (ner_lex_load(m, data_dir, iso && *iso ? iso : NER_ISO_DIR, &e) < 0) {
        if (err)
            *err = e ? e : strdup("ner: out of memory");
        else
            free(e);
        ner_close(m);
        return NULL;
    }
    /* the learned re-typer is optional: CORPUSD_NER_WEIGHTS overrides, "" disables it */
    const char *wpath = getenv("CORPUSD_NER_WEIGHTS");
    char path[1024];
    snprintf(path, sizeof path, "%s/ner_weights.txt", data_dir);
    if (ner_learn_load(m, wpath ? wpath : path) < 0) {
        if (err)
            *err = strdup("ner: out of memory");
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
    free(m->weights);
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
                                 .role = c->role};
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
    struct ner_doc d = {.m = m, .text = text, .len = len};
    *out = NULL;
    *n_out = 0;
    int rc = ner_tokenize(m, text, len, sentences, n_sentences, &d.t, &d.n);
    if (rc == 0)
        rc = ner_chunk(&d);
    if (rc == 0)
        rc = ner_learn_apply(&d);
    if (rc == 0)
        rc = ner_resolve_doc(&d);
    if (rc == 0)
        rc = ner_emit(&d, out, n_out);
    ner_doc_free(&d);
    return rc;
}
