#!/bin/bash
# make-fixtures.sh - regenerate every generated fixture under testdata/good/
# and testdata/bad/, then testdata/expected.json (and expected-real.json when
# the real fixtures are present).  Deterministic: the same tool versions give
# byte-identical files.  Needs clang-14, ld64.lld-14, llvm-lipo-14,
# llvm-otool-14, python3 and Go (no macOS SDK: src/*.tbd stand in for it).
#
# Usage: testdata/make-fixtures.sh            (from anywhere)
# Override tools with CLANG=, LLD=, LIPO=, GO=, PYTHON=.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$HERE/src
GOOD=$HERE/good
BAD=$HERE/bad
TOOLS=$HERE/tools
CLANG=${CLANG:-clang-14}
LLD=${LLD:-ld64.lld-14}
LIPO=${LIPO:-llvm-lipo-14}
PYTHON=${PYTHON:-python3}
if [ -z "${GO:-}" ]; then
	if command -v go >/dev/null 2>&1; then GO=go; else GO=/usr/local/go/bin/go; fi
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$GOOD" "$BAD"

MACOS="-platform_version macos 11.0 11.0"
CFLAGS="-Os -fno-stack-protector -fno-asynchronous-unwind-tables"

cc_obj() { # target src out
	"$CLANG" -target "$1" $CFLAGS -c "$2" -o "$3"
}

# Link into $TMP/<name> first: lld uses the output file name as the
# signature identifier, so every fixture is linked under its final name.
link() { # name args...
	local name=$1
	shift
	rm -f "$TMP/$name"
	"$LLD" "$@" -o "$TMP/$name"
	cp "$TMP/$name" "$GOOD/$name"
}

cc_obj arm64-apple-macos11 "$SRC/hello.c" "$TMP/hello-arm64.o"
cc_obj x86_64-apple-macos11 "$SRC/hello.c" "$TMP/hello-x86_64.o"
cc_obj arm64_32-apple-watchos5 "$SRC/hello.c" "$TMP/hello-arm64_32.o"
cc_obj arm64-apple-macos11 "$SRC/lib.c" "$TMP/lib-arm64.o"

# thin arm64: lld ad-hoc ("linker-signed") signs arm64 by default
link adhoc-arm64 -arch arm64 $MACOS "$TMP/hello-arm64.o" "$SRC/libSystem.tbd"
link unsigned-arm64 -arch arm64 $MACOS -no_adhoc_codesign "$TMP/hello-arm64.o" "$SRC/libSystem.tbd"
# thin x86_64: unsigned by default, -adhoc_codesign asks for a signature
link adhoc-x86_64 -arch x86_64 $MACOS -adhoc_codesign "$TMP/hello-x86_64.o" "$SRC/libSystem.tbd"
link unsigned-x86_64 -arch x86_64 $MACOS "$TMP/hello-x86_64.o" "$SRC/libSystem.tbd"
# dylib: LC_ID_DYLIB, LC_RPATH, LC_LOAD_DYLIB of libSystem and of an @rpath stub
link adhoc-arm64.dylib -arch arm64 $MACOS -dylib -install_name @rpath/libcsigfixture.dylib \
	-current_version 1.2.3 -compatibility_version 1.0.0 -rpath @loader_path/../lib \
	"$TMP/lib-arm64.o" "$SRC/libSystem.tbd" "$SRC/libcsigstub.tbd"
# __TEXT,__info_plist section (lld's signature has no special slots, so slot 1 is absent)
link adhoc-infoplist-arm64 -arch arm64 $MACOS -sectcreate __TEXT __info_plist "$SRC/Info.plist" \
	"$TMP/hello-arm64.o" "$SRC/libSystem.tbd"
# arm64_32 (watchOS, 32-bit MH_MAGIC); lld signs it only when asked.  armv7: lld 14 cannot link it.
link adhoc-arm64_32 -arch arm64_32 -platform_version watchos 5.0 5.0 -adhoc_codesign \
	"$TMP/hello-arm64_32.o" "$SRC/libSystem.tbd"

# Apple-codesign-shaped ad-hoc signature written by tools/machosign.py:
# SHA-1 CD (slot 0) + SHA-256 CD (0x1000), slot 1 = __info_plist, empty
# requirements (2), XML entitlements (5), empty CMS wrapper (0x10000).
"$PYTHON" "$TOOLS/machosign.py" "$GOOD/adhoc-infoplist-arm64" "$GOOD/pysigned-arm64" pysigned-arm64 \
	--hash 1,2 --entitlements "$SRC/entitlements.plist"

# fat files
"$LIPO" -create "$GOOD/adhoc-arm64" "$GOOD/adhoc-x86_64" -output "$GOOD/fat-arm64-x86_64"
"$LIPO" -create "$GOOD/adhoc-arm64" "$GOOD/unsigned-x86_64" -output "$GOOD/fat-mixed"
# llvm-lipo 14 has no -fat64: tools/mkfat64.py writes FAT_MAGIC_64
"$PYTHON" "$TOOLS/mkfat64.py" "$GOOD/fat64" "$GOOD/adhoc-arm64" "$GOOD/adhoc-x86_64"

# hand-made files
"$PYTHON" "$TOOLS/handmade.py" ppc "$GOOD/handmade-ppc-be"
"$PYTHON" "$TOOLS/handmade.py" min "$GOOD/handmade-min-arm64"

# Go: the Go linker ad-hoc signs darwin/arm64 itself; darwin/amd64 stays unsigned
mkdir -p "$TMP/go"
cp "$SRC/go/main.go" "$SRC/go/go.mod" "$TMP/go/"
for a in arm64 amd64; do
	(cd "$TMP/go" && env GOOS=darwin GOARCH=$a CGO_ENABLED=0 GOFLAGS= GOTOOLCHAIN=local GOPROXY=off \
		"$GO" build -trimpath -buildvcs=false -ldflags='-s -w -buildid=' -o "$TMP/go-$a" .)
	cp "$TMP/go-$a" "$GOOD/go-$a"
done

# malformed inputs
"$PYTHON" "$TOOLS/make_bad.py" "$BAD"

# expected values
"$PYTHON" "$TOOLS/make_expected.py"
