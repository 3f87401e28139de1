/*
 * fuzz_ner.c — the entity extractor (ingest/ner*.c) on arbitrary repaired text, with and
 * without sentence spans. Invariants: mentions lie inside the text, are sorted and do not
 * overlap, and each has a non-empty valid UTF-8 name and a known type.
 */
#include "fuzz_util.h"
#include "ingest/doc.h"
#include "ingest/ner/ner.h"
#include "ingest/resolve/resolve.h"
#include "ingest/text/sentences.h"
#include "base/utf8.h"
#include "base/wordlist.h"

static struct ner_model *model;
static struct wordlist *abbreviations;
static struct resolve_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char *err = NULL;
    if (!(model = ner_open(fuzz_data_dir(), &err)) ||
        !(abbreviations = wordlist_load(fuzz_data_dir(), "abbreviations.txt", false, &err)) ||
        !(rules = resolve_open(fuzz_data_dir(), &err))) {
        fprintf(stderr, "fuzz_ner: %s\n", err ? err : "cannot load the data");
        exit(1);
    }
    return 0;
}

static void check(const char *text, size_t len, const struct mention *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(m[i].start < m[i].end && m[i].end <= len);
        FUZZ_CHECK(i == 0 || m[i - 1].start <= m[i].start);
        FUZZ_CHECK(m[i].type >= ENTITY_PERSON && m[i].type <= ENTITY_MISC);
        FUZZ_CHECK(m[i].name && *m[i].name && utf8_valid(m[i].name, strlen(m[i].name)));
        FUZZ_CHECK(!m[i].role || utf8_valid(m[i].role, strlen(m[i].role)));
    }
    (void)text;
}

static void free_mentions(struct mention *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].name);
        free(m[i].role);
        free(m[i].local_name);
        free(m[i].why);
    }
    free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 32768)
        return 0;
    size_t len = 0, repairs = 0;
    char *text = utf8_sanitize((const char *)data, size, &len, &repairs);
    FUZZ_CHECK(text != NULL);
    struct span *sent = NULL;
    size_t n_sent = 0;
    FUZZ_CHECK(sentences_split(abbreviations, text, len, &sent, &n_sent) == 0);

    struct mention *m = NULL;
    size_t n = 0;
    FUZZ_CHECK(ner_extract(model, text, len, sent, n_sent, &m, &n) == 0);
    check(text, len, m, n);

    /* Corpus-level resolution over two documents made from this text. */
    struct doc d[2] = {{0}, {0}};
    struct doc *docs[2] = {&d[0], &d[1]};
    for (int k = 0; k < 2; k++) {
        d[k].text = text;
        d[k].text_len = len;
        d[k].sentences = sent;
        d[k].n_sentences = n_sent;
    }
    d[0].mentions = m;
    d[0].n_mentions = n;
    FUZZ_CHECK(ner_extract(model, text, len, NULL, 0, &d[1].mentions, &d[1].n_mentions) == 0);
    check(text, len, d[1].mentions, d[1].n_mentions);
    FUZZ_CHECK(resolve_corpus(rules, docs, 2) == 0);
    check(text, len, d[0].mentions, d[0].n_mentions);
    check(text, len, d[1].mentions, d[1].n_mentions);
    free_mentions(d[0].mentions, d[0].n_mentions);
    free_mentions(d[1].mentions, d[1].n_mentions);
    free(sent);
    free(text);
    return 0;
}
