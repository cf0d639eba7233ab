# The event study and randomisation inference that plugins get through
# the host table give the same numbers as the host's own report of the
# same indicator (same data, design, window, permutations and seed).
. "$(dirname "$0")/lib.sh"

sed -e "s|\"\\.\\./data/demo/|\"$DEMO/|g" -e '/^experiments = (/,$d' \
    -e '/^  costs = /d' -e '/^  assignment = /d' \
    configs/demo.cfg > "$TMP/run.cfg"
echo 'experiments = ( { plugin = "fx_methods"; } );' >> "$TMP/run.cfg"
expect_exit 0 "$W" run "$TMP/run.cfg" -q -o "$TMP/out" \
    --plugin-dir "$WE_BUILD/tests/fixtures"

pycheck "host->event_study / randomization_p differ from the report" '
import json, sys
r = json.load(open(sys.argv[1]))
e = r["experiments"][0]
m = {x["name"]: x["value"] for x in e["metrics"]}
t = [x for x in e["results"] if x["method"] == "twfe"][0]
coefs = t["event_study"]["coefficients"]
lag0 = [c["estimate"] for c in coefs if c["rel_time"] == 0][0]
checks = [("pretrend_p", m["pretrend_p"], t["pretrend_p"]),
          ("event_lag0", m["event_lag0"], lag0),
          ("event_points", m["event_points"], len(coefs)),
          ("ri_p", m["ri_p"], t["randomization"]["p_value"]),
          ("ri_reps", m["ri_reps"], t["randomization"]["reps"])]
bad = [c for c in checks if c[1] != c[2]]
if bad:
    sys.exit("; ".join("%s: plugin %r, report %r" % b for b in bad))
print("ok   plugin and report agree: pretrend p %.4g, RI p %.4g"
      % (m["pretrend_p"], m["ri_p"]))
' "$TMP/out/demo/report.json"
