#!/usr/bin/env bash
# run_http.sh — HTTP throughput and latency of corpusd's hot routes, side by side in one run with
#   mhd     a minimal libmicrohttpd server answering a fixed 1 KB body (bench/mhd_fixed.c): the
#           ceiling of the library with corpusd's threading;
#   nginx   nginx serving the very same JSON bodies as static files: the ceiling of the machine;
#   fastapi the same endpoints in FastAPI + uvicorn + sqlite3 over the same SQLite file;
#   nocache corpusd with its response cache off (CORPUSD_RESPONSE_CACHE_MB=0): SQL and JSON on
#           every request, what a request costs the first time (or for a never-seen URL).
# For every route the targets run back to back (wrk -t1, CONNS connections, DURATION each), ROUNDS
# times over, so each ratio compares runs seconds apart on this shared machine; the tables give
# medians over the rounds (the ratio: the median of the per-round ratios). Then corpusd and mhd
# again at CONNS_HIGH connections (libmicrohttpd's epoll pitfall at multiples of 128, see NOTES).
#
# usage: bench/run_http.sh [CORPUS_DIR] [LABEL]     (defaults: corpus/, seed)
# env:   DURATION (4s) ROUNDS (3) CONNS (64) CONNS_HIGH (256) DURATION_HIGH (5s) SEARCH_Q (soybean)
#        TARGETS ("mhd corpusd nocache nginx fastapi") CORPUSD_ARGS (extra corpusd flags) OUT (bench/out)
# Writes $OUT/http-LABEL.tsv (one line per wrk run; OUT defaults to $BUILD/bench) and prints the Markdown tables.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CORPUS=$(cd "${1:-$ROOT/corpus}" && pwd)
LABEL=${2:-seed}
DURATION=${DURATION:-4s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
CONNS_HIGH=${CONNS_HIGH:-256}
DURATION_HIGH=${DURATION_HIGH:-5s}
SEARCH_Q=${SEARCH_Q:-soybean}
TARGETS=${TARGETS:-mhd corpusd nocache nginx fastapi}
OUT=${OUT:-$ROOT/$BUILD/bench}
mkdir -p "$OUT"
TSV=$OUT/http-$LABEL.tsv

command -v wrk >/dev/null || die "wrk is missing (make bench-deps)"
[ -x "$CORPUSD_BIN" ] || die "no corpusd at $CORPUSD_BIN"
[ -x "$MHD_BIN" ] || die "no mhd_fixed at $MHD_BIN"
ulimit -n 8192 2>/dev/null || true

declare -A URL PID_OF
P_C=$(free_port) P_M=$(free_port) P_N=$(free_port) P_F=$(free_port) P_U=$(free_port)
URL[corpusd]=http://127.0.0.1:$P_C URL[mhd]=http://127.0.0.1:$P_M URL[nocache]=http://127.0.0.1:$P_U
URL[nginx]=http://127.0.0.1:$P_N URL[fastapi]=http://127.0.0.1:$P_F

# ---- corpusd: the store file for the peer, then the server (in-memory store, default flags) ----
echo "bench: building the SQLite file for the FastAPI peer from $CORPUS" >&2
"$CORPUSD_BIN" --corpus "$CORPUS" --build-db "$T/store.db" --log-level warn >&2 ||
    die "corpusd --build-db failed"
# shellcheck disable=SC2086
"$CORPUSD_BIN" --corpus "$CORPUS" --listen "127.0.0.1:$P_C" ${CORPUSD_ARGS:-} \
    >/dev/null 2>"$T/corpusd.err" &
PIDS+=($!) PID_OF[corpusd]=$!
wait_http "${URL[corpusd]}/readyz" "${PID_OF[corpusd]}" 300 || { cat "$T/corpusd.err"; die "corpusd did not start"; }
if [[ " $TARGETS " == *" nocache "* ]]; then
    # shellcheck disable=SC2086
    CORPUSD_RESPONSE_CACHE_MB=0 "$CORPUSD_BIN" --corpus "$CORPUS" --listen "127.0.0.1:$P_U" \
        ${CORPUSD_ARGS:-} >/dev/null 2>"$T/nocache.err" &
    PIDS+=($!) PID_OF[nocache]=$!
    wait_http "${URL[nocache]}/readyz" "${PID_OF[nocache]}" 300 || die "corpusd (cache off) did not start"
fi

DOC_ID=$(curl -sf "${URL[corpusd]}/v1/documents?limit=1" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["id"])')
declare -A ROUTE=(
    [document]="/v1/documents/$DOC_ID"
    [entities]="/v1/entities?limit=20"
    [timeline]="/v1/timeline?limit=50"
    [search]="/v1/search?q=$SEARCH_Q"
    [revalidate]="/v1/documents/$DOC_ID"
)
ROUTES="document entities timeline search revalidate"

# ---- nginx: the same bodies as files (nginx ignores the query string: one file per route) ------
mkdir -p "$T/www/v1/documents" "$T/nginx/tmp"
for r in document entities timeline search; do
    path=${ROUTE[$r]%%\?*}
    curl -sf -o "$T/www$path" "${URL[corpusd]}${ROUTE[$r]}" || die "corpusd: GET ${ROUTE[$r]} failed"
done
chmod -R a+rX "$T/www"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [[ " $TARGETS " == *" nginx "* ]]; then
    temp_paths=""
    for m in fastcgi uwsgi scgi; do
        "$NGINX" -V 2>&1 | grep -q -- "--without-http_${m}_module" ||
            temp_paths="$temp_paths ${m}_temp_path $T/nginx/tmp/$m;"
    done
    sed -e "s|@PREFIX@|$T/nginx|g; s|@ROOT@|$T/www|; s|@PORT@|$P_N|; s|@TEMP_PATHS@|$temp_paths|" \
        "$BENCH_DIR/nginx.conf.in" >"$T/nginx.conf"
    "$NGINX" -p "$T/nginx/" -c "$T/nginx.conf" -e "$T/nginx/error.log" -g 'daemon off;' \
        >"$T/nginx.out" 2>&1 &
    PIDS+=($!) PID_OF[nginx]=$!
    wait_http "${URL[nginx]}${ROUTE[entities]}" "${PID_OF[nginx]}" 10 || { cat "$T/nginx.out"; die "nginx did not start"; }
fi

# ---- the libmicrohttpd ceiling and the FastAPI peer --------------------------------------------
if [[ " $TARGETS " == *" mhd "* ]]; then
    "$MHD_BIN" "$P_M" 2>/dev/null &
    PIDS+=($!) PID_OF[mhd]=$!
    wait_http "${URL[mhd]}/" "${PID_OF[mhd]}" 10 || die "mhd_fixed did not start"
fi
if [[ " $TARGETS " == *" fastapi "* ]]; then
    "$PY" -c 'import fastapi, uvicorn' 2>/dev/null || die "FastAPI/uvicorn missing (make bench-deps)"
    (cd "$BENCH_DIR" && CORPUS_DB="$T/store.db" exec "$PY" -m uvicorn fastapi_peer:app \
        --host 127.0.0.1 --port "$P_F" --workers 2 --no-access-log --log-level warning) \
        >"$T/fastapi.out" 2>&1 &
    PIDS+=($!) PID_OF[fastapi]=$!
    wait_http "${URL[fastapi]}${ROUTE[entities]}" "${PID_OF[fastapi]}" 30 || { cat "$T/fastapi.out"; die "fastapi did not start"; }
    for r in document entities timeline search; do # same JSON as corpusd
        cmp -s <(curl -sf "${URL[corpusd]}${ROUTE[$r]}" | "$PY" -m json.tool) \
            <(curl -sf "${URL[fastapi]}${ROUTE[$r]}" | "$PY" -m json.tool) ||
            echo "bench: warning: FastAPI's $r body differs from corpusd's" >&2
    done
fi

etag_of() { curl -sf -D - -o /dev/null "$1" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}'; }

# run_wrk TARGET ROUTE CONNS DURATION: one wrk run, appended to the TSV.
run_wrk() {
    local target=$1 route=$2 conns=$3 dur=$4 url hdr=() out
    if [ "$target" = mhd ]; then
        url=${URL[mhd]}/ # the fixed 1 KB body, whatever the route
    else
        url=${URL[$target]}${ROUTE[$route]}
        if [ "$route" = revalidate ]; then
            local tag
            tag=$(etag_of "$url")
            [ -n "$tag" ] || die "$target sent no ETag for $url"
            hdr=(-H "If-None-Match: $tag")
            [ "$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$url")" = 304 ] ||
                echo "bench: warning: $target does not answer 304 to its own ETag" >&2
        fi
    fi
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    out=$(wrk -t1 -c"$conns" -d"$dur" --timeout 5s --latency "${hdr[@]}" "$url" 2>&1) || true
    echo "$out" | wrk_row "$conns" "$route" "$target" "$load" >>"$TSV"
    tail -1 "$TSV" >&2
}

: >"$TSV"
echo "bench: $LABEL corpus, $(machine_line); wrk -t1 -c$CONNS -d$DURATION per target, $ROUNDS rounds" >&2
for r in $ROUTES; do
    for _ in $(seq "$ROUNDS"); do
        for t in $TARGETS; do
            run_wrk "$t" "$r" "$CONNS" "$DURATION"
        done
    done
done
if [ "${CONNS_HIGH:-0}" != 0 ]; then
    for r in $ROUTES; do
        for t in mhd corpusd; do
            [[ " $TARGETS " == *" $t "* ]] && run_wrk "$t" "$r" "$CONNS_HIGH" "$DURATION_HIGH"
        done
    done
fi
for t in "${!PID_OF[@]}"; do kill -0 "${PID_OF[$t]}" 2>/dev/null || echo "bench: warning: $t exited during the run" >&2; done
"$PY" "$BENCH_DIR/report.py" http "$TSV"
