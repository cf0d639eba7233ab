#!/usr/bin/env python3
"""Compare two report directories written by `wijkeval run`: the numbers
must not change when code moves. report.json is compared value by value on
the keys of OLD (fields NEW adds are ignored; run.started/finished are
volatile); every other file that both hold is compared byte for byte, with
the lines that carry the run's clock left out.

    scripts/compare-reports.py OLD_DIR NEW_DIR    exit 0 when equal
"""
import json
import os
import re
import sys

VOLATILE = {("run", "started"), ("run", "finished")}
CLOCK = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?( UTC)?")


def walk(old, new, path, out):
    if tuple(path[-2:]) in VOLATILE:
        return
    if isinstance(old, dict):
        if not isinstance(new, dict):
            out.append(f"{'/'.join(path)}: object became {type(new).__name__}")
            return
        for k, v in old.items():
            if k not in new:
                out.append(f"{'/'.join(path + [k])}: missing")
            else:
                walk(v, new[k], path + [k], out)
    elif isinstance(old, list):
        if not isinstance(new, list) or len(old) != len(new):
            out.append(f"{'/'.join(path)}: list length {len(old)} -> "
                       f"{len(new) if isinstance(new, list) else new!r}")
            return
        for i, (a, b) in enumerate(zip(old, new)):
            walk(a, b, path + [str(i)], out)
    elif old != new:
        out.append(f"{'/'.join(path)}: {old!r} -> {new!r}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = sys.argv[1], sys.argv[2]
    problems = []
    for name in sorted(os.listdir(a)):
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if not os.path.exists(pb):
            problems.append(f"{name}: missing in {b}")
            continue
        if name.endswith(".json"):
            out = []
            walk(json.load(open(pa)), json.load(open(pb)), [], out)
            problems += [f"{name}: {o}" for o in out]
        else:
            la = [CLOCK.sub("<clock>", l) for l in open(pa, encoding="utf-8")]
            lb = [CLOCK.sub("<clock>", l) for l in open(pb, encoding="utf-8")]
            if la != lb:
                n = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y),
                         min(len(la), len(lb)))
                problems.append(f"{name}: differs from line {n + 1}")
    for p in problems[:40]:
        print(p)
    if problems:
        print(f"{len(problems)} difference(s)")
        sys.exit(1)
    print(f"equal: {a} {b}")


if __name__ == "__main__":
    main()
