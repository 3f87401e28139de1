/*
 * ner_lex.c — the extractor's lexicon and gazetteer: loads the ner_*.txt word lists and the
 * country/subdivision names of Debian's iso-codes (iso_3166-1.json, iso_3166-2.json) into hash
 * maps, once, at ner_open. Lookups are read-only and thread-safe.
 */
#include "ingest/ner/ner_internal.h"
#include "base/hash.h"
#include "base/wordlist.h"
#include "base/grow.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- hash map */

static uint64_t ner_hash(const char *s, size_t len)
{
    return base_hash(s, len);
}

static struct ner_map_slot *ner_map_find(const struct ner_map *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    uint64_t h = ner_hash(key, len);
    size_t i = h & (m->cap - 1);
    while (m->slots[i].key) {
        if (m->slots[i].hash == h && m->slots[i].len == len &&
            memcmp(m->slots[i].key, key, len) == 0)
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    return &m->slots[i];
}

static int ner_map_grow(struct ner_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    struct ner_map_slot *s = calloc(ncap, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].key)
            continue;
        size_t j = m->slots[i].hash & (ncap - 1);
        while (s[j].key)
            j = (j + 1) & (ncap - 1);
        s[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = s;
    m->cap = ncap;
    return 0;
}

/* mode: 0 keep an existing value, 1 OR into it, 2 replace it. */
static int ner_map_store(struct ner_map *m, const char *key, size_t len, uint32_t val, int mode)
{
    if (len > UINT32_MAX)
        return 0;
    if ((m->count + 1) * 2 > m->cap && ner_map_grow(m) < 0)
        return -1;
    struct ner_map_slot *s = ner_map_find(m, key, len);
    if (s->key) {
        if (mode == 1)
            s->val |= val;
        else if (mode == 2)
            s->val = val;
        return 0;
    }
    if (!(s->key = malloc(len + 1)))
        return -1;
    memcpy(s->key, key, len);
    s->key[len] = '\0';
    s->hash = ner_hash(key, len);
    s->len = (uint32_t)len;
    s->val = val;
    m->count++;
    return 0;
}

int ner_map_put(struct ner_map *m, const char *key, size_t len, uint32_t val, bool or_bits)
{
    return ner_map_store(m, key, len, val, or_bits ? 1 : 0);
}

int ner_map_set(struct ner_map *m, const char *key, size_t len, uint32_t val)
{
    return ner_map_store(m, key, len, val, 2);
}

bool ner_map_get(const struct ner_map *m, const char *key, size_t len, uint32_t *val)
{
    const struct ner_map_slot *s = ner_map_find(m, key, len);
    if (!s || !s->key)
        return false;
    *val = s->val;
    return true;
}

void ner_map_free(struct ner_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].key);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------- keys */

/* Copies s[0..len) into buf with white-space runs collapsed to one space and, with fold, ASCII
 * lower-cased. Returns the key length, or 0 when it does not fit. */
static size_t ner_key(const char *s, size_t len, bool fold, char *buf, size_t cap)
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n >= cap)
                return 0;
            buf[n++] = ' ';
            space = false;
        }
        if (n >= cap)
            return 0;
        buf[n++] = (char)(fold && c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return n;
}

uint32_t ner_lex_lookup(const struct ner_model *m, const char *w, size_t len)
{
    char buf[64];
    uint32_t a = 0, b = 0;
    size_t n = ner_key(w, len, true, buf, sizeof buf);
    if (!n)
        return 0;
    ner_map_get(&m->lex_fold, buf, n, &a);
    ner_map_get(&m->lex_exact, w, len, &b);
    return a | b;
}

int ner_gaz_lookup_longer(const struct ner_model *m, const char *s, size_t len, bool fold,
                          bool *longer)
{
    char buf[NER_GAZ_MAX_KEY];
    uint32_t v;
    size_t n = ner_key(s, len, fold, buf, sizeof buf);
    if (longer)
        *longer = n && ner_map_get(fold ? &m->gaz_fold_starts : &m->gaz_exact_starts, buf, n, &v);
    if (!n || !ner_map_get(fold ? &m->gaz_fold : &m->gaz_exact, buf, n, &v))
        return -1;
    return (int)v;
}

int ner_gaz_lookup(const struct ner_model *m, const char *s, size_t len, bool fold)
{
    return ner_gaz_lookup_longer(m, s, len, fold, NULL);
}

/* ---------------------------------------------------------------- word lists */

/* Word-list files and the lexicon bit each sets; fold = case-insensitive. */
static const struct {
    const char *file;
    uint32_t bit;
    bool fold;
} ner_lists[] = {
    {"ner_common_words.txt", NL_COMMON, true},
    {"ner_function_words.txt", NL_FUNC, true},
    {"ner_titles.txt", NL_TITLE, true},
    {"ner_title_modifiers.txt", NL_TITLEMOD, true},
    {"ner_honorifics.txt", NL_HONOR, false},
    {"ner_org_suffixes.txt", NL_ORGSUF, false},
    {"ner_org_heads.txt", NL_ORGHEAD, false},
    {"ner_loc_suffixes.txt", NL_LOCSUF, false},
    {"ner_loc_heads.txt", NL_LOCHEAD, false},
    {"ner_misc_suffixes.txt", NL_MISCSUF, false},
    {"ner_misc_heads.txt", NL_MISCHEAD, false},
    {"ner_given_names.txt", NL_GIVEN, false},
    {"ner_surnames.txt", NL_SURNAME, false},
    {"ner_org_cues.txt", NL_ORGCUE, true},
    {"ner_loc_cues.txt", NL_LOCCUE, true},
    {"ner_loc_preps.txt", NL_LOCPREP, true},
    {"ner_not_names.txt", NL_NOTNAME, false},
    {"ner_subdivision_suffixes.txt", NL_SUBDIVSUF, false},
    {"ner_connectors.txt", NL_CONNECT, false},
    {"ner_name_particles.txt", NL_PARTICLE, false},
    {"ner_loc_prefixes.txt", NL_LOCPRE, false},
    {"ner_subject_verbs.txt", NL_SUBJVERB, true},
    {"ner_org_prefixes.txt", NL_ORGPRE, false},
    {"ner_sport_verbs.txt", NL_SPORTVERB, true},
    {"ner_team_cues.txt", NL_TEAMCUE, true},
    {"ner_org_after.txt", NL_ORGAFTER, true},
    {"ner_org_before.txt", NL_ORGPREV, true},
    {"ner_generic_heads.txt", NL_GENERIC, true},
    {"resolve_corporate_suffixes.txt", NL_LEGAL, true},
};

/* Adds one list entry. Entries with a space are phrases the lexicon does not hold; an entry
 * ending in "." also marks its stem with NL_PERIOD so the tokenizer keeps the period. */
static int ner_lex_add(struct ner_model *m, const char *e, uint32_t bit, bool fold)
{
    size_t len = strlen(e);
    char buf[64];
    if (!len || strchr(e, ' ') || len >= sizeof buf)
        return 0;
    struct ner_map *map = fold ? &m->lex_fold : &m->lex_exact;
    size_t n = ner_key(e, len, fold, buf, sizeof buf);
    if (ner_map_put(map, buf, n, bit, true) < 0)
        return -1;
    if (len > 1 && e[len - 1] == '.' && !strchr(e, '.')[1] &&
        ner_map_put(map, buf, n - 1, NL_PERIOD, true) < 0)
        return -1;
    return 0;
}

static int ner_load_lists(struct ner_model *m, const char *dir, char **err)
{
    for (size_t i = 0; i < sizeof ner_lists / sizeof ner_lists[0]; i++) {
        struct wordlist *w = wordlist_load(dir, ner_lists[i].file, false, err);
        if (!w)
            return -1;
        int rc = 0;
        for (size_t k = 0; k < wordlist_count(w) && rc == 0; k++)
            rc = ner_lex_add(m, wordlist_at(w, k), ner_lists[i].bit, ner_lists[i].fold);
        wordlist_free(w);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- gazetteer */

/* Appends an entry; returns its index or -1 on OOM. */
static int ner_gaz_new(struct ner_model *m, const char *canon, const char *country, int kind)
{
    if (BASE_GROW(m->gaz, m->cap_gaz, m->n_gaz, 512) < 0)
        return -1;
    struct ner_gaz *g = &m->gaz[m->n_gaz];
    g->canon = strdup(canon);
    g->country = country && *country ? strdup(country) : NULL;
    g->kind = (uint8_t)kind;
    if (!g->canon || (country && *country && !g->country)) {
        free(g->canon);
        free(g->country);
        return -1;
    }
    return (int)m->n_gaz++;
}

static bool ner_key_alnum(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

/* Every beginning of key[0..n) that ends where a token may end into starts: before a space,
 * and wherever a letter or digit meets anything else (tokens split there, never inside a run
 * of letters and digits). */
static int ner_gaz_starts(struct ner_map *starts, const char *key, size_t n)
{
    for (size_t p = 1; p < n; p++) {
        unsigned char before = (unsigned char)key[p - 1], at = (unsigned char)key[p];
        if (before == ' ' || (at != ' ' && ner_key_alnum(before) && ner_key_alnum(at)))
            continue;
        if (ner_map_put(starts, key, p, 1, true) < 0)
            return -1;
    }
    return 0;
}

/* Maps a surface phrase to entry idx (first mapping wins), exact and folded. */
static int ner_gaz_name(struct ner_model *m, const char *surface, int idx)
{
    char buf[NER_GAZ_MAX_KEY];
    size_t len = strlen(surface), n;
    if ((n = ner_key(surface, len, false, buf, sizeof buf)) &&
        (ner_map_put(&m->gaz_exact, buf, n, (uint32_t)idx, false) < 0 ||
         ner_gaz_starts(&m->gaz_exact_starts, buf, n) < 0))
        return -1;
    if ((n = ner_key(surface, len, true, buf, sizeof buf)) &&
        (ner_map_put(&m->gaz_fold, buf, n, (uint32_t)idx, false) < 0 ||
         ner_gaz_starts(&m->gaz_fold_starts, buf, n) < 0))
        return -1;
    return 0;
}

/* Adds surface -> new entry (canon, country, kind). */
static int ner_gaz_add(struct ner_model *m, const char *surface, const char *canon,
                       const char *country, int kind)
{
    if (ner_gaz_lookup(m, surface, strlen(surface), false) >= 0)
        return 0;
    int idx = ner_gaz_new(m, canon, country, kind);
    return idx < 0 ? -1 : ner_gaz_name(m, surface, idx);
}

/* Loads a "Surface=Target" file (target may be empty): as kind, canon = surface or target. */
static int ner_load_pairs(struct ner_model *m, const char *dir, const char *file, int kind,
                          char **err)
{
    struct wordlist *w = wordlist_load(dir, file, false, err);
    if (!w)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < wordlist_count(w) && rc == 0; i++) {
        char line[256];
        snprintf(line, sizeof line, "%s", wordlist_at(w, i));
        char *eq = strchr(line, '=');
        const char *target = "";
        if (eq) {
            *eq = '\0';
            target = eq + 1;
        }
        if (kind == NER_GAZ_COUNTRY || kind == NER_GAZ_ORG || kind == NER_GAZ_MISC)
            rc = ner_gaz_add(m, line, *target ? target : line, NULL, kind);
        else if (kind == NER_GAZ_CAPITAL)
            rc = ner_gaz_add(m, line, line, target, kind);
        else
            rc = ner_gaz_add(m, line, line, target, kind);
    }
    wordlist_free(w);
    return rc;
}

static int ner_load_place_abbreviations(struct ner_model *m, const char *dir, char **err)
{
    if (!(m->place_abbrev = wordlist_load(dir, "ner_place_abbreviations.txt", false, err)))
        return -1;
    for (size_t i = 0; i < wordlist_count(m->place_abbrev); i++) {
        const char *line = wordlist_at(m->place_abbrev, i), *eq = strchr(line, '=');
        if (eq && eq > line && eq[1] &&
            ner_map_put(&m->place_abbrev_at, line, (size_t)(eq - line), (uint32_t)i, false) < 0)
            return -1;
    }
    return 0;
}

const char *ner_place_full_name(const struct ner_model *m, const char *s, size_t len)
{
    uint32_t i;
    if (!m->place_abbrev || !ner_map_get(&m->place_abbrev_at, s, len, &i))
        return NULL;
    return strchr(wordlist_at(m->place_abbrev, i), '=') + 1;
}

static json_t *ner_load_json(const char *dir, const char *file, const char *key, char **err)
{
    char path[1024];
    json_error_t je;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    json_t *root = json_load_file(path, 0, &je);
    json_t *arr = root ? json_object_get(root, key) : NULL;
    if (!json_is_array(arr)) {
        if (err && asprintf(err, "ner: cannot read %s: %s", path, root ? "no list" : je.text) < 0)
            *err = NULL;
        json_decref(root);
        return NULL;
    }
    json_incref(arr);
    json_decref(root);
    return arr;
}

/* iso_3166-1: name, common_name and official_name of each country map to one entry, whose
 * canonical name is the alias file's choice, else the common name, else the name. */
static int ner_load_countries(struct ner_model *m, const char *iso_dir, char **err)
{
    json_t *arr = ner_load_json(iso_dir, "iso_3166-1.json", "3166-1", err);
    if (!arr)
        return -1;
    int rc = 0;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *common = json_string_value(json_object_get(e, "common_name"));
        const char *official = json_string_value(json_object_get(e, "official_name"));
        const char *pref = common ? common : name;
        if (!pref)
            continue;
        int idx = ner_gaz_lookup(m, pref, strlen(pref), false);
        if (idx < 0 && (idx = ner_gaz_new(m, pref, NULL, NER_GAZ_COUNTRY)) < 0) {
            rc = -1;
            break;
        }
        const char *names[] = {pref, name, official};
        for (size_t k = 0; k < 3 && rc == 0; k++)
            if (names[k] && !strchr(names[k], ','))
                rc = ner_gaz_name(m, names[k], idx);
        if (rc < 0)
            break;
    }
    json_decref(arr);
    return rc;
}

/* The name news uses for an iso_3166-2 subdivision: administrative words ("Sheng", "-do") are
 * stripped; names that are a single common word ("Central") or hold a comma are skipped. */
static bool ner_subdiv_name(const struct ner_model *m, const char *name, char *out, size_t cap)
{
    if (strchr(name, ',') || strchr(name, '(') || strlen(name) >= cap)
        return false;
    snprintf(out, cap, "%s", name);
    for (;;) {
        char *cut = strrchr(out, ' ');
        char *hy = strrchr(out, '-');
        if (hy && (!cut || hy > cut) && hy[1] >= 'a' && hy[1] <= 'z')
            cut = hy;
        if (!cut || !(ner_lex_lookup(m, cut + 1, strlen(cut + 1)) & NL_SUBDIVSUF))
            break;
        *cut = '\0';
    }
    size_t n = strlen(out);
    if (n < 3 || (!strchr(out, ' ') && (ner_lex_lookup(m, out, n) & (NL_COMMON | NL_FUNC))))
        return false;
    return true;
}

static int ner_load_subdivisions(struct ner_model *m, const char *iso_dir, char **err)
{
    json_t *arr = ner_load_json(iso_dir, "iso_3166-2.json", "3166-2", err);
    if (!arr)
        return -1;
    int rc = 0;
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e)
    {
        const char *name = json_string_value(json_object_get(e, "name"));
        char buf[NER_GAZ_MAX_KEY];
        if (!name || !ner_subdiv_name(m, name, buf, sizeof buf))
            continue;
        if ((rc = ner_gaz_add(m, buf, buf, NULL, NER_GAZ_SUBDIV)) < 0)
            break;
    }
    json_decref(arr);
    return rc;
}

static int ner_load_plain(struct ner_model *m, const char *dir, const char *file, int kind,
                          char **err)
{
    struct wordlist *w = wordlist_load(dir, file, false, err);
    if (!w)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < wordlist_count(w) && rc == 0; i++)
        rc = ner_gaz_add(m, wordlist_at(w, i), wordlist_at(w, i), NULL, kind);
    wordlist_free(w);
    return rc;
}

/* The system word list (Debian's wamerican, /usr/share/dict/words) tells ordinary words
 * ("darkness") from proper nouns ("Potomac") far beyond the frequent-word list. Optional: without
 * it the extractor relies on ner_common_words.txt alone. */
static int ner_load_dict(struct ner_model *m, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[128];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, "\r\n");
        if (!n || memchr(line, '\'', n))
            continue;
        bool upper = line[0] >= 'A' && line[0] <= 'Z';
        rc = ner_map_put(upper ? &m->lex_exact : &m->lex_fold, line, n, upper ? NL_PROPER : NL_DICT,
                         true);
    }
    fclose(f);
    return rc;
}

static int ner_load_endings(struct ner_model *m, const char *dir, char **err)
{
    struct wordlist *w = wordlist_load(dir, "ner_name_endings.txt", false, err);
    if (!w)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < wordlist_count(w) && rc == 0; i++) {
        const char *e = wordlist_at(w, i), *eq = strchr(e, '=');
        int t = eq ? entity_type_parse(eq + 1) : -1;
        if (t >= 0)
            rc = ner_map_put(&m->endings, e, (size_t)(eq - e), (uint32_t)t + 1, false);
    }
    wordlist_free(w);
    return rc;
}

int ner_ending_type(const struct ner_model *m, const char *w, size_t len)
{
    for (size_t n = len > 8 ? 8 : len - 1; n >= 2 && len >= 4; n--) {
        uint32_t v;
        if (ner_map_get(&m->endings, w + len - n, n, &v))
            return (int)v - 1;
    }
    return -1;
}

int ner_lex_load(struct ner_model *m, const char *data_dir, const char *iso_dir, char **err)
{
    if (ner_load_endings(m, data_dir, err) < 0)
        return -1;
    if (ner_load_lists(m, data_dir, err) < 0)
        return -1;
    if (!(m->speech_verbs = wordlist_load(data_dir, "ner_speech_verbs.txt", false, err)) ||
        !(m->sport_linked = wordlist_load(data_dir, "ner_sport_verbs_linked.txt", false, err)) ||
        !(m->sport_versus = wordlist_load(data_dir, "ner_sport_versus.txt", false, err)) ||
        !(m->national = wordlist_load(data_dir, "ner_national_bodies.txt", true, err)))
        return -1;
    if (ner_load_place_abbreviations(m, data_dir, err) < 0 || ner_load_dict(m, NER_DICT_PATH) < 0)
        return -1;
    /* Order matters: the first mapping of a phrase wins, so the specific lists come first. */
    if (ner_load_pairs(m, data_dir, "ner_country_aliases.txt", NER_GAZ_COUNTRY, err) < 0 ||
        ner_load_countries(m, iso_dir, err) < 0 ||
        ner_load_pairs(m, data_dir, "ner_capitals.txt", NER_GAZ_CAPITAL, err) < 0 ||
        ner_load_plain(m, data_dir, "ner_cities.txt", NER_GAZ_CITY, err) < 0 ||
        ner_load_plain(m, data_dir, "ner_regions.txt", NER_GAZ_REGION, err) < 0 ||
        ner_load_pairs(m, data_dir, "ner_demonyms.txt", NER_GAZ_DEMONYM, err) < 0 ||
        ner_load_pairs(m, data_dir, "ner_orgs.txt", NER_GAZ_ORG, err) < 0 ||
        /* the news agencies whose sign-offs close wire stories are organisations too */
        ner_load_pairs(m, data_dir, "wire_signoffs.txt", NER_GAZ_ORG, err) < 0 ||
        ner_load_pairs(m, data_dir, "ner_misc.txt", NER_GAZ_MISC, err) < 0 ||
        ner_load_subdivisions(m, iso_dir, err) < 0)
        return -1;
    return 0;
}

void ner_lex_free(struct ner_model *m)
{
    ner_map_free(&m->lex_fold);
    ner_map_free(&m->lex_exact);
    ner_map_free(&m->gaz_exact);
    ner_map_free(&m->gaz_fold);
    ner_map_free(&m->gaz_exact_starts);
    ner_map_free(&m->gaz_fold_starts);
    ner_map_free(&m->endings);
    for (size_t i = 0; i < m->n_gaz; i++) {
        free(m->gaz[i].canon);
        free(m->gaz[i].country);
    }
    free(m->gaz);
    wordlist_free(m->speech_verbs);
    wordlist_free(m->national);
    wordlist_free(m->place_abbrev);
    ner_map_free(&m->place_abbrev_at);
    wordlist_free(m->sport_linked);
    wordlist_free(m->sport_versus);
}
