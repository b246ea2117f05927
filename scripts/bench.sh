#!/usr/bin/env bash
# Times whole airisk commands against their lower bounds, for docs/performance.md.
#
#   scripts/bench.sh                      # everything: N = 1k, 10k, 50k and the 20k-commit history
#   BENCH_SIZES="1000 10000" scripts/bench.sh
#   BENCH_BIN=/path/to/other/airisk BENCH_RESULTS=target/bench/before scripts/bench.sh
#                                         # time another build (before/after) on the same registers
#
# Registers come from examples/gen.rs (cached in $BENCH_DIR, default target/bench; delete it to
# regenerate). Each N is a git repository with a short history (100 commits), so `diff` has two
# revisions to compare; the history benchmark is a register of 1,000 risks with 20,000 commits.
# Every command runs with `--as-of 2026-11-01` (the registers check clean then).
#
# Lower bounds: `parse_bound` (examples/parse_bound.rs: the same files read and parsed by the
# same YAML parser, granit-parser, into a generic value, on both cores) for the register
# commands (`bound-serde-saphyr`, the same through serde-saphyr, the former reader, is shown
# beside it);
# `git log --name-only --format=%H%x09%an%x09%at` over the same repository for history.
# `diff` is compared with two loads: `check --at BASE` plus `check --at HEAD`.
# `history` and `pack` run with the history cache of the previous run (.git/airisk, warm);
# `history-cold` and `pack-cold` delete it first (the first run on a new HEAD).
#
# Timing: hyperfine, $BENCH_WARMUP warm-up runs then $BENCH_RUNS runs; peak memory: the largest
# maximum resident set size of three runs under /usr/bin/time. The load average is recorded
# before each group: other work on the machine makes timings noisy, so compare minimums and
# repeat a group whose spread is large. Results: $BENCH_DIR/results/*.json and results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${BENCH_DIR:-target/bench}
SIZES=${BENCH_SIZES:-"1000 10000 50000"}
# 0 skips the history benchmark.
COMMITS=${BENCH_COMMITS:-20000}
RUNS=${BENCH_RUNS:-10}
WARMUP=${BENCH_WARMUP:-2}
AS_OF=2026-11-01
# Revisions `diff` compares in the N registers (their history has 100 commits).
BASE=HEAD~50

need() { # command, Debian package
    if ! command -v "$1" >/dev/null 2>&1 && ! [ -x "$1" ]; then
        echo "installing $2" >&2
        apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
    fi
}
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

generate() { # folder, gen arguments...
    local out=$1
    shift
    if [ ! -f "$out/.git/bench-ready" ]; then
        rm -rf "$out"
        "$GEN" "$@" "$out"
        # A working clone has a settled index. The generator's is written in the same second
        # as the files, so every entry is "racily clean" and status checks (git's and gix's,
        # for DRAFT) would hash every file on every run. A second later, `git status`
        # refreshes the index and writes it back, as it does in any clone that is used.
        sleep 1
        git -C "$out" status --porcelain >/dev/null
        echo "$*" >"$out/.git/bench-ready"
    fi
}

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
            # shellcheck disable=SC2086 # the command is a word list on purpose
            /usr/bin/time -o "$RESULTS/time.out" -f %M $cmd >/dev/null 2>&1 || true
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

if [ "$COMMITS" -gt 0 ]; then
    hist="$DIR/hist-$COMMITS"
    generate "$hist" --risks 1000 --commits "$COMMITS"
    cmds=(
        bound "git -C $hist log --name-only --format=%H%x09%an%x09%at"
        register-provenance "$AIRISK -C $hist register --provenance --format json --as-of $AS_OF"
        history "$AIRISK -C $hist history R-000001 --as-of $AS_OF"
        history-cold "sh -c 'rm -rf $hist/.git/airisk; exec $AIRISK -C $hist history R-000001 --as-of $AS_OF'"
        check-git "$AIRISK -C $hist check --as-of $AS_OF"
        pack "sh -c 'rm -rf $DIR/pack-out; exec $AIRISK -C $hist pack $DIR/pack-out --as-of $AS_OF'"
        pack-cold "sh -c 'rm -rf $DIR/pack-out $hist/.git/airisk; exec $AIRISK -C $hist pack $DIR/pack-out --as-of $AS_OF'"
    )
    time_group "m$COMMITS" "${cmds[@]}"
    peak_group "m$COMMITS" "${cmds[@]}"
fi

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
for g in sorted(x[:-5] for x in os.listdir(results) if x.startswith("m") and x.endswith(".json")):
    runs, mem, load = group(g)
    b = runs["bound"]
    print(f"History, {int(g[1:]):,} commits (load average before: {load}):")
    print()
    print("| command | mean ± σ | min | peak memory | mean / bound | min / bound |")
    print("|---|---|---|---|---|---|")
    for name, r in runs.items():
        print(f"| {name} | {ms(r['mean'])} ± {ms(r['stddev'])} | {ms(r['min'])} | {mem[name] / 1024:.0f} MB "
              f"| {r['mean'] / b['mean']:.2f} | {r['min'] / b['min']:.2f} |")
EOF
