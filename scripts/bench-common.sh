# Shared by scripts/bench.sh and scripts/bench-git.sh (sourced, not run): installing the
# tools a benchmark needs, and generating a register once. `generate` needs $GEN set.

need() { # command, Debian package
    if ! command -v "$1" >/dev/null 2>&1 && ! [ -x "$1" ]; then
        echo "installing $2" >&2
        apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
    fi
}

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
