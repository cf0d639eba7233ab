# Scale-out: `run --shard I/N` writes part files, `merge` makes the common
# report from all N of them, and that report is the one a single run
# writes (apart from its start and end times). A part set that does not
# fit (a part missing or given twice, another seed, a damaged file) is
# refused with exit 2 and nothing is written.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$W" run configs/demo.cfg -q -o "$TMP/whole"
for i in 1 2 3; do
    expect_exit 0 "$W" run configs/demo.cfg -q --shard "$i/3" -o "$TMP/parts"
done
[ ! -e "$TMP/parts/demo/report.json" ] || fail "a shard wrote a report"
ok "the shards wrote parts only"
P=$TMP/parts/demo
expect_exit 0 "$W" merge configs/demo.cfg "$P/part-3-of-3.wes" \
    "$P/part-1-of-3.wes" "$P/part-2-of-3.wes" -q --jobs 2 -o "$TMP/merged"
cmp -s "$TMP/whole/demo/results.csv" "$TMP/merged/demo/results.csv" ||
    fail "the merged results.csv differs from a single run's"
ok "merged results.csv = a single run's"
same_report "$TMP/whole/demo/report.json" "$TMP/merged/demo/report.json" \
    "the merged report.json differs from a single run's"
ok "merged report.json = a single run's"

refused() { # message, args...
    msg=$1
    shift
    expect_exit 2 "$W" merge configs/demo.cfg "$@" -q -o "$TMP/bad"
    grep -q -- "$msg" "$STDERR" || { dump_output; fail "no '$msg'"; }
    [ ! -e "$TMP/bad" ] || fail "a refused merge wrote $TMP/bad"
    ok "refused: $msg"
}
refused "part 3 of 3 is missing" "$P/part-1-of-3.wes" "$P/part-2-of-3.wes"
refused "part 1 is given twice" "$P/part-1-of-3.wes" "$P/part-1-of-3.wes" \
    "$P/part-2-of-3.wes" "$P/part-3-of-3.wes"
refused "give the same --seed" "$P"/part-*.wes --seed 5
head -c 100 "$P/part-1-of-3.wes" >"$TMP/cut.wes"
refused "is cut off" "$TMP/cut.wes" "$P/part-2-of-3.wes" "$P/part-3-of-3.wes"
printf 'not a part\n' >"$TMP/junk.wes"
refused "not a wijkeval part file" "$TMP/junk.wes"
refused "no PART given"

for bad in 0/3 4/3 1/0 x 1/3x; do
    expect_exit 2 "$W" run configs/demo.cfg --shard "$bad" -o "$TMP/bad"
    grep -q -- "--shard '$bad': write I/N" "$STDERR" ||
        fail "--shard $bad not refused clearly"
done
ok "bad --shard values refused"
