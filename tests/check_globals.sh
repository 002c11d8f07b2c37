#!/bin/sh
# No writable globals in the library: any symbol in a writable data section
# (.data, .bss, thread-local, common) fails, except the documented
# CPU-feature cache of the hash kernels.  Const tables holding pointers live
# in .data.rel.ro and are fine.
out=$(objdump -t "$@" 2>/dev/null | awk '$0 ~ /[[:space:]](\.data|\.bss|\.tdata|\.tbss|\*COM\*)([.[:space:]]|$)/ && $0 !~ /\.data\.rel\.ro/ && $NF !~ /^\./ && $(NF-1) !~ /^0+$/ {print $NF}' | grep -v 'cpu_features' | sort -u || true)
if [ -n "$out" ]; then echo "check-globals: writable global state found:"; echo "$out"; exit 1; fi
echo "check-globals: no writable globals"
