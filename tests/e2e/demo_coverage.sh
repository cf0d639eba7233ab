#!/bin/sh
# The demo design over three more seeds (tests/validate/demo_coverage.py;
# the full study runs 20+ seeds, docs/validation.md): of the 18 headline
# intervals of the added effects at least 16 cover the truth (at 95% the
# chance of 3+ misses is about 6%; the seeds are fixed, so the outcome is
# the same on every machine), and the null experiment is never "better".
. "$(dirname "$0")/lib.sh"

expect_exit 0 python3 tests/validate/demo_coverage.py --seeds 3 --first 101 \
    --build "$WE_BUILD" --min-coverage 0.88
cat "$STDOUT"
expect_contains "$STDOUT" "null experiment 'better': 0 of 3"
