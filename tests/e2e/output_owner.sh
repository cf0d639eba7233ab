#!/bin/sh
# Output files and their directory: every report file has mode 0644 even
# under a strict umask; a directory holding the report of another config
# is refused (exit 2, nothing replaced) unless --force is given; the same
# config, edited or spelt through another path, may replace its own report;
# configs of the same name in two directories are told apart; a file that
# wijkeval did not write is never replaced, not even with --force; a
# directory of the user's is not written into; system directories are
# refused.
. "$(dirname "$0")/lib.sh"

mkdir "$TMP/cfg"
A=$TMP/cfg/a.cfg
B=$TMP/cfg/b.cfg
# Two configs with the same run name, so both report to OUT/same/.
write_cfg() {
    cat >"$1" <<EOF2
name = "same";
data = {
  areas = "$DEMO/areas.csv";
  indicators = "$DEMO/indicators.csv";
  catalog = "$DEMO/catalog.csv";
};
baseline = 2007;
followup = [2008, 2012];
treatment = { file = "$DEMO/treatment.csv"; };
experiments = ( { plugin = "$2"; } );
EOF2
}
write_cfg "$A" samenhang
write_cfg "$B" slagkracht
OUT=$TMP/out
R=$OUT/same
P="--plugin-dir $WE_BUILD/plugins"

# A strict umask must not leave the report unreadable to others.
(umask 077 && "$W" run "$A" -q -o "$OUT" $P) || fail "run of a.cfg failed"
for f in report.json results.csv report.md report.html; do
    m=$(stat -c %a "$R/$f")
    [ "$m" = 644 ] || fail "$f has mode $m under umask 077, expected 644"
done
ok "every report file has mode 0644 under umask 077"
cp "$R/report.json" "$TMP/a.json"

# Another config into the same directory: refused before anything runs.
expect_exit 2 "$W" run "$B" -q -o "$OUT" $P
expect_stderr "$R: holds a report of another config: $A" "--force"
expect_same "$R/report.json" "$TMP/a.json"
ls -a "$R" | grep -q '\.tmp\.' && fail "a refused run left temporary files"
ok "the refused run left no temporary file"

# A report.json that is not a wijkeval report is not ours to replace.
mkdir -p "$OUT/alien/same"
printf '{"hello": 1}\n' >"$OUT/alien/same/report.json"
expect_exit 2 "$W" run "$A" -q -o "$OUT/alien" $P
expect_stderr "$OUT/alien/same: holds a report.json that is not a wijkeval report"

# --force replaces it with a complete report of b.cfg.
expect_exit 0 "$W" run "$B" -q -o "$OUT" $P --force
pycheck "--force wrote the report of b.cfg" '
import json, sys
r = json.load(open(sys.argv[1]))
if r["run"]["config"] != sys.argv[2] or \
        [e["id"] for e in r["experiments"]] != ["slagkracht"]:
    sys.exit("report.json is not the report of b.cfg: %r" % r["run"])
print("ok   --force: report.json is now the report of b.cfg")
' "$R/report.json" "$B"

# The same config, edited, replaces its own report without --force; so
# does the same file reached through another spelling of its path.
printf '# edited\n' >>"$B"
expect_exit 0 "$W" run "$B" -q -o "$OUT" $P
expect_exit 0 "$W" run "$TMP/cfg/../cfg/b.cfg" -q -o "$OUT" $P

# The option is documented.
expect_exit 0 "$W" run --help
expect_contains "$STDOUT" "--force"

# Two configs both called run.cfg, in two directories, each run from its
# own directory as "run.cfg": the second is refused, naming the first.
mkdir "$TMP/x" "$TMP/y"
write_cfg "$TMP/x/run.cfg" samenhang
write_cfg "$TMP/y/run.cfg" slagkracht
in_dir() { d=$1; shift; (cd "$d" && exec "$@"); }
expect_exit 0 in_dir "$TMP/x" "$W" run run.cfg -q -o "$TMP/o3" $P
cp "$TMP/o3/same/report.json" "$TMP/x.json"
expect_exit 2 in_dir "$TMP/y" "$W" run run.cfg -q -o "$TMP/o3" $P
expect_stderr "$TMP/o3/same: holds a report of another config: $(cd "$TMP/x" && pwd -P)/run.cfg" "--force"
expect_same "$TMP/o3/same/report.json" "$TMP/x.json"
expect_exit 0 in_dir "$TMP/x" "$W" run run.cfg -q -o "$TMP/o3" $P

# The user's own results.csv and report.md beside a report that had only
# report.json: refused before the run, even with --force; nothing changed.
expect_exit 0 "$W" run "$A" -q -o "$TMP/o4" $P --format json
R4=$TMP/o4/same
printf 'mine,1\n' >"$R4/results.csv"
printf '# my notes\n' >"$R4/report.md"
cp "$R4/results.csv" "$R4/report.md" "$R4/report.json" "$R4/.wijkeval-owner" "$TMP/"
for force in "" --force; do
    expect_exit 2 "$W" run "$A" -q -o "$TMP/o4" $P $force
    expect_stderr "$R4/results.csv: exists and wijkeval did not write it, so it is not replaced; move it away"
    for f in results.csv report.md report.json .wijkeval-owner; do
        expect_same "$R4/$f" "$TMP/$f"
    done
    [ ! -e "$R4/report.html" ] || fail "a refused run wrote report.html"
    ls -a "$R4" | grep -q '\.tmp\.' && fail "a refused run left temporary files"
done
ok "the user's results.csv and report.md are kept, nothing else written"

# Found only after the run: the user's targets.csv (a file of an optional
# analysis) refuses the whole report; no file of it goes into place.
sed -e "s|\.\./data/demo|$DEMO|g" -e 's|reps = 9999|reps = 99|' \
    configs/demo.cfg >"$TMP/demo.cfg"
expect_exit 0 "$W" run "$TMP/demo.cfg" -q -o "$TMP/o5" $P --format json
printf 'my,targets\n' >"$TMP/o5/demo/targets.csv"
cp "$TMP/o5/demo/report.json" "$TMP/o5.json"
expect_exit 2 "$W" run "$TMP/demo.cfg" -q -o "$TMP/o5" $P --format json,csv
expect_stderr "$TMP/o5/demo/targets.csv: exists and wijkeval did not write it"
expect_same "$TMP/o5/demo/report.json" "$TMP/o5.json"
[ "$(cat "$TMP/o5/demo/targets.csv")" = my,targets ] || fail "targets.csv changed"
expect_absent "$TMP/o5/demo/results.csv"
ls -a "$TMP/o5/demo" | grep -q '\.tmp\.' && fail "a refused report left temporary files"
ok "the user's targets.csv refuses the report after the run; nothing replaced"

# A directory of the user's, without wijkeval's marker: not written into.
mkdir -p "$TMP/o6/same"
printf 'notes\n' >"$TMP/o6/same/notes.txt"
expect_exit 2 "$W" run "$A" -q -o "$TMP/o6" $P --force
expect_stderr "$TMP/o6/same: holds files that wijkeval did not write (notes.txt, ...)"
[ "$(ls -A "$TMP/o6/same")" = notes.txt ] || fail "wrote into the user's directory"
ok "the user's directory is left as it was"

# A report directory from before the marker is adopted by its own config.
expect_exit 0 "$W" run "$A" -q -o "$TMP/o7" $P
rm "$TMP/o7/same/.wijkeval-owner"
expect_exit 2 "$W" run "$B" -q -o "$TMP/o7" $P
expect_stderr "holds a report of another config: $A"
expect_exit 0 "$W" run "$A" -q -o "$TMP/o7" $P

# System directories, whatever the path that leads there, are refused
# before anything is created.
ln -s /etc "$TMP/etc-link"
for o in /etc /usr/../etc "$TMP/etc-link" /; do
    expect_exit 2 "$W" run "$A" -q -o "$o" $P
    expect_stderr "a directory of the system; write reports to a directory of your own"
done
expect_absent /etc/same
expect_absent /same
