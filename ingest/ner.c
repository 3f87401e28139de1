/* ner.c — placeholder until the extractor lands: finds nothing. */
#include "ner.h"

#include <stdlib.h>

struct ner_model {
    int unused;
};

struct ner_model *ner_open(const char *data_dir, char **err)
{
    (void)data_dir;
    (void)err;
    return calloc(1, sizeof(struct ner_model));
}

void ner_close(struct ner_model *m)
{
    free(m);
}

int ner_extract(const struct ner_model *m, const char *text, size_t len,
                const struct span *sentences, size_t n_sentences, struct mention **out,
                size_t *n_out)
{
    (void)m, (void)text, (void)len, (void)sentences, (void)n_sentences;
    *out = NULL;
    *n_out = 0;
    return 0;
}

void ner_resolve_corpus(const struct ner_model *m, struct doc **docs, size_t n_docs)
{
    (void)m, (void)docs, (void)n_docs;
}
