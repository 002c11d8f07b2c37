#!/usr/bin/env python3
"""machosign.py - tiny ad-hoc signer used only to build test fixtures.

It (re)writes the embedded signature of a thin little-endian 64-bit Mach-O
that already has an LC_CODE_SIGNATURE as the last data of __LINKEDIT (as
ld64.lld writes it), in the shape Apple's `codesign -s -` produces:
CodeDirectories (slot 0 = lowest hashType, alternates 0x1000.. ascending),
an empty requirement set (slot 2), optional XML entitlements (slot 5),
slot 1 = hash of the __TEXT,__info_plist section when present, and an
empty CMS BlobWrapper (slot 0x10000).  Not a general signing tool.

CLI: machosign.py IN OUT IDENT [--hash 1,2] [--entitlements FILE] [--no-reqs] [--no-cms]
"""
import hashlib
import struct
import sys

LC_SEGMENT_64 = 0x19
LC_CODE_SIGNATURE = 0x1D
HASH = {1: ("sha1", 20), 2: ("sha256", 32), 3: ("sha256", 20), 4: ("sha384", 48)}


def h(ht, data):
    name, size = HASH[ht]
    return hashlib.new(name, data).digest()[:size]


def blob(magic, payload):
    return struct.pack(">II", magic, 8 + len(payload)) + payload


def superblob(magic, items):
    """items: list of (type, bytes) -> SuperBlob, entries sorted by type."""
    items = sorted(items, key=lambda t: t[0])
    off = 12 + 8 * len(items)
    index = b""
    body = b""
    for typ, b in items:
        index += struct.pack(">II", typ, off + len(body))
        body += b
    return struct.pack(">III", magic, 12 + len(index) + len(body), len(items)) + index + body


def empty_requirements():
    return superblob(0xFADE0C01, [])


def code_directory(code, ident, ht, page_log2, special, flags, exec_seg, team=None,
                   version=0x20400, platform=0, n_code_override=None, limit_override=None):
    """special: dict slot -> digest.  exec_seg: (base, limit, flags)."""
    _, hsize = HASH[ht]
    limit = len(code) if limit_override is None else limit_override
    page = 1 << page_log2
    hashes = [h(ht, code[i:i + page]) for i in range(0, len(code), page)]
    if n_code_override is not None:
        hashes = (hashes + [b"\0" * hsize] * n_code_override)[:n_code_override]
    nspecial = max(special) if special else 0
    hdr_len = {0x20100: 48, 0x20200: 52, 0x20300: 64, 0x20400: 88}[version]
    ident_b = ident.encode() + b"\0"
    team_b = (team.encode() + b"\0") if team else b""
    ident_off = hdr_len
    team_off = ident_off + len(ident_b) if team else 0
    hash_off = hdr_len + len(ident_b) + len(team_b) + nspecial * hsize
    sp = b"".join(special.get(k, b"\0" * hsize) for k in range(nspecial, 0, -1))
    length = hash_off + len(hashes) * hsize
    f = struct.pack(">IIIIIIIIIBBBBI", 0xFADE0C02, length, version, flags, hash_off, ident_off,
                    nspecial, len(hashes), min(limit, 0xFFFFFFFF), hsize, ht, platform, page_log2, 0)
    f += struct.pack(">I", 0)                       # scatterOffset
    if version >= 0x20200:
        f += struct.pack(">I", team_off)
    if version >= 0x20300:
        f += struct.pack(">IQ", 0, 0)               # spare3, codeLimit64
    if version >= 0x20400:
        f += struct.pack(">QQQ", *exec_seg)
    assert len(f) == hdr_len
    return f + ident_b + team_b + sp + b"".join(hashes)


def load_commands(buf):
    ncmds, sizeofcmds = struct.unpack_from("<II", buf, 16)
    off = 32
    out = []
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", buf, off)
        out.append((cmd, off, size))
        off += size
    return out


def segment(buf, name):
    for cmd, off, size in load_commands(buf):
        if cmd == LC_SEGMENT_64 and buf[off + 8:off + 24].rstrip(b"\0") == name:
            return off
    return None


def info_plist_section(buf):
    off = segment(buf, b"__TEXT")
    if off is None:
        return None
    nsects = struct.unpack_from("<I", buf, off + 64)[0]
    for k in range(nsects):
        s = off + 72 + 80 * k
        if buf[s:s + 16].rstrip(b"\0") == b"__info_plist":
            size, foff = struct.unpack_from("<QI", buf, s + 40)
            return bytes(buf[foff:foff + size])
    return None


def sign(data, ident, hash_types=(2,), page_log2=12, entitlements=None, reqs=True, cms=True,
         flags=0x2, team=None):
    buf = bytearray(data)
    assert struct.unpack_from("<I", buf, 0)[0] == 0xFEEDFACF, "64-bit LE Mach-O only"
    filetype = struct.unpack_from("<I", buf, 12)[0]
    cs = [c for c in load_commands(buf) if c[0] == LC_CODE_SIGNATURE]
    assert cs, "needs an LC_CODE_SIGNATURE to rewrite"
    cs_off = cs[0][1]
    dataoff = struct.unpack_from("<I", buf, cs_off + 8)[0]
    text = segment(buf, b"__TEXT")
    t_fileoff, t_filesize = struct.unpack_from("<QQ", buf, text + 40)
    exec_seg = (t_fileoff, t_filesize, 1 if filetype == 2 else 0)

    def build(code):
        special = {}
        extra = []
        plist = info_plist_section(code)
        if reqs:
            extra.append((2, empty_requirements()))
        if entitlements is not None:
            extra.append((5, blob(0xFADE7171, entitlements)))
        if cms:
            extra.append((0x10000, blob(0xFADE0B01, b"")))
        cds = []
        for n, ht in enumerate(sorted(hash_types)):
            sp = {}
            if plist is not None:
                sp[1] = h(ht, plist)
            for typ, b in extra:
                if typ in (2, 5):
                    sp[typ] = h(ht, b)
            cds.append((0 if n == 0 else 0x1000 + n - 1,
                        code_directory(code, ident, ht, page_log2, sp, flags, exec_seg, team)))
        return superblob(0xFADE0CC0, cds + extra)

    size = len(build(bytes(buf[:dataoff])))
    datasize = (size + 15) & ~15
    struct.pack_into("<I", buf, cs_off + 12, datasize)
    le = segment(buf, b"__LINKEDIT")
    le_vmaddr, le_vmsize, le_fileoff, le_filesize = struct.unpack_from("<QQQQ", buf, le + 24)
    new_filesize = dataoff + datasize - le_fileoff
    new_vmsize = max(le_vmsize, (new_filesize + 0x3FFF) & ~0x3FFF)
    struct.pack_into("<QQQQ", buf, le + 24, le_vmaddr, new_vmsize, le_fileoff, new_filesize)
    del buf[dataoff:]
    sb = build(bytes(buf))
    assert len(sb) == size
    buf += sb + b"\0" * (datasize - size)
    return bytes(buf)


def main(argv):
    if len(argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    src, dst, ident = argv[1:4]
    kw = {}
    rest = argv[4:]
    i = 0
    while i < len(rest):
        a = rest[i]
        if a == "--hash":
            kw["hash_types"] = tuple(int(x) for x in rest[i + 1].split(","))
            i += 1
        elif a == "--entitlements":
            kw["entitlements"] = open(rest[i + 1], "rb").read()
            i += 1
        elif a == "--no-reqs":
            kw["reqs"] = False
        elif a == "--no-cms":
            kw["cms"] = False
        else:
            raise SystemExit("machosign: unknown option " + a)
        i += 1
    out = sign(open(src, "rb").read(), ident, **kw)
    with open(dst, "wb") as f:
        f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
