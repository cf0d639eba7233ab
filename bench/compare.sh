#!/bin/sh
# `make bench-compare`: wijkeval against the R an analyst uses today
# (bench/reference.R: estimatr::lm_robust and a plain R loop for the wild
# bootstrap) on a tenth of the national workload: the same TWFE estimates,
# CR1 standard errors and wild cluster bootstrap p-values for the primary
# indicators, timed on both sides.
#
# Fails (exit 1) when the estimates or standard errors differ by more than
# 1e-8 relative, the samples differ, or a p-value is further from R's than
# Monte Carlo error allows. Skips (exit 0) when R or estimatr is missing and
# cannot be installed.
#
# Environment: BUILD (default build), REPS (bootstrap draws on both sides,
# default 999), SEED (default 1), INDICATORS (comma-separated, default the
# seven primary indicators), AREAS / MUNICIPALITIES (default 1300 / 35).
set -eu

BUILD=${BUILD:-build}
BIN=$BUILD/wijkeval
REPS=${REPS:-999}
SEED=${SEED:-1}
AREAS=${AREAS:-1300}
MUNICIPALITIES=${MUNICIPALITIES:-35}
INDICATORS=${INDICATORS:-actief_voor_buurt_pct,sociale_cohesie_score,dagen_signaal_tot_actie,huishoudens_bereikt_per_1000,doorlooptijd_vergunning_dagen,ervaren_gezondheid_goed_pct,zelfredzaamheid_score}
OUT=$BUILD/bench-compare
PANEL=$OUT/panel
HERE=$(dirname "$0")

[ -x "$BIN" ] || { echo "bench-compare: $BIN not found; run make first" >&2; exit 2; }

# ---- R ---------------------------------------------------------------------
r_ready() {
    command -v Rscript >/dev/null 2>&1 &&
        Rscript -e 'suppressPackageStartupMessages(library(estimatr))' \
            >/dev/null 2>&1
}
if ! r_ready; then
    pkgs="r-base-core r-cran-estimatr r-cran-data.table"
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "bench-compare: installing $pkgs" >&2
        export DEBIAN_FRONTEND=noninteractive
        # shellcheck disable=SC2086
        { apt-get install -y -qq --no-install-recommends $pkgs ||
            { apt-get update -qq &&
              apt-get install -y -qq --no-install-recommends $pkgs; }; } \
            >/dev/null 2>&1 || true
    fi
    if ! r_ready; then
        echo "bench-compare: skipped: needs Rscript with the estimatr package" \
             "(Debian: $pkgs)" >&2
        exit 0
    fi
fi

# ---- the panel: a tenth of `simulate --national` --------------------------
mkdir -p "$OUT"
want="$AREAS buurten in $MUNICIPALITIES municipalities"
if ! grep -q "$want" "$PANEL/README.md" 2>/dev/null ||
   [ ! -s "$PANEL/indicators.csv" ]; then
    rm -rf "$PANEL"
    "$BIN" simulate --national --out "$PANEL" --areas "$AREAS" \
        --municipalities "$MUNICIPALITIES" >/dev/null
fi

now_ns() { date +%s%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# ---- wijkeval: one `estimate` run for all indicators ------------------------
# The panel is read once, as R reads it once; each indicator is estimated
# as if alone (same design and seed).
WJ=$OUT/wijkeval.csv
t0=$(now_ns)
"$BIN" estimate --data "$PANEL/indicators.csv" --areas "$PANEL/areas.csv" \
    --catalog "$PANEL/catalog.csv" --treatment "$PANEL/treatment.csv" \
    --indicator "$INDICATORS" --method twfe --cluster municipality \
    --inference wild --reps "$REPS" --weights rademacher --seed "$SEED" \
    --json > "$OUT/wijkeval.json"
t1=$(now_ns)
python3 - "$OUT/wijkeval.json" > "$WJ.tmp" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows if isinstance(rows, list) else [rows]
print("indicator,n_obs,estimate,se,p_wild")
for r in rows:
    print("%s,%d,%.17g,%.17g,%.17g" % (r["indicator"], r["n_obs"],
          r["estimate"], r["se"], r["p_value"]))
PY
mv "$WJ.tmp" "$WJ"
t_wj=$(seconds "$t0" "$t1")

# ---- R ---------------------------------------------------------------------
RC=$OUT/r.csv
t0=$(now_ns)
Rscript "$HERE/reference.R" --data "$PANEL" --indicators "$INDICATORS" \
    --reps "$REPS" --seed "$SEED" --out "$RC" 2> "$OUT/r.log" || {
    cat "$OUT/r.log" >&2
    echo "bench-compare: bench/reference.R failed" >&2
    exit 1
}
t1=$(now_ns)
t_r=$(seconds "$t0" "$t1")

# ---- compare ---------------------------------------------------------------
echo "bench-compare: $want, 20 periods; TWFE, CR1 by municipality," \
     "wild cluster bootstrap (WCR, Rademacher, $REPS draws)"
echo
status=0
awk -F, -v reps="$REPS" '
    function rel(a, b,  d, m) {
        d = a - b; if (d < 0) d = -d
        m = (a < 0 ? -a : a); if ((b < 0 ? -b : b) > m) m = (b < 0 ? -b : b)
        return m > 0 ? d / m : 0
    }
    FNR == 1 { next }
    FNR == NR { n[$1] = $2; e[$1] = $3; s[$1] = $4; p[$1] = $5; next }
    {
        ind = $1; count++
        if (!(ind in e)) { printf "%s: no wijkeval result\n", ind; bad++; next }
        pm = (p[ind] + $7) / 2
        tol = 4 * sqrt(2 * pm * (1 - pm) / reps) + 1 / reps
        re = rel(e[ind], $4); rs = rel(s[ind], $5); dp = p[ind] - $7
        if (dp < 0) dp = -dp
        flag = ""
        if (n[ind] != $2) flag = flag " n_obs " n[ind] " vs " $2
        if (re > 1e-8) flag = flag " estimate"
        if (rs > 1e-8) flag = flag " se"
        if (dp > tol) flag = flag " p-value"
        if (flag != "") bad++
        printf "| %s | %.10g | %.10g | %.1e | %.10g | %.10g | %.1e | %.4f | %.4f |%s\n",
            ind, e[ind], $4, re, s[ind], $5, rs, p[ind], $7,
            flag == "" ? "" : " MISMATCH:" flag
        if (re > maxe) maxe = re
        if (rs > maxs) maxs = rs
    }
    BEGIN {
        print "| indicator | wijkeval est | R est | rel diff | wijkeval se | R se | rel diff | p wijkeval | p R |"
        print "|---|---|---|---|---|---|---|---|---|"
    }
    END {
        printf "\nlargest relative difference: estimate %.1e, se %.1e " \
               "(allowed 1e-8); p-values within 4 sd of the difference " \
               "of two %d-draw estimates + 1/%d\n", maxe, maxs, reps, reps
        if (count == 0) { print "no R results"; exit 1 }
        exit bad > 0
    }
' "$WJ" "$RC" || status=1

echo
cat "$OUT/r.log"
awk -v w="$t_wj" -v r="$t_r" 'BEGIN {
    printf "time: wijkeval %.2f s (one estimate run, all indicators), " \
           "R %.2f s (Rscript bench/reference.R)\n", w, r
    printf "ratio R / wijkeval: %.0fx (goal: at least 100x)\n", r / w
}'
if [ "$status" -ne 0 ]; then
    echo "bench-compare: FAILED: wijkeval and R disagree (see MISMATCH)" >&2
    exit 1
fi
