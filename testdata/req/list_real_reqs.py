#!/usr/bin/env python3
"""List the requirement sets (slot 2) embedded in the real fixtures.

Usage: list_real_reqs.py FIXTURES_DIR
Prints one line per Mach-O slice that carries a requirement set:
    <path relative to FIXTURES_DIR>|<slice index>|<hex of the 0xfade0c01 blob>
and one line per bundle CodeRequirements file (slice index "-").
Used once to draft testdata/req/real-expected.txt, whose texts were then
checked by hand against FORMAT.md 3.4 and the fixture descriptions; the
fixtures themselves are never copied into the repository.
"""
import os
import struct
import sys


def slices(data):
    magic = struct.unpack_from(">I", data, 0)[0]
    if magic in (0xCAFEBABE, 0xCAFEBABF):
        n = struct.unpack_from(">I", data, 4)[0]
        if n > 64:
            return []
        wide = magic == 0xCAFEBABF
        out = []
        for i in range(n):
            if wide:
                _, _, off, size, _, _ = struct.unpack_from(">iiQQII", data, 8 + 32 * i)
            else:
                _, _, off, size, _ = struct.unpack_from(">iiIII", data, 8 + 20 * i)
            out.append(data[off:off + size])
        return out
    return [data]


def reqset(sl):
    if len(sl) < 32:
        return None
    m = struct.unpack_from("<I", sl, 0)[0]
    if m not in (0xFEEDFACE, 0xFEEDFACF):
        return None
    ncmds = struct.unpack_from("<I", sl, 16)[0]
    off = 32 if m == 0xFEEDFACF else 28
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", sl, off)
        if cmd == 0x1D:
            dataoff, datasize = struct.unpack_from("<II", sl, off + 8)
            sb = sl[dataoff:dataoff + datasize]
            count = struct.unpack_from(">I", sb, 8)[0]
            for i in range(count):
                typ, o = struct.unpack_from(">II", sb, 12 + 8 * i)
                if typ == 2:
                    ln = struct.unpack_from(">I", sb, o + 4)[0]
                    return sb[o:o + ln]
        off += size
    return None


def main():
    root = sys.argv[1]
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            data = open(p, "rb").read()
            if f == "CodeRequirements":
                print("%s|-|%s" % (rel, data.hex()))
                continue
            if len(data) < 8:
                continue
            for i, sl in enumerate(slices(data)):
                try:
                    rs = reqset(sl)
                except struct.error:
                    rs = None
                if rs:
                    print("%s|%d|%s" % (rel, i, rs.hex()))


if __name__ == "__main__":
    main()
