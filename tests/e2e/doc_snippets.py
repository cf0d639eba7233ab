#!/usr/bin/env python3
"""Keeps the code blocks of a document equal to the files they show.

A marker line, an HTML comment, is followed by a fenced code block:

  <!-- file: PATH -->         the block is the whole file PATH
  <!-- snippet: PATH#NAME --> the block is the region NAME of PATH: the
                              lines between the lines "/* [NAME] */" and
                              "/* [/NAME] */"
  <!-- generated: NAME -->    every line of the block appears, in order,
                              in the file NAME of the directory given
                              with --generated (what a command wrote)

PATH is relative to the repository. Every region of a file that has
snippet markers must be shown somewhere in the document.

  doc_snippets.py DOC [--generated DIR]   check; exit 1 with the first
                                          difference
  doc_snippets.py DOC --fix               rewrite the file and snippet
                                          blocks from the sources
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
MARKER = re.compile(r"^<!-- (file|snippet|generated): (\S+) -->$")
REGION = re.compile(r"^\s*/\* \[(/?)([a-z_]+)\] \*/$")


def regions(path):
    """{name: [lines]} of the regions of a source file."""
    out, open_name, lines = {}, None, []
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        for no, line in enumerate(f.read().split("\n"), 1):
            m = REGION.match(line)
            if m is None:
                if open_name is not None:
                    lines.append(line)
            elif m.group(1) == "":
                if open_name is not None:
                    sys.exit("%s:%d: region %s opens inside %s"
                             % (path, no, m.group(2), open_name))
                open_name, lines = m.group(2), []
            else:
                if m.group(2) != open_name:
                    sys.exit("%s:%d: [/%s] closes no open region"
                             % (path, no, m.group(2)))
                out[open_name], open_name = lines, None
    if open_name is not None:
        sys.exit("%s: region %s is not closed" % (path, open_name))
    return out


def expected(kind, target):
    if kind == "file":
        with open(os.path.join(ROOT, target), encoding="utf-8") as f:
            return f.read().rstrip("\n").split("\n")
    path, _, name = target.partition("#")
    found = regions(path)
    if name not in found:
        sys.exit("no region [%s] in %s" % (name, path))
    return found[name]


def blocks(doc_lines):
    """(marker index, kind, target, first body line, closing fence line)."""
    out = []
    for i, line in enumerate(doc_lines):
        m = MARKER.match(line)
        if m is None:
            continue
        if i + 1 >= len(doc_lines) or not doc_lines[i + 1].startswith("```"):
            sys.exit("line %d: a marker must be followed by a ``` block"
                     % (i + 1))
        end = i + 2
        while end < len(doc_lines) and doc_lines[end] != "```":
            end += 1
        if end == len(doc_lines):
            sys.exit("line %d: the code block is not closed" % (i + 2))
        out.append((i, m.group(1), m.group(2), i + 2, end))
    return out


def in_order(needles, hay):
    k = 0
    for line in hay:
        if k < len(needles) and line == needles[k]:
            k += 1
    return k == len(needles), (needles[k] if k < len(needles) else None)


def check(doc, doc_lines, generated):
    shown = set()
    found = blocks(doc_lines)
    for i, kind, target, start, end in found:
        body = doc_lines[start:end]
        if kind == "generated":
            if generated is None:
                sys.exit("line %d: a generated block needs --generated DIR"
                         % (i + 1))
            with open(os.path.join(generated, target), encoding="utf-8") as f:
                ok, missing = in_order(body, f.read().split("\n"))
            if not ok:
                sys.exit("%s:%d: line %r is not in the generated %s"
                         % (doc, i + 1, missing, target))
            continue
        want = expected(kind, target)
        if body != want:
            for k, (a, b) in enumerate(zip(body, want)):
                if a != b:
                    sys.exit("%s:%d: the block of %s differs from the source "
                             "at its line %d:\n  doc:    %r\n  source: %r\n"
                             "(tests/e2e/doc_snippets.py %s --fix)"
                             % (doc, start + k + 1, target, k + 1, a, b, doc))
            sys.exit("%s:%d: the block of %s has %d lines, the source %d "
                     "(tests/e2e/doc_snippets.py %s --fix)"
                     % (doc, i + 1, target, len(body), len(want), doc))
        shown.add(target)
    for path in sorted({t.partition("#")[0] for t in shown if "#" in t}):
        for name in regions(path):
            if "%s#%s" % (path, name) not in shown:
                sys.exit("%s: region [%s] of %s is not shown" % (doc, name,
                                                                path))
    return found


def fix(doc, doc_lines):
    out, last = [], 0
    for i, kind, target, start, end in blocks(doc_lines):
        out += doc_lines[last:start]
        out += doc_lines[start:end] if kind == "generated" else \
            expected(kind, target)
        last = end
    out += doc_lines[last:]
    with open(doc, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    doc, generated = args[0], None
    with open(doc, encoding="utf-8") as f:
        doc_lines = f.read().split("\n")
    if args[1:] == ["--fix"]:
        fix(doc, doc_lines)
        return
    if len(args) == 3 and args[1] == "--generated":
        generated = args[2]
    elif len(args) != 1:
        sys.exit(__doc__)
    found = check(doc, doc_lines, generated)
    counts = {}
    for _, kind, _, _, _ in found:
        counts[kind] = counts.get(kind, 0) + 1
    print("ok   %s: %s equal to their sources" % (
        os.path.relpath(doc, ROOT),
        ", ".join("%d %s block%s" % (n, k, "s" if n > 1 else "")
                  for k, n in sorted(counts.items()))))


main()
