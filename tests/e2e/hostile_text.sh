#!/bin/sh
# Output safe everywhere: a copy of the demo panel whose area name,
# indicator label, catalogue unit, target description and run title hold
# HTML, a javascript: link, terminal escape sequences and a spreadsheet
# formula. The run must succeed, and then report.md has no raw HTML or
# link of them, no file or terminal line an ESC of them, no CSV cell a
# formula, report.html no raw tag; a data error that quotes such a value
# reaches stderr without its control characters.
. "$(dirname "$0")/lib.sh"

D=$TMP/data
OUT=$TMP/out
mkdir "$D"
cp "$DEMO"/*.csv "$D/"
CFG=$TMP/run.cfg
cat >"$CFG" <<EOF2
name = "hostile";
title = "<script>alert(1)</script> [t](javascript:alert(1))";
data = {
  areas = "$D/areas.csv";
  indicators = "$D/indicators.csv";
  catalog = "$D/catalog.csv";
  targets = "$D/targets.csv";
  costs = "$D/costs.csv";
  adjacency = "$D/adjacency.csv";
};
baseline = 2007;
followup = [2008, 2009, 2010, 2011, 2012];
treatment = { file = "$D/treatment.csv"; };
inference = { bootstrap = { reps = 199; }; permutation = { reps = 0; };
  event_study = { bootstrap_reps = 99; }; };
output = { formats = ["json", "csv", "md", "html"]; };
experiments = ( { plugin = "samenhang"; }, { plugin = "bewonersparticipatie"; } );
early_warning = { indicators = ( { name = "sociale_cohesie_score"; weight = 1.0; },
  { name = "rapportcijfer_woonomgeving"; weight = 1.0; } ); window = 8; };
displacement = { indicators = ["sociale_cohesie_score"]; };
EOF2

# The hostile text: every kind at once, the formula first so that it
# starts the cell. The costs of the two experiments run.
python3 - "$D" <<'EOF2'
import csv, sys
d = sys.argv[1]
bad = ('=HYPERLINK("http://x","y") <script>alert(1)</script> '
       '[x](javascript:alert(1)) \033]0;pwned\007\033[2J')
def edit(name, fn):
    with open(f"{d}/{name}", newline="") as f:
        rows = list(csv.reader(f))
    for r in rows[1:]:
        fn(r)
    with open(f"{d}/{name}", "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
def area(r):
    if r[0] == "WK001401":
        r[1] = bad
def catalog(r):
    if r[0] == "sociale_cohesie_score":
        r[2] = "Cohesion " + bad
        r[3] = "@SUM(A1) \033[2J<b>"
def target(r, done=[]):
    if r[0] == "WK001401" and not done:
        r[4] = "+" + bad
        done.append(1)
with open(f"{d}/costs.csv") as f:
    lines = f.readlines()
with open(f"{d}/costs.csv", "w") as f:
    f.writelines(lines[:1] + [l for l in lines[1:] if l.startswith(
        ("samenhang,", "bewonersparticipatie,"))])
edit("areas.csv", area)
edit("catalog.csv", catalog)
edit("targets.csv", target)
EOF2
grep -q "$(printf '\033')" "$D/areas.csv" || fail "the panel has no ESC"
ok "the panel holds the hostile text"

# Without -q: the terminal summary and the file list, as a user sees them.
expect_exit 0 "$W" run "$CFG" -o "$OUT" --plugin-dir "$WE_BUILD/plugins"
R=$OUT/hostile
ESC=$(printf '\033')
BEL=$(printf '\007')
for f in "$STDOUT" "$STDERR" "$R"/*.md "$R"/*.csv "$R"/*.html; do
    if grep -q "[$ESC$BEL]" "$f"; then
        fail "$(show "$f") holds an ESC or BEL from the data"
    fi
done
ok "no ESC or BEL in the terminal output, report.md, report.html, the CSV files"

# report.md: the text is there, escaped.
expect_contains "$R/report.md" '&lt;script>alert(1)&lt;/script>' \
    '\[x\]\(javascript:alert(1))' '\[t\]\(javascript:alert(1))'
for bad in '<script' '](javascript:' '<b>'; do
    if grep -F -q -e "$bad" "$R/report.md"; then
        fail "report.md holds a raw '$bad'"
    fi
done
ok "report.md has no raw <script, <b> or ](javascript:"

# report.html: the existing escaping holds for these strings too.
expect_contains "$R/report.html" '&lt;script&gt;alert(1)&lt;/script&gt;'
for bad in '<script>alert' 'href="javascript:' "<b>"; do
    if grep -F -q -e "$bad" "$R/report.html"; then
        fail "report.html holds a raw '$bad'"
    fi
done
ok "report.html has no raw <script>alert, <b> or javascript: link"

# Every CSV file: no cell a spreadsheet would run; the hostile cells are
# there, with their quote; numbers like -0.5 stay numbers.
pycheck "CSV cells are safe" '
import csv, glob, re, sys
num = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
seen = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.csv")):
    for row in csv.reader(open(path, newline="")):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not num.match(cell):
                sys.exit(f"{path}: formula cell {cell[:40]!r}")
            seen += cell.startswith("\x27=HYPERLINK") or cell.startswith("\x27+=HYPERLINK")
if seen < 2:
    sys.exit(f"the neutralised cells are missing ({seen} found)")
print(f"ok   no formula cell in the CSV files; {seen} neutralised cells")
' "$R"
expect_contains "$R/targets.csv" "\"'=HYPERLINK(\"\"http://x\"\""

# A data error quoting the value: the message on stderr without the
# control characters, the rest of it intact.
cp "$DEMO/indicators.csv" "$D/indicators.csv"
LINE50=$(sed -n 50p "$DEMO/indicators.csv")
awk -v text="$(echo "$LINE50" | cut -d, -f1-3),$(printf '\033]0;pwned\007\033[2J')" \
    'NR == 50 { print text; next } { print }' "$DEMO/indicators.csv" \
    >"$D/indicators.csv"
expect_exit 2 "$W" run "$CFG" -o "$TMP/out2" --plugin-dir "$WE_BUILD/plugins"
expect_stderr "$D/indicators.csv:50:" "?]0;pwned??[2J"
if grep -q "[$ESC$BEL]" "$STDERR"; then
    fail "the error message on stderr holds an ESC or BEL"
fi
ok "the error message quotes the value without its control characters"
