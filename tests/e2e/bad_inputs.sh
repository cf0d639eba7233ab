#!/bin/sh
# Inputs that are not what they claim: numbers that read two ways, paths
# that are not files, lines and names without bound, bytes that are not
# UTF-8, a negative period, and config text that libconfig would get
# wrong. Each must stop the run with exit 2, a message naming the file
# (and line and column where there is one), and nothing written; none may
# hang (every run is under `timeout`).
. "$(dirname "$0")/lib.sh"

D=$TMP/data
OUT=$TMP/out
mkdir "$D"
T="timeout 60"

# write_cfg [EXTRA]: the demo run's config over $D, with EXTRA appended.
write_cfg() {
    cat >"$TMP/run.cfg" <<EOF
name = "inputs";
data = {
  areas = "$D/areas.csv";
  indicators = "$D/indicators.csv";
  catalog = "$D/catalog.csv";
};
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$D/treatment.csv"; };
experiments = ( { plugin = "samenhang"; } );
${1:-}
EOF
}

restore() {
    rm -rf "$D"
    mkdir "$D"
    cp "$DEMO"/areas.csv "$DEMO"/catalog.csv "$DEMO"/indicators.csv \
        "$DEMO"/treatment.csv "$D/"
    write_cfg
}

# refused TEXT...: the run exits 2 within the timeout, stderr has every
# TEXT, nothing written; then the pristine data are restored.
refused() {
    expect_exit 2 $T "$W" run "$TMP/run.cfg" -o "$OUT" \
        --plugin-dir "$WE_BUILD/plugins"
    expect_stderr "$@"
    expect_absent "$OUT"
    restore
}

# The demo's indicators with ';' and decimal commas; $1 (a python
# expression over the value v and the line number n) may change a value.
semicolon() {
    python3 - "$DEMO/indicators.csv" "$D/indicators.csv" "$1" <<'PY'
import re, sys
src, dst, change = sys.argv[1:4]
out = []
for n, line in enumerate(open(src).read().splitlines(), 1):
    f = line.split(",")
    if n > 1:
        v = f[3]
        f[3] = eval(change)
        if f[3] == v and re.fullmatch(r"-?[0-9]+\.[0-9]+", v):
            f[3] = v.replace(".", ",")
    out.append(";".join(f))
open(dst, "w").write("\n".join(out) + "\n")
PY
}

restore

# 1. A comma-decimal ';' file with proper values loads.
semicolon "v"
expect_exit 0 $T "$W" run "$TMP/run.cfg" -q -o "$TMP/ok" \
    --plugin-dir "$WE_BUILD/plugins"
rm -rf "$TMP/ok"

# 2. 180.204 in that file: a Dutch thousands separator or a decimal point.
semicolon "'180.204' if n == 50 else v"
L50=$(sed -n 50p "$D/indicators.csv")
COL=$((${#L50} - 7 + 1))
refused "$D/indicators.csv:50:$COL: '180.204' could be 180204 (a thousands separator) or 180.204 (a decimal point)" \
    "write decimals with a comma (180,204)"

# 3. 271.429 in a ';' costs file (data.costs), the same rule.
printf 'experiment;area;period;amount_eur\n' >"$D/costs.csv"
AREA=$(sed -n 2p "$DEMO/treatment.csv" | cut -d, -f1)
printf 'samenhang;%s;2008;271.429\n' "$AREA" >>"$D/costs.csv"
write_cfg
sed -i "s|^  catalog = .*|&\\n  costs = \"$D/costs.csv\";|" "$TMP/run.cfg"
grep -q 'costs = ' "$TMP/run.cfg" || fail "data.costs not added to the config"
COL=$((${#AREA} + 17))
refused "$D/costs.csv:2:$COL: '271.429' could be 271429 (a thousands separator) or 271.429 (a decimal point)"

# 4. Paths that are not files: refused by name, at once.
for bad in /dev/zero "$D"; do
    write_cfg
    sed -i "s|indicators = \"$D/indicators.csv\"|indicators = \"$bad\"|" \
        "$TMP/run.cfg"
    case $bad in /dev/zero) kind="is a character device" ;;
    *) kind="is a directory" ;; esac
    refused "$bad: $kind, not a regular file"
done
mkfifo "$TMP/fifo.csv"
write_cfg
sed -i "s|$D/areas.csv|$TMP/fifo.csv|" "$TMP/run.cfg"
refused "$TMP/fifo.csv: is a FIFO (named pipe), not a regular file"

# 5. A 2 MB line; a 10 MB area name (a line longer than 1 MiB too); a
# 300-character name.
python3 -c '
import sys
open(sys.argv[1], "a").write("WK036399,2008,x," + "1" * (2 << 20) + "\n")
' "$D/indicators.csv"
N=$(wc -l <"$D/indicators.csv")
refused "$D/indicators.csv:$N: the line is longer than 1048576 bytes"
python3 -c '
import sys
open(sys.argv[1], "a").write("WK036399," + "n" * (10 << 20) + ",GM0363,wijk,100\n")
' "$D/areas.csv"
N=$(wc -l <"$D/areas.csv")
refused "$D/areas.csv:$N: the line is longer than 1048576 bytes"
python3 -c '
import sys
open(sys.argv[1], "a").write("WK036399," + "n" * 300 + ",GM0363,wijk,100\n")
' "$D/areas.csv"
N=$(wc -l <"$D/areas.csv")
refused "$D/areas.csv:$N:10: name 'nnnn" "has 300 characters, more than 200"

# 6. Invalid UTF-8 (a Latin-1 byte), with its position.
printf 'WK036399,Caf\351,GM0363,wijk,100\n' >>"$D/areas.csv"
N=$(wc -l <"$D/areas.csv")
refused "$D/areas.csv:$N:13: invalid UTF-8 (byte 0xe9"

# 7. A period of -2007 (it would add an 11th period).
L=$(sed -n 50p "$DEMO/indicators.csv")
echo "$L" | awk -F, -v OFS=, '{ $2 = "-2007"; print }' >>"$D/indicators.csv"
N=$(wc -l <"$D/indicators.csv")
refused "$D/indicators.csv:$N:" "period '-2007' is not positive"

# 8. Config: reps = 2^32 + 99 without L (libconfig would read 99).
write_cfg 'inference = { bootstrap = { reps = 4294967395; }; };'
refused "$TMP/run.cfg:11: the integer 4294967395 needs more than 32 bits" \
    "write 4294967395L"

# 9. @include of a FIFO: refused before any file is opened (opening the
# FIFO would block).
mkfifo "$TMP/part.cfg"
write_cfg '@include "'"$TMP"'/part.cfg"'
refused "$TMP/run.cfg:11: @include" "is not supported (the file is not opened)"

# 10. A directory as the config.
expect_exit 2 $T "$W" run "$D" -o "$OUT" --plugin-dir "$WE_BUILD/plugins"
expect_stderr "$D: is a directory, not a regular file" "the config file itself"
expect_absent "$OUT"
