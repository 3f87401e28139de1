/*
 * ner.c — named-entity extraction: the public API of ner.h. ner_open builds the read-only model
 * (ner_lex.c); ner_extract tokenises (ner_tok.c), finds and types candidates (ner_chunk.c),
 * resolves them within the document (ner_resolve.c) and returns mentions; ner_resolve_corpus
 * unifies short person names across documents.
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
    snprintf(path, sizeof path, "%s/%s", data_dir, NER_TAGGER_FILE);
    struct ner_tagger *t = rc == 0 && tagger ? calloc(1, sizeof *t) : NULL;
    if (rc == 0 && tagger && (!t || ner_tagger_load(t, path, &e) < 0))
        rc = -1;
    if (rc == 0 && t && t->buf) {
        m->tagger = t;
        t = NULL;
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
                                 .confidence = c->conf};
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

/* A one-word PERSON name ("Trump") that is the last word of exactly one multi-word PERSON name in
 * the corpus ("Donald Trump") becomes that name; ambiguous ones stay per document. Full names are
 * numbered in `full` (name -> index into refs, which holds each one's first document and mention),
 * so any number of documents and mentions fits. */
#define NER_AMBIGUOUS UINT32_MAX

struct ner_ref {
    size_t doc, mention;
};

struct ner_refs {
    struct ner_ref *v;
    size_t n, cap;
};

static int ner_refs_push(struct ner_refs *r, size_t doc, size_t mention)
{
    if (r->n >= NER_AMBIGUOUS - 1)
        return -1;
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 256;
        struct ner_ref *v = realloc(r->v, nc * sizeof *v);
        if (!v)
            return -1;
        r->v = v;
        r->cap = nc;
    }
    r->v[r->n++] = (struct ner_ref){doc, mention};
    return 0;
}

static int ner_corpus_index(struct doc **docs, size_t n_docs, struct ner_map *last,
                            struct ner_map *full, struct ner_refs *refs)
{
    for (size_t i = 0; i < n_docs; i++) {
        for (size_t k = 0; docs[i] && k < docs[i]->n_mentions; k++) {
            const struct mention *mt = &docs[i]->mentions[k];
            const char *sp = mt->name ? strrchr(mt->name, ' ') : NULL;
            if (mt->type != ENTITY_PERSON || !sp)
                continue;
            uint32_t v, id;
            size_t n = strlen(mt->name);
            if (ner_map_get(full, mt->name, n, &v)) {
                id = v;
            } else {
                id = (uint32_t)refs->n;
                if (ner_refs_push(refs, i, k) < 0 || ner_map_put(full, mt->name, n, id, false) < 0)
                    return -1;
            }
            if (!ner_map_get(last, sp + 1, strlen(sp + 1), &v))
                v = id;
            else if (v != id)
                v = NER_AMBIGUOUS;
            if (ner_map_set(last, sp + 1, strlen(sp + 1), v) < 0)
                return -1;
        }
    }
    return 0;
}

void ner_resolve_corpus(const struct ner_model *m, struct doc **docs, size_t n_docs)
{
    struct ner_map last = {0}, full = {0};
    struct ner_refs refs = {0};
    (void)m;
    if (ner_corpus_index(docs, n_docs, &last, &full, &refs) == 0) {
        for (size_t i = 0; i < n_docs; i++) {
            for (size_t k = 0; docs[i] && k < docs[i]->n_mentions; k++) {
                struct mention *mt = &docs[i]->mentions[k];
                uint32_t v;
                if (mt->type != ENTITY_PERSON || !mt->name || strchr(mt->name, ' ') ||
                    !ner_map_get(&last, mt->name, strlen(mt->name), &v) || v == NER_AMBIGUOUS ||
                    v >= refs.n)
                    continue;
                const struct ner_ref *r = &refs.v[v];
                char *name = strdup(docs[r->doc]->mentions[r->mention].name);
                if (name) {
                    free(mt->name);
                    mt->name = name;
                }
            }
        }
    }
    free(refs.v);
    ner_map_free(&last);
    ner_map_free(&full);
}
