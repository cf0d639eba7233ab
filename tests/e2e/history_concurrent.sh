#!/bin/sh
# The run history under stress (docs/history.md): two runs writing to one
# history at the same time, 20 times (3 under the sanitizers), each time both land and PRAGMA
# integrity_check passes; a SIGKILL in the middle of the write (the
# transaction held open by WE_HISTORY_TEST_PAUSE_MS) leaves the history as
# it was, and kills at other moments leave it as it was or with the whole
# run. One experiment of the demo with few replications: the history is
# what is tested.
. "$(dirname "$0")/lib.sh"

sed -e "s|\"\.\./data/|\"$ROOT/data/|g" -e 's/reps = 9999/reps = 99/' \
    -e 's/reps = 999;/reps = 0;/' -e 's/bootstrap_reps = 999/bootstrap_reps = 99/' \
    -e '/costs = /d' -e '/targets = /d' -e '/adjacency = /d' \
    -e '/assignment = /d' configs/demo.cfg |
    awk '/^experiments = \(/ { print "experiments = ( { plugin = \"samenhang\"; } );"; exit }
         { print }' >"$TMP/par.cfg"
# Rows of experiments per run: samenhang and the programme row.
N_EXP=2

# ---- two writers at once, ROUNDS times --------------------------------------
PH=$TMP/par.sqlite
ROUNDS=$(rounds 20 3)
i=0
while [ $i -lt "$ROUNDS" ]; do
    "$W" run "$TMP/par.cfg" -q -o "$TMP/p/a" --history "$PH" 2>"$TMP/pa.err" &
    a=$!
    "$W" run "$TMP/par.cfg" -q -o "$TMP/p/b" --history "$PH" 2>"$TMP/pb.err" &
    b=$!
    wait $a || fail "writer A, round $i: $(cat "$TMP/pa.err")"
    wait $b || fail "writer B, round $i: $(cat "$TMP/pb.err")"
    pycheck "round $i" '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ic = db.execute("pragma integrity_check").fetchall()
if ic != [("ok",)]:
    sys.exit("integrity_check: %r" % ic)
n = db.execute("select count(*) from runs").fetchone()[0]
if n != 2 * (int(sys.argv[2]) + 1):
    sys.exit("%d runs after round %s" % (n, sys.argv[2]))
bad = db.execute("select count(*) from runs r where (select count(*) from "
                 "experiments e where e.run_id = r.id) != ?",
                 (int(sys.argv[3]),)).fetchone()[0]
if bad:
    sys.exit("%d runs without their experiments" % bad)
' "$PH" $i $N_EXP
    i=$((i + 1))
done
ok "two writers at once, $ROUNDS rounds: $((2 * ROUNDS)) whole runs, integrity_check ok"

# ---- SIGKILL in the middle of the write ----------------------------------
KH=$TMP/kill.sqlite
expect_exit 0 "$W" run "$TMP/par.cfg" -q -o "$TMP/k" --history "$KH"
counts() {
    python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(" ".join(str(db.execute("select count(*) from %s" % t).fetchone()[0])
               for t in ("runs", "experiments", "results", "cell_hashes")))
' "$KH"
}
before=$(counts)
WE_HISTORY_TEST_PAUSE_MS=20000 "$W" run "$TMP/par.cfg" -q -o "$TMP/k" \
    --history "$KH" 2>"$TMP/k.err" &
pid=$!
n=0
until grep -q 'pausing' "$TMP/k.err" 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 600 ] || fail "the run never reached the write"
    kill -0 $pid 2>/dev/null || fail "the run ended early: $(cat "$TMP/k.err")"
    sleep 0.1
done
kill -KILL $pid
wait $pid 2>/dev/null || true
pycheck "the history after the kill" '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ic = db.execute("pragma integrity_check").fetchall()
if ic != [("ok",)]:
    sys.exit("integrity_check: %r" % ic)
' "$KH"
[ "$(counts)" = "$before" ] || fail "a killed write left rows: $before -> $(counts)"
ok "SIGKILL during the write: the history as it was ($before)"
# Kills at other moments: as it was, or with the whole run.
for ms in 100 400 700 1000; do
    "$W" run "$TMP/par.cfg" -q -o "$TMP/k" --history "$KH" 2>/dev/null &
    pid=$!
    sleep "$(printf '0.%03d' "$ms" | sed 's/^0\.1000$/1.0/')"
    kill -KILL $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    pycheck "kill after $ms ms" '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
if db.execute("pragma integrity_check").fetchall() != [("ok",)]:
    sys.exit("integrity_check failed")
for (rid,) in db.execute("select id from runs"):
    e = db.execute("select count(*) from experiments where run_id=?", (rid,)).fetchone()[0]
    c = db.execute("select count(*) from cell_hashes where run_id=?", (rid,)).fetchone()[0]
    if e != int(sys.argv[2]) or c == 0:
        sys.exit("run %d is partial: %d experiments, %d fingerprints" % (rid, e, c))
' "$KH" $N_EXP
done
ok "kills at other moments: every run in the history whole"
expect_exit 0 "$W" run "$TMP/par.cfg" -q -o "$TMP/k" --history "$KH"
ok "a run after the kills records as usual"

