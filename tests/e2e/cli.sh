#!/bin/sh
# The command line: version, help, usage errors, plugins, check-plugin,
# estimate (against the demo report) and simulate (against data/demo).
. "$(dirname "$0")/lib.sh"

IDS="achter_de_voordeur bewonersparticipatie bureaucratie gezonde_wijk samenhang slagkracht vernieuwend_welzijn"

# ---- version and help ----------------------------------------------------
VERSION=$(cat VERSION)
expect_exit 0 "$W" --version
grep -q "^wijkeval $VERSION " "$STDOUT" ||
    fail "--version prints '$(cat "$STDOUT")', not 'wijkeval $VERSION ...'"
ok "--version prints wijkeval $VERSION"

for h in --help -h help; do
    expect_exit 0 "$W" $h
    expect_contains "$STDOUT" "usage: wijkeval <command>" "exit codes"
done
for cmd in run plugins check-plugin estimate simulate new-plugin; do
    expect_exit 0 "$W" $cmd --help
    expect_contains "$STDOUT" "usage: wijkeval $cmd"
done

# ---- usage errors: exit 2, a message, nothing written ---------------------
expect_exit 2 "$W"
expect_stderr "usage: wijkeval"
expect_exit 2 "$W" frobnicate
expect_stderr "unknown command 'frobnicate'"
expect_exit 2 "$W" run configs/demo.cfg -o "$TMP/out" --bogus
expect_stderr "unknown option '--bogus'"
expect_exit 2 "$W" run
expect_stderr "no CONFIG given"
expect_exit 2 "$W" run configs/demo.cfg -o "$TMP/out" --seed -3
expect_stderr "--seed '-3'"
expect_exit 2 "$W" run configs/demo.cfg -o "$TMP/out" --format json,xml
expect_stderr "--format 'json,xml'"
expect_exit 2 "$W" run configs/demo.cfg -o
expect_stderr "option -o needs a value"
expect_absent "$TMP/out"
expect_exit 2 "$W" plugins --bogus
expect_stderr "unknown option '--bogus'"
expect_exit 2 "$W" check-plugin --bogus
expect_stderr "unexpected '--bogus'"
expect_exit 2 "$W" estimate --bogus x
expect_stderr "'--bogus'"
expect_exit 2 "$W" estimate --data "$DEMO/indicators.csv" --indicator actief_voor_buurt_pct
expect_stderr "--treated or --treatment is required"
expect_exit 2 "$W" simulate --bogus x
expect_stderr "'--bogus x'"
expect_exit 2 "$W" simulate
expect_stderr "--out DIR is required"
expect_exit 2 "$W" run "$TMP/missing.cfg" -o "$TMP/out"
expect_stderr "$TMP/missing.cfg"
expect_absent "$TMP/out"

# ---- plugins and check-plugin ---------------------------------------------
expect_exit 0 "$W" plugins --plugin-dir "$WE_BUILD/plugins"
got=$(awk '{ print $1 }' "$STDOUT" | sort | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$IDS" ] || fail "plugins lists '$got', expected '$IDS'"
ok "plugins lists the seven experiments: $got"

for id in $IDS; do
    expect_exit 0 "$W" check-plugin "$WE_BUILD/plugins/$id.so"
    expect_contains "$STDOUT" "PASS: 0 of "
done
ABI=$("$W" --version | sed -n 's/.*plugin ABI \([0-9]*\.[0-9]*\)).*/\1/p')
[ -n "$ABI" ] || fail "--version does not give the plugin ABI"
NEXT=$((${ABI%.*} + 1)).0
expect_exit_nonzero "$W" check-plugin "$WE_BUILD/tests/fixtures/fx_wrong_major.so"
cat "$STDERR" >>"$STDOUT"
expect_contains "$STDOUT" "plugin ABI $NEXT is incompatible with host ABI $ABI" "FAIL"

# ---- estimate: the same numbers as the demo report -------------------------
expect_exit 0 "$W" run configs/demo.cfg -q -o "$TMP/demo" --plugin-dir "$WE_BUILD/plugins"
REPORT=$TMP/demo/demo/report.json

# same_estimate NAME METHOD: $TMP/NAME.json is one JSON object with the
# numbers of the demo report's METHOD result for actief_voor_buurt_pct.
same_estimate() {
    pycheck "estimate $1 differs from the demo report" '
import json, sys
est = json.loads(open(sys.argv[1]).read())
if not isinstance(est, dict):
    sys.exit("estimate --json printed %s, not one object" % type(est).__name__)
r = json.load(open(sys.argv[2]))
method = sys.argv[3]
ref = [x for e in r["experiments"] if e["id"] == "bewonersparticipatie"
       for x in e["results"] if x["indicator"] == "actief_voor_buurt_pct"
       and x["method"] == method]
if len(ref) != 1:
    sys.exit("no %s result for actief_voor_buurt_pct in the demo report"
             % method)
keys = ("method", "estimate", "se", "df", "n_treated", "n_control", "n_obs",
        "baseline", "latest")
# estimate takes TWFE with CR1 from per-area sums (docs/performance.md),
# the run from the rows: the same regression summed in another order, so
# its real numbers agree to 1e-12 relative; everything else exactly.
def same(a, b):
    if method == "twfe" and isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-12 * abs(b)
    return a == b
diff = [(k, est.get(k), ref[0].get(k)) for k in keys
        if not same(est.get(k), ref[0].get(k))]
# estimate --inference cr1 gives the analytic p-value and interval, which
# the report keeps in "cr1" where a bootstrap replaced them.
ref_p = ref[0]["cr1"] or ref[0]
if est["inference"]["method"] != "cr1":
    diff.append(("inference", est["inference"]["method"], "cr1"))
for k in ("p_value", "ci_low", "ci_high"):
    if not same(est.get(k), ref_p.get(k)):
        diff.append((k, est.get(k), ref_p.get(k)))
if diff:
    sys.exit("estimate vs report: " + "; ".join("%s %r != %r" % d for d in diff))
print("ok   %s: %s estimate %.6g, se %.6g as in the demo report"
      % (sys.argv[4], method, est["estimate"], est["se"]))
' "$TMP/$1.json" "$REPORT" "$2" "$1"
}

# bewonersparticipatie's own wijken (data.assignment), area,from.
{ echo "area,from"; sed -n 's/^bewonersparticipatie,//p' "$DEMO/assignment.csv"; } >"$TMP/bp.csv"

# estimate NAME ARGS...: runs estimate --json, keeping stdout in NAME.json:
# the experiment's wijken against the programme wijken outside it, as the
# demo's comparison = "programme".
estimate() {
    name=$1
    shift
    expect_exit 0 "$W" estimate --data "$DEMO/indicators.csv" \
        --indicator actief_voor_buurt_pct --treatment "$TMP/bp.csv" \
        --programme "$DEMO/treatment.csv" --comparison programme \
        --adjacency "$DEMO/adjacency.csv" --json --inference cr1 "$@"
    cp "$STDOUT" "$TMP/$name.json"
}

# The demo design (its adjacency leaves the ring of untreated neighbours
# out of the comparison group): baseline 2007 (the last period before the first
# treatment, estimate's default), follow-up 2008-2012.
estimate twfe --areas "$DEMO/areas.csv"
same_estimate twfe twfe
estimate twfe_baseline --areas "$DEMO/areas.csv" --baseline 2007
same_estimate twfe_baseline twfe
estimate did --areas "$DEMO/areas.csv" --method did_2x2
same_estimate did did_2x2
# Without --areas the municipality comes from the WK codes, which in the
# demo panel agree with areas.csv.
estimate twfe_codes
same_estimate twfe_codes twfe
estimate did_codes --method did_2x2
same_estimate did_codes did_2x2

expect_exit 2 "$W" estimate --data "$DEMO/indicators.csv" --indicator geen_indicator \
    --treatment "$DEMO/treatment.csv"
expect_stderr "geen_indicator"

# No temporary files: without --areas and --catalog the areas and the
# catalogue are derived from the data in memory, so a TMPDIR that does not
# exist is no obstacle and an empty one stays empty.
expect_exit 0 env TMPDIR="$TMP/no-such-dir" "$W" estimate --data "$DEMO/indicators.csv" \
    --indicator actief_voor_buurt_pct --treatment "$TMP/bp.csv" \
    --programme "$DEMO/treatment.csv" --comparison programme \
    --adjacency "$DEMO/adjacency.csv" --json --inference cr1
cmp -s "$STDOUT" "$TMP/twfe_codes.json" || fail "estimate without TMPDIR differs"
mkdir "$TMP/tmpdir"
expect_exit 0 env TMPDIR="$TMP/tmpdir" "$W" estimate --data "$DEMO/indicators.csv" \
    --indicator actief_voor_buurt_pct --treatment "$DEMO/treatment.csv" --method cs
[ -z "$(ls -A "$TMP/tmpdir")" ] || fail "estimate wrote into TMPDIR: $(ls -A "$TMP/tmpdir")"
ok "estimate writes no temporary files"
# A quoted data file (the CSV reader's path) gives the same estimate.
python3 -c '
import csv, sys
w = csv.writer(open(sys.argv[2], "w", newline=""), quoting=csv.QUOTE_ALL)
w.writerows(csv.reader(open(sys.argv[1])))
' "$DEMO/indicators.csv" "$TMP/quoted.csv"
expect_exit 0 "$W" estimate --data "$TMP/quoted.csv" \
    --indicator actief_voor_buurt_pct --treatment "$TMP/bp.csv" \
    --programme "$DEMO/treatment.csv" --comparison programme \
    --adjacency "$DEMO/adjacency.csv" --json --inference cr1
cmp -s "$STDOUT" "$TMP/twfe_codes.json" || fail "estimate on the quoted file differs"
ok "estimate on a quoted data file: the same result"
# An area code the municipality cannot be read from: file, line, column.
{ cat "$DEMO/indicators.csv"; echo "Noord 1,2003,actief_voor_buurt_pct,12"; } >"$TMP/badcode.csv"
LINES=$(wc -l <"$TMP/badcode.csv")
expect_exit 2 "$W" estimate --data "$TMP/badcode.csv" \
    --indicator actief_voor_buurt_pct --treatment "$DEMO/treatment.csv"
expect_stderr "badcode.csv:$LINES:1: area 'Noord 1' is not a CBS code" "--areas"

# ---- simulate: the committed demo panel, byte for byte --------------------
# (as `make demo-data` makes it: simulate, then scripts/demo_goals.py)
expect_exit 0 "$W" simulate --out "$TMP/sim"
python3 scripts/demo_goals.py "$TMP/sim" data/krachtwijken_40.csv configs/demo.cfg ||
    fail "scripts/demo_goals.py failed"
# municipalities.csv (the real names of the codes) is written by hand.
for f in "$DEMO"/*; do
    [ "$(basename "$f")" = municipalities.csv ] && continue
    expect_same "$f" "$TMP/sim/$(basename "$f")"
done
[ "$(ls "$TMP/sim" | wc -l)" -eq "$(( $(ls "$DEMO" | wc -l) - 1 ))" ] ||
    fail "simulate wrote other files than data/demo has: $(ls "$TMP/sim")"
ok "simulate wrote exactly the files of data/demo"
# Another seed gives another panel.
expect_exit 0 "$W" simulate --out "$TMP/sim2" --seed 1
if cmp -s "$DEMO/indicators.csv" "$TMP/sim2/indicators.csv"; then
    fail "simulate --seed 1 gives the same indicators.csv as the demo seed"
fi
ok "simulate --seed 1 gives other values"
