#!/bin/sh
# One test for tests/run-tests.sh, which runs TEST_JOBS of these at once:
#   tests/run-one.sh RESULTS "INDEX NAME COMMAND..."
# runs COMMAND (under the time limit LIMIT, from the environment) with its
# output in RESULTS/INDEX.log, writes its exit status and seconds to
# RESULTS/INDEX.rc and RESULTS/INDEX.secs, then prints "== NAME" and the
# log in one piece (the lock keeps two tests' output apart).
set -u
results=$1
# shellcheck disable=SC2086
set -- $2
index=$1
name=$2
shift 2
log=$results/$index.log
child=""
# timeout puts the test in a process group of its own, which a ^C at the
# terminal does not reach: pass it on, and wait for the test to end.
trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; exit 130' INT TERM
t0=$(date +%s)
# shellcheck disable=SC2086
${LIMIT:-} "$@" >"$log" 2>&1 </dev/null &
child=$!
wait "$child"
rc=$?
child=""
echo $(($(date +%s) - t0)) >"$results/$index.secs"
echo "$rc" >"$results/$index.rc"
flock "$results/lock" sh -c 'echo "== $1"; cat "$2"' sh "$name" "$log"
