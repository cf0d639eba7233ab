#!/bin/sh
# The run history (docs/history.md): the demo's 2011 and 2012 reports in
# one series, and the 2012 report's "since the previous report" (new
# periods, the revised indicator named with its cells, per experiment
# then and now); `wijkeval history` list/show/trend/forget; a
# schema-version-1 history migrated; a history that cannot be written
# never keeps the report back (exit 3). Concurrent writers and SIGKILL:
# history_concurrent.sh.
. "$(dirname "$0")/lib.sh"

HIST=$TMP/out/history.sqlite
# The demo's configs with few replications (the history does not care),
# reading the data where they are.
fast() { # CONFIG OUT
    sed -e "s|\"\.\./data/|\"$ROOT/data/|g" -e 's/reps = 9999/reps = 99/' \
        -e 's/reps = 999;/reps = 0;/' -e 's/bootstrap_reps = 999/bootstrap_reps = 99/' \
        "$1" >"$2"
}
[ -f configs/demo-2011.cfg ] || fail "configs/demo-2011.cfg is missing: make demo-data"
fast configs/demo-2011.cfg "$TMP/demo-2011.cfg"
fast configs/demo.cfg "$TMP/demo.cfg"

# ---- the demo: 2011, then 2012 -----------------------------------------
expect_exit 0 "$W" run "$TMP/demo-2011.cfg" -q -o "$TMP/out"
[ -f "$HIST" ] || fail "no history at out/history.sqlite beside the report"
pycheck "the 2011 report has no since_previous" '
import json, sys
r = json.load(open(sys.argv[1]))
if "since_previous" in r:
    sys.exit("the first run of a series has since_previous")
' "$TMP/out/demo-2011/report.json"
expect_absent "$TMP/out/demo-2011/since_previous.csv"
expect_exit 0 "$W" run "$TMP/demo.cfg" -o "$TMP/out"
expect_contains "$STDOUT" "recorded as run 2 of series demo in" "since run 1 (demo-2011, data to 2011)"

# The revised indicator is the one the 2011 data were derived with: the
# primary indicator of truth.csv's first experiment (scripts/demo_2011.py).
pycheck "since_previous of the 2012 report" '
import csv, json, sys
r = json.load(open(sys.argv[1]))
sp = r.get("since_previous")
if not sp:
    sys.exit("no since_previous")
truth = [t for t in csv.DictReader(open(sys.argv[2])) if t["role"] == "primary"]
revised = truth[0]["indicator"]
if sp["previous"]["run_id"] != 1 or sp["previous"]["name"] != "demo-2011":
    sys.exit("compared with %r" % sp["previous"])
c = sp["causes"]
if not c["new_periods"] or c["added_periods"] != [2012]:
    sys.exit("new periods: %r" % c["added_periods"])
rev = {x["indicator"]: x for x in c["revised_indicators"]}
if list(rev) != [revised]:
    sys.exit("revised indicators %r, expected [%s]" % (list(rev), revised))
x = rev[revised]
if x["first_period"] != 2010 or x["last_period"] != 2010 or x["periods"] != 1:
    sys.exit("revision periods: %r" % x)
if not 0 < x["cells"] <= r["data"]["areas"]:
    sys.exit("revised cells: %r" % x["cells"])
if c["method_changed"] or not c["config_changed"]:
    sys.exit("config/method: %r" % c)
# The experiments, then the programme row, each compared on the DG
# verdict the report shows (and the interval verdict kept beside it).
rows = r["experiments"] + ([r["programme"]] if r.get("programme") else [])
ids = [e["id"] for e in rows]
if [e["id"] for e in sp["experiments"]] != ids:
    sys.exit("experiments %r" % [e["id"] for e in sp["experiments"]])
if not r.get("programme"):
    sys.exit("the demo has no programme row")
if [e["programme"] for e in sp["experiments"]] != [False] * (len(ids) - 1) + [True]:
    sys.exit("programme flags: %r" % [e["programme"] for e in sp["experiments"]])
n_changed = 0
for e, cur in zip(sp["experiments"], rows):
    for side in ("previous", "current"):
        s = e[side]
        if s["status"] == "ok" and (s["verdict"] is None or s["estimate"] is None
                                    or s["ci_low"] is None or s["ci_high"] is None):
            sys.exit("%s %s incomplete: %r" % (e["id"], side, s))
    h = cur["results"][cur["headline"]]
    if e["current"]["estimate"] != h["estimate"]:
        sys.exit("%s: current estimate %r is not the report'"'"'s %r" %
                 (e["id"], e["current"]["estimate"], h["estimate"]))
    if e["current"]["verdict"] != cur["verdict"]:
        sys.exit("%s: current verdict %r, report %r" %
                 (e["id"], e["current"]["verdict"], cur["verdict"]))
    for side in ("previous", "current"):
        if e[side]["status"] == "ok" and e[side]["interval_verdict"] not in ("better", "worse", "unclear"):
            sys.exit("%s %s interval verdict %r" % (e["id"], side, e[side]))
    changed = e["previous"]["verdict"] != e["current"]["verdict"]
    if e["verdict_changed"] != changed:
        sys.exit("%s: verdict_changed %r" % (e["id"], e["verdict_changed"]))
    n_changed += changed
    if e["indicator_revised"] != (e["current"]["indicator"] == revised):
        sys.exit("%s: indicator_revised %r" % (e["id"], e["indicator_revised"]))
if n_changed != sp["verdicts_changed"]:
    sys.exit("verdicts_changed %r, counted %d" % (sp["verdicts_changed"], n_changed))
# The experiment whose truth builds up (pattern ramp): its mean effect over
# the treated years grows from 2011 to 2012 (by_period), and so does its
# estimate, in the good direction (the verdict change of the demo,
# docs/history.md; the interval depends on the bootstrap, the point not).
ramps = [t for t in csv.DictReader(open(sys.argv[2])) if t["pattern"] == "ramp"]
if len(ramps) != 1:
    sys.exit("truth.csv: %d ramps, the demo has one" % len(ramps))
t = ramps[0]
e = [x for x in sp["experiments"] if x["id"] == t["experiment"]][0]
prev, cur = e["previous"]["estimate"], e["current"]["estimate"]
if not (abs(cur) > abs(prev) and (cur > 0) == (float(t["true_effect"]) > 0)):
    sys.exit("%s (ramp): estimate %r in 2011, %r in 2012" % (e["id"], prev, cur))
print("ok   %s builds up: %.3g in 2011, %.3g in 2012 (truth %s in 2012); verdict %s -> %s"
      % (e["id"], prev, cur, t["true_effect"], e["previous"]["verdict"], e["current"]["verdict"]))
' "$TMP/out/demo/report.json" "$ROOT/data/demo/truth.csv"
ok "since_previous: 2012 new, the revised indicator named with its cells"
expect_contains "$TMP/out/demo/report.md" "## Since the previous report" \
    "**New periods of data:** 2012" "**Revised data**"
expect_contains "$TMP/out/demo/report.html" 'id="since-previous"' \
    'class="since-list"' 'What changed:'
# A changed verdict is marked on the first screen beside the new one, as
# many times as since_previous counts changed verdicts (with this test's
# 99 draws the count may differ from the demo's one).
n_marks=$(grep -o '<a class="was a-' "$TMP/out/demo/report.html" | wc -l)
n_sp=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['since_previous']['verdicts_changed'])" "$TMP/out/demo/report.json")
[ "$n_marks" -eq "$n_sp" ] ||
    fail "report.html: $n_marks first-screen marks for $n_sp changed verdicts"
ok "report.html: $n_marks changed verdict(s) marked beside the verdict"
expect_contains "$TMP/out/demo/since_previous.csv" \
    "experiment,change,previous_run,previous_status"
[ "$(wc -l <"$TMP/out/demo/since_previous.csv")" -eq 9 ] ||
    fail "since_previous.csv: not 7 experiments and the programme"
expect_contains "$TMP/out/demo/since_previous.csv" ",current_interval_verdict,programme"
grep -Eq '^programme,(same|up|down|changed|new|gone),' "$TMP/out/demo/since_previous.csv" ||
    fail "since_previous.csv: no row for the programme"
expect_contains "$TMP/out/demo/report.md" "| programme (the programme) |"

# The same run again: the 2012 report against itself changes nothing.
expect_exit 0 "$W" run "$TMP/demo.cfg" -q -o "$TMP/out"
pycheck "a second identical run" '
import json, sys
sp = json.load(open(sys.argv[1]))["since_previous"]
c = sp["causes"]
if sp["previous"]["run_id"] != 2 or c["new_periods"] or c["revised_data"] \
        or c["config_changed"] or sp["verdicts_changed"] \
        or any(e["change"] != "same" for e in sp["experiments"]):
    sys.exit("an identical run shows changes: %r" % sp)
' "$TMP/out/demo/report.json"
ok "an identical run: nothing changed"
# --compare-with chooses the run. The demo's verdicts are the same in 2011
# and 2012; to see a change detected, run 1 gets other DG verdicts kept
# in the history (its interval verdicts stay): the first experiment
# "worse", the programme row "no_effect".
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("update experiments set judgement = case when programme then ? else ? end where run_id = 1 and (programme or pos = 0)", ("no_effect", "worse")); d.commit()' "$HIST"
expect_exit 0 "$W" run "$TMP/demo.cfg" -q -o "$TMP/out" --compare-with 1
pycheck "--compare-with 1: changed DG verdicts" '
import json, sys
r = json.load(open(sys.argv[1]))
sp = r["since_previous"]
if sp["previous"]["run_id"] != 1 or not sp["previous"]["chosen"]:
    sys.exit("compared with %r" % sp["previous"])
e, p = sp["experiments"][0], sp["experiments"][-1]
want = {"better": "up", "worse": "same", "no_effect": "up",
        "inconclusive": "up", "not_credible": "changed"}
if e["previous"]["verdict"] != "worse" or not e["verdict_changed"] \
        or e["current"]["verdict"] != r["experiments"][0]["verdict"] \
        or e["change"] != want[e["current"]["verdict"]]:
    sys.exit("first experiment: %r" % e)
if not p["programme"] or p["previous"]["verdict"] != "no_effect" \
        or p["verdict_changed"] != (p["current"]["verdict"] != "no_effect"):
    sys.exit("programme row: %r" % p)
if sp["verdicts_changed"] != sum(x["verdict_changed"] for x in sp["experiments"]) \
        or sp["verdicts_changed"] < 1:
    sys.exit("verdicts_changed %r" % sp["verdicts_changed"])
if not sp["causes"]["new_periods"] or not sp["causes"]["revised_data"]:
    sys.exit("causes: %r" % sp["causes"])
' "$TMP/out/demo/report.json"
expect_contains "$TMP/out/demo/report.md" "| worse, "
n_marks=$(grep -o '<a class="was a-' "$TMP/out/demo/report.html" | wc -l)
n_sp=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['since_previous']['verdicts_changed'])" "$TMP/out/demo/report.json")
[ "$n_sp" -ge 1 ] && [ "$n_marks" -eq "$n_sp" ] ||
    fail "report.html: $n_marks first-screen marks for $n_sp changed verdicts"
expect_contains "$TMP/out/demo/report.html" 'previous report: worse</a>'
ok "report.html: the $n_sp changed verdicts marked beside the verdict"
expect_exit 2 "$W" run "$TMP/demo.cfg" -q -o "$TMP/out" --compare-with x
# A run that is not there: a warning, the report, exit 3.
expect_exit 3 "$W" run "$TMP/demo.cfg" -q -o "$TMP/out" --compare-with 99
expect_stderr "no run 99"

# ---- wijkeval history ------------------------------------------------------
H="--history $HIST"
expect_exit 0 "$W" history list $H
expect_contains "$STDOUT" "demo-2011" "2003-2011" "2003-2012"
[ "$(grep -c ' demo ' "$STDOUT")" -eq 5 ] || fail "history list: not 5 runs"
head -n 2 "$STDOUT" | tail -n 1 | grep -q '^ *5 ' || fail "list: not newest first"
ok "history list: five runs, newest first"
expect_exit 0 "$W" history list $H --json
pycheck "list --json" '
import json, sys
rows = json.load(open(sys.argv[1]))
if [r["id"] for r in rows] != [5, 4, 3, 2, 1] or rows[-1]["last_period"] != 2011:
    sys.exit("list --json: %r" % rows)
' "$STDOUT"
expect_exit 0 "$W" history list $H --csv
head -n 1 "$STDOUT" | grep -q '^id,name,series,finished' || fail "list --csv header"
expect_exit 0 "$W" history show 1 $H
expect_contains "$STDOUT" "run 1: demo-2011 (series demo), ok" "bewonersparticipatie"
expect_exit 1 "$W" history show 77 $H
expect_exit 0 "$W" history trend demo $H --html "$TMP/trend.html"
[ "$(grep -c 'bewonersparticipatie' "$STDOUT")" -eq 5 ] || fail "trend: not 5 runs"
[ "$(grep -c '<svg' "$TMP/trend.html")" -eq 8 ] || fail "trend --html: not 8 charts"
[ "$(grep -c '^ *[0-9]*  20[0-9]*  programme ' "$STDOUT")" -eq 5 ] || fail "trend: no programme row in every run"
ok "history trend: every run, a chart per experiment and the programme"
expect_exit 0 "$W" history trend demo $H --json
pycheck "trend --json" '
import json, sys
rows = json.load(open(sys.argv[1]))
if len(rows) != 40 or rows[0]["run_id"] != 1 or rows[0]["last_period"] != 2011:
    sys.exit("trend --json: %d rows" % len(rows))
' "$STDOUT"
expect_exit 0 "$W" history forget 4 $H
expect_exit 1 "$W" history forget 4 $H
pycheck "forget leaves nothing behind" '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for t in ("inputs", "settings", "experiments", "results", "metrics", "targets",
          "policy_return", "cell_hashes"):
    n = db.execute("select count(*) from %s where run_id = 4" % t).fetchone()[0]
    if n:
        sys.exit("%d rows of run 4 left in %s" % (n, t))
' "$HIST"
expect_exit 2 "$W" history list --history "$TMP/none.sqlite"
expect_stderr "no such file"
expect_exit 2 "$W" history bogus $H

# ---- no history, a history that cannot be written -----------------------
expect_exit 0 "$W" run "$TMP/demo.cfg" -q -o "$TMP/nohist" --no-history
expect_absent "$TMP/nohist/history.sqlite"
[ ! -f "$TMP/nohist/demo/since_previous.csv" ] || fail "--no-history compared"
expect_exit 3 "$W" run "$TMP/demo.cfg" -q -o "$TMP/o3" --history "$TMP/no/such/dir/h.sqlite"
expect_stderr "warning:" "h.sqlite" "exit code 3"
[ -s "$TMP/o3/demo/report.json" ] || fail "exit 3 without the report"
printf 'not a database, just text\n%.0s' 1 2 3 4 5 6 7 8 >"$TMP/text.sqlite"
expect_exit 3 "$W" run "$TMP/demo.cfg" -q -o "$TMP/o4" --history "$TMP/text.sqlite"
expect_stderr "not a wijkeval history"
[ -s "$TMP/o4/demo/report.html" ] || fail "exit 3 without the report"
grep -q 'not a database' "$TMP/text.sqlite" || fail "the text file was changed"
ok "a broken history: warning, report written, exit 3"

# ---- a schema-version-1 history is migrated ------------------------------
cp "$ROOT/tests/fixtures/history/history-v1.sqlite" "$TMP/v1.sqlite"
expect_exit 0 "$W" history list --history "$TMP/v1.sqlite"
expect_contains "$STDOUT" "oud" "2003-2010" "partial"
pycheck "the migrated history" '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
if db.execute("pragma user_version").fetchone()[0] != 3:
    sys.exit("not migrated to version 3")
if db.execute("select count(*) from experiments where judgement is not null or programme != 0").fetchone()[0]:
    sys.exit("the old runs got a DG verdict or a programme row")
if db.execute("select series from runs order by id").fetchall() != [("oud",), ("oud",)]:
    sys.exit("the old runs have no series")
if db.execute("pragma integrity_check").fetchall() != [("ok",)]:
    sys.exit("integrity_check failed")
' "$TMP/v1.sqlite"
expect_exit 0 "$W" history trend oud --history "$TMP/v1.sqlite"
expect_contains "$STDOUT" "unclear" "better" "failed"
# A run of series "oud" records into it and compares with the old run 2.
sed -e 's/^name = "demo";/name = "oud";/' "$TMP/demo.cfg" >"$TMP/oud.cfg"
expect_exit 0 "$W" run "$TMP/oud.cfg" -q -o "$TMP/ov1" --history "$TMP/v1.sqlite"
pycheck "a run against a version-1 run" '
import json, sys
sp = json.load(open(sys.argv[1]))["since_previous"]
if sp["previous"]["run_id"] != 2:
    sys.exit("compared with %r" % sp["previous"])
e = sp["experiments"][0]
if e["id"] != "bewonersparticipatie" or e["previous"]["verdict"] is not None \
        or e["previous"]["interval_verdict"] != "better":
    sys.exit("the old run'"'"'s experiment: %r" % e)
# No DG verdict before schema 3: the interval verdicts are compared.
if e["verdict_changed"] != (e["current"]["interval_verdict"] != "better"):
    sys.exit("against a version-1 run: %r" % e)
' "$TMP/ov1/oud/report.json"
# A history newer than this wijkeval is refused, with a warning.
cp "$ROOT/tests/fixtures/history/history-v1.sqlite" "$TMP/v9.sqlite"
python3 -c 'import sqlite3,sys; d=sqlite3.connect(sys.argv[1]); d.execute("pragma user_version = 9"); d.commit()' "$TMP/v9.sqlite"
expect_exit 3 "$W" run "$TMP/demo.cfg" -q -o "$TMP/o9" --history "$TMP/v9.sqlite"
expect_stderr "schema version 9"
