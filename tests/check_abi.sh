#!/bin/sh
# The exported symbol list is a promise to tool authors: fail when it
# changes without a version change.  Usage: check_abi.sh LIB SYMFILE VERSION
lib=$1 symfile=$2 version=$3
tmp=$(mktemp)
nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort > "$tmp"
bad=$(grep -v '^csig_' "$tmp" | grep -v '^LIBCSIG_' || true)
if [ -n "$bad" ]; then echo "check-abi: exported symbols without the csig_ prefix:"; echo "$bad"; rm -f "$tmp"; exit 1; fi
if grep -q '^csig__' "$tmp"; then echo "check-abi: internal csig__ symbols exported:"; grep '^csig__' "$tmp"; rm -f "$tmp"; exit 1; fi
# The library links libc only (and pthreads): no other NEEDED entry.
if command -v readelf >/dev/null 2>&1; then
	extra=$(readelf -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -v -E '^(libc|libpthread)\.so' || true)
	if [ -n "$extra" ]; then echo "check-abi: the library needs more than libc: $extra"; rm -f "$tmp"; exit 1; fi
fi
recorded=$(sed -n 's/^# libcsig //p' "$symfile" | head -1)
if grep -v '^#' "$symfile" | diff -u - "$tmp" > "$tmp.diff"; then
	echo "check-abi: $(wc -l < "$tmp") exported symbols match $symfile"
	rm -f "$tmp" "$tmp.diff"; exit 0
fi
if [ "$recorded" = "$version" ]; then
	cat "$tmp.diff"
	echo "check-abi: exported symbols changed but the version is still $version;"
	echo "  bump CSIG_VERSION_* in include/csig/common.h, then run 'make abi-update'"
	echo "  (during the initial 1.0.0 development, 'make abi-update' alone records additions)"
	rm -f "$tmp" "$tmp.diff"; exit 1
fi
echo "check-abi: symbols changed with version $recorded -> $version; run 'make abi-update' to record them"
rm -f "$tmp" "$tmp.diff"; exit 1
