#!/bin/sh
# Displacement (waterbed effect) end to end. On the demo, whose generator
# injects a worsening in the ring of one indicator (truth.csv): the
# section is in report.json, displacement.csv, report.md and report.html;
# the injected effect lies in the interval and is called displacement; a
# null indicator gives no evidence; the ring and the far group equal an
# independent computation in Python from the input files, and so does the
# estimate (an OLS with area and period dummies on ring and far, to 1e-8);
# every experiment's comparison group leaves the ring out. With the
# indicator's direction reversed the same interval is a spill-over of
# improvement. Centroids within a band give the same neighbours, hence the
# same numbers. Without the group the section is null and no
# displacement.csv is written. Bad files and settings: exit 2, the file,
# line (and column), nothing written.
. "$(dirname "$0")/lib.sh"

OUT=$TMP/out
expect_exit 0 "$W" run configs/demo.cfg -o "$OUT" --plugin-dir "$WE_BUILD/plugins" -q
R=$OUT/demo
expect_contains "$R/displacement.csv" "indicator,direction,unit,method,estimate,se,ci_low,ci_high,p,inference,ring_areas,far_areas,n_obs,verdict,error"
expect_contains "$R/report.md" "## Displacement: do problems move to the neighbouring wijken?" \
    "| woninginbraken_per_1000 | lower | " "**displacement**: the ring worsened" \
    "no evidence of displacement"
expect_contains "$R/report.html" '<section class="goals" id="displacement">' \
    "displacement: the ring worsened" "no evidence of displacement"

# The ring and far sets, the estimate and the comparison groups, from the
# files alone (pure Python: a dense OLS by Gauss-Jordan elimination).
INDEPENDENT='
import csv, json, sys
data, rep = sys.argv[1], sys.argv[2]
def check(c, m):
    if not c:
        sys.exit("FAIL " + m)
    print("ok   " + m)
areas = [r["area"] for r in csv.DictReader(open(data + "/areas.csv"))]
start = {r["area"]: int(r["from"]) for r in csv.DictReader(open(data + "/treatment.csv"))}
nb = {a: set() for a in areas}
for r in csv.DictReader(open(data + "/adjacency.csv")):
    nb[r["area"]].add(r["neighbour"]); nb[r["neighbour"]].add(r["area"])
ring = {a: min(start[b] for b in nb[a] if b in start)
        for a in areas if a not in start and any(b in start for b in nb[a])}
far = [a for a in areas if a not in start and a not in ring]
d = json.load(open(rep + "/report.json"))
disp = d["displacement"]
check(disp["ring_areas"] == len(ring) and disp["far_areas"] == len(far),
      "ring %d and far %d as computed from the files" % (len(ring), len(far)))
# The programme row compares with the far group only (the ring left
# out); an experiment with comparison = "programme" compares with the
# programme wijken outside it, so never with the ring; one with
# "untreated" (or without an assignment) with the far group.
own = {}
for r in csv.DictReader(open(data + "/assignment.csv")):
    own.setdefault(r["experiment"], set()).add(r["area"])
for x in d["experiments"] + ([d["programme"]] if d.get("programme") else []):
    r = [r for r in x["results"] if r["method"] == "twfe"][0]
    if x["comparison"] == "programme":
        want = len(set(start) - own[x["id"]])
    else:
        want = len(far)
    check(x["matching"] is None and r["n_control"] == want,
          "%s %s (%s): the %d comparison wijken, the ring left out"
          % (x["id"], r["indicator"], x["comparison"], r["n_control"]))
truth = {r["indicator"]: r for r in csv.DictReader(open(data + "/truth.csv"))}
periods = sorted({int(r["period"]) for r in csv.DictReader(open(data + "/indicators.csv"))})
def ols_dummies(ind):
    ys = {}
    for r in csv.DictReader(open(data + "/indicators.csv")):
        if r["indicator"] != ind: continue
        try: v = float(r["value"])
        except ValueError: continue
        a = r["area"]
        if a in ring or a in far:
            ys[(a, int(r["period"]))] = v
    used = sorted({a for a, _ in ys})
    pers = sorted({t for _, t in ys})
    ai = {a: i for i, a in enumerate(used)}
    pi = {t: i for i, t in enumerate(pers[1:])}
    k = 1 + len(used) + len(pi)
    XtX = [[0.0] * k for _ in range(k)]
    Xty = [0.0] * k
    for (a, t), v in ys.items():
        cols = [(0, 1.0 if a in ring and t >= ring[a] else 0.0),
                (1 + ai[a], 1.0)]
        if t in pi:
            cols.append((1 + len(used) + pi[t], 1.0))
        for i, xi in cols:
            Xty[i] += xi * v
            for j, xj in cols:
                XtX[i][j] += xi * xj
    M = [row[:] + [Xty[i]] for i, row in enumerate(XtX)]
    for c in range(k):
        p = max(range(c, k), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        piv = M[c][c]
        M[c] = [x / piv for x in M[c]]
        for r in range(k):
            if r != c and M[r][c] != 0.0:
                f = M[r][c]
                M[r] = [x - f * y for x, y in zip(M[r], M[c])]
    return M[0][k], len(ys), len([a for a in used if a in ring])
rows = {r["indicator"]: r for r in disp["indicators"]}
for ind, r in rows.items():
    b, n, nr = ols_dummies(ind)
    check(abs(r["estimate"] - b) <= 1e-8 * max(1.0, abs(b)),
          "%s: TWFE %.12g equals the dummy OLS %.12g" % (ind, r["estimate"], b))
    check(r["n_obs"] == n and r["ring_areas"] == nr,
          "%s: %d observations, %d ring areas" % (ind, n, nr))
w = rows["woninginbraken_per_1000"]
t = float(truth["woninginbraken_per_1000"]["true_effect"])
check(truth["woninginbraken_per_1000"]["pattern"] == "displacement", "truth: a displacement")
check(w["ci_low"] <= t <= w["ci_high"],
      "the interval [%.3f, %.3f] covers the injected %.3f" % (w["ci_low"], w["ci_high"], t))
check(w["verdict"] == "displacement" and w["ci_low"] > 0,
      "woninginbraken_per_1000: displacement (lower is better, the ring rose)")
check(w["inference"] == "wild_rademacher" and w["inference_reps"] == 9999,
      "the run inference: wild bootstrap, 9999 draws")
m = rows["misdrijven_per_1000"]
check("misdrijven_per_1000" not in truth or float(truth["misdrijven_per_1000"]["true_effect"]) == 0,
      "misdrijven_per_1000: nothing injected")
check(m["verdict"] == "no_evidence" and m["ci_low"] < 0 < m["ci_high"],
      "misdrijven_per_1000: no evidence of displacement")
out = list(csv.DictReader(open(rep + "/displacement.csv")))
check([r["indicator"] for r in out] == [r["indicator"] for r in disp["indicators"]],
      "displacement.csv: the rows of report.json")
for c, j in zip(out, disp["indicators"]):
    check(float(c["estimate"]) == j["estimate"] and float(c["ci_low"]) == j["ci_low"]
          and c["verdict"] == j["verdict"], "%s: csv equals json" % j["indicator"])
'
pycheck "the demo's displacement section" "$INDEPENDENT" "$DEMO" "$R"

# ---- reversed direction: the same interval is a spill-over -----------
D=$TMP/data
mkdir "$D"
cp "$DEMO"/*.csv "$D/"
sed -i 's/^\(woninginbraken_per_1000,.*\),lower_is_better,/\1,higher_is_better,/' "$D/catalog.csv"
grep -q '^woninginbraken_per_1000,.*,higher_is_better,' "$D/catalog.csv" || fail "direction not reversed"
sed -e "s|\.\./data/demo/|$D/|g" configs/demo.cfg >"$TMP/flip.cfg"
expect_exit 0 "$W" run "$TMP/flip.cfg" -o "$TMP/flip" --plugin-dir "$WE_BUILD/plugins" -q
expect_contains "$TMP/flip/demo/displacement.csv" "woninginbraken_per_1000,higher_is_better,"
expect_contains "$TMP/flip/demo/report.md" "spill-over of improvement: the ring improved too"
pycheck "spill-over when up is better" '
import csv, sys
a = {r["indicator"]: r for r in csv.DictReader(open(sys.argv[1]))}
b = {r["indicator"]: r for r in csv.DictReader(open(sys.argv[2]))}
w, f = a["woninginbraken_per_1000"], b["woninginbraken_per_1000"]
if f["verdict"] != "spillover" or f["estimate"] != w["estimate"] or f["ci_low"] != w["ci_low"]:
    sys.exit("FAIL %r vs %r" % (f, w))
print("ok   same estimate and interval, verdict spillover")
' "$R/displacement.csv" "$TMP/flip/demo/displacement.csv"

# ---- centroids within a band: the same neighbours ---------------------
# Wijken of one municipality 1000 m apart in wijk order, municipalities
# 100 km apart: a band of 1500 m joins exactly the consecutive wijken.
pycheck "write centroids" '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/areas.csv")))
munis, seen, out = {}, {}, ["area,x,y"]
for r in rows:
    m = munis.setdefault(r["municipality"], len(munis))
    k = seen[m] = seen.get(m, -1) + 1
    out.append("%s,%d,%d" % (r["area"], 100000 + 1000 * k, 300000 + 100000 * m))
open(sys.argv[1] + "/centroids.csv", "w").write("\n".join(out) + "\n")
print("ok   %d centroids" % len(rows))
' "$D"
cp "$DEMO/catalog.csv" "$D/catalog.csv"
sed -e "s|\.\./data/demo/|$D/|g" -e "s|adjacency = \"$D/adjacency.csv\";|centroids = \"$D/centroids.csv\";|" \
    -e 's|# band_m = 1500;|band_m = 1500;|' configs/demo.cfg >"$TMP/cent.cfg"
grep -q "centroids = " "$TMP/cent.cfg" && grep -q "^  band_m = 1500;" "$TMP/cent.cfg" || fail "centroid config not written"
expect_exit 0 "$W" run "$TMP/cent.cfg" -o "$TMP/cent" --plugin-dir "$WE_BUILD/plugins" -q
pycheck "centroids give the adjacency's numbers" '
import json, sys
a = json.load(open(sys.argv[1] + "/report.json"))["displacement"]
b = json.load(open(sys.argv[2] + "/report.json"))["displacement"]
if b["neighbours"] != "centroids" or b["band_m"] != 1500:
    sys.exit("FAIL neighbours %r band %r" % (b["neighbours"], b["band_m"]))
if a["indicators"] != b["indicators"] or a["ring_areas"] != b["ring_areas"]:
    sys.exit("FAIL the estimates differ")
print("ok   centroids within 1500 m: the same ring and estimates")
' "$R" "$TMP/cent/demo"
expect_contains "$TMP/cent/demo/report.md" "centroids within 1500 m"
expect_contains "$TMP/cent/demo/report.html" "neighbours: centroids within"

# ---- without the group ------------------------------------------------
# The config up to the group; data.adjacency alone is allowed.
awk '/^# Displacement/ {exit} {print}' configs/demo.cfg |
    sed -e "s|\.\./data/demo/|$DEMO/|g" >"$TMP/none.cfg"
grep -q "^displacement" "$TMP/none.cfg" && fail "the displacement group is still in none.cfg"
expect_exit 0 "$W" run "$TMP/none.cfg" -o "$TMP/none" --plugin-dir "$WE_BUILD/plugins" -q
pycheck "no group: null" '
import json, sys
d = json.load(open(sys.argv[1] + "/report.json"))
if d["displacement"] is not None:
    sys.exit("FAIL displacement is not null")
print("ok   displacement: null")
' "$TMP/none/demo"
expect_absent "$TMP/none/demo/displacement.csv"

# ---- bad input ----------------------------------------------------------
refused() { # name config-file text...
    name=$1
    cfg=$2
    shift 2
    expect_exit 2 "$W" run "$cfg" -o "$TMP/bad_$name" --plugin-dir "$WE_BUILD/plugins" -q
    expect_stderr "$@"
    expect_absent "$TMP/bad_$name"
}
B=$TMP/bad
mkdir "$B"
printf 'area,neighbour\nWK001401,WK001402\nWK001403,WK999999\n' >"$B/unknown.csv"
sed -e "s|\.\./data/demo/adjacency.csv|$B/unknown.csv|" -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/unknown.cfg"
refused unknown "$B/unknown.cfg" "unknown.csv:3:10: unknown area 'WK999999'"
printf 'area,neighbour\nWK001401,WK001401\n' >"$B/self.csv"
sed -e "s|\.\./data/demo/adjacency.csv|$B/self.csv|" -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/self.cfg"
refused self "$B/self.cfg" "self.csv:2:10: area 'WK001401' is paired with itself"
printf 'from,to\nWK001401,WK001402\n' >"$B/header.csv"
sed -e "s|\.\./data/demo/adjacency.csv|$B/header.csv|" -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/header.cfg"
refused header "$B/header.cfg" "header.csv:1:1: the header must be area,neighbour"
# Neighbours among untreated wijken only: no ring.
printf 'area,neighbour\nWK003401,WK003402\n' >"$B/noring.csv"
sed -e "s|\.\./data/demo/adjacency.csv|$B/noring.csv|" -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/noring.cfg"
grep -q '^WK003401,' "$DEMO/areas.csv" && ! grep -q '^WK00340[12],' "$DEMO/treatment.csv" || fail "WK003401/2 are not untreated demo areas"
refused noring "$B/noring.cfg" "noring.cfg:" "displacement: no untreated area neighbours a treated area"
sed -e 's|"woninginbraken_per_1000", "misdrijven_per_1000"|"woninginbraken_per_1000", "bestaat_niet"|' \
    -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/ind.cfg"
refused ind "$B/ind.cfg" "ind.cfg:" "displacement: indicator 'bestaat_niet' is not in the catalogue"
sed -e 's|^  # band_m = 1500;.*|  band_m = 1500;|' -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/band.cfg"
refused band "$B/band.cfg" "band.cfg:" "'displacement.band_m' needs data.centroids"
sed -e 's|^  # band_m = 1500;.*|  radius = 1500;|' -e "s|\.\./data/demo/|$DEMO/|g" configs/demo.cfg >"$B/key.cfg"
refused key "$B/key.cfg" "key.cfg:" "unknown key 'radius' in group 'displacement'"
grep -v 'adjacency = ' configs/demo.cfg | sed -e "s|\.\./data/demo/|$DEMO/|g" >"$B/noadj.cfg"
refused noadj "$B/noadj.cfg" "noadj.cfg:" "the 'displacement' group needs neighbours"
sed -e "s|\.\./data/demo/|$D/|g" -e 's|^  # band_m = 1500;.*|  band_m = 0;|' \
    -e "s|adjacency = \"$D/adjacency.csv\";|centroids = \"$D/centroids.csv\";|" configs/demo.cfg >"$B/zero.cfg"
refused zero "$B/zero.cfg" "zero.cfg:" "'displacement.band_m' = 0 is out of range"
sed -e "s|\.\./data/demo/|$D/|g" -e "s|adjacency = \"$D/adjacency.csv\";|adjacency = \"$D/adjacency.csv\"; centroids = \"$D/centroids.csv\";|" \
    configs/demo.cfg >"$B/both.cfg"
refused both "$B/both.cfg" "both.cfg:" "give either 'data.adjacency' or 'data.centroids', not both"
