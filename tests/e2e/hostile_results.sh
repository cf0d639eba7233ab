#!/bin/sh
# Numbers that cannot be true are refused (host/result_check.h): a plugin
# built out of tree against the installed SDK emits, one fault per run,
# a p-value of 7.5, a negative SE, a reversed interval, a second primary
# indicator, and ignores what emit_result returns. Each run, next to the
# seven experiments, ends with exit 1; the hostile experiment is "failed"
# with a message naming the indicator, the method, the field and the
# value, and has no results; the seven report exactly what a run without
# it reports.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sdk_env"

SEVEN="achter_de_voordeur bewonersparticipatie bureaucratie gezonde_wijk samenhang slagkracht vernieuwend_welzijn"

mkdir "$TMP/plug"
cat >"$TMP/hostile.c" <<'EOF'
/* Emits a TWFE estimate of its primary indicator with one field made
 * impossible (settings: fault, default p), and returns WE_OK whatever the host
 * says. */
#include <string.h>
#include <wijkeval/plugin.h>

static const we_indicator_spec indicators[] = {
    {"tevreden_woonomgeving_pct", WE_ROLE_PRIMARY, WE_DIRECTION_FROM_CATALOG},
    {"rapportcijfer_woonomgeving", WE_ROLE_SECONDARY,
     WE_DIRECTION_FROM_CATALOG},
};

static const we_setting_spec settings[] = {
    {"fault", WE_SETTING_STRING, "p, se, interval or primary"},
};

static int evaluate(const we_host *h, we_ctx *ctx, void *state)
{
    (void)state;
    const char *fault = "p"; /* also for check-plugin, which sets none */
    h->setting_string(ctx, "fault", &fault);
    we_estimate e = {.struct_size = sizeof e};
    int rc = h->estimate(ctx, indicators[0].name, WE_METHOD_TWFE, &e);
    if (rc != WE_OK)
        return rc;
    if (strcmp(fault, "p") == 0)
        e.p_value = 7.5;
    else if (strcmp(fault, "se") == 0)
        e.se = -1;
    else if (strcmp(fault, "interval") == 0) {
        double low = e.ci_low;
        e.ci_low = e.ci_high;
        e.ci_high = low;
    }
    h->emit_result(ctx, indicators[0].name, WE_ROLE_PRIMARY, &e);
    if (strcmp(fault, "primary") == 0 &&
        h->estimate(ctx, indicators[1].name, WE_METHOD_TWFE, &e) == WE_OK)
        h->emit_result(ctx, indicators[1].name, WE_ROLE_PRIMARY, &e);
    return h->emit_metric(ctx, "faults", 1, "count", "faults emitted");
}

static const we_plugin_descriptor descriptor = {
    WE_DESCRIPTOR_HEADER,
    .id = "hostile", .title_nl = "Vijandig", .title_en = "Hostile",
    .version = "1.0.0", .summary = "Emits a number that cannot be true.",
    .indicators = indicators, .n_indicators = 2,
    .settings = settings, .n_settings = 1, .evaluate = evaluate,
};

WE_PLUGIN_DEFINE(descriptor)
EOF
expect_exit 0 sh -c "cc \$(pkg-config --cflags wijkeval-plugin) -std=c11 -Wall -Wextra -Werror -shared -fPIC -o '$TMP/plug/hostile.so' '$TMP/hostile.c'"
ok "hostile.so built out of tree with pkg-config"

# config NAME [FAULT]: the demo config, with the hostile experiment added
# when FAULT is given.
config() {
    add=
    [ $# -lt 2 ] || add=", { plugin = \"hostile\"; settings = { fault = \"$2\"; }; }"
    sed -e "s|\"\.\./data/|\"$ROOT/data/|" \
        -e "s|{ plugin = \"vernieuwend_welzijn\"; }|&$add|" \
        "$ROOT/configs/demo.cfg" >"$TMP/$1.cfg"
    [ $# -lt 2 ] || grep -q "fault = \"$2\"" "$TMP/$1.cfg" ||
        fail "the demo config has no vernieuwend_welzijn entry to add to"
}

config clean
expect_exit 0 wijkeval run "$TMP/clean.cfg" -q -o "$TMP/clean" --plugin-dir "$TMP/plug"
ok "the seven without the hostile plugin: exit 0"

# fault FAULT TEXT: the run exits 1; the hostile experiment failed with
# TEXT and has no results; the seven equal the clean run's.
fault() {
    config "$1" "$1"
    expect_exit 1 wijkeval run "$TMP/$1.cfg" -q -o "$TMP/$1" --plugin-dir "$TMP/plug"
    pycheck "fault $1" '
import json, sys
clean, bad, text, seven = sys.argv[1:5]
a = {e["id"]: e for e in json.load(open(clean))["experiments"]}
b = {e["id"]: e for e in json.load(open(bad))["experiments"]}
if sorted(b) != sorted(seven.split() + ["hostile"]):
    sys.exit("experiments %s" % sorted(b))
h = b["hostile"]
if h["status"] != "failed" or text not in (h["error"] or "") or h["results"]:
    sys.exit("hostile: %s, %d results, error %r\n  lacks %r"
             % (h["status"], len(h["results"]), h["error"], text))
for i in seven.split():
    if a[i] != b[i]:
        diff = [k for k in a[i] if a[i][k] != b[i].get(k)]
        sys.exit("%s differs from the clean run in %s" % (i, diff))
print("ok   %s: hostile failed: %s; the seven identical" % (sys.argv[5], h["error"]))
' "$TMP/clean/demo/report.json" "$TMP/$1/demo/report.json" "$2" "$SEVEN" "$1"
}

R="evaluate: the host refused a result and the plugin went on: emit_result: 'tevreden_woonomgeving_pct' (twfe)"
fault p "$R: p_value is 7.5, outside [0, 1]; a p-value is a probability"
fault se "$R: se is -1, not a finite number >= 0"
fault interval "$R: ci_low..ci_high is ["
pycheck "the reversed interval's message" '
import json, sys
e = json.load(open(sys.argv[1]))["experiments"]
h = [x for x in e if x["id"] == "hostile"][0]
if "], reversed; emit the interval host->estimate gives" not in h["error"]:
    sys.exit(h["error"])
' "$TMP/interval/demo/report.json"
fault primary "emit_result: 'rapportcijfer_woonomgeving' (twfe): role is primary, but this experiment has 'rapportcijfer_woonomgeving' as a secondary indicator"

# The plugin author's harness reports the same refusal.
expect_exit 1 wijkeval check-plugin "$TMP/plug/hostile.so"
expect_contains "$STDOUT" "[FAIL] the host refused no result or metric: emit_result: 'tevreden_woonomgeving_pct' (twfe)"
