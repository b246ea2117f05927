#!/usr/bin/env bash
# The language server's figures for docs/performance.md: a scripted editor
# (examples/lsp_bench.rs) on a generated register of N risks (default 10,000), in release.
#
#   scripts/lsp-bench.sh                 # N = 10000, 50 rounds of each request
#   LSP_BENCH_RISKS=1000 LSP_BENCH_ROUNDS=20 scripts/lsp-bench.sh
#
# The register is generated once into $BENCH_DIR/lsp-reg-N (default target/bench), as a git
# repository with 100 commits like scripts/bench.sh's, so the git rules run too. Peak memory
# of `check` comes from /usr/bin/time (Debian package `time`) when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${BENCH_DIR:-target/bench}
N=${LSP_BENCH_RISKS:-10000}
ROUNDS=${LSP_BENCH_ROUNDS:-50}

cargo build --release --quiet --bin airisk --example gen --example lsp_bench
reg="$DIR/lsp-reg-$N"
if [ ! -f "$reg/airisk.toml" ]; then
    rm -rf "$reg"
    mkdir -p "$DIR"
    target/release/examples/gen --risks "$N" --commits 100 "$reg" >/dev/null
    # Settle the index (see scripts/bench.sh: a racily clean index is hashed on every status).
    sleep 1
    git -C "$reg" status --porcelain >/dev/null
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
target/release/examples/lsp_bench "$(realpath target/release/airisk)" "$reg" --rounds "$ROUNDS"
