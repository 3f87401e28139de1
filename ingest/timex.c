/* timex.c — placeholder until the tagger lands: finds nothing. */
#include "timex.h"

#include <stdlib.h>

struct timex_tagger {
    int unused;
};

struct timex_tagger *timex_tagger_open(const char *data_dir, char **err)
{
    (void)data_dir;
    (void)err;
    return calloc(1, sizeof(struct timex_tagger));
}

void timex_tagger_close(struct timex_tagger *t)
{
    free(t);
}

int timex_tag(const struct timex_tagger *t, const char *text, size_t len,
              const struct span *sentences, size_t n_sentences, const char *dct,
              struct timex_expr **out, size_t *n_out)
{
    (void)t, (void)text, (void)len, (void)sentences, (void)n_sentences, (void)dct;
    *out = NULL;
    *n_out = 0;
    return 0;
}

bool timex_parse_date(const struct timex_tagger *t, const char *s, size_t len, char out[11],
                      enum date_precision *precision)
{
    (void)t, (void)s, (void)len, (void)out, (void)precision;
    return false;
}

bool timex_infer_published(const struct timex_tagger *t, const char *text, size_t len,
                           char out[11], enum date_precision *precision)
{
    (void)t, (void)text, (void)len, (void)out, (void)precision;
    return false;
}

bool timex_value_date(const char *value, char out[11], enum date_precision *precision)
{
    (void)value, (void)out, (void)precision;
    return false;
}
