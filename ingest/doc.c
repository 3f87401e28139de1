/* doc.c — lifetime of struct doc and the names of its enums. */
#include "ingest/doc.h"

#include <stdlib.h>
#include <string.h>

void doc_free(struct doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_mentions; i++) {
        free(d->mentions[i].name);
        free(d->mentions[i].role);
        free(d->mentions[i].local_name);
        free(d->mentions[i].why);
    }
    free(d->mentions);
    if (d->published_evidence) {
        free(d->published_evidence->document_id);
        free(d->published_evidence->phrase);
        free(d->published_evidence->source_text);
        free(d->published_evidence);
    }
    for (size_t i = 0; i < d->n_authors; i++)
        free(d->authors[i]);
    free(d->authors);
    for (size_t i = 0; i < d->n_captions; i++)
        free(d->captions[i]);
    free(d->captions);
    free(d->place);
    free(d->original);
    free(d->set_aside);
    free(d->summary);
    free(d->duplicate_of);
    free(d->timexes);
    free(d->sentences);
    free(d->paragraphs);
    free(d->text);
    free(d->language);
    free(d->url);
    free(d->source);
    free(d->title);
    free(d->path);
    free(d->id);
    free(d);
}

const char *const entity_type_names[ENTITY_TYPE_COUNT + 1] = {"PERSON", "ORG", "LOC", "MISC", NULL};
const char *const entity_type_slugs[ENTITY_TYPE_COUNT] = {"person", "org", "loc", "misc"};

int entity_type_parse(const char *s)
{
    for (int t = 0; t < ENTITY_TYPE_COUNT; t++)
        if (strcmp(s, entity_type_names[t]) == 0)
            return t;
    return -1;
}

const char *entity_type_name(enum entity_type t)
{
    return (unsigned)t < ENTITY_TYPE_COUNT ? entity_type_names[t] : "MISC";
}

const char *timex_type_name(enum timex_type t)
{
    static const char *const names[] = {"DATE", "TIME", "DURATION", "SET"};
    return (unsigned)t < 4 ? names[t] : "DATE";
}

const char *date_precision_name(enum date_precision p)
{
    switch (p) {
    case PRECISION_DAY:
        return "day";
    case PRECISION_MONTH:
        return "month";
    case PRECISION_YEAR:
        return "year";
    default:
        return NULL;
    }
}

const char *set_aside_reason_name(enum set_aside_reason r)
{
    static const char *const names[ASIDE_REASON_COUNT] = {
        "navigation", "template", "promotion", "copyright", "link_list",    "inline_link", "credit",
        "caption",    "headline", "metadata",  "duplicate", "other_script", "no_text"};
    return (unsigned)r < ASIDE_REASON_COUNT ? names[r] : "other";
}
