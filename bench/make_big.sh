#!/bin/sh
# make_big.sh - build the large signed arm64 Mach-O files the benchmark
# (bench/run.sh) verifies.  Output goes to a cache directory outside the
# repository, ${CSIG_BENCH_DIR:-/tmp/csig-bench}; nothing here is committed.
#
#   big-lld        hello.c + a 256 MiB pseudo-random __TEXT,__big section
#                  (-sectcreate), linked by ld64.lld with its ad-hoc
#                  "linker-signed" signature: one SHA-256 CD, 4 KiB pages
#   big-sha1-256   the same code re-signed by testdata/tools/machosign.py like
#                  `codesign -s -`: SHA-1 CD (slot 0) + SHA-256 CD (0x1000),
#                  4 KiB pages, empty requirements, empty CMS wrapper
#   big-16k        re-signed by machosign.py with one SHA-256 CD, 16 KiB pages
#   big-lld.code   the first dataoff bytes (the code region, i.e. the bytes
#                  the CodeDirectories hash): input for `openssl dgst`.  The
#                  re-signed files have the same dataoff and differ from it
#                  only in a few load-command bytes of page 0
#   *.dataoff      LC_CODE_SIGNATURE dataoff of each, in decimal
#   small          testdata/good/adhoc-arm64, for the process baseline RSS
#
# The section is deterministic (AES-128-CTR keystream of a fixed key, via
# openssl), so two runs give the same files.  Files are rebuilt only when
# this script or BIG_MIB changes (a stamp file records both).
#
# Usage: bench/make_big.sh            (BIG_MIB=256 by default)
# Tools: CLANG= (clang-14), LLD= (ld64.lld-14), PYTHON= (python3), openssl.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SRC=$ROOT/testdata/src
TOOLS=$ROOT/testdata/tools
OUT=${CSIG_BENCH_DIR:-/tmp/csig-bench}
BIG_MIB=${BIG_MIB:-256}
CLANG=${CLANG:-clang-14}
LLD=${LLD:-ld64.lld-14}
PYTHON=${PYTHON:-python3}

case "$OUT" in
"$ROOT" | "$ROOT"/*)
	echo "make_big.sh: CSIG_BENCH_DIR must be outside the repository" >&2
	exit 2
	;;
esac
mkdir -p "$OUT"

stamp="$(cksum <"$0" | cut -d' ' -f1) mib=$BIG_MIB"
if [ -f "$OUT/stamp" ] && [ "$(cat "$OUT/stamp")" = "$stamp" ] &&
	[ -f "$OUT/big-lld" ] && [ -f "$OUT/big-sha1-256" ] && [ -f "$OUT/big-16k" ]; then
	echo "make_big.sh: $OUT is up to date"
	exit 0
fi
rm -f "$OUT/stamp"

TMP=$(mktemp -d "$OUT/tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

echo "make_big.sh: ${BIG_MIB} MiB section -> $OUT"
# pseudo-random, incompressible, reproducible
head -c $((BIG_MIB * 1048576)) /dev/zero |
	openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f \
		-iv 00000000000000000000000000000000 >"$TMP/big.bin"

"$CLANG" -target arm64-apple-macos11 -Os -fno-stack-protector \
	-fno-asynchronous-unwind-tables -c "$SRC/hello.c" -o "$TMP/hello.o"
# lld uses the output file name as the identifier: link under the final name
"$LLD" -arch arm64 -platform_version macos 11.0 11.0 \
	-sectcreate __TEXT __big "$TMP/big.bin" \
	"$TMP/hello.o" "$SRC/libSystem.tbd" -o "$TMP/big-lld"
rm -f "$TMP/big.bin"

# Re-sign with the fixture signer; it has no CLI switch for the page size,
# so call its sign() directly.  Also write the code regions for openssl.
"$PYTHON" -B - "$TOOLS" "$TMP" <<'EOF'
import struct, sys
sys.path.insert(0, sys.argv[1])
import machosign
tmp = sys.argv[2]

def dataoff(buf):
    for cmd, off, size in machosign.load_commands(buf):
        if cmd == machosign.LC_CODE_SIGNATURE:
            return struct.unpack_from("<I", buf, off + 8)[0]
    raise SystemExit("no LC_CODE_SIGNATURE")

src = open(tmp + "/big-lld", "rb").read()
files = {"big-lld": src}
files["big-sha1-256"] = machosign.sign(src, "big-sha1-256", hash_types=(1, 2))
files["big-16k"] = machosign.sign(src, "big-16k", hash_types=(2,), page_log2=14)
for name, buf in files.items():
    if name != "big-lld":
        with open(tmp + "/" + name, "wb") as f:
            f.write(buf)
    d = dataoff(buf)
    if name == "big-lld":
        with open(tmp + "/" + name + ".code", "wb") as f:
            f.write(memoryview(buf)[:d])
    elif buf[4096:d] != src[4096:d]:
        # only the load commands (LC_CODE_SIGNATURE size, __LINKEDIT) differ
        raise SystemExit("make_big: re-signing changed code pages of " + name)
    with open(tmp + "/" + name + ".dataoff", "w") as f:
        f.write("%d\n" % d)
EOF

cp "$ROOT/testdata/good/adhoc-arm64" "$TMP/small"
rm -f "$OUT"/*.code
mv "$TMP/big-lld.code" "$OUT/"
for f in big-lld big-sha1-256 big-16k; do
	mv "$TMP/$f" "$TMP/$f.dataoff" "$OUT/"
done
mv "$TMP/small" "$OUT/small"
echo "$stamp" >"$OUT/stamp"
echo "make_big.sh: done"
