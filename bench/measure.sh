#!/bin/sh
# measure.sh - the measuring step of bench/run.sh (which builds, makes the
# inputs and exports CSIG_BENCH_DIR, CSIG, PROBE, PYTHON): row 1 (verify vs
# openssl, bench/bench.py), then rows 2-4 (info vs peers, scan, RSS,
# bench/peers.py) unless BENCH_PEERS=0.  Run from the repository root.
set -eu
"$PYTHON" bench/bench.py --dir "$CSIG_BENCH_DIR" --csig "$CSIG" \
	${PROBE:+--probe "$PROBE"} --reps "${BENCH_REPS:-9}"
if [ "${BENCH_PEERS:-1}" != 0 ]; then
	echo
	"$PYTHON" bench/peers.py --dir "$CSIG_BENCH_DIR" --csig "$CSIG" \
		--reps "${BENCH_PEER_REPS:-7}" --scan-reps "${BENCH_SCAN_REPS:-3}"
fi
