/*
 * ner_tag.c — prints the entity mentions the extractor finds in a text (stdin), one per line:
 * "TYPE<TAB>confidence<TAB>start-end<TAB>surface<TAB>name[<TAB>role]". For looking at what the
 * tagger does on a sentence; offline tool, not linked into the server.
 *
 * usage: ner_tag [--data DIR] < text
 */
#include "ingest/ner/ner.h"
#include "ingest/text/sentences.h"
#include "base/grow.h"
#include "base/wordlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *data = argc > 2 && strcmp(argv[1], "--data") == 0 ? argv[2] : CORPUSD_DATA_DIR;
    char *err = NULL, *text = NULL;
    size_t len = 0, cap = 0, n;
    char buf[65536];
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        if (BASE_GROW(text, cap, len + n, sizeof buf) < 0)
            return 2;
        memcpy(text + len, buf, n);
        len += n;
    }
    if (!text)
        return 0;
    text[len] = '\0';
    struct wordlist *abbrev = wordlist_load(data, "abbreviations.txt", false, &err);
    struct ner_model *m = abbrev ? ner_open(data, &err) : NULL;
    if (!m) {
        fprintf(stderr, "ner_tag: %s\n", err ? err : "cannot load");
        return 1;
    }
    struct span *sents = NULL;
    struct mention *ms = NULL;
    size_t ns = 0, nm = 0;
    if (sentences_split(abbrev, text, len, &sents, &ns) < 0 ||
        ner_extract(m, text, len, sents, ns, &ms, &nm) < 0)
        return 1;
    for (size_t i = 0; i < nm; i++) {
        printf("%s\t%.2f\t%zu-%zu\t%.*s\t%s%s%s\n", entity_type_name(ms[i].type),
               (double)ms[i].confidence, ms[i].start, ms[i].end, (int)(ms[i].end - ms[i].start),
               text + ms[i].start, ms[i].name ? ms[i].name : "", ms[i].role ? "\t" : "",
               ms[i].role ? ms[i].role : "");
        free(ms[i].name);
        free(ms[i].role);
    }
    free(ms);
    free(sents);
    free(text);
    ner_close(m);
    wordlist_free(abbrev);
    return 0;
}
