#!/usr/bin/env bash
# measure-scaling.sh [LARGE.jsonl] — the figures of docs/scaling.md, on this machine:
#   1. building the store (`corpusd --build-db`, what the Kubernetes Job runs) of the seed corpus
#      and of LARGE (default ../shared/data/news/reuters21578.jsonl), pinned to one core: documents,
#      input MB, CPU seconds, MB/s per core (input MB / CPU seconds), peak RSS, store size and
#      store bytes per 10,000 documents;
#   2. one read-only replica per store (`--db FILE --read-only`, what the Deployment runs), pinned
#      to one core, wrk -t1 -c64 pinned to the other: requests/s per hot route, with the response
#      cache (the default) and without it (every request runs its SQL and JSON);
#   3. the replica's memory: resident after start, peak after the load, and peak after fetching
#      every document twice, plain and gzip (filling the response cache: 64 MB or 4096 entries).
# Prints markdown tables; raw lines in $OUT/*.tsv. Needs wrk, curl, taskset, /usr/bin/time.
# Knobs: CORPUSD_BIN (build/corpusd), DURATION (5s), CONNS (64), CRAWL (documents fetched, default all).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CORPUSD_BIN:-$ROOT/build/corpusd}
LARGE=${1:-$ROOT/../shared/data/news/reuters21578.jsonl}
DURATION=${DURATION:-5s} CONNS=${CONNS:-64} CRAWL=${CRAWL:-100000}
OUT=${OUT:-$ROOT/build/scaling}
for tool in wrk curl taskset /usr/bin/time; do
    command -v "$tool" >/dev/null || {
        echo "measure-scaling.sh: $tool is missing (make bench-deps installs wrk and time)" >&2
        exit 1
    }
done
[ -x "$BIN" ] && [ -f "$LARGE" ] || {
    echo "measure-scaling.sh: need $BIN (make) and $LARGE" >&2
    exit 1
}
SERVER_CPU=1 CLIENT_CPU=0
[ "$(nproc)" -ge 2 ] || SERVER_CPU=0
mkdir -p "$OUT"
T=$(mktemp -d "${TMPDIR:-/tmp}/corpusd-scaling.XXXXXX")
PID=""
cleanup() {
    [ -z "$PID" ] || { kill "$PID" && wait "$PID"; } 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT

mkdir -p "$T/seed" "$T/half" "$T/large"
cp "$ROOT"/corpus/* "$T/seed/"
ln -s "$(readlink -f "$LARGE")" "$T/large/"
head -n $(($(wc -l <"$LARGE") / 2)) "$LARGE" >"$T/half/half.jsonl" # the slope of memory and time
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo
echo "| corpus | documents | input MB | CPU s | MB/s per core | wall s | of which ingest s | of which store s | peak RSS MB | store MB | store MB per 10k docs |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
: >"$OUT/build.tsv"
for c in seed half large; do
    /usr/bin/time -f '%U %S %e %M' -o "$T/time-$c" taskset -c "$SERVER_CPU" \
        "$BIN" --corpus "$T/$c" --build-db "$T/$c.db" --log-format text 2>"$T/build-$c.err"
    read -r user sys wall rss_kb <"$T/time-$c"
    line=$(grep -o 'loaded .*' "$T/build-$c.err" | head -n1)
    docs=$(sed -n 's/.* \([0-9]*\) documents.*/\1/p' <<<"$line")
    mb=$(sed -n 's/.* \([0-9.]*\) MB;.*/\1/p' <<<"$line")
    ingest_ms=$(sed -n 's/.*; ingest \([0-9.]*\) ms.*/\1/p' <<<"$line")
    store_ms=$(sed -n 's/.*, store \([0-9.]*\) ms.*/\1/p' <<<"$line")
    size=$(stat -c %s "$T/$c.db")
    awk -v c="$c" -v d="$docs" -v mb="$mb" -v u="$user" -v s="$sys" -v w="$wall" -v r="$rss_kb" -v z="$size" \
        -v i="$ingest_ms" -v st="$store_ms" \
        'BEGIN { cpu = u + s; printf "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.1f | %.1f |\n",
                 c, d, mb, cpu, mb / cpu, w, i / 1000, st / 1000, r / 1024, z / 1e6, z / 1e6 / d * 10000 }'
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$docs" "$mb" "$user" "$sys" "$wall" "$rss_kb" "$size" >>"$OUT/build.tsv"
done

port() { # a free loopback port
    local p
    while :; do
        p=$((20000 + RANDOM % 10000))
        ss -Htan "sport = :$p" | grep -q . || break
    done
    echo "$p"
}
rss_mb() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
start_replica() { # start_replica DB CACHE_MB: sets PID, URL
    local p
    p=$(port)
    CORPUSD_RESPONSE_CACHE_MB=$2 taskset -c "$SERVER_CPU" "$BIN" --db "$1" --read-only \
        --listen "127.0.0.1:$p" >/dev/null 2>"$T/replica.err" &
    PID=$!
    URL=http://127.0.0.1:$p
    for _ in $(seq 300); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/readyz")" = 200 ] && return 0
        sleep 0.05
    done
    cat "$T/replica.err" >&2
    return 1
}
stop_replica() {
    kill "$PID" && wait "$PID" || true
    PID=""
}

echo
echo "| corpus | response cache | route | req/s | p99 ms | replica RSS after start MB | peak RSS after load MB |"
echo "|---|---|---|---:|---:|---:|---:|"
: >"$OUT/http.tsv"
for c in seed large; do
    for cache in 64 0; do
        start_replica "$T/$c.db" "$cache"
        rss0=$(rss_mb "$PID" VmRSS)
        id=$(curl -s "$URL/v1/documents?limit=1" | grep -o '"id": *"[^"]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/')
        for route in "document /v1/documents/$id" "search /v1/search?q=market" \
            "entities /v1/entities?limit=20" "timeline /v1/timeline?limit=50"; do
            set -- $route
            [ "$(curl -s -o /dev/null -w '%{http_code}' "$URL$2")" = 200 ] || {
                echo "measure-scaling.sh: $URL$2 does not answer 200" >&2
                exit 1
            }
            taskset -c "$CLIENT_CPU" wrk -t1 -c"$CONNS" -d"$DURATION" --latency "$URL$2" >"$T/wrk" 2>&1
            rps=$(awk '/^Requests\/sec/ { print $2 }' "$T/wrk")
            p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0;
                                     else if (v ~ /s$/) v = v * 1000; print v }' "$T/wrk")
            errs=$(grep -E 'Non-2xx|Socket errors' "$T/wrk" || true)
            [ -z "$errs" ] || echo "# $c $1: $errs" >&2
            printf '| %s | %s | %s | %.0f | %.2f | %s | %s |\n' "$c" "$([ "$cache" = 0 ] && echo off || echo "${cache} MB")" \
                "$1" "$rps" "$p99" "$rss0" "$(rss_mb "$PID" VmHWM)"
            printf '%s\t%s\t%s\t%s\t%s\n' "$c" "$cache" "$1" "$rps" "$p99" >>"$OUT/http.tsv"
        done
        stop_replica
    done
done

echo
echo "| corpus | documents fetched (plain, then gzip; response cache 64 MB) | peak RSS MB |"
echo "|---|---:|---:|"
for c in seed large; do
    start_replica "$T/$c.db" 64
    curl -s -o "$T/all.ndjson" "$URL/v1/documents?limit=100&format=ndjson"
    sed -n 's/^{"id": *"\([^"]*\)".*/\1/p' "$T/all.ndjson" | head -n "$CRAWL" >"$T/ids"
    sed "s|.*|url = \"$URL/v1/documents/&\"\noutput = \"/dev/null\"|" "$T/ids" >"$T/crawl.curl"
    taskset -c "$CLIENT_CPU" curl -s -K "$T/crawl.curl"
    taskset -c "$CLIENT_CPU" curl -s -H 'Accept-Encoding: gzip' -K "$T/crawl.curl" # + gzip bodies
    printf '| %s | %d | %s |\n' "$c" "$(wc -l <"$T/ids")" "$(rss_mb "$PID" VmHWM)"
    stop_replica
done
