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
# Then the Kubernetes manifests (deploy/kubernetes/): validated against the Kubernetes schemas
# (tests/deploy/validate_k8s.mjs, kubernetes-models; a broken copy must fail), then played for real
# with `podman kube play` (podman 4.3.1) within its known limits: the volumes (PVCs) are played, a
# test corpus imported into the corpus volume, the build Job's pod template played as a Pod
# (restartPolicy Never) and waited for, and the Deployment played once per replica (two replicas,
# each on its own 127.0.0.1 port) behind nginx with deploy/nginx.conf. The test polls /readyz
# itself (podman schedules no probes without systemd), runs the exec probes' command by hand, kills
# one replica (SIGKILL) during >= 500 requests through nginx and drains the other (`podman stop -t`
# with the manifest's terminationGracePeriodSeconds) during as many: no request may fail. Teardown
# (`podman kube down`, then the volumes, which kube down leaves) must leave no pod or volume.
# tests/deploy/kube_play.py shows the only changes made for podman (image, replicas, host port).
#
# Needs root and the packages of `make deps-container`. PORT_RANGE=LO-HI picks the host ports from
# that range. Output ends with "N passed, N failed".
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
. "$ROOT/tests/deploy/lib.sh"
. "$ROOT/tests/deploy/podman_env.sh"
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
for tool in podman debootstrap runc curl ss ps findmnt node npm python3 "$NGINX"; do
    command -v "$tool" >/dev/null || {
        bad "$tool is not installed (run: make deps-container)"
        finish
    }
done

# ---- private podman configuration -------------------------------------------------------------
T=$(mktemp -d "${TMPDIR:-/var/tmp}/corpusd-container.XXXXXX")
cleanup() {
    set +e
    [ -z "${NGINX_PID:-}" ] || { kill "$NGINX_PID" && wait "$NGINX_PID"; } 2>/dev/null
    podman_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

podman_private_setup || {
    bad "private podman configuration"
    finish
}

# ---- base image: debootstrap from the mirror apt already uses -----------------------------------
t0=$SECONDS
if podman_base_image; then
    ok "base image imported and tagged debian:bookworm, debian:bookworm-slim ($((SECONDS - t0)) s)"
else
    bad "base image (debootstrap, podman import)"
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
podman rm -f -v "$NAME" >/dev/null 2>&1

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
podman rm -f -v -t 0 "$NAME-vol" >/dev/null 2>&1

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

# ==== Kubernetes: deploy/kubernetes/ validated, then played with podman kube play ===============
KUBE=$ROOT/deploy/kubernetes
NODE_DIR=$ROOT/tests/deploy
if [ -d "$NODE_DIR/node_modules/kubernetes-models" ] ||
    npm ci --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1; then
    node "$NODE_DIR/validate_k8s.mjs" "$KUBE" >"$T/validate.log" 2>&1
    rc=$?
    grep -v '^ok ' "$T/validate.log" | sed 's/^/#    /'
    check "every manifest valid against the Kubernetes schemas and consistent ($(tail -n1 "$T/validate.log"))" \
        test "$rc" = 0
    # The validator must be able to fail: a misspelt field, a wrong type, an http probe.
    cp -r "$KUBE" "$T/kube-broken"
    sed -i 's/readinessProbe:/readinesProbe:/; s/replicas: 2/replicas: two/' "$T/kube-broken/deployment.yaml"
    node "$NODE_DIR/validate_k8s.mjs" "$T/kube-broken" >"$T/validate-broken.log" 2>&1
    rc=$?
    check "the validator rejects a copy with a misspelt field and a wrong type (exit $rc)" \
        bash -c "[ $rc != 0 ] && grep -q 'unknown field.*readinesProbe' '$T/validate-broken.log' &&
                 grep -q 'replicas must be integer' '$T/validate-broken.log'"
else
    tail -n 20 "$T/npm.log"
    bad "npm ci in tests/deploy (kubernetes-models) failed: the manifests were not validated"
fi

# The build Job's pod (a Pod: podman plays no Job) and one Deployment per replica (a second
# replica of one play would ask for the same host port); tests/deploy/kube_play.py changes only
# the image, the replica count and the host port.
GRACE_K8S=$(python3 -c 'import sys, yaml
d = [x for x in yaml.safe_load_all(open(sys.argv[1])) if x and x["kind"] == "Deployment"][0]
print(d["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30))' "$KUBE/deployment.yaml")
R1_PORT=$(free_port) R2_PORT=$(free_port) NGX_PORT=$(free_port)
python3 "$NODE_DIR/kube_play.py" pod-from-job "$KUBE/build-db-job.yaml" "$IMAGE" >"$T/build-pod.yaml" &&
    python3 "$NODE_DIR/kube_play.py" replica "$KUBE/deployment.yaml" "$IMAGE" corpusd-r1 "$R1_PORT" \
        >"$T/replica-1.yaml" &&
    python3 "$NODE_DIR/kube_play.py" replica "$KUBE/deployment.yaml" "$IMAGE" corpusd-r2 "$R2_PORT" \
        >"$T/replica-2.yaml" || {
    bad "kube_play.py derives the playable files"
    finish
}
kube_play() { # kube_play FILE: podman kube play, output in $T/play-<file>.log
    podman kube play "$1" >"$T/play-$(basename "$1").log" 2>&1 || {
        tail -n 20 "$T/play-$(basename "$1").log"
        return 1
    }
}

if kube_play "$KUBE/volumes.yaml"; then
    vols=$(podman volume ls -q | sort | paste -sd' ')
    check "podman kube play volumes.yaml creates the claims as volumes ($vols)" \
        test "$vols" = "corpusd-corpus corpusd-store"
else
    bad "podman kube play volumes.yaml"
    finish
fi

# The corpus volume gets the seed corpus plus one article of this test's own, so the served
# store proves it was built from the volume (the image's seed corpus has one article fewer).
mkdir -p "$T/kcorpus"
cp "$ROOT"/corpus/* "$T/kcorpus/"
printf '%s\n' '{"id":"kube-volume-doc","title":"Built by the Job","text":"This article reaches the replicas only through the corpus volume, the build pod and the store volume of the Kubernetes manifests.","published":"2024-06-01","source":"test"}' \
    >"$T/kcorpus/kube.jsonl"
seed_docs=$(find "$T/kcorpus" -maxdepth 1 -name '*.txt' | wc -l)
tar -C "$T/kcorpus" -cf "$T/kcorpus.tar" .
check "the test corpus is imported into the corpus volume" \
    podman volume import corpusd-corpus "$T/kcorpus.tar"

t0=$SECONDS
if kube_play "$T/build-pod.yaml"; then
    build_ctr=$(podman ps -a --filter pod=corpusd-build-db --format '{{.Names}}' |
        grep -v -- '-infra$' | head -n1)
    code=$(podman wait "$build_ctr" 2>/dev/null)
    note "build pod ($build_ctr): $(podman logs "$build_ctr" 2>&1 | grep -o '"msg":"[^"]*"' | tail -n2 | paste -sd' ')"
    check "the build pod (the Job's template, restartPolicy Never) exits 0 ($code, $((SECONDS - t0)) s)" \
        test "$code" = 0
    store_dir=$(podman volume inspect corpusd-store --format '{{.Mountpoint}}')
    db="$store_dir/corpusd.db"
    check "the artefact is in the store volume, owned by the pod's non-root user ($(stat -c '%s bytes, uid %u' "$db" 2>&1))" \
        test -s "$db" -a "$(stat -c %u "$db" 2>/dev/null)" = 10001
else
    bad "podman kube play of the build pod"
    finish
fi

replica_ready() { # replica_ready PORT: up to 60 s for /readyz to answer 200 (the test's own probe)
    for _ in $(seq 600); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")" = 200 ] && return 0
        sleep 0.1
    done
    return 1
}
ctr_of() { podman ps -a --filter "pod=$1-pod-0" --format '{{.Names}}' | grep -v -- '-infra$' | head -n1; }
for r in 1 2; do
    port_var=R${r}_PORT
    if kube_play "$T/replica-$r.yaml" && replica_ready "${!port_var}"; then
        ok "replica $r (Deployment played with replicas: 1) ready on 127.0.0.1:${!port_var}"
    else
        podman logs "$(ctr_of corpusd-r$r)" 2>&1 | tail -n 10
        bad "replica $r becomes ready on 127.0.0.1:${!port_var}"
        finish
    fi
done
R1=$(ctr_of corpusd-r1) R2=$(ctr_of corpusd-r2)

docs=$(curl -s "http://127.0.0.1:$R1_PORT/v1/documents?limit=100")
check "the replicas serve the artefact built from the corpus volume ($(json_total <<<"$docs") documents = $seed_docs + 1)" \
    test "$(json_total <<<"$docs")" = $((seed_docs + 1))
check "replica 2 serves the test's own article" \
    grep -q '"kube-volume-doc"' <<<"$(curl -s "http://127.0.0.1:$R2_PORT/v1/documents/kube-volume-doc")"
check "replica 1 runs --read-only from the store (the corpus volume is not mounted)" \
    bash -c "podman inspect '$R1' --format '{{json .Config.Cmd}} {{json .Mounts}}' |
             grep -q -- '--read-only' && ! podman exec '$R1' ls /data/corpus/kube.jsonl 2>/dev/null"
check "replica runs as uid 10001 ($(podman exec "$R1" id -u))" test "$(podman exec "$R1" id -u)" = 10001
check "replica's root file system is read-only" \
    bash -c "! podman exec '$R1' touch /corpusd-write-test 2>/dev/null && podman exec '$R1' touch /tmp/ok"
check "replica has no capabilities ($(podman exec "$R1" grep CapEff /proc/1/status | tr -s '\t' ' '))" \
    grep -q 'CapEff:[[:space:]]*0000000000000000' <<<"$(podman exec "$R1" grep CapEff /proc/1/status)"
mem=$(podman inspect "$R1" --format '{{.HostConfig.Memory}}')
check "replica's memory limit is the manifest's ($((mem / 1048576)) MiB)" test "$mem" = $((256 * 1048576))
# podman schedules no probes without systemd: run the exec probes' commands as the kubelet would.
check "readiness probe command (corpusd-healthcheck /readyz) exits 0 in the replica" \
    podman exec "$R1" /usr/local/bin/corpusd-healthcheck /readyz
check "liveness probe command (corpusd-healthcheck /healthz) exits 0 in the replica" \
    podman exec "$R1" /usr/local/bin/corpusd-healthcheck /healthz
check "podman turned the liveness probe into the container's healthcheck, which passes" \
    bash -c "podman inspect '$R1' --format '{{json .Config.Healthcheck}}' | grep -q healthz &&
             podman healthcheck run '$R1' >/dev/null 2>&1"

# nginx in front, configured from deploy/nginx.conf.
if nginx_config "$NGINX" "127.0.0.1:$R1_PORT" "127.0.0.1:$R2_PORT" "$NGX_PORT"; then
    "$NGINX" "${NGINX_ARGS[@]}" -g 'daemon off;' >"$T/nginx.stdout" 2>&1 &
    NGINX_PID=$!
    NGX=http://127.0.0.1:$NGX_PORT
    for _ in $(seq 100); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$NGX/readyz")" = 200 ] && break
        sleep 0.1
    done
    check "nginx (deploy/nginx.conf) proxies to the two replicas on 127.0.0.1:$NGX_PORT" \
        test "$(curl -s -o /dev/null -w '%{http_code}' "$NGX/readyz")" = 200
else
    bad "nginx configuration from deploy/nginx.conf"
    finish
fi

LOOP_REQUESTS=${LOOP_REQUESTS:-600}
[ "$LOOP_REQUESTS" -ge 500 ] || LOOP_REQUESTS=500
kill_replica() { podman kill -s KILL "$R1" >/dev/null; }
loop_during kill "$NGX" kill_replica
killed=$(podman inspect --format '{{.State.ExitCode}}' "$R1")
check "replica 1 was killed during the loop (exit code $killed = 128 + SIGKILL)" test "$killed" = 137
note "kill: SIGKILL to replica 1 after $LOOP_AT of $LOOP_TOTAL requests; $LOOP_OK answered 200;" \
    "latency p50 $LOOP_P50 ms, p99 $LOOP_P99 ms, max $LOOP_MAX ms"
check "no request through nginx fails while replica 1 is killed ($((LOOP_TOTAL - LOOP_OK)) of $LOOP_TOTAL failed)" \
    test "$LOOP_ACTION_RC" = 0 -a "$LOOP_TOTAL" = "$LOOP_REQUESTS" -a "$LOOP_OK" = "$LOOP_TOTAL"

# What the kubelet compares with the limit: the replica's cgroup memory after serving the load.
mem_use=$(podman stats --no-stream --format '{{.MemUsage}}' "$R2" 2>/dev/null)
check "replica 2's memory after the load is within its limit (cgroup: $mem_use)" \
    awk -v u="${mem_use%% /*}" 'BEGIN { v = u + 0; if (u ~ /GB$/) v *= 1000; if (u ~ /kB$/) v /= 1000
        exit !(v > 0 && v < 256 * 1.048576) }'

# Replica 1 comes back (podman's pod start; a cluster's kubelet restarts it), then replica 2 is
# drained: SIGTERM, in-flight requests finish, exit 0 within the manifest's grace period.
if podman pod start corpusd-r1-pod-0 >/dev/null 2>&1 && replica_ready "$R1_PORT"; then
    ok "replica 1 restarted and ready again"
else
    bad "replica 1 restarts"
fi
back=0 # nginx sends to it again once its fail_timeout has passed
for i in $(seq 200); do
    curl -s -o /dev/null -H "X-Request-Id: back-$i" "$NGX/healthz"
    podman logs "$R1" 2>/dev/null | grep -q '"back-' && back=1 && break
    sleep 0.1
done
check "nginx sends traffic to the restarted replica 1 again" test "$back" = 1
stop_timed() { # podman stop -t GRACE, timed into STOP_S
    local t0
    t0=$(date +%s.%N)
    podman stop -t "$GRACE_K8S" "$R2" >/dev/null 2>&1
    STOP_S=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
}
loop_during drain "$NGX" stop_timed
code=$(podman inspect --format '{{.State.ExitCode}}' "$R2")
note "drain: podman stop -t $GRACE_K8S replica 2 after $LOOP_AT of $LOOP_TOTAL requests took $STOP_S s," \
    "exit code $code; $LOOP_OK answered 200; p50 $LOOP_P50 ms, p99 $LOOP_P99 ms, max $LOOP_MAX ms"
check "no request through nginx fails while replica 2 drains ($((LOOP_TOTAL - LOOP_OK)) of $LOOP_TOTAL failed)" \
    test "$LOOP_TOTAL" = "$LOOP_REQUESTS" -a "$LOOP_OK" = "$LOOP_TOTAL"
check "replica 2 exits 0 on SIGTERM within terminationGracePeriodSeconds ($STOP_S s < $GRACE_K8S s)" \
    awk "BEGIN { exit !($code == 0 && $STOP_S < $GRACE_K8S - 1) }"
n1=$(grep -c '"request_id":"kill-' <(podman logs "$R1" 2>/dev/null))
n2=$(grep -c '"request_id":"kill-' <(podman logs "$R2" 2>/dev/null))
note "requests of the kill loop in the replicas' access logs: replica 1 $n1 (before the kill), replica 2 $n2"

# Teardown: kube down every play, then the volumes (kube down leaves them).
kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
NGINX_PID=
for f in "$T/replica-1.yaml" "$T/replica-2.yaml" "$T/build-pod.yaml" "$KUBE/volumes.yaml"; do
    podman kube down "$f" >>"$T/down.log" 2>&1
done
left_vols=$(podman volume ls -q | paste -sd' ')
note "volumes left by podman kube down: ${left_vols:-none}"
podman volume rm corpusd-corpus corpusd-store >>"$T/down.log" 2>&1
check "teardown leaves no pod, container or volume (pods: $(podman pod ps -q | wc -l), containers: $(podman ps -a -q | wc -l), volumes: $(podman volume ls -q | wc -l))" \
    test -z "$(podman pod ps -q)$(podman ps -a -q)$(podman volume ls -q)"

finish
