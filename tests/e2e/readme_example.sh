#!/bin/sh
# The README's plugin example (the C block with "mijn_experiment") builds
# against the SDK header alone and passes check-plugin as it stands.
. "$(dirname "$0")/lib.sh"

CC=${CC:-cc}
python3 - "$ROOT/README.md" "$TMP/mijn_experiment.c" <<'PY' ||
import re, sys
text = open(sys.argv[1]).read()
blocks = [b for b in re.findall(r"```c\n(.*?)```", text, re.S)
          if '"mijn_experiment"' in b]
if len(blocks) != 1:
    sys.exit("README.md has %d C blocks with mijn_experiment" % len(blocks))
open(sys.argv[2], "w").write(blocks[0])
PY
    fail "no plugin example in README.md"
ok "the README's plugin example extracted"
expect_exit 0 $CC -std=c11 -Wall -Wextra -Werror -I"$ROOT/core/include" \
    -shared -fPIC -o "$TMP/mijn_experiment.so" "$TMP/mijn_experiment.c"
expect_exit 0 "$W" check-plugin "$TMP/mijn_experiment.so"
expect_contains "$STDOUT" "emits at least one domain metric" "PASS: 0 of"
