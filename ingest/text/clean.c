/*
 * clean.c — setting a scraped page's chrome aside, line by line, each with its reason.
 *
 * A page is read as logical lines (hard-wrapped wire text is reflowed first, keeping offsets).
 * A line is kept unless there is evidence against it:
 *   form      interface labels and navigation bars (boilerplate_ui.txt), promotion and legal
 *             lines (boilerplate_promo.txt), copyright notices, credits ("Photo: …"), headings
 *             that open a link list and the links under them (boilerplate_headings.txt), a
 *             sentence-case headline standing between two paragraphs (a link to another story),
 *             lines in another script than the page, lines without letters or digits;
 *   place     lines above the headline (the masthead and menus), a caption above the article;
 *   metadata  "Published: …" and publisher lines, kept as the document's metadata;
 *   repetition a line most pages of the same source carry (template_counts).
 * Length alone is never evidence: a dateline, a subheading, a table row or a score line stays.
 */
#include "ingest/text/clean.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/text/clean_internal.h"
#include "ingest/text/source.h"

/* ---- evidence from the whole page ------------------------------------------------------ */

static void collect_metadata(const struct clean_rules *r, struct cline *c, size_t n,
                             const struct line *lines, struct clean_result *out)
{
    for (size_t i = 0; i < n; i++) {
        if (c[i].kind == LINE_BLANK)
            continue;
        if (!out->published_raw && (out->published_raw = clean_published_value(r, &c[i].l)))
            c[i].reason = ASIDE_METADATA;
        if (!out->copyright_year)
            out->copyright_year = source_copyright_year(c[i].l.s, c[i].l.len);
    }
    size_t at = 0;
    out->source = clean_find_source(r, lines, n, &at);
    /* The line naming the publisher ("The author is a reporter with …") is metadata. */
    if (out->source && c[at].reason == KEPT)
        c[at].reason = ASIDE_METADATA;
}

/* Lines most pages of this source carry. A prose line needs three pages: two pages sharing a
 * paragraph are more likely a story and its update than a template. */
static void mark_template(struct cline *c, size_t n, const struct template_counts *counts,
                          const char *key)
{
    uint32_t pages = template_counts_pages(counts, key);
    if (pages < 2)
        return;
    for (size_t i = 0; i < n; i++) {
        if (c[i].kind == LINE_BLANK || c[i].reason != KEPT)
            continue;
        uint32_t k = template_counts_line(counts, key, c[i].l.s, c[i].l.len);
        if (k >= 2 && 2 * k >= pages && (c[i].kind != LINE_PROSE || k >= 3)) {
            c[i].reason = ASIDE_TEMPLATE;
            c[i].repeats = k;
        }
    }
}

static size_t first_kept_prose(const struct cline *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].kind == LINE_PROSE && c[i].reason == KEPT)
            return i;
    return n;
}

/* The headline: the first kept short line of headline shape before the first prose line. What
 * stands above it is the masthead and the menus. */
/* A headline: four words or more, or a shorter first line standing alone ("CORN SPREADS"
 * above a blank line); not a caption, not a table row (column gaps, dot leaders, mostly
 * digits). */
static bool headline_shaped(const struct cline *c, size_t n, size_t i)
{
    const struct line *l = &c[i].l;
    bool first_alone = i + 1 < n && c[i + 1].kind == LINE_BLANK;
    for (size_t j = 0; j < i && first_alone; j++)
        first_alone = c[j].kind == LINE_BLANK;
    if (l->words < (first_alone ? 2 : 4) || clean_ends_with_credit(l->s, l->len) ||
        memmem(l->s, l->len, "   ", 3) || memmem(l->s, l->len, "...", 3))
        return false;
    size_t digits = 0;
    for (size_t k = 0; k < l->len; k++)
        digits += isdigit((unsigned char)l->s[k]) != 0;
    return digits * 3 < l->len;
}

static ptrdiff_t mark_title(struct cline *c, size_t n)
{
    size_t stop = first_kept_prose(c, n);
    for (size_t i = 0; i < stop; i++) {
        if (c[i].kind == LINE_BLANK || c[i].reason != KEPT)
            continue;
        if (c[i].l.words > 25)
            return -1; /* the article has begun: there is no headline above it */
        if (!headline_shaped(c, n, i))
            continue;
        /* Menus and labels above it; a longer line there would be text, and stays. */
        for (size_t j = 0; j < i; j++)
            if (c[j].kind != LINE_BLANK && c[j].reason == KEPT && c[j].l.words <= 8)
                c[j].reason = ASIDE_NAVIGATION;
        c[i].reason = ASIDE_HEADLINE;
        return (ptrdiff_t)i;
    }
    return -1;
}

static int add_caption(struct clean_result *out, const struct line *l)
{
    char **nc = realloc(out->captions, (out->n_captions + 1) * sizeof *nc);
    if (!nc)
        return -1;
    out->captions = nc;
    if (!(nc[out->n_captions] = strndup(l->s, l->len)))
        return -1;
    out->n_captions++;
    return 0;
}

/* Above the article: a caption ends with a bare credit ("… Oct. 31. Yonhap"); a line that
 * starts with the headline repeats it (a caption under the headline's photo). */
static int mark_captions(struct cline *c, size_t n, ptrdiff_t title, struct clean_result *out)
{
    bool seen_text = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i].kind == LINE_BLANK || c[i].reason != KEPT)
            continue;
        const struct line *l = &c[i].l;
        if (title >= 0 && l->len >= c[title].l.len &&
            memcmp(l->s, c[title].l.s, c[title].l.len) == 0) {
            c[i].reason = ASIDE_HEADLINE;
        } else if (!seen_text && clean_ends_with_credit(l->s, l->len)) {
            c[i].reason = ASIDE_CAPTION;
            if (add_caption(out, l) < 0)
                return -1;
        }
        seen_text |= c[i].reason == KEPT;
    }
    return 0;
}

/* The links under a link-list heading, up to the next long paragraph. */
static void mark_link_lists(struct cline *c, size_t n)
{
    bool in_list = false;
    for (size_t i = 0; i < n; i++) {
        if (c[i].heading) {
            in_list = true;
            continue;
        }
        if (c[i].kind == LINE_BLANK || !in_list)
            continue;
        if (c[i].kind == LINE_PROSE && c[i].l.words >= 25) {
            in_list = false;
            continue;
        }
        if (c[i].reason == KEPT)
            c[i].reason = ASIDE_LINK_LIST;
    }
}

/* The nearest kept line before (step -1) or after (step 1) line i: what a reader sees next to
 * it once the chrome is gone. */
static const struct cline *neighbour(const struct cline *c, size_t n, size_t i, int step)
{
    for (ptrdiff_t j = (ptrdiff_t)i + step; j >= 0 && (size_t)j < n; j += step)
        if (c[j].kind != LINE_BLANK && c[j].reason == KEPT)
            return &c[j];
    return NULL;
}

/* A sentence-case headline standing alone between two paragraphs links to another story. */
static void mark_inline(struct cline *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (c[i].reason != KEPT || c[i].kind != LINE_SHORT || c[i].l.words < 5 ||
            c[i].l.words > 20 || memchr(c[i].l.s, ',', c[i].l.len) ||
            !lines_sentence_case_headline(c[i].l.s, c[i].l.len))
            continue;
        const struct cline *p = neighbour(c, n, i, -1), *q = neighbour(c, n, i, 1);
        bool alone = i > 0 && i + 1 < n && c[i - 1].kind == LINE_BLANK &&
                     c[i + 1].kind == LINE_BLANK; /* a paragraph of its own */
        if (alone && p && q && p->kind == LINE_PROSE && p->reason == KEPT &&
            q->kind == LINE_PROSE && q->reason == KEPT && !islower((unsigned char)q->l.s[0]))
            c[i].reason = ASIDE_INLINE_LINK;
    }
}

/* ---- assembly -------------------------------------------------------------------------- */

/* The short lines above the first prose line, joined by newlines. */
static char *collect_head(const struct cline *c, size_t n)
{
    size_t total = 1, i;
    for (i = 0; i < n && c[i].kind != LINE_PROSE; i++)
        total += c[i].kind == LINE_SHORT ? c[i].l.len + 1 : 0;
    char *head = malloc(total), *o = head;
    if (!head)
        return NULL;
    for (i = 0; i < n && c[i].kind != LINE_PROSE; i++) {
        if (c[i].kind != LINE_SHORT)
            continue;
        memcpy(o, c[i].l.s, c[i].l.len);
        o += c[i].l.len;
        *o++ = '\n';
    }
    *o = '\0';
    return head;
}

/* The kept lines as paragraphs; the others as set-aside spans (runs of lines with one reason
 * merged), in offsets of base. */
static int assemble(const struct cline *c, size_t n, const char *base, size_t total,
                    struct clean_result *out)
{
    size_t np = 0, na = 0;
    for (size_t i = 0; i < n; i++) {
        np += c[i].kind != LINE_BLANK && c[i].reason == KEPT;
        na += c[i].kind != LINE_BLANK && c[i].reason != KEPT;
    }
    out->text = malloc(total + 2 * n + 1);
    out->paragraphs = malloc((np ? np : 1) * sizeof *out->paragraphs);
    out->set_aside = malloc((na ? na : 1) * sizeof *out->set_aside);
    if (!out->text || !out->paragraphs || !out->set_aside)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const struct cline *l = &c[i];
        if (l->kind == LINE_BLANK)
            continue;
        if (l->reason != KEPT) {
            size_t start = (size_t)(l->l.s - base), end = start + l->l.len;
            struct set_aside *last = out->n_set_aside ? &out->set_aside[out->n_set_aside - 1] : 0;
            if (last && (int)last->reason == l->reason && last->repeats == l->repeats &&
                c[i - 1].reason == l->reason)
                last->end = end; /* the same run continues */
            else
                out->set_aside[out->n_set_aside++] =
                    (struct set_aside){start, end, (enum set_aside_reason)l->reason, l->repeats};
            out->dropped_lines++;
            continue;
        }
        if (o) {
            memcpy(out->text + o, "\n\n", 2);
            o += 2;
        }
        memcpy(out->text + o, l->l.s, l->l.len);
        out->paragraphs[out->n_paragraphs++] = (struct span){o, o + l->l.len};
        o += l->l.len;
    }
    out->text[o] = '\0';
    out->text_len = o;
    return 0;
}

/* Reflows a hard-wrapped text into a copy (same offsets) and splits it into lines. */
static struct line *page_lines(const char *s, size_t len, char **buf, size_t *n)
{
    if (!(*buf = malloc(len + 1)))
        return NULL;
    if (lines_hard_wrapped(s, len))
        lines_reflow(s, len, *buf);
    else
        memcpy(*buf, s, len), (*buf)[len] = '\0';
    struct line *lines = lines_split(*buf, len, n);
    if (!lines) {
        free(*buf);
        *buf = NULL;
    }
    return lines;
}

int clean_page_counted(const struct clean_rules *r, const char *s, size_t len, bool find_title,
                       const struct template_counts *counts, const char *given_source,
                       struct clean_result *out)
{
    memset(out, 0, sizeof *out);
    char *buf;
    size_t n;
    struct line *lines = page_lines(s, len, &buf, &n);
    struct cline *c = lines ? calloc(n ? n : 1, sizeof *c) : NULL;
    if (!c) {
        free(lines);
        free(buf);
        return -1;
    }
    enum script page_script = lines_script(buf, len);
    for (size_t i = 0; i < n; i++) {
        c[i].l = lines[i];
        clean_classify(r, &c[i], page_script);
    }
    collect_metadata(r, c, n, lines, out);
    if (counts) {
        const char *key = given_source ? given_source : out->source ? out->source : "";
        mark_template(c, n, counts, key);
        /* Pages share their template around content of their own. A page with no prose left
         * is a copy of another page: its repeated lines are its article, not a template. */
        if (first_kept_prose(c, n) == n)
            for (size_t i = 0; i < n; i++)
                if (c[i].reason == ASIDE_TEMPLATE)
                    c[i].reason = KEPT, c[i].repeats = 0;
    }
    ptrdiff_t title = find_title ? mark_title(c, n) : -1;
    int rc = -1;
    if ((title < 0 || (out->title = strndup(c[title].l.s, c[title].l.len))) &&
        mark_captions(c, n, title, out) == 0 && (out->head = collect_head(c, n))) {
        mark_link_lists(c, n);
        mark_inline(c, n);
        rc = assemble(c, n, buf, len, out);
    }
    free(c);
    free(lines);
    free(buf);
    if (rc < 0)
        clean_result_free(out);
    return rc;
}

int clean_page(const struct clean_rules *r, const char *s, size_t len, bool find_title,
               struct clean_result *out)
{
    return clean_page_counted(r, s, len, find_title, NULL, NULL, out);
}

int clean_given(const char *s, size_t len, struct clean_result *out)
{
    memset(out, 0, sizeof *out);
    char *buf;
    size_t n;
    struct line *lines = page_lines(s, len, &buf, &n);
    struct cline *c = lines ? calloc(n ? n : 1, sizeof *c) : NULL;
    int rc = -1;
    if (c) {
        for (size_t i = 0; i < n; i++)
            c[i] = (struct cline){lines[i], lines[i].len ? LINE_SHORT : LINE_BLANK, KEPT, 0, false};
        rc = assemble(c, n, buf, len, out);
        /* Photo captions above the story stay in the text, and are also marked as captions. */
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (c[i].kind == LINE_BLANK)
                continue;
            if (!clean_ends_with_credit(c[i].l.s, c[i].l.len))
                break;
            rc = add_caption(out, &c[i].l);
        }
    }
    free(c);
    free(lines);
    free(buf);
    if (rc < 0)
        clean_result_free(out);
    return rc;
}

int clean_count_page(const struct clean_rules *r, const char *s, size_t len,
                     const char *given_source, struct template_counts *counts)
{
    char *buf;
    size_t n, at;
    struct line *lines = page_lines(s, len, &buf, &n);
    const char **ptrs = lines ? malloc((n ? n : 1) * sizeof *ptrs) : NULL;
    size_t *lens = ptrs ? malloc((n ? n : 1) * sizeof *lens) : NULL;
    int rc = -1;
    if (lens) {
        for (size_t i = 0; i < n; i++)
            ptrs[i] = lines[i].s, lens[i] = lines[i].len;
        char *found = given_source ? NULL : clean_find_source(r, lines, n, &at);
        const char *key = given_source ? given_source : found ? found : "";
        rc = template_counts_add_page(counts, key, ptrs, lens, n);
        free(found);
    }
    free(lens);
    free(ptrs);
    free(lines);
    free(buf);
    return rc;
}
