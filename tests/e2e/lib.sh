# Helpers of the end-to-end tests, sourced by every tests/e2e/*.sh:
#
#   . "$(dirname "$0")/lib.sh"
#
# Sets ROOT (the repository, also the working directory), WE_BUILD (made
# absolute; default build), W (the wijkeval binary), DEMO (the demo panel)
# and TMP (a fresh directory removed on exit). Nothing is written outside
# TMP. Every check prints one "ok" line; the first failure prints
# "FAIL: script: what" and ends the script with status 1.

set -eu
LC_ALL=C
export LC_ALL
# A user's plugin path would add plugins to every listing and run.
unset WIJKEVAL_PLUGIN_PATH

SCRIPT=$(basename "$0")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
WE_BUILD=${WE_BUILD:-build}
case $WE_BUILD in
/*) ;;
*) WE_BUILD=$ROOT/$WE_BUILD ;;
esac
W=$WE_BUILD/wijkeval
DEMO=$ROOT/data/demo

TMP=$(mktemp -d "${TMPDIR:-/tmp}/wijkeval-e2e.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# Without this a signal would end the shell without running the EXIT trap.
trap 'exit 1' HUP INT TERM
STDOUT=$TMP/.stdout
STDERR=$TMP/.stderr

fail() {
    printf 'FAIL: %s: %s\n' "$SCRIPT" "$*" >&2
    exit 1
}

ok() {
    printf 'ok   %s\n' "$*"
}

[ -x "$W" ] || fail "$W is not built; run make (or make SAN=1)"

# under_sanitizers: true in the ASan + UBSan pass (make test SAN=1).
# rounds PLAIN SANITIZED: how many times a repetition test repeats. Under
# ASan + UBSan (the build in build/san) a run costs about six times the
# CPU, and repeating a race twenty times finds no more memory errors than
# repeating it three; the plain pass keeps the full count.
under_sanitizers() {
    case $WE_BUILD in
    */san) return 0 ;;
    *) return 1 ;;
    esac
}
rounds() {
    if under_sanitizers; then echo "$2"; else echo "$1"; fi
}

# A command line for messages, with the temporary and build paths short.
show() {
    printf '%s ' "$@" | sed -e "s|$TMP|\$TMP|g" -e "s|$WE_BUILD/|\$WE_BUILD/|g" \
        -e "s|$ROOT/||g" -e 's/ $//'
}

# Shows the captured output of the last command, for a failure message.
dump_output() {
    printf -- '--- stdout:\n' >&2
    head -n 20 "$STDOUT" >&2
    printf -- '--- stderr:\n' >&2
    head -n 20 "$STDERR" >&2
}

# Runs a command, keeping its stdout and stderr in $STDOUT and $STDERR and
# its exit status in RC; never stops the script.
run() {
    if "$@" >"$STDOUT" 2>"$STDERR"; then RC=0; else RC=$?; fi
}

# expect_exit CODE cmd...: the command exits with CODE.
expect_exit() {
    want=$1
    shift
    run "$@"
    if [ "$RC" -ne "$want" ]; then
        dump_output
        fail "exit $RC, expected $want: $(show "$@")"
    fi
    ok "exit $want: $(show "$@")"
}

# expect_exit_nonzero cmd...: the command fails, whatever the status.
expect_exit_nonzero() {
    run "$@"
    if [ "$RC" -eq 0 ]; then
        dump_output
        fail "exit 0, expected a failure: $(show "$@")"
    fi
    ok "exit $RC (non-zero): $(show "$@")"
}

# expect_contains FILE TEXT...: FILE contains every TEXT, literally.
expect_contains() {
    file=$1
    shift
    [ -f "$file" ] || fail "$(show "$file") does not exist"
    for text in "$@"; do
        if ! grep -F -q -e "$text" "$file"; then
            printf -- '--- %s:\n' "$(show "$file")" >&2
            head -n 20 "$file" >&2
            fail "$(show "$file") does not contain '$(show "$text")'"
        fi
    done
    ok "$(basename "$file") contains: $(show "$@")"
}

# expect_stderr TEXT...: the last command's stderr contains every TEXT.
expect_stderr() {
    for text in "$@"; do
        if ! grep -F -q -e "$text" "$STDERR"; then
            dump_output
            fail "stderr does not contain '$(show "$text")'"
        fi
    done
    ok "stderr names: $(show "$@")"
}

# expect_absent PATH: nothing was created at PATH.
expect_absent() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        fail "$(show "$1") was created, but nothing may be written"
    fi
    ok "nothing written: $(show "$1") does not exist"
}

# expect_same FILE1 FILE2: byte-identical files.
expect_same() {
    cmp -s "$1" "$2" || fail "$(show "$1") and $(show "$2") differ"
    ok "identical: $(show "$1") $(show "$2")"
}

# pycheck WHAT CODE ARGS...: runs a python3 check; it prints its own lines
# and leaves with sys.exit("message") on a failure.
pycheck() {
    what=$1
    shift
    code=$1
    shift
    python3 -c "$code" "$@" || fail "$what"
}

# same_report A B WHAT: report.json files A and B are equal apart from the
# run's start and end times.
same_report() {
    pycheck "$3" '
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
for r in (a, b):
    r["run"].pop("started"); r["run"].pop("finished")
if a != b:
    sys.exit("the reports differ")
' "$1" "$2"
}

# tests/run-tests.sh runs every tests/e2e/*.sh, this file too. Run on its
# own, it checks that each helper passes what it should and stops on what
# it should not, since a check that cannot fail proves nothing.
if [ "$SCRIPT" = lib.sh ]; then
    printf 'needle\n' >"$TMP/file"
    for good in 'expect_exit 0 true' 'expect_exit 3 sh -c "exit 3"' \
        'expect_exit_nonzero false' 'expect_contains "$TMP/file" needle' \
        'expect_absent "$TMP/none"' 'expect_same "$TMP/file" "$TMP/file"' \
        'run sh -c "echo needle >&2"; expect_stderr needle' \
        'pycheck py "import sys"'; do
        (eval "$good") >/dev/null 2>&1 || fail "helper fails on good input: $good"
        ok "helper passes: $good"
    done
    for bad in 'expect_exit 0 false' 'expect_exit 2 true' \
        'expect_exit_nonzero true' 'expect_contains "$TMP/file" hay' \
        'expect_contains "$TMP/none" needle' 'expect_absent "$TMP/file"' \
        'expect_same "$TMP/file" /dev/null' \
        'run sh -c "echo needle"; expect_stderr needle' \
        'pycheck py "import sys; sys.exit(\"no\")"' 'fail on purpose'; do
        if (eval "$bad") >/dev/null 2>&1; then
            fail "helper does not stop on: $bad"
        fi
        ok "helper stops on: $bad"
    done
    [ -f "$TMP/file" ] || fail "a failing helper removed TMP in a subshell"
    ok "TMP survives the failures of the helpers"
fi
