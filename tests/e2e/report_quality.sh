#!/bin/sh
# The report says one thing, in one language (docs/evidence.md, "Verdict
# and label agree"; docs/report.md, "Verdicts"):
#
# - every headline's verdict agrees with its evidence label and with the
#   adjusted p-values report.json shows (better or worse only when the
#   headline is significant after the adjustment within its experiment
#   and across the report's headlines; better only with a label, and a
#   label that claims an effect only with better);
# - the Dutch report.md and report.html hold no English: none of the
#   English fixed phrases of the report's text catalogue
#   (core/src/report/report_lang_text.c, read here, so that the list
#   cannot go stale), none of the model's English sentences (read from
#   report.json: evidence reasons, the pre-period check, event-study
#   notes, descriptive reasons, inference descriptions), and no unit code
#   of the catalogue (data/demo/catalog.csv) where words belong;
# - no unit in a bracket inside a bracket ("(punt (schaal 0-10))"), in
#   either language.
# Each check is alive: the English report holds the phrases the Dutch one
# must not.
. "$(dirname "$0")/lib.sh"

sed -e 's#"\.\./#"'"$ROOT"'/#g' configs/demo.cfg >"$TMP/en.cfg"
{ cat "$TMP/en.cfg"; printf 'report = { language = "nl"; };\n'; } >"$TMP/nl.cfg"
expect_exit 0 "$W" run "$TMP/en.cfg" -q -o "$TMP/en" --plugin-dir "$WE_BUILD/plugins"
expect_exit 0 "$W" run "$TMP/nl.cfg" -q -o "$TMP/nl" --plugin-dir "$WE_BUILD/plugins"

pycheck "verdicts, evidence labels and adjusted p-values agree" '
import json, sys
r = json.load(open(sys.argv[1]))
alpha = r["run"]["alpha"]
adjust = r["run"]["inference"]["adjust"]
CLAIMS = {"eerste aanwijzingen", "goede aanwijzingen", "sterke aanwijzingen"}
rows = list(r["experiments"]) + ([r["programme"]] if r.get("programme") else [])
n = 0
for e in rows:
    if e["status"] != "ok" or e["headline"] is None:
        continue
    h = e["results"][e["headline"]]
    label = e["evidence"]["erkenning"]
    if label != h["evidence"]["erkenning"]:
        sys.exit("%s: the experiment and its headline row differ in label"
                 % e["id"])
    p_within = h["p_adjusted"]["value"]
    p_head = e["p_headlines"][adjust]
    p = max(x for x in (p_within, p_head) if x is not None)
    v = e["verdict"]
    if v in ("better", "worse") and not p < alpha:
        sys.exit("%s: %s with p = %g after the adjustment (within %s, "
                 "across headlines %s)" % (e["id"], v, p, p_within, p_head))
    if v == "better" and label not in CLAIMS:
        sys.exit("%s: better beside %r" % (e["id"], label))
    if label in CLAIMS and v != "better":
        sys.exit("%s: %r beside the verdict %s" % (e["id"], label, v))
    if label in CLAIMS and not p < alpha:
        sys.exit("%s: %r with p = %g after the adjustment" % (e["id"], label, p))
    n += 1
    print("ok   %s: %s, %s, adjusted p %.3g" % (e["id"], v, label, p))
if n < 7:
    sys.exit("only %d headlines judged" % n)
' "$TMP/en/demo/report.json"

pycheck "no English in the Dutch report" '
import csv, html, json, re, sys
catalogue, en_dir, nl_dir, catalog_csv = sys.argv[1:5]

def text_of(path):
    s = open(path, encoding="utf-8").read()
    if path.endswith(".html"):
        s = re.sub(r"<style>.*?</style>", "", s, flags=re.S)
        s = re.sub(r"<[^>]+>", " ", s)
        s = html.unescape(s)
    return re.sub(r"\s+", " ", s)

# The text catalogue: E(id, "en" "...", "nl" "...") with C string
# literals, their escapes decoded.
LIT = r"\"(?:\\.|[^\"\\])*\""
STR = r"((?:\s*%s)+)" % LIT
def cstr(group):
    out = b""
    for lit in re.findall(LIT, group):
        body, i = lit[1:-1], 0
        while i < len(body):
            c = body[i]
            if c != "\\":
                out += c.encode("utf-8")
                i += 1
                continue
            n = body[i + 1]
            if n == "x":
                m = re.match(r"[0-9a-fA-F]+", body[i + 2:]).group(0)
                out += bytes([int(m, 16)])
                i += 2 + len(m)
            elif n in "01234567":
                m = re.match(r"[0-7]{1,3}", body[i + 1:]).group(0)
                out += bytes([int(m, 8)])
                i += 1 + len(m)
            elif n in "uU":
                k = 4 if n == "u" else 8
                out += chr(int(body[i + 2:i + 2 + k], 16)).encode("utf-8")
                i += 2 + k
            else:
                out += {"n": b"\n", "t": b"\t"}.get(n, n.encode())
                i += 2
    return out.decode("utf-8")
src = re.sub(r"/\*.*?\*/", "", open(catalogue, encoding="utf-8").read(),
             flags=re.S)
pairs = [(m.group(1), cstr(m.group(2)), cstr(m.group(3))) for m in
         re.finditer(r"\bE\(\s*(T_\w+)\s*,%s\s*,%s\s*\)" % (STR, STR), src)]
ids = re.findall(r"X\((T_\w+)\)", open(catalogue.replace("_text.c", ".h"),
                                      encoding="utf-8").read())
if len(pairs) != len(ids) or len(ids) < 300:
    sys.exit("read %d texts from %s for %d ids" % (len(pairs), catalogue,
                                                    len(ids)))
all_nl = " ".join(nl for _, _, nl in pairs)
phrases = set()
for _, en, nl in pairs:
    if en == nl:
        continue
    for f in re.split(r"\{\d\}|%[-0-9.]*[a-z]+|\n|\*\*|\|", en):
        f = re.sub(r"\s+", " ", f).strip(" .,;:()#-")
        if len(f) >= 12 and len(f.split()) >= 3 and f not in all_nl:
            phrases.add(f)

# The model: English sentences of report.json (the targets are the
# targets file s own words; the Erkenningscommissie labels are Dutch in
# both languages).
ENGLISH = {"summary", "design_reason", "reasons", "family", "description",
           "descriptive_reason", "method", "target", "note", "check",
           "source", "en", "interval_note"}
model = set()
def walk(v, key):
    if isinstance(v, dict):
        for k, x in v.items():
            if k != "targets":
                walk(x, k)
    elif isinstance(v, list):
        for x in v:
            walk(x, key)
    elif isinstance(v, str) and key in ENGLISH:
        for f in re.split(r"[;:()\[\]]|, ", v):
            f = re.sub(r"\s+", " ", f).strip(" .,")
            if len(f) >= 12 and len(f.split()) >= 2 and \
                    "aanwijzingen" not in f.lower():
                model.add(f)
walk(json.load(open(en_dir + "/report.json")), None)

# Unit codes of the catalogue: never in the text where words belong.
codes = sorted({row["unit"] for row in csv.DictReader(open(catalog_csv))})
code_re = re.compile(r"(?<![\w.])(%s)(?![\w])" % "|".join(
    re.escape(c) for c in codes if "_" in c) + r"|\bper (%s)\b" % "|".join(
    re.escape(c) for c in codes if "_" not in c))
nested_unit = re.compile(r"\([^()]*\((?:Cito-)?(?:schaal|scale)[^()]*\)\)")

for name in ("report.md", "report.html"):
    nl = text_of(nl_dir + "/" + name)
    en = text_of(en_dir + "/" + name)
    for kind, found_set in (("catalogue", phrases), ("model", model)):
        found = sorted(f for f in found_set if f in nl)
        if found:
            sys.exit("the Dutch %s says these English %s phrases: %r"
                     % (name, kind, found[:10]))
        alive = [f for f in found_set if f in en]
        if len(alive) < 10:
            sys.exit("the English %s holds only %d of the %s phrases: the "
                     "check is not alive" % (name, len(alive), kind))
        print("ok   Dutch %s: none of %d English %s phrases (the English "
              "one has %d)" % (name, len(found_set), kind, len(alive)))
    m = code_re.search(nl)
    if m:
        sys.exit("the Dutch %s shows the unit code %r: ...%s..."
                 % (name, m.group(0), nl[max(0, m.start() - 60):m.end() + 20]))
    print("ok   Dutch %s: no unit code of %s" % (name, catalog_csv))
    for lang, t in (("Dutch", nl), ("English", en)):
        m = nested_unit.search(t)
        if m:
            sys.exit("the %s %s has a unit in a bracket in a bracket: %r"
                     % (lang, name, m.group(0)))
    print("ok   %s: no unit in a bracket in a bracket, in either language"
          % name)
' core/src/report/report_lang_text.c "$TMP/en/demo" "$TMP/nl/demo" data/demo/catalog.csv
