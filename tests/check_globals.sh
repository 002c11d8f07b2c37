#!/bin/sh
# No writable globals in the library: any data/bss symbol fails the build,
# except the documented CPU-feature cache of the hash kernels.
out=$(nm "$@" 2>/dev/null | awk '$2 ~ /^[dDbBcC]$/ {print $3}' | grep -v 'cpu_features' || true)
if [ -n "$out" ]; then echo "check-globals: writable global state found:"; echo "$out"; exit 1; fi
echo "check-globals: no writable globals"
