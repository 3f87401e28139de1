/*
 * pipeline.c — one article from raw record to annotated struct doc, and the loaded models that
 * every stage needs (all immutable after ingest_open, so documents may be processed in parallel).
 */
#include "ingest/pipeline.h"

#include <ctype.h>
#include <malloc.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ner/ner.h"
#include "ingest/text/clean.h"
#include "ingest/text/dateline.h"
#include "ingest/text/decode.h"
#include "ingest/text/lines.h"
#include "ingest/resolve/resolve.h"
#include "ingest/text/sentences.h"
#include "ingest/resolve/dates.h"
#include "ingest/resolve/duplicates.h"
#include "ingest/timex/timex.h"
#include "base/utf8.h"
#include "base/wordlist.h"

struct ingest {
    struct clean_rules *clean;
    struct wordlist *abbreviations;
    struct wordlist *signoffs; /* wire agencies' sign-offs (wire_signoffs.txt) */
    struct ner_model *ner;
    struct timex_tagger *timex;
    struct dateline_rules *dateline;
    struct resolve_rules *resolve;
    unsigned threads; /* for corpus_load (ingest/parallel.c) */
};

void ingest_set_threads(struct ingest *ing, unsigned threads)
{
    ing->threads = threads ? threads : 1;
}

unsigned ingest_threads(const struct ingest *ing)
{
    return ing->threads ? ing->threads : 1;
}

struct ingest *ingest_open(const char *data_dir, char **err)
{
    struct ingest *ing = calloc(1, sizeof *ing);
    if (!ing)
        return NULL;
    if (!(ing->clean = clean_rules_open(data_dir, err)) ||
        !(ing->abbreviations = wordlist_load(data_dir, "abbreviations.txt", false, err)) ||
        !(ing->signoffs = wordlist_load(data_dir, "wire_signoffs.txt", true, err)) ||
        !(ing->ner = ner_open(data_dir, err)) || !(ing->timex = timex_tagger_open(data_dir, err)) ||
        !(ing->dateline = dateline_rules_open(data_dir, err)) ||
        !(ing->resolve = resolve_open(data_dir, err))) {
        ingest_close(ing);
        return NULL;
    }
    return ing;
}

void ingest_close(struct ingest *ing)
{
    if (!ing)
        return;
    clean_rules_close(ing->clean);
    wordlist_free(ing->abbreviations);
    wordlist_free(ing->signoffs);
    ner_close(ing->ner);
    timex_tagger_close(ing->timex);
    dateline_rules_close(ing->dateline);
    resolve_close(ing->resolve);
    free(ing);
}

/* Blanks text[start, end) in the view (copied from d->text on first use), keeping newlines so
 * offsets and lines hold. false when the copy cannot be made. */
static bool blank_in_view(const struct doc *d, char **view, size_t start, size_t end)
{
    if (!*view && !(*view = strndup(d->text, d->text_len)))
        return false;
    for (size_t k = start; k < end; k++)
        if ((*view)[k] != '\n')
            (*view)[k] = ' ';
    return true;
}

/* Where text[a, b) ends once trailing dots, white space and telex control characters in caret
 * notation ("^M", a carriage return kept as two characters) are cut. */
static size_t trim_signoff_tail(const char *text, size_t a, size_t b)
{
    for (;;) {
        if (b > a && (text[b - 1] == ' ' || text[b - 1] == '\n' || text[b - 1] == '\r' ||
                      text[b - 1] == '.'))
            b--;
        else if (b >= a + 2 && text[b - 2] == '^' && text[b - 1] >= '@' && text[b - 1] <= '_')
            b -= 2;
        else
            return b;
    }
}

/* Where the word ending at b starts (letters, digits, hyphens). */
static size_t word_start(const char *text, size_t a, size_t b)
{
    while (b > a && (isalnum((unsigned char)text[b - 1]) || text[b - 1] == '-'))
        b--;
    return b;
}

/* A wire story's last line is often its agency's sign-off ("Reuter"): a credit, not a name the
 * story mentions. It may carry an operator's initials ("REUTER AB") and telex debris ("^M",
 * "..."), and stands on a line of its own, after a wide gap (at the end of a table) or, in
 * capitals, right after the last figure or ticker. Returns
 * where the sign-off starts in the last sentence s, or SIZE_MAX when there is none. */
static size_t signoff_start(const struct ingest *ing, const struct doc *d, const struct span *s)
{
    const char *t = d->text;
    size_t b = trim_signoff_tail(t, s->start, s->end), w = word_start(t, s->start, b);
    if (w < b && b - w <= 3 && w > s->start && t[w - 1] == ' ') { /* operator's initials */
        bool caps = true;
        for (size_t k = w; k < b; k++)
            caps &= isupper((unsigned char)t[k]) != 0;
        size_t b2 = w;
        while (b2 > s->start && t[b2 - 1] == ' ')
            b2--;
        size_t w2 = word_start(t, s->start, b2);
        if (caps && w2 < b2 && wordlist_has(ing->signoffs, t + w2, b2 - w2)) {
            b = b2;
            w = w2;
        }
    }
    if (w >= b || !wordlist_has(ing->signoffs, t + w, b - w))
        return SIZE_MAX;
    size_t gap = 0;
    while (w - gap > s->start && t[w - gap - 1] == ' ')
        gap++;
    if (w - gap == s->start || t[w - gap - 1] == '\n' || gap >= 3)
        return w;
    /* run on after the story's last figure or ticker: "... (19.6) REUTER", "<XYZ.L> REUTER";
     * after a word it is the story's own ("... told AFP") */
    bool caps = true;
    for (size_t k = w; k < b; k++)
        caps &= !islower((unsigned char)t[k]);
    char before = t[w - gap - 1];
    return gap && caps && !isalpha((unsigned char)before) ? w : SIZE_MAX;
}

/* The text the extractors read: the article's own script only, without the wire sign-off. A
 * line of Korean navigation left in an English text is stored, but blanked (same length, so
 * offsets hold) in the copy the English extractors read. NULL when nothing is blanked; *oom on
 * failure. */
static char *extractor_view(const struct ingest *ing, const struct doc *d, bool *oom)
{
    *oom = false;
    enum script main_script = lines_script(d->text, d->text_len);
    char *view = NULL;
    for (size_t i = 0; i < d->n_sentences; i++) {
        const struct span *s = &d->sentences[i];
        enum script sc = lines_script(d->text + s->start, s->end - s->start);
        size_t from = s->start;
        bool blank = sc != SCRIPT_NONE && sc != main_script;
        if (!blank && i + 1 == d->n_sentences && (from = signoff_start(ing, d, s)) != SIZE_MAX)
            blank = true;
        if (blank && !blank_in_view(d, &view, from, s->end)) {
            *oom = true;
            return NULL;
        }
    }
    return view;
}

int ingest_annotate(const struct ingest *ing, struct doc *d, const char *dct)
{
    if (sentences_split(ing->abbreviations, d->text, d->text_len, &d->sentences, &d->n_sentences) <
        0)
        return -1;
    bool oom;
    char *view = extractor_view(ing, d, &oom);
    const char *text = view ? view : d->text;
    int rc = oom ? -1 : 0;
    if (rc == 0)
        rc = ner_extract(ing->ner, text, d->text_len, d->sentences, d->n_sentences, &d->mentions,
                         &d->n_mentions);
    if (rc == 0)
        rc = timex_tag(ing->timex, text, d->text_len, d->sentences, d->n_sentences, dct,
                       &d->timexes, &d->n_timexes);
    free(view);
    return rc;
}

int ingest_load_entity_overrides(struct ingest *ing, const char *path, char **err)
{
    return resolve_load_overrides(ing->resolve, path, err);
}

struct link_job {
    struct doc *const *docs;
    size_t n;
    size_t *links;
};

static void *link_thread(void *arg)
{
    struct link_job *j = arg;
    j->links = duplicates_link(j->docs, j->n);
    /* the texts' shingles were this thread's arena: back to the system before the store grows
     * (kept, they raised the build's peak by ~8 MB on Reuters) */
    malloc_trim(0);
    return NULL;
}

int ingest_finish_corpus(const struct ingest *ing, struct doc **docs, size_t n_docs)
{
    /* The near-duplicate pairs read only the texts and the dates known to the day, which
     * resolution does not touch: with two threads they are found beside it (the other core was
     * idle through the corpus passes: bench/RESULTS.md). */
    struct link_job job = {docs, n_docs, NULL};
    pthread_t thread;
    bool threaded =
        ingest_threads(ing) > 1 && pthread_create(&thread, NULL, link_thread, &job) == 0;
    int rc = resolve_corpus(ing->resolve, docs, n_docs);
    if (threaded)
        pthread_join(thread, NULL);
    else if (rc == 0)
        link_thread(&job);
    /* after the names are resolved: undated pages take a month from events others date */
    if (rc == 0)
        rc = dates_infer_corpus(ing->timex, docs, n_docs) < 0 ? -1 : 0;
    /* each group's representative by the dates as they now are (inferred months included) */
    if (rc == 0)
        return duplicates_mark(docs, n_docs, job.links) < 0 ? -1 : 0;
    free(job.links);
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

/* A title when the page has no headline: the first sentence, cut at a word near 100 bytes. */
static char *title_from_lead(const struct doc *d)
{
    if (d->n_sentences == 0)
        return NULL;
    const char *s = d->text + d->sentences[0].start;
    size_t len = d->sentences[0].end - d->sentences[0].start;
    if (len <= 120)
        return strndup(s, len);
    size_t cut = 100;
    while (cut > 40 && s[cut] != ' ')
        cut--;
    while (cut > 0 && (s[cut - 1] == ',' || s[cut - 1] == ' '))
        cut--;
    char *t = malloc(cut + 4);
    if (t) {
        memcpy(t, s, cut);
        memcpy(t + cut, "\xE2\x80\xA6", 4); /* … and NUL */
    }
    return t;
}

/* The lead: whole first sentences up to ~300 bytes (at least one). */
static char *summary_from_lead(const struct doc *d)
{
    if (d->n_sentences == 0)
        return NULL;
    size_t end = d->sentences[0].end;
    for (size_t i = 1; i < d->n_sentences && d->sentences[i].end - d->sentences[0].start <= 300;
         i++)
        end = d->sentences[i].end;
    return strndup(d->text + d->sentences[0].start, end - d->sentences[0].start);
}

/* The document's word_count as the API serves it: runs of non-space bytes, as `wc -w` counts them
 * (punctuation and numbers included). The cleaning rules count letter runs instead
 * (lines_count_letter_words): a separator line "A | B" is 3 here and 2 there. */
static size_t count_whitespace_words(const char *s, size_t len)
{
    size_t n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool w = !isspace((unsigned char)s[i]);
        n += w && !in;
        in = w;
    }
    return n;
}

/* Dates in the text, plus the headline and photo captions above it (dropped from the text but
 * dated: "… gala dinner in Gyeongju, Oct. 31"). A later copyright year beats a year-only guess:
 * the page cannot be older than its copyright notice. */
static bool infer_from_page(const struct ingest *ing, struct doc *d, const struct clean_result *cr)
{
    size_t head_len = cr->head ? strlen(cr->head) : 0;
    char *evidence = malloc(head_len + d->text_len + 2);
    if (!evidence)
        return false;
    memcpy(evidence, cr->head ? cr->head : "", head_len);
    evidence[head_len] = '\n';
    memcpy(evidence + head_len + 1, d->text, d->text_len + 1);
    bool found = timex_infer_published(ing->timex, evidence, head_len + 1 + d->text_len,
                                       d->published, &d->published_precision);
    free(evidence);
    if (found && cr->copyright_year > atoi(d->published) && cr->copyright_year < 10000) {
        snprintf(d->published, sizeof d->published, "%04d", cr->copyright_year % 10000);
        d->published_precision = PRECISION_YEAR;
    }
    return found;
}

/* ---- one record ------------------------------------------------------------------------ */

const char *ingest_warning_name(enum ingest_warning_kind k)
{
    static const char *const names[WARN_KIND_COUNT] = {
        "transcoded", "invalid_utf8", "control_bytes", "no_article_found", "empty_text",
        "unreadable", "empty_file",   "binary",        "invalid_json",     "no_text_field",
        "invalid_id", "duplicate_id", "out_of_memory", "file_name"};
    return (unsigned)k < WARN_KIND_COUNT ? names[k] : "other";
}

static void warn(struct ingest_warnings *w, enum ingest_warning_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void warn(struct ingest_warnings *w, enum ingest_warning_kind kind, const char *fmt, ...)
{
    if (w->n >= WARN_KIND_COUNT)
        return;
    w->items[w->n].kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->items[w->n].msg, sizeof w->items[w->n].msg, fmt, ap);
    va_end(ap);
    w->n++;
}

/* The dateline's date: its own year, else the year of the given publication date, else of the
 * file's other records, else the year the text mentions most. *year_inferred when the dateline
 * did not say. */
static bool dateline_date(struct doc *d, const struct dateline *dl, const char *given_year,
                          int context_year, bool *year_inferred)
{
    if (!dl->month || !dl->day)
        return false;
    int year = dl->year                             ? dl->year
               : given_year && atoi(given_year) > 0 ? atoi(given_year)
               : context_year                       ? context_year
                                                    : text_likely_year(d->text, d->text_len);
    if (year <= 0)
        return false;
    char date[32];
    snprintf(date, sizeof date, "%04d-%02d-%02d", year % 10000, dl->month % 100, dl->day % 100);
    memcpy(d->dateline_date, date, sizeof d->dateline_date - 1);
    *year_inferred = dl->year == 0;
    return true;
}

/* Publication date: a given field wins, then a date the page states, then the dateline, then
 * inference from the text. */
static void resolve_published(const struct ingest *ing, struct doc *d, const struct raw_record *rec,
                              const struct clean_result *cr, const struct dateline *dl)
{
    const char *given = rec->published;
    bool year_inferred = false;
    bool dated = dl && dateline_date(d, dl, given, rec->context_year, &year_inferred);
    if (given &&
        timex_parse_date(ing->timex, given, strlen(given), d->published, &d->published_precision))
        return;
    if (cr->published_raw &&
        timex_parse_date(ing->timex, cr->published_raw, strlen(cr->published_raw), d->published,
                         &d->published_precision))
        return;
    if (dated) {
        memcpy(d->published, d->dateline_date, sizeof d->published);
        d->published_precision = PRECISION_DAY;
        d->published_inferred = year_inferred;
        return;
    }
    d->published_inferred = true;
    if (infer_from_page(ing, d, cr))
        return;
    if (cr->copyright_year) {
        snprintf(d->published, sizeof d->published, "%04d", cr->copyright_year % 10000);
        d->published_precision = PRECISION_YEAR;
        return;
    }
    d->published[0] = '\0';
    d->published_precision = PRECISION_NONE;
    d->published_inferred = false; /* nothing was inferred: the date is unknown */
}

/* The dateline's place is a LOC mention like any other (replacing what the tagger made of the
 * capitals there), so it is linked to the same entity as the place elsewhere; its type is fixed:
 * a team named after the city in other stories does not make the dateline a team. */
static int add_place_mention(struct doc *d, const struct dateline *dl)
{
    size_t keep = 0, at = 0;
    for (size_t i = 0; i < d->n_mentions; i++) {
        struct mention *m = &d->mentions[i];
        if (m->start < dl->place_end && m->end > dl->place_start) {
            free(m->name);
            free(m->role);
            free(m->local_name);
            free(m->why);
            continue;
        }
        d->mentions[keep++] = *m;
    }
    struct mention *nm = realloc(d->mentions, (keep + 1) * sizeof *nm);
    char *name = strdup(dl->place);
    if (!nm || !name) {
        free(name);
        if (nm)
            d->mentions = nm;
        d->n_mentions = keep;
        return -1;
    }
    while (at < keep && nm[at].start < dl->place_start)
        at++;
    memmove(nm + at + 1, nm + at, (keep - at) * sizeof *nm);
    nm[at] = (struct mention){.start = dl->place_start,
                              .end = dl->place_end,
                              .type = ENTITY_LOC,
                              .name = name,
                              .fixed_type = true};
    d->mentions = nm;
    d->n_mentions = keep + 1;
    return 0;
}

/* Moves the cleaner's results into d (title, source and text; captions; set-aside spans). */
static void take_clean_result(struct doc *d, const struct raw_record *rec, struct clean_result *cr)
{
    d->title = rec->title ? strdup(rec->title) : cr->title;
    cr->title = rec->title ? cr->title : NULL;
    d->source = rec->source ? strdup(rec->source) : cr->source;
    cr->source = rec->source ? cr->source : NULL;
    d->text = cr->text;
    d->text_len = cr->text_len;
    d->paragraphs = cr->paragraphs;
    d->n_paragraphs = cr->n_paragraphs;
    d->set_aside = cr->set_aside;
    d->n_set_aside = cr->n_set_aside;
    d->captions = cr->captions;
    d->n_captions = cr->n_captions;
    cr->text = NULL, cr->paragraphs = NULL, cr->set_aside = NULL, cr->captions = NULL;
    cr->n_set_aside = cr->n_captions = 0;
}

/* Cleans the decoded text by the record's mode; a scraped page in which cleaning finds no
 * article keeps all of it. */
static int clean_record(const struct ingest *ing, const struct raw_record *rec,
                        const struct decoded *dec, struct clean_result *cr,
                        struct ingest_warnings *w)
{
    if (rec->given_text)
        return clean_given(dec->text, dec->len, cr);
    if (clean_page_counted(ing->clean, dec->text, dec->len, rec->title == NULL, rec->templates,
                           rec->source, cr) < 0)
        return -1;
    if (cr->text_len > 0 || !lines_has_letter(dec->text, dec->len))
        return 0;
    warn(w, WARN_NO_ARTICLE, "cleaning found no article text; the whole page is kept");
    clean_result_free(cr);
    return clean_given(dec->text, dec->len, cr);
}

static struct doc *build_doc(const struct ingest *ing, const struct raw_record *rec,
                             struct decoded *dec, struct ingest_warnings *w)
{
    struct clean_result cr;
    if (clean_record(ing, rec, dec, &cr, w) < 0)
        return NULL;
    struct doc *d = calloc(1, sizeof *d);
    if (!d) {
        clean_result_free(&cr);
        return NULL;
    }
    d->id = strdup(rec->id);
    d->path = dup_or_null(rec->path);
    d->url = dup_or_null(rec->url);
    d->language = strdup(rec->language ? rec->language : "en");
    d->encoding = text_decode_note(dec);
    take_clean_result(d, rec, &cr);
    d->original = dec->text;
    d->original_len = dec->len;
    dec->text = NULL;
    struct dateline dl;
    bool has_dateline = dateline_find(ing->dateline, d->text, d->text_len, &dl);
    resolve_published(ing, d, rec, &cr, has_dateline ? &dl : NULL);
    clean_result_free(&cr);
    const char *dct = d->published[0] ? d->published : NULL;
    if (!d->id || !d->language || ingest_annotate(ing, d, dct) < 0 ||
        byline_authors(ing->dateline, d->text, d->text_len, &d->authors, &d->n_authors) < 0 ||
        (has_dateline && (!(d->place = strdup(dl.place)) || add_place_mention(d, &dl) < 0))) {
        doc_free(d);
        return NULL;
    }
    if (has_dateline)
        d->dateline = (struct span){dl.start, dl.end};
    if (!d->title)
        d->title = title_from_lead(d);
    d->summary = summary_from_lead(d);
    d->word_count = count_whitespace_words(d->text, d->text_len);
    return d;
}

struct doc *ingest_record(const struct ingest *ing, const struct raw_record *rec,
                          struct ingest_warnings *w)
{
    w->n = 0;
    struct decoded dec;
    if (text_decode(rec->raw, rec->raw_len, &dec) < 0) {
        warn(w, WARN_OUT_OF_MEMORY, "out of memory; record skipped");
        return NULL;
    }
    if (dec.transcoded)
        warn(w, WARN_TRANSCODED, "not UTF-8: transcoded %zu byte(s) from Windows-1252",
             dec.legacy_bytes);
    if (dec.replaced)
        warn(w, WARN_INVALID_UTF8, "repaired %zu invalid UTF-8 byte(s) (now U+FFFD)", dec.replaced);
    if (dec.control_bytes)
        warn(w, WARN_CONTROL_BYTES, "dropped %zu NUL or control byte(s)", dec.control_bytes);
    struct doc *d = build_doc(ing, rec, &dec, w);
    free(dec.text);
    if (!d)
        warn(w, WARN_OUT_OF_MEMORY, "out of memory; record skipped");
    else if (d->text_len == 0)
        warn(w, WARN_EMPTY_TEXT, "the record has no text; loaded with its title only");
    return d;
}

struct doc *ingest_document(const struct ingest *ing, const struct raw_record *rec, char **warning)
{
    struct ingest_warnings w;
    struct doc *d = ingest_record(ing, rec, &w);
    *warning = NULL;
    if (w.n == 0)
        return d;
    size_t total = 1;
    for (size_t i = 0; i < w.n; i++)
        total += strlen(w.items[i].msg) + 2;
    if ((*warning = malloc(total)) != NULL) {
        (*warning)[0] = '\0';
        for (size_t i = 0; i < w.n; i++) {
            if (i)
                strcat(*warning, "; ");
            strcat(*warning, w.items[i].msg);
        }
    }
    return d;
}

int ingest_count_template(const struct ingest *ing, const struct raw_record *rec,
                          struct template_counts *counts)
{
    if (rec->given_text)
        return 0;
    struct decoded dec;
    if (text_decode(rec->raw, rec->raw_len, &dec) < 0)
        return -1;
    int rc = clean_count_page(ing->clean, dec.text, dec.len, rec->source, counts);
    free(dec.text);
    return rc;
}
