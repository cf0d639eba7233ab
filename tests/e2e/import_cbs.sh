#!/bin/sh
# `wijkeval import cbs` on the real CBS extracts and on their raw StatLine
# form (tests/fixtures/cbs/README.md): every imported value against the
# source file (python3), raw and cleaned forms giving the same rows, real
# municipal mergers, the multi-year panel recipe of docs/import.md on
# synthetic yearly files, and the errors (file:line, nothing written).
. "$(dirname "$0")/lib.sh"

F=$ROOT/tests/fixtures/cbs
CAT=$F/catalog.csv
SES=$F/real/ses_woa_amsterdam_2019.csv
KWB=$F/real/kwb_2019_gemeenten.csv

expect_exit 0 "$W" import --help
expect_contains "$STDOUT" "usage: wijkeval import cbs FILE --mapping MAP -o OUT"
expect_exit 0 "$W" --help
expect_contains "$STDOUT" "import cbs FILE"

# ---- the raw fixtures are what make_raw.py writes --------------------------
mkdir "$TMP/raw"
python3 "$F/make_raw.py" "$TMP/raw" || fail "make_raw.py failed"
expect_same "$TMP/raw/ses_woa_amsterdam_2019_raw.csv" "$F/ses_woa_amsterdam_2019_raw.csv"
expect_same "$TMP/raw/kwb_2019_gemeenten_raw.csv" "$F/kwb_2019_gemeenten_raw.csv"
head -c 3 "$F/ses_woa_amsterdam_2019_raw.csv" | od -An -tx1 | grep -q 'ef bb bf' ||
    fail "the raw SES-WOA file has no BOM"
grep -q '"WK036300  ";' "$F/ses_woa_amsterdam_2019_raw.csv" ||
    fail "the raw SES-WOA file has no padded codes"
grep -q '"12,9"' "$F/ses_woa_amsterdam_2019_raw.csv" ||
    fail "the raw SES-WOA file has no decimal commas"
grep -q '"\."' "$F/ses_woa_amsterdam_2019_raw.csv" ||
    fail "the raw SES-WOA file has no secret values"
ok "raw files: BOM, padded codes, decimal commas, '.' for secret values"

# ---- SES-WOA 2019, Amsterdam: every value against the source ---------------
expect_exit 0 "$W" import cbs "$SES" --mapping "$F/ses_woa_mapping.csv" \
    --catalog "$CAT" --period-column jaar --name-column naam \
    --areas-out "$TMP/ses_areas.csv" -o "$TMP/ses.csv"
expect_contains "$STDOUT" "579 areas x 4 indicators = 2316 values"

# check_values SOURCE CODE_COLUMN OUT MAPPING...: every mapped cell of the
# cleaned source is in OUT with the same value (empty when missing), and
# OUT has nothing else. A mapping is OUT_INDICATOR=COLUMN or
# OUT_INDICATOR=COLUMN/DENOMINATOR (x 100).
check_values() {
    pycheck "values of $(basename "$3") differ from $(basename "$1")" '
import csv, sys
src, code, out = sys.argv[1:4]
maps = [m.split("=") for m in sys.argv[4:]]
want = {}
for r in csv.DictReader(open(src, newline="")):
    for ind, expr in maps:
        num, _, den = expr.partition("/")
        if r[num] == "" or (den and r[den] in ("", "0")):
            v = None
        else:
            v = float(r[num]) * (100 / float(r[den]) if den else 1)
        want[(r[code], ind)] = v
rows = list(csv.DictReader(open(out, newline="")))
got = {(r["area"], r["indicator"]): (None if r["value"] == "" else float(r["value"]))
       for r in rows}
if len(rows) != len(got) or set(got) != set(want):
    sys.exit("cells differ: %d rows, %d expected" % (len(rows), len(want)))
for k, v in want.items():
    g = got[k]
    if (v is None) != (g is None) or (v is not None and abs(g - v) > 1e-12 * max(1, abs(v))):
        sys.exit("%s: %r, expected %r" % (k, g, v))
missing = sum(v is None for v in want.values())
print("ok   %d cells equal to the source (%d missing)" % (len(want), missing))
' "$@"
}
check_values "$SES" regiocode "$TMP/ses.csv" \
    opleiding_laag_pct=opleiding_laag_pct opleiding_hoog_pct=opleiding_hoog_pct \
    ses_woa_score=ses_woa_totaalscore particuliere_huishoudens=particuliere_huishoudens

pycheck "the areas file differs from the source" '
import csv, sys
src = list(csv.DictReader(open(sys.argv[1], newline="")))
got = list(csv.DictReader(open(sys.argv[2], newline="")))
if [r["regiocode"] for r in src] != [a["area"] for a in got]:
    sys.exit("areas or their order differ")
for r, a in zip(src, got):
    if (a["name"], a["level"], a["municipality"]) != (r["naam"], r["niveau"], "GM0363"):
        sys.exit("%s: %r" % (r["regiocode"], a))
print("ok   %d areas: names, levels and municipality as in the source" % len(got))
' "$SES" "$TMP/ses_areas.csv"

# The raw form of a subset gives exactly the same rows for its regions.
# subset_of SMALL BIG N: SMALL has N data rows, each of them in BIG.
subset_of() {
    [ "$(($(wc -l <"$1") - 1))" -eq "$3" ] ||
        fail "$(show "$1") has $(($(wc -l <"$1") - 1)) rows, expected $3"
    if grep -vxF -f "$2" "$1" >"$TMP/.extra"; then
        head -n 5 "$TMP/.extra" >&2
        fail "$(show "$1") has rows that $(show "$2") does not have"
    fi
    ok "all $3 rows of $(basename "$1") are rows of $(basename "$2")"
}
expect_exit 0 "$W" import cbs "$F/ses_woa_amsterdam_2019_raw.csv" \
    --mapping "$F/ses_woa_mapping.csv" --catalog "$CAT" \
    --period-column jaar --name-column naam \
    --areas-out "$TMP/ses_raw_areas.csv" -o "$TMP/ses_raw.csv"
subset_of "$TMP/ses_raw.csv" "$TMP/ses.csv" 204
subset_of "$TMP/ses_raw_areas.csv" "$TMP/ses_areas.csv" 51
grep -q '^BU03630100,2019,opleiding_laag_pct,$' "$TMP/ses_raw.csv" ||
    fail "the secret value of BU03630100 is not an empty value"
ok "a secret value ('.') is an empty value"

# --level: only the wijken.
expect_exit 0 "$W" import cbs "$SES" --mapping "$F/ses_woa_mapping.csv" \
    --catalog "$CAT" --period 2019 --level wijk -o "$TMP/ses_wijk.csv"
expect_contains "$STDOUT" "99 areas x 4 indicators" "480 rows of other levels left out"
[ "$(cut -c1-2 "$TMP/ses_wijk.csv" | sort -u | tr '\n' ' ')" = "WK ar " ] ||
    fail "--level wijk imported other levels"
ok "--level wijk imports the 99 wijken only"

# ---- KWB 2019, all gemeenten: shares computed from the counts --------------
expect_exit 0 "$W" import cbs "$KWB" --mapping "$F/kwb_mapping.csv" \
    --catalog "$CAT" --period 2019 --name-column region \
    --population-column population --areas-out "$TMP/kwb_areas.csv" \
    -o "$TMP/kwb.csv"
expect_contains "$STDOUT" "355 areas x 5 indicators = 1775 values (0 missing)"
check_values "$KWB" unique_id "$TMP/kwb.csv" inwoners=population mannen=men \
    jongeren_0_14_pct=b_00_14/population ouderen_65plus_pct=b_65_oo/population \
    gescheiden_pct=divorced/population
expect_contains "$TMP/kwb_areas.csv" "GM0363,Amsterdam,GM0363,gemeente,862965"

# The StatLine form, read by column names with their numbers left off.
expect_exit 0 "$W" import cbs "$F/kwb_2019_gemeenten_raw.csv" \
    --mapping "$F/kwb_statline_mapping.csv" --catalog "$CAT" --period 2019 \
    --name-column Gemeentenaam_1 --population-column AantalInwoners \
    --areas-out "$TMP/kwb_raw_areas.csv" -o "$TMP/kwb_raw.csv"
subset_of "$TMP/kwb_raw.csv" "$TMP/kwb.csv" 110
subset_of "$TMP/kwb_raw_areas.csv" "$TMP/kwb_areas.csv" 22

# ---- real mergers: Eemsdelta (2021), Weesp into Amsterdam (2022) ------------
expect_exit 0 "$W" import cbs "$KWB" --mapping "$F/kwb_mapping.csv" \
    --catalog "$CAT" --period 2019 --name-column region \
    --population-column population --recode "$F/recode_gemeenten_2022.csv" \
    --areas-out "$TMP/kwb22_areas.csv" -o "$TMP/kwb22.csv"
expect_contains "$STDOUT" "352 areas" "5 areas of the download recoded"
pycheck "the merged gemeenten are wrong" '
import csv, sys
src = {r["unique_id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
got = {(r["area"], r["indicator"]): float(r["value"])
       for r in csv.DictReader(open(sys.argv[2], newline=""))}
areas = {r["area"]: r for r in csv.DictReader(open(sys.argv[3], newline=""))}
for new, olds in (("GM1979", ["GM0003", "GM0010", "GM0024"]),
                  ("GM0363", ["GM0363", "GM0457"])):
    pop = sum(float(src[o]["population"]) for o in olds)
    # The weights are the populations, so a weighted mean of the shares
    # is the share of the summed counts.
    want = {"inwoners": pop, "mannen": sum(float(src[o]["men"]) for o in olds),
            "ouderen_65plus_pct": 100 * sum(float(src[o]["b_65_oo"]) for o in olds) / pop,
            "gescheiden_pct": 100 * sum(float(src[o]["divorced"]) for o in olds) / pop}
    for ind, v in want.items():
        if abs(got[(new, ind)] - v) > 1e-9 * abs(v):
            sys.exit("%s %s: %r, expected %r" % (new, ind, got[(new, ind)], v))
    if float(areas[new]["population"]) != pop:
        sys.exit("%s: population %s, expected %s" % (new, areas[new]["population"], pop))
    print("ok   %s = %s: inwoners %d, counts summed, shares weighted" % (new, "+".join(olds), pop))
for gone in ("GM0003", "GM0010", "GM0024", "GM0457"):
    if gone in areas or any(a == gone for a, _ in got):
        sys.exit("%s is still there" % gone)
if areas["GM1979"]["name"] != "Eemsdelta" or areas["GM0363"]["name"] != "Amsterdam":
    sys.exit("names: %r %r" % (areas["GM1979"]["name"], areas["GM0363"]["name"]))
print("ok   the old codes are gone; names Eemsdelta (new_name) and Amsterdam (kept)")
' "$KWB" "$TMP/kwb22.csv" "$TMP/kwb22_areas.csv"

# ---- the multi-year panel recipe (docs/import.md), synthetic files ---------
S=$F/synthetic
for y in 2019 2018 2017; do
    expect_exit 0 "$W" import cbs "$S/kwb_$y.csv" --mapping data/cbs/kwb_mapping.csv \
        --period "$y" --recode "$S/recode.csv" --level wijk \
        --population-column AantalInwoners --areas-out "$TMP/panel_areas.csv" \
        --append -o "$TMP/panel.csv"
done
expect_stderr "skipped 1 row whose region is not a gemeente, wijk or buurt (the first: NL00 on $S/kwb_2017.csv:2)"
# By hand: 2017 WK900105 = WK900103 (1200 residents) + WK900104 (800);
# WK900101 (6000 in 2017, 6100 in 2018) splits 4500:1500 over WK900106 and
# WK900107. Levels and rates: weighted mean in a merge, copied in a split;
# one secret part makes the merged value missing.
cat >"$TMP/panel_expected.csv" <<'EOF'
WK900102,2017,corporatiewoningen_pct,20
WK900102,2017,huishoudens_laag_inkomen_pct,35
WK900102,2017,woz_gemiddeld,250000
WK900102,2018,corporatiewoningen_pct,19.8
WK900102,2018,huishoudens_laag_inkomen_pct,34.5
WK900102,2018,woz_gemiddeld,262000
WK900102,2019,corporatiewoningen_pct,19.5
WK900102,2019,huishoudens_laag_inkomen_pct,34
WK900102,2019,woz_gemiddeld,275000
WK900105,2017,corporatiewoningen_pct,58
WK900105,2017,huishoudens_laag_inkomen_pct,
WK900105,2017,woz_gemiddeld,170000
WK900105,2018,corporatiewoningen_pct,57
WK900105,2018,huishoudens_laag_inkomen_pct,60
WK900105,2018,woz_gemiddeld,175000
WK900105,2019,corporatiewoningen_pct,56
WK900105,2019,huishoudens_laag_inkomen_pct,59
WK900105,2019,woz_gemiddeld,183000
WK900106,2017,corporatiewoningen_pct,50
WK900106,2017,huishoudens_laag_inkomen_pct,55
WK900106,2017,woz_gemiddeld,180000
WK900106,2018,corporatiewoningen_pct,49.5
WK900106,2018,huishoudens_laag_inkomen_pct,54
WK900106,2018,woz_gemiddeld,190000
WK900106,2019,corporatiewoningen_pct,52
WK900106,2019,huishoudens_laag_inkomen_pct,56
WK900106,2019,woz_gemiddeld,195000
WK900107,2017,corporatiewoningen_pct,50
WK900107,2017,huishoudens_laag_inkomen_pct,55
WK900107,2017,woz_gemiddeld,180000
WK900107,2018,corporatiewoningen_pct,49.5
WK900107,2018,huishoudens_laag_inkomen_pct,54
WK900107,2018,woz_gemiddeld,190000
WK900107,2019,corporatiewoningen_pct,41
WK900107,2019,huishoudens_laag_inkomen_pct,50
WK900107,2019,woz_gemiddeld,205000
EOF
tail -n +2 "$TMP/panel.csv" | sort >"$TMP/panel_sorted.csv"
expect_same "$TMP/panel_sorted.csv" "$TMP/panel_expected.csv"
cat >"$TMP/panel_areas_expected.csv" <<'EOF'
area,name,municipality,level,population
WK900102,WK900102,GM9001,wijk,5050
WK900105,WK900105,GM9001,wijk,2100
WK900106,WK900106,GM9001,wijk,4600
WK900107,WK900107,GM9001,wijk,1550
EOF
expect_same "$TMP/panel_areas.csv" "$TMP/panel_areas_expected.csv"

# The panel serves the estimators: WK900105 from 2019 against the other
# three wijken, 2018 -> 2019: (183000 - 175000) - mean(13000, 5000,
# 15000) = -3000.
expect_exit 0 "$W" estimate --data "$TMP/panel.csv" --areas "$TMP/panel_areas.csv" \
    --catalog data/catalog.csv --indicator woz_gemiddeld --treated WK900105 \
    --from 2019 --method did_2x2 --cluster area --json
pycheck "did_2x2 on the imported panel" '
import json, sys
r = json.load(open(sys.argv[1]))
if abs(r["estimate"] - -3000) > 1e-6:
    sys.exit("estimate %r, expected -3000" % r["estimate"])
print("ok   did_2x2 on the imported panel: -3000, as computed by hand")
' "$STDOUT"

# Appending the same year again is refused; the panel stays as it was.
cp "$TMP/panel.csv" "$TMP/panel_before.csv"
expect_exit 2 "$W" import cbs "$S/kwb_2018.csv" --mapping data/cbs/kwb_mapping.csv \
    --period 2018 --recode "$S/recode.csv" --level wijk --append -o "$TMP/panel.csv"
expect_stderr "$TMP/panel.csv:" "period 2018, indicator woz_gemiddeld is already there"
expect_same "$TMP/panel.csv" "$TMP/panel_before.csv"

# ---- errors: file:line, what to do, nothing written -------------------------
# refused TEXT... -- ARGS...: exit 2, stderr has every TEXT, no output.
refused() {
    texts=""
    while [ "$1" != "--" ]; do
        texts="$texts
$1"
        shift
    done
    shift
    expect_exit 2 "$W" import cbs "$@" -o "$TMP/refused.csv"
    printf '%s\n' "$texts" | while IFS= read -r t; do
        [ -z "$t" ] || grep -F -q -e "$t" "$STDERR" || {
            dump_output
            fail "stderr does not contain '$t'"
        }
    done
    ok "refused with: $(show "$(printf '%s' "$texts" | sed 1d | tr '\n' '|')")"
    expect_absent "$TMP/refused.csv"
    [ -z "$(ls -A "$TMP" | grep '^\.refused')" ] || fail "a temporary file was left"
}
printf 'cbs_column,indicator\nopleiding_laag_pct,opleiding_laag_pct\nopleiding_hog_pct,opleiding_hoog_pct\n' >"$TMP/map_col.csv"
refused "$TMP/map_col.csv:3:1: column 'opleiding_hog_pct' is not in $SES" \
    "close names: opleiding_hoog_pct" -- \
    "$SES" --mapping "$TMP/map_col.csv" --catalog "$CAT" --period-column jaar
printf 'cbs_column,indicator\nopleiding_laag_pct,laagopgeleid_pct\n' >"$TMP/map_ind.csv"
refused "$TMP/map_ind.csv:2:20: indicator 'laagopgeleid_pct' is not in the catalogue" \
    "close names: laagopgeleid_15_64_pct" -- \
    "$SES" --mapping "$TMP/map_ind.csv" --period-column jaar
printf 'kolom,indicator\nx,y\n' >"$TMP/map_head.csv"
refused "$TMP/map_head.csv:1: missing column 'cbs_column'" -- \
    "$SES" --mapping "$TMP/map_head.csv" --catalog "$CAT" --period-column jaar
sed '3s/"12,9"/"12,9x"/' "$F/ses_woa_amsterdam_2019_raw.csv" >"$TMP/bad_value.csv"
grep -q '12,9x' "$TMP/bad_value.csv" || fail "the bad value was not written"
refused "$TMP/bad_value.csv:3:75:" "'12,9x' in column 'opleiding_laag_pct'" "is not a number" -- \
    "$TMP/bad_value.csv" --mapping "$F/ses_woa_mapping.csv" --catalog "$CAT" --period-column jaar
refused "give --period or --period-column, not both" -- \
    "$SES" --mapping "$F/ses_woa_mapping.csv" --catalog "$CAT" --period-column jaar --period 2019
refused "missing '--period YEAR or --period-column NAME'" -- \
    "$SES" --mapping "$F/ses_woa_mapping.csv" --catalog "$CAT"
refused "bad value for '--level'" -- \
    "$SES" --mapping "$F/ses_woa_mapping.csv" --catalog "$CAT" --period 2019 --level wijken
printf 'old_code,new_code,year,weight\nWK036300,WK036301,2020,0\n' >"$TMP/recode_bad.csv"
refused "$TMP/recode_bad.csv:2:24: weight '0' is not a number > 0" -- \
    "$SES" --mapping "$F/ses_woa_mapping.csv" --catalog "$CAT" --period 2019 \
    --recode "$TMP/recode_bad.csv"
expect_exit 2 "$W" import xls "$SES"
expect_stderr "unknown source 'xls'; the one source is cbs"

# An existing output: refused, then replaced with --force.
echo "old" >"$TMP/exists.csv"
expect_exit 2 "$W" import cbs "$SES" --mapping "$F/ses_woa_mapping.csv" \
    --catalog "$CAT" --period 2019 -o "$TMP/exists.csv"
expect_stderr "$TMP/exists.csv: the file exists; pass --force to replace it or --append"
expect_contains "$TMP/exists.csv" "old"
expect_exit 0 "$W" import cbs "$SES" --mapping "$F/ses_woa_mapping.csv" \
    --catalog "$CAT" --period 2019 -o "$TMP/exists.csv" --force -q
[ ! -s "$STDOUT" ] || fail "-q printed a summary"
expect_same "$TMP/exists.csv" "$TMP/ses.csv"
[ "$(stat -c %a "$TMP/exists.csv")" = 644 ] || fail "the output is not mode 0644"
ok "--force replaced the file, mode 0644"
