#!/usr/bin/env bash
# measure-minbase.sh run|test — the README's run or test command in a fresh Debian 12 minbase
# container (debootstrap --variant=minbase, as `make test-container` makes it: no make, no gcc),
# with the committed tree (git archive HEAD) copied in and nothing installed by hand. Prints the
# packages installed and the time taken:
#   run   ./run, until GET /v1/documents answers 200 through a published 127.0.0.1 port; lists any
#         browser, web server, sanitizer, load tool or Node.js package it installed.
#   test  ./test to its end (every suite of `make test`: ~20 minutes on 2 shared cores); its exit
#         status is this script's. Log in $OUT/minbase-test.log.
# ../shared is mounted read-only beside the tree when present (as CI has it); the host's CA bundle
# is passed to npm (NODE_EXTRA_CA_CERTS, npm_config_cafile) for machines behind a TLS proxy.
# Needs root and the packages of `make deps-container`. Everything is removed on exit.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-run}
case "$MODE" in run | test) ;; *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
if [ "$(id -u)" != 0 ]; then
    exec sudo --preserve-env=CONTAINER_CACHE,TMPDIR,PORT_RANGE,OUT bash "${BASH_SOURCE[0]}" "$@"
fi
CACHE=${CONTAINER_CACHE:-$ROOT/build/container}
BASE_TAR=$CACHE/debian-bookworm-minbase.tar
OUT=${OUT:-$ROOT/build}
NAME=corpusd-minbase-$$
T=$(mktemp -d "${TMPDIR:-/var/tmp}/corpusd-minbase.XXXXXX")
trap podman_cleanup EXIT
trap 'exit 130' INT TERM
. "$ROOT/tests/deploy/lib.sh"
. "$ROOT/tests/deploy/podman_env.sh"
podman_private_setup && podman_base_image || exit 1

mkdir -p "$T/w/corpusd" "$OUT"
git -C "$ROOT" archive HEAD | tar -C "$T/w/corpusd" -x
MOUNTS=(-v "$T/w:/w")
[ ! -d "$ROOT/../shared" ] || MOUNTS+=(-v "$(cd "$ROOT/../shared" && pwd):/w/shared:ro")
CA=/etc/ssl/certs/ca-certificates.crt
[ ! -f "$CA" ] || MOUNTS+=(-v "$CA:/etc/host-ca.crt:ro" -e NODE_EXTRA_CA_CERTS=/etc/host-ca.crt
    -e npm_config_cafile=/etc/host-ca.crt)
IMAGE=localhost/debian:bookworm
before=$(podman run --rm "$IMAGE" dpkg-query -W -f '${Package}\n' | sort)
count_after() { podman exec "$NAME" dpkg-query -W -f '${Package}\n' | sort >"$T/after"; }
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "commit $(git -C "$ROOT" rev-parse --short HEAD), minbase: $(wc -l <<<"$before") packages"

t0=$(date +%s.%N)
if [ "$MODE" = run ]; then
    PORT=$(free_port)
    podman run -d --name "$NAME" -p "127.0.0.1:$PORT:8080" "${MOUNTS[@]}" -w /w/corpusd "$IMAGE" \
        ./run LISTEN=0.0.0.0:8080 >/dev/null || exit 1
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/v1/documents")" = 200 ]; do
        if [ "$(podman inspect --format '{{.State.Running}}' "$NAME")" != true ]; then
            podman logs "$NAME" 2>&1 | tail -n 30
            echo "./run exited before serving"
            exit 1
        fi
        sleep 0.5
    done
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    total=$(curl -s "http://127.0.0.1:$PORT/v1/documents" | sed -n 's/.*"total": *\([0-9]*\).*/\1/p')
    count_after
    added=$(comm -13 <(echo "$before") "$T/after")
    echo "./run: first 200 on /v1/documents ($total documents) after $secs s;" \
        "$(wc -l <<<"$added") packages installed, $(wc -l <"$T/after") in all;" \
        "$(podman exec "$NAME" du -sh /usr | cut -f1) in /usr"
    unwanted=$(grep -E '^(chromium.*|firefox.*|nginx.*|apache2.*|clang.*|libclang.*|llvm.*|valgrind|wrk|prometheus|nodejs|npm|node-.*|lib(a|t|ub|l|hwa)san[0-9]*)$' <<<"$added")
    # Debian's gcc itself depends on the GCC sanitizer runtimes (through libgcc-N-dev): say so.
    gcc_deps=$(podman exec "$NAME" sh -c "dpkg-query -W -f '\${Depends}\n' 'libgcc-*-dev'" | tr ',|' '\n\n' |
        awk '{ print $1 }')
    from_gcc=$(grep -Fx -f <(echo "$gcc_deps") <<<"$unwanted" | paste -sd' ')
    others=$(grep -Fvx -f <(echo "$gcc_deps") <<<"$unwanted" | paste -sd' ')
    echo "browser, web server, clang, valgrind, load tool, Node.js among them: ${others:-none}"
    echo "sanitizer runtimes among them that gcc itself depends on (libgcc-*-dev): ${from_gcc:-none}"
    podman stop -t 10 "$NAME" >/dev/null
else
    # shellcheck disable=SC2016 # expanded by the container's shell
    podman run --name "$NAME" "${MOUNTS[@]}" -w /w/corpusd "$IMAGE" sh -c \
        './test; rc=$?; dpkg-query -W -f "\${Package}\n" >/w/packages-after; exit $rc' \
        >"$OUT/minbase-test.log" 2>&1
    rc=$?
    secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')
    sort "$T/w/packages-after" >"$T/after"
    echo "./test: exit status $rc after $secs s; $(comm -13 <(echo "$before") "$T/after" | wc -l)" \
        "packages installed, $(wc -l <"$T/after") in all; log in $OUT/minbase-test.log"
    grep -E '[0-9]+ passed, [0-9]+ failed|SKIPPED \]|objects, [0-9]+ failed|test-valgrind:' \
        "$OUT/minbase-test.log" | sort | uniq -c | sed 's/^/#   /'
    exit "$rc"
fi
