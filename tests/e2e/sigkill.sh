#!/bin/sh
# A run killed with SIGKILL at any moment leaves the previous report
# intact: after each kill every report file under its final name is a
# complete report, the previous one or a new one, never a partial file.
# The kills are spread over the whole run, and finer over its last part,
# where the report is written. Temporaries left by a kill are removed by
# the next run, and only those of processes that are gone.
. "$(dirname "$0")/lib.sh"

OUT=$TMP/out
R=$OUT/demo
FILES="report.json results.csv report.md report.html"
run_demo() {
    "$W" run configs/demo.cfg -q -o "$OUT" --plugin-dir "$WE_BUILD/plugins"
}

# complete: every report file exists and is a whole document. The demo
# is deterministic, so results.csv has as many rows as report.json has
# results even when the files come from different runs.
complete() {
    for f in $FILES; do
        [ -s "$R/$f" ] || fail "$1: $f is missing or empty"
    done
    tail -c 8 "$R/report.html" | grep -q '</html>' ||
        fail "$1: report.html does not end with </html>"
    tail -n 1 "$R/report.md" | grep -q '^- Finished: ' ||
        fail "$1: report.md does not end with its provenance"
    pycheck "$1: report.json and results.csv are whole" '
import csv, json, sys
r = json.load(open(sys.argv[1]))
n = sum(len(e["results"]) for e in r["experiments"] + ([r["programme"]] if r.get("programme") else []))
rows = list(csv.reader(open(sys.argv[2], newline="")))
if rows[0][0] != "experiment" or len(rows) - 1 != n or \
        any(len(x) != len(rows[0]) for x in rows):
    sys.exit("results.csv: %d rows (%d results in report.json), or a row "
             "is short" % (len(rows) - 1, n))
' "$R/report.json" "$R/results.csv"
}

start=$(date +%s%N)
run_demo || fail "the first, complete run failed"
dur=$((($(date +%s%N) - start) / 1000000))
complete "first run"
ok "first run complete in $dur ms"
for f in $FILES; do cp "$R/$f" "$TMP/prev.$f"; done

# Half the delays evenly over the run, half finely over its last 20% and a
# bit beyond (the report is written at the end): 16 in all, 6 under the
# sanitizers.
N=$(rounds 16 6)
H=$((N / 2))
i=0
old=0
new=0
torn=0
while [ $i -lt $N ]; do
    if [ $i -lt $H ]; then
        ms=$((dur * i / H))
    else
        ms=$((dur * 80 / 100 + dur * 30 / 100 * (i - H) / H))
    fi
    # Not through run_demo: $! must be the wijkeval process, not a subshell.
    "$W" run configs/demo.cfg -q -o "$OUT" --plugin-dir "$WE_BUILD/plugins" \
        >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    complete "killed after $ms ms"
    same=1
    for f in $FILES; do
        cmp -s "$R/$f" "$TMP/prev.$f" || same=0
    done
    if [ $same -eq 1 ]; then old=$((old + 1)); else new=$((new + 1)); fi
    ls -A "$R" | grep -q '\.tmp\.' && torn=$((torn + 1))
    i=$((i + 1))
done
ok "$N kills between 0 and $((dur * 110 / 100)) ms: every file complete" \
    "($old times the previous report or an identical one, $new times a" \
    "newer one; temporaries present after $torn kills)"
[ $old -gt 0 ] || fail "no kill landed before the report was written"

# Timing alone rarely hits the few milliseconds of writing: these runs are
# killed as soon as a temporary report file appears, then the same checks.
hit=0
tries=0
for extra in $(rounds "0 0.005 0.01 0.02 0.04 0.08" "0 0.01 0.04"); do
    tries=$((tries + 1))
    "$W" run configs/demo.cfg -q -o "$OUT" --plugin-dir "$WE_BUILD/plugins" \
        >/dev/null 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if ls -A "$R" | grep -q '^\.report\.json\.tmp\.'; then
            sleep "$extra"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
    done
    # 128 + 9: the kill, not the end of the run, stopped it.
    if wait "$pid" 2>/dev/null; then st=0; else st=$?; fi
    [ "$st" -eq 137 ] && hit=$((hit + 1))
    complete "killed $extra s into writing"
done
[ $hit -gt 0 ] || fail "no run was killed while writing its report"
ok "$hit of $tries runs killed while writing the report: every file complete"

# Stale temporaries: one of a process that is gone is removed; one of a
# live process (pid 1), a name that is not a temporary of a report file
# and a temporary of another name are kept.
sh -c 'exit 0' &
dead=$!
wait "$dead"
: >"$R/.report.json.tmp.$dead"
: >"$R/.results.csv.tmp.1"
: >"$R/.report.json.tmp.x1"
: >"$R/.notes.txt.tmp.$dead"
run_demo || fail "the run after the kills failed"
complete "run after the kills"
expect_absent "$R/.report.json.tmp.$dead"
for f in .results.csv.tmp.1 .report.json.tmp.x1 ".notes.txt.tmp.$dead"; do
    [ -e "$R/$f" ] || fail "$f was removed, but is not a stale temporary"
done
ok "temporaries of a live process and other names are kept"
rm -f "$R/.results.csv.tmp.1" "$R/.report.json.tmp.x1" "$R/.notes.txt.tmp.$dead"
left=$(ls -A "$R" | grep -c '\.tmp\.' || true)
[ "$left" -eq 0 ] || fail "$left temporaries of killed runs are left: $(ls -A "$R")"
ok "no temporary of a killed run is left after a complete run"
