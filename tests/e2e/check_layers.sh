#!/bin/sh
# scripts/check-layers on a made-up tree in TMP: a tree that keeps the
# rules passes, and each rule broken once is reported as file:line, with
# exit status 1. A layer whose folder does not exist is skipped. The real
# core/src keeps every rule (make lint runs the same check).
. "$(dirname "$0")/lib.sh"

CHECK=$ROOT/scripts/check-layers
T=$TMP/src

# put FILE LINE...: writes the lines into $T/FILE.
put() {
    f=$T/$1
    shift
    mkdir -p "$(dirname "$f")"
    printf '%s\n' "$@" >"$f"
}

# ---- a tree that keeps every rule --------------------------------------
put util/error.h '#include <stdio.h>'
put model/panel.h '#include "util/error.h"' '#include "wijkeval/plugin.h"'
put model/panel.c '#include "model/panel.h"' '#include "panel_local.h"' \
    '/* #include "report/report.h" is not an include */'
put methods/ols.c '#include "methods/ols.h"' '#include "util/error.h"' \
    '#  include "wijkeval/plugin.h"'
put analysis/run.c '#include "model/panel.h"' '#include "methods/ols.h"' \
    '#include "host/host.h"'
put report/report.c '#include "report/report.h"' '#include "model/panel.h"' \
    '#include "util/error.h"' '#include "wijkeval/plugin.h"' '#include <string.h>'
put host/host.c '#include "model/panel.h"' '#include "cli/cli.h"'
put pipeline/run.c '#include "report/report.h"' '#include "analysis/run.h"'
put cli/main.c '#include "pipeline/run.h"'
put history/history.c '#include "model/run.h"' '#include "util/error.h"'
# An optional analysis's renderers write with the report's kit.
put analysis/goals/render_md.c '#include "report/report_md_internal.h"' \
    '#include "analysis/goals/render.h"'

expect_exit 0 "$CHECK" "$T"
[ ! -s "$STDOUT" ] || fail "a clean tree printed: $(cat "$STDOUT")"
ok "a clean tree prints nothing"
expect_exit 0 "$CHECK" "$T/"

# ---- one violation per rule ----------------------------------------------
cp -R "$T" "$TMP/clean"
put report/report_html.c '#include "report/report.h"' '' '#include "host/run.h"'
put host/engine.c '#include "analysis/run.h"'
put host/writer.c '#include "report/report.h"'
put host/steps.c '  #include "pipeline/run.h"'
put methods/wild.c '#include "util/error.h"' '#include "model/panel.h"'
put model/goals.c '#include "host/design.h"'
put model/goals.h '#include "../cli/cli.h"'
put analysis/designs.c '#include "pipeline/run.h"' '#include "report/svg.h"'
put analysis/goals/render.c '#include "report/report_analysis.h"' \
    '#include "cli/terminal.h"'
put pipeline/engine.c '#include "cli/terminal.h"'
put history/compare.c '#include "report/report.h"'
put report/report_since.c '#include "history/history.h"'

expect_exit 1 "$CHECK" "$T"
expect_contains "$STDOUT" \
    "$T/report/report_html.c:3: report may not include host/run.h (docs/architecture.md)" \
    "$T/host/engine.c:1: host may not include analysis/run.h (docs/architecture.md)" \
    "$T/host/writer.c:1: host may not include report/report.h (docs/architecture.md)" \
    "$T/host/steps.c:1: host may not include pipeline/run.h (docs/architecture.md)" \
    "$T/methods/wild.c:2: methods may not include model/panel.h (docs/architecture.md)" \
    "$T/model/goals.c:1: model may not include host/design.h (docs/architecture.md)" \
    "$T/model/goals.h:1: model may not include ../cli/cli.h (docs/architecture.md)" \
    "$T/analysis/designs.c:1: analysis may not include pipeline/run.h (docs/architecture.md)" \
    "$T/analysis/designs.c:2: analysis may not include report/svg.h (docs/architecture.md)" \
    "$T/analysis/goals/render.c:2: analysis may not include cli/terminal.h (docs/architecture.md)" \
    "$T/pipeline/engine.c:1: pipeline may not include cli/terminal.h (docs/architecture.md)" \
    "$T/history/compare.c:1: history may not include report/report.h (docs/architecture.md)" \
    "$T/report/report_since.c:1: report may not include history/history.h (docs/architecture.md)"
[ "$(wc -l <"$STDOUT")" -eq 13 ] || fail "expected 13 violations, got: $(cat "$STDOUT")"
ok "thirteen violations, nothing more"

# ---- the real tree keeps every rule ---------------------------------------
expect_exit 0 "$CHECK" "$ROOT/core/src"

# ---- absent layers are skipped; bad usage ----------------------------------
mkdir -p "$TMP/partial/host" "$TMP/partial/data"
printf '#include "data/panel.h"\n' >"$TMP/partial/host/host.c"
printf '#include "methods/ols.h"\n' >"$TMP/partial/data/panel.c"
expect_exit 0 "$CHECK" "$TMP/partial"
expect_exit 2 "$CHECK" "$TMP/none"
expect_exit 0 "$CHECK" "$TMP/clean"
