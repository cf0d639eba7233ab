#!/bin/sh
# Honest verdicts and side effects up front (docs/report.md, "Verdicts" and
# "Side effects"), on the demo by its truths (data/demo/truth.csv), not by
# today's numbers: the experiment whose truth is a pre-trend is not
# credible and not ranked by cost; every displacement the demo injects and
# every secondary with a harmful truth is a side effect; every side effect
# is what the results say (significant after the adjustment, bad
# direction); the terminal summary names the side effects, and report.md
# says which design each headline is. In Dutch, the same in Dutch.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$W" run configs/demo.cfg -o "$TMP/a" --plugin-dir "$WE_BUILD/plugins"
R=$TMP/a/demo

pycheck "verdicts and side effects against the demo's truths" '
import csv, json, sys
r = json.load(open(sys.argv[1]))
truth = list(csv.DictReader(open(sys.argv[2])))
cat = {c["indicator"]: c for c in csv.DictReader(open(sys.argv[3]))}
md = open(sys.argv[4]).read()
alpha = r["run"]["alpha"] if "alpha" in r["run"] else 0.05
def check(cond, msg):
    if not cond:
        sys.exit("report.json: " + msg)
    print("ok   " + msg)
VOCAB = {"better", "worse", "no_effect", "inconclusive", "not_credible"}
exps = {e["id"]: e for e in r["experiments"]}
for e in r["experiments"]:
    check(e["verdict"] in VOCAB, e["id"] + ": verdict " + str(e["verdict"]))
    vr = e["verdict_reason"]
    check(vr["nl"] and vr["en"] and vr["nl"] != vr["en"],
          e["id"] + ": verdict_reason in nl and en")
    check(e["plain"]["nl"] and e["plain"]["en"],
          e["id"] + ": plain words in nl and en")
    h = e["results"][e["headline"]]
    if e["verdict"] == "better":
        good = h["ci_low"] > 0 if h["direction"] == "higher_is_better" \
            else h["ci_high"] < 0
        check(good and "pretrend_rejected" not in h["warnings"]
              and e["evidence"]["sms_level"] >= 2,  # report.min_evidence_level
              e["id"] + ": better only with a good-side interval and "
              "credible evidence")
    if e["verdict"] == "no_effect":
        s = e["smallest_effect"]["value"]
        check(-s <= h["ci_low"] and h["ci_high"] <= s,
              e["id"] + ": no_effect only within +-smallest effect")
ranked = {p["experiment"]: p for p in r["policy_return"]["experiments"]}
for t in truth:
    if t["role"] == "primary" and t["pattern"] == "pretrend":
        e = exps[t["experiment"]]
        check(e["verdict"] == "not_credible",
              t["experiment"] + " (truth: pre-trend) is not_credible")
        p = ranked[t["experiment"]]
        check(p["rank"] is None and p["not_credible"] is True,
              t["experiment"] + " is not ranked by cost")
        for q in ranked.values():
            check(t["experiment"] not in q["not_distinguishable_from"],
                  q["experiment"] + ": not compared with " + t["experiment"])
se = r["side_effects"]
kinds = {(s["kind"], s["experiment"], s["indicator"]) for s in se}
for t in truth:
    if t["pattern"] == "displacement":
        check(("displacement", None, t["indicator"]) in kinds,
              "side_effects lists the displacement of " + t["indicator"])
    eff = float(t["true_effect"] or 0)
    if t["role"] == "secondary" and eff != 0:
        lower = cat[t["indicator"]]["direction"] == "lower_is_better"
        if (eff > 0) == lower or t["pattern"] == "harmful":
            check(("secondary", t["experiment"], t["indicator"]) in kinds,
                  "side_effects lists the harmful " + t["indicator"])
# Every side effect is what the results say.
for s in se:
    check(s["text"]["nl"] and s["text"]["en"], "side effect text nl, en")
    bad = s["estimate"] > 0 if s["direction"] == "lower_is_better" \
        else s["estimate"] < 0
    check(bad, s["indicator"] + ": moved in the bad direction")
    if s["kind"] == "secondary":
        x = [y for y in exps[s["experiment"]]["results"]
             if y["indicator"] == s["indicator"] and y["method"] == s["method"]]
        check(len(x) == 1 and x[0]["role"] == "secondary"
              and x[0]["p_adjusted"]["value"] == s["p"] and s["p"] < 0.05,
              s["experiment"] + " " + s["indicator"] + ": significant after "
              "the adjustment (p = %.3g)" % s["p"])
    else:
        d = [y for y in r["displacement"]["indicators"]
             if y["indicator"] == s["indicator"]]
        check(d and d[0]["verdict"] == "displacement",
              s["indicator"] + ": the displacement verdict")
# And nothing significant and harmful is left out.
for e in r["experiments"]:
    for x in e["results"]:
        if x["role"] != "secondary" or x["method"] not in ("twfe", e["design"]):
            continue
        bad = x["estimate"] > 0 if x["direction"] == "lower_is_better" \
            else x["estimate"] < 0
        if bad and x["p_adjusted"]["value"] < 0.05:
            check(("secondary", e["id"], x["indicator"]) in kinds,
                  e["id"] + " " + x["indicator"] + " is listed")
for d in r["displacement"]["indicators"]:
    if d["verdict"] == "displacement":
        check(("displacement", None, d["indicator"]) in kinds,
              d["indicator"] + " displacement is listed")
# report.md: the design of each headline, the side effects in the summary.
summary = md.split("## Policy return")[0]
check("| Design |" in summary, "report.md summary has a Design column")
for e in r["experiments"]:
    name = {"cs": "Callaway\u2013Sant\u0027Anna", "twfe": "TWFE",
            "sc": "synthetic control", "sdid": "synthetic DiD"}[e["design"]]
    row = [l for l in summary.splitlines() if l.startswith("| " + e["title"]["en"] + " |")]
    check(len(row) == 1 and ("| " + name + " |") in row[0],
          "report.md: " + e["id"] + " headline design " + name)
for s in se:
    check(s["text"]["en"].replace("[", "\\[").replace("]", "\\]") in summary,
          "report.md summary names: " + s["text"]["en"][:60])
' "$R/report.json" data/demo/truth.csv data/demo/catalog.csv "$R/report.md"

# The terminal summary of the run names every side effect.
pycheck "the terminal summary names the side effects" '
import json, sys
r = json.load(open(sys.argv[1]))
out = open(sys.argv[2]).read()
if "side effects:" not in out:
    sys.exit("no side effects in the terminal summary:\n" + out)
for s in r["side_effects"]:
    if s["text"]["en"] not in out:
        sys.exit("terminal lacks: " + s["text"]["en"] + "\n" + out)
    print("ok   terminal names: " + s["text"]["en"][:70])
if not r["side_effects"]:
    sys.exit("the demo has a displacement: side_effects is empty")
' "$R/report.json" "$STDOUT"

# In Dutch: the terminal and report.md summary in Dutch, decimal commas.
sed -e 's#"\.\./#"'"$ROOT"'/#g' configs/demo.cfg > "$TMP/nl.cfg"
printf 'report = { language = "nl"; };\n' >> "$TMP/nl.cfg"
expect_exit 0 "$W" run "$TMP/nl.cfg" -o "$TMP/b" --plugin-dir "$WE_BUILD/plugins"
expect_contains "$STDOUT" "bijwerkingen:" "oordeel" "wat er gebeurde:" \
    "vergelijkbare wijken"
expect_contains "$TMP/b/demo/report.md" "## Experimenten in één oogopslag" \
    "| Oordeel |" "| Opzet |" "### ⚠ Bijwerkingen" "### Wat er gebeurde"
pycheck "Dutch texts carry decimal commas and the same verdicts" '
import json, re, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
for x, y in zip(a["experiments"], b["experiments"]):
    if x["verdict"] != y["verdict"] or x["plain"] != y["plain"]:
        sys.exit(x["id"] + ": the language changed a verdict or its words")
md = open(sys.argv[3]).read()
# The summary section, up to the next section of report.md.
summary = md.split("### Wat er gebeurde")[1].split("\n## ")[0]
# "1.000" groups thousands; a decimal point has other than three digits.
if re.search(r"\d\.(\d{1,2}|\d{4,})(?!\d)", summary):
    sys.exit("a decimal point in the Dutch summary:\n" + summary)
for e in ("steeg met ongeveer", "Niet geloofwaardig"):
    if e not in summary:
        sys.exit("Dutch summary lacks " + e)
print("ok   report.json the same in both languages; Dutch summary with "
      "decimal commas")
' "$R/report.json" "$TMP/b/demo/report.json" "$TMP/b/demo/report.md"

# A smallest effect for an indicator the catalogue lacks: refused with the
# config line before any plugin runs, and nothing written.
sed -e 's#"\.\./#"'"$ROOT"'/#g' configs/demo.cfg > "$TMP/bad.cfg"
printf 'report = {\n  smallest_effect = { doorlooptijd_dagen = 2.0; };\n};\n' >> "$TMP/bad.cfg"
LINE=$(($(wc -l < "$TMP/bad.cfg") - 1))
expect_exit_nonzero "$W" run "$TMP/bad.cfg" -o "$TMP/c" --plugin-dir "$WE_BUILD/plugins"
expect_stderr "bad.cfg:$LINE: report.smallest_effect: indicator 'doorlooptijd_dagen' is not in the catalogue"
[ ! -e "$TMP/c/demo" ] || fail "a report was written for a refused config"
ok "no report for the refused config"
# With a smallest effect the inconclusive headline of the null
# experiment (samenhang in the demo's truth) is no effect when its interval lies within it (the interval from the run).
SE=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
e = [x for x in r["experiments"] if x["id"] == "samenhang"][0]
h = e["results"][e["headline"]]
print(max(abs(h["ci_low"]), abs(h["ci_high"])) * 1.01)' "$R/report.json")
sed -e 's#"\.\./#"'"$ROOT"'/#g' configs/demo.cfg > "$TMP/se.cfg"
printf 'report = { smallest_effect = { sociale_cohesie_score = %s; }; };\n' "$SE" >> "$TMP/se.cfg"
expect_exit 0 "$W" run "$TMP/se.cfg" -o "$TMP/d" --plugin-dir "$WE_BUILD/plugins"
pycheck "a configured smallest effect decides no_effect" '
import json, sys
r = json.load(open(sys.argv[1]))
e = [x for x in r["experiments"] if x["id"] == "samenhang"][0]
if e["verdict"] != "no_effect" or e["smallest_effect"]["source"] != "indicator":
    sys.exit("samenhang: %s %s" % (e["verdict"], e["smallest_effect"]))
print("ok   samenhang: no_effect within the configured smallest effect")
' "$TMP/d/demo/report.json"
