/*
 * fuzz_clean.c — input repair (ingest/utf8.c), the page cleaner (ingest/clean.c) and the
 * sentence splitter (ingest/sentences.c) on arbitrary bytes.
 * Invariants: the repaired text is valid UTF-8 without NUL or CR; the clean text is valid
 * UTF-8 and every paragraph and sentence span lies inside it, in order.
 */
#include "fuzz_util.h"
#include "ingest/text/clean.h"
#include "ingest/text/sentences.h"
#include "base/utf8.h"
#include "base/wordlist.h"

static struct clean_rules *rules;
static struct wordlist *abbreviations;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char *err = NULL;
    if (!(rules = clean_rules_open(fuzz_data_dir(), &err)) ||
        !(abbreviations = wordlist_load(fuzz_data_dir(), "abbreviations.txt", false, &err))) {
        fprintf(stderr, "fuzz_clean: %s\n", err ? err : "cannot load the data");
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    size_t len = 0, repairs = 0;
    char *text = utf8_sanitize((const char *)data, size, &len, &repairs);
    FUZZ_CHECK(text != NULL);
    FUZZ_CHECK(strlen(text) == len);
    FUZZ_CHECK(utf8_valid(text, len));
    FUZZ_CHECK(strchr(text, '\r') == NULL);
    FUZZ_CHECK(utf8_count(text, len) <= len);

    struct clean_result cr;
    FUZZ_CHECK(clean_page(rules, text, len, size > 0 && (data[0] & 1), &cr) == 0);
    FUZZ_CHECK(cr.text_len == 0 || (cr.text && strlen(cr.text) == cr.text_len));
    if (cr.text) {
        FUZZ_CHECK(utf8_valid(cr.text, cr.text_len));
        fuzz_check_spans(cr.paragraphs, cr.n_paragraphs, cr.text_len);
        struct span *sent = NULL;
        size_t n = 0;
        FUZZ_CHECK(sentences_split(abbreviations, cr.text, cr.text_len, &sent, &n) == 0);
        fuzz_check_spans(sent, n, cr.text_len);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(i == 0 || sent[i - 1].end <= sent[i].start);
        free(sent);
    }
    if (cr.title)
        FUZZ_CHECK(utf8_valid(cr.title, strlen(cr.title)));
    clean_result_free(&cr);

    /* The splitter on the repaired text as is (not only on cleaned paragraphs). */
    struct span *sent = NULL;
    size_t n = 0;
    FUZZ_CHECK(sentences_split(abbreviations, text, len, &sent, &n) == 0);
    fuzz_check_spans(sent, n, len);
    free(sent);
    free(text);
    return 0;
}
