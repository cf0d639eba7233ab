#!/bin/sh
# Experiments apart from the programme (issue 14).
# 1. estimate --programme/--comparison against the statsmodels oracle
#    (tests/oracle/programme_reference.py) on a panel where the programme
#    and an experiment both have effects.
# 2. The demo: every experiment's own n_treated and comparison, the
#    question in both languages, the programme row first in every format;
#    the headlines recover data/demo/truth.csv (keyed on the truth, not on
#    today's numbers): every added effect is inside its interval but for
#    at most one (alpha 0.05 over 6 truths), the null is not "better", the
#    pre-trend case is flagged, the harmful side effect is "worse", the
#    programme row's interval covers the programme effect.
# 3. data.assignment errors name file:line; comparison = "programme"
#    without an assignment is refused.
. "$(dirname "$0")/lib.sh"

F=tests/oracle/fixtures/programme
for c in programme untreated; do
    expect_exit 0 "$W" estimate --data $F/indicators.csv --areas $F/areas.csv \
        --indicator actief_voor_buurt_pct --treatment $F/experiment.csv \
        --programme $F/programme.csv --comparison $c --inference cr1 --json
    cp "$STDOUT" "$TMP/$c.json"
done
pycheck "estimate --programme equals the statsmodels oracle" '
import csv, json, sys
F, T = sys.argv[1], sys.argv[2]
for row in csv.DictReader(open(F + "/expected.csv")):
    got = json.load(open("%s/%s.json" % (T, row["comparison"])))
    for k in ("estimate", "se"):
        a, b = float(row[k]), got[k]
        if abs(a - b) > 1e-8 * max(abs(a), abs(b)):
            sys.exit("%s %s: oracle %r, wijkeval %r" % (row["comparison"], k, a, b))
    for k in ("df", "n_treated", "n_control", "n_obs"):
        if float(row[k]) != float(got[k]):
            sys.exit("%s %s: oracle %s, wijkeval %s" % (row["comparison"], k, row[k], got[k]))
    print("ok   --comparison %s: %.6g (se %.4g) as statsmodels on the subset"
          % (row["comparison"], got["estimate"], got["se"]))
p = json.load(open(T + "/programme.json"))
if not p["ci_low"] <= 2.0 <= p["ci_high"]:
    sys.exit("--comparison programme does not recover the added effect 2.0")
u = json.load(open(T + "/untreated.json"))
if u["ci_low"] <= 2.0 <= u["ci_high"]:
    sys.exit("--comparison untreated should hold programme + experiment")
print("ok   programme recovers the added effect 2.0; untreated holds both")
' "$F" "$TMP"
expect_exit 2 "$W" estimate --data $F/indicators.csv --areas $F/areas.csv \
    --indicator actief_voor_buurt_pct --treatment $F/experiment.csv \
    --comparison programme
expect_stderr "--comparison programme needs --programme FILE"

# ---- the demo ------------------------------------------------------------
OUT=$TMP/demo
expect_exit 0 "$W" run configs/demo.cfg -o "$OUT" --plugin-dir "$WE_BUILD/plugins" -q
R=$OUT/demo
pycheck "the demo's headlines recover truth.csv" '
import csv, json, sys
r = json.load(open(sys.argv[1] + "/report.json"))
truth = {}
for t in csv.DictReader(open("data/demo/truth.csv")):
    truth[(t["experiment"], t["indicator"])] = t
assigned = {}
for a in csv.DictReader(open("data/demo/assignment.csv")):
    assigned.setdefault(a["experiment"], set()).add(a["area"])
missed, n = [], 0
for x in r["experiments"]:
    if x["comparison"] != "programme" or x["question"]["id"] != "added_value":
        sys.exit("%s: comparison %s" % (x["id"], x["comparison"]))
    if x["n_treated"] != len(assigned[x["id"]]):
        sys.exit("%s: n_treated %s, assignment has %d" % (x["id"], x["n_treated"], len(assigned[x["id"]])))
    if not x["question"]["nl"] or not x["question"]["en"]:
        sys.exit("%s: the question in both languages" % x["id"])
    h = x["results"][x["headline"]]
    if h["n_treated"] != len(assigned[x["id"]]):
        sys.exit("%s: the headline has n_treated %s" % (x["id"], h["n_treated"]))
    t = truth[(x["id"], h["indicator"])]
    if t["pattern"] == "pretrend":
        if "pretrend_rejected" not in h.get("warnings", []):
            sys.exit("%s: the pre-trend case is not flagged" % x["id"])
        print("ok   %s: pre-trend flagged (p = %.3g)" % (x["id"], h["pretrend_p"]))
        continue
    n += 1
    if not h["ci_low"] <= float(t["true_effect"]) <= h["ci_high"]:
        missed.append("%s %s: truth %s outside [%.3g, %.3g]" % (x["id"], h["indicator"], t["true_effect"], h["ci_low"], h["ci_high"]))
    if t["pattern"] == "null" and h["verdict"] == "better":
        sys.exit("%s: the null experiment is better" % x["id"])
    for res in x["results"]:
        tt = truth.get((x["id"], res["indicator"]))
        if tt and tt["pattern"] == "harmful" and res["method"] == "twfe" and res["verdict"] != "worse":
            sys.exit("%s: the harmful side effect on %s is %s" % (x["id"], res["indicator"], res["verdict"]))
if len(missed) > 1:
    sys.exit("; ".join(missed))
print("ok   %d of %d headline intervals cover the added effect%s" % (n - len(missed), n, (": " + missed[0]) if missed else ""))
p = r["programme"]
if p["question"]["id"] != "programme" or p["n_treated"] != 60:
    sys.exit("programme row: %s, n_treated %s" % (p["question"]["id"], p["n_treated"]))
h = p["results"][p["headline"]]
t = truth[("programme", h["indicator"])]
if not h["ci_low"] <= float(t["true_effect"]) <= h["ci_high"]:
    sys.exit("programme: truth %s outside [%.3g, %.3g]" % (t["true_effect"], h["ci_low"], h["ci_high"]))
print("ok   programme row (%s, %s): %.3g, truth %s" % (h["indicator"], h["method"], h["estimate"], t["true_effect"]))
' "$R"
# The headline family (issue 16): every experiment's headline and the
# programme row's, adjusted together; Holm and BH recomputed here from the
# raw headline p-values by the textbook step-down and step-up rules (an
# implementation independent of core/src/methods/p_adjust.c, which
# tests/oracle/p_adjust_reference.R checks against R's p.adjust).
pycheck "the programme row is in the headline family, Holm and BH as recomputed" '
import json, sys
r = json.load(open(sys.argv[1] + "/report.json"))
rows = [x for x in r["experiments"] + [r["programme"]]
        if x["status"] == "ok" and x["headline"] is not None]
raw = [x["results"][x["headline"]]["p_value"] for x in rows]
m = len(raw)
if m != len(r["experiments"]) + 1:
    sys.exit("the family has %d members, expected the %d experiments and the programme" % (m, len(r["experiments"])))
order = sorted(range(m), key=lambda i: raw[i])
holm, bh, run = [0.0] * m, [0.0] * m, 0.0
for k, i in enumerate(order):
    run = max(run, min(1.0, (m - k) * raw[i]))
    holm[i] = run
run = 1.0
for k in range(m - 1, -1, -1):
    i = order[k]
    run = min(run, m * raw[i] / (k + 1))
    bh[i] = run
for x, h, b in zip(rows, holm, bh):
    got = x["p_headlines"]
    if got["n"] != m:
        sys.exit("%s: p_headlines.n %s, family %d" % (x["id"], got["n"], m))
    for name, want in (("holm", h), ("bh", b)):
        if abs(got[name] - want) > 1e-12 * max(1.0, want):
            sys.exit("%s: %s across the headlines %r, recomputed %r" % (x["id"], name, got[name], want))
p = r["programme"]
print("ok   %d headlines in one family (the experiments and the programme); programme Holm %.3g, BH %.3g"
      % (m, p["p_headlines"]["holm"], p["p_headlines"]["bh"]))
' "$R"
pycheck "the programme comes first in results.csv, report.md and report.html" '
import sys
R = sys.argv[1]
first = open(R + "/results.csv").read().splitlines()[1]
if not first.startswith("programme,"):
    sys.exit("results.csv starts with " + first[:40])
for f, mark, exp in (("report.md", "## Wijkenaanpak (the programme as a whole) (programme", "(bewonersparticipatie"),
                     ("report.html", "<span class=\"id\">programme", "<span class=\"id\">bewonersparticipatie")):
    text = open(R + "/" + f).read()
    i, j = text.find(mark), text.find(exp)
    if i < 0 or j < 0 or i > j:
        sys.exit("%s: the programme section (%d) is not above the experiments (%d)" % (f, i, j))
print("ok   the programme row is first in results.csv and in the reports")
' "$R"
expect_contains "$R/report.md" "What this number answers" "the added value of the experiment"

# ---- errors --------------------------------------------------------------
mkdir -p "$TMP/bad"
D=$(pwd)/data/demo
write_cfg() { # FILE ASSIGNMENT EXTRA
    sed -e "s#\.\./data/demo/assignment.csv#$2#" -e "s#\.\./data/demo/#$D/#g" \
        configs/demo.cfg > "$1"
}
printf 'experiment,area,from\nbewonersparticipatie,WK001401,2009\nnot_there,WK001401,2009\n' > "$TMP/bad/a1.csv"
write_cfg "$TMP/bad/a1.cfg" "$TMP/bad/a1.csv"
expect_exit 2 "$W" run "$TMP/bad/a1.cfg" -o "$TMP/bad/out" -q
expect_stderr "a1.csv:3: experiment 'not_there' is not one of the config's experiments"
printf 'experiment,area,from\nbewonersparticipatie,WK001401,2009\nbewonersparticipatie,WK999999,2009\n' > "$TMP/bad/a2.csv"
write_cfg "$TMP/bad/a2.cfg" "$TMP/bad/a2.csv"
expect_exit 2 "$W" run "$TMP/bad/a2.cfg" -o "$TMP/bad/out" -q
expect_stderr "a2.csv:3: area 'WK999999' of experiment 'bewonersparticipatie' is not in the areas file"
printf 'experiment,area,from\nbewonersparticipatie,WK001401,20x9\n' > "$TMP/bad/a3.csv"
write_cfg "$TMP/bad/a3.cfg" "$TMP/bad/a3.csv"
expect_exit 2 "$W" run "$TMP/bad/a3.cfg" -o "$TMP/bad/out" -q
expect_stderr "a3.csv:2:" "'from' value"
printf 'experiment,area,from\nbewonersparticipatie,WK001401,2005\n' > "$TMP/bad/a4.csv"
write_cfg "$TMP/bad/a4.cfg" "$TMP/bad/a4.csv"
expect_exit 2 "$W" run "$TMP/bad/a4.cfg" -o "$TMP/bad/out" -q
expect_stderr "a4.csv:2: experiment 'bewonersparticipatie' starts in wijk 'WK001401' in 2005"
sed -e '/assignment = /d' -e 's#\.\./data/demo/#'"$D"'/#g' \
    -e 's#{ plugin = "samenhang"; }#{ plugin = "samenhang"; comparison = "programme"; }#' \
    configs/demo.cfg > "$TMP/bad/c1.cfg"
expect_exit 2 "$W" run "$TMP/bad/c1.cfg" -o "$TMP/bad/out" -q
expect_stderr "comparison = \"programme\" but no rows in data.assignment"
expect_absent "$TMP/bad/out"
