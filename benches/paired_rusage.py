#!/usr/bin/env python3
"""Paired runs with CPU time and peak memory, for docs/performance.md ("Fifth round").

    benches/paired_rusage.py ROUNDS NAME=COMMAND NAME=COMMAND ...

Like scripts/paired.py (the commands in turn, round after round, after one warm-up round;
the first command is the bound), but each run's resource usage is read from the kernel
(wait4): wall time, CPU time (user + system) and peak resident set. On a shared machine
wall time depends on the neighbours; CPU time much less so, so both ratios are given.
Output is a markdown table on stdout.
"""

import os
import shlex
import statistics
import sys
import time


def run(cmd):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, _, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    commands = [arg.split("=", 1) for arg in sys.argv[2:]]
    commands = [(name, shlex.split(cmd)) for name, cmd in commands]
    for _, cmd in commands:  # warm-up round
        run(cmd)
    runs = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, cmd in commands:
            runs[name].append(run(cmd))
    first = commands[0][0]
    print(
        f"| command | wall, median (min) | CPU, median (min) | peak RSS, median (max) "
        f"| wall ÷ `{first}` | CPU ÷ `{first}` |"
    )
    print("|---|---|---|---|---|---|")
    for name, _ in commands:
        wall = [r[0] for r in runs[name]]
        cpu = [r[1] for r in runs[name]]
        rss = [r[2] for r in runs[name]]
        wall_ratio = statistics.median(
            w / b[0] for w, b in zip(wall, runs[first])
        )
        cpu_ratio = statistics.median(c / b[1] for c, b in zip(cpu, runs[first]))
        print(
            f"| {name} | {statistics.median(wall) * 1000:.0f} ms ({min(wall) * 1000:.0f}) "
            f"| {statistics.median(cpu) * 1000:.0f} ms ({min(cpu) * 1000:.0f}) "
            f"| {statistics.median(rss) / 1024:.1f} MiB ({max(rss) / 1024:.1f}) "
            f"| {wall_ratio:.2f} | {cpu_ratio:.2f} |"
        )
    with open("/proc/loadavg") as f:
        print(f"\n{rounds} rounds; load average after: {' '.join(f.read().split()[:3])}")


if __name__ == "__main__":
    main()
