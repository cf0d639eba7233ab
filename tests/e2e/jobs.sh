# --jobs changes how many experiments and inference tasks run at once,
# never a number: every random procedure draws from a seed derived from
# its task (experiment, indicator, procedure), not from a shared stream.
# The demo with 1, 2 and 3 jobs gives byte-identical results.csv and the
# same report.json apart from the run's start and end times.
. "$(dirname "$0")/lib.sh"

for j in 1 2 3; do
    expect_exit 0 "$W" run configs/demo.cfg -q --jobs "$j" -o "$TMP/j$j"
done
for j in 2 3; do
    cmp -s "$TMP/j1/demo/results.csv" "$TMP/j$j/demo/results.csv" ||
        fail "results.csv differs between --jobs 1 and --jobs $j"
    ok "results.csv identical with --jobs 1 and --jobs $j"
    same_report "$TMP/j1/demo/report.json" "$TMP/j$j/demo/report.json" \
        "report.json differs between --jobs 1 and --jobs $j"
    ok "report.json identical with --jobs 1 and --jobs $j"
done

expect_exit 2 "$W" run configs/demo.cfg --jobs 0 -o "$TMP/bad"
grep -q -- "--jobs '0': give a number from 1 to 256" "$STDERR" ||
    fail "--jobs 0 is not refused with a clear message"
ok "--jobs 0 refused"

# --timings: one line per stage, numbers in every field.
expect_exit 0 "$W" run configs/demo.cfg -q --jobs 2 -o "$TMP/t" \
    --timings "$TMP/timings.tsv"
pycheck "--timings does not list the stages" '
import sys
lines = open(sys.argv[1]).read().splitlines()
if lines[0].split("\t") != ["stage", "wall_s", "cpu_s", "peak_rss_kb",
                            "child_peak_rss_kb"]:
    sys.exit("header: %r" % lines[0])
stages = [l.split("\t")[0] for l in lines[1:]]
if stages != ["load", "design", "plugins", "inference", "report"]:
    sys.exit("stages: %r" % stages)
for l in lines[1:]:
    f = l.split("\t")
    if not (float(f[1]) >= 0 and float(f[2]) >= 0 and int(f[3]) > 0):
        sys.exit("bad line %r" % l)
' "$TMP/timings.tsv"
ok "--timings lists the five stages"
