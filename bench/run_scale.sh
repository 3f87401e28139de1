#!/usr/bin/env bash
# run_scale.sh — does query cost grow with the corpus? The hot routes against two corpusd
# processes in one run, one serving the seed corpus and one the large corpus, each route measured
# mhd → seed → large back to back (wrk -t1, CONNS connections, DURATION each). First with the
# response cache off (CORPUSD_RESPONSE_CACHE_MB=0: every request runs its SQL and builds its JSON,
# so this is the query cost), then with it on (as corpusd runs).
#
# usage: bench/run_scale.sh [SEED_DIR] [LARGE.jsonl]
# env:   DURATION (5s) CONNS (64) SEARCH_Q (china; searched with limit=5) OUT
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SEED=$(cd "${1:-$ROOT/corpus}" && pwd)
LARGE=${2:-$ROOT/../shared/data/news/reuters21578.jsonl}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-64}
SEARCH_Q=${SEARCH_Q:-china} # in all five seed documents: a full page on both corpora
OUT=${OUT:-$ROOT/$BUILD/bench}
TSV=$OUT/scale.tsv
mkdir -p "$OUT" "$T/large"
[ -r "$LARGE" ] || die "no large corpus at $LARGE"
ln -s "$(cd "$(dirname "$LARGE")" && pwd)/$(basename "$LARGE")" "$T/large/"
ulimit -n 8192 2>/dev/null || true

declare -A PORT
start() { # start NAME CORPUS CACHE_MB
    local port
    port=$(free_port)
    CORPUSD_RESPONSE_CACHE_MB=$3 "$CORPUSD_BIN" --corpus "$2" --listen "127.0.0.1:$port" \
        >/dev/null 2>"$T/$1.err" &
    PIDS+=($!)
    wait_http "http://127.0.0.1:$port/readyz" "$!" 600 || { tail -5 "$T/$1.err"; die "corpusd ($1) did not start"; }
    PORT[$1]=$port
}
PORT[mhd]=$(free_port)
"$MHD_BIN" "${PORT[mhd]}" 2>/dev/null &
PIDS+=($!)
wait_http "http://127.0.0.1:${PORT[mhd]}/" "$!" 10 || die "mhd_fixed did not start"
start seed "$SEED" 0
start large "$T/large" 0
start seed-cached "$SEED" 64
start large-cached "$T/large" 64
grep -h 'loaded ' "$T/seed.err" "$T/large.err" | sed 's/^/bench: /' >&2 || true

: >"$TSV"
run() { # run TARGET ROUTE URL [HEADER]
    local out load bytes
    load=$(cut -d' ' -f1 /proc/loadavg)
    bytes=$(curl -s -o /dev/null -w '%{size_download}' ${4:+-H "$4"} "$3")
    out=$(wrk -t1 -c"$CONNS" -d"$DURATION" --timeout 5s --latency ${4:+-H "$4"} "$3" 2>&1) || true
    echo "$out" | awk -v t="$1" -v r="$2" -v c="$CONNS" -v load="$load" -v bytes="$bytes" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                         if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
        /Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
        END { printf "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%d\t-\t%s\t%d\n", c, r, t, rps, p50, p99, bad, load,
              bytes }' >>"$TSV"
    tail -1 "$TSV" >&2
}
route_url() { # route_url PORT ROUTE
    local base=http://127.0.0.1:$1 id
    id=$(curl -sf "$base/v1/documents?limit=1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
    case $2 in
    document | revalidate) echo "$base/v1/documents/$id" ;;
    entities) echo "$base/v1/entities?limit=20" ;;
    timeline) echo "$base/v1/timeline?limit=50" ;;
    search) echo "$base/v1/search?q=$SEARCH_Q&limit=5" ;;
    esac
}
for suffix in "" -cached; do
    for r in document entities timeline search revalidate; do
        for t in seed large; do
            url=$(route_url "${PORT[$t$suffix]}" "$r")
            hdr=""
            if [ "$r" = revalidate ]; then
                hdr="If-None-Match: $(curl -sf -D - -o /dev/null "$url" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')"
            fi
            run "mhd-$t$suffix" "$r" "http://127.0.0.1:${PORT[mhd]}/"
            run "$t$suffix" "$r" "$url" "$hdr"
        done
    done
done
"$PY" "$BENCH_DIR/report.py" scale "$TSV"
