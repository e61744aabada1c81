#!/usr/bin/env bash
#
# Copyright (C) nv8 contributors
#
# Installs what nv8 needs to build and test on Debian 12, and prints the V8
# prefix to use.  Safe to run repeatedly; does nothing when all is present.
#
#   build-aux/deps.sh [DEPS_DIR]
#
# Debian packages come from apt.  V8 comes from libnode108 + libnode-dev: if
# they are installed system-wide (/usr/include/node/v8.h) that is used;
# otherwise, as on machines whose vendor Node.js makes libnode-dev
# uninstallable, both .debs are downloaded and unpacked into DEPS_DIR
# (default .nv8-deps/ in the checkout).  The machine's nodejs is never touched.

set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
deps=${1:-$top/.nv8-deps}

apt_pkgs="nginx nginx-dev libuv1-dev libssl-dev libpcre2-dev zlib1g-dev
          libbrotli-dev libicu-dev libnginx-mod-http-js wrk
          autoconf automake libtool pkg-config make gcc g++ perl curl
          clang libclang-rt-14-dev
          libicu72 libc-ares2 libbrotli1 libnghttp2-14 libuv1"

missing=""
for p in $apt_pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
         | grep -q 'install ok installed'
    then
        missing="$missing $p"
    fi
done

apt_updated=no

apt_update() {
    if [ $apt_updated = no ]; then
        echo "deps: apt-get update" >&2
        apt-get update -qq >&2
        apt_updated=yes
    fi
}

if [ -n "$missing" ]; then
    echo "deps: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    # a fresh machine's package lists may be empty or stale
    apt_update
    apt-get install -y -qq --no-install-recommends $missing >&2
fi

if [ -f /usr/include/node/v8.h ] && [ -e /usr/lib/x86_64-linux-gnu/libnode.so ]
then
    echo /usr
    exit 0
fi

v8_prefix=$deps/libnode/usr

if [ ! -f "$v8_prefix/include/node/v8.h" ] \
   || [ ! -e "$v8_prefix/lib/x86_64-linux-gnu/libnode.so.108" ]
then
    echo "deps: unpacking libnode108 + libnode-dev into $deps/libnode" >&2
    mkdir -p "$deps/debs"
    cd "$deps/debs"
    rm -f ./*.deb
    if ! apt-get download libnode108 libnode-dev >&2 2>"$deps/debs/log"; then
        apt_update
        apt-get download libnode108 libnode-dev >&2
    fi
    rm -rf "$deps/libnode"
    for d in ./*.deb; do
        dpkg-deb -x "$d" "$deps/libnode"
    done
fi

echo "$v8_prefix"
