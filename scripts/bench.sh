#!/usr/bin/env bash
# Times whole airisk commands against their lower bounds, for docs/performance.md.
#
#   scripts/bench.sh                      # everything: N = 1k, 10k, 50k and histories of 5k and 20k commits
#   BENCH_SIZES="1000 10000" scripts/bench.sh
#   BENCH_SIZES= BENCH_COMMITS="5000 20000" BENCH_CLONE=1 scripts/bench.sh
#                                         # the history groups only, also on a --no-local clone
#   BENCH_BIN=/path/to/other/airisk BENCH_RESULTS=target/bench/before scripts/bench.sh
#                                         # time another build (before/after) on the same registers
#
# Registers come from examples/gen.rs (cached in $BENCH_DIR, default target/bench; delete it to
# regenerate). Each N is a git repository with a short history (100 commits), so `diff` has two
# revisions to compare; the history benchmarks are a register of 1,000 risks with each of
# BENCH_COMMITS commits (default 5,000 and 20,000: the cost must grow linearly with the
# history's length), generated with `git fast-import` then `git repack -a -d -f`, and (unless
# BENCH_CLONE=0) a `git clone --no-local` of each, as a CI checkout gets it.
# Every command runs with `--as-of 2026-11-01` (the registers check clean then).
#
# Lower bounds: `parse_bound` (examples/parse_bound.rs: the same files read and parsed by the
# same YAML parser, granit-parser, into a generic value, on both cores) for the register
# commands (`bound-serde-saphyr`, the same through serde-saphyr, the former reader, is shown
# beside it);
# `git log --name-only --format=%H%x09%an%x09%at` over the same repository for history.
# `diff` is compared with two loads: `check --at BASE` plus `check --at HEAD`; in the history
# groups also with `git diff BASE HEAD --stat` (bound-diff-stat).
# In the history groups every command runs warm, with the history cache of the previous run
# (.git/airisk), and cold (`-cold`: the cache deleted first, the first run on a new HEAD).
# Paired before/after runs of the same commands: scripts/bench-git.sh.
#
# Timing: hyperfine, $BENCH_WARMUP warm-up runs then $BENCH_RUNS runs; peak memory: the largest
# maximum resident set size of three runs under /usr/bin/time. The load average is recorded
# before each group: other work on the machine makes timings noisy, so compare minimums and
# repeat a group whose spread is large. Results: $BENCH_DIR/results/*.json and results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${BENCH_DIR:-target/bench}
# Register sizes; empty skips the register groups.
SIZES=${BENCH_SIZES-"1000 10000 50000"}
# History lengths of the history groups; 0 or empty skips them.
COMMITS=${BENCH_COMMITS-"5000 20000"}
# 1: also time each history on a `git clone --no-local` of it.
CLONE=${BENCH_CLONE:-1}
RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-2}
AS_OF=2026-11-01
# Revisions `diff` compares in the N registers (their history has 100 commits).
BASE=HEAD~50

. scripts/bench-common.sh
need hyperfine hyperfine
need /usr/bin/time time
need python3 python3

cargo build --release --quiet --bin airisk --example gen --example parse_bound
AIRISK=$(realpath "${BENCH_BIN:-target/release/airisk}")
GEN=$(realpath target/release/examples/gen)
BOUND=$(realpath target/release/examples/parse_bound)
RESULTS=${BENCH_RESULTS:-$DIR/results}
mkdir -p "$RESULTS"
DIR=$(realpath "$DIR")
RESULTS=$(realpath "$RESULTS")

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# hyperfine over named commands: group, then pairs of name and command.
time_group() {
    local group=$1
    shift
    local args=()
    while [ $# -gt 0 ]; do
        args+=(-n "$1" "$2")
        shift 2
    done
    echo "== $group (load average $(loadavg))" >&2
    hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$RESULTS/$group.json" \
        --style basic "${args[@]}" >&2
    echo "$(loadavg)" >"$RESULTS/$group.load"
}

# Peak memory (KB) of each named command: the largest of three runs.
peak_group() {
    local group=$1
    shift
    : >"$RESULTS/$group.mem"
    while [ $# -gt 0 ]; do
        local name=$1 cmd=$2 max=0
        shift 2
        for _ in 1 2 3; do
            # The command is a shell word list (quotes included, as hyperfine -N splits it).
            eval "/usr/bin/time -o \"\$RESULTS/time.out\" -f %M $cmd" >/dev/null 2>&1 || true
            kb=$(tail -1 "$RESULTS/time.out")
            [ "$kb" -gt "$max" ] && max=$kb
        done
        echo "$name $max" >>"$RESULTS/$group.mem"
    done
}

for n in $SIZES; do
    reg="$DIR/reg-$n"
    generate "$reg" --risks "$n" --commits 100
    cmds=(
        bound "$BOUND $reg"
        bound-serde-saphyr "$BOUND --serde-saphyr $reg"
        check "$AIRISK -C $reg check --as-of $AS_OF"
        check-no-git "$AIRISK -C $reg --no-git check --as-of $AS_OF"
        register-json "$AIRISK -C $reg register --format json --as-of $AS_OF"
        soa "$AIRISK -C $reg soa --as-of $AS_OF"
        due "$AIRISK -C $reg due --as-of $AS_OF"
        diff "$AIRISK -C $reg diff $BASE HEAD --as-of $AS_OF"
        load-base "$AIRISK -C $reg --at $BASE check --as-of $AS_OF"
        load-head "$AIRISK -C $reg --at HEAD check --as-of $AS_OF"
    )
    time_group "n$n" "${cmds[@]}"
    peak_group "n$n" "${cmds[@]}"
done

# The history commands on one repository: group name, repository.
history_group() {
    local group=$1 hist=$2 cold="rm -rf $2/.git/airisk" pack="rm -rf $DIR/pack-out"
    local run="exec $AIRISK -C $hist"
    cmds=(
        bound "git -C $hist log --name-only --format=%H%x09%an%x09%at"
        bound-diff-stat "git -C $hist diff HEAD~100 HEAD --stat"
        load-base "$AIRISK -C $hist --at HEAD~100 check --as-of $AS_OF"
        load-head "$AIRISK -C $hist --at HEAD check --as-of $AS_OF"
        register-provenance "$AIRISK -C $hist register --provenance --format json --as-of $AS_OF"
        register-provenance-cold "sh -c '$cold; $run register --provenance --format json --as-of $AS_OF'"
        history "$AIRISK -C $hist history R-000001 --as-of $AS_OF"
        history-cold "sh -c '$cold; $run history R-000001 --as-of $AS_OF'"
        check-git "$AIRISK -C $hist check --as-of $AS_OF"
        check-git-cold "sh -c '$cold; $run check --as-of $AS_OF'"
        diff "$AIRISK -C $hist diff HEAD~100 HEAD --as-of $AS_OF"
        diff-cold "sh -c '$cold; $run diff HEAD~100 HEAD --as-of $AS_OF'"
        report "$AIRISK -C $hist report --as-of $AS_OF"
        report-cold "sh -c '$cold; $run report --as-of $AS_OF'"
        pack "sh -c '$pack; $run pack $DIR/pack-out --as-of $AS_OF'"
        pack-cold "sh -c '$pack; $cold; $run pack $DIR/pack-out --as-of $AS_OF'"
    )
    time_group "$group" "${cmds[@]}"
    peak_group "$group" "${cmds[@]}"
}

for m in $COMMITS; do
    [ "$m" -gt 0 ] || continue
    hist="$DIR/hist-$m"
    generate "$hist" --risks 1000 --commits "$m"
    history_group "m$m" "$hist"
    if [ "$CLONE" = 1 ]; then
        clone="$DIR/clone-$m"
        if [ ! -f "$clone/.git/bench-ready" ]; then
            rm -rf "$clone"
            git clone --quiet --no-local "$hist" "$clone"
            sleep 1
            git -C "$clone" status --porcelain >/dev/null
            echo "clone --no-local of $hist" >"$clone/.git/bench-ready"
        fi
        history_group "c$m" "$clone"
    fi
done

# shellcheck disable=SC2086 # the sizes are a word list
python3 - "$RESULTS" "$DIR" $SIZES <<'EOF' | tee "$RESULTS/results.md"
import json, os, sys

results, root, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]

def group(name):
    with open(os.path.join(results, name + ".json")) as f:
        runs = {r["command"]: r for r in json.load(f)["results"]}
    mem = {}
    with open(os.path.join(results, name + ".mem")) as f:
        for line in f:
            k, v = line.split()
            mem[k] = int(v)
    with open(os.path.join(results, name + ".load")) as f:
        load = f.read().strip()
    return runs, mem, load

def ms(s):
    if s is None:  # the deviation of a single run
        return "–"
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"

def files(n):
    reg = os.path.join(root, f"reg-{n}")
    return sum(1 for d, _, fs in os.walk(reg) if "/.git" not in d for f in fs if f.endswith((".yaml", ".toml")))

print("| N | command | mean ± σ | min | peak memory | mean / bound | min / bound |")
print("|---|---|---|---|---|---|---|")
slopes = {}
for n in sizes:
    runs, mem, load = group(f"n{n}")
    b = runs["bound"]
    for name, r in runs.items():
        ref = b
        if name == "diff":
            # The bound of a diff: two loads (check at each revision).
            two = {k: runs["load-base"][k] + runs["load-head"][k] for k in ("mean", "min")}
            ref = two
            bound_note = " (vs two loads)"
        else:
            bound_note = ""
        print(f"| {int(n):,} | {name} | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} "
              f"| {mem[name] / 1024:.0f} MB | {r['mean'] / ref['mean']:.2f}{bound_note} "
              f"| {r['min'] / ref['min']:.2f} |")
    slopes[int(n)] = (files(n), runs["check"]["min"], b["min"])
    print(f"| | *load average before: {load}* | | | | | |")
print()
ns = sorted(slopes)
if len(ns) >= 2:
    (f0, c0, b0), (f1, c1, b1) = slopes[ns[0]], slopes[ns[-1]]
    print(f"Slope per file ({ns[0]:,} → {ns[-1]:,} risks, minimums): check "
          f"{(c1 - c0) / (f1 - f0) * 1e6:.1f} µs, parse-only bound {(b1 - b0) / (f1 - f0) * 1e6:.1f} µs")
    for n in ns:
        f, c, b = slopes[n]
        print(f"- N = {n:,}: {f:,} files, check {c / f * 1e6:.1f} µs per file, bound {b / f * 1e6:.1f} µs per file")
print()
def order(g):
    return (int(g[1:]), g[0] != "m")
for g in sorted((x[:-5] for x in os.listdir(results) if x[0] in "mc" and x.endswith(".json")), key=order):
    runs, mem, load = group(g)
    b = runs["bound"]
    kind = "repacked" if g[0] == "m" else "git clone --no-local"
    print(f"History, {int(g[1:]):,} commits, {kind} (load average before: {load}):")
    print()
    print("| command | mean ± σ | min | peak memory | mean / bound | min / bound |")
    print("|---|---|---|---|---|---|")
    for name, r in runs.items():
        print(f"| {name} | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} | {mem[name] / 1024:.0f} MB "
              f"| {r['mean'] / b['mean']:.2f} | {r['min'] / b['min']:.2f} |")
    print()
EOF
