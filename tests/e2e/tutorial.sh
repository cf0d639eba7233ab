#!/bin/sh
# The tutorial of docs/plugins.md cannot rot: every code block on the page
# is a copy of docs/tutorial/externe_partners/ (or of what new-plugin
# writes), and those files are built, tested, checked and run as the
# tutorial says, against a DESTDIR install.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sdk_env"

ID=externe_partners
SRC=$ROOT/docs/tutorial/$ID
SNIPPETS="python3 $ROOT/tests/e2e/doc_snippets.py"

# ---- the page's shell commands with their output ---------------------------
# Every "$ command" line of a sh block runs, in the author's shell (PATH
# and PKG_CONFIG_PATH of the install), and prints what the page shows
# below it.
python3 - "$ROOT/docs/plugins.md" "$TMP/cmds" <<'PY' || fail "the page's commands cannot be read"
import os, re, sys
text = open(sys.argv[1]).read()
n = 0
for block in re.findall(r"```sh\n(.*?)```", text, re.S):
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if not line.startswith("$ "):
            continue
        out = []
        for rest in lines[i + 1:]:
            if rest.startswith("$ "):
                break
            out.append(rest)
        n += 1
        with open("%s.%d.sh" % (sys.argv[2], n), "w") as f:
            f.write(line[2:] + "\n")
        with open("%s.%d.want" % (sys.argv[2], n), "w") as f:
            f.write("".join(o + "\n" for o in out))
if n == 0:
    sys.exit("no $ command in docs/plugins.md")
PY
for cmd in "$TMP"/cmds.*.sh; do
    sh "$cmd" >"${cmd%.sh}.got" 2>"$STDERR" || fail "the page's command failed: $(cat "$cmd")"
    expect_same "${cmd%.sh}.want" "${cmd%.sh}.got"
done
ok "the page's \$ commands print what it shows"

# ---- step 1: the skeleton, then the tutorial's files over it -------------
mkdir "$TMP/tut"
cd "$TMP/tut"
expect_exit 0 wijkeval new-plugin $ID --maintainer "Gemeente Utrecht, wijkaanpak@utrecht.nl"
cd $ID
expect_exit 0 make CFLAGS="-O2 -g -Werror"
expect_exit 0 make test CFLAGS="-O2 -g -Werror"
expect_exit 0 make check
# The tutorial's Makefile is the one new-plugin writes.
expect_same "$SRC/Makefile" Makefile
cp "$SRC/$ID.c" "$SRC/test_$ID.c" .

# ---- the page shows exactly these files -------------------------------------
expect_exit 0 $SNIPPETS "$ROOT/docs/plugins.md" --generated "$PWD"
cat "$STDOUT"
n=$(grep -c '^<!-- \(file\|snippet\|generated\): ' "$ROOT/docs/plugins.md")
[ "$n" -ge 10 ] || fail "docs/plugins.md has only $n checked code blocks"
# The check notices a changed line, in a snippet and in a generated block.
sed 's/return rc != WE_OK ? rc : ahead_share(host, ctx, st);/return rc;/' \
    "$ROOT/docs/plugins.md" >"$TMP/changed.md"
cmp -s "$ROOT/docs/plugins.md" "$TMP/changed.md" && fail "the doc edit did not apply"
expect_exit 1 $SNIPPETS "$TMP/changed.md" --generated "$PWD"
expect_stderr "differs from the source" "externe_partners.c#evaluate"
sed 's/{ plugin = "externe_partners"; settings = { min_wijken = 5; }; }/{ plugin = "externe_partners"; }/' \
    "$ROOT/docs/plugins.md" >"$TMP/changed.md"
expect_exit 1 $SNIPPETS "$TMP/changed.md" --generated "$PWD"
expect_stderr "is not in the generated externe_partners.cfg"

# ---- steps 2-8: it builds, its tests pass, the harness passes ---------------
expect_exit 0 make CFLAGS="-O2 -g -Werror"
expect_exit 0 make test CFLAGS="-O2 -g -Werror"
expect_stderr "[  PASSED  ] 6 test(s)."
expect_exit 0 make check
expect_contains "$STDOUT" "externe_partners 1.0.0, plugin ABI 1.0" \
    "maintainer: wijkeval plugin tutorial" "PASS: 0 of 25 checks failed"

# ---- step 9: next to the seven, with its section in the report --------------
expect_exit 0 wijkeval run $ID.cfg --plugin-dir . -o out
expect_contains "$STDOUT" "$ID" "report written to out/$ID/"
pycheck "the tutorial experiment in the report" '
import json, sys
r = json.load(open(sys.argv[1]))
if len(r["experiments"]) != 8:
    sys.exit("%d experiments" % len(r["experiments"]))
e = [x for x in r["experiments"] if x["id"] == "externe_partners"]
if not e or e[0]["status"] != "ok":
    sys.exit("externe_partners: %s" % (e[0].get("error") if e else "missing"))
e = e[0]
ind = {x["indicator"] for x in e["results"]}
want = {"jeugdwerkloosheid_pct", "werkzaam_15_64_pct", "tevreden_woonomgeving_pct"}
if ind != want:
    sys.exit("results for %s" % sorted(ind))
prim = {x["indicator"] for x in e["results"] if x["role"] == "primary"}
if prim != {"jeugdwerkloosheid_pct"}:
    sys.exit("primary: %s" % prim)
m = {x["name"]: x["value"] for x in e["metrics"]}
if not 0 <= m.get("ahead_of_comparison_share", -1) <= 1:
    sys.exit("metrics %s" % m)
print("ok   externe_partners in the report: %d results, ahead_of_comparison_share %.3f"
      % (len(e["results"]), m["ahead_of_comparison_share"]))
' "out/$ID/report.json"
expect_contains "out/$ID/report.md" "## External partners of the wijken ($ID, version 1.0.0)" \
    "ahead_of_comparison_share" "Youth unemployment rate (15-24)"
