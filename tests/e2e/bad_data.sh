#!/bin/sh
# Broken data: a copy of the demo panel with one thing wrong per case. Each
# must stop the run with exit 2, a message with the file, line and (where
# it points into a line) column, and nothing written. Then a correct file in
# another dialect (';', decimal commas, BOM, CRLF) must give the same
# numbers as the original.
. "$(dirname "$0")/lib.sh"

D=$TMP/data
OUT=$TMP/out
mkdir "$D"
CFG=$TMP/run.cfg
cat >"$CFG" <<EOF
name = "data";
data = {
  areas = "$D/areas.csv";
  indicators = "$D/indicators.csv";
  catalog = "$D/catalog.csv";
};
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$D/treatment.csv"; };
experiments = ( { plugin = "bewonersparticipatie"; }, { plugin = "samenhang"; },
  { plugin = "slagkracht"; }, { plugin = "achter_de_voordeur"; },
  { plugin = "bureaucratie"; }, { plugin = "gezonde_wijk"; },
  { plugin = "vernieuwend_welzijn"; } );
EOF

restore() {
    cp "$DEMO"/areas.csv "$DEMO"/catalog.csv "$DEMO"/indicators.csv \
        "$DEMO"/treatment.csv "$D/"
}

# refused TEXT...: the run exits 2, stderr has every TEXT, nothing written;
# then the pristine data are restored.
refused() {
    expect_exit 2 "$W" run "$CFG" -o "$OUT" --plugin-dir "$WE_BUILD/plugins"
    expect_stderr "$@"
    expect_absent "$OUT"
    restore
}

# replace_line FILE N TEXT: line N of FILE becomes TEXT.
replace_line() {
    awk -v n="$2" -v text="$3" 'NR == n { print text; next } { print }' \
        "$DEMO/$1" >"$D/$1"
}

# The fields of indicators.csv line 50, a plain row without quotes.
LINE50=$(sed -n 50p "$DEMO/indicators.csv")
case $LINE50 in *'"'*) fail "indicators.csv line 50 has quotes" ;; esac
AREA=$(echo "$LINE50" | cut -d, -f1)
PERIOD=$(echo "$LINE50" | cut -d, -f2)
IND=$(echo "$LINE50" | cut -d, -f3)
VALUE=$(echo "$LINE50" | cut -d, -f4)
[ -n "$VALUE" ] || fail "indicators.csv line 50 has an empty value"

restore
expect_exit 0 "$W" run "$CFG" -q -o "$TMP/orig" --plugin-dir "$WE_BUILD/plugins"
rm -rf "$OUT"

# Duplicate: line 100 again at the end; the message gives both lines.
N=$(($(wc -l <"$DEMO/indicators.csv") + 1))
LINE100=$(sed -n 100p "$DEMO/indicators.csv")
echo "$LINE100" >>"$D/indicators.csv"
refused "$D/indicators.csv:$N:" "duplicate row" "(first on line 100)" \
    "'$(echo "$LINE100" | cut -d, -f1)'" "'$(echo "$LINE100" | cut -d, -f3)'"

replace_line indicators.csv 50 "WK999999,$PERIOD,$IND,$VALUE"
refused "$D/indicators.csv:50:1:" "unknown area 'WK999999'" "$D/areas.csv"

replace_line indicators.csv 50 "$AREA,$PERIOD,geen_indicator,$VALUE"
COL=$((${#AREA} + ${#PERIOD} + 3))
refused "$D/indicators.csv:50:$COL:" "unknown indicator 'geen_indicator'" "$D/catalog.csv"

replace_line indicators.csv 50 "$AREA,$PERIOD,$IND,twaalf"
COL=$((${#AREA} + ${#PERIOD} + ${#IND} + 4))
refused "$D/indicators.csv:50:$COL:" "value 'twaalf' is not a number"

replace_line indicators.csv 50 "$LINE50,7"
refused "$D/indicators.csv:50:" "expected 4 fields" "found 5"

replace_line indicators.csv 50 "$AREA,$PERIOD,$IND"
refused "$D/indicators.csv:50:" "expected 4 fields" "found 3"

# A catalogue row with an invalid direction, at the direction's column.
CAT5=$(sed -n 5p "$DEMO/catalog.csv")
BAD=$(echo "$CAT5" | sed -e 's/,higher_is_better,/,hoger_is_beter,/' \
    -e 's/,lower_is_better,/,hoger_is_beter,/')
[ "$BAD" != "$CAT5" ] || fail "catalog.csv line 5 has no direction field"
PREFIX=${BAD%%,hoger_is_beter,*}
replace_line catalog.csv 5 "$BAD"
refused "$D/catalog.csv:5:$((${#PREFIX} + 2)):" "direction 'hoger_is_beter'" \
    "higher_is_better or lower_is_better"

rm "$D/areas.csv"
refused "$D/areas.csv" "cannot open"

# Another dialect of the same indicator data: ';' delimiters, decimal
# commas, a UTF-8 byte order mark and CRLF line ends. Missing markers ('.',
# 'x', empty) stay as they are.
python3 -c '
import re, sys
src, dst = sys.argv[1:3]
out = []
for i, line in enumerate(open(src, encoding="utf-8").read().splitlines()):
    f = line.split(",")
    if i > 0 and re.fullmatch(r"-?[0-9]+\.[0-9]+", f[3]):
        f[3] = f[3].replace(".", ",")
    out.append(";".join(f))
open(dst, "wb").write(("\ufeff" + "\r\n".join(out) + "\r\n").encode("utf-8"))
' "$DEMO/indicators.csv" "$D/indicators.csv"
head -c 3 "$D/indicators.csv" | od -An -tx1 | grep -q 'ef bb bf' ||
    fail "the converted file has no BOM"
grep -q '[0-9],[0-9].*'"$(printf '\r')"'$' "$D/indicators.csv" ||
    fail "the converted file has no decimal commas or CRLF"
ok "indicators.csv converted: ';', decimal commas, BOM, CRLF"
expect_exit 0 "$W" run "$CFG" -q -o "$TMP/dialect" --plugin-dir "$WE_BUILD/plugins"

pycheck "the ';' dialect gives other numbers" '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
if a["run"]["data_sha256"] == b["run"]["data_sha256"]:
    sys.exit("data_sha256 is the same: the converted file was not read")
if a["data"] != b["data"]:
    sys.exit("data summary differs: %r vs %r" % (a["data"], b["data"]))
print("ok   data summary (areas, periods, rows, missing) identical")
n = 0
for ea, eb in zip(a["experiments"], b["experiments"]):
    if eb["status"] != "ok":
        sys.exit("%s: %s" % (eb["id"], eb["error"]))
    if ea["results"] != eb["results"]:
        sys.exit("%s: results differ between the two dialects" % ea["id"])
    n += sum(x["method"] == "twfe" for x in ea["results"])
if n == 0 or len(a["experiments"]) != 7:
    sys.exit("expected seven experiments with TWFE results")
print("ok   all results identical, %d of them TWFE, in 7 experiments" % n)
' "$TMP/orig/data/report.json" "$TMP/dialect/data/report.json"

# Paths in messages are normalised once, where the config resolves them: a
# file named "../data//indicators.csv" in configs/rel.cfg, run from $TMP,
# is data/indicators.csv; run from configs/ (above the working directory)
# it is absolute, with no "x/.." left.
restore
mkdir "$TMP/configs"
sed -e "s|\"$D/areas.csv\"|\"../data/areas.csv\"|" \
    -e "s|\"$D/indicators.csv\"|\"../data//indicators.csv\"|" \
    -e "s|\"$D/|\"./../data/|" "$CFG" >"$TMP/configs/rel.cfg"
grep -q '"\.\./data//indicators\.csv"' "$TMP/configs/rel.cfg" ||
    fail "configs/rel.cfg does not name the data with ../"
replace_line indicators.csv 50 "$AREA,$PERIOD,$IND,twaalf"
COL=$((${#AREA} + ${#PERIOD} + ${#IND} + 4))
cd "$TMP"
expect_exit 2 "$W" run configs/rel.cfg -o out --plugin-dir "$WE_BUILD/plugins"
grep -q "^wijkeval: data/indicators\.csv:50:$COL: value 'twaalf'" "$STDERR" || {
    dump_output
    fail "the message does not name data/indicators.csv:50:$COL"
}
ok "from \$TMP: data/indicators.csv:50:$COL"
cd "$TMP/configs"
ABS=$(cd "$TMP" && pwd -P)/data/indicators.csv
expect_exit 2 "$W" run rel.cfg -o out --plugin-dir "$WE_BUILD/plugins"
grep -q -F "wijkeval: $ABS:50:$COL: value 'twaalf'" "$STDERR" || {
    dump_output
    fail "the message does not name $ABS:50:$COL"
}
ok "from \$TMP/configs: the absolute path, without '..'"
cd "$ROOT"
expect_absent "$TMP/out"
expect_absent "$TMP/configs/out"
