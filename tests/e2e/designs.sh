# The comparison designs end to end: the headline design an experiment
# gets (cs with two waves, sdid with few treated areas, sc on request),
# the fields the report gives each, and `wijkeval estimate` with
# --method cs|sc|sdid and --comparison matched.
. "$(dirname "$0")/lib.sh"

# Three treated wijken in one wave: auto picks sdid; sc on request;
# matched comparison for a third experiment.
cat > "$TMP/few.cfg" <<CFG
name = "few";
data = { areas = "$DEMO/areas.csv"; indicators = "$DEMO/indicators.csv";
         catalog = "$DEMO/catalog.csv"; };
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { waves = ( { from = 2008;
              areas = ["WK059901", "WK059902", "WK059903"]; } ); };
inference = { bootstrap = { reps = 999; }; permutation = { reps = 99; }; };
designs = { sdid_reps = 50; };
experiments = (
  { plugin = "bewonersparticipatie"; },
  { plugin = "samenhang"; design = "sc"; },
  { plugin = "slagkracht"; design = "twfe"; comparison = "matched";
    matching = { k = 2; covariates = ["woz_gemiddeld"]; }; } );
CFG
expect_exit 0 "$W" run "$TMP/few.cfg" -q -o "$TMP/out"

pycheck "designs in report.json" '
import json, math, sys
r = json.load(open(sys.argv[1]))
e = {x["id"]: x for x in r["experiments"]}
def head(i):
    x = e[i]
    return x["results"][x["headline"]]
def check(cond, msg):
    if not cond:
        sys.exit("report.json: " + msg)
    print("ok   " + msg)
b = e["bewonersparticipatie"]
check(b["design"] == "sdid" and "3 treated" in b["design_reason"],
      "auto picks sdid for 3 treated areas: " + b["design_reason"])
h = head("bewonersparticipatie")
check(h["method"] == "sdid" and math.isfinite(h["se"]) and
      h["synthetic"]["weights"] and h["synthetic"]["time_weights"],
      "sdid headline with SE, unit and time weights")
s = head("samenhang")
check(e["samenhang"]["design"] == "sc" and s["method"] == "sc" and
      s["inference"]["method"] == "placebo" and 0 < s["p_value"] <= 1 and
      abs(sum(w["weight"] for w in s["synthetic"]["weights"]) - 1) < 0.05,
      "sc headline: placebo p %.3g, top donor weights sum near 1"
      % s["p_value"])
check(s["evidence"]["sms_level"] >= 1, "sc headline has an evidence level")
# Their own pre-period check (in-time placebo, docs/methods.md): sdid runs
# it; sc on the biennial survey indicator has too few pre-periods and says
# why, so it shows the twfe leads (borrowed) and cannot reach level 3.
pt = h["pretest"]
it = pt["in_time_placebo"]
check(not pt["borrowed"] and "in-time placebo" in pt["check"] and
      it["min_p"] <= it["p_value"] <= 1 and it["n_placebos"] == 50 and
      it["placebo_start"] < 2008 and 0 <= pt["power"] <= 1 and
      it["simulations"] == 100 and pt["trend_slope"] > 0,
      "sdid headline: its own in-time placebo from %d, p %.3g, power %.2f"
      % (it["placebo_start"], it["p_value"], pt["power"]))
check((h["evidence"]["sms_level"] == 3) ==
      (it["p_value"] >= 0.05 and pt["power"] >= pt["power_min"]),
      "sdid level 3 exactly when its check passes with enough power")
spt = s["pretest"]
check(spt["borrowed"] and "periods with data" in
      spt["in_time_placebo"]["error"] and s["evidence"]["sms_level"] <= 2,
      "sc headline without enough pre-periods: borrowed check, says why")
m = e["slagkracht"]["matching"]
check(m is not None and m["k"] == 2 and m["balance"] and
      all("smd_after" in row for row in m["balance"]),
      "matched experiment reports its balance table (%d features)"
      % len(m["balance"]))
tw = head("slagkracht")
check(tw["method"] == "twfe" and 0 < tw["n_control"] <= 6,
      "matched TWFE uses the %d matched comparison wijken" % tw["n_control"])
' "$TMP/out/few/report.json"

# estimate: cs equals the demo run's cs headline (the programme row: two
# waves, its first indicator); sdid refuses two waves; the matched
# comparison group is smaller than all untreated wijken.
EST="estimate --data $DEMO/indicators.csv --areas $DEMO/areas.csv --indicator werkzaam_15_64_pct --treatment $DEMO/treatment.csv --adjacency $DEMO/adjacency.csv"
expect_exit 0 "$W" $EST --method cs --json
cp "$STDOUT" "$TMP/cs.json"
expect_exit 0 "$W" run configs/demo.cfg -q -o "$TMP/demo"
pycheck "estimate --method cs equals the report" '
import json, sys
est = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
b = r["programme"]
h = b["results"][b["headline"]]
if h["method"] != "cs" or est["method"] != "cs":
    sys.exit("methods: %s / %s" % (est["method"], h["method"]))
for k in ("estimate", "se", "n_treated", "n_control"):
    if est[k] != h[k]:
        sys.exit("%s: estimate %r, report %r" % (k, est[k], h[k]))
print("ok   estimate --method cs = report cs headline (%.4g, se %.3g)"
      % (est["estimate"], est["se"]))
' "$TMP/cs.json" "$TMP/demo/demo/report.json"
# --json carries the design detail report.json has: the ATT(g,t) cells.
pycheck "estimate --method cs --json has the report's att_gt cells" '
import json, sys
est = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
b = r["programme"]
h = b["results"][b["headline"]]
cells = est.get("callaway_santanna", {}).get("att_gt")
if not cells:
    sys.exit("estimate --method cs --json has no callaway_santanna.att_gt")
for c in cells:
    for k in ("group", "period", "event_time", "estimate", "se", "n_treated"):
        if k not in c:
            sys.exit("att_gt cell without %s: %r" % (k, c))
if {c["group"] for c in cells} != {2008, 2009}:
    sys.exit("att_gt groups %r, not the two waves" % {c["group"] for c in cells})
# The uniform bands come from the multiplier bootstrap, whose draws
# follow the seed (estimate --seed, the run'"'"'s derived one): not compared.
def fixed(cs):
    return [{k: v for k, v in c.items() if not k.startswith("band_")}
            for c in cs]
if fixed(cells) != fixed(h["callaway_santanna"]["att_gt"]):
    sys.exit("att_gt differs from the report headline'"'"'s")
print("ok   estimate --method cs --json: %d att_gt cells, as in the report"
      % len(cells))
' "$TMP/cs.json" "$TMP/demo/demo/report.json"
# sc and sdid (one wave: the 2008 wijken): donor weights by area code.
WAVE1=$(awk -F, 'NR > 1 && $2 == 2008 { printf "%s%s", s, $1; s = "," }' "$DEMO/treatment.csv")
ONE="estimate --data $DEMO/indicators.csv --indicator actief_voor_buurt_pct --treated $WAVE1 --from 2008"
for m in sc sdid; do
    expect_exit 0 "$W" $ONE --areas "$DEMO/areas.csv" --method $m --json
    cp "$STDOUT" "$TMP/$m.json"
    # Without --areas the donors are named by their code.
    expect_exit 0 "$W" $ONE --method $m --json
    cp "$STDOUT" "$TMP/${m}_codes.json"
    pycheck "estimate --method $m --json has donor weights by area code" '
import csv, json, sys
m, areas = sys.argv[1], {r["area"]: r for r in csv.DictReader(open(sys.argv[2]))}
treated = set(sys.argv[3].split(","))
for path, named in ((sys.argv[4], True), (sys.argv[5], False)):
    est = json.load(open(path))
    if est["method"] != m:
        sys.exit("%s: method %r" % (path, est["method"]))
    w = est.get("synthetic", {}).get("weights")
    if not w:
        sys.exit("%s: no synthetic.weights" % path)
    for d in w:
        if d["area"] not in areas or d["area"] in treated:
            sys.exit("%s: donor %r is not an untreated area code" % (path, d["area"]))
        want = areas[d["area"]]["name"] if named else d["area"]
        if d["name"] != want or not 0 < d["weight"] <= 1:
            sys.exit("%s: donor %r (name %r)" % (path, d, want))
    if [d["weight"] for d in w] != sorted((d["weight"] for d in w), reverse=True):
        sys.exit("%s: weights not largest first" % path)
a, b = (json.load(open(p)) for p in sys.argv[4:6])
if a["estimate"] != b["estimate"] or [d["area"] for d in a["synthetic"]["weights"]] != [d["area"] for d in b["synthetic"]["weights"]]:
    sys.exit("with and without --areas differ")
print("ok   estimate --method %s --json: %d donors by area code, largest %s %.3g"
      % (m, len(w), w[0]["area"], w[0]["weight"]))
' $m "$DEMO/areas.csv" "$WAVE1" "$TMP/$m.json" "$TMP/${m}_codes.json"
done
expect_exit 2 "$W" $EST --method sdid
expect_contains "$STDERR" "one common start"
expect_exit 0 "$W" $EST --comparison matched --match-k 2 --inference cr1 --json
pycheck "estimate --comparison matched" '
import json, sys
t = open(sys.argv[1]).read()
d = json.loads(t[t.index("{"):])
if not (0 < d["n_control"] < 152):
    sys.exit("matched n_control %r not below the 152 untreated" % d["n_control"])
m = d.get("matching") or {}
if m.get("k") != 2 or m.get("matched_on") != "werkzaam_15_64_pct":
    sys.exit("matching: %r" % {k: m.get(k) for k in ("k", "matched_on")})
bal = m.get("balance") or []
if not bal or any(set(b) != {"feature", "smd_before", "smd_after",
                             "var_ratio_before", "var_ratio_after"} for b in bal):
    sys.exit("matching.balance: %r" % bal[:2])
print("ok   estimate --comparison matched: %d matched comparison wijken, "
      "balance on %d features" % (d["n_control"], len(bal)))
' "$STDOUT"
expect_exit 2 "$W" $EST --comparison nearest

# An experiment that names its municipalities: only their treated areas
# (Arnhem: four wijken from 2008, one from 2009) are treated; the other
# treated wijken leave the sample instead of joining the comparison group;
# the other experiments keep the whole design.
sed -e '/^  assignment = /d' -e 's/{ plugin = "samenhang"; },/{ plugin = "samenhang"; municipalities = ["GM0202"]; design = "twfe"; },/' \
    configs/demo.cfg >"$TMP/muni.cfg"
cmp -s configs/demo.cfg "$TMP/muni.cfg" && fail "the municipalities edit changed nothing"
sed -i -e "s|\.\./data/demo/|$DEMO/|g" "$TMP/muni.cfg"
expect_exit 0 "$W" run "$TMP/muni.cfg" -q -o "$TMP/muni"
pycheck "municipalities = [GM0202]" '
import json, sys
r = json.load(open(sys.argv[1]))
# The 152 untreated wijken less the 18 of the ring (data.adjacency),
# which leave every comparison group.
n_untreated = 134
for x in r["experiments"]:
    twfe = [t for t in x["results"] if t["method"] == "twfe"]
    for t in twfe:
        if x["id"] == "samenhang":
            if t["n_treated"] != 5 or t["n_control"] != n_untreated:
                sys.exit("samenhang: %d treated, %d control; expected 5 and %d"
                         % (t["n_treated"], t["n_control"], n_untreated))
        elif t["n_treated"] <= 5:
            sys.exit("%s lost its treated areas" % x["id"])
print("ok   samenhang in GM0202 only: 5 treated, %d comparison wijken"
      % n_untreated)
' "$TMP/muni/demo/report.json"
