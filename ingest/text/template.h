/*
 * template.h — per-source line counts: in how many pages of one source each line appears.
 *
 * A line that most pages of a site carry (menus, footers, "Join us" blocks) is the site's
 * template, not any article's text. The counts come from a first pass over the scraped pages,
 * before any cleaning; they are plain sums, so shards or threads can each count their pages
 * and merge the results (template_counts_merge) before the cleaning pass reads them.
 */
#ifndef INGEST_TEXT_TEMPLATE_H
#define INGEST_TEXT_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

struct template_counts;

struct template_counts *template_counts_new(void);
void template_counts_free(struct template_counts *t);

/* Counts each distinct non-blank line of one page once, under source ("" when unknown).
 * lines: pointers and lengths of the page's trimmed lines. Returns 0 or -1 (out of memory). */
int template_counts_add_page(struct template_counts *t, const char *source,
                             const char *const *lines, const size_t *lens, size_t n_lines);
/* Adds every count of from into into. 0 or -1 (out of memory). */
int template_counts_merge(struct template_counts *into, const struct template_counts *from);

/* Pages of source counted, and pages of source holding this line. */
uint32_t template_counts_pages(const struct template_counts *t, const char *source);
uint32_t template_counts_line(const struct template_counts *t, const char *source, const char *line,
                              size_t len);

#endif
