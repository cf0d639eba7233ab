#!/bin/sh
# Runs fuzz targets: first every committed regression input (each must
# pass), then libFuzzer for SECONDS per target, starting from the seed
# corpus. New corpus entries go to $FUZZ_BUILD/corpus/<target>, never to
# the committed seeds. A log per target ends with libFuzzer's final stats.
# Usage: tests/fuzz/run.sh [--smoke] SECONDS TARGET...  (FUZZ_BUILD=build/fuzz)
#   --smoke  start from the seeds alone and keep nothing (`make test`): the
#            run stays short however large the kept corpus has grown.
set -u
FUZZ_BUILD=${FUZZ_BUILD:-build/fuzz}
smoke=0
if [ "${1:-}" = "--smoke" ]; then
    smoke=1
    shift
fi
seconds=$1
shift
status=0
# Leaks inside libraries the project cannot fix are listed, with a reason,
# in lsan.supp; anything else leaking fails the run.
export LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# The targets write each input to a file: on a memory file system when
# there is one. This directory, and all they leave in it, goes at the end.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    scratch=$(mktemp -d /dev/shm/wefuzz-run.XXXXXX)
else
    scratch=$(mktemp -d)
fi
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
export TMPDIR="$scratch"
for t in "$@"; do
    bin="$FUZZ_BUILD/fuzz_$t"
    seeds="tests/fuzz/corpus/$t"
    regress="tests/fuzz/regressions/$t"
    work="$FUZZ_BUILD/corpus/$t"
    crashes="$FUZZ_BUILD/crashes/$t"
    log="$FUZZ_BUILD/fuzz_$t.log"
    if [ $smoke -eq 1 ]; then
        work="$FUZZ_BUILD/smoke/corpus/$t"
        log="$FUZZ_BUILD/smoke/fuzz_$t.log"
        rm -rf "$work"
    fi
    mkdir -p "$work" "$crashes"
    if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
        echo "fuzz: $t: missing $bin or $seeds" >&2
        status=1
        continue
    fi
    if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
        if ! "$bin" "$regress"/* >"$FUZZ_BUILD/regress_$t.log" 2>&1; then
            echo "fuzz: $t: a regression input fails again;" \
                 "see $FUZZ_BUILD/regress_$t.log" >&2
            status=1
            continue
        fi
    fi
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crashes/" \
        "$work" "$seeds" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    if [ $rc -ne 0 ]; then
        echo "fuzz: $t: FAILED after ${runs:-?} runs; see $log and $crashes" >&2
        status=1
    else
        echo "fuzz: $t: ${runs:-?} runs in ${secs:-?} s, no crash"
    fi
done
exit $status
