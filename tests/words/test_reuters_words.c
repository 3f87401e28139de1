/*
 * test_reuters_words.c — "nothing lost", end to end, over the WHOLE Reuters-21578 file: the real
 * corpusd serves the JSONL file, and for every record the share of the words of its given title
 * and text found in the served title + text is measured (a word multiset, see words.h).
 *
 * Passes when every record with a distinct id is served (duplicate ids are named), at least 99%
 * of the records keep >= 98% of their words, and the startup log holds at most one line per
 * warning kind. Prints the count, the share, the mean and the worst ten.
 *
 * usage: test_reuters_words [FILE.jsonl]   (default $CORPUSD_REUTERS or
 *        ../shared/data/news/reuters21578.jsonl); a missing file is reported loudly and skipped.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>

#pragma GCC diagnostic ignored "-Wunused-function" /* the harness has more than this test uses */
#include "tests/e2e/harness.h"
#include "tests/words/words.h"

/* GET on one kept-alive connection (19,000 requests). */
static long get_body(CURL *c, const struct server_proc *s, const char *path, struct growbuf *body)
{
    char url[600];
    snprintf(url, sizeof url, "%s%s", s->base, path);
    body->len = 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0', *len = (size_t)n;
    return buf;
}

/* Lines of the startup log that name a warning kind: at most one per kind. */
static int check_log(const char *log_path)
{
    size_t len = 0;
    char *log = slurp(log_path, &len);
    size_t lines = 0, warning_lines = 0;
    for (char *p = log; p && *p; p++)
        lines += *p == '\n';
    for (char *p = log; p && (p = strstr(p, "warning")); p++)
        warning_lines++;
    printf("startup log: %zu lines, %zu naming warnings\n", lines, warning_lines);
    free(log);
    return lines <= 20 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *file = argc > 1 ? argv[1] : getenv("CORPUSD_REUTERS");
    if (!file)
        file = "../shared/data/news/reuters21578.jsonl";
    char real[4096];
    if (!realpath(file, real)) {
        printf("\n*** SKIPPED test_reuters_words: %s not found (set CORPUSD_REUTERS) ***\n\n",
               file);
        return 0;
    }
    char dir[] = "/tmp/corpusd-reuters-XXXXXX", link[4200], log_path[4200];
    if (!mkdtemp(dir))
        return 1;
    snprintf(link, sizeof link, "%s/reuters.jsonl", dir);
    snprintf(log_path, sizeof log_path, "%s.log", dir);
    if (symlink(real, link) < 0)
        return 1;
    /* The server's stderr (its messages) goes to the log file, at the default level. */
    int saved = dup(2), logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(logfd, 2);
    struct server_proc srv;
    const char *extra[] = {"--log-level", "info", NULL};
    /* 19,043 stories take ~35 s to load on an idle 2-core machine, more on a loaded CI runner. */
    int spawned = server_spawn_within(&srv, dir, extra, "/dev/null", 300); /* no access log */
    dup2(saved, 2);
    close(logfd);
    close(saved);
    if (spawned < 0) {
        size_t log_len = 0;
        char *log = slurp(log_path, &log_len);
        fprintf(stderr, "test_reuters_words: the server did not start; its log (%s):\n%s\n",
                log_path, log ? log : "(unreadable)");
        free(log);
        return 1;
    }
    size_t len;
    char *jsonl = slurp(real, &len);
    size_t records = 0, served = 0, missing = 0, at98 = 0, duplicates = 0;
    double sum = 0;
    struct worst worst[10] = {{{0}, 0, 0}};
    json_t *seen = json_object();
    CURL *curl = curl_easy_init();
    struct growbuf body = {NULL, 0};
    for (char *line = jsonl, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        json_t *rec = json_loads(line, 0, NULL);
        if (!rec)
            continue;
        records++;
        const char *id = json_string_value(json_object_get(rec, "id"));
        if (json_object_get(seen, id)) {
            printf("duplicate id (served once): %s\n", id);
            duplicates++;
            json_decref(rec);
            continue;
        }
        json_object_set_new(seen, id, json_true());
        char path[512], *given = NULL;
        snprintf(path, sizeof path, "/v1/documents/%s", id);
        long status = get_body(curl, &srv, path, &body);
        json_t *doc = status == 200 ? json_loadb(body.buf, body.len, 0, NULL) : NULL;
        if (!doc) {
            printf("not served: %s (status %ld)\n", id, status);
            missing++;
        } else {
            const char *t = json_string_value(json_object_get(rec, "title"));
            const char *x = json_string_value(json_object_get(rec, "text"));
            if (asprintf(&given, "%s\n%s", t ? t : "", x ? x : "") < 0)
                return 1;
            size_t words;
            double share =
                words_kept(given, strlen(given), json_string_value(json_object_get(doc, "title")),
                           json_string_value(json_object_get(doc, "text")), &words);
            served++;
            sum += share;
            at98 += share >= 0.98;
            worst_add(worst, 10, id, share, words);
            free(given);
        }
        json_decref(doc);
        json_decref(rec);
    }
    curl_easy_cleanup(curl);
    free(body.buf);
    int stopped = server_stop_proc(&srv);
    double share98 = served ? (double)at98 / (double)served : 0;
    printf("reuters: %zu records, %zu distinct ids served, %zu not served, %zu duplicate ids\n",
           records, served, missing, duplicates);
    printf("records keeping >= 98%% of their words: %.2f%%; mean share kept: %.4f%%\n",
           100 * share98, served ? 100 * sum / (double)served : 0);
    printf("worst 10:");
    for (int i = 0; i < 10 && worst[i].id[0]; i++)
        printf(" %s %.1f%% (%zu words)%s", worst[i].id, 100 * worst[i].share, worst[i].words,
               i < 9 ? "," : "");
    printf("\n");
    int log_fail = check_log(log_path);
    char cmd[8500];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, log_path);
    if (system(cmd) != 0)
        return 1;
    json_decref(seen);
    free(jsonl);
    bool ok = records > 0 && missing == 0 && share98 >= 0.99 && stopped == 0 && !log_fail;
    printf("test_reuters_words: %s\n", ok ? "PASSED" : "FAILED");
    return ok ? 0 : 1;
}
