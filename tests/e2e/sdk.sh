#!/bin/sh
# The plugin SDK as a new plugin author meets it, against a DESTDIR
# install and from a directory outside the source tree: new-plugin writes
# a skeleton; it builds out of tree with pkg-config, passes its unit test
# and check-plugin, and runs in an evaluation next to the seven
# experiments, found through --plugin-dir and WIJKEVAL_PLUGIN_PATH, with
# its own section in the report. Also the installed files and the man page.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sdk_env"

ID=nieuw_experiment
SEVEN="achter_de_voordeur bewonersparticipatie bureaucratie gezonde_wijk samenhang slagkracht vernieuwend_welzijn"

# ---- what make install put there -----------------------------------------
for f in bin/wijkeval include/wijkeval/plugin.h include/wijkeval/mock_host.h \
    lib/libwijkeval-mock.a lib/pkgconfig/wijkeval-plugin.pc \
    lib/pkgconfig/wijkeval-plugin-test.pc share/man/man1/wijkeval.1 \
    share/wijkeval/data/catalog.csv share/wijkeval/data/demo/indicators.csv \
    share/wijkeval/configs/demo.cfg; do
    [ -f "$P/$f" ] || fail "make install did not install $f"
done
for id in $SEVEN; do
    [ -f "$P/lib/wijkeval/plugins/$id.so" ] || fail "no installed plugin $id.so"
done
ok "installed: the binary, the seven plugins, the SDK, the man page, the demo data"
expect_same "$ROOT/core/include/wijkeval/plugin.h" "$P/include/wijkeval/plugin.h"

expect_exit 0 pkg-config --modversion wijkeval-plugin wijkeval-plugin-test
[ "$(sed -n 1p "$STDOUT")" = "$(cat VERSION)" ] ||
    fail "wijkeval-plugin has version $(sed -n 1p "$STDOUT"), not $(cat VERSION)"
expect_exit 0 pkg-config --cflags wijkeval-plugin
expect_contains "$STDOUT" "-I$P/lib/pkgconfig/../../include"
expect_exit 0 pkg-config --libs wijkeval-plugin-test
expect_contains "$STDOUT" "-lwijkeval-mock" "-lcmocka" "-lconfig" "-lgsl"
CATALOG=$(pkg-config --variable=catalog wijkeval-plugin)
expect_same "$ROOT/data/catalog.csv" "$CATALOG"

# ---- the man page: renders cleanly and covers every command ---------------
if command -v groff >/dev/null 2>&1; then
    groff -man -Tutf8 -ww -z "$P/share/man/man1/wijkeval.1" 2>"$TMP/groff.err"
    [ ! -s "$TMP/groff.err" ] || { cat "$TMP/groff.err" >&2; fail "groff warns about wijkeval.1"; }
    MANWIDTH=200 groff -man -Tascii -P-cbou -rLL=200n "$P/share/man/man1/wijkeval.1" \
        >"$TMP/man.txt" 2>/dev/null
    ok "wijkeval.1 renders without a warning"
else
    cp "$P/share/man/man1/wijkeval.1" "$TMP/man.txt"
    ok "no groff: the man page's source is checked instead"
fi
expect_exit 0 wijkeval --help
cmds=$(sed -n '/^commands:/,/^$/p' "$STDOUT" | awk 'NR > 1 && NF { print $1 }')
[ "$(echo "$cmds" | wc -w)" -ge 6 ] || fail "wijkeval --help lists too few commands: $cmds"
for c in $cmds; do
    grep -q "wijkeval $c" "$TMP/man.txt" || fail "the man page has no 'wijkeval $c'"
done
ok "the man page covers every command of wijkeval --help: $(echo $cmds)"

# ---- new-plugin --------------------------------------------------------------
# The binary carries the templates of core/templates/new-plugin/.
expect_exit 0 python3 "$ROOT/scripts/embed-templates" --check
mkdir "$TMP/work"
cd "$TMP/work"
expect_exit 0 wijkeval new-plugin $ID --maintainer 'Gemeente Voorbeeld, "wijken"'
expect_contains "$STDOUT" "$ID/$ID.c" "$ID/test_$ID.c" "$ID/Makefile" \
    "$ID/$ID.cfg" "make && make test"
[ "$(ls "$ID" | wc -l)" -eq 4 ] || fail "new-plugin wrote $(ls "$ID"), not 4 files"
(cd "$ID" && cksum *) >"$TMP/sums"

# Refusals: exit 2, a message, nothing written or changed.
expect_exit 2 wijkeval new-plugin $ID
expect_stderr "$ID/$ID.c exists" "never overwrites"
(cd "$ID" && cksum *) | cmp -s - "$TMP/sums" || fail "a refused new-plugin changed files"
ok "the existing skeleton is unchanged"
touch "$TMP/work/partial.cfg"
expect_exit 2 wijkeval new-plugin partial --dir "$TMP/work"
expect_stderr "partial.cfg exists"
expect_absent "$TMP/work/partial.c"
for bad in Nieuw "../evil" "a-b" "" \
    x1234567890123456789012345678901234567890123456789012345678901234; do
    expect_exit 2 wijkeval new-plugin "$bad"
    expect_stderr "is not a plugin id"
done
[ "$(ls "$TMP/work")" = "$(printf '%s\n' $ID partial.cfg)" ] ||
    fail "a refused new-plugin wrote: $(ls "$TMP/work")"
ok "refused ids wrote nothing"
expect_exit 2 wijkeval new-plugin other --dir "$TMP/work/partial.cfg"
expect_stderr "not a directory"
expect_exit 2 wijkeval new-plugin
expect_stderr "no ID given"
expect_exit 0 wijkeval new-plugin --help
expect_contains "$STDOUT" "usage: wijkeval new-plugin ID"

# ---- build out of tree with pkg-config -------------------------------------
cd "$ID"
expect_exit 0 make CFLAGS="-O2 -g -Werror"
[ -f $ID.so ] || fail "make did not build $ID.so"
# The command of the documentation, by hand.
mkdir "$TMP/byhand"
expect_exit 0 sh -c "cc \$(pkg-config --cflags wijkeval-plugin) -shared -fPIC -o '$TMP/byhand/$ID.so' $ID.c"
expect_exit 0 wijkeval check-plugin "$TMP/byhand/$ID.so"

# ---- its unit test, then the harness ---------------------------------------
expect_exit 0 make test CFLAGS="-O2 -g -Werror"
# Its own tests and the test kit's generic ones, on the installed kit.
expect_contains "$STDOUT" "WE_CATALOG=" "11 test(s) run."
expect_stderr "[  PASSED  ] 11 test(s)."
expect_exit 0 make check
expect_contains "$STDOUT" "maintainer: Gemeente Voorbeeld, \"wijken\"" \
    "missing values" "single treated area" "no follow-up data" "PASS: 0 of 25 checks failed"

# ---- an evaluation with it next to the seven --------------------------------
expect_exit 0 make run
expect_contains "$STDOUT" "report written to out/$ID/"
# check_report DIR: the report in DIR has the eight experiments, all ok,
# and the new one's section with its results and domain metric.
check_report() {
    pycheck "the report of $(show "$1")" '
import csv, json, sys
d, new, seven = sys.argv[1], sys.argv[2], sys.argv[3].split()
r = json.load(open(d + "/report.json"))
ids = [e["id"] for e in r["experiments"]]
if sorted(ids) != sorted(seven + [new]):
    sys.exit("experiments %s" % ids)
bad = [(e["id"], e.get("error")) for e in r["experiments"] if e["status"] != "ok"]
if bad:
    sys.exit("not ok: %s" % bad)
e = [x for x in r["experiments"] if x["id"] == new][0]
methods = {x["method"] for x in e["results"]
           if x["indicator"] == "tevreden_woonomgeving_pct"}
if not {"pre_post", "gap", "did_2x2", "twfe"} <= methods:
    sys.exit("%s results: %s" % (new, sorted(methods)))
m = {x["name"]: x["value"] for x in e["metrics"]}
if not 0 <= m.get("improved_share", -1) <= 1:
    sys.exit("%s metrics: %s" % (new, m))
# The label from the catalogue (host->indicator_info) in its text, and
# the per-wijk metric over the treated wijken.
share = [x for x in e["metrics"] if x["name"] == "improved_share"][0]
if "Satisfied with residential environment" not in share["description"] or \
        "Tevreden met woonomgeving" not in share["description_nl"]:
    sys.exit("%s: no catalogue label in %s" % (new, share))
w = [a for a in e["area_metrics"] if a["name"] == "improved"]
treated = {x["area"] for x in csv.DictReader(open(sys.argv[4]))}
if len(w) != 1 or not w[0]["values"] or not set(w[0]["values"]) <= treated \
        or set(w[0]["values"].values()) - {0, 1}:
    sys.exit("%s: per-wijk metric %s" % (new, w))
rows = [x for x in csv.DictReader(open(d + "/results.csv"))
        if new in x.values()]
if len(rows) < 4:
    sys.exit("results.csv has %d rows of %s" % (len(rows), new))
print("ok   %s: 8 experiments ok; %s: %s, improved_share %.3f"
      % (d.split("/")[-1], new, ", ".join(sorted(methods)), m["improved_share"]))
' "$1" "$ID" "$SEVEN" "$P/share/wijkeval/data/demo/treatment.csv"
    expect_contains "$1/report.md" "## Nieuw experiment ($ID, version 0.1.0)" \
        "improved_share"
    expect_contains "$1/report.html" "Nieuw experiment" \
        "Per wijk, from the plugin" ">Improved <span class=\"unit\">(1 = yes)</span>"
}
check_report "$PWD/out/$ID"
# The config extends the demo: the seven's numbers are the demo report's
# (only the report-wide multiplicity adjustment, p_adjusted.*.report,
# and the family of all headlines, p_headlines, count the eighth
# experiment too; so do the sentences that cite a headline's p after
# that adjustment: verdict_reason and the evidence reasons).
expect_exit 0 wijkeval run "$P/share/wijkeval/configs/demo.cfg" -q -o "$TMP/demo"
pycheck "the seven in $ID.cfg give the demo report's numbers" '
import json, sys
demo = {e["id"]: e for e in json.load(open(sys.argv[1]))["experiments"]}
new = {e["id"]: e for e in json.load(open(sys.argv[2]))["experiments"]}
def strip(x):
    if isinstance(x, dict):
        return {k: strip(v) for k, v in x.items()
                if k not in ("report", "p_headlines", "verdict_reason",
                             "reasons")}
    if isinstance(x, list):
        return [strip(v) for v in x]
    return x
bad = [k for k in demo if strip(demo[k]) != strip(new[k])]
if bad or len(demo) != 7:
    sys.exit("differ from the demo report: %s" % bad)
print("ok   the seven give the demo report'"'"'s numbers")
' "$TMP/demo/demo/report.json" "$PWD/out/$ID/report.json"
# The test kit is installed with its header and linked through the .pc.
[ -f "$P/include/wijkeval/we_plugin_test_kit.h" ] && [ -f "$P/lib/libwijkeval-test-kit.a" ] ||
    fail "make install did not install the test kit"
expect_exit 0 pkg-config --libs wijkeval-plugin-test
expect_contains "$STDOUT" "-lwijkeval-test-kit"

# Found through WIJKEVAL_PLUGIN_PATH instead of --plugin-dir ...
expect_exit 0 env WIJKEVAL_PLUGIN_PATH="/nonexistent:$PWD" wijkeval plugins
got=$(awk '{ print $1 }' "$STDOUT" | sort | tr '\n' ' ' | sed 's/ $//')
want=$(printf '%s\n' $SEVEN $ID | sort | tr '\n' ' ' | sed 's/ $//')
[ "$got" = "$want" ] || fail "plugins lists '$got', expected '$want'"
ok "plugins lists the seven and $ID through WIJKEVAL_PLUGIN_PATH"
expect_exit 0 env WIJKEVAL_PLUGIN_PATH="$PWD" wijkeval run $ID.cfg -q -o "$TMP/env"
check_report "$TMP/env/$ID"
# ... and without either it is not found: a config error, before any
# computation, naming the experiment.
expect_exit 2 wijkeval run $ID.cfg -q -o "$TMP/none"
expect_stderr "plugin = \"$ID\"" "plugin '$ID' not found"
expect_absent "$TMP/none"
