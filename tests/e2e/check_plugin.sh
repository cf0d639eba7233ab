#!/bin/sh
# wijkeval check-plugin, the plugin author's harness: a good plugin passes
# every check on every panel; each fault fixture fails exactly the check
# meant to catch it, and the harness itself survives to print its summary.
. "$(dirname "$0")/lib.sh"

FX=$WE_BUILD/tests/fixtures

# check FIXTURE FAILURES TEXT...: check-plugin (with the options in
# CHECK_ARGS) exits 1 with FAILURES failed checks, and its output contains
# every TEXT.
CHECK_ARGS=
check() {
    so=$1
    n=$2
    shift 2
    expect_exit 1 "$W" check-plugin "$so" $CHECK_ARGS
    expect_contains "$STDOUT" "FAIL: $n of " "$@"
    got=$(grep -c '\[FAIL\]' "$STDOUT")
    [ "$got" -eq "$n" ] || fail "$(show "$so"): $got [FAIL] lines, expected $n"
    ok "$(basename "$so"): $n failed checks"
}

# ---- a good plugin: every check on every panel -----------------------------
expect_exit 0 "$W" check-plugin "$WE_BUILD/plugins/samenhang.so"
for text in "[pass] loads; ABI and required descriptor fields valid" \
    "[pass] descriptor complete" "[pass] file name is the id + .so" \
    "demo panel: the simulated demo panel" "missing values: a fifth" \
    "single treated area: only" "no follow-up data: every value after the baseline 2007 missing" \
    "[pass] its indicators are in the demo catalogue" \
    "[pass] runs and succeeds" "[pass] ends normally" \
    "[pass] the host refused no result or metric" \
    "[pass] every result finite or NaN (unavailable), for a declared indicator and role" \
    "[pass] every domain metric finite, each name once" \
    "[pass] emits at least one domain metric" \
    "[pass] deterministic: the second run gives identical results" \
    "PASS: 0 of 25 checks failed"; do
    expect_contains "$STDOUT" "$text"
done
[ "$(grep -c 'deterministic' "$STDOUT")" -eq 4 ] ||
    fail "determinism is not checked on each of the four panels"
ok "determinism checked on all four panels"
expect_exit 0 "$W" check-plugin "$WE_BUILD/plugins/samenhang.so" -v
expect_contains "$STDOUT" "warnings from the plugin:" "skipped"

# ---- faults, each caught by its own check ----------------------------------
# A crash in the child fails the case; the harness goes on.
check "$FX/fx_check_crash.so" 1 \
    "no follow-up data: every value" \
    "[FAIL] ends normally: succeeds, or fails with a message: evaluate: the plugin's process"

# A plugin that never returns is stopped at the time limit (long enough
# for the other panels on a busy machine).
CHECK_ARGS="--time-limit 5"
check "$FX/fx_check_loop.so" 1 \
    "[FAIL] ends normally: succeeds, or fails with a message: evaluate: still running after the time limit of 5 s"
CHECK_ARGS=

# A metric divided by zero wijken: NaN, refused by the host.
check "$FX/fx_check_nan_metric.so" 1 \
    "[FAIL] the host refused no result or metric: emit_metric: 'treated_mean' is NaN"

# Two runs that disagree, on every panel.
check "$FX/fx_check_pid.so" 4 \
    "[FAIL] deterministic: the second run gives identical results: metric 0 ('process') differs"

# The secondary indicator emitted as primary (a second primary indicator,
# which the host refuses on every panel where it runs); an empty English
# title.
check "$FX/fx_check_role.so" 5 \
    "[FAIL] descriptor complete: titles, version, summary, distinct indicators and settings: plugin 'fx_check_role': title_nl, title_en, version and summary must all be set" \
    "[FAIL] runs and succeeds: evaluate: emit_result: 'jeugdwerkloosheid_pct' (twfe): role is primary, but this experiment has 'jeugdwerkloosheid_pct' as a secondary indicator" \
    "[FAIL] the host refused no result or metric: emit_result: 'jeugdwerkloosheid_pct' (twfe): role is primary"

# A plugin file not named after its id.
cp "$WE_BUILD/plugins/samenhang.so" "$TMP/cohesion.so"
check "$TMP/cohesion.so" 1 \
    "[FAIL] file name is the id + .so: the file is 'cohesion.so' but the id is 'samenhang'"

# Indicators the demo catalogue lacks: nothing can run.
check "$FX/fx_good.so" 1 \
    "[FAIL] its indicators are in the demo catalogue, with data, in the declared direction: indicator 'y' is not in the catalogue"

# ---- usage and missing input ------------------------------------------------
check "$TMP/absent.so" 1 "cannot load plugin"
expect_exit 1 "$W" check-plugin "$WE_BUILD/plugins/samenhang.so" --demo "$TMP/nodemo"
expect_contains "$STDOUT" "[FAIL] prepare the panel" "$TMP/nodemo"
expect_exit 2 "$W" check-plugin
expect_stderr "usage: wijkeval check-plugin"
expect_exit 2 "$W" check-plugin a.so b.so
expect_stderr "unexpected 'b.so'"
for bad in 0 -1 x 1e9; do
    expect_exit 2 "$W" check-plugin "$WE_BUILD/plugins/samenhang.so" --time-limit $bad
    expect_stderr "--time-limit '$bad'"
done
