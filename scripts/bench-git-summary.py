#!/usr/bin/env python3
"""The tables of docs/performance.md's fifth round, from scripts/bench-git.sh's results.

    scripts/bench-git-summary.py RESULTS_DIR [RESULTS_DIR ...]

Reads every <variant>-<M>.json and <variant>-<M>-pack.json (scripts/paired.py --json) in the
folders given and prints, for each variant, one markdown table: per command, the median CPU
time (user + system) of the before and the after build at each history length, the after
build's median per-round CPU ratio to its bound, the growth of the after build's median CPU
from the shortest to the longest history (linear in the history's length when it is at most
the ratio of the lengths; the bound's own growth is in its row), and its peak memory at the
longest history. CPU time, not wall time: on the shared machine wall time measured the
neighbours as much as the command.
"""

import json
import os
import re
import statistics
import sys


def load(dirs):
    groups = {}  # (variant, m) -> name -> {"cpu": [...], "wall": [...], "rss": [...]}
    loads = {}
    for d in dirs:
        for f in sorted(os.listdir(d)):
            m = re.fullmatch(r"([a-z]+)-(\d+)(-pack)?\.json", f)
            if not m:
                continue
            key = (m.group(1), int(m.group(2)))
            with open(os.path.join(d, f)) as fh:
                data = json.load(fh)
            g = groups.setdefault(key, {})
            pre = "pack:" if m.group(3) else ""
            for c in data["commands"]:
                g[pre + c["name"]] = {"cpu": c["cpu"], "wall": c["wall"], "rss": c["max_rss_kb"]}
            loads.setdefault(key, []).append(data["load_after"])
    return groups, loads


def med(xs):
    return statistics.median(xs)


def ratio(a, b):
    return med([x / y for x, y in zip(a, b) if y > 0])


def s(x):
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    groups, loads = load(sys.argv[1:])
    variants = sorted({v for v, _ in groups}, key=lambda v: (v != "repacked", v))
    for v in variants:
        ms = sorted(m for vv, m in groups if vv == v)
        lo, hi = ms[0], ms[-1]
        print(f"**{v}** ({', '.join(f'{m:,}' for m in ms)} commits; load average after each group: "
              + "; ".join(f"{m:,}: {', '.join(loads[(v, m)])}" for m in ms) + ")")
        print()
        head = "| command | " + " | ".join(
            f"{m:,}: before | {m:,}: after | {m:,}: after ÷ bound" for m in ms
        ) + f" | after {hi:,} ÷ {lo:,} | peak memory at {hi:,}, before / after |"
        print(head)
        print("|" + "---|" * (head.count("|") - 1))

        def pick(g, name):
            # pack ran in a group of its own (with its own bound) or with the rest
            if name.startswith("?"):
                return pick(g, "pack:" + name[1:]) or pick(g, name[1:])
            # without BENCH_BEFORE the after build's commands have no prefix
            for pre in ("after:", "pack:after:"):
                if name.startswith(pre) and name not in g:
                    return g.get(name.replace("after:", "", 1))
            return g.get(name)

        def bound_of(g, name):
            if name.startswith("?") and pick(g, "pack:" + name[1:]):
                return g["pack:bound"]
            return g["bound"]

        def row(label, bname, aname):
            cells = []
            for m in ms:
                g = groups[(v, m)]
                b = pick(g, bname) if bname else None
                a = pick(g, aname)
                bd = bound_of(g, aname)
                cells.append(s(med(b["cpu"])) if b else "")
                cells.append(s(med(a["cpu"])))
                cells.append(f"{ratio(a['cpu'], bd['cpu']):.2f}")
            grow = med(pick(groups[(v, hi)], aname)["cpu"]) / med(pick(groups[(v, lo)], aname)["cpu"])
            gb = pick(groups[(v, hi)], bname) if bname else None
            ga = pick(groups[(v, hi)], aname)
            mem = (f"{max(gb['rss']) / 1024:.0f} / " if gb else "") + f"{max(ga['rss']) / 1024:.0f} MB"
            print(f"| {label} | " + " | ".join(cells) + f" | {grow:.2f} | {mem} |")

        row("bound: `git log --name-only --format=%H%x09%an%x09%at`", None, "bound")
        for k, label in [
            ("check", "`check` (git rules)"),
            ("provenance", "`register --provenance --format json`"),
            ("history", "`history R-000001`"),
            ("diff", "`diff HEAD~100 HEAD`"),
            ("report", "`report`"),
        ]:
            for t in ("cold", "warm"):
                row(f"{label}, {t}", f"before:{k}-{t}", f"after:{k}-{t}")
        if all(pick(groups[(v, m)], "?after:pack-cold") for m in ms):
            for t in ("cold", "warm"):
                row(f"`pack DIR`, {t}", f"?before:pack-{t}", f"?after:pack-{t}")
        row("bound of `diff`: `git diff HEAD~100 HEAD --stat`", None, "bound-diff-stat")
        row("`check --at HEAD~100` (a load, after)", None, "load-base")
        row("`check --at HEAD` (a load, after)", None, "load-head")
        # diff against two loads, per round
        cells = []
        for m in ms:
            g = groups[(v, m)]
            two = [x + y for x, y in zip(g["load-base"]["cpu"], g["load-head"]["cpu"])]
            cells.append(f"{m:,}: cold {ratio(pick(g, 'after:diff-cold')['cpu'], two):.2f}, "
                         f"warm {ratio(pick(g, 'after:diff-warm')['cpu'], two):.2f}")
        print()
        print("`diff` (after) ÷ two loads, CPU: " + "; ".join(cells) + ".")
        print()


if __name__ == "__main__":
    main()
