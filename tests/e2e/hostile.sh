#!/bin/sh
# Isolation against a hostile plugin (docs/reliability.md): plugins built
# out of tree against the installed SDK that write into or read from the
# descriptors they inherit, whose constructor crashes, exits or loops,
# whose destructor crashes, or that leave a setsid grandchild behind. Each
# runs next to the seven experiments (also with --jobs 8): the seven's
# numbers equal a clean run's, the hostile experiment fails with a true
# message, the exit code is 1 and no process of the plugin is left. Also
# `wijkeval plugins` and `check-plugin` survive a crashing constructor.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sdk_env"

SEVEN="achter_de_voordeur bewonersparticipatie bureaucratie gezonde_wijk samenhang slagkracht vernieuwend_welzijn"
SRC=$ROOT/tests/e2e/hostile/hostile.c
PLUGINS=$TMP/plugins
mkdir "$PLUGINS"
export HOSTILE_PIDS="$TMP/pids"

# ---- the hostile plugins, out of tree ---------------------------------------
for mode in write read ctor_segv ctor_exit ctor_loop dtor_segv setsid; do
    upper=$(echo "$mode" | tr a-z A-Z)
    expect_exit 0 sh -c "cd '$TMP' && cc \$(pkg-config --cflags wijkeval-plugin) \
        -shared -fPIC -DHOSTILE_ID='\"hostile_$mode\"' -DMODE_$upper \
        -o '$PLUGINS/hostile_$mode.so' '$SRC'"
done
ok "seven hostile plugins built out of tree with pkg-config"

# ---- configs: the demo's, smaller inference, absolute paths ----------------
# make_cfg NAME ENTRY: the demo config with ENTRY (may be empty) first.
# Without the sandbox (isolation.sandbox = "off"): these runs test the
# process boundary beneath it, with plugins that may write (their pid
# files) and fork; tests/e2e/sandbox.sh tests the sandbox.
make_cfg() {
    sed -e "s|\"\.\./data/|\"$ROOT/data/|g" -e 's/reps = 9999/reps = 199/' \
        -e 's/reps = 999;/reps = 99;/g' -e 's/bootstrap_reps = 999/bootstrap_reps = 99/' \
        -e "s|^name = \"demo\";|name = \"$1\";|" \
        -e "s|^experiments = (|experiments = ( $2|" \
        configs/demo.cfg >"$TMP/$1.cfg"
    echo 'isolation = { sandbox = "off"; };' >>"$TMP/$1.cfg"
}
make_cfg clean ""
expect_exit 0 "$W" run "$TMP/clean.cfg" -q -o "$TMP/out"
ok "clean run"

# no_leftover: every pid the hostile plugin noted is gone.
no_leftover() {
    [ -f "$HOSTILE_PIDS" ] || return 0
    # The host has reaped everything before it exits; a moment for the
    # kernel to tear the processes down.
    for pid in $(cat "$HOSTILE_PIDS"); do
        n=0
        while kill -0 "$pid" 2>/dev/null && [ $n -lt 20 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        kill -0 "$pid" 2>/dev/null && {
            ps -o pid,ppid,pgid,sid,stat,args -p "$pid" >&2
            kill -9 "$pid" 2>/dev/null
            fail "$1: process $pid of the hostile plugin survived the run"
        }
    done
    ok "$1: none of the $(wc -l <"$HOSTILE_PIDS") processes of the plugin is left"
    rm -f "$HOSTILE_PIDS"
}

# hostile MODE MESSAGE [JOBS] [LIMIT]: the run with hostile_MODE first.
hostile() {
    id=hostile_$1
    limit=${4:-60}
    make_cfg "$id" "{ plugin = \"$id\"; time_limit = $limit; },"
    expect_exit 1 "$W" run "$TMP/$id.cfg" -q -o "$TMP/out" --plugin-dir "$PLUGINS" --jobs "$3"
    pycheck "$id (--jobs $3): the seven as in a clean run, $id failed" '
import json, sys
clean = json.load(open(sys.argv[1]))
run = json.load(open(sys.argv[2]))
seven, hid, msg = sys.argv[3].split(), sys.argv[4], sys.argv[5]
a = {e["id"]: e for e in clean["experiments"]}
b = {e["id"]: e for e in run["experiments"]}
for i in seven:
    if a[i] != b[i]:
        sys.exit("%s differs from the clean run" % i)
h = b[hid]
if h["status"] != "failed" or msg not in (h["error"] or ""):
    sys.exit("%s: status %s, error %r, expected failed with %r"
             % (hid, h["status"], h["error"], msg))
print("ok   %s: failed: %s" % (hid, h["error"]))
' "$TMP/out/clean/report.json" "$TMP/out/$id/report.json" "$SEVEN" "$id" "$2"
    no_leftover "$id --jobs $3"
}

# The --jobs 1 runs take the same paths one plugin at a time: the plain
# pass runs them, the sanitizers' pass (six times the CPU) leaves them out.
hostile write "the results from the plugin's process are corrupt" 8
under_sanitizers ||
    hostile write "the results from the plugin's process are corrupt" 1
hostile read "saw 0 open descriptors above its pipe and read or wrote 0 times" 8
under_sanitizers ||
    hostile read "saw 0 open descriptors above its pipe and read or wrote 0 times" 1
hostile ctor_segv "while loading the plugin: the plugin's process" 8
hostile ctor_exit "while loading the plugin: the plugin's process exited with status 0" 2
hostile ctor_loop "while loading the plugin: still running after the time limit of 2 s" 8 2
hostile dtor_segv "while unloading the plugin (in a destructor)" 8
hostile setsid "left a grandchild" 8
under_sanitizers || hostile setsid "left a grandchild" 1

# ---- plugins and check-plugin load in a child too ----------------------------
# They load plugins in the sandbox, where the plugins' pid files cannot be
# written (nor processes started): no HOSTILE_PIDS.
unset HOSTILE_PIDS
expect_exit 0 "$W" plugins --plugin-dir "$PLUGINS"
expect_contains "$STDOUT" "hostile_ctor_segv.so" "while loading the plugin" \
    "hostile_write " "samenhang"
expect_exit 1 "$W" check-plugin "$PLUGINS/hostile_ctor_segv.so" --time-limit 5
expect_contains "$STDOUT" "[FAIL] loads; ABI and required descriptor fields valid" \
    "while loading the plugin"
expect_exit 1 "$W" check-plugin "$PLUGINS/hostile_ctor_loop.so" --time-limit 2
expect_contains "$STDOUT" "still running after the time limit of 2 s"
