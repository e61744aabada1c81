#!/bin/sh
#
# Copyright (C) nv8 contributors
#
# Builds the fuzzing nginx (fuzz/README.md): the runtime configured with
# --enable-fuzz by clang in BUILDDIR/build/fuzz/src, then nginx with
# ngx_module/ and fuzz/ linked in statically, everything instrumented for
# libFuzzer, ASan and UBSan.  Prints the binary's path.
#
# nginx-dev ships nginx's headers, not its .c files, so the source of the
# installed nginx's upstream release comes from Debian's source archive
# (apt-get source --tar-only, with a private apt state: the machine's
# sources.list is not touched), cached in BUILDDIR/build/fuzz/dl.
#
#   fuzz-build.sh SRCDIR BUILDDIR V8_PREFIX

set -eu

srcdir=$1
out=$2/build/fuzz
v8=$3

for t in clang clang++; do
    command -v $t >/dev/null || { echo "fuzz: $t not found" >&2; exit 1; }
done

fuzzer=$(clang -print-file-name=libclang_rt.fuzzer_no_main-x86_64.a)
if [ ! -f "$fuzzer" ]; then
    echo "fuzz: libFuzzer ($fuzzer) not found: apt-get install libclang-rt-14-dev" >&2
    exit 1
fi

mkdir -p "$out/src"

# the tracked sources, or everything but build products outside git
if git -C "$srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$srcdir" && git ls-files -z --cached --others --exclude-standard \
        | xargs -0 tar -cf -) | tar -xf - -C "$out/src"
else
    (cd "$srcdir" && tar -cf - --exclude=./build --exclude=./.nv8-deps .) \
        | tar -xf - -C "$out/src"
fi

(
    cd "$out/src"
    if [ ! -f Makefile ] || [ configure.ac -nt Makefile ] \
       || [ Makefile.am -nt Makefile ]
    then
        ./autogen.sh > autogen.log 2>&1 || { cat autogen.log; exit 1; }
        ./configure CC=clang CXX=clang++ --enable-fuzz --with-v8="$v8" \
            > configure.log 2>&1 || { cat configure.log; exit 1; }
    fi
    make -f Makefile runtime/libnv8.a > make.log 2>&1 \
        || { cat make.log; exit 1; }
) >&2

# nginx's upstream source, as Debian ships it
dl=$out/dl
tarball=$(ls "$dl"/nginx_*.orig.tar.gz 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
    apt=$out/apt
    mkdir -p "$apt/parts" "$apt/lists/partial" "$dl"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        sed 's/^Types: deb$/Types: deb-src/' "$f" > "$apt/parts/$(basename "$f")"
    done
    if [ -f /etc/apt/sources.list ]; then
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > "$apt/parts/main.list"
    fi
    aptopts="-o Dir::Etc::SourceList=$apt/none.list
             -o Dir::Etc::SourceParts=$apt/parts
             -o Dir::State::Lists=$apt/lists
             -o APT::Sandbox::User=root"
    # shellcheck disable=SC2086
    apt-get $aptopts update >&2
    # shellcheck disable=SC2086
    (cd "$dl" && apt-get $aptopts source --download-only --tar-only nginx) >&2
    tarball=$(ls "$dl"/nginx_*.orig.tar.gz 2>/dev/null | head -n 1 || true)
    [ -n "$tarball" ] || { echo "fuzz: no nginx source" >&2; exit 1; }
fi

san="-fsanitize=address,undefined -fno-omit-frame-pointer"
stamp="fuzz 3 $srcdir $tarball"

if [ ! -f "$out/nginx/objs/Makefile" ] \
   || [ "$(cat "$out/nginx/.nv8-flags" 2>/dev/null)" != "$stamp" ] \
   || [ "$out/src/ngx_module/config" -nt "$out/nginx/objs/Makefile" ] \
   || [ "$out/src/fuzz/config" -nt "$out/nginx/objs/Makefile" ]
then
    rm -rf "$out/nginx"
    mkdir -p "$out/nginx"
    tar -xzf "$tarball" -C "$out/nginx" --strip-components=1
    (
        cd "$out/nginx"
        NV8_CONFIG_INC="$out/src/ngx_module/config.inc" \
        NV8_FUZZ_LIBS="$fuzzer" \
        ./configure --with-cc=clang \
            --with-cc-opt="-g -O1 $san -fsanitize=fuzzer-no-link" \
            --with-ld-opt="$san -fsanitize-link-c++-runtime -lstdc++" \
            --with-threads --with-http_v2_module \
            --add-module="$out/src/ngx_module" \
            --add-module="$out/src/fuzz" \
            > configure.log 2>&1 || { cat configure.log; exit 1; }
    ) >&2
    echo "$stamp" > "$out/nginx/.nv8-flags"
fi

# the runtime library is not a make dependency of nginx's link step
rm -f "$out/nginx/objs/nginx"
make -C "$out/nginx" -f objs/Makefile > "$out/nginx/make.log" 2>&1 \
    || { cat "$out/nginx/make.log" >&2; exit 1; }

echo "$out/nginx/objs/nginx"
