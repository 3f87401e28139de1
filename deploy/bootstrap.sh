# deploy/bootstrap.sh — sourced by ./run and ./test (POSIX sh): installs the two tools the
# Makefile needs before it can install anything itself, make and gcc, with apt-get when they are
# missing (sudo when not root). Does nothing when both are there.
bootstrap_missing=""
command -v make >/dev/null 2>&1 || bootstrap_missing="$bootstrap_missing make"
command -v gcc >/dev/null 2>&1 || bootstrap_missing="$bootstrap_missing gcc"
if [ -n "$bootstrap_missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        bootstrap_sudo=""
    elif command -v sudo >/dev/null 2>&1; then
        bootstrap_sudo=sudo
    else
        echo "$0: needs$bootstrap_missing; run as root or install sudo" >&2
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$0: needs$bootstrap_missing and there is no apt-get: install them first" >&2
        exit 1
    fi
    echo "$0: installing$bootstrap_missing"
    $bootstrap_sudo apt-get update -qq
    # shellcheck disable=SC2086 # one word per package
    $bootstrap_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $bootstrap_missing
fi
unset bootstrap_missing bootstrap_sudo
