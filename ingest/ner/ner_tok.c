/*
 * ner_tok.c — the extractor's tokenizer: words (with inner apostrophes and initialism periods,
 * "U.S.", "O'Brien"), possessive markers ("'s", trailing "’"), hyphens and single punctuation
 * marks, each with byte offsets, shape flags, lexicon bits and its sentence. One linear pass.
 */
#include "ingest/ner/ner_internal.h"
#include "ingest/text/sentences.h"
#include "base/utf8.h"
#include "base/grow.h"

#include <stdlib.h>
#include <string.h>

enum ner_cc { CC_SPACE, CC_NL, CC_ALNUM, CC_APOS, CC_HYPHEN, CC_PERIOD, CC_PUNCT };

/* Letters outside ASCII: everything from U+00C0 up except punctuation/symbol blocks. */
static bool ner_is_letter_cp(uint32_t cp)
{
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || cp == 0xFFFD)
        return false;
    if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF20))
        return false;
    return true;
}

/* Upper-case letters, approximately (Latin-1, Latin Extended-A, Greek, Cyrillic). */
static bool ner_is_upper_cp(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if (cp >= 0x100 && cp <= 0x17F)
        return (cp & 1) == 0;
    return (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F);
}

static bool ner_is_lower_cp(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    return ner_is_letter_cp(cp) && !ner_is_upper_cp(cp) && cp < 0x530;
}

static enum ner_cc ner_class(uint32_t cp)
{
    if (cp == ' ' || cp == '\t' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x3000 ||
        cp == 0x202F)
        return CC_SPACE;
    if (cp == '\n' || cp == '\r')
        return CC_NL;
    if ((cp < 0x80 && ((cp | 32) - 'a' < 26 || cp - '0' < 10)) || ner_is_letter_cp(cp))
        return CC_ALNUM;
    if (cp == '\'' || cp == 0x2019)
        return CC_APOS;
    if (cp == '-' || cp == 0x2010 || cp == 0x2011)
        return CC_HYPHEN;
    if (cp == '.')
        return CC_PERIOD;
    return CC_PUNCT;
}

/* Decodes the code point at i (invalid bytes read as one punctuation byte). */
static size_t ner_cp_at(const char *s, size_t len, size_t i, uint32_t *cp)
{
    size_t n = utf8_decode((const unsigned char *)s + i, len - i, cp);
    return n ? n : 1;
}

static enum ner_cc ner_class_at(const char *s, size_t len, size_t i)
{
    uint32_t cp;
    if (i >= len)
        return CC_SPACE;
    ner_cp_at(s, len, i, &cp);
    return ner_class(cp);
}

struct ner_tokbuf {
    struct ner_tok *t;
    size_t n, cap;
};

static int ner_push(struct ner_tokbuf *b, size_t start, size_t end, uint32_t flags)
{
    if (BASE_GROW(b->t, b->cap, b->n, 256) < 0)
        return -1;
    b->t[b->n++] = (struct ner_tok){.start = start, .end = end, .flags = flags};
    return 0;
}

/* End of the word starting at i: alphanumerics, inner apostrophes before a letter (but not a
 * possessive "'s"), and initialism periods ("U.S.", "J."). */
static bool ner_ascii_letter(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static size_t ner_word_end(const struct ner_model *m, const char *s, size_t len, size_t i)
{
    size_t start = i;
    bool initialism = true; /* single letters separated by periods so far */
    size_t seg = 0;         /* code points in the current segment */
    uint32_t cp;
    while (i < len) {
        size_t n = ner_cp_at(s, len, i, &cp);
        enum ner_cc c = ner_class(cp);
        if (c == CC_ALNUM) {
            i += n;
            seg++;
            continue;
        }
        if (c == CC_APOS && ner_class_at(s, len, i + n) == CC_ALNUM) {
            bool poss =
                (s[i + n] == 's' || s[i + n] == 'S') && ner_class_at(s, len, i + n + 1) != CC_ALNUM;
            if (poss)
                break;
            i += n;
            seg = 0;
            initialism = false;
            continue;
        }
        if (cp == '/' && i == start + 1 && i + 2 <= len && ner_ascii_letter(s[start]) &&
            ner_ascii_letter(s[i + 1]) && ner_class_at(s, len, i + 2) != CC_ALNUM) {
            i += 2; /* "A/S", a company's legal form: one word, not two letters and a stop */
            break;
        }
        if (c == CC_PERIOD && initialism && seg == 1) {
            /* "U.S", "J." : keep the period after a one-letter segment */
            i += 1;
            seg = 0;
            continue;
        }
        break;
    }
    if (seg > 1)
        initialism = false;
    (void)initialism;
    /* "Inc." "Mr." : the period belongs to a known abbreviation */
    if (i < len && s[i] == '.' && s[i - 1] != '.' &&
        (ner_lex_lookup(m, s + start, i - start) & NL_PERIOD))
        i++;
    return i;
}

/* Shape flags of a word. */
static uint32_t ner_shape(const char *s, size_t len)
{
    uint32_t f = NT_WORD, cp;
    size_t upper = 0, lower = 0;
    for (size_t i = 0; i < len;) {
        i += ner_cp_at(s, len, i, &cp);
        if (cp < 0x80 && cp - '0' < 10)
            f |= NT_DIGIT;
        else if (ner_is_upper_cp(cp))
            upper++;
        else if (ner_is_lower_cp(cp))
            lower++;
    }
    if (upper >= 2 && lower == 1 && s[len - 1] == 's')
        lower = 0; /* "MMCs", "CEOs" */
    ner_cp_at(s, len, 0, &cp);
    if (ner_is_upper_cp(cp))
        f |= NT_CAP;
    else if (ner_is_lower_cp(cp))
        f |= NT_LOWER;
    if (upper >= 2 && lower == 0)
        f |= NT_UPPER;
    return f;
}

static uint32_t ner_punct_flags(uint32_t cp)
{
    switch (cp) {
    case '(':
    case '[':
    case '{':
        return NT_OPEN;
    case ')':
    case ']':
    case '}':
        return NT_CLOSE;
    case ',':
        return NT_COMMA;
    case '"':
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0xAB:
    case 0xBB:
        return NT_QUOTE;
    case '.':
    case '!':
    case '?':
    case ';':
    case ':':
    case 0x2013:
    case 0x2014:
    case '|':
    case '/':
    case 0x2022:
    case 0x25B2:
        return NT_STOP;
    default:
        return 0;
    }
}

/* Whether the last two tokens of b are one capital letter and "and" or "&" ("S and" of "S and
 * P."). */
static bool ner_letter_pair_before(const char *s, const struct ner_tokbuf *b)
{
    if (b->n < 2)
        return false;
    const struct ner_tok *x = &b->t[b->n - 2], *j = &b->t[b->n - 1];
    return text_letter_pair_head(s + x->start, x->end - x->start, s + j->start, j->end - j->start);
}

static int ner_scan(const struct ner_model *m, const char *s, size_t len, struct ner_tokbuf *b)
{
    uint32_t pending = 0, cp;
    for (size_t i = 0; i < len;) {
        size_t n = ner_cp_at(s, len, i, &cp);
        enum ner_cc c = ner_class(cp);
        size_t end = i + n;
        uint32_t f = pending;
        if (c == CC_SPACE || c == CC_NL) {
            pending |= NT_SPACE | (c == CC_NL ? NT_NL : 0);
            i = end;
            continue;
        }
        if (c == CC_ALNUM) {
            end = ner_word_end(m, s, len, i);
            if (end == i + 2 && s[i + 1] == '.' && ner_letter_pair_before(s, b))
                end = i + 1; /* "S and P." ends a sentence: the period is no initial's */
            f |= ner_shape(s + i, end - i);
        } else if (c == CC_APOS) {
            bool poss = ner_class_at(s, len, end) == CC_ALNUM;
            if (poss)
                end++; /* "'s" */
            if (b->n && (b->t[b->n - 1].flags & NT_WORD) && !(pending & NT_SPACE))
                f |= NT_POSS;
            else if (!poss)
                f |= NT_QUOTE;
        } else if (c == CC_HYPHEN) {
            f |= NT_HYPHEN;
        } else {
            f |= ner_punct_flags(cp);
        }
        if (ner_push(b, i, end, f) < 0)
            return -1;
        pending = 0;
        i = end;
    }
    return 0;
}

/* A line break starts a new segment (a heading, a list item) unless the line above clearly
 * runs on: hard-wrapped wire text breaks lines after lowercase words and commas. */
static bool ner_line_start(const struct ner_tok *t, size_t i)
{
    if (!(t[i].flags & NT_NL) || i == 0)
        return false;
    const struct ner_tok *p = &t[i - 1];
    return !((p->flags & NT_WORD) && (p->flags & NT_LOWER)) && !(p->flags & (NT_COMMA | NT_HYPHEN));
}

/* Sentence index and sentence-start flag of each token. */
static void ner_mark_sentences(struct ner_tok *t, size_t n, const struct span *sent, size_t ns)
{
    size_t k = 0;
    bool start = true;
    uint32_t cur = 0;
    for (size_t i = 0; i < n; i++) {
        while (sent && k < ns && sent[k].end <= t[i].start)
            k++;
        uint32_t idx = sent && k < ns ? (uint32_t)k : (sent ? (uint32_t)ns : 0);
        if (idx != cur || ner_line_start(t, i)) {
            cur = idx;
            start = true;
        }
        t[i].sent = idx;
        if (start && (t[i].flags & NT_WORD)) {
            t[i].flags |= NT_SSTART;
            start = false;
        }
    }
}

/* Wire datelines: "LONDON 1996-08-30 Shares ...", "NEW YORK, Feb 26 - The ...", "PARIS (Reuters) -
 * ...". The ALL-CAPS place, then a date or an agency in brackets: the word after it starts the
 * story's first sentence, so it is judged as sentence-initial and no name runs into it. */
static void ner_mark_datelines(struct ner_tok *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!(t[i].flags & NT_SSTART) || !(t[i].flags & NT_UPPER))
            continue;
        size_t k = i;
        while (k < n && k - i < 5 &&
               (((t[k].flags & NT_UPPER) && !(t[k].flags & NT_DIGIT)) ||
                ((t[k].flags & NT_HYPHEN) && k + 1 < n && (t[k + 1].flags & NT_UPPER) &&
                 !(t[k + 1].flags & NT_SPACE))))
            k++; /* "LONDON", "NEW YORK", "AL-AIN" */
        size_t place_end = k;
        if (k < n && (t[k].flags & NT_COMMA)) {
            k++; /* "LEICESTER, England 1996-08-22" */
            for (size_t q = k; q < n && q < k + 3 && (t[q].flags & NT_CAP) &&
                               !(t[q].flags & NT_DIGIT) && !(t[q].lex & NL_NOTNAME);
                 q++)
                if (q + 1 < n && (t[q + 1].flags & NT_DIGIT)) {
                    k = q + 1;
                    break;
                }
        }
        bool dated = false;
        size_t lim = k + 10;
        while (k < n && k < lim) {
            const struct ner_tok *x = &t[k];
            if ((x->flags & NT_OPEN) && k + 2 < n && (t[k + 1].flags & NT_WORD) &&
                (t[k + 2].flags & NT_CLOSE)) {
                dated = true; /* "(Reuters)" */
                k += 3;
            } else if ((x->flags & NT_DIGIT) && (x->flags & NT_WORD)) {
                dated = true;
                k++;
            } else if ((x->flags & (NT_HYPHEN | NT_COMMA)) ||
                       ((x->flags & NT_WORD) && (x->lex & NL_NOTNAME) && (x->flags & NT_CAP))) {
                k++; /* "-", ",", "Feb" */
            } else {
                break;
            }
        }
        if (!dated || (k < n && (t[k].flags & NT_UPPER)))
            continue; /* "CHIRAC SAYS 1988 BUDGET ...": a headline, not a dateline */
        for (size_t q = i; q < place_end; q++)
            t[q].flags |= NT_DATELINE;
        if (k < n && (t[k].flags & NT_WORD) && !(t[k].flags & NT_DIGIT) && k > i + 1 &&
            (t[k - 1].flags & (NT_DIGIT | NT_HYPHEN | NT_CLOSE | NT_STOP)))
            t[k].flags |= NT_SSTART;
    }
}

/* An ALL-CAPS headline run into its story with no stop between them ("UNIT SETS PACT Acme Corp
 * said ..."): at least three ALL-CAPS words opening the sentence [i, j), then a Title Case word.
 * The caps words are a headline; the Title Case word starts the story's sentence. */
static void ner_mark_caps_lead(const char *text, struct ner_tok *t, size_t i, size_t j)
{
    size_t k = i, upper = 0;
    for (; k < j; k++) {
        if (!(t[k].flags & NT_WORD) || (t[k].flags & NT_DIGIT))
            continue;
        if (!(t[k].flags & NT_UPPER))
            break;
        upper++;
    }
    (void)text;
    if (upper < 3 || k >= j || !(t[k].flags & NT_CAP) || t[k].end - t[k].start < 2)
        return;
    for (size_t q = i; q < k; q++)
        t[q].flags |= NT_HEADLINE;
    t[k].flags |= NT_SSTART;
}

/* Title Case or ALL CAPS sentences and lines (headlines, captions): capitalisation says nothing
 * there. A Title Case headline capitalises its ordinary words (at least two), has no lowercase
 * content word and no final period — running text always has one or the other. ALL CAPS lines
 * are recognised by their share of all-capital words. */
static void ner_mark_headlines(const char *text, struct ner_tok *t, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t j = i + 1, caps = 0, lower = 0, content = 0, upper = 0;
        while (j < n && !(t[j].flags & NT_SSTART))
            j++;
        for (size_t k = i; k < j; k++) {
            if (!(t[k].flags & NT_WORD) || (t[k].flags & NT_DIGIT) || (t[k].lex & NL_FUNC))
                continue;
            content++;
            upper += (t[k].flags & NT_UPPER) != 0;
            if (t[k].flags & NT_LOWER)
                lower++;
            else if ((t[k].lex & NL_COMMON) && k > i)
                caps++;
        }
        size_t last = j - 1;
        while (last > i && (t[last].flags & NT_QUOTE))
            last--;
        bool period = text[t[last].start] == '.' && !(t[last].flags & NT_WORD);
        if ((caps >= 2 && lower == 0 && !period) || (content >= 3 && upper * 10 >= content * 6))
            for (size_t k = i; k < j; k++)
                t[k].flags |= NT_HEADLINE;
        else
            ner_mark_caps_lead(text, t, i, j);
        i = j;
    }
}

/* Inflected forms of common words ("Seconds", "Receiving") count as common. */
static uint32_t ner_inflected(const struct ner_model *m, const char *w, size_t len)
{
    static const char *const endings[] = {"ing", "ies", "es", "ed", "s", "ly", "d"};
    char buf[48];
    if (len < 5 || len >= sizeof buf)
        return 0;
    for (size_t e = 0; e < sizeof endings / sizeof endings[0]; e++) {
        size_t el = strlen(endings[e]);
        if (len - el < 3 || memcmp(w + len - el, endings[e], el) != 0)
            continue;
        size_t n = len - el;
        memcpy(buf, w, n);
        if (e == 1)
            buf[n++] = 'y'; /* "companies" -> "company" */
        if (ner_lex_lookup(m, buf, n) & NL_COMMON)
            return NL_COMMON;
        if (e == 0) { /* "making" -> "make" */
            buf[n] = 'e';
            if (ner_lex_lookup(m, buf, n + 1) & NL_COMMON)
                return NL_COMMON;
        }
    }
    return 0;
}

/* The NL_* bits of a word: its lists, and common when it inflects a common word. */
static uint32_t ner_word_lex(const struct ner_model *m, const char *w, size_t n)
{
    uint32_t lex = ner_lex_lookup(m, w, n);
    if (!(lex & (NL_COMMON | NL_FUNC)))
        lex |= ner_inflected(m, w, n);
    return lex;
}

void ner_paths_lex(struct ner_model *m)
{
    for (size_t i = 0; i < m->clusters.cap; i++) {
        const struct ner_map_slot *s = &m->clusters.slots[i];
        if (s->key)
            m->paths[s->val].lex = ner_word_lex(m, s->key, s->len);
    }
}

int ner_tokenize(const struct ner_model *m, const char *text, size_t len,
                 const struct span *sentences, size_t n_sentences, struct ner_tok **out,
                 size_t *n_out)
{
    struct ner_tokbuf b = {0};
    if (ner_scan(m, text, len, &b) < 0) {
        free(b.t);
        return -1;
    }
    for (size_t i = 0; i < b.n; i++) {
        b.t[i].path = -1;
        if (!(b.t[i].flags & NT_WORD))
            continue;
        const char *w = text + b.t[i].start;
        size_t n = b.t[i].end - b.t[i].start;
        uint32_t path;
        if (m->clusters.count && ner_map_get(&m->clusters, w, n, &path)) {
            b.t[i].path = (int32_t)path;
            b.t[i].lex = m->paths[path].lex;
        } else {
            b.t[i].lex = ner_word_lex(m, w, n);
        }
    }
    ner_mark_sentences(b.t, b.n, sentences, n_sentences);
    ner_mark_datelines(b.t, b.n);
    ner_mark_headlines(text, b.t, b.n);
    *out = b.t;
    *n_out = b.n;
    return 0;
}
