#!/bin/sh
# ABI stability (docs/plugins.md): the current header keeps the layout of
# ABI 1.0 as a prefix; a plugin built against the frozen 1.0 header loads,
# passes check-plugin and runs; a plugin of a newer minor than the host's is
# refused with both versions named.
. "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
ABI=$("$W" --version | sed -n 's/.*plugin ABI \([0-9]*\.[0-9]*\)).*/\1/p')
[ -n "$ABI" ] || fail "--version does not give the plugin ABI"
MAJOR=${ABI%.*}
MINOR=${ABI#*.}
FX=$WE_BUILD/tests/fixtures

# ---- the layout of 1.0 is a prefix of the current one ---------------------
layout() { # header output
    $CC -std=c11 -Wall -Wextra -Werror "-DWE_HEADER=\"$1\"" \
        -o "$TMP/layout" tests/fixtures/abi/layout.c ||
        fail "layout.c does not build against $(show "$1")"
    "$TMP/layout" >"$2"
}
layout "$ROOT/tests/fixtures/abi/plugin_1_0.h" "$TMP/layout-1.0"
layout "$ROOT/tests/fixtures/abi/plugin_1_2.h" "$TMP/layout-1.2"
layout "$ROOT/core/include/wijkeval/plugin.h" "$TMP/layout-now"
[ "$(wc -l <"$TMP/layout-1.0")" -gt 90 ] || fail "layout prints too little"
expect_same "$TMP/layout-1.0" "$TMP/layout-now"
expect_same "$TMP/layout-1.0" "$TMP/layout-1.2"
# The comparison notices a member inserted in the middle.
sed 's/^    we_fini_fn fini; /    int inserted;\n&/' core/include/wijkeval/plugin.h \
    >"$TMP/plugin_moved.h"
grep -q 'int inserted;' "$TMP/plugin_moved.h" || fail "the header edit did not apply"
layout "$TMP/plugin_moved.h" "$TMP/layout-moved"
if cmp -s "$TMP/layout-1.0" "$TMP/layout-moved"; then
    fail "a member inserted before fini does not change the layout output"
fi
ok "an inserted member changes the layout output"

# ---- a plugin built against the 1.0 header ---------------------------------
[ "$MAJOR" = 1 ] || fail "the ABI 1.0 fixture is for major 1, host is $ABI"
mkdir "$TMP/old"
cp "$FX/fx_abi_1_0.so" "$FX/fx_abi_1_2.so" "$TMP/old/"
expect_exit 0 "$W" plugins --plugin-dir "$TMP/old"
expect_contains "$STDOUT" "fx_abi_1_0" "ABI 1.0  Plugin of ABI 1.0"
expect_exit 0 "$W" check-plugin "$TMP/old/fx_abi_1_0.so"
expect_contains "$STDOUT" "plugin ABI 1.0 (host ABI $ABI)" "PASS: 0 of "
expect_exit 0 "$W" check-plugin "$TMP/old/fx_abi_1_2.so"
expect_contains "$STDOUT" "plugin ABI 1.2 (host ABI $ABI)" "PASS: 0 of "

cat >"$TMP/old.cfg" <<EOF
name = "old";
data = { areas = "$DEMO/areas.csv"; indicators = "$DEMO/indicators.csv";
         catalog = "$DEMO/catalog.csv"; };
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$DEMO/treatment.csv"; };
inference = { bootstrap = { reps = 99; }; permutation = { reps = 0; };
              event_study = { bootstrap_reps = 0; }; };
experiments = ( { plugin = "fx_abi_1_0"; }, { plugin = "fx_abi_1_2"; },
                { plugin = "samenhang"; } );
EOF
expect_exit 0 "$W" run "$TMP/old.cfg" -q -o "$TMP/out" --plugin-dir "$TMP/old"
pycheck "the 1.0 plugin's results" '
import json, sys
r = json.load(open(sys.argv[1]))
e = {x["id"]: x for x in r["experiments"]}
old = e["fx_abi_1_0"]
if old["status"] != "ok":
    sys.exit("fx_abi_1_0: status %s: %s" % (old["status"], old.get("error")))
methods = sorted(x["method"] for x in old["results"])
# The four of WE_METHODS_ALL, and the headline design the host adds.
for m in ("did_2x2", "gap", "pre_post", "twfe"):
    if m not in methods:
        sys.exit("fx_abi_1_0: no %s result among %s" % (m, methods))
if len(old["metrics"]) != 1:
    sys.exit("fx_abi_1_0: %d metrics; expected 1" % len(old["metrics"]))
mid = e["fx_abi_1_2"]
if mid["status"] != "ok" or [m["name"] for m in mid["metrics"]] != ["treated_gap_latest"]:
    sys.exit("fx_abi_1_2: %s %s" % (mid["status"], mid.get("error")))
if e["samenhang"]["status"] != "ok":
    sys.exit("samenhang next to it: %s" % e["samenhang"]["status"])
print("ok   the ABI 1.0 plugin ran next to a current one: %s, 1 metric" % ", ".join(methods))
' "$TMP/out/old/report.json"

# ---- a newer minor than the host's -----------------------------------------
NEWER=$MAJOR.$((MINOR + 1))
expect_exit 1 "$W" check-plugin "$FX/fx_newer_minor.so"
expect_contains "$STDOUT" "plugin ABI $NEWER is newer than host ABI $ABI" \
    "FAIL: 1 of 1 checks failed"
mkdir "$TMP/new"
cp "$FX/fx_newer_minor.so" "$TMP/new/"
sed -e 's/plugin = "fx_abi_1_0"/plugin = "fx_newer_minor"/' \
    -e 's/{ plugin = "fx_abi_1_2"; },//' \
    -e 's/name = "old"/name = "new"/' "$TMP/old.cfg" >"$TMP/new.cfg"
expect_exit 1 "$W" run "$TMP/new.cfg" -q -o "$TMP/out2" --plugin-dir "$TMP/new"
expect_contains "$TMP/out2/new/report.json" \
    "plugin ABI $NEWER is newer than host ABI $ABI"

# ---- a descriptor shorter than its minor's ----------------------------------
expect_exit 1 "$W" check-plugin "$FX/fx_short_for_minor.so"
expect_contains "$STDOUT" "descriptor struct_size" "of ABI $ABI" \
    "initialise it with WE_DESCRIPTOR_HEADER"
