#!/usr/bin/env python3
"""Paired timing of commands, for docs/performance.md.

    scripts/paired.py [--warmup N] [--json FILE] ROUNDS NAME=COMMAND NAME=COMMAND ...

hyperfine runs every run of one command before the next, so when the machine slows down
for a minute (a shared VM does) one command pays for it and the ratio between two commands
moves. This runs the commands in turn, round after round (after one warm-up round, or N), so each
round's commands see the same machine, and reports for each command the median and the
minimum wall time and the median of its per-round ratio to the first command (the bound),
the median CPU time (user + system, the command and the children it waited for) and its
median per-round ratio to the bound's, and the peak memory (the largest maximum resident set
size of its runs). Output is a markdown table on stdout; `--json FILE` also writes every
run's figures. A COMMAND is split like a shell word list (shlex); to run a pipeline or a
preparation step first, make it `sh -c '...; exec ...'`.
"""

import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    """Wall seconds, CPU seconds (user + system) and peak resident set size (KB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # wait4's usage covers the child and the descendants it waited for (as GNU time's does).
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped here; keep Popen from waiting again
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def ms(s):
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def main():
    args = sys.argv[1:]
    out_json, warmup = None, 1
    while len(args) >= 2 and args[0] in ("--json", "--warmup"):
        if args[0] == "--json":
            out_json = args[1]
        else:
            warmup = int(args[1])
        args = args[2:]
    if len(args) < 3:
        sys.exit(__doc__)
    rounds = int(args[0])
    commands = [arg.split("=", 1) for arg in args[1:]]
    commands = [(name, shlex.split(cmd)) for name, cmd in commands]
    for _ in range(warmup):  # warm-up rounds
        for _, cmd in commands:
            run(cmd)
    runs = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, cmd in commands:
            runs[name].append(run(cmd))
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    first = commands[0][0]
    print(
        f"| command | median | min | ratio to `{first}` | CPU median | CPU ratio | peak memory |"
    )
    print("|---|---|---|---|---|---|---|")
    base = runs[first]
    for name, _ in commands:
        r = runs[name]
        wall = [x[0] for x in r]
        cpu = [x[1] for x in r]
        ratios = [t[0] / b[0] for t, b in zip(r, base)]
        cpu_ratios = [t[1] / b[1] if b[1] > 0 else float("nan") for t, b in zip(r, base)]
        print(
            f"| {name} | {ms(statistics.median(wall))} | {ms(min(wall))} "
            f"| {statistics.median(ratios):.2f} | {ms(statistics.median(cpu))} "
            f"| {statistics.median(cpu_ratios):.2f} | {max(x[2] for x in r) / 1024:.0f} MB |"
        )
    print(f"\n{rounds} rounds; load average after: {load}")
    if out_json:
        with open(out_json, "w") as f:
            json.dump(
                {
                    "rounds": rounds,
                    "load_after": load,
                    "commands": [
                        {
                            "name": name,
                            "command": cmd,
                            "wall": [x[0] for x in runs[name]],
                            "cpu": [x[1] for x in runs[name]],
                            "max_rss_kb": [x[2] for x in runs[name]],
                        }
                        for name, cmd in commands
                    ],
                },
                f,
                indent=1,
            )


if __name__ == "__main__":
    main()
