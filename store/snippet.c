/*
 * snippet.c — the highlighted fragment of a search hit: corpusd_snippet(documents_fts), what
 * FTS5's snippet(documents_fts, -1, char(1), char(2), '…', 24) gives, at a fraction of its cost.
 * FTS5's snippet tokenizes every column with a hit whole, twice (once to find sentence starts,
 * once to copy the text out); on Reuters a rare-word search spent a third of its time there.
 * Here the fragment is chosen from the hit positions FTS5 already holds (xInst) and the column
 * is tokenized once, only up to the fragment's end.
 *
 * The choice is FTS5's: the window of SNIPPET_TOKENS tokens with the best score (1000 for each
 * phrase it holds, 1 for each further hit), the earliest of equals, centred on its hits, moved to
 * the start of the hit's sentence when that start is in reach (the sentence bonus FTS5 gives);
 * hits are wrapped in \1 … \2 (a multi-token phrase in one pair), "…" marks cut text.
 */
#include <stdlib.h>
#include <string.h>

#include "conn.h"

#define SNIPPET_TOKENS 24
#define SNIPPET_OPEN "\x01"
#define SNIPPET_CLOSE "\x02"
#define SNIPPET_ELLIPSIS "…"

/* The fragment to show: a column and its first token, and the hit the window was scored on. */
struct fragment {
    int column, start, anchor, size; /* size: tokens of the column */
    bool at_column_start;            /* chosen as the column's opening: not moved */
};

/* What the tokenizer pass keeps: the hit marks of the window, recent token offsets (for a window
 * that starts before the anchor, known only once the anchor is reached), and the output. */
struct pass {
    const char *text;
    int text_len;
    const struct fragment *f;
    unsigned char *hit; /* per token of [0, f->start + SNIPPET_TOKENS): covered by a hit */
    int pos;            /* tokens seen */
    int start;          /* the window's first token, -1 until the anchor is reached */
    int ring_start[SNIPPET_TOKENS], ring_end[SNIPPET_TOKENS];
    int last_sentence; /* the latest token that starts a sentence, -1 if none */
    int copied;        /* bytes of text already in out */
    sqlite3_str *out;
};

/* Score of the window [pos, pos + SNIPPET_TOKENS) of column col, as FTS5 counts it; *first and
 * *last: its first hit and the token after its last. */
static int window_score(const Fts5ExtensionApi *api, Fts5Context *fts, int n_inst, int col, int pos,
                        unsigned char *seen, int n_phrases, int *first, int *last)
{
    int score = 0;
    memset(seen, 0, (size_t)n_phrases);
    *first = -1;
    for (int i = 0; i < n_inst; i++) {
        int phrase, column, offset;
        if (api->xInst(fts, i, &phrase, &column, &offset) != SQLITE_OK || column != col ||
            offset < pos || offset >= pos + SNIPPET_TOKENS || phrase < 0 || phrase >= n_phrases)
            continue;
        score += seen[phrase] ? 1 : 1000;
        seen[phrase] = 1;
        if (*first < 0)
            *first = offset;
        *last = offset + api->xPhraseSize(fts, phrase);
    }
    return score;
}

/* The best window over every hit; ties go to the earliest (the title before the text). */
static int choose_fragment(const Fts5ExtensionApi *api, Fts5Context *fts, struct fragment *f)
{
    int n_inst = 0, n_phrases = api->xPhraseCount(fts), best = -1;
    unsigned char *seen = malloc((size_t)(n_phrases > 0 ? n_phrases : 1));
    if (!seen)
        return SQLITE_NOMEM;
    int rc = api->xInstCount(fts, &n_inst);
    *f = (struct fragment){0, 0, -1, 0, false};
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, column, offset, first, last = 0, size = 0;
        if ((rc = api->xInst(fts, i, &phrase, &column, &offset)) != SQLITE_OK)
            break;
        int score = window_score(api, fts, n_inst, column, offset, seen, n_phrases, &first, &last);
        if (score > best) { /* centred on the window's hits, as FTS5 places it */
            best = score;
            *f = (struct fragment){column, first - (SNIPPET_TOKENS - (last - first)) / 2, first, 0,
                                   false};
        }
        /* FTS5's bonus for a window that opens a sentence, here for the one sentence start
         * known before tokenizing: the column's first token (120, as FTS5 gives it) */
        if (offset <= 0 || offset >= SNIPPET_TOKENS ||
            (rc = api->xColumnSize(fts, column, &size)) != SQLITE_OK || size <= SNIPPET_TOKENS)
            continue;
        score = window_score(api, fts, n_inst, column, 0, seen, n_phrases, &first, &last) + 120;
        if (score > best) {
            best = score;
            *f = (struct fragment){column, 0, first, 0, true};
        }
    }
    free(seen);
    if (rc == SQLITE_OK)
        rc = api->xColumnSize(fts, f->column, &f->size);
    if (f->start + SNIPPET_TOKENS > f->size)
        f->start = f->size - SNIPPET_TOKENS;
    if (f->start < 0)
        f->start = 0;
    return rc;
}

/* Marks the tokens of column f->column covered by a hit, up to the window's farthest end. */
static int mark_hits(const Fts5ExtensionApi *api, Fts5Context *fts, const struct fragment *f,
                     unsigned char *hit, int n)
{
    int n_inst = 0, rc = api->xInstCount(fts, &n_inst);
    for (int i = 0; rc == SQLITE_OK && i < n_inst; i++) {
        int phrase, column, offset;
        if ((rc = api->xInst(fts, i, &phrase, &column, &offset)) != SQLITE_OK)
            break;
        if (column != f->column)
            continue;
        int end = offset + api->xPhraseSize(fts, phrase);
        for (int k = offset < 0 ? 0 : offset; k < end && k < n; k++)
            hit[k] = 1;
    }
    return rc;
}

/* Does the token at byte off start a sentence (the text before it, past spaces, ends in '.' or
 * ':', FTS5's test)? */
static bool starts_sentence(const char *text, int off)
{
    int i = off - 1;
    while (i >= 0 && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
        i--;
    return i != off - 1 && i >= 0 && (text[i] == '.' || text[i] == ':');
}

/* Copies token pos (bytes [start, end)) and the text before it to the output, with its marks. */
static void emit_token(struct pass *p, int pos, int start, int end)
{
    bool in_hit = p->hit[pos], hit_before = pos > p->start && p->hit[pos - 1];
    bool hit_after = pos + 1 < p->start + SNIPPET_TOKENS && p->hit[pos + 1];
    if (pos == p->start) {
        if (pos > 0)
            sqlite3_str_appendall(p->out, SNIPPET_ELLIPSIS);
        else
            sqlite3_str_append(p->out, p->text, start); /* what precedes the first token */
    } else {
        sqlite3_str_append(p->out, p->text + p->copied, start - p->copied);
    }
    if (in_hit && !hit_before)
        sqlite3_str_appendall(p->out, SNIPPET_OPEN);
    sqlite3_str_append(p->out, p->text + start, end - start);
    if (in_hit && !hit_after)
        sqlite3_str_appendall(p->out, SNIPPET_CLOSE);
    p->copied = end;
}

/* The window's start, decided when the anchor hit is reached: the start of the anchor's sentence
 * (before the anchor) when the window from there still holds it, else the centred start. */
static void place_window(struct pass *p)
{
    int start = p->f->start;
    if (!p->f->at_column_start && p->last_sentence >= 0 && p->last_sentence < p->f->anchor &&
        p->f->anchor - p->last_sentence < SNIPPET_TOKENS && p->f->size > SNIPPET_TOKENS)
        start = p->last_sentence;
    if (p->pos - start >= SNIPPET_TOKENS) /* the ring holds the last SNIPPET_TOKENS tokens */
        start = p->pos - SNIPPET_TOKENS + 1;
    p->start = start;
    for (int k = start; k < p->pos; k++) /* the tokens already passed */
        emit_token(p, k, p->ring_start[k % SNIPPET_TOKENS], p->ring_end[k % SNIPPET_TOKENS]);
}

static int on_token(void *ctx, int flags, const char *token, int n_token, int start, int end)
{
    (void)token, (void)n_token;
    struct pass *p = ctx;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (p->start < 0 && p->pos >= p->f->anchor)
        place_window(p); /* before this token counts: a sentence the hit itself opens is no help */
    if (p->pos == 0 || starts_sentence(p->text, start))
        p->last_sentence = p->pos;
    if (p->start >= 0)
        emit_token(p, p->pos, start, end);
    p->ring_start[p->pos % SNIPPET_TOKENS] = start;
    p->ring_end[p->pos % SNIPPET_TOKENS] = end;
    p->pos++;
    /* done: the rest of the column is not read */
    return p->start >= 0 && p->pos >= p->start + SNIPPET_TOKENS ? SQLITE_DONE : SQLITE_OK;
}

static void snippet_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                             int n_values, sqlite3_value **values)
{
    (void)n_values, (void)values;
    struct fragment f;
    struct pass p = {.start = -1, .last_sentence = -1, .f = &f};
    int rc = choose_fragment(api, fts, &f);
    if (rc == SQLITE_OK)
        rc = api->xColumnText(fts, f.column, &p.text, &p.text_len);
    if (rc != SQLITE_OK || !p.text) {
        sqlite3_result_error_code(ctx, rc != SQLITE_OK ? rc : SQLITE_NOMEM);
        return;
    }
    if (f.anchor < 0) /* no hit (a NOT query's row): the column's opening tokens */
        f.anchor = 0;
    int window_end = f.anchor + SNIPPET_TOKENS; /* the window starts at or before the anchor */
    if (!(p.hit = calloc((size_t)window_end + 1, 1))) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    p.out = sqlite3_str_new(NULL);
    rc = mark_hits(api, fts, &f, p.hit, window_end);
    if (rc == SQLITE_OK)
        rc = api->xTokenize(fts, p.text, p.text_len, &p, on_token);
    if (rc == SQLITE_DONE || rc == SQLITE_OK) {
        if (p.start < 0) /* fewer tokens than the anchor: an empty or short column */
            sqlite3_str_append(p.out, p.text, p.text_len);
        else if (p.pos >= f.size || p.start + SNIPPET_TOKENS >= f.size)
            sqlite3_str_append(p.out, p.text + p.copied, p.text_len - p.copied);
        else
            sqlite3_str_appendall(p.out, SNIPPET_ELLIPSIS);
        rc = sqlite3_str_errcode(p.out);
    }
    free(p.hit);
    int len = sqlite3_str_length(p.out);
    char *s = sqlite3_str_finish(p.out);
    if (rc == SQLITE_OK)
        sqlite3_result_text(ctx, s ? s : "", s ? len : 0, sqlite3_free);
    else {
        sqlite3_free(s);
        sqlite3_result_error_code(ctx, rc);
    }
}

int store_register_snippet(fts5_api *api)
{
    return api->xCreateFunction(api, STORE_SNIPPET_FUNCTION, NULL, snippet_function, NULL);
}
