#!/bin/sh
# The simulation study of the estimators (tests/validate/validate.c) in its
# quick form: 200 panels per scenario, 199 bootstrap draws. `make validate`
# runs the full study (docs/validation.md).
#
# Each bound is three Monte Carlo standard errors around what a correct
# method must give: with R panels a rate near p has the standard error
# sqrt(p (1 - p) / R), so at R = 200 coverage lies in 0.95 +- 0.046 and a
# 5% test rejects in 0.05 +- 0.046 of the null panels. A bias lies within
# three of its own standard errors (sd / sqrt(R)) of its expected value.
# The run is seeded, so the outcome is the same on every machine; a
# correct method passes one such check with probability 0.997.
. "$(dirname "$0")/lib.sh"

V=$WE_BUILD/tests/validate/validate
[ -x "$V" ] || fail "$V is not built; run make test"

# ---- usage errors ----------------------------------------------------------
expect_exit 2 "$V" --reps many
expect_stderr "--reps: 'many' is not an integer"
expect_exit 2 "$V" --bogus
expect_stderr "unknown option '--bogus'"
expect_exit 2 "$V" --boot-reps 5
expect_stderr "--boot-reps >= 19"
expect_exit 1 "$V" --csv "$TMP/no/such/dir/v.csv"
expect_stderr "cannot write" "give a writable path to --csv"
expect_absent "$TMP/no"
expect_exit 0 "$V" --help
expect_contains "$STDOUT" "usage: validate"

# ---- the quick study -------------------------------------------------------
CSV=$TMP/validate.csv
expect_exit 0 "$V" --quick --csv "$CSV"
expect_contains "$STDOUT" "| TWFE, wild bootstrap, Rademacher |" \
    "comparison wijken only in the 18 municipalities (G = 18)"

R=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "reps") c = i }
             NR == 2 { print $c }' "$CSV")
[ "$R" = 200 ] || fail "--quick ran $R replications, expected 200"
ok "--quick ran 200 replications per scenario"

# value SCENARIO METHOD COLUMN: one figure of the CSV.
value() {
    awk -F, -v s="$1" -v m="$2" -v c="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $(col["scenario"]) == s && $(col["method"]) == m {
            print $(col[c]); found = 1
        }
        END { if (!found || !(c in col)) exit 1 }' "$CSV" ||
        fail "no $3 for $1 $2 in the CSV"
}

# within SCENARIO METHOD COLUMN LOW HIGH WHY
within() {
    x=$(value "$1" "$2" "$3")
    awk -v x="$x" -v lo="$4" -v hi="$5" \
        'BEGIN { exit !(x != "" && x + 0 >= lo && x + 0 <= hi) }' ||
        fail "$1 $2: $3 = ${x:-missing}, outside [$4, $5]: $6"
    ok "$1 $2: $3 = $x in [$4, $5]"
}

# bias_near SCENARIO METHOD EXPECTED: bias within 3 standard errors.
bias_near() {
    b=$(value "$1" "$2" bias)
    se=$(value "$1" "$2" bias_se)
    awk -v b="$b" -v se="$se" -v e="$3" \
        'BEGIN { d = b - e; if (d < 0) d = -d
                 exit !(se > 0 && d <= 3 * se) }' ||
        fail "$1 $2: bias $b is more than 3 x $se from $3"
    ok "$1 $2: bias $b within 3 x $se of $3"
}

bound() { # p k: p - k sqrt(p (1 - p) / R), and + with a negative k
    awk -v p="$1" -v k="$2" -v r="$R" \
        'BEGIN { printf "%.4f", p - k * sqrt(p * (1 - p) / r) }'
}
COVER_LO=$(bound 0.95 3)
COVER_HI=$(bound 0.95 -3)
SIZE_LO=$(bound 0.05 3)
SIZE_HI=$(bound 0.05 -3)
POWER_LO=$(bound 0.80 3)
POWER_HI=$(bound 0.80 -3)

# Every method gives a result on every panel of every scenario.
rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    { n++ }
    $(col["failures"]) != 0 { print $(col["scenario"]), $(col["method"]) }
    END { if (n != 33) print "rows:", n }' "$CSV")
[ -z "$rows" ] ||
    fail "failures on simulated panels, or not 3 x 11 rows: $rows"
ok "33 rows (3 scenarios x 11 methods), no failures"

for s in wave1_g30 wave2_g30 wave1_g18; do
    # The true effect is constant, so TWFE is unbiased with one wave or two.
    bias_near "$s" twfe_cr1 0
    # The wild bootstrap is the inference for few clusters: it must hold
    # its level, and its intervals must neither under- nor over-cover.
    for m in twfe_wild_rademacher twfe_wild_webb; do
        within "$s" "$m" coverage "$COVER_LO" "$COVER_HI" "wild interval"
        within "$s" "$m" size "$SIZE_LO" "$SIZE_HI" "wild test under tau = 0"
    done
    # Within municipalities the simulated wijken are exchangeable, so the
    # permutation test is exact.
    within "$s" ri_municipality size "$SIZE_LO" "$SIZE_HI" "exact RI"
    # No pre-trend is simulated.
    within "$s" pretrend_wild size "$SIZE_LO" "$SIZE_HI" "bootstrap pre-trend"
    # The MDE is defined for the CR1 test: at the MDE it has power 0.8.
    within "$s" mde_power_cr1 power "$POWER_LO" "$POWER_HI" "power at the MDE"
    # CR1 is liberal with few clusters, never conservative: an upper bound
    # on its coverage catches too few degrees of freedom or too large an SE.
    within "$s" twfe_cr1 coverage 0 "$COVER_HI" "CR1 interval"
    # pre/post measures the change of the treated wijken, period effects
    # included: the simulated trend of 0.1 a year adds 0.5 from 2007 to 2012.
    bias_near "$s" pre_post 0.5
done
# With one wave every treated wijk is treated over all follow-ups, so the
# 2x2 DiD is unbiased too (with two waves it is not: docs/methods.md).
bias_near wave1_g30 did_2x2_cr1 0
bias_near wave1_g18 did_2x2_cr1 0
