#!/usr/bin/env python3
"""handmade.py - fixtures written byte by byte (no linker).

  handmade.py ppc OUT   big-endian 32-bit PowerPC MH_EXECUTE (MH_MAGIC stored
                        big-endian, cputype 18), 2 load commands
                        (LC_SEGMENT __TEXT, LC_UUID), unsigned, 128 bytes.
  handmade.py min OUT   minimal signed arm64 MH_EXECUTE: __TEXT (0x1800 bytes,
                        2 pages of 4 KiB, the last one short), __LINKEDIT,
                        LC_UUID, LC_CODE_SIGNATURE; ad-hoc signature by
                        machosign.py (SHA-256 CD v0x20400, empty requirement
                        set, empty CMS wrapper).  make_bad.py mutates it.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import machosign  # noqa: E402

UUID_PPC = bytes.fromhex("c516c0de000040008000000000000ec0")
UUID_MIN = bytes.fromhex("c516c0de000040008000000000000a64")


def ppc():
    size = 128
    seg = struct.pack(">II16sIIIIiiII", 0x1, 56, b"__TEXT", 0x1000, 0x1000, 0, size, 5, 5, 0, 0)
    uuid = struct.pack(">II", 0x1B, 24) + UUID_PPC
    cmds = seg + uuid
    hdr = struct.pack(">IiiIIII", 0xFEEDFACE, 18, 0, 2, 2, len(cmds), 0x1)
    out = hdr + cmds
    code = b"\x38\x60\x00\x00\x4e\x80\x00\x20"      # li r3,0 ; blr
    out += code
    return out + b"\0" * (size - len(out))


TEXT_SIZE = 0x1800


def unsigned_min():
    """Skeleton with an empty LC_CODE_SIGNATURE at the end of __TEXT."""
    text = struct.pack("<II16sQQQQiiII", 0x19, 72, b"__TEXT", 0x100000000, 0x2000, 0, TEXT_SIZE, 5, 5, 0, 0)
    link = struct.pack("<II16sQQQQiiII", 0x19, 72, b"__LINKEDIT", 0x100004000, 0x4000, TEXT_SIZE, 0, 1, 1, 0, 0)
    uuid = struct.pack("<II", 0x1B, 24) + UUID_MIN
    cs = struct.pack("<IIII", 0x1D, 16, TEXT_SIZE, 0)
    cmds = text + link + uuid + cs
    hdr = struct.pack("<IiiIIIII", 0xFEEDFACF, 0x0100000C, 0, 2, 4, len(cmds), 0x1, 0)
    body = bytearray(hdr + cmds)
    # deterministic filler "code": page 1 differs from page 0
    while len(body) < TEXT_SIZE:
        body += struct.pack("<I", (0xD503201F + len(body)) & 0xFFFFFFFF)   # arm64 NOP-ish words
    return bytes(body[:TEXT_SIZE])


def minimal(ident="handmade-min-arm64"):
    return machosign.sign(unsigned_min(), ident, hash_types=(2,))


def main(argv):
    if len(argv) != 3 or argv[1] not in ("ppc", "min"):
        sys.stderr.write(__doc__)
        return 2
    data = ppc() if argv[1] == "ppc" else minimal()
    with open(argv[2], "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
