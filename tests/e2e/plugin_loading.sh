#!/bin/sh
# Loading safety: plugins come only from the plugin directories (never
# from the working directory, also not through an empty entry in
# WIJKEVAL_PLUGIN_PATH); a plugin file that others could change (group-
# or world-writable, or owned by another user than this one or root) is
# refused with a clear message; a plugin id cannot be a path.
. "$(dirname "$0")/lib.sh"

P=$TMP/plugins
EMPTY=$TMP/empty
WORK=$TMP/work
mkdir "$P" "$EMPTY" "$WORK"
cp "$WE_BUILD/tests/fixtures/fx_stdout.so" "$WORK/"

config() { # plugin id, file
    cat >"$2" <<EOF
name = "load";
data = {
  areas = "$DEMO/areas.csv";
  indicators = "$DEMO/indicators.csv";
  catalog = "$DEMO/catalog.csv";
};
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$DEMO/treatment.csv"; };
inference = { bootstrap = { reps = 99; }; permutation = { reps = 0; };
              event_study = { bootstrap_reps = 0; }; mde_simulations = 0; };
output = { formats = ["json"]; };
experiments = ( { plugin = "$1"; } );
EOF
}

# fx_stdout.so lies in the working directory, and nowhere else on the path.
config fx_stdout "$TMP/cwd.cfg"
cd "$WORK"
expect_exit 2 "$W" run "$TMP/cwd.cfg" -o "$TMP/out" --plugin-dir "$EMPTY"
expect_stderr "plugin 'fx_stdout' not found: no fx_stdout.so in the plugin directories"
for path in ":" "::$EMPTY:"; do
    rm -rf "$TMP/out"
    expect_exit 2 env WIJKEVAL_PLUGIN_PATH="$path" \
        "$W" run "$TMP/cwd.cfg" -o "$TMP/out" --plugin-dir "$EMPTY"
    expect_stderr "plugin 'fx_stdout' not found"
done
cd "$ROOT"

# A copy of a real plugin in the first directory searched: a refused file
# is not replaced by the build's own copy further down the path.
config samenhang "$TMP/perm.cfg"
cp "$WE_BUILD/plugins/samenhang.so" "$P/"
check_refused() { # mode, text
    chmod "$1" "$P/samenhang.so"
    rm -rf "$TMP/out"
    expect_exit 1 "$W" run "$TMP/perm.cfg" -o "$TMP/out" --plugin-dir "$P"
    expect_contains "$TMP/out/load/report.json" "$P/samenhang.so: refusing" \
        "$2"
}
check_refused 0664 "a plugin that is group-writable (mode 0664): others could replace its code; run chmod go-w on it"
check_refused 0646 "world-writable (mode 0646)"
check_refused 0666 "world-writable (mode 0666)"
chmod 0644 "$P/samenhang.so"
expect_exit 0 "$W" run "$TMP/perm.cfg" -o "$TMP/out" --plugin-dir "$P"

# Another owner needs root to arrange; the unit test test_loader covers
# the message whoever runs it.
if [ "$(id -u)" = 0 ]; then
    chown 65534 "$P/samenhang.so"
    rm -rf "$TMP/out"
    expect_exit 1 "$W" run "$TMP/perm.cfg" -o "$TMP/out" --plugin-dir "$P"
    expect_contains "$TMP/out/load/report.json" \
        "refusing to load a plugin owned by" "(uid 65534)" \
        "only plugins owned by you"
else
    ok "skipped: a plugin owned by another user (needs root)"
fi

# Ids are names, not paths: the config refuses them before any loading.
config "../plugins/samenhang" "$TMP/traversal.cfg"
expect_exit 2 "$W" run "$TMP/traversal.cfg" -o "$TMP/out3" --plugin-dir "$P"
expect_stderr "plugin id \"../plugins/samenhang\" is not valid" "not paths"
expect_absent "$TMP/out3"
