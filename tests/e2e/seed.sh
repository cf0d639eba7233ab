# The seed is honoured: the same config and seed give the same report
# (checked in run_demo.sh); another seed changes only the Monte-Carlo
# parts: bootstrap p-values and intervals, permutation p-values, the
# simulated power of the MDE, the simulated MDE of a design headline (cs,
# sc, sdid), and what follows from those p-values
# (adjusted p, evidence). Estimates, standard errors, event-study
# coefficients, effect sizes and the analytic MDE stay exactly the same.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$W" run configs/demo.cfg -q --seed 1 -o "$TMP/a"
expect_exit 0 "$W" run configs/demo.cfg -q --seed 2 -o "$TMP/b"

pycheck "another seed changed more than the Monte-Carlo parts" '
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
if a["run"]["seed"] != 1 or b["run"]["seed"] != 2:
    sys.exit("run.seed does not record --seed")

# Fields that depend on random draws, per result.
MC = {"p_value", "ci_low", "ci_high", "p_adjusted", "evidence",
      "randomization"}

def strip(r):
    r = dict(r)
    # The SDID placebo permutation test draws its assignments at random
    # when they are too many to enumerate.
    wild = r["inference"]["method"].startswith("wild") or \
        (r["method"] == "sdid" and r["inference"]["method"] == "placebo")
    for k in MC:
        if k in ("p_value", "ci_low", "ci_high") and not wild:
            continue
        r.pop(k, None)
    es = r.get("effect_size")
    if es and wild:
        es = dict(es)
        es.pop("glass_ci"); es.pop("hedges_ci")  # scaled bootstrap CI
        r["effect_size"] = es
    ev = r.get("event_study")
    if ev:
        ev = dict(ev); pt = dict(ev["pretrend"]); pt.pop("boot_p")
        ev["pretrend"] = pt; r["event_study"] = ev
        r.pop("pretrend_p", None)  # the bootstrap version under wild
    r.pop("pretrend_p", None)  # a bootstrap p when the run bootstraps
    cs = r.get("callaway_santanna")
    if cs:  # the multiplier bootstrap bands and SEs are Monte Carlo
        def nob(v):
            if isinstance(v, dict):
                return {k: nob(x) for k, x in v.items()
                        if k not in ("band_low", "band_high", "band_crit")}
            if isinstance(v, list):
                return [nob(x) for x in v]
            return v
        r["callaway_santanna"] = nob(cs)
    if r.get("mde"):
        m = dict(r["mde"]); m.pop("simulated_power")
        if m.get("method") == "simulation":  # a design MDE is simulated
            m.pop("value"); m.pop("simulated_sd")
        r["mde"] = m
    return r

changed = 0
for ea, eb in zip(a["experiments"], b["experiments"]):
    for ra, rb in zip(ea["results"], eb["results"]):
        if strip(ra) != strip(rb):
            sys.exit("%s %s %s: a non-Monte-Carlo field differs"
                     % (ea["id"], ra["indicator"], ra["method"]))
        changed += ra != rb
if changed == 0:
    sys.exit("no Monte-Carlo field changed with the seed")
print("ok   seed 1 vs 2: only Monte-Carlo fields differ (%d results)" % changed)
' "$TMP/a/demo/report.json" "$TMP/b/demo/report.json"
