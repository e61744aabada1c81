#!/bin/sh
# JS tests for the runtime without nginx: each t/js/NAME.js runs under nv8;
# its stdout must equal NAME.out and its exit status NAME.status (default 0).
# NAME.env, if present, holds VAR=value lines set for that run.
# Prints "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
nv8=${NV8:-$here/../../nv8}
pass=0
fail=0
for js in "$here"/*.js; do
    name=$(basename "$js" .js)
    want=0
    [ -f "$here/$name.status" ] && want=$(cat "$here/$name.status")
    envs=
    [ -f "$here/$name.env" ] && envs=$(cat "$here/$name.env")
    out=$(cd "$here" && env $envs timeout 30 "$nv8" "$js" \
          2>/tmp/nv8-js-$$.err)
    got=$?
    if [ "$got" = "$want" ] && [ "$out" = "$(cat "$here/$name.out")" ]; then
        pass=$((pass + 1))
        echo "ok - $name"
    else
        fail=$((fail + 1))
        echo "not ok - $name (exit $got, want $want)"
        printf '%s\n' "$out" | diff "$here/$name.out" - | sed 's/^/#   /'
        sed 's/^/#   stderr: /' /tmp/nv8-js-$$.err
    fi
done
rm -f /tmp/nv8-js-$$.err
echo "js: $pass passed, $fail failed"
[ "$fail" = 0 ]
