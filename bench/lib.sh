# lib.sh — helpers shared by the bench scripts (sourced). Everything listens on 127.0.0.1.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BUILD=${BUILD:-build}
CORPUSD_BIN=${CORPUSD_BIN:-$ROOT/$BUILD/corpusd}
MHD_BIN=${MHD_BIN:-$ROOT/$BUILD/bench/mhd_fixed}
PY=${PY:-/usr/bin/python3} # Debian's python3: FastAPI and uvicorn are Debian packages
export CORPUSD_DATA_DIR=${CORPUSD_DATA_DIR:-$ROOT/ingest/data}

PIDS=()
T=$(mktemp -d "${TMPDIR:-/tmp}/corpusd-bench.XXXXXX")
chmod 755 "$T"
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench: $*" >&2; exit 1; }

# A free TCP port on 127.0.0.1 (outside the ephemeral range, not listening, not handed out yet).
USED_PORTS=" "
free_port() {
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 12000))
        case "$USED_PORTS" in *" $p "*) continue ;; esac
        if ! ss -Htan "sport = :$p" 2>/dev/null | grep -q .; then
            USED_PORTS="$USED_PORTS$p "
            echo "$p"
            return
        fi
    done
    die "no free port"
}

# wait_http URL PID [SECONDS]: until URL answers 2xx (fails if PID died or time ran out).
wait_http() {
    local url=$1 pid=$2 n=$((${3:-60} * 20))
    for _ in $(seq "$n"); do
        curl -sf -o /dev/null "$url" && return 0
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# wait_log FILE TEXT PID [SECONDS]: until a line of FILE (a log being written) contains TEXT
# (fails if PID died or time ran out). Only bash builtins run while it waits: a curl poll is a
# fork and an exec, ~25 ms of CPU on a 2-core VM, and polled every 50 ms it took a third of a
# core from the ingest being timed (Reuters ready in 19.5-22.4 s under wait_http, 13.7-14.2 s
# with this wait, same build; bench/RESULTS.md 7k). Lines are read from where the last look
# stopped; a line still being written is kept until its end arrives.
wait_log() {
    local file=$1 text=$2 pid=$3 ticks=$((${4:-60} * 100)) line partial="" lfd tick
    exec {tick}<> <(:) # a pipe this shell also writes: read -t on it just waits
    for _ in $(seq 500); do # the file is made by the redirection of a job just started
        [ -e "$file" ] && break
        read -r -t 0.01 -u "$tick" _ || true
    done
    exec {lfd}<"$file" || { exec {tick}>&-; return 1; }
    for _ in $(seq "$ticks"); do
        while IFS= read -r -u "$lfd" line; do
            line="$partial$line" partial=""
            [[ $line == *"$text"* ]] && { exec {lfd}<&- {tick}>&-; return 0; }
        done
        partial="$partial$line"
        kill -0 "$pid" 2>/dev/null || break
        read -r -t 0.01 -u "$tick" _ || true
    done
    exec {lfd}<&- {tick}>&-
    return 1
}

now_ms() { date +%s%3N; }

machine_line() {
    echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM, $(uname -sr)"
}

# wrk_row CONNS ROUTE TARGET LOAD < wrk --latency output: one TSV row (conns, route, target,
# req/s, p50 ms, p99 ms, non-2xx, socket errors, load average) for the run scripts' tables.
wrk_row() {
    awk -v c="$1" -v r="$2" -v t="$3" -v load="$4" '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                         if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) }
        /Requests\/sec/ { rps = $2 } /Non-2xx/ { bad = $NF }
        /Socket errors/ { errs = $0; gsub(/.*errors: /, "", errs); gsub(/ /, "", errs) }
        END { printf "%s\t%s\t%s\t%.0f\t%.3f\t%.3f\t%d\t%s\t%s\n", c, r, t, rps, p50, p99, bad,
              errs == "" ? "-" : errs, load }'
}
