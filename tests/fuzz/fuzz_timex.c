/*
 * fuzz_timex.c — the temporal tagger and normaliser (ingest/timex*.c): tagging arbitrary text
 * against a document date taken from the input, parsing stated dates, inferring a publication
 * date, and mapping TIMEX3 values to calendar dates.
 * Invariants: expressions lie inside the text, sorted, with a NUL-terminated value; every date
 * written is "YYYY", "YYYY-MM" or "YYYY-MM-DD" with a matching precision.
 */
#include <ctype.h>

#include "fuzz_util.h"
#include "ingest/text/sentences.h"
#include "ingest/timex/timex.h"
#include "base/utf8.h"
#include "base/wordlist.h"

static struct timex_tagger *tagger;
static struct wordlist *abbreviations;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char *err = NULL;
    if (!(tagger = timex_tagger_open(fuzz_data_dir(), &err)) ||
        !(abbreviations = wordlist_load(fuzz_data_dir(), "abbreviations.txt", false, &err))) {
        fprintf(stderr, "fuzz_timex: %s\n", err ? err : "cannot load the data");
        exit(1);
    }
    return 0;
}

static void check_date(const char out[11], enum date_precision p)
{
    size_t n = strnlen(out, 11);
    FUZZ_CHECK(n < 11);
    FUZZ_CHECK((p == PRECISION_YEAR && n == 4) || (p == PRECISION_MONTH && n == 7) ||
               (p == PRECISION_DAY && n == 10));
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(i == 4 || i == 7 ? out[i] == '-' : isdigit((unsigned char)out[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 32768)
        return 0;
    /* The first bytes choose the document date: none, or a valid one of each precision. */
    static const char *const dcts[] = {NULL,         "2024-11-28", "2024-11",    "2024",
                                       "1999-12-31", "2025-02-29", "0000-01-01", "9999-12-31"};
    const char *dct = size ? dcts[data[0] % (sizeof dcts / sizeof *dcts)] : NULL;
    const uint8_t *body = size ? data + 1 : data;
    size_t body_len = size ? size - 1 : 0;

    size_t len = 0, repairs = 0;
    char *text = utf8_sanitize((const char *)body, body_len, &len, &repairs);
    FUZZ_CHECK(text != NULL);
    struct span *sent = NULL;
    size_t n_sent = 0;
    FUZZ_CHECK(sentences_split(abbreviations, text, len, &sent, &n_sent) == 0);
    struct timex_expr *t = NULL;
    size_t n = 0;
    FUZZ_CHECK(timex_tag(tagger, text, len, sent, n_sent, dct, &t, &n) == 0);
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(t[i].start < t[i].end && t[i].end <= len);
        FUZZ_CHECK(i == 0 || t[i - 1].start <= t[i].start);
        FUZZ_CHECK(t[i].type >= TIMEX_DATE && t[i].type <= TIMEX_SET);
        FUZZ_CHECK(memchr(t[i].value, '\0', sizeof t[i].value) != NULL);
        char out[11];
        enum date_precision p = PRECISION_NONE;
        if (timex_value_date(t[i].value, out, &p))
            check_date(out, p);
    }
    free(t);
    free(sent);

    char out[11];
    enum date_precision p = PRECISION_NONE;
    if (timex_infer_published(tagger, text, len, out, &p))
        check_date(out, p);
    /* A stated date ("Published: …" lines, JSONL `published`) is short: the first line. */
    size_t line = strcspn(text, "\n");
    if (line <= 256 && timex_parse_date(tagger, text, line, out, &p))
        check_date(out, p);
    if (timex_value_date(text, out, &p))
        check_date(out, p);
    free(text);
    return 0;
}
