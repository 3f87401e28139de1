#!/usr/bin/env bash
# run_mixed.sh — corpusd on a real corpus with realistic, distinct questions, as a ratio of bare
# libmicrohttpd in the same run.
#
# The store is prebuilt once (corpusd --build-db) and served read-only (--db FILE --read-only), as
# replicas would serve it. bench/make_urls.py draws thousands of distinct request targets per route
# from that store (documents by id, filtered lists, rare and very frequent search words, entity name
# prefixes, timeline windows, entity pages, related entities); bench/cycle.lua makes wrk walk
# through them round robin. Targets, back to back for each route (ROUNDS times):
#   mhd      bench/mhd_fixed: libmicrohttpd alone, a fixed 1 KB body, default 32 KB pool;
#   nocache  corpusd with --response-cache-mb 0: every request runs its SQL and renders its body;
#   cache    corpusd with its defaults (response cache on) — only for the mixed workload, where
#            the cache helps only after a full cycle of the distinct targets.
# Per route: CONNS (16) connections; mixed: CONNS_MIXED (64).
#
# usage: bench/run_mixed.sh CORPUS_DIR [LABEL]
# env:   DURATION (10s) DURATION_MIXED (15s) ROUNDS (1) PER_ROUTE (1000) ROUTES (all) OUT
#        PORT_BASE (use PORT_BASE, +1, +2 instead of random free ports) DB (reuse a built store)
# Writes $OUT/mixed-LABEL.tsv and prints the Markdown table (bench/report.py mixed).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CORPUS=$(cd "${1:?usage: run_mixed.sh CORPUS_DIR [LABEL]}" && pwd)
LABEL=${2:-reuters}
DURATION=${DURATION:-10s}
DURATION_MIXED=${DURATION_MIXED:-15s}
ROUNDS=${ROUNDS:-1}
CONNS=${CONNS:-16}
CONNS_MIXED=${CONNS_MIXED:-64}
PER_ROUTE=${PER_ROUTE:-1000}
ROUTES=${ROUTES:-document list search_rare search_top entities timeline entity related}
OUT=${OUT:-$ROOT/$BUILD/bench}
mkdir -p "$OUT"
TSV=$OUT/mixed-$LABEL.tsv
command -v wrk >/dev/null || die "wrk is missing (make bench-deps)"
[ -x "$CORPUSD_BIN" ] || die "no corpusd at $CORPUSD_BIN"
[ -x "$MHD_BIN" ] || die "no mhd_fixed at $MHD_BIN"
ulimit -n 8192 2>/dev/null || true

DB=${DB:-$T/store.db}
if [ ! -s "$DB" ]; then
    echo "bench: building $DB from $CORPUS" >&2
    "$CORPUSD_BIN" --corpus "$CORPUS" --build-db "$DB" --log-level warn 2>"$T/build.err" ||
        { tail "$T/build.err"; die "corpusd --build-db failed"; }
fi
mkdir -p "$T/urls"
"$PY" "$BENCH_DIR/make_urls.py" "$DB" "$T/urls" "$PER_ROUTE"

declare -A PORT PID_OF
if [ -n "${PORT_BASE:-}" ]; then
    PORT[mhd]=$PORT_BASE PORT[nocache]=$((PORT_BASE + 1)) PORT[cache]=$((PORT_BASE + 2))
else
    PORT[mhd]=$(free_port) PORT[nocache]=$(free_port) PORT[cache]=$(free_port)
fi
"$MHD_BIN" "${PORT[mhd]}" 2>/dev/null &
PIDS+=($!) PID_OF[mhd]=$!
"$CORPUSD_BIN" --db "$DB" --read-only --listen "127.0.0.1:${PORT[nocache]}" --response-cache-mb 0 \
    >/dev/null 2>"$T/nocache.err" &
PIDS+=($!) PID_OF[nocache]=$!
"$CORPUSD_BIN" --db "$DB" --read-only --listen "127.0.0.1:${PORT[cache]}" >/dev/null 2>"$T/cache.err" &
PIDS+=($!) PID_OF[cache]=$!
wait_http "http://127.0.0.1:${PORT[mhd]}/" "${PID_OF[mhd]}" 10 || die "mhd_fixed did not start"
for t in nocache cache; do
    wait_http "http://127.0.0.1:${PORT[$t]}/readyz" "${PID_OF[$t]}" 60 || { cat "$T/$t.err"; die "corpusd ($t) did not start"; }
done

# Every target of every route must answer 200 (a benchmark of 404s measures nothing).
for r in $ROUTES; do
    bad=$(sed -n '1~10p' "$T/urls/$r.txt" | head -50 | while read -r u; do
        curl -s -o /dev/null -w '%{http_code} %{url}\n' "http://127.0.0.1:${PORT[nocache]}$u"
    done | grep -vc '^200 ' || true)
    [ "$bad" = 0 ] || echo "bench: warning: $bad sampled targets of $r did not answer 200" >&2
done

# run_wrk TARGET ROUTE CONNS DURATION: one wrk run over the route's targets, appended to the TSV.
run_wrk() {
    local target=$1 route=$2 conns=$3 dur=$4 out load
    load=$(cut -d' ' -f1 /proc/loadavg)
    out=$(URLS="$T/urls/$route.txt" wrk -t1 -c"$conns" -d"$dur" --timeout 5s --latency \
        -s "$BENCH_DIR/cycle.lua" "http://127.0.0.1:${PORT[$target]}" 2>&1) || true
    echo "$out" | wrk_row "$conns" "$route" "$target" "$load" >>"$TSV"
    tail -1 "$TSV" >&2
}

: >"$TSV"
echo "bench: $LABEL, $(machine_line); wrk -t1, $CONNS conns x $DURATION per route, mixed $CONNS_MIXED x $DURATION_MIXED" >&2
for _ in $(seq "$ROUNDS"); do
    for r in $ROUTES; do
        echo "bench: route $r ($(wc -l <"$T/urls/$r.txt") distinct targets)" >&2
        for t in mhd nocache; do run_wrk "$t" "$r" "$CONNS" "$DURATION"; done
    done
    echo "bench: mixed ($(wc -l <"$T/urls/mixed.txt") distinct targets)" >&2
    for t in mhd nocache cache; do run_wrk "$t" mixed "$CONNS_MIXED" "$DURATION_MIXED"; done
done
for t in "${!PID_OF[@]}"; do kill -0 "${PID_OF[$t]}" 2>/dev/null || echo "bench: warning: $t exited during the run" >&2; done
"$PY" "$BENCH_DIR/report.py" mixed "$TSV"
