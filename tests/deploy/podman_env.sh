# tests/deploy/podman_env.sh — rootful podman in a private, throw-away configuration, and the
# Debian 12 minbase base image (../shared/CONTAINER.md). Sourced (bash) by test_container.sh and
# deploy/measure-minbase.sh, which set T (their temporary directory) and BASE_TAR (the cached
# debootstrap tarball). Each function prints what went wrong and returns 1 on failure.

# podman_private_setup: storage (overlay) and engine (runc, cgroupfs, file events) under $T, with
# the ulimits root may set here; refuses unless podman really uses that storage, because
# podman_cleanup removes everything podman sees. Sets PODMAN_OK=1.
podman_private_setup() {
    local graphroot
    mkdir -p "$T/graph" "$T/run" "$T/tmp"
    printf '%s\n' '[storage]' 'driver = "overlay"' "runroot = \"$T/run\"" \
        "graphroot = \"$T/graph\"" >"$T/storage.conf"
    printf '%s\n' '[containers]' 'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]' \
        '' '[engine]' 'runtime = "runc"' 'cgroup_manager = "cgroupfs"' 'events_logger = "file"' \
        "tmp_dir = \"$T/tmp\"" >"$T/containers.conf"
    export CONTAINERS_STORAGE_CONF=$T/storage.conf CONTAINERS_CONF=$T/containers.conf
    graphroot=$(podman info --format '{{.Store.GraphRoot}}' 2>"$T/info.err")
    if [ "$graphroot" != "$T/graph" ]; then
        echo "podman does not use the private storage (graphroot '$graphroot'): $(head -c 300 "$T/info.err")"
        return 1
    fi
    PODMAN_OK=1
}

# podman_cleanup: every pod, container, volume and image of the private storage, its mounts, $T.
podman_cleanup() {
    if [ -n "${PODMAN_OK:-}" ]; then
        podman pod rm -a -f -t 0 >/dev/null 2>&1
        podman rm -a -f -t 0 >/dev/null 2>&1
        podman volume prune -f >/dev/null 2>&1
        podman rmi -a -f >/dev/null 2>&1
    fi
    # overlay mounts left under our storage must go before the directory can be removed
    [ -n "${T:-}" ] && [ -d "$T" ] || return 0
    findmnt -rn -o TARGET | grep -F "$T/" | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$T"
}

# apt_mirror: the Debian mirror this machine's apt uses for bookworm (never a hard-coded host).
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

# podman_base_image: debootstrap --variant=minbase bookworm into $BASE_TAR unless cached there,
# imported as localhost/debian:bookworm and tagged debian:bookworm and debian:bookworm-slim, so
# the Dockerfile's FROM lines resolve without a registry.
podman_base_image() {
    local mirror
    mirror=$(apt_mirror | head -n1)
    if [ -z "$mirror" ]; then
        echo "no Debian bookworm mirror found in the apt sources"
        return 1
    fi
    if [ ! -s "$BASE_TAR" ]; then
        echo "#    debootstrap --variant=minbase bookworm from $mirror (cached in $BASE_TAR)"
        mkdir -p "$(dirname "$BASE_TAR")"
        if debootstrap --variant=minbase bookworm "$T/rootfs" "$mirror" >"$T/debootstrap.log" 2>&1 &&
            chroot "$T/rootfs" apt-get clean &&
            rm -rf "$T/rootfs"/var/lib/apt/lists/* "$T/rootfs"/var/cache/apt/*.bin &&
            tar -C "$T/rootfs" -c . >"$BASE_TAR.tmp.$$" && mv "$BASE_TAR.tmp.$$" "$BASE_TAR"; then
            rm -rf "$T/rootfs"
        else
            tail -n 20 "$T/debootstrap.log"
            rm -rf "$T/rootfs" "$BASE_TAR.tmp.$$"
            echo "debootstrap of the base image failed"
            return 1
        fi
    fi
    podman import "$BASE_TAR" localhost/debian:bookworm >"$T/import.log" 2>&1 &&
        podman tag localhost/debian:bookworm docker.io/library/debian:bookworm \
            docker.io/library/debian:bookworm-slim || {
        cat "$T/import.log"
        echo "podman import of the base image failed"
        return 1
    }
}
