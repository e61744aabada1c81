#!/bin/sh
#
# Copyright (C) nv8 contributors
#
# Builds ngx_http_v8_module.so with nginx's own build system, from a copy of
# the configured nginx source tree (nginx-dev's) configured with the same
# flags as the installed nginx plus --with-compat, so the module's
# signature matches the binary that loads it.
#
#   build-module.sh SRCDIR BUILDDIR     (env: NGINX_SRC, ENABLE_DEBUG)

set -eu

srcdir=$1
builddir=$2
nginx_src=${NGINX_SRC:-/usr/share/nginx/src}
out=$builddir/build/nginx

flags=
if [ -f "$nginx_src/conf_flags" ]; then
    # NGX_CONF_FLAGS=( ... ): the installed nginx's configure arguments
    flags=$(sed -n 's/^NGX_CONF_FLAGS=( *\(.*\) *)$/\1/p' \
            "$nginx_src/conf_flags")
fi

case " $flags " in
    *" --with-compat "*) ;;
    *) flags="$flags --with-compat" ;;
esac

# the code cache (Makefile.am) is linked when it was built: configure anew
# when it comes or goes
cache=none
[ -f "$builddir/runtime/nv8_code_cache.o" ] && cache=linked
stamp="$flags --add-dynamic-module=$srcdir/ngx_module code-cache=$cache"

if [ ! -f "$out/objs/Makefile" ] || [ "$(cat "$out/.nv8-flags" 2>/dev/null)" != "$stamp" ] \
   || [ "$srcdir/ngx_module/config" -nt "$out/objs/Makefile" ] \
   || [ "$builddir/ngx_module/config.inc" -nt "$out/objs/Makefile" ]
then
    rm -rf "$out"
    mkdir -p "$out"
    cp -a "$nginx_src/." "$out/"
    (
        cd "$out"
        # shellcheck disable=SC2086
        NV8_CONFIG_INC="$builddir/ngx_module/config.inc" \
        ./configure $flags --add-dynamic-module="$srcdir/ngx_module" \
            > configure.log 2>&1 || { cat configure.log; exit 1; }
    )
    echo "$stamp" > "$out/.nv8-flags"
fi

# the runtime library is not a make dependency of nginx's link step
rm -f "$out/objs/ngx_http_v8_module.so"

make -C "$out" -f objs/Makefile modules > "$out/make.log" 2>&1 \
    || { cat "$out/make.log"; exit 1; }

mkdir -p "$builddir/modules"
# replace, never overwrite in place: a running nginx maps the old file
cp "$out/objs/ngx_http_v8_module.so" "$builddir/modules/.ngx_http_v8_module.so.new"
mv -f "$builddir/modules/.ngx_http_v8_module.so.new" \
    "$builddir/modules/ngx_http_v8_module.so"
