#!/usr/bin/env python3
"""mkfat64.py OUT THIN... - write a FAT_MAGIC_64 (0xcafebabf) universal file.

llvm-lipo 14 cannot write fat64, so this does it: big-endian fat_header
{magic, nfat_arch}, then one 32-byte fat_arch_64 {cputype, cpusubtype,
offset u64, size u64, align u32, reserved u32} per input, then each thin
input at an offset aligned to 2^14 (align field 14).  Deterministic.
"""
import struct
import sys

ALIGN_LOG2 = 14


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    out, inputs = argv[1], argv[2:]
    thins = [open(p, "rb").read() for p in inputs]
    hdr = struct.pack(">II", 0xCAFEBABF, len(thins))
    entries = b""
    body = b""
    off = 1 << ALIGN_LOG2
    placed = []
    for t in thins:
        magic = struct.unpack_from("<I", t, 0)[0]
        if magic not in (0xFEEDFACE, 0xFEEDFACF):
            raise SystemExit("mkfat64: input is not a little-endian thin Mach-O")
        cputype, cpusubtype = struct.unpack_from("<iI", t, 4)
        entries += struct.pack(">iIQQII", cputype, cpusubtype, off, len(t), ALIGN_LOG2, 0)
        placed.append((off, t))
        off = (off + len(t) + (1 << ALIGN_LOG2) - 1) & ~((1 << ALIGN_LOG2) - 1)
    buf = bytearray(hdr + entries)
    for o, t in placed:
        buf += b"\0" * (o - len(buf))
        buf += t
    with open(out, "wb") as f:
        f.write(buf)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
