#!/usr/bin/env python3
"""Fails when modules of one crate import each other in a circle.

For each crate's `src/`, every `crate::a::b` path (in code, not comments or tests) and every
`super::` path is an edge between two modules. A module and its own parent or child are one
family (Rust's `mod`/`use super::*` go both ways by construction), so an edge is lifted to the
two siblings below the modules' nearest common ancestor: `measure::snippets -> ga4::events`
counts as `measure -> ga4`. A cycle among siblings is an import circle: it is printed, with an
example line for each edge, and the script exits 1.

    scripts/import-circles.py [crate-src-dir ...]   (default: every crate of the workspace)
"""
import os
import re
import sys

CRATES = ["core/src", "store/src", "service/src", "app/src", "server/src", "testkit/src"]
PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z_0-9]*)+|(?:::\{[^}]*\}))")


def modules(src):
    """Module path (tuple) -> file."""
    found = {}
    for root, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(root, name), src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            if rel in (["lib"], ["main"]):
                rel = []
            found[tuple(rel)] = os.path.join(root, name)
    return found


def code(path):
    """The file's code: comments and the insides of strings blanked, tests left out (lines
    keep their numbers)."""
    text = open(path, encoding="utf-8").read()
    text = text.split("#[cfg(test)]")[0]
    lines = []
    for line in text.split("\n"):
        if line.strip().startswith("//"):
            lines.append("")
            continue
        line = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        lines.append(line.split("//")[0])
    return "\n".join(lines)


def resolve(mod, head, rest, known):
    """The deepest known module a path names."""
    if head == "crate":
        base = ()
    else:
        base = mod[:-1] if mod else ()
        while rest.startswith("::super"):
            rest = rest[len("::super"):]
            base = base[:-1]
    names = [n for n in rest.split("::") if n and not n.startswith("{")]
    target = base
    for name in names:
        if target + (name,) in known:
            target = target + (name,)
        else:
            break
    return target


def lift(a, b):
    """The two siblings under a and b's nearest common ancestor (None: one family)."""
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    if i == len(a) or i == len(b):
        return None
    return a[: i + 1], b[: i + 1]


def circles(src):
    known = modules(src)
    edges = {}
    for mod, path in known.items():
        text = code(path)
        for match in PATH.finditer(text):
            number = text.count("\n", 0, match.start()) + 1
            line = text.split("\n")[number - 1].strip()
            rest = match.group(2)
            # `crate::{a, b::c}` (over several lines too): each member is a path of its own.
            group = re.sub(r"\s+", " ", rest[3:-1]) if rest.startswith("::{") else None
            paths = ["::" + p.strip() for p in group.split(",") if p.strip()] if group else [rest]
            for rest in paths:
                target = resolve(mod, match.group(1), rest, known)
                pair = lift(mod, target)
                if pair:
                    edges.setdefault(pair[0], {}).setdefault(
                        pair[1], f"{path}:{number}: {line}"
                    )
    found = []
    seen = set()

    def walk(node, stack):
        for nxt in edges.get(node, {}):
            if nxt in stack:
                cycle = stack[stack.index(nxt):]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle + [nxt])
            elif len(stack) < 8:
                walk(nxt, stack + [nxt])

    for node in list(edges):
        walk(node, [node])
    return [(c, [edges[c[i]][c[i + 1]] for i in range(len(c) - 1)]) for c in found]


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    crates = sys.argv[1:] or [os.path.join(root, c) for c in CRATES]
    failed = False
    for src in crates:
        for cycle, examples in circles(src):
            failed = True
            names = " -> ".join("::".join(m) for m in cycle)
            print(f"import circle in {os.path.relpath(src, root)}: {names}")
            for example in examples:
                print(f"    {os.path.relpath(example, root) if os.path.exists(example.split(':')[0]) else example}")
    if failed:
        sys.exit(1)
    print(f"no import circle in {len(crates)} crates")


if __name__ == "__main__":
    main()
