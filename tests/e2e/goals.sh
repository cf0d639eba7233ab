#!/bin/sh
# Self-named targets and policy return on the demo: both sections appear
# in report.json, targets.csv, policy_return.csv, report.md and
# report.html; every status and every cost figure equals an independent
# computation in Python from the input files and the headline estimates.
# Then broken targets and costs files: exit 2, file:line:column, nothing
# written. The demo's costs.csv and targets.csv are what
# scripts/demo_goals.py makes from the committed inputs.
. "$(dirname "$0")/lib.sh"

OUT=$TMP/out
expect_exit 0 "$W" run configs/demo.cfg -o "$OUT" --plugin-dir "$WE_BUILD/plugins" -q
R=$OUT/demo
for f in report.json results.csv targets.csv policy_return.csv report.md report.html; do
    [ -s "$R/$f" ] || fail "$f was not written"
done
ok "targets.csv and policy_return.csv written next to results.csv"
expect_contains "$R/report.md" "## Policy return (beleidsrendement)"
expect_contains "$R/report.md" "## Self-named targets per wijk"
expect_contains "$R/report.md" "undefined: the effect's interval includes zero"
expect_contains "$R/report.html" '<section class="goals" id="policy-return">'
expect_contains "$R/report.html" '<section class="goals" id="targets">'

pycheck "policy return equals the independent computation" '
import csv, json, math, sys
root, rep = sys.argv[1], sys.argv[2]
def check(cond, msg):
    if not cond:
        sys.exit("FAIL " + msg)
def close(a, b, what):
    check(a is not None and b is not None and
          abs(a - b) <= 1e-9 * max(1.0, abs(b)), "%s: %r vs %r" % (what, a, b))
r = json.load(open(rep + "/report.json"))
pop = {a["area"]: float(a["population"])
       for a in csv.DictReader(open(root + "/data/demo/areas.csv"))}
# The own wijken of each experiment (data.assignment): costs, residents.
treated = {}
for t in csv.DictReader(open(root + "/data/demo/assignment.csv")):
    treated.setdefault(t["experiment"], []).append(t["area"])
direction = {c["indicator"]: c["direction"]
             for c in csv.DictReader(open(root + "/data/demo/catalog.csv"))}
total, areas = {}, {}
for c in csv.DictReader(open(root + "/data/demo/costs.csv")):
    total[c["experiment"]] = total.get(c["experiment"], 0.0) + float(c["amount_eur"])
    areas.setdefault(c["experiment"], set()).add(c["area"])
pr = r["policy_return"]
check(pr is not None and len(pr["experiments"]) == 7, "seven experiments")
rows = {x["experiment"]: x for x in csv.DictReader(open(rep + "/policy_return.csv"))}
def cpe(c, est, lo, hi, sign):
    g, glo, ghi = (est, lo, hi) if sign > 0 else (-est, -hi, -lo)
    if glo > 0:
        return "defined", c / g, c / ghi, c / glo
    return ("harmful" if ghi < 0 else "ci_includes_zero"), None, None, None
defined = []
for e, x in zip(r["experiments"], pr["experiments"]):
    id = e["id"]
    check(x["experiment"] == id, "config order")
    close(x["total_eur"], total[id], id + " total")
    check(x["treated_wijken"] == len(treated[id]), id + " treated wijken")
    check(x["treated_wijken_with_costs"] == len(areas[id]), id + " costed")
    residents = sum(pop[a] for a in treated[id])
    close(x["treated_residents"], residents, id + " residents")
    c = total[id] / residents
    close(x["cost_per_resident"], c, id + " cost per resident")
    h = e["results"][e["headline"]]
    hx = x["headline"]
    check(hx["method"] == h["method"] == e["design"], id + " headline is the design")
    close(hx["estimate"], h["estimate"], id + " estimate")
    sign = 1 if direction[h["indicator"]] == "higher_is_better" else -1
    st, v, lo, hi = cpe(c, h["estimate"], h["ci_low"], h["ci_high"], sign)
    u = x["cost_per_unit"]
    check(u["status"] == st, "%s per unit status %s vs %s" % (id, u["status"], st))
    if st == "defined":
        close(u["value"], v, id + " cost per unit")
        close(u["ci_low"], lo, id + " cost per unit low")
        close(u["ci_high"], hi, id + " cost per unit high")
    else:
        check(u["value"] is None and u["ci_low"] is None, id + " undefined is null")
    es = h["effect_size"]
    st2, v2, lo2, hi2 = cpe(c, es["glass_delta"], es["glass_ci"][0], es["glass_ci"][1], 1)
    s = x["cost_per_sd"]
    check(s["status"] == st2, id + " per SD status")
    if st2 == "defined":
        close(s["value"], v2, id + " cost per SD")
        close(s["ci_low"], lo2, id + " cost per SD low")
        close(s["ci_high"], hi2, id + " cost per SD high")
        # Only a better headline is ranked: never a not-credible one,
        # nor one not significant after the adjustment (docs/report.md).
        if e["verdict"] == "better":
            defined.append((v2, lo2, hi2, id))
    check(x["not_credible"] == (e["verdict"] == "not_credible"),
          id + " not_credible follows the verdict")
    check(x["not_better"] == (st2 == "defined" and
                              e["verdict"] not in ("better", "not_credible")),
          id + " not_better follows the verdict")
    row = rows[id]
    close(float(row["cost_per_resident"]), c, id + " csv cost per resident")
    check(row["cost_per_unit_status"] == st, id + " csv status")
    if st == "defined":
        close(float(row["cost_per_unit"]), v, id + " csv cost per unit")
    else:
        check(row["cost_per_unit"] == "", id + " csv undefined is empty")
    print("ok   %-22s %-16s per resident %.2f, per unit %s" % (id, st, c,
          "%.4g" % v if v else "undefined"))
check(any(x["cost_per_unit"]["status"] == "ci_includes_zero"
          for x in pr["experiments"]), "the demo has an undefined cost per unit")
defined.sort()
check(pr["ranked"] == len(defined), "ranked count")
byid = {x["experiment"]: x for x in pr["experiments"]}
for k, (v, lo, hi, id) in enumerate(defined, start=1):
    check(byid[id]["rank"] == k, "%s rank %r, expected %d" % (id, byid[id]["rank"], k))
    want = sorted(o for (_, l2, h2, o) in defined if o != id and lo <= h2 and l2 <= hi)
    check(sorted(byid[id]["not_distinguishable_from"]) == want,
          "%s overlaps %r vs %r" % (id, byid[id]["not_distinguishable_from"], want))
for x in pr["experiments"]:
    if x["cost_per_sd"]["status"] != "defined" or x["not_credible"]:
        check(x["rank"] is None, x["experiment"] + " not ranked")
print("ok   ranking by cost per SD and the overlaps: %s" % [d[3] for d in defined])
' "$ROOT" "$R"

pycheck "target statuses equal the independent computation" '
import csv, json, sys
from collections import Counter
root, rep = sys.argv[1], sys.argv[2]
def check(cond, msg):
    if not cond:
        sys.exit("FAIL " + msg)
r = json.load(open(rep + "/report.json"))
t = r["targets"]
baseline = r["run"]["baseline"]
vals = {}
for row in csv.DictReader(open(root + "/data/demo/indicators.csv")):
    try:
        vals[(row["area"], row["indicator"], int(row["period"]))] = float(row["value"])
    except ValueError:
        pass
periods = sorted({p for (_, _, p) in vals})
as_of = periods[-1]
check(t["as_of"] == as_of, "as_of")
up = {c["indicator"]: c["direction"] == "higher_is_better"
      for c in csv.DictReader(open(root + "/data/demo/catalog.csv"))}
muni = {a["area"]: a["municipality"] for a in csv.DictReader(open(root + "/data/demo/areas.csv"))}
def status(row):
    dl = int(row["deadline"])
    if row["indicator"] == "":
        if row["target_value"] == "yes":
            return "met"
        return "open" if dl > as_of else "missed"
    ind, area, target = row["indicator"], row["area"], float(row["target_value"])
    good = (lambda v: v >= target) if up[ind] else (lambda v: v <= target)
    seen = [p for p in periods if p <= min(dl, as_of) and (area, ind, p) in vals]
    if not seen:
        return "no_data"
    now = seen[-1]
    v = vals[(area, ind, now)]
    if good(v):
        return "met"
    if dl <= as_of:
        return "missed"
    if now <= baseline or (area, ind, baseline) not in vals:
        return "open"
    rate = (v - vals[(area, ind, baseline)]) / (now - baseline)
    return "on_track" if good(v + rate * (dl - now)) else "off_track"
rows = list(csv.DictReader(open(root + "/data/demo/targets.csv")))
check(len(rows) == len(t["targets"]), "one result per target")
csvrows = list(csv.DictReader(open(rep + "/targets.csv")))
want_total, want_muni = Counter(), {}
for row, got, c in zip(rows, t["targets"], csvrows):
    s = status(row)
    check(got["status"] == s, "line %d: %s vs %s" % (got["line"], got["status"], s))
    check(c["status"] == s and c["area"] == row["area"], "targets.csv line %d" % got["line"])
    want_total[s] += 1
    want_muni.setdefault(muni[row["area"]], Counter())[s] += 1
for s in ("met", "on_track", "off_track", "open", "missed", "no_data"):
    check(t["total"][s] == want_total[s], "total %s" % s)
for m in t["per_municipality"]:
    for s, n in want_muni[m["municipality"]].items():
        check(m[s] == n, "%s %s" % (m["municipality"], s))
check(len(t["per_municipality"]) == len(want_muni), "municipalities")
check(sum(w["targets"] for w in t["per_wijk"]) == len(rows), "per wijk sums")
for s in ("met", "on_track", "off_track", "open", "missed"):
    check(want_total[s] > 0, "the demo has a target that is %s" % s)
print("ok   %d targets: %s" % (len(rows), dict(want_total)))
' "$ROOT" "$R"

# ---- broken files ---------------------------------------------------------
D=$TMP/data
mkdir "$D"
sed -e "s|\.\./data/demo/targets.csv|$D/targets.csv|" \
    -e "s|\.\./data/demo/costs.csv|$D/costs.csv|" \
    -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$TMP/run.cfg"
restore() {
    cp "$DEMO/targets.csv" "$DEMO/costs.csv" "$D/"
}
restore
BAD=$TMP/bad
refused() { # refused TEXT...: exit 2, the message, nothing written
    expect_exit 2 "$W" run "$TMP/run.cfg" -o "$BAD" --plugin-dir "$WE_BUILD/plugins"
    expect_stderr "$@"
    expect_absent "$BAD"
    restore
}
# set_line FILE N TEXT: replaces line N of FILE.
set_line() {
    awk -v n="$2" -v text="$3" 'NR == n { print text; next } { print }' \
        "$D/$1" >"$D/$1.new" && mv "$D/$1.new" "$D/$1"
}

set_line targets.csv 3 "WK999999,actief_voor_buurt_pct,14,2011,x"
refused "targets.csv:3:1: unknown area 'WK999999'"
set_line targets.csv 3 "WK001401,actief_voor_de_buurt,14,2011,x"
refused "targets.csv:3:10: unknown indicator 'actief_voor_de_buurt'"
set_line targets.csv 3 "WK001401,actief_voor_buurt_pct,14,eind 2011,x"
refused "targets.csv:3:35: deadline 'eind 2011' is not a year"
set_line targets.csv 5 "WK001401,,misschien,2009,Project"
refused "targets.csv:5:11: target_value 'misschien'" "must be yes or no"
set_line costs.csv 4 "slagkracht,WK001401,2010,-271429"
refused "costs.csv:4:26: amount_eur '-271429' is negative"
set_line costs.csv 4 "wijkaanpak,WK001401,2010,5"
refused "costs.csv:4:1: experiment 'wijkaanpak' is not in the config"
set_line costs.csv 4 "slagkracht,WK001404,2010,5"
refused "costs.csv:4:12: area 'WK001404' is not treated"
set_line costs.csv 3 "$(sed -n 2p "$DEMO/costs.csv")"
refused "costs.csv:3: this experiment, area and period is given twice (first on line 2)"
# A programme wijk that is not the experiment's own (data.assignment).
set_line costs.csv 4 "slagkracht,WK001401,2010,5"
refused "costs.csv:4:12: area 'WK001401' is not treated by experiment 'slagkracht'"
# An assigned wijk without cost rows: refused, naming it and its
# assignment line; with costs = { missing = "zero"; } it counts as nothing.
grep -v ',WK001402,' "$DEMO/costs.csv" >"$D/costs.csv"
LINE=$(grep -n '^bewonersparticipatie,WK001402,' "$DEMO/assignment.csv" | cut -d: -f1)
refused "wijk 'WK001402' of experiment 'bewonersparticipatie' (" "assignment.csv:$LINE) has no cost rows"
grep -v ',WK001402,' "$DEMO/costs.csv" >"$D/costs.csv"
{ cat "$TMP/run.cfg"; echo 'costs = { missing = "zero"; };'; } >"$TMP/zero.cfg"
expect_exit 0 "$W" run "$TMP/zero.cfg" -o "$TMP/zero" --plugin-dir "$WE_BUILD/plugins" -q
expect_contains "$TMP/zero/demo/report.md" \
    "1 wijk(en) of the experiments have no cost rows and count as costing nothing"
restore
# One budget split evenly (the old demo's costs): without an assignment,
# every experiment the same amount for every programme wijk. The report
# says so in words; the experiments' totals are identical.
python3 - "$DEMO" "$D/costs.csv" <<'PY'
import csv, sys
demo, out = sys.argv[1], sys.argv[2]
wijken = [r["area"] for r in csv.DictReader(open(demo + "/treatment.csv"))]
exps = ["bewonersparticipatie", "samenhang", "slagkracht", "achter_de_voordeur",
        "bureaucratie", "gezonde_wijk", "vernieuwend_welzijn"]
w = csv.writer(open(out, "w", newline=""), lineterminator="\n")
w.writerow(["experiment", "area", "period", "amount_eur"])
for e in exps:
    for a in wijken:
        for y in range(2008, 2013):
            w.writerow([e, a, y, 100000])
PY
sed -e '/^  assignment = /d' "$TMP/run.cfg" >"$TMP/even.cfg"
expect_exit 0 "$W" run "$TMP/even.cfg" -o "$TMP/even" --plugin-dir "$WE_BUILD/plugins" -q
expect_contains "$TMP/even/demo/report.md" "The costs are one budget split evenly over the experiments"
expect_contains "$TMP/even/demo/report.html" "The costs are one budget split evenly over the experiments"
pycheck "even split flagged in report.json" '
import json, sys
p = json.load(open(sys.argv[1]))["policy_return"]
assert p["even_split"] and p["identical_totals"], p
print("ok   report.json: even_split and identical_totals")
' "$TMP/even/demo/report.json"
restore
pycheck "the demo costs are neither identical nor an even split" '
import json, sys
p = json.load(open(sys.argv[1]))["policy_return"]
assert not p["even_split"] and not p["identical_totals"], p
t = [x["total_eur"] for x in p["experiments"]]
assert len(set(t)) == len(t), t
print("ok   the seven totals differ: %s" % t)
' "$R/report.json"
sed -e 's|^  costs = .*|  costs = "nonexistent.csv";|' "$TMP/run.cfg" >"$TMP/missing.cfg"
expect_exit 2 "$W" run "$TMP/missing.cfg" -o "$BAD" --plugin-dir "$WE_BUILD/plugins"
expect_stderr "nonexistent.csv"
expect_absent "$BAD"

# ---- without the optional keys: no sections, no extra files ------------
grep -v '^  targets = \|^  costs = ' configs/demo.cfg |
    sed -e "s|\.\./data/demo/|$DEMO/|g" >"$TMP/plain.cfg"
expect_exit 0 "$W" run "$TMP/plain.cfg" -o "$TMP/plain" --plugin-dir "$WE_BUILD/plugins" -q
expect_absent "$TMP/plain/demo/targets.csv"
expect_absent "$TMP/plain/demo/policy_return.csv"
pycheck "without data.targets and data.costs both sections are null" '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["targets"] is None and r["policy_return"] is None, "sections not null"
print("ok   targets and policy_return are null")
' "$TMP/plain/demo/report.json"
if grep -q 'id="policy-return"\|id="targets"' "$TMP/plain/demo/report.html"; then
    fail "report.html has a goals section without the optional files"
fi
ok "report.html has no goals sections without the optional files"

# The demo's costs and targets are what the documented script makes.
mkdir "$TMP/regen"
cp "$DEMO/areas.csv" "$DEMO/indicators.csv" "$DEMO/assignment.csv" "$TMP/regen/"
python3 scripts/demo_goals.py "$TMP/regen" data/krachtwijken_40.csv configs/demo.cfg
expect_same "$TMP/regen/costs.csv" "$DEMO/costs.csv"
expect_same "$TMP/regen/targets.csv" "$DEMO/targets.csv"
