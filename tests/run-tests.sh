#!/bin/sh
# Runs every test program and end-to-end script, then prints one closing
# line "tests: N passed, N failed". Exit status 1 when anything failed.
#   BUILD      build directory (build or build/san)
#   VALGRIND=1 run the unit and plugin tests under valgrind, and one full
#              demo run (host and plugin children) under valgrind
set -u
BUILD=${BUILD:-build}
export WE_BUILD="$BUILD"
pass=0
fail=0
failed=""
wrap=""
if [ "${VALGRIND:-0}" = 1 ]; then
    wrap="valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99"
fi

run_one() { # name, command...
    name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        failed="$failed $name"
    fi
}

for t in "$BUILD"/tests/unit/test_* "$BUILD"/tests/plugins/test_*; do
    [ -x "$t" ] || continue
    echo "== $t"
    run_one "$t" $wrap "$t"
done
if [ -n "$wrap" ]; then
    # The end-to-end path under valgrind: the host, the seven plugins in
    # their child processes, the inference and every report writer.
    vgout=$(mktemp -d "${TMPDIR:-/tmp}/wijkeval-vg.XXXXXX")
    echo "== valgrind: $BUILD/wijkeval run configs/demo.cfg"
    run_one "valgrind demo run" $wrap --error-exitcode=1 \
        "$BUILD/wijkeval" run configs/demo.cfg -q -o "$vgout"
    rm -rf "$vgout"
fi

for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    echo "== $t"
    run_one "$t" sh "$t"
done

[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
