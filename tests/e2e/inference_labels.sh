#!/bin/sh
# Issue 16: inference that its design can attain, labelled by what made it.
# On the Basque data (one treated region, 16 donors; tests/fixtures/basque,
# from mlsynth's basedata/basque_data.csv = Synth's `basque`) SC and SDID
# never give a p below 1/17 and their 95% intervals are unbounded with a
# reason; `estimate` never prints "nan df"; rows with one treated cluster
# are flagged descriptive; every design estimate carries an MDE. The SC
# placebo p and inverted interval match tests/oracle/placebo_reference.py
# (fixture tests/oracle/fixtures/basque_sc_placebo.csv).
. "$(dirname "$0")/lib.sh"

B=$ROOT/tests/fixtures/basque
est() {
    "$W" estimate --data "$B/basque.csv" --areas "$B/areas.csv" \
        --indicator gdpcap --treated WK001701 --from 1975 "$@"
}
jget() { # FILE EXPR
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

for m in sc sdid; do
    est --method $m --json >"$TMP/$m.json" || fail "estimate --method $m"
    jget "$TMP/$m.json" "1 if d['p_value'] >= 1/17 - 1e-12 else 0" |
        grep -qx 1 || fail "$m: p below 1/17 on the Basque data"
    ok "$m: p = $(jget "$TMP/$m.json" "d['p_value']") >= 1/17"
    jget "$TMP/$m.json" "d['inference']['min_p']" | grep -q '^0.0588' ||
        fail "$m: min_p is not 1/17"
    jget "$TMP/$m.json" "d['inference']['interval_note']" |
        grep -q "unbounded: with 16 placebos" ||
        fail "$m: the unbounded interval has no reason"
    ok "$m: unbounded 95% interval with its reason"
    jget "$TMP/$m.json" "d['mde']['method'], d['mde']['estimator']" |
        grep -qx "simulation $m" || fail "$m: no simulated MDE"
    ok "$m: MDE by simulation from its own estimator"
done
# SDID with one treated region: exact, all 16 placebo assignments.
jget "$TMP/sdid.json" "round(d['p_value'] * 17, 9) == int(round(d['p_value'] * 17))" |
    grep -qx True || fail "sdid: p is not a multiple of 1/17"
ok "sdid: exact placebo permutation p (a multiple of 1/17)"

# Text: no "nan df", labels from the inference object.
for m in cs sc sdid twfe did_2x2; do
    est --method $m >"$TMP/$m.txt" || fail "estimate --method $m"
    if grep -q "nan df" "$TMP/$m.txt"; then fail "$m prints nan df"; fi
done
ok "no 'nan df' in any method's text output"
expect_contains "$TMP/cs.txt" "t(G-1) with 16 df" "mde " \
    "descriptive one treated cluster"
expect_contains "$TMP/sc.txt" "placebo-in-space rank" "interval unbounded"
expect_contains "$TMP/sdid.txt" "placebo permutation" "all of them, exact"
expect_contains "$TMP/twfe.txt" "wild cluster bootstrap" \
    "descriptive one treated cluster"
expect_contains "$TMP/did_2x2.txt" "descriptive one treated cluster"

# The SC placebo p and interval against the independent Python reference.
F=$ROOT/tests/oracle/fixtures/basque_sc_placebo.csv
for a in 0.2 0.3; do
    est --method sc --alpha $a --json >"$TMP/sc$a.json" || fail "sc alpha $a"
    python3 - "$TMP/sc$a.json" "$F" "$a" <<'PY' || fail "sc at alpha $a differs from the oracle"
import csv, json, sys
d = json.load(open(sys.argv[1]))
ref = [r for r in csv.DictReader(open(sys.argv[2])) if r["alpha"] == sys.argv[3]][0]
assert abs(d["estimate"] - float(ref["estimate"])) < 1e-6
assert abs(d["p_value"] - float(ref["p_value"])) < 1e-9
# the oracle scans a grid of step 1e-5
assert abs(d["ci_low"] - float(ref["ci_low"])) < 2e-5, (d["ci_low"], ref)
assert abs(d["ci_high"] - float(ref["ci_high"])) < 2e-5, (d["ci_high"], ref)
PY
    ok "sc at alpha $a: p and inverted interval match the Python oracle"
done
# SDID's inverted interval contains its estimate when it is finite.
est --method sdid --alpha 0.2 --json >"$TMP/sd2.json"
jget "$TMP/sd2.json" "d['ci_low'] < d['estimate'] < d['ci_high']" | grep -qx True ||
    fail "sdid alpha 0.2: the interval does not contain the estimate"
ok "sdid alpha 0.2: finite inverted interval around the estimate"
