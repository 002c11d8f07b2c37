#!/bin/sh
# Build products of examples/ run on shipped fixtures; each must succeed.
set -e
B=$1
T=${CSIG_TESTDATA:-testdata}
for ex in "$B"/examples/*; do
	[ -x "$ex" ] || continue
	name=$(basename "$ex")
	echo "== example $name"
	"$ex" "$T/good/adhoc-arm64" > /dev/null
done
"$B/csig" macho "$T/good/adhoc-arm64" > /dev/null
echo "examples-run: ok"
