#!/bin/sh
# runtime-packages.sh BINARY — the Debian packages that provide the shared libraries BINARY loads
# (from ldd), one per line. The Dockerfile's build stage runs it so that the final stage installs
# exactly the runtime libraries of the binary it ships, whatever the Makefile links.
# Exits non-zero if a library belongs to no package.
set -eu
libs=$(ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
pkgs=""
for lib in $libs; do
    real=$(readlink -f "$lib")
    pkg=""
    # usrmerge: dpkg may know the file under /lib or under /usr/lib, by its link name or target
    for p in "$lib" "$real" "/usr$lib" "/usr$real" "${lib#/usr}" "${real#/usr}"; do
        pkg=$(dpkg-query -S "$p" 2>/dev/null | head -n1 | cut -d: -f1) || pkg=""
        [ -z "$pkg" ] || break
    done
    if [ -z "$pkg" ]; then
        echo "runtime-packages.sh: no Debian package owns $lib" >&2
        exit 1
    fi
    pkgs="$pkgs$pkg
"
done
printf '%s' "$pkgs" | sort -u
