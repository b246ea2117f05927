#!/usr/bin/env python3
"""Paired timing of commands, for docs/performance.md.

    scripts/paired.py ROUNDS NAME=COMMAND NAME=COMMAND ...

hyperfine runs every run of one command before the next, so when the machine slows down
for a minute (a shared VM does) one command pays for it and the ratio between two commands
moves. This runs the commands in turn, round after round (after one warm-up round), so each
round's commands see the same machine, and reports for each command the median and the
minimum wall time and the median of its per-round ratio to the first command (the bound).
Output is a markdown table on stdout.
"""

import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    commands = [arg.split("=", 1) for arg in sys.argv[2:]]
    commands = [(name, shlex.split(cmd)) for name, cmd in commands]
    for _, cmd in commands:  # warm-up round
        run(cmd)
    times = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, cmd in commands:
            times[name].append(run(cmd))
    first = commands[0][0]
    print(f"| command | median | min | median of per-round ratio to `{first}` |")
    print("|---|---|---|---|")
    for name, _ in commands:
        ratios = [t / b for t, b in zip(times[name], times[first])]
        print(
            f"| {name} | {statistics.median(times[name]) * 1000:.0f} ms "
            f"| {min(times[name]) * 1000:.0f} ms | {statistics.median(ratios):.2f} |"
        )
    with open("/proc/loadavg") as f:
        print(f"\n{rounds} rounds; load average after: {' '.join(f.read().split()[:3])}")


if __name__ == "__main__":
    main()
