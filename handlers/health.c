/*
 * health.c — GET /healthz (the process answers) and GET /readyz (a store is loaded).
 */
#include "handlers.h"

void handle_healthz(const struct request *req, struct reply *rep)
{
    (void)req;
    reply_json(rep, 200, json_pack("{s:s}", "status", "ok"));
    rep->cache_control = "no-store";
}

void handle_readyz(const struct request *req, struct reply *rep)
{
    if (!req->store) {
        reply_problem(rep, 503, "the corpus is still loading");
        return;
    }
    const struct store_counts *c = store_counts(req->store);
    reply_json(rep, 200,
               json_pack("{s:s, s:I}", "status", "ready", "documents", (json_int_t)c->documents));
    rep->cache_control = "no-store";
}
