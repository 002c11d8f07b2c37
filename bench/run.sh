#!/bin/sh
# run.sh - `make bench`: build what the benchmark needs, make the big test
# files (bench/make_big.sh, cached in ${CSIG_BENCH_DIR:-/tmp/csig-bench}),
# then measure openssl and `csig verify` side by side (bench/bench.py) and
# print one Markdown table; then (rows 2-4) install the peers into
# ${CSIG_PEERS_DIR:-/tmp/csig-peers} (bench/peers.sh), make the 20,000-file
# tree and a 1 GiB Mach-O (bench/make_scan_inputs.py) and compare `csig info`
# with rcodesign, go-macho and LIEF, time `csig scan` and measure RSS
# (bench/peers.py, a second table).  Takes about a minute for row 1 once the
# files exist, several more for rows 2-4 (the first run also compiles
# rcodesign, 5-15 min).
#
# Environment: CSIG_BENCH_DIR (cache dir), BENCH_REPS (runs per row, 9),
# PYTHON (python3), CC (cc), BENCH_NICE (e.g. -15: run the measurements in a
# new session whose scheduler autogroup gets that nice value; on a shared
# machine with sched_autogroup_enabled=1 every session gets an equal CPU
# share whatever its thread count, so without this two threads cannot beat
# one while other sessions are busy.  A negative value needs root),
# BENCH_PEERS=0 (row 1 only), BENCH_PEER_REPS (7), BENCH_SCAN_REPS (3),
# SCAN_FILES (20000), CSIG_PEERS_DIR.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${CSIG_BENCH_DIR:-/tmp/csig-bench}
PYTHON=${PYTHON:-python3}
CC=${CC:-cc}
export CSIG_BENCH_DIR="$OUT"

# Build a private copy of the CLI and library in the cache directory (same
# sources and flags; B= is the Makefile's build directory), so a concurrent
# `make` in build/ cannot swap libcsig.a under the link.  Fall back to
# build/ when that fails.
B="$OUT/build"
CSIG="$B/csig"
LIBA="$B/libcsig.a"
mkdir -p "$OUT"
if ! make -s B="$B" "$CSIG" "$LIBA" >&2; then
	if [ -x build/csig ] && [ -f build/libcsig.a ]; then
		echo "run.sh: warning: private build failed; benchmarking build/csig" >&2
		CSIG="$ROOT/build/csig"
		LIBA="$ROOT/build/libcsig.a"
	else
		echo "run.sh: cannot build csig" >&2
		exit 1
	fi
fi
command -v openssl >/dev/null 2>&1 || { echo "run.sh: needs openssl" >&2; exit 1; }

sh bench/make_big.sh >&2

PROBE="$OUT/probe"
if ! $CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
	-Iinclude -Ilibcsig bench/probe.c "$LIBA" -lpthread -o "$PROBE" >&2; then
	echo "run.sh: warning: bench/probe.c did not build; no diagnostics" >&2
	PROBE=""
fi

# Rows 2-4 (info vs peers, scan, RSS): peers installed into a cache outside
# the repository (bench/peers.sh), inputs generated there
# (bench/make_scan_inputs.py), measured by bench/peers.py.  BENCH_PEERS=0
# skips them.
if [ "${BENCH_PEERS:-1}" != 0 ]; then
	sh bench/peers.sh >&2
	"$PYTHON" bench/make_scan_inputs.py --dir "$OUT" >&2
fi

export CSIG PROBE PYTHON
if [ -n "${BENCH_NICE:-}" ]; then
	exec setsid sh -c 'echo "$1" >/proc/self/autogroup ||
		echo "run.sh: warning: cannot set the autogroup nice value" >&2
		exec sh bench/measure.sh' sh "$BENCH_NICE"
fi
exec sh bench/measure.sh
