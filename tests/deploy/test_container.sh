#!/usr/bin/env bash
# test_container.sh — builds the project's Dockerfile, unchanged, with podman and checks the image
# from outside: it answers on the mapped port, runs as non-root, its HEALTHCHECK is healthy, a
# mounted corpus replaces the baked-in one, `podman stop` ends it cleanly within the grace period,
# and the final image holds no compiler. Prints the image size.
#
# Follows ../shared/CONTAINER.md: podman with its own storage.conf/containers.conf in a temporary
# directory (overlay, runc, cgroupfs), and a base image made by debootstrap from this machine's apt
# mirror, tagged as debian:bookworm and debian:bookworm-slim so the Dockerfile's FROM lines resolve
# without a registry. The debootstrap tarball is cached in $CONTAINER_CACHE (default build/container)
# and rebuilt when missing. Everything else (containers, images, storage) is removed on exit.
#
# Needs root and the packages of `make deps-container`. Output ends with "N passed, N failed".
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${CONTAINER_CACHE:-$ROOT/build/container}
BASE_TAR=$CACHE/debian-bookworm-minbase.tar
GRACE=10 # seconds `podman stop` waits before SIGKILL
IMAGE=localhost/corpusd:test-$$
NAME=corpusd-test-$$

pass=0 fail=0
ok() { echo "ok   - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { # check NAME COMMAND...: one test result from a command's exit status
    local name=$1
    shift
    if "$@"; then ok "$name"; else bad "$name"; fi
}
note() { echo "#    $*"; }
finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
}

if [ "$(id -u)" != 0 ]; then # rootful podman and debootstrap: run as root, like `make deps`
    if command -v sudo >/dev/null; then
        exec sudo --preserve-env=CONTAINER_CACHE,TMPDIR bash "${BASH_SOURCE[0]}" "$@"
    fi
    bad "the container test needs root (rootful podman, debootstrap) and there is no sudo"
    finish
fi
for tool in podman debootstrap runc curl ss ps findmnt; do
    command -v "$tool" >/dev/null || {
        bad "$tool is not installed (run: make deps-container)"
        finish
    }
done

# ---- private podman configuration -------------------------------------------------------------
T=$(mktemp -d "${TMPDIR:-/var/tmp}/corpusd-container.XXXXXX")
cleanup() {
    set +e
    if [ -n "${PODMAN_OK:-}" ]; then
        podman rm -a -f -t 0 >/dev/null 2>&1
        podman volume prune -f >/dev/null 2>&1
        podman rmi -a -f >/dev/null 2>&1
    fi
    # overlay mounts left under our storage must go before the directory can be removed
    findmnt -rn -o TARGET | grep -F "$T/" | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$T/graph" "$T/run" "$T/tmp"
cat >"$T/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "$T/run"
graphroot = "$T/graph"
EOF
cat >"$T/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$T/tmp"
EOF
export CONTAINERS_STORAGE_CONF=$T/storage.conf CONTAINERS_CONF=$T/containers.conf

# Refuse to go on unless podman really uses the private storage: cleanup removes all it sees.
graphroot=$(podman info --format '{{.Store.GraphRoot}}' 2>"$T/info.err")
if [ "$graphroot" != "$T/graph" ]; then
    bad "podman does not use the private storage (graphroot '$graphroot'): $(head -c 300 "$T/info.err")"
    finish
fi
PODMAN_OK=1

# ---- base image: debootstrap from the mirror apt already uses -----------------------------------
apt_mirror() {
    local f=/etc/apt/sources.list.d/debian.sources
    if [ -f "$f" ]; then # deb822: the URIs of the first stanza with a non-security bookworm suite
        awk 'BEGIN { RS = ""; FS = "\n" }
             /(^|\n)Types:[^\n]*deb/ && /(^|\n)Suites:[^\n]*bookworm([ \t\n]|$)/ && !/security/ {
                 for (i = 1; i <= NF; i++) if ($i ~ /^URIs:/) { split($i, u, /[ \t]+/); print u[2]; exit }
             }' "$f"
    fi
    # one-line format: deb [options] URI bookworm components
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
        awk '$1 == "deb" && !/security/ && / bookworm / {
                 for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; exit }
             }'
}
MIRROR=$(apt_mirror | head -n1)
if [ -z "$MIRROR" ]; then
    bad "no Debian bookworm mirror found in the apt sources"
    finish
fi

t0=$SECONDS
if [ ! -s "$BASE_TAR" ]; then
    note "debootstrap --variant=minbase bookworm from $MIRROR (cached in $BASE_TAR)"
    mkdir -p "$CACHE"
    if debootstrap --variant=minbase bookworm "$T/rootfs" "$MIRROR" >"$T/debootstrap.log" 2>&1 &&
        chroot "$T/rootfs" apt-get clean &&
        rm -rf "$T/rootfs"/var/lib/apt/lists/* "$T/rootfs"/var/cache/apt/*.bin &&
        tar -C "$T/rootfs" -c . >"$BASE_TAR.tmp.$$" && mv "$BASE_TAR.tmp.$$" "$BASE_TAR"; then
        rm -rf "$T/rootfs"
    else
        tail -n 20 "$T/debootstrap.log"
        rm -rf "$T/rootfs" "$BASE_TAR.tmp.$$"
        bad "debootstrap of the base image"
        finish
    fi
fi
if podman import "$BASE_TAR" localhost/debian:bookworm >"$T/import.log" 2>&1 &&
    podman tag localhost/debian:bookworm docker.io/library/debian:bookworm \
        docker.io/library/debian:bookworm-slim; then
    ok "base image imported and tagged debian:bookworm, debian:bookworm-slim ($((SECONDS - t0)) s)"
else
    cat "$T/import.log"
    bad "podman import of the base image"
    finish
fi

# ---- build the real Dockerfile ------------------------------------------------------------------
t0=$SECONDS
if podman build --pull=never --format docker -t "$IMAGE" -f "$ROOT/Dockerfile" "$ROOT" \
    >"$T/build.log" 2>&1; then
    ok "podman build --pull=never --format docker of ./Dockerfile ($((SECONDS - t0)) s)"
else
    tail -n 40 "$T/build.log"
    bad "podman build of ./Dockerfile"
    finish
fi
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' docker.io/library/debian:bookworm-slim)
note "image size: $((size / 1000000)) MB ($size bytes): base image $((base_size / 1000000)) MB" \
    "+ $(((size - base_size) / 1000000)) MB added by the Dockerfile's final stage"

inspect() { podman image inspect --format "$1" "$IMAGE"; }
check "image runs as a non-root user (USER $(inspect '{{.Config.User}}'))" \
    test -n "$(inspect '{{.Config.User}}')" -a "$(inspect '{{.Config.User}}' | cut -d: -f1)" != 0 \
    -a "$(inspect '{{.Config.User}}' | cut -d: -f1)" != root
check "image exposes 8080/tcp" grep -q '8080/tcp' <<<"$(inspect '{{json .Config.ExposedPorts}}')"
check "image declares the volume /data/corpus" grep -q '/data/corpus' <<<"$(inspect '{{json .Config.Volumes}}')"
check "image stop signal is SIGTERM" grep -qx 'SIGTERM' <<<"$(inspect '{{.Config.StopSignal}}')"
check "image has a HEALTHCHECK" grep -q 'corpusd-healthcheck' <<<"$(inspect '{{json .Config.Healthcheck}}')"

# ---- run it ---------------------------------------------------------------------------------------
# Ports are picked below the kernel's ephemeral range, so no outgoing connection can hold one.
read -r EPHEMERAL_LO _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LO=32768
PORT_LO=10000 PORT_HI=$((EPHEMERAL_LO > 12000 ? EPHEMERAL_LO : 32768))
free_port() {
    local p
    for _ in $(seq 200); do
        p=$((PORT_LO + RANDOM % (PORT_HI - PORT_LO)))
        ss -Htan "sport = :$p" | grep -q . || {
            echo "$p"
            return
        }
    done
    return 1
}
wait_ready() { # wait_ready PORT CONTAINER: up to 60 s for /readyz to answer 200
    for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")" = 200 ] && return 0
        [ "$(podman inspect --format '{{.State.Running}}' "$2" 2>/dev/null)" = true ] || return 1
        sleep 0.1
    done
    return 1
}
json_total() { sed -n 's/.*"total": *\([0-9]*\).*/\1/p'; }

PORT=$(free_port)
if ! podman run -d --name "$NAME" -p "127.0.0.1:$PORT:8080" "$IMAGE" >"$T/run.log" 2>&1 ||
    ! wait_ready "$PORT" "$NAME"; then
    cat "$T/run.log"
    podman logs "$NAME" 2>&1 | tail -n 20
    bad "container starts and becomes ready on 127.0.0.1:$PORT"
    finish
fi
ok "container ready on the mapped port 127.0.0.1:$PORT -> 8080"

body=$(curl -s "http://127.0.0.1:$PORT/healthz")
check "GET /healthz through the mapped port answers {\"status\":\"ok\"}" \
    grep -q '"status": *"ok"' <<<"$body"
check "the dashboard is served at / (text/html)" grep -qi '^content-type: text/html' \
    <<<"$(curl -s -o /dev/null -D - "http://127.0.0.1:$PORT/")"
seed=$(find "$ROOT/corpus" -maxdepth 1 -name '*.txt' | sort | head -n1)
seed=$(basename "${seed:-none.txt}" .txt)
total=$(curl -s "http://127.0.0.1:$PORT/v1/documents" | json_total)
check "the baked-in seed corpus is served by default ($total documents, $seed among them)" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v1/documents/$seed")" = 200

pid=$(podman inspect --format '{{.State.Pid}}' "$NAME")
host_uid=$(ps -o uid= -p "$pid" | tr -d ' ')
check "the server process runs as non-root (uid $host_uid seen from the host)" \
    test -n "$host_uid" -a "$host_uid" != 0
in_uid=$(podman exec "$NAME" id -u 2>/dev/null)
check "podman exec id -u is not 0 (uid $in_uid)" test -n "$in_uid" -a "$in_uid" != 0

podman healthcheck run "$NAME" >"$T/hc.log" 2>&1
hc=$?
check "podman healthcheck run reports healthy (exit $hc)" test "$hc" = 0
[ "$hc" = 0 ] || cat "$T/hc.log"
check "the healthcheck fails when nothing answers (CORPUSD_LISTEN pointed at port 1)" \
    bash -c "! podman exec -e CORPUSD_LISTEN=0.0.0.0:1 '$NAME' /usr/local/bin/corpusd-healthcheck 2>/dev/null"

# Graceful stop: SIGTERM, exit status 0, well within the grace period (no SIGKILL).
t0=$(date +%s.%N)
podman stop -t "$GRACE" "$NAME" >/dev/null 2>&1
stop_s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
code=$(podman inspect --format '{{.State.ExitCode}}' "$NAME")
note "podman stop took ${stop_s} s, exit code $code"
check "podman stop ends the server cleanly (exit code $code)" test "$code" = 0
check "podman stop finishes within the ${GRACE} s grace period (${stop_s} s)" \
    awk "BEGIN { exit !($stop_s < $GRACE - 1) }"
podman logs "$NAME" >"$T/logs.out" 2>"$T/logs.err"
check "the access log (stdout) has one JSON line per request" \
    grep -q '"path": *"/v1/documents"' "$T/logs.out"
podman rm -f "$NAME" >/dev/null 2>&1

# A mounted corpus replaces the default one. This container also runs hardened (read-only root
# file system, no capabilities, no privilege gain): corpusd needs none of it.
mkdir -p "$T/corpus"
printf '%s\n' '{"id":"container-volume-doc","title":"Mounted corpus","text":"This article comes from a corpus mounted over /data/corpus by the container test. It replaces the seed corpus baked into the image.","published":"2024-05-01","source":"test"}' \
    >"$T/corpus/mounted.jsonl"
chmod 755 "$T" "$T/corpus"
chmod 644 "$T/corpus/mounted.jsonl"
PORT2=$(free_port)
if podman run -d --name "$NAME-vol" -p "127.0.0.1:$PORT2:8080" -v "$T/corpus:/data/corpus:ro" \
    --read-only --cap-drop ALL --security-opt no-new-privileges "$IMAGE" >"$T/run2.log" 2>&1 &&
    wait_ready "$PORT2" "$NAME-vol"; then
    ok "the image runs with --read-only --cap-drop ALL --security-opt no-new-privileges"
    docs=$(curl -s "http://127.0.0.1:$PORT2/v1/documents")
    check "a corpus mounted at /data/corpus replaces the default (total $(json_total <<<"$docs"))" \
        test "$(json_total <<<"$docs")" = 1
    check "the mounted corpus's document is served" grep -q '"container-volume-doc"' <<<"$docs"
else
    cat "$T/run2.log"
    podman logs "$NAME-vol" 2>&1 | tail -n 20
    bad "container with a mounted corpus (read-only, no capabilities) starts"
fi
podman rm -f -t 0 "$NAME-vol" >/dev/null 2>&1

# No compiler, no development packages in the final image.
# (gcc-12-base is libgcc's copyright/changelog package, not a compiler.)
found=$(podman run --rm --entrypoint /bin/sh "$IMAGE" -c '
    for c in gcc cc c89 c99 cpp g++ c++ clang tcc as ld make; do command -v "$c"; done
    ls /usr/bin/*-linux-gnu-gcc* 2>/dev/null
    dpkg-query -W -f "\${Package}\n" |
        grep -E "^(gcc|cpp|g\+\+|clang|tcc)(-[0-9]+)?$|^(binutils.*|make|libc6-dev|clang.*)$|-dev$"
    exit 0' 2>"$T/nocc.err")
check "the final image holds no compiler or -dev package${found:+ (found: $(echo $found))}" \
    test -z "$found"

finish
