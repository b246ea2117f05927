#!/usr/bin/env bash
# Paired runs of every git-reading command at several history lengths, for docs/performance.md
# ("Fifth round: git history at two lengths").
#
#   BENCH_BEFORE=/path/to/old/airisk scripts/bench-git.sh
#   BENCH_COMMITS="5000 20000" BENCH_VARIANTS="repacked clone" BENCH_ROUNDS=5 scripts/bench-git.sh
#   BENCH_ROUNDS=0 BENCH_PACK_ROUNDS=3 BENCH_COMPARE=0 ...  # only the pack groups
#
# For each history length M (default 5,000 and 20,000 commits, always 1,000 risks) the
# generator (examples/gen.rs: one `git fast-import` stream, then `git repack -a -d -f`) writes
# target/bench/hist-M once; variant `repacked` is that repository, variant `clone` a
# `git clone --no-local` of it (a fresh pack made by git's transport, as a CI checkout gets;
# only `main` and its remote-tracking refs). Each binary (BENCH_BEFORE when set, then
# BENCH_BIN, default target/release/airisk) runs on its own copy of the repository, so the
# history cache one build writes in .git/airisk never meets the other build.
#
# Every command runs cold (`rm -rf .git/airisk` first: the first run on a new HEAD) and warm
# (with the cache the cold run just left), all of them in turn, round after round
# (scripts/paired.py: BENCH_ROUNDS rounds after one warm-up round; wall time, CPU time, peak
# memory, and the median per-round ratio to the first command). `pack` writes a few thousand
# files and costs ten times the rest together, so it is timed in a group of its own
# ($RESULTS/<variant>-<M>-pack.md, BENCH_PACK_ROUNDS rounds, default BENCH_ROUNDS), with the
# same `git log` bound first. Bounds, named in the table:
#   bound               git log --name-only --format=%H%x09%an%x09%at (every commit, every
#                       changed path): the bound of the history-walking commands
#   bound-diff-stat     git diff BASE HEAD --stat: the bound of `diff` as git sees it
#   load-base/load-head check --at BASE / check --at HEAD, after the after build's `history`
#                       (so warm): two loads, the other bound of `diff`
# Before the timing, every command's output of BENCH_BEFORE and BENCH_BIN is compared (cmp,
# and diff -r for the pack's folder); the result is in $RESULTS/cmp.txt.
# Results: $RESULTS/<variant>-<M>.md and .json (default target/bench/git-results).
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${BENCH_DIR:-target/bench}
COMMITS=${BENCH_COMMITS:-"5000 20000"}
VARIANTS=${BENCH_VARIANTS:-"repacked clone"}
ROUNDS=${BENCH_ROUNDS:-5}
PACK_ROUNDS=${BENCH_PACK_ROUNDS:-$ROUNDS}
# 0: skip the comparison of the two builds' outputs.
COMPARE=${BENCH_COMPARE:-1}
AS_OF=2026-11-01
BASE=HEAD~100
RISK=R-000001

mkdir -p "$DIR"
DIR=$(realpath "$DIR")
RESULTS=${BENCH_RESULTS:-$DIR/git-results}
mkdir -p "$RESULTS"
RESULTS=$(realpath "$RESULTS")

if [ -z "${BENCH_BIN:-}" ] || [ -z "${BENCH_GEN:-}" ]; then
    cargo build --release --quiet --bin airisk --example gen
fi
AFTER=$(realpath "${BENCH_BIN:-target/release/airisk}")
GEN=$(realpath "${BENCH_GEN:-target/release/examples/gen}")
BINS=(after)
declare -A BIN=([after]=$AFTER)
if [ -n "${BENCH_BEFORE:-}" ]; then
    BINS=(before after)
    BIN[before]=$(realpath "$BENCH_BEFORE")
fi

. scripts/bench-common.sh

# The repository of a variant: the generated one, or a --no-local clone of it.
source_repo() { # variant, commits
    local hist=$DIR/hist-$2
    generate "$hist" --risks 1000 --commits "$2"
    if [ "$1" = clone ]; then
        local clone=$DIR/clone-$2
        if [ ! -f "$clone/.git/bench-ready" ]; then
            rm -rf "$clone"
            git clone --quiet --no-local "$hist" "$clone"
            sleep 1
            git -C "$clone" status --porcelain >/dev/null
            echo "clone --no-local of $hist" >"$clone/.git/bench-ready"
        fi
        echo "$clone"
    else
        echo "$hist"
    fi
}

# The commands of one binary on its copy R, as NAME=COMMAND words for paired.py.
commands_of() { # name prefix, binary, repository copy
    local p=$1 a=$2 r=$3
    local cold="rm -rf $r/.git/airisk"
    local run="exec $a -C $r"
    local -A c=(
        [check]="check --as-of $AS_OF"
        [provenance]="register --provenance --format json --as-of $AS_OF"
        [history]="history $RISK --as-of $AS_OF"
        [diff]="diff $BASE HEAD --as-of $AS_OF"
        [report]="report --as-of $AS_OF"
    )
    # history last: its warm run leaves the whole line cached for the loads that follow.
    for k in check provenance diff report history; do
        echo "$p$k-cold=sh -c '$cold; $run ${c[$k]}'"
        echo "$p$k-warm=sh -c '$run ${c[$k]}'"
    done
}

# The same for pack.
pack_commands_of() { # name prefix, binary, repository copy, pack folder
    local p=$1 a=$2 r=$3 out=$4
    local cold="rm -rf $r/.git/airisk"
    local run="exec $a -C $r"
    echo "${p}pack-cold=sh -c 'rm -rf $out; $cold; $run pack $out --as-of $AS_OF'"
    echo "${p}pack-warm=sh -c 'rm -rf $out; $run pack $out --as-of $AS_OF'"
}

# Every command's output, before against after (warm, on their own copies).
compare() { # label, repository copy of before, of after
    local label=$1 rb=$2 ra=$3 t=$RESULTS/cmp
    rm -rf "$t"
    mkdir -p "$t"
    local -a cmds=(
        "check --as-of $AS_OF --format json"
        "check --as-of $AS_OF"
        "register --provenance --format json --as-of $AS_OF"
        "history $RISK --as-of $AS_OF"
        "diff $BASE HEAD --as-of $AS_OF"
        "report --as-of $AS_OF"
    )
    local i=0
    for c in "${cmds[@]}"; do
        i=$((i + 1))
        # shellcheck disable=SC2086 # the command is a word list on purpose
        "${BIN[before]}" -C "$rb" $c >"$t/b$i" 2>&1 || true
        # shellcheck disable=SC2086
        "${BIN[after]}" -C "$ra" $c >"$t/a$i" 2>&1 || true
        if cmp -s "$t/b$i" "$t/a$i"; then
            echo "$label: \`$c\`: identical ($(wc -c <"$t/a$i") bytes)"
        else
            echo "$label: \`$c\`: DIFFERENT"
        fi
    done
    "${BIN[before]}" -C "$rb" pack "$t/pack-b" --as-of "$AS_OF" >/dev/null 2>&1 || true
    "${BIN[after]}" -C "$ra" pack "$t/pack-a" --as-of "$AS_OF" >/dev/null 2>&1 || true
    if diff -r -q "$t/pack-b" "$t/pack-a" >/dev/null; then
        echo "$label: \`pack\`: identical ($(find "$t/pack-a" -type f | wc -l) files)"
    else
        echo "$label: \`pack\`: DIFFERENT ($(diff -r -q "$t/pack-b" "$t/pack-a" | wc -l) files differ)"
    fi
}

: >"$RESULTS/cmp.txt"
for m in $COMMITS; do
    for v in $VARIANTS; do
        src=$(source_repo "$v" "$m")
        words=()
        packs=()
        for b in "${BINS[@]}"; do
            copy=$DIR/run/$v-$m-$b
            rm -rf "$copy" "$DIR/run/pack-$v-$m-$b"
            mkdir -p "$DIR/run"
            cp -a "$src" "$copy"
            rm -rf "$copy/.git/airisk"
        done
        ra=$DIR/run/$v-$m-after
        if [ -n "${BENCH_BEFORE:-}" ] && [ "$COMPARE" = 1 ]; then
            compare "$v, $m commits" "$DIR/run/$v-$m-before" "$ra" | tee -a "$RESULTS/cmp.txt"
        fi
        words+=("bound=git -C $ra log --name-only --format=%H%x09%an%x09%at")
        packs+=("${words[0]}")
        words+=("bound-diff-stat=git -C $ra diff $BASE HEAD --stat")
        for b in "${BINS[@]}"; do
            p=""
            [ ${#BINS[@]} -gt 1 ] && p="$b:"
            while IFS= read -r w; do
                words+=("$w")
            done < <(commands_of "$p" "${BIN[$b]}" "$DIR/run/$v-$m-$b")
            if [ "$b" = after ]; then
                # Two warm loads (the cache `history` just left is whole): a bound of `diff`.
                words+=("load-base=$AFTER -C $ra --at $BASE check --as-of $AS_OF")
                words+=("load-head=$AFTER -C $ra --at HEAD check --as-of $AS_OF")
            fi
            while IFS= read -r w; do
                packs+=("$w")
            done < <(pack_commands_of "$p" "${BIN[$b]}" "$DIR/run/$v-$m-$b" "$DIR/run/pack-$v-$m-$b")
        done
        if [ "$ROUNDS" -gt 0 ]; then
            {
                echo "$v, $m commits; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
                echo
                python3 scripts/paired.py --json "$RESULTS/$v-$m.json" "$ROUNDS" "${words[@]}"
            } | tee "$RESULTS/$v-$m.md"
        fi
        if [ "$PACK_ROUNDS" -gt 0 ]; then
            {
                echo "$v, $m commits, pack; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
                echo
                python3 scripts/paired.py --warmup 0 --json "$RESULTS/$v-$m-pack.json" "$PACK_ROUNDS" "${packs[@]}"
            } | tee "$RESULTS/$v-$m-pack.md"
        fi
    done
done
