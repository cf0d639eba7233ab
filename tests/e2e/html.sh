#!/bin/sh
# report.html in a real browser: the demo, with one wijk renamed to
# <script>alert(1)</script>, rendered in headless Chromium (driven over
# the DevTools pipe by render_html.py). Checks: no console errors, no
# network requests, the programme and seven experiment sections, the
# policy return,
# the programme row on the first screen (marked as the general approach,
# its reason in programme words) and on top of the forest plot,
# targets, early warning and displacement sections (three wijken of the copy made to
# slide: the watch list and its small multiples), the forest plot, the
# hostile name shown as text; a screenshot of the first page. Then the
# Dutch report: it renders too, and report.json is the same number for
# number.
#
# Chromium is installed with apt-get when it is missing and we are root;
# otherwise the script skips with a message (exit 0).
. "$(dirname "$0")/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
HOSTILE='<script>alert(1)</script>'

if [ ! -x "$CHROMIUM" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium (apt-get install -y chromium) ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1 ||
        { apt-get update >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null 2>&1; } || true
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "SKIP: html.sh: $CHROMIUM not found and it cannot be installed here" \
         "(needs root and apt-get); install the Debian package chromium to run" \
         "this test"
    exit 0
fi
ok "browser: $($CHROMIUM --version 2>/dev/null | tail -n 1)"

# The demo data with the first treated wijk renamed.
mkdir "$TMP/data"
cp "$DEMO"/catalog.csv "$DEMO"/indicators.csv "$DEMO"/treatment.csv \
    "$DEMO"/targets.csv "$DEMO"/costs.csv "$DEMO"/adjacency.csv \
    "$DEMO"/municipalities.csv "$DEMO"/assignment.csv "$TMP/data/"
FIRST=$(sed -n 2p "$DEMO/treatment.csv" | cut -d, -f1)
awk -F, -v OFS=, -v code="$FIRST" -v name="$HOSTILE" \
    '$1 == code { $2 = name } { print }' "$DEMO/areas.csv" >"$TMP/data/areas.csv"
grep -F -q "$FIRST,$HOSTILE," "$TMP/data/areas.csv" ||
    fail "could not rename $FIRST in a copy of areas.csv"
ok "wijk $FIRST renamed to $HOSTILE in a copy of the demo data"
N_HOSTILE=$(( $(grep -c ",$FIRST," "$DEMO/assignment.csv" || true) + $(grep -Ec "^(slagkracht|gezonde_wijk),$FIRST," "$DEMO/assignment.csv" || true) + 1 ))
export N_HOSTILE
# Three untreated wijken made to slide, so that the early warning has a
# watch list and its small multiples to draw.
python3 - "$TMP/data/indicators.csv" <<'PY' || fail "could not inject the slide"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
for r in rows[1:]:
    if r[0] in ("WK003402", "WK015304", "WK020003") and r[3] not in ("", ".", "x", "-", "?") and int(r[1]) >= 2005:
        k = int(r[1]) - 2004
        if r[2] == "rapportcijfer_woonomgeving":
            r[3] = "%.4f" % (float(r[3]) - 0.25 * k)
        elif r[2] == "verloedering_score":
            r[3] = "%.4f" % (float(r[3]) + 0.35 * k)
csv.writer(open(sys.argv[1], "w", newline=""), lineterminator="\n").writerows(rows)
PY
ok "three untreated wijken made to slide in the copy"

# The demo config, pointed at the copy; a Dutch variant.
sed -e "s|\.\./data/demo/|$TMP/data/|g" configs/demo.cfg >"$TMP/en.cfg"
{ cat "$TMP/en.cfg"; echo 'report = { language = "nl"; };'; } >"$TMP/nl.cfg"
# Without -q, to keep the terminal's summary and "report written to"
# lines of both languages.
expect_exit 0 "$W" run "$TMP/en.cfg" -o "$TMP/en" --plugin-dir "$WE_BUILD/plugins"
cp "$STDOUT" "$TMP/en.out"
expect_exit 0 "$W" run "$TMP/nl.cfg" -o "$TMP/nl" --plugin-dir "$WE_BUILD/plugins"
cp "$STDOUT" "$TMP/nl.out"
expect_contains "$TMP/en/demo/report.html" \
    "&lt;script&gt;alert(1)&lt;/script&gt;"

render() { # LANG: renders $TMP/LANG/demo/report.html into $TMP/LANG.json
    if ! python3 tests/e2e/render_html.py "$TMP/$1/demo/report.html" \
        --chromium "$CHROMIUM" --screenshot "$TMP/$1.png" \
        --hostile "$HOSTILE" >"$TMP/$1.json" 2>"$TMP/$1.err"; then
        cat "$TMP/$1.err" >&2
        fail "Chromium did not render the $1 report"
    fi
    ok "rendered the $1 report in headless Chromium"
}
render en
render nl

pycheck "the rendered reports" '
import json, os, struct, sys
tmp, hostile = sys.argv[1], sys.argv[2]
def check(cond, msg):
    if not cond:
        sys.exit(msg)
    print("ok   " + msg)
for lang in ("en", "nl"):
    r = json.load(open("%s/%s.json" % (tmp, lang)))
    f = r["facts"]
    check(r["console_errors"] == [], "%s: no console errors %r"
          % (lang, r["console_errors"]))
    check(r["requests"] == [], "%s: no network requests %r"
          % (lang, r["requests"]))
    check(r["dialogs"] == [], "%s: no dialog opened (alert) %r"
          % (lang, r["dialogs"]))
    check(f["lang"] == lang, "%s: <html lang=%r>" % (lang, f["lang"]))
    check(f["sections"] == 8, "%s: the programme and seven experiment sections (%d)"
          % (lang, f["sections"]))
    check(f["goal_sections"] == ["policy-return", "targets", "early-warning",
                                 "displacement"],
          "%s: the policy return, targets, early warning and displacement "
          "sections %r"
          % (lang, f["goal_sections"]))
    check(f["watch_rows"] >= 3 and f["small_charts"] == f["watch_rows"],
          "%s: the watch list (%d wijken) and one small chart each (%d)"
          % (lang, f["watch_rows"], f["small_charts"]))
    check(f["policy_rows"] == 7, "%s: one policy return row per experiment (%d)"
          % (lang, f["policy_rows"]))
    check(f["forest"] and f["forest_rows"] == 8 and len(f["forest_top"]) == 1
          and f["forest_top"][0].startswith("Wijkenaanpak"),
          "%s: the forest plot, the programme on top (%r) and one row per "
          "experiment (%d rows)" % (lang, f["forest_top"], f["forest_rows"]))
    fp = f["front_programme"]
    tag = {"en": "General approach", "nl": "Algemene aanpak"}[lang]
    check(len(fp) == 1 and fp[0]["href"] == "#exp-programme" and
          fp[0]["tag"] == tag and "experiment" not in fp[0]["text"].split(")", 1)[1]
          .replace("experimenten", ""),
          "%s: the first screen lists the programme as the general approach, "
          "its reason in programme words: %r" % (lang, fp[0]["text"][:160] if fp else None))
    check(f["trend_charts"] == 8 and f["event_charts"] == 8,
          "%s: a trend and an event-study chart per experiment and the programme (%d, %d)"
          % (lang, f["trend_charts"], f["event_charts"]))
    check(f["scripts"] == 0, "%s: no <script> element in the document"
          % lang)
    # One table row per section that treats the renamed wijk (the
    # programme and its experiments in assignment.csv) shows it, and one
    # in each per-wijk metric table (ABI 1.3) of its experiments that
    # emit one (slagkracht, gezonde_wijk), as plain text: the cell has no
    # child elements.
    n_hostile = int(os.environ["N_HOSTILE"])
    check(f["hostile_cells"] == n_hostile and
          f["hostile_cell_children"] == [0] * n_hostile,
          "%s: the hostile wijk name is shown as text, in %d cells"
          % (lang, f["hostile_cells"]))
    check(f["width"] <= f["viewport"],
          "%s: nothing wider than the page (%d <= %d px)"
          % (lang, f["width"], f["viewport"]))
    png = open("%s/%s.png" % (tmp, lang), "rb").read()
    w, h = struct.unpack(">II", png[16:24])
    check(png[:8] == b"\x89PNG\r\n\x1a\n" and (w, h) == (1000, 1414),
          "%s: screenshot of the first page, %dx%d PNG" % (lang, w, h))
' "$TMP" "$HOSTILE"

# Switching the language changes words and number formats, never numbers.
pycheck "the languages agree on every number" '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for r in (a, b):
    for k in ("started", "finished", "config", "config_sha256"):
        r["run"].pop(k, None)
if a != b:
    sys.exit("report.json differs between the English and the Dutch run")
print("ok   report.json identical in English and Dutch (apart from the "
      "config file and the times)")
' "$TMP/en/demo/report.json" "$TMP/nl/demo/report.json"
expect_same "$TMP/en/demo/results.csv" "$TMP/nl/demo/results.csv"
expect_contains "$TMP/nl/demo/report.html" '<html lang="nl">' "Oordeel per experiment" \
    "Gestandaardiseerd effect"
pycheck "Dutch numbers" '
import re, sys
nl = open(sys.argv[1], encoding="utf-8").read()
en = open(sys.argv[2], encoding="utf-8").read()
# The forest plot values: "0.65 [0.53, 0.78]" in English is
# "0,65 [0,53; 0,78]" in Dutch.
pat_en = re.compile(r">(\u2212?\d+\.\d\d) \[(\u2212?\d+\.\d\d), (\u2212?\d+\.\d\d)\]<")
pat_nl = re.compile(r">(\u2212?\d+,\d\d) \[(\u2212?\d+,\d\d); (\u2212?\d+,\d\d)\]<")
e, n = pat_en.findall(en), pat_nl.findall(nl)
if len(e) < 7 or [tuple(x.replace(".", ",") for x in t) for t in e] != n:
    sys.exit("forest values differ: en %r, nl %r" % (e, n))
print("ok   the seven forest values, with decimal commas in Dutch: %r" % (n,))
' "$TMP/nl/demo/report.html" "$TMP/en/demo/report.html"

# ---- issue 15: a page a director-general can read and print ---------------
# At 1280 px no table is wider than its container (nothing scrolls
# sideways); the printed A4 PDF (the page's own print style) holds the
# verdicts, the costs and the forest plot on page 1 and has no blank page;
# the table of contents' links all land; the simulated-data banner, the
# report date and the data vintage are at the top.
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null ||
    { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive \
          apt-get install -y poppler-utils >/dev/null 2>&1; } || true
for lang in en nl; do
    python3 tests/e2e/render_html.py "$TMP/$lang/demo/report.html" \
        --chromium "$CHROMIUM" --width 1280 --height 900 \
        --screenshot "$TMP/$lang-1280.png" --pdf "$TMP/$lang.pdf" \
        >"$TMP/$lang-1280.json" 2>"$TMP/$lang-1280.err" ||
        { cat "$TMP/$lang-1280.err" >&2; fail "Chromium did not print the $lang report"; }
done
ok "rendered both reports at 1280 px and printed them to A4 PDF"
pycheck "1280 px, contents, banner, date" '
import json, sys
tmp = sys.argv[1]
def check(cond, msg):
    if not cond:
        sys.exit(msg)
    print("ok   " + msg)
for lang, words in (("en", ("Report date", "Data vintage", "2012")),
                    ("nl", ("Rapportdatum", "Stand van de gegevens", "2012"))):
    f = json.load(open("%s/%s-1280.json" % (tmp, lang)))["facts"]
    check(f["wide_tables"] == [] and f["scrolling"] == [],
          "%s: at 1280 px no table is wider than its container %r %r"
          % (lang, f["wide_tables"], f["scrolling"]))
    check(f["width"] <= f["viewport"], "%s: the page is not wider than 1280 px"
          % lang)
    check(f["toc_links"] >= 12 and f["toc_broken"] == [],
          "%s: table of contents, %d links, none broken %r"
          % (lang, f["toc_links"], f["toc_broken"]))
    check(f["simulated_banner"], "%s: the simulated-data banner (data.simulated)"
          % lang)
    check(all(w in f["dateline"] for w in words),
          "%s: report date and data vintage at the top: %r" % (lang, f["dateline"]))
' "$TMP"

if ! command -v pdftotext >/dev/null; then
    echo "SKIP: html.sh: the PDF checks need pdftotext and pdftoppm (Debian" \
         "package poppler-utils)"
    exit 0
fi
pdfcheck() { # LANG VERDICT-WORD COST-WORD
    pdf=$TMP/$1.pdf
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')
    [ "${pages:-0}" -ge 2 ] || fail "$1: the PDF has ${pages:-no} pages"
    pdftotext -layout -f 1 -l 1 "$pdf" "$TMP/$1-p1.txt"
    python3 - "$TMP/$1-p1.txt" "$TMP/$1/demo/report.json" "$2" "$3" "$1" <<'PY' || fail "$1: page 1 of the PDF"
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
rep = json.load(open(sys.argv[2]))
verdict_word, cost_word, lang = sys.argv[3:6]
titles = [(x.get("title") or {}).get(lang) or x["id"]
          for x in rep["experiments"]]
missing = [t for t in titles if text.count(t) < 2]  # verdict + forest row
if missing:
    sys.exit("page 1 lacks the verdict or forest row of %r" % missing)
if text.count(cost_word) < len(titles):
    sys.exit("page 1 has %d cost lines (%r), want %d"
             % (text.count(cost_word), cost_word, len(titles)))
if verdict_word not in text:
    sys.exit("page 1 lacks the verdicts heading %r" % verdict_word)
# The side effects (issue 15, i15a) are shown in the decision block when
# the report has them.
flat = " ".join(text.split())
for s in rep.get("side_effects", []) or []:
    # The sentence up to its first comma: the experiment, the indicator's
    # label and which way it went (the PDF wraps lines anywhere).
    sentence = ((s.get("text") or {}).get(lang) or "").split(",")[0]
    label = " ".join(sentence.split())
    if label and label not in flat:
        sys.exit("page 1 lacks the side effect %r" % label)
print("ok   %s: page 1 holds all %d verdicts, the forest plot rows and the cost lines"
      % (lang, len(titles)))
PY
    blank=""
    i=1
    while [ "$i" -le "$pages" ]; do
        words=$(pdftotext -f "$i" -l "$i" "$pdf" - | wc -w)
        [ "$words" -ge 15 ] || blank="$blank $i($words words)"
        i=$((i + 1))
    done
    [ -z "$blank" ] || fail "$1: nearly blank printed pages:$blank"
    ok "$1: none of the $pages printed pages is blank (15 words or more each)"
}
pdfcheck en "Verdict per experiment" "Costs:"
pdfcheck nl "Oordeel per experiment" "Kosten:"

# The Dutch report has none of the English fixed phrases that used to stay
# English (issue 15); the English one has them, so the list is alive.
pycheck "no English in the Dutch report" '
import re, sys
tmp = sys.argv[1]
def text(path):
    s = open(path, encoding="utf-8").read()
    s = re.sub(r"<style>.*?</style>", "", s, flags=re.S)
    return s
phrases = ["Level 3:", "pre-period check not rejected", "No aanwijzingen",
           "good-direction effect", "DiD with comparison wijken",
           "treatment starts in", "(event time)", "(per_1000)",
           "(score_0_10)", "(score_1_5)", "(days)", "(pct)",
           "budget_spent_by_deadline", "Glass\x27s", "event times",
           "as the config asks", "Report date", "Simulated data"]
nl = text(tmp + "/nl/demo/report.html")
en = text(tmp + "/en/demo/report.html")
found = [p for p in phrases if p in nl]
if found:
    sys.exit("the Dutch report.html still says %r" % found)
alive = [p for p in ("Level 3:", "pre-period check not rejected", "treatment starts in",
                     "(event time)", "Glass\x27s", "Report date", "Simulated data")
         if p in en]
if len(alive) < 7:
    sys.exit("the English report lacks phrases the list relies on: %r" % alive)
print("ok   the Dutch report.html has none of %d English phrases (the English "
      "one has them)" % len(phrases))
# report.md: the evidence and design reasons follow the language too.
md = open(tmp + "/nl/demo/report.md", encoding="utf-8").read()
md_phrases = ["Level 3:", "pre-period check not rejected", "No aanwijzingen",
              "good-direction effect", "DiD with comparison wijken",
              "treatment starts in", "Design of the headline"]
found = [p for p in md_phrases if p in md]
if found:
    sys.exit("the Dutch report.md still says %r" % found)
print("ok   the Dutch report.md has none of %d English reason phrases"
      % len(md_phrases))
# report.md is Dutch throughout: the headings and fixed sentences of every
# section (header, summary, programme and experiments, policy return,
# targets, early warning, displacement, methods, provenance). Every phrase
# must be in the English report.md, so the list cannot go stale.
md_en = open(tmp + "/en/demo/report.md", encoding="utf-8").read()
md_all = [
    # header and summary
    "Data: ", " areas, periods ", "baseline (nulmeting)", "; follow-up ",
    "Design: comparison group:", "standard errors clustered by",
    "% intervals.", "(95% CI)",
    # an experiment section
    "**Verdict:**", ", version ", "> **Warning:** pre-trends rejected",
    "already diverged before the start", "Headline: ",
    "- Standardised effect: Glass", "(positive is an improvement)",
    "- p-value and interval from:", "wild cluster bootstrap by",
    "This design could only detect effects larger than",
    "(in the indicator\x27s unit) with", "% power", "(by simulation: the spread",
    "simulated panels without an effect", "- Power of the pre-period check",
    "level 3 needs at least", "- Sensitivity to parallel-trend violations",
    "robust interval at Mbar = 1", "the conclusion survives",
    "- Adjusted across all headlines of the report",
    "(within the experiment:", "| Mark | Indicator | Role | Method |",
    "| Adjusted p | Evidence | Treated / control |", "| primary |",
    "| secondary |", "| before/after |", "(closing)", "(not closing)",
    "Each row is marked by the indicator\x27s good direction",
    "Event study of the headline", "| Event time | Estimate |",
    "Pre-trend test (all leads zero)",
    "Domain metrics:", "| Metric | Value | Unit | Description |",
    # policy return
    "## Policy return", "Costs in euros from", "Cost per resident:",
    "| Total cost (EUR) |", "Treated wijken with costs", " EUR per resident per ",
    "Ranking by cost per standard deviation", "not distinguishable from",
    "Not ranked, because the effect is not credible", "not credible |",
    "(pre-trends rejected)", "undefined: the effect",
    # targets
    "## Self-named targets per wijk", " targets from ",
    "judged on the data up to", "on track when the yearly change",
    "### Per municipality", "| Targets | Met | On track | Off track |",
    "| all |", "### Targets", "| Wijk | Target | Deadline | Status |",
    "Needed per year",
    # early warning
    "## Early warning", " areas tested, ", "on the watch list (window",
    "The composite is the weighted mean", "| Rank | Wijk | Municipality |",
    "standard deviations per year",
    # displacement
    "## Displacement: do problems move", "The ring: ",
    "untreated wijken next to a treated wijk",
    "each treated from the earliest start", "The ring is left out",
    "| Indicator | Better when | Effect in the ring |",
    "| Ring / far | Verdict |", "the ring worsened",
    "no evidence of displacement", "| lower |",
    # methods and provenance
    "## Methods", "- *before/after* (pre_post): change of",
    "two-way fixed-effects difference-in-differences",
    "- Inference of the TWFE effect:", "- Inference of the other methods:",
    "cluster-robust by", "paired t with n-1 df", "- Adjusted p: ",
    "- Standardised effects:", "- Event study: event times",
    "- Randomisation inference (primary TWFE)",
    "- Minimum detectable effect (primary TWFE)",
    "from pre-period variance components", "- Evidence levels:",
    "## Provenance", "- wijkeval version:", "- Configuration: ",
    "- Configuration SHA-256:", "- Data SHA-256:", "- Started:",
    "- Finished:"]
stale = [p for p in md_all if p not in md_en]
if stale:
    sys.exit("the English report.md lacks phrases the list relies on: %r"
             % stale)
found = [p for p in md_all if p in md]
if found:
    sys.exit("the Dutch report.md still says %r" % found)
# Dutch numbers in Dutch prose: the decimal comma (as the HTML writes them).
if not re.search(r"alfa 0,05", md) or re.search(r"\balpha 0\.05", md):
    sys.exit("the Dutch report.md does not write its numbers with a "
             "decimal comma")
print("ok   the Dutch report.md has none of %d English fixed phrases (the "
      "English one has them all), and decimal commas" % len(md_all))
# The terminal: its summary and "report written to" lines follow the
# language.
out_en = open(tmp + "/en.out", encoding="utf-8").read()
out_nl = open(tmp + "/nl.out", encoding="utf-8").read()
if "report written to " not in out_en:
    sys.exit("the English terminal lacks \"report written to\"")
if "report written to" in out_nl or "rapport geschreven naar " not in out_nl:
    sys.exit("the Dutch terminal does not say \"rapport geschreven naar\": %r"
             % out_nl[-400:])
term = ["experiment", "verdict", "side effects", "what happened"]
stale = [p for p in term if p not in out_en]
if stale:
    sys.exit("the English terminal lacks %r" % stale)
found = [p for p in ("verdict", "side effects", "what happened",
                     "report written") if p in out_nl]
if found:
    sys.exit("the Dutch terminal still says %r" % found)
print("ok   the terminal follows report.language (summary and the files "
      "written)")
# Metric ids are never shown: the metrics tables hold labels.
ids = re.findall(r"<td><code>([a-z0-9_]+)</code></td><td class=\"num\">", nl)
if ids:
    sys.exit("metric ids shown in the Dutch report: %r" % ids[:5])
print("ok   no metric ids in the metrics tables")
# Municipality names, not GM codes, in the tables.
gm = re.findall(r"<td>(GM\d{4})</td>", nl)
if gm or "Groningen</td>" not in nl or "Rotterdam</td>" not in nl:
    sys.exit("municipality codes instead of names: %r" % gm[:5])
print("ok   municipality names in the tables (Groningen, Rotterdam, ...)")
' "$TMP"
