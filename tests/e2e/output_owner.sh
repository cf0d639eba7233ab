#!/bin/sh
# Output files and their directory: every report file has mode 0644 even
# under a strict umask; a directory holding the report of another config
# is refused (exit 2, nothing replaced) unless --force is given; the same
# config, edited or spelt through another path, may replace its own report.
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
