#!/bin/sh
# Broken configurations: each must stop the run with exit 2 and a message
# that names the config file, the line (where the loader knows it) and what
# is wrong, and nothing may be written.
. "$(dirname "$0")/lib.sh"

mkdir "$TMP/cfg"
OUT=$TMP/out
BASE=$TMP/cfg/base.cfg
# Line numbers matter: the cases below name lines 7 to 11.
cat >"$BASE" <<EOF
name = "bad";
data = {
  areas = "$DEMO/areas.csv";
  indicators = "$DEMO/indicators.csv";
  catalog = "$DEMO/catalog.csv";
};
baseline = 2007;
followup = [2008, 2012];
treatment = { file = "$DEMO/treatment.csv"; };
experiments = ( { plugin = "samenhang"; } );
EOF

# The unbroken config runs, so each failure below is due to its one change.
expect_exit 0 "$W" run "$BASE" -q -o "$TMP/good" --plugin-dir "$WE_BUILD/plugins"
[ -s "$TMP/good/bad/report.json" ] || fail "the base config wrote no report"

# derive NAME SED-SCRIPT: NAME.cfg is the base config edited by sed; the
# edit must change something.
derive() {
    sed -e "$2" "$BASE" >"$TMP/cfg/$1.cfg"
    if cmp -s "$BASE" "$TMP/cfg/$1.cfg"; then
        fail "case $1: the edit '$2' changed nothing"
    fi
}

# append NAME LINE: NAME.cfg is the base config plus LINE as line 11.
append() {
    { cat "$BASE"; printf '%s\n' "$2"; } >"$TMP/cfg/$1.cfg"
}

# refused NAME TEXT...: running NAME.cfg exits 2, stderr contains every
# TEXT, and no output directory appears.
refused() {
    name=$1
    shift
    expect_exit 2 "$W" run "$TMP/cfg/$name.cfg" -o "$OUT" --plugin-dir "$WE_BUILD/plugins"
    expect_stderr "$@"
    expect_absent "$OUT"
}

C=$TMP/cfg

append unknown_top 'colour = "red";'
refused unknown_top "$C/unknown_top.cfg:11:" "unknown key 'colour'" "known keys are"

append unknown_nested 'inference = { alpha = 0.05; nonsense = 3; };'
refused unknown_nested "$C/unknown_nested.cfg:11:" "unknown key 'nonsense'" \
    "'inference'" "alpha, seed, cluster"

derive unknown_experiment_key 's/plugin = "samenhang";/plugin = "samenhang"; colour = 1;/'
refused unknown_experiment_key "$C/unknown_experiment_key.cfg:10:" "unknown key 'colour'" \
    "'experiments[1]'" "plugin, indicators, settings"

derive wrong_type 's/^baseline = 2007;/baseline = "2007";/'
refused wrong_type "$C/wrong_type.cfg:7:" "'baseline'" "integer"

append bad_enum 'inference = { cluster = "provincie"; };'
refused bad_enum "$C/bad_enum.cfg:11:" '"provincie"' "inference.cluster" \
    '"area", "municipality"'

derive missing_key '/^baseline = /d'
refused missing_key "$C/missing_key.cfg" "missing required key 'baseline'"

derive plugin_path 's|plugin = "samenhang"|plugin = "../samenhang"|'
refused plugin_path "$C/plugin_path.cfg:10:" '"../samenhang"' "not valid" "not paths"

derive syntax 's/^followup = \[2008, 2012\];/followup = [2008, 2012;/'
refused syntax "$C/syntax.cfg:8:" "syntax error"

derive unknown_area 's|file = "[^"]*";|waves = ( { from = 2008; areas = ["WK999901"]; } );|'
refused unknown_area "$C/unknown_area.cfg:9:" "'WK999901'" "not in the areas file" \
    "$DEMO/areas.csv"

# The same through a treatment file: the message names that file's line.
printf 'area,from\nWK001401,2008\nWK999901,2008\n' >"$C/treatment_unknown.csv"
derive unknown_area_file "s|file = \"[^\"]*\";|file = \"$C/treatment_unknown.csv\";|"
refused unknown_area_file "$C/treatment_unknown.csv:3:" "'WK999901'" "not in the areas file"

derive start_after_data 's|file = "[^"]*";|waves = ( { from = 2030; areas = ["WK001401"]; } );|'
refused start_after_data "$C/start_after_data.cfg:9:" "'WK001401'" "2030" "2003-2012"

derive start_before_data 's|file = "[^"]*";|waves = ( { from = 1990; areas = ["WK001401"]; } );|'
refused start_before_data "$C/start_before_data.cfg:9:" "'WK001401'" "1990" "after the baseline"

printf 'area,from\nWK001401,2008\nWK001402,2031\n' >"$C/treatment_late.csv"
derive start_after_data_file "s|file = \"[^\"]*\";|file = \"$C/treatment_late.csv\";|"
refused start_after_data_file "$C/treatment_late.csv:3:" "'WK001402'" "2031"

# The config loader keeps no line for baseline and followup, so these
# messages name the file and the key but no line.
derive baseline_not_in_data 's/^baseline = 2007;/baseline = 1999;/'
refused baseline_not_in_data "$C/baseline_not_in_data.cfg" "baseline period 1999" \
    "not in the data" "2003-2012"

derive followup_not_in_data 's/^followup = \[2008, 2012\];/followup = [2008, 2015];/'
refused followup_not_in_data "$C/followup_not_in_data.cfg" "follow-up period 2015" \
    "not in the data"

# Plugin settings are checked against what the plugin declares.
derive samenhang_setting 's/plugin = "samenhang";/plugin = "samenhang"; settings = { nonsense = 1; };/'
refused samenhang_setting "$C/samenhang_setting.cfg:10:" "plugin 'samenhang'" \
    "no setting 'nonsense'"

derive slagkracht_setting 's/plugin = "samenhang";/plugin = "slagkracht"; settings = { nonsense = 1; };/'
refused slagkracht_setting "$C/slagkracht_setting.cfg:10:" "plugin 'slagkracht'" \
    "no setting 'nonsense'" "deadline"

derive setting_type 's/plugin = "samenhang";/plugin = "slagkracht"; settings = { deadline = "soon"; };/'
refused setting_type "$C/setting_type.cfg:10:" "setting 'deadline'" \
    "plugin 'slagkracht'" "must be an integer"

# An experiment's municipalities: GM codes of municipalities with treated
# areas.
derive municipality_code 's/plugin = "samenhang";/plugin = "samenhang"; municipalities = ["Amsterdam"];/'
refused municipality_code "$C/municipality_code.cfg:10:" "'Amsterdam' is not a municipality code"

derive municipality_untreated 's/plugin = "samenhang";/plugin = "samenhang"; municipalities = ["GM9999"];/'
refused municipality_untreated "$C/municipality_untreated.cfg:10:" \
    "experiment 'samenhang': municipality GM9999 has no treated area"

# A config saved as "UTF-8 with BOM": the mark is skipped, the run is the
# same as without it.
printf '\357\273\277' >"$TMP/bom.cfg"
sed -e "s|\"\.\./data/demo|\"$DEMO|" -e 's|name = "demo";|name = "bom";|' \
    configs/demo.cfg >>"$TMP/bom.cfg"
expect_exit 0 "$W" run "$TMP/bom.cfg" -q -o "$TMP/bom_out" --plugin-dir "$WE_BUILD/plugins"
[ -s "$TMP/bom_out/bom/report.json" ] || fail "no report from the config with a BOM"
ok "a config with a UTF-8 BOM runs"

# An output directory that cannot be made stops the run before any input
# is read: here the indicators file does not exist either, and the
# message is about the output (named as the user sets it: output.dir, -o).
: >"$TMP/a_file"
sed -e "s|\"\.\./data/demo|\"$DEMO|" -e 's|name = "demo";|name = "early";|' \
    -e "s|$DEMO/indicators.csv|$TMP/no_such_indicators.csv|" \
    configs/demo.cfg >"$TMP/early.cfg"
grep -q no_such_indicators "$TMP/early.cfg" || fail "the indicators edit did not apply"
expect_exit 2 "$W" run "$TMP/early.cfg" -o "$TMP/a_file/out" --plugin-dir "$WE_BUILD/plugins"
expect_stderr "cannot create the output directory" "output.dir in the config, or -o"
if grep -q no_such_indicators "$STDERR"; then
    fail "the inputs were read before the output was claimed"
fi
ok "the output is claimed before any input is read"
# With a writable output the missing input is the error, and nothing is
# left behind in the output directory.
expect_exit 2 "$W" run "$TMP/early.cfg" -o "$TMP/early_out" --plugin-dir "$WE_BUILD/plugins"
expect_stderr "no_such_indicators.csv"
expect_absent "$TMP/early_out/early"
