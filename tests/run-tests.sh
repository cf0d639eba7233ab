#!/bin/sh
# Runs every test program and end-to-end script, then prints one closing
# line "tests: N passed, N failed". Exit status 1 when anything failed.
# Usage: tests/run-tests.sh [NAME...]
#   NAME       run only these tests: a unit or plugin test program
#              (test_csv, or its path) or an e2e script (sdk, sdk.sh or
#              tests/e2e/sdk.sh); `make test T="NAME..."` passes them
#   BUILD      build directory (build or build/san)
#   VALGRIND=1 run the unit and plugin tests under valgrind, and one full
#              demo run (host and plugin children) under valgrind. The e2e
#              scripts do not run under valgrind and would repeat the plain
#              pass with the same build, so they run only when named.
#   TEST_TIMEOUT  seconds each test may take (coreutils timeout; default
#              300, 1800 under VALGRIND=1; 0: no limit). A test that takes
#              longer is stopped and counted as failed, "timed out".
#   TEST_JOBS  tests run at once (default: the number of cores). Each
#              test's output is printed in one piece when it ends.
set -u
BUILD=${BUILD:-build}
export WE_BUILD="$BUILD"
wrap=""
if [ "${VALGRIND:-0}" = 1 ]; then
    # Simulation tests run a small mechanics-only version under valgrind
    # (their statistical bounds need the full size, which the plain and
    # sanitizer passes run).
    WE_TEST_UNDER_VALGRIND=1
    export WE_TEST_UNDER_VALGRIND
    wrap="valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99"
    timeout_s=${TEST_TIMEOUT:-1800}
else
    timeout_s=${TEST_TIMEOUT:-300}
fi
# The ASan + UBSan build (make test SAN=1): the same small versions.
case $BUILD in
*/san)
    WE_TEST_UNDER_SANITIZERS=1
    export WE_TEST_UNDER_SANITIZERS
    ;;
esac
case $timeout_s in
'' | *[!0-9]*)
    echo "run-tests.sh: TEST_TIMEOUT must be a number of seconds, not '$timeout_s'" >&2
    exit 2
    ;;
esac
limit=""
if [ "$timeout_s" -gt 0 ]; then
    # TERM to the test's whole process group, KILL 10 s later if need be.
    limit="timeout -k 10 $timeout_s"
fi
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
case $jobs in
'' | *[!0-9]* | 0)
    echo "run-tests.sh: TEST_JOBS must be a number of tests at once (1 or more), not '$jobs'" >&2
    exit 2
    ;;
esac

# The tests asked for by name; none: all of them.
want=" "
for n in "$@"; do
    n=${n##*/}
    want="$want${n%.sh} "
done
found=" "
selected() { # name
    [ "$want" = " " ] && return 0
    case $want in
    *" $1 "*)
        found="$found$1 "
        return 0
        ;;
    esac
    return 1
}

results=$(mktemp -d "${TMPDIR:-/tmp}/wijkeval-tests.XXXXXX")
vgout=""
trap 'rm -rf "$results" ${vgout:+"$vgout"}' EXIT
# Each line of $results/list: "index name command...", one test.
n_tests=0
add() { # name, command...
    n_tests=$((n_tests + 1))
    name=$1
    shift
    echo "$n_tests $name $*" >>"$results/list"
}

# The end-to-end scripts first: they take longest, and with TEST_JOBS
# tests at once the suite ends when its longest test does.
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    n=${t##*/}
    [ -n "$wrap" ] && [ "$want" = " " ] && continue
    selected "${n%.sh}" || continue
    add "$n" sh "$t"
done
if [ -n "$wrap" ] && [ "$want" = " " ]; then
    echo "== e2e scripts: not repeated under VALGRIND=1 (they run in the" \
        "plain make test with the same build)"
    # The end-to-end path under valgrind: the host, the seven plugins in
    # their child processes, the inference and every report writer.
    vgout=$(mktemp -d "${TMPDIR:-/tmp}/wijkeval-vg.XXXXXX")
    # valgrind does not know the Landlock system calls, so the plugin
    # sandbox cannot be entered under it (docs/plugins.md, Sandbox).
    # shellcheck disable=SC2086 # $wrap is a command line
    add valgrind_demo_run $wrap --error-exitcode=1 \
        "$BUILD/wijkeval" run configs/demo.cfg -q -o "$vgout" \
        --allow-unsandboxed
fi
for t in "$BUILD"/tests/unit/test_* "$BUILD"/tests/plugins/test_*; do
    [ -x "$t" ] || continue
    selected "${t##*/}" || continue
    # shellcheck disable=SC2086 # $wrap is a command line
    add "${t##*/}" $wrap "$t"
done

stop=0
# shellcheck disable=SC2154 # f is the loop's
trap 'stop=1; for f in "$results"/*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null; done' INT TERM
if [ "$n_tests" -gt 0 ]; then
    echo "== $n_tests tests, $jobs at once (TEST_JOBS)"
    # One run-one.sh per test, each writing its pid so that a signal to
    # this script reaches every test that is running.
    LIMIT=$limit xargs -d '\n' -n 1 -P "$jobs" sh -c \
        'echo $$ >"$1/${2%% *}.pid"; exec sh tests/run-one.sh "$1" "$2"' \
        sh "$results" <"$results/list" &
    wait $!
    [ "$stop" -ne 0 ] && wait
fi
[ "$stop" -ne 0 ] && exit 130

pass=0
fail=0
failed=""
times="" # "seconds name" per test, for the slowest-tests line
while read -r index name _; do
    rc=$(cat "$results/$index.rc" 2>/dev/null || echo 127)
    times="$times$(cat "$results/$index.secs" 2>/dev/null || echo 0) $name
"
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
        continue
    fi
    fail=$((fail + 1))
    # timeout exits 124 when it sent TERM, 137 when it had to KILL.
    if [ -n "$limit" ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
        echo "FAIL: $name: timed out after $timeout_s s (TEST_TIMEOUT)"
        failed="$failed $name(timed out)"
    else
        failed="$failed $name"
    fi
done <"$results/list" 2>/dev/null

for n in $want; do
    case $found in
    *" $n "*) ;;
    *)
        echo "FAIL: no test named '$n' (a program in $BUILD/tests/unit or" \
            "$BUILD/tests/plugins, or a script in tests/e2e)"
        fail=$((fail + 1))
        failed="$failed $n(not found)"
        ;;
    esac
done

# Where the suite's time goes (CI must stay under 30 minutes): the five
# slowest here, every test in $BUILD/test-times.txt.
[ "$want" = " " ] && printf '%s' "$times" | sort -rn >"$BUILD/test-times.txt"
slowest=$(printf '%s' "$times" | sort -rn | head -n 5 |
    awk '{ printf "%s%s %ss", sep, $2, $1; sep = ", " }')
[ -n "$slowest" ] && echo "slowest: $slowest"
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
