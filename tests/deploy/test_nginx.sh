#!/usr/bin/env bash
# test_nginx.sh — nginx (the Debian package) in front of two corpusd replicas, all on 127.0.0.1,
# with a configuration generated from deploy/nginx.conf (only ports and file paths replaced).
# Checks routing to both replicas, the forwarded client address in corpusd's access log, the
# /corpus/ prefix, gzip applied once, ETag/304 and upstream keep-alive through the proxy, and that
# killing a replica in the middle of a request loop (SIGKILL, then SIGTERM) loses no request.
#
# nginx runs in the foreground as a child of this script with its own prefix, temp and log
# directories in a temporary directory; the system's nginx configuration is never read or
# touched. Every process started here is stopped on exit. Output ends with "N passed, N failed".
#
# Environment: CORPUSD_BIN (default build/corpusd), CORPUSD_TEST_CORPUS (default corpus),
# NGINX (default: nginx on PATH or /usr/sbin/nginx), LOOP_REQUESTS (default 500).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN=${CORPUSD_BIN:-$ROOT/build/corpusd}
CORPUS=${CORPUSD_TEST_CORPUS:-$ROOT/corpus}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
LOOP_REQUESTS=${LOOP_REQUESTS:-500}
PARALLEL=8

pass=0 fail=0 missing=""
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { # check NAME COMMAND...
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
note() { echo "#    $*"; }
finish() {
    [ -z "$missing" ] || note "corpusd lacks (failures above may come from it):$missing"
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
}

[ -x "$BIN" ] || { bad "no corpusd binary at $BIN (run make)"; finish; }
[ -x "$NGINX" ] || { bad "no nginx at $NGINX (run make deps)"; finish; }

T=$(mktemp -d "${TMPDIR:-/tmp}/corpusd-nginx.XXXXXX")
chmod 755 "$T" # nginx workers (nobody when run as root) use the temp dirs below
declare -A PID=()
stop_pid() { # stop_pid PID: TERM, then KILL after 5 s
    local p=$1
    kill -TERM "$p" 2>/dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$p" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
}
cleanup() {
    set +e
    for k in "${!PID[@]}"; do stop_pid "${PID[$k]}"; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- ports ----------------------------------------------------------------------------------------
. "$ROOT/tests/deploy/lib.sh"
P1=$(free_port) P2=$(free_port) PN=$(free_port)
ADDR1=127.0.0.1:$P1 ADDR2=127.0.0.1:$P2 NGX=http://127.0.0.1:$PN

# ---- replicas ---------------------------------------------------------------------------------------
TRUST=()
if "$BIN" --help 2>&1 | grep -q -- '--trusted-proxies'; then
    TRUST=(--trusted-proxies 127.0.0.1)
else
    missing="$missing --trusted-proxies"
fi
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
wait_200() { # wait_200 URL [PID]: up to 30 s
    for _ in $(seq 300); do
        [ "$(http_code "$1")" = 200 ] && return 0
        [ -z "${2:-}" ] || kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
start_replica() { # start_replica N PORT: logs in $T/rN.out (access log) and $T/rN.err
    "$BIN" --corpus "$CORPUS" --listen "127.0.0.1:$2" --threads 2 "${TRUST[@]}" \
        >>"$T/r$1.out" 2>>"$T/r$1.err" &
    PID[r$1]=$!
    wait_200 "http://127.0.0.1:$2/readyz" "${PID[r$1]}"
}
if start_replica 1 "$P1" && start_replica 2 "$P2"; then
    ok "two corpusd replicas ready on $ADDR1 and $ADDR2 ${TRUST[*]}"
else
    tail -n 5 "$T"/r*.err
    bad "two corpusd replicas start"
    finish
fi

# ---- nginx with a configuration derived from deploy/nginx.conf ------------------------------------
if nginx_config "$NGINX" "$ADDR1" "$ADDR2" "$PN"; then
    ok "nginx -t accepts the configuration generated from deploy/nginx.conf"
else
    bad "nginx -t on the generated configuration"
    finish
fi
"$NGINX" "${NGINX_ARGS[@]}" -g 'daemon off;' >"$T/nginx.stdout" 2>&1 &
PID[nginx]=$!
if wait_200 "$NGX/healthz" "${PID[nginx]}"; then
    ok "nginx (foreground child, pid ${PID[nginx]}) proxies /healthz on 127.0.0.1:$PN"
else
    cat "$T/nginx.stdout" "$T/nginx/logs/error.log"
    bad "nginx starts and proxies /healthz"
    finish
fi

# access_line FILE REQUEST_ID: the JSON access-log line of one request
access_line() { grep -F "\"$2\"" "$1" | head -n1; }
json_field() { # json_field NAME: a string or number field of a one-line JSON object on stdin
    sed -n "s/.*\"$1\": *\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -n1
}

# ---- routing ----------------------------------------------------------------------------------------
for i in $(seq 40); do
    curl -s -o /dev/null -H "X-Request-Id: route-$i" "$NGX/v1/documents?limit=2"
done
n1=$(grep -c '"route-' "$T/r1.out") n2=$(grep -c '"route-' "$T/r2.out")
check "40 requests through nginx reach both replicas ($n1 + $n2)" \
    test "$n1" -gt 0 -a "$n2" -gt 0 -a $((n1 + n2)) = 40
up=$(grep -F '"route-1"' "$T/nginx/logs/access.log" | json_field upstream)
check "nginx's access log names the upstream and keeps the request id ($up)" \
    grep -qE "^127\.0\.0\.1:($P1|$P2)$" <<<"$up"
estab=$(ss -Htn state established "( dport = :$P1 or dport = :$P2 )" | wc -l)
check "upstream keep-alive: idle connections to the replicas stay open ($estab)" test "$estab" -gt 0

# ---- forwarded client address -----------------------------------------------------------------------
curl -s -o /dev/null -H 'X-Request-Id: xff-plain' "$NGX/v1/stats"
line=$(cat "$T"/r[12].out | access_line /dev/stdin xff-plain)
check "a direct client is logged with its own address ($(json_field client_ip <<<"$line"))" \
    test "$(json_field client_ip <<<"$line")" = 127.0.0.1
curl -s -o /dev/null -H 'X-Request-Id: xff-1' -H 'X-Forwarded-For: 203.0.113.7' "$NGX/v1/stats"
line=$(cat "$T"/r[12].out | access_line /dev/stdin xff-1)
note "corpusd access log: $line"
note "nginx access log:   $(access_line "$T/nginx/logs/access.log" xff-1)"
check "corpusd logs the forwarded client 203.0.113.7 ($(json_field client_ip <<<"$line"))" \
    test "$(json_field client_ip <<<"$line")" = 203.0.113.7
curl -s -o /dev/null -H 'X-Request-Id: xff-2' -H 'X-Forwarded-For: 192.0.2.66, 198.51.100.1' "$NGX/v1/stats"
line=$(cat "$T"/r[12].out | access_line /dev/stdin xff-2)
check "the client is the rightmost untrusted X-Forwarded-For entry ($(json_field client_ip <<<"$line"))" \
    test "$(json_field client_ip <<<"$line")" = 198.51.100.1

# ---- path prefix -----------------------------------------------------------------------------------
check "GET /corpus redirects to /corpus/" \
    grep -q '^301 .*/corpus/$' <<<"$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$NGX/corpus")"
curl -s -D "$T/pfx.h" -o "$T/pfx.b" -H 'X-Request-Id: prefix-1' "$NGX/corpus/v1/documents?limit=1"
check "GET /corpus/v1/documents through nginx answers 200" grep -q '^HTTP/1.1 200' "$T/pfx.h"
line=$(cat "$T"/r[12].out | access_line /dev/stdin prefix-1)
path=$(json_field path <<<"$line")
check "the replica sees the path without the prefix (${path%%\?*})" test "${path%%\?*}" = /v1/documents
check "links in the answer carry the /corpus prefix (X-Forwarded-Prefix)" \
    grep -q '/corpus/v1/documents' "$T/pfx.h" "$T/pfx.b"
next=$(grep -o '/corpus/v1/documents?[^"> ]*' "$T/pfx.h" "$T/pfx.b" | head -n1 | cut -d: -f2-)
check "following the prefixed next link through nginx answers 200 ($next)" \
    test -n "$next" -a "$(http_code "$NGX$next")" = 200
curl -s -D "$T/root.h" -o "$T/root.b" "$NGX/v1/documents?limit=1"
check "links stay unprefixed at / (no X-Forwarded-Prefix)" \
    bash -c "grep -q '/v1/documents?' '$T/root.h' '$T/root.b' && ! grep -q '/corpus/' '$T/root.h' '$T/root.b'"

# ---- gzip once, ETag ---------------------------------------------------------------------------------
curl -s -D "$T/gz.h" -o "$T/gz.b" -H 'Accept-Encoding: gzip' "$NGX/v1/documents"
curl -s -o "$T/plain.b" "$NGX/v1/documents"
ce=$(grep -i '^content-encoding:' "$T/gz.h" | tr -d '\r' | cut -d: -f2- | tr -d ' ' | paste -sd,)
check "a gzip-accepting client gets Content-Encoding: gzip once (got '${ce}')" test "$ce" = gzip
check "the body decompresses once to the same JSON as the plain answer" \
    bash -c "gzip -dc '$T/gz.b' 2>/dev/null | cmp -s - '$T/plain.b'"
check "the plain answer is not compressed" bash -c "head -c1 '$T/plain.b' | grep -q '{'"
etag=$(grep -i '^etag:' "$T/gz.h" | tr -d '\r' | cut -d' ' -f2-)
check "ETag through nginx, and If-None-Match gives 304 (ETag $etag)" \
    test -n "$etag" -a "$(http_code -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$NGX/v1/documents")" = 304

# ---- request-line limits and parser quirks behind nginx (issues 18, 19) ----------------------------
# raw PORT: sends stdin's bytes (printf escapes already applied), prints what came back within 5 s
# as one line: the status lines seen and how long it took.
cat >"$T/raw.py" <<'PY'
import socket, sys, time
data = sys.stdin.buffer.read()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(5)
t = time.time()
try:
    s.sendall(data)
except OSError:
    pass
out = b""
try:
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
except OSError:
    pass
lines = [l.decode() for l in out.split(b"\r\n") if l.startswith(b"HTTP/1.")]
print("%s|%.1f" % (",".join(l[9:12] for l in lines) or "none", time.time() - t))
PY
raw() { python3 "$T/raw.py" "$1"; }
long_target() { # long_target KB PARAMS: /v1/documents?… of KB kilobytes in PARAMS parameters
    python3 -c "
import sys
kb, n = int(sys.argv[1]), int(sys.argv[2])
per = kb * 1024 // n
print('/v1/documents?' + '&'.join('a' * (per - 1) for _ in range(n)), end='')" "$1" "$2"
}
slow=0 over=0
for kb in 9 16 64; do
    for n in 1 100 1000 3000 10000; do
        [ $((n * 2)) -le $((kb * 1024)) ] || continue
        got=$(printf 'GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' "$(long_target $kb $n)" | raw "$PN")
        [ "${got%%|*}" = 414 ] || { over=$((over + 1)); note "$kb KB, $n parameters: $got"; }
        awk -v t="${got##*|}" 'BEGIN { exit !(t > 1.0) }' && slow=$((slow + 1))
    done
done
check "request lines of 9-64 KB with 1-10,000 parameters: 414 from nginx ($over otherwise)" test "$over" = 0
check "... each answered within a second ($slow slower)" test "$slow" = 0
got=$(printf 'GET /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n' | raw "$PN")
check "Content-Length: -1: one 400 status line from nginx (got ${got%%|*})" test "${got%%|*}" = 400
got=$(printf 'GET /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab' | raw "$PN")
check "two different Content-Length headers: 400 (got ${got%%|*})" test "${got%%|*}" = 400
got=$(printf 'GET /v1/stats HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n' | raw "$PN")
check "an unknown Transfer-Encoding: 501 at once (got $got)" test "${got%%|*}" = 501
got=$(printf 'GET /v1/stats HTTP/1.1\r\nConnection: close\r\n\r\n' | raw "$PN")
check "HTTP/1.1 without Host: 400 (got ${got%%|*})" test "${got%%|*}" = 400

# ---- failover ---------------------------------------------------------------------------------------
# loop_with_kill NAME SIGNAL REPLICA: LOOP_REQUESTS requests, PARALLEL at a time, through nginx;
# the replica gets SIGNAL once a third of them are done. Every request must answer 200.
loop_with_kill() {
    local name=$1 sig=$2 r=$3 lines_before rc retried
    lines_before=$(wc -l <"$T/nginx/logs/access.log")
    exec 3>&2 2>/dev/null # bash's "Killed" job notice is noise here
    loop_during "$name" "$NGX" kill "-$sig" "${PID[r$r]}"
    wait "${PID[r$r]}"
    rc=$?
    exec 2>&3 3>&-
    unset "PID[r$r]"
    tail -n +$((lines_before + 1)) "$T/nginx/logs/access.log" | grep -F "\"$name-" >"$T/ngx-$name.log"
    retried=$(grep -c '"upstream":"[^"]*, ' "$T/ngx-$name.log")
    note "failover ($name): SIG$sig to replica $r after $LOOP_AT of $LOOP_TOTAL requests ($PARALLEL in flight);" \
        "$LOOP_OK answered 200, $((LOOP_TOTAL - LOOP_OK)) failed, $retried retried on the other replica by nginx;" \
        "latency p50 $LOOP_P50 ms, p99 $LOOP_P99 ms, max $LOOP_MAX ms; replica exit status $rc"
    check "no request lost when replica $r gets SIG$sig mid-loop ($((LOOP_TOTAL - LOOP_OK)) of $LOOP_TOTAL failed)" \
        test "$LOOP_TOTAL" = "$LOOP_REQUESTS" -a "$LOOP_OK" = "$LOOP_TOTAL"
    [ "$sig" != TERM ] || check "replica $r exits with status 0 on SIGTERM (got $rc)" test "$rc" = 0
}
loop_with_kill crash KILL 1

# Bring replica 1 back; nginx uses it again once fail_timeout has passed.
if start_replica 1 "$P1"; then
    back=0
    for i in $(seq 150); do
        curl -s -o /dev/null -H "X-Request-Id: back-$i" "$NGX/healthz"
        grep -q '"back-' "$T/r1.out" && back=1 && break
        sleep 0.1
    done
    check "the restarted replica 1 gets traffic again" test "$back" = 1
    loop_with_kill drain TERM 2
else
    bad "replica 1 restarts"
fi

finish
