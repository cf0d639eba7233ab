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
set -u
BUILD=${BUILD:-build}
export WE_BUILD="$BUILD"
pass=0
fail=0
failed=""
wrap=""
if [ "${VALGRIND:-0}" = 1 ]; then
    wrap="valgrind -q --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --error-exitcode=99"
    timeout_s=${TEST_TIMEOUT:-1800}
else
    timeout_s=${TEST_TIMEOUT:-300}
fi
case $timeout_s in
'' | *[!0-9]*)
    echo "run-tests.sh: TEST_TIMEOUT must be a number of seconds, not '$timeout_s'" >&2
    exit 2
    ;;
esac
limit=""
child=""
stop=0
trap 'stop=1; if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; else exit 130; fi' INT TERM
if [ "$timeout_s" -gt 0 ]; then
    # TERM to the test's whole process group, KILL 10 s later if need be.
    limit="timeout -k 10 $timeout_s"
fi

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

times="" # "seconds name" per test, for the slowest-tests line

run_one() { # name, command...
    name=$1
    shift
    t0=$(date +%s)
    if [ -z "$limit" ]; then
        "$@"
        rc=$?
    else
        # timeout runs the test in a process group of its own, which a ^C
        # at the terminal does not reach: the trap below passes it on.
        # (An asynchronous command reads /dev/null; no test reads stdin.)
        # shellcheck disable=SC2086
        $limit "$@" &
        child=$!
        wait "$child"
        rc=$?
        if [ "$stop" -ne 0 ]; then
            wait "$child"
            exit 130
        fi
        child=""
    fi
    times="$times$(($(date +%s) - t0)) ${name##*/}
"
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1))
        return
    fi
    fail=$((fail + 1))
    # timeout exits 124 when it sent TERM, 137 when it had to KILL.
    if [ -n "$limit" ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
        echo "FAIL: $name: timed out after $timeout_s s (TEST_TIMEOUT)"
        failed="$failed $name(timed out)"
    else
        failed="$failed $name"
    fi
}

for t in "$BUILD"/tests/unit/test_* "$BUILD"/tests/plugins/test_*; do
    [ -x "$t" ] || continue
    selected "${t##*/}" || continue
    echo "== $t"
    run_one "$t" $wrap "$t"
done
if [ -n "$wrap" ] && [ "$want" = " " ]; then
    # The end-to-end path under valgrind: the host, the seven plugins in
    # their child processes, the inference and every report writer.
    vgout=$(mktemp -d "${TMPDIR:-/tmp}/wijkeval-vg.XXXXXX")
    echo "== valgrind: $BUILD/wijkeval run configs/demo.cfg"
    # valgrind does not know the Landlock system calls, so the plugin
    # sandbox cannot be entered under it (docs/plugins.md, Sandbox).
    run_one "valgrind demo run" $wrap --error-exitcode=1 \
        "$BUILD/wijkeval" run configs/demo.cfg -q -o "$vgout" \
        --allow-unsandboxed
    rm -rf "$vgout"
fi

if [ -n "$wrap" ] && [ "$want" = " " ]; then
    echo "== e2e scripts: not repeated under VALGRIND=1 (they run in the" \
        "plain make test with the same build)"
fi
for t in tests/e2e/*.sh; do
    [ -f "$t" ] || continue
    n=${t##*/}
    [ -n "$wrap" ] && [ "$want" = " " ] && continue
    selected "${n%.sh}" || continue
    echo "== $t"
    run_one "$t" sh "$t"
done

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

# Where the suite's time goes (CI must stay under 30 minutes).
slowest=$(printf '%s' "$times" | sort -rn | head -n 5 |
    awk '{ printf "%s%s %ss", sep, $2, $1; sep = ", " }')
[ -n "$slowest" ] && echo "slowest: $slowest"
[ -n "$failed" ] && echo "failed:$failed"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
