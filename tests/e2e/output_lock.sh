#!/bin/sh
# Two runs of different configs into one report directory at the same
# time: the one that finds the directory locked fails at once (exit 2),
# naming the run that holds it (pid and config) and what to do; the other
# writes its complete report. Twenty rounds of real concurrency (three
# under the sanitizers), then one
# where the second run starts while the first is known to hold the lock.
. "$(dirname "$0")/lib.sh"

# The demo config (a shorter bootstrap), named "shared" so that both
# report to OUT/shared/.
mk_cfg() {
    mkdir -p "$(dirname "$1")"
    sed -e "s|\.\./data/demo|$DEMO|g" -e 's|^name = .*|name = "shared";|' \
        -e 's|reps = 9999|reps = 999|' configs/demo.cfg >"$1"
}
A=$TMP/a/run.cfg
B=$TMP/b/run.cfg
mk_cfg "$A"
mk_cfg "$B"
printf '# the other config\n' >>"$B"
CA=$(cd "$TMP/a" && pwd -P)/run.cfg
CB=$(cd "$TMP/b" && pwd -P)/run.cfg
P="--plugin-dir $WE_BUILD/plugins"
OUT=$TMP/out
R=$OUT/shared

"$W" run "$A" -q -o "$TMP/ref_a" $P || fail "reference run of a failed"
"$W" run "$B" -q -o "$TMP/ref_b" $P || fail "reference run of b failed"

# timed NAME CONFIG: runs CONFIG into OUT, leaving "status start end"
# (nanoseconds) in $TMP/NAME.res and its stderr in $TMP/NAME.err.
timed() {
    s=$(date +%s%N)
    if "$W" run "$2" -q -o "$OUT" $P 2>"$TMP/$1.err"; then rc=0; else rc=$?; fi
    printf '%s %s %s\n' "$rc" "$s" "$(date +%s%N)" >"$TMP/$1.res"
}

ROUNDS=$(rounds 20 3)
round=0
while [ $round -lt "$ROUNDS" ]; do
    round=$((round + 1))
    rm -rf "$OUT"
    timed a "$A" &
    pa=$!
    timed b "$B" &
    pb=$!
    wait $pa $pb
    read -r ra sa ea <"$TMP/a.res"
    read -r rb sb eb <"$TMP/b.res"
    case "$ra $rb" in
    "0 2") win=a lose=b cwin=$CA ;;
    "2 0") win=b lose=a cwin=$CB ;;
    *) cat "$TMP/a.err" "$TMP/b.err" >&2
       fail "round $round: exits $ra and $rb, expected one 0 and one 2" ;;
    esac
    want="^wijkeval: $R: another wijkeval run \(pid [0-9]+, config $cwin\)"
    want="$want is writing its report here; wait for it to end, or give"
    want="$want this run another output directory \(-o DIR\)\$"
    grep -E -q "$want" "$TMP/$lose.err" || { cat "$TMP/$lose.err" >&2
        fail "round $round: the refused run does not name the holder"; }
    # At once: it ended before the run that holds the directory.
    if [ $lose = a ]; then [ "$ea" -lt "$eb" ]; else [ "$eb" -lt "$ea" ]; fi ||
        fail "round $round: the refused run did not end before the other"
    same_report "$R/report.json" "$TMP/ref_$win/shared/report.json" \
        "round $round: report.json is not the complete report of $win"
    for f in results.csv targets.csv policy_return.csv watch_list.csv \
        displacement.csv; do
        cmp -s "$R/$f" "$TMP/ref_$win/shared/$f" ||
            fail "round $round: $f is not that of $win"
    done
    [ -s "$R/report.md" ] && [ -s "$R/report.html" ] ||
        fail "round $round: report.md or report.html is missing"
    ls -a "$R" | grep -q '\.tmp\.' && fail "round $round: temporaries left"
done
ok "$ROUNDS rounds: one run refused at once naming the holder, the other's report complete"

# The holder is known to hold the lock: its pid is in the lock file.
rm -rf "$OUT"
"$W" run "$A" -q -o "$OUT" $P &
pa=$!
n=0
until grep -q "^$pa\$" "$R/.wijkeval.lock" 2>/dev/null; do
    n=$((n + 1))
    [ $n -lt 200 ] || fail "the first run never took the lock"
    sleep 0.02
done
expect_exit 2 "$W" run "$B" -q -o "$OUT" $P
expect_stderr "$R: another wijkeval run (pid $pa, config $CA)" "-o DIR"
[ -d "/proc/$pa" ] && ! grep -q '^State:.*Z' "/proc/$pa/status" ||
    fail "the refused run waited for the holder to end"
ok "refused while the holder still runs"
wait $pa || fail "the holder failed"
same_report "$R/report.json" "$TMP/ref_a/shared/report.json" \
    "the holder's report is not complete"
ok "the holder's report is complete"

# The lock goes with the process: a new run of the owner after it works.
expect_exit 0 "$W" run "$A" -q -o "$OUT" $P

# Shards of one config share the directory (docs/performance.md runs them
# side by side): all three run at once, every part gets into the manifest,
# and the merge into the same directory gives the complete report.
for i in 1 2 3; do
    "$W" run "$A" -q -o "$TMP/sh" $P --shard "$i/3" 2>"$TMP/sh$i.err" &
    eval "ps$i=\$!"
done
for i in 1 2 3; do
    eval "wait \$ps$i" || { cat "$TMP/sh$i.err" >&2; fail "shard $i/3 failed"; }
done
ok "three shards ran side by side into one directory"
expect_exit 0 "$W" merge "$A" "$TMP/sh/shared/part-1-of-3.wes" \
    "$TMP/sh/shared/part-2-of-3.wes" "$TMP/sh/shared/part-3-of-3.wes" -q \
    -o "$TMP/sh" $P
same_report "$TMP/sh/shared/report.json" "$TMP/ref_a/shared/report.json" \
    "the merged report is not complete"
pycheck "every part is in the manifest" '
import json, sys
files = json.load(open(sys.argv[1]))["files"]
for i in (1, 2, 3):
    if "part-%d-of-3.wes" % i not in files:
        sys.exit("part %d is not in the manifest %r" % (i, files))
print("ok   the manifest lists every part and the report")
' "$TMP/sh/shared/.wijkeval-owner"
