#!/usr/bin/env python3
"""Reference for the gezonde_wijk plugin's per-wijk health gap index
(plugins/gezonde_wijk/test_gezonde_wijk.c, test_health_gap_by_wijk): the
standard panel of core/mockhost/we_plugin_test_kit.h rebuilt here from its
definition, the run's default gap reference (population-weighted mean of
the other wijken of the municipality) and the baseline SD of all twelve
wijken, then per treated wijk the mean over the four indicators of
sign * (x - ref) / sd at baseline (2007) and at the latest period (2010).
Prints wijk, baseline index, latest index. Standard library only."""
import statistics as st

TIME = [0.0, 0.4, 0.7, 1.5, 1.9, 2.6]
TREATED = {0, 1, 4, 8}  # from period index 3 (2008)
# name, sign (+1 higher is better), base, area effects, time scale, effect
DATA = [
    ("ervaren_gezondheid_goed_pct", 1, 70,
     [-5, -8, 2, 4, -3, 1, 3, 5, -6, 2, 0, 4], 0.5, 2),
    ("psychisch_ongezond_pct", -1, 12,
     [3, 4, -1, -2, 2, 0, -1, -1, 3, -2, 1, 0], -0.2, -1),
    ("overgewicht_pct", -1, 45,
     [4, 6, -2, -3, 5, 0, -1, -2, 6, -3, -1, 1], 0.8, -1.5),
    ("beweegnorm_pct", 1, 55,
     [-6, -4, 3, 2, -5, 1, 2, 4, -7, 3, 1, 2], 0.4, 2.5),
]
POP = [1000 + 250 * a for a in range(12)]


def y(d, a, t):
    return d[2] + d[3][a] + d[4] * TIME[t] + (d[5] if a in TREATED and t >= 3 else 0)


def ref(d, a, t):
    others = [b for b in range(12) if b // 4 == a // 4 and b != a]
    return sum(POP[b] * y(d, b, t) for b in others) / sum(POP[b] for b in others)


SD = {d[0]: st.stdev([y(d, a, 2) for a in range(12)]) for d in DATA}


def index(a, t):
    return sum(d[1] * (y(d, a, t) - ref(d, a, t)) / SD[d[0]] for d in DATA) / len(DATA)


for a in sorted(TREATED):
    print(a, repr(index(a, 2)), repr(index(a, 5)))
