#!/bin/sh
# The early warning (afglijden) end to end. On the demo: the section is in
# report.json, watch_list.csv, report.md and report.html. On a copy of
# the demo data where three wijken are made to slide from 2005 on (their
# residents' rating falls and physical disorder rises, year by year): the
# three are on the watch list, with those two indicators as drivers; every
# number of the section equals an independent computation in Python from
# the input files (z-scores, composite, national mean, Theil-Sen,
# Mann-Kendall, Benjamini-Hochberg). Without the group the section is null
# and watch_list.csv is not written. Bad early_warning settings: exit 2,
# file:line, nothing written.
. "$(dirname "$0")/lib.sh"

# ---- the demo ----------------------------------------------------------
OUT=$TMP/out
expect_exit 0 "$W" run configs/demo.cfg -o "$OUT" --plugin-dir "$WE_BUILD/plugins" -q
R=$OUT/demo
expect_contains "$R/watch_list.csv" "rank,area,area_name,municipality,treated,slope"
expect_contains "$R/report.md" "## Early warning: wijken sliding against the national trend"
expect_contains "$R/report.html" '<section class="goals" id="early-warning">'
pycheck "the demo's early_warning section" '
import json, sys
e = json.load(open(sys.argv[1] + "/report.json"))["early_warning"]
def check(c, m):
    if not c:
        sys.exit("FAIL " + m)
    print("ok   " + m)
check(e is not None, "early_warning present")
check(e["areas"] == 212 and e["tested"] == 212, "all 212 areas tested, treated or not")
check(e["window"] == 8 and e["first_period"] == 2005 and e["last_period"] == 2012, "window 2005-2012")
check(e["test"] == "empirical_null", "the empirical null")
check(len(e["indicators"]) == 6, "six indicators")
check(e["flagged"] == len(e["watch_list"]), "flagged = watch list length")
print("demo watch list: %d areas" % e["flagged"])
' "$R"

# ---- three sliding wijken ------------------------------------------------
D=$TMP/data
mkdir "$D"
cp "$DEMO"/*.csv "$D/"
SLIDERS="WK001402 WK034403 WK059902"
pycheck "inject the slide" '
import csv, sys
path, sliders = sys.argv[1], sys.argv[2].split()
rows = list(csv.reader(open(path)))
hit = 0
for r in rows[1:]:
    if r[0] in sliders and r[3] not in ("", ".", "x", "-", "?") and int(r[1]) >= 2005:
        k = int(r[1]) - 2004
        if r[2] == "rapportcijfer_woonomgeving":
            r[3] = "%.4f" % (float(r[3]) - 0.25 * k); hit += 1
        elif r[2] == "verloedering_score":
            r[3] = "%.4f" % (float(r[3]) + 0.35 * k); hit += 1
csv.writer(open(path, "w", newline=""), lineterminator="\n").writerows(rows)
if hit < 40:
    sys.exit("only %d cells changed" % hit)
print("ok   %d cells changed" % hit)
' "$D/indicators.csv" "$SLIDERS"
for a in $SLIDERS; do
    grep -q "^$a," "$D/areas.csv" || fail "$a is not a demo area"
done
sed -e "s|\.\./data/demo/|$D/|g" configs/demo.cfg >"$TMP/slide.cfg"
expect_exit 0 "$W" run "$TMP/slide.cfg" -o "$TMP/slide" --plugin-dir "$WE_BUILD/plugins" -q
S=$TMP/slide/demo
for a in $SLIDERS; do
    expect_contains "$S/watch_list.csv" ",$a,"
done

INDEPENDENT='
import csv, json, math, sys
data, rep, sliders = sys.argv[1], sys.argv[2], sys.argv[3].split()
expect_sliders = sys.argv[4] == "1"
def check(c, m):
    if not c:
        sys.exit("FAIL " + m)
    print("ok   " + m)
def close(a, b, what, tol=1e-9):
    check(a is not None and b is not None and abs(a - b) <= tol * max(1.0, abs(b)),
          "%s: %r vs %r" % (what, a, b))
e = json.load(open(rep + "/report.json"))["early_warning"]
direction = {c["indicator"]: c["direction"] for c in csv.DictReader(open(data + "/catalog.csv"))}
areas = [a["area"] for a in csv.DictReader(open(data + "/areas.csv"))]
ind = [(i["name"], i["weight"]) for i in e["indicators"]]
names = [n for n, _ in ind]
val = {}
periods = set()
for r in csv.DictReader(open(data + "/indicators.csv")):
    periods.add(int(r["period"]))
    if r["indicator"] in names and r["value"] not in ("", ".", "x", "-", "?"):
        val[(r["indicator"], r["area"], int(r["period"]))] = float(r["value"])
periods = sorted(periods)
W = 8
win = periods[-W:]
z = {}
for n, _ in ind:
    v = [x for (k, a, t), x in val.items() if k == n]
    m = sum(v) / len(v)
    sd = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))
    s = 1 if direction[n] == "higher_is_better" else -1
    for (k, a, t), x in val.items():
        if k == n:
            z[(n, a, t)] = s * (x - m) / sd
total = sum(w for _, w in ind)
def comp(a, t):
    num = den = 0.0
    for n, w in ind:
        if (n, a, t) in z:
            num += w * z[(n, a, t)]; den += w
    return num / den if den > 0 and 2 * den >= total else None
def relative(f):
    out = {}
    for t in periods:
        vals = {a: f(a, t) for a in areas}
        ok = [x for x in vals.values() if x is not None]
        mean = sum(ok) / len(ok) if ok else None
        for a in areas:
            out[(a, t)] = None if vals[a] is None or mean is None else vals[a] - mean
    return out
def theil_sen(pts):
    s = sorted((pts[j][1] - pts[i][1]) / (pts[j][0] - pts[i][0])
               for i in range(len(pts)) for j in range(i + 1, len(pts)))
    n = len(s)
    return None if n == 0 else (s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2)
def mann_kendall(y):
    n = len(y)
    s = sum((y[j] > y[i]) - (y[j] < y[i]) for i in range(n) for j in range(i + 1, n))
    ties = {}
    for v in y:
        ties[v] = ties.get(v, 0) + 1
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in ties.values())) / 18
    zz = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0
    return 0.5 * math.erfc(-zz / math.sqrt(2))
rel = relative(comp)
slope, p = {}, {}
for a in areas:
    pts = [(t, rel[(a, t)]) for t in win if rel[(a, t)] is not None]
    if len(pts) >= 4:
        slope[a] = theil_sen(pts)
        p[a] = mann_kendall([y for _, y in pts])
if e["test"] == "empirical_null":
    def median(v):
        v = sorted(v); n = len(v)
        return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    c = median(slope.values())
    sc = 1.4826 * median([abs(b - c) for b in slope.values()])
    close(e["null_center"], c, "null centre")
    close(e["null_scale"], sc, "null scale")
    p = {a: 0.5 * math.erfc(-((b - c) / sc) / math.sqrt(2)) for a, b in slope.items()}
order = sorted(p, key=lambda a: p[a])
m = len(order)
q, run = {}, 1.0
for i in range(m - 1, -1, -1):
    run = min(run, p[order[i]] * m / (i + 1))
    q[order[i]] = min(run, 1.0)
flag = sorted((a for a in p if q[a] <= 0.05 and slope[a] < 0), key=lambda a: (slope[a], areas.index(a)))
check(e["tested"] == m, "tested %d areas" % m)
got = [w["area"] for w in e["watch_list"]]
check(got == flag, "watch list %r equals the independent one %r" % (got, flag))
for a in sliders if expect_sliders else []:
    check(a in got, "sliding wijk %s is on the watch list" % a)
for w in e["watch_list"]:
    a = w["area"]
    close(w["slope"], slope[a], a + " slope")
    close(w["p"], p[a], a + " p")
    close(w["q"], q[a], a + " q")
    for t, x in zip(e["periods"], w["relative_composite"]):
        if rel[(a, t)] is None:
            check(x is None, a + " no composite in %d" % t)
        else:
            close(x, rel[(a, t)], a + " composite %d" % t)
    if a in sliders:
        d = [x["indicator"] for x in w["drivers"]]
        check(sorted(d[:2]) == ["rapportcijfer_woonomgeving", "verloedering_score"],
              a + " driven by rating and disorder: %r" % d)
        zi = relative(lambda b, t, n="verloedering_score": z.get((n, b, t)))
        pts = [(t, zi[(a, t)]) for t in win if zi[(a, t)] is not None]
        close(w["contributions"]["verloedering_score"], 1.0 / total * theil_sen(pts),
              a + " contribution of verloedering_score")
rows = list(csv.DictReader(open(rep + "/watch_list.csv")))
check([r["area"] for r in rows] == got, "watch_list.csv lists the same areas in order")
for r, w in zip(rows, e["watch_list"]):
    close(float(r["slope"]), w["slope"], r["area"] + " csv slope", 1e-15)
    close(float(r["q"]), w["q"], r["area"] + " csv q", 1e-15)
    check(r["driver_1"] == w["drivers"][0]["indicator"], r["area"] + " csv driver_1")
html = open(rep + "/report.html").read()
check(html.count("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"small\"") == min(len(got), 24),
      "one small chart per flagged wijk")
'
pycheck "the watch list equals the independent computation" "$INDEPENDENT" \
    "$D" "$S" "$SLIDERS" 1
expect_contains "$S/report.md" "| 1 | "
# The same data with the Mann-Kendall test: 7 observed periods in the
# window put its smallest p-value at 0.0013, too large to survive the
# false discovery rate over 212 areas, so the list is empty; the
# independent computation must agree.
sed -e 's|test = "empirical_null";|test = "mann_kendall";|' "$TMP/slide.cfg" >"$TMP/mk.cfg"
expect_exit 0 "$W" run "$TMP/mk.cfg" -o "$TMP/mk" --plugin-dir "$WE_BUILD/plugins" -q
pycheck "the Mann-Kendall watch list equals the independent computation" \
    "$INDEPENDENT" "$D" "$TMP/mk/demo" "$SLIDERS" 0

# ---- without the group -----------------------------------------------------
awk '/^early_warning = \{/ { skip = 1 } !skip { print } skip && /^\};/ { skip = 0 }' \
    configs/demo.cfg | sed -e "s|\.\./data/demo/|$DEMO/|g" >"$TMP/none.cfg"
grep -q early_warning "$TMP/none.cfg" && grep -q "^early_warning" "$TMP/none.cfg" &&
    fail "could not remove the early_warning group"
expect_exit 0 "$W" run "$TMP/none.cfg" -o "$TMP/none" --plugin-dir "$WE_BUILD/plugins" -q
expect_absent "$TMP/none/demo/watch_list.csv"
pycheck "early_warning is null without the group" '
import json, sys
r = json.load(open(sys.argv[1]))
if "early_warning" not in r or r["early_warning"] is not None:
    sys.exit("early_warning should be null")
print("ok   early_warning: null")
' "$TMP/none/demo/report.json"
grep -q 'id="early-warning"' "$TMP/none/demo/report.html" &&
    fail "report.html has an early warning section without the group"
ok "report.html has no early warning section"

# ---- bad settings ----------------------------------------------------------
sed -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$TMP/run.cfg"
LINE=$(grep -n 'name = "verloedering_score"' "$TMP/run.cfg" | cut -d: -f1)
GLINE=$(grep -n '^early_warning = {' "$TMP/run.cfg" | cut -d: -f1)
BAD=$TMP/bad
refused() { # refused CONFIG TEXT...: exit 2, the message, nothing written
    cfg=$1
    shift
    expect_exit 2 "$W" run "$cfg" -o "$BAD" --plugin-dir "$WE_BUILD/plugins"
    expect_stderr "$@"
    expect_absent "$BAD"
}
sed -e 's|name = "verloedering_score"|name = "verloedering"|' "$TMP/run.cfg" >"$TMP/b1.cfg"
refused "$TMP/b1.cfg" "b1.cfg:$LINE: early_warning: indicator 'verloedering' is not in the catalogue"
sed -e 's|  window = 8; |  windw = 8; |' "$TMP/run.cfg" >"$TMP/b2.cfg"
refused "$TMP/b2.cfg" "unknown key 'windw' in group 'early_warning'" \
    "did you mean 'window'?"
sed -e 's|name = "verloedering_score"; weight = 1.0;|name = "verloedering_score"; weight = -1;|' "$TMP/run.cfg" >"$TMP/b3.cfg"
refused "$TMP/b3.cfg" "b3.cfg:$LINE:" "weight -1 of 'verloedering_score' is out of range"
sed -e 's|  window = 8; |  window = 11; |' "$TMP/run.cfg" >"$TMP/b4.cfg"
refused "$TMP/b4.cfg" "b4.cfg:$GLINE: early_warning: window = 11, but the data have 10 periods"
sed -e 's|  window = 8; |  window = 3; |' "$TMP/run.cfg" >"$TMP/b5.cfg"
refused "$TMP/b5.cfg" "'early_warning.window' = 3 is out of range"
sed -e 's|name = "verloedering_score"; weight = 1.0;|nam = "verloedering_score";|' "$TMP/run.cfg" >"$TMP/b6.cfg"
refused "$TMP/b6.cfg" "unknown key 'nam' in group 'early_warning.indicators[3]'"
sed -e 's|  alpha = 0.05;    # Benj|  alpha = 0.9;    # Benj|' "$TMP/run.cfg" >"$TMP/b7.cfg"
refused "$TMP/b7.cfg" "'early_warning.alpha' = 0.9 is out of range"
sed -e 's|{ name = "tevreden_woonomgeving_pct"; weight = 1.0; },|{ name = "rapportcijfer_woonomgeving"; },|' "$TMP/run.cfg" >"$TMP/b8.cfg"
refused "$TMP/b8.cfg" "indicator 'rapportcijfer_woonomgeving' is listed twice"
