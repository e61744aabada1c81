#!/bin/sh
#
# Copyright (C) nv8 contributors
#
# Builds a second copy of nv8 with --enable-asan in BUILDDIR/build/asan (an
# in-tree configure forbids a VPATH build, so the sources are copied).
#
#   asan-build.sh SRCDIR BUILDDIR V8_PREFIX

set -eu

srcdir=$1
out=$2/build/asan
v8=$3

mkdir -p "$out"

# the tracked sources, or everything but build products outside git
if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$srcdir" && git ls-files -z --cached --others --exclude-standard \
        | xargs -0 tar -cf -) | tar -xf - -C "$out"
else
    (cd "$srcdir" && tar -cf - --exclude=./build --exclude=./.nv8-deps .) \
        | tar -xf - -C "$out"
fi

cd "$out"

if [ ! -f Makefile ] || [ configure.ac -nt Makefile ] \
   || [ Makefile.am -nt Makefile ]
then
    ./autogen.sh > autogen.log 2>&1 || { cat autogen.log; exit 1; }
    ./configure --enable-asan --with-v8="$v8" > configure.log 2>&1 \
        || { cat configure.log; exit 1; }
fi

make -f Makefile > make.log 2>&1 || { cat make.log; exit 1; }
