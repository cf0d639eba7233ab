#!/bin/sh
# ABI 1.3 across the process boundary (docs/plugins.md): a plugin's Dutch
# summary and metric text, the catalogue's unit and label
# (indicator_info), the headline (the report's design), a per-wijk metric
# and a warning reach report.json, report.html and report.md, with the
# plugin isolated in its child and without isolation alike; a metric
# name emitted twice fails the experiment in `run` as in check-plugin.
. "$(dirname "$0")/lib.sh"

FX=$WE_BUILD/tests/fixtures
mkdir "$TMP/p"
cp "$FX/fx_text.so" "$TMP/p/"

config() { # name isolation language twice
    cat >"$TMP/$1.cfg" <<CFG
name = "$1";
data = { areas = "$DEMO/areas.csv"; indicators = "$DEMO/indicators.csv";
         catalog = "$DEMO/catalog.csv"; };
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$DEMO/treatment.csv"; };
inference = { bootstrap = { reps = 99; }; permutation = { reps = 0; };
              event_study = { bootstrap_reps = 0; }; };
isolation = { enabled = $2; };
report = { language = "$3"; };
experiments = ( { plugin = "fx_text"; settings = { twice = $4; }; } );
CFG
}

check_json() { # report.json
    pycheck "ABI 1.3 in $(show "$1")" '
import csv, json, math, sys
r = json.load(open(sys.argv[1]))
x = r["experiments"][0]
assert x["status"] == "ok", x.get("error")
assert x["summary_nl"] == "Gebruikt elke hostfunctie van ABI 1.3.", x["summary_nl"]
m = {k["name"]: k for k in x["metrics"]}["headline_estimate"]
# The headline the report shows: the plugin got the same estimate.
h = x["results"][x["headline"]]
assert h["method"] == x["design"], (h["method"], x["design"])
assert math.isclose(m["value"], h["estimate"], rel_tol=1e-12), (m["value"], h["estimate"])
# The unit and label from the catalogue, in words.
cat = {c["indicator"]: c for c in csv.DictReader(open(sys.argv[2]))}["sociale_cohesie_score"]
assert cat["label_en"] in m["description"], m["description"]
assert cat["label_nl"] in m["description_nl"], m["description_nl"]
assert m["unit"] == "score from 0 to 10" and m["unit_nl"] == "score van 0 tot 10", m
assert m["label"] == {"nl": "Kernresultaat", "en": "Headline"}, m["label"]
# The per-wijk metric: the treated wijken only, their latest values.
a = x["area_metrics"][0]
assert a["name"] == "latest_by_wijk" and a["label"]["nl"] == "Laatste waarde"
treated = {row["area"] for row in csv.DictReader(open(sys.argv[3]))}
assert set(a["values"]) <= treated and len(a["values"]) > 0, a["values"]
assert x["plugin_warnings"] == ["fx_text: a warning for the report <b>"], x["plugin_warnings"]
print("ok   summary_nl, metric text, headline (%s), %d wijken, 1 warning" % (h["method"], len(a["values"])))
' "$1" "$DEMO/catalog.csv" "$DEMO/treatment.csv"
}

for iso in true false; do
    config "iso_$iso" "$iso" en false
    expect_exit 0 "$W" run "$TMP/iso_$iso.cfg" -q -o "$TMP/out" --plugin-dir "$TMP/p"
    check_json "$TMP/out/iso_$iso/report.json"
    expect_contains "$TMP/out/iso_$iso/report.html" \
        "Per wijk, from the plugin" "Latest value" \
        "Warnings from the plugin (1)" "a warning for the report &lt;b&gt;" \
        "<td>Headline</td>"
    expect_contains "$TMP/out/iso_$iso/report.md" \
        "**Warnings from the plugin:**" "- fx_text: a warning for the report"
done
pycheck "isolated and in-process runs give the same experiments" '
import json, sys
a, b = (json.load(open(p))["experiments"] for p in sys.argv[1:])
if a != b:
    sys.exit("the experiments differ")
print("ok   the same experiments isolated and in-process")
' "$TMP/out/iso_true/report.json" "$TMP/out/iso_false/report.json"

# The report in Dutch: the plugin's Dutch text.
config nl true nl false
expect_exit 0 "$W" run "$TMP/nl.cfg" -q -o "$TMP/out" --plugin-dir "$TMP/p"
expect_contains "$TMP/out/nl/report.html" "Gebruikt elke hostfunctie van ABI 1.3." \
    "Per wijk, volgens de plugin" "Laatste waarde" "Kernresultaat" \
    "Waarschuwingen van de plugin (1)" "score van 0 tot 10"

# A metric name twice: refused by run, as by check-plugin.
config twice true en true
expect_exit 1 "$W" run "$TMP/twice.cfg" -q -o "$TMP/out" --plugin-dir "$TMP/p"
expect_contains "$TMP/out/twice/report.json" \
    "metric 'headline_estimate' was emitted before; each metric name may be emitted once"

# check-plugin runs the same plugin and counts its per-wijk metric.
expect_exit 0 "$W" check-plugin "$TMP/p/fx_text.so"
expect_contains "$STDOUT" "1 domain metric, 1 per-wijk metric" "PASS: 0 of"
