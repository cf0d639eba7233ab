#!/bin/sh
# Experiments whose plugin fails: one that fails in evaluate, one built for
# another ABI major and one whose file name is not its id. Each must be
# reported as failed with a precise error while the good experiments run;
# the report is written and the exit code is 1. A plugin that does not
# exist is the config's mistake: exit 2 before any computation, with the
# nearest plugin id suggested.
. "$(dirname "$0")/lib.sh"

FX=$WE_BUILD/tests/fixtures
P=$TMP/plugins
mkdir "$P"
cp "$WE_BUILD/plugins/samenhang.so" "$WE_BUILD/plugins/slagkracht.so" \
    "$FX/fx_fails.so" "$FX/fx_wrong_major.so" "$P/"
# Another plugin under a real plugin's name: the host finds it as
# bureaucratie.so, but its descriptor says fx_good.
cp "$FX/fx_good.so" "$P/bureaucratie.so"

# The host ABI, from --version ("... (plugin ABI 1.0)"); the fixture is
# built for the next major.
ABI=$("$W" --version | sed -n 's/.*plugin ABI \([0-9]*\)\.\([0-9]*\)).*/\1.\2/p')
[ -n "$ABI" ] || fail "wijkeval --version does not give the plugin ABI"
NEXT=$((${ABI%.*} + 1)).0

CFG=$TMP/run.cfg
cat >"$CFG" <<EOF
name = "pf";
data = {
  areas = "$DEMO/areas.csv";
  indicators = "$DEMO/indicators.csv";
  catalog = "$DEMO/catalog.csv";
};
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$DEMO/treatment.csv"; };
experiments = (
  { plugin = "samenhang"; },
  # fx_fails targets an indicator "y"; a demo indicator lets it reach
  # evaluate, which fails on purpose.
  { plugin = "fx_fails";
    indicators = ( { name = "sociale_cohesie_score"; role = "primary"; } ); },
  { plugin = "fx_wrong_major"; },
  { plugin = "bureaucratie"; },
  { plugin = "slagkracht"; }
);
EOF

# Only the temporary plugin directory: none of the configured defaults.
expect_exit 1 "$W" run "$CFG" -o "$TMP/out" --plugin-dir "$P"
expect_contains "$STDOUT" "report written to" "pf/" \
    "  fx_fails failed: evaluate: the fixture fails on purpose"
# The summary table: the row of each experiment has its status.
for row in "fx_fails FAILED" "samenhang ok" "fx_wrong_major FAILED"; do
    awk -v id="${row% *}" -v st="${row#* }" \
        '$1 == id { for (i = 2; i <= NF; i++) if ($i == st) found = 1 }
         END { exit !found }' "$STDOUT" ||
        fail "the summary has no row '$row'"
    ok "summary row: $row"
done
R=$TMP/out/pf
for f in report.json results.csv report.md; do
    [ -s "$R/$f" ] || fail "$f was not written although the run ended"
done
ok "report.json, results.csv and report.md written"

pycheck "experiment statuses in report.json" '
import json, sys
r = json.load(open(sys.argv[1]))
p, abi, nxt = sys.argv[2:5]
want = {
    "samenhang": None,
    "slagkracht": None,
    "fx_fails": ["evaluate: the fixture fails on purpose"],
    "fx_wrong_major": [p + "/fx_wrong_major.so",
                       "plugin ABI %s is incompatible with host ABI %s"
                       % (nxt, abi)],
    "bureaucratie": [p + "/bureaucratie.so", "descriptor has id "
                     "\u0027fx_good\u0027, not \u0027bureaucratie\u0027"],
}
exps = {e["id"]: e for e in r["experiments"]}
if sorted(exps) != sorted(want):
    sys.exit("experiments %r, expected %r" % (sorted(exps), sorted(want)))
for i, texts in want.items():
    e = exps[i]
    if texts is None:
        if e["status"] != "ok" or e["error"] is not None or not e["results"]:
            sys.exit("%s: expected ok with results, got %s: %s"
                     % (i, e["status"], e["error"]))
        print("ok   %s: ok, %d results" % (i, len(e["results"])))
        continue
    if e["status"] != "failed" or e["results"] or e["metrics"]:
        sys.exit("%s: expected failed without results, got %s with %d "
                 "results" % (i, e["status"], len(e["results"])))
    for t in texts:
        if t not in (e["error"] or ""):
            sys.exit("%s: error %r does not contain %r" % (i, e["error"], t))
    print("ok   %s: failed: %s" % (i, e["error"]))
if r["summary"] != {"experiments": 5, "ok": 2, "failed": 3}:
    sys.exit("summary %r" % r["summary"])
print("ok   summary: 5 experiments, 2 ok, 3 failed")
' "$R/report.json" "$P" "$ABI" "$NEXT"

pycheck "failed experiments in results.csv" '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
for i in ("fx_fails", "fx_wrong_major", "bureaucratie"):
    mine = [x for x in rows if x["experiment"] == i]
    if len(mine) != 1 or mine[0]["status"] != "failed" or \
            not mine[0]["error"] or mine[0]["estimate"] != "":
        sys.exit("results.csv: %s should be one failed row with its error, "
                 "got %r" % (i, mine))
    print("ok   results.csv: %s: one failed row with its error" % i)
if not any(x["experiment"] == "samenhang" and x["status"] == "ok"
           and x["estimate"] for x in rows):
    sys.exit("results.csv: no results of samenhang")
print("ok   results.csv: samenhang rows ok")
' "$R/results.csv"
expect_contains "$R/report.md" "the fixture fails on purpose" \
    "plugin ABI $NEXT is incompatible with host ABI $ABI"

# ---- a plugin that is not there: a config error before any computation ----
sed 's/{ plugin = "samenhang"; },/{ plugin = "samenhnag"; },/' "$CFG" >"$TMP/typo.cfg"
grep -q samenhnag "$TMP/typo.cfg" || fail "the typo did not apply"
expect_exit 2 "$W" run "$TMP/typo.cfg" -o "$TMP/typo" --plugin-dir "$P"
expect_stderr "typo.cfg: experiment 1 (plugin = \"samenhnag\")" \
    "plugin 'samenhnag' not found" "did you mean 'samenhang'?"
expect_absent "$TMP/typo"
# Far from every id: no suggestion.
sed 's/{ plugin = "samenhang"; },/{ plugin = "bestaat_niet"; },/' "$CFG" >"$TMP/none.cfg"
expect_exit 2 "$W" run "$TMP/none.cfg" -o "$TMP/none" --plugin-dir "$P"
expect_stderr "plugin 'bestaat_niet' not found: no bestaat_niet.so"
if grep -q "did you mean" "$STDERR"; then
    fail "a suggestion for bestaat_niet: $(cat "$STDERR")"
fi
ok "no suggestion for an id far from every plugin"
expect_absent "$TMP/none"
