#!/usr/bin/env python3
"""Make testdata/zip/: small zip archives (good and hostile), the expected
values the C tests compare against, and DEFLATE test vectors.

Everything comes from Python's own zipfile/zlib modules (an implementation
independent of libcsig) or from the tiny hand-rolled writer below for shapes
zipfile will not produce (zip64 end records, overlapping entries, lying
headers).  Deterministic: fixed timestamps, seeded PRNG.

    python3 testdata/zip/make_zip_fixtures.py [--corpus tests/fuzz/corpus]

Outputs (next to this script):
  *.zip                  archives; bad ones are named bad-*.zip
  expected.tsv           one F line per archive (open result, entry count) and
                         one E line per entry (see the header line)
  expected-real.tsv      the same for the zips in $CSIG_FIXTURES_REAL
                         (derived values only; the files are never copied)
  inflate-vectors.bin    raw DEFLATE streams made by zlib + SHA-256 of the
                         data they decode to (format in write_vectors)
"""
import hashlib
import io
import os
import random
import stat
import struct
import sys
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DT = (1980, 1, 1, 0, 0, 0)

# csig_zip_entry_suspicious() bits, mirrored from include/csig/zip.h
S_DOTDOT, S_ABSOLUTE, S_BACKSLASH, S_NUL, S_DUPLICATE, S_EMPTY = 1, 2, 4, 8, 16, 32

LIMIT_SIZE = 512 << 20
LIMIT_RATIO = 1000
RATIO_FLOOR = 1 << 20


def text_data(rng, n):
    words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(200)]
    out = bytearray()
    while len(out) < n:
        out += rng.choice(words) + rng.choice([b" ", b" ", b" ", b"\n", b", "])
    return bytes(out[:n])


def random_data(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def runs_data(rng, n):
    out = bytearray()
    while len(out) < n:
        out += bytes([rng.getrandbits(8)]) * rng.randint(1, 300)
    return bytes(out[:n])


def zinfo(name, method=zipfile.ZIP_DEFLATED, mode=0o100644):
    zi = zipfile.ZipInfo(name, date_time=DT)
    zi.compress_type = method
    zi.create_system = 3
    zi.external_attr = mode << 16
    return zi


class WriteOnly(io.RawIOBase):
    """An unseekable sink: zipfile then writes data descriptors (flag 0x08)."""

    def __init__(self):
        self.buf = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buf += b
        return len(b)


# ---- a minimal writer for shapes zipfile will not make -------------------

def local_header(name, method, flags, crc, csize, usize, extra=b""):
    return struct.pack("<IHHHHHIIIHH", 0x04034b50, 45 if extra else 20, flags, method,
                       0, 0x21, crc, csize, usize, len(name), len(extra)) + name + extra


def central_header(name, method, flags, crc, csize, usize, offset, mode=0o100644,
                   extra=b"", host=3):
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, (host << 8) | 45,
                       45 if extra else 20, flags, method, 0, 0x21, crc, csize, usize,
                       len(name), len(extra), 0, 0, 0, mode << 16, offset) + name + extra


def eocd(count, cd_size, cd_offset, comment=b""):
    return struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, count, count, cd_size, cd_offset,
                       len(comment)) + comment


def make_zip64_eocd():
    """Every size/offset through zip64 extras, and a zip64 end record."""
    rng = random.Random(64)
    members = [(b"big/one.txt", text_data(rng, 5000)), (b"big/two.bin", random_data(rng, 300)),
               (b"empty", b"")]
    out, cd = bytearray(), bytearray()
    for i, (name, data) in enumerate(members):
        method = 8 if i != 1 else 0
        comp = raw_deflate(data, 9) if method == 8 else data
        crc = zlib.crc32(data)
        off = len(out)
        lx = struct.pack("<HHQQ", 1, 16, len(data), len(comp))
        out += local_header(name, method, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, lx) + comp
        cx = struct.pack("<HHQQQ", 1, 24, len(data), len(comp), off)
        cd += central_header(name, method, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                             extra=cx)
    cd_off = len(out)
    out += cd
    z64 = len(out)
    out += struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, (3 << 8) | 45, 45, 0, 0,
                       len(members), len(members), len(cd), cd_off)
    out += struct.pack("<IIQI", 0x07064b50, 0, z64, 1)
    out += struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF,
                       0xFFFFFFFF, 0)
    return bytes(out)


def raw_deflate(data, level=6, wbits=15, strategy=zlib.Z_DEFAULT_STRATEGY, mem=8):
    c = zlib.compressobj(level, zlib.DEFLATED, -wbits, mem, strategy)
    return c.compress(data) + c.flush()


def hand_zip(members, comment=b""):
    """members: dicts name, data, method, flags, crc, usize, local_name, offset."""
    out, cd = bytearray(), bytearray()
    for m in members:
        data = m.get("data", b"")
        method = m.get("method", 0)
        comp = m.get("comp", raw_deflate(data) if method == 8 else data)
        crc = m.get("crc", zlib.crc32(data))
        usize = m.get("usize", len(data))
        flags = m.get("flags", 0)
        if "offset" in m:
            off = m["offset"]
        else:
            off = len(out)
            out += local_header(m.get("local_name", m["name"]), method, flags, crc,
                                len(comp), usize) + comp
        cd += central_header(m["name"], method, flags, crc, len(comp), usize, off,
                             m.get("mode", 0o100644))
    cd_off = len(out)
    out += cd
    out += eocd(len(members), len(cd), m.get("cd_offset", cd_off) if members else cd_off,
                comment)
    return bytes(out)


def overlap_nested():
    """Fifield's "better zip bomb" shape: entry A's data quotes entry B's local
    header, so B's local record lies inside A's data range."""
    inner = b"inner data " * 10
    b_local = local_header(b"b.txt", 0, 0, zlib.crc32(inner), len(inner), len(inner)) + inner
    a_data = b_local
    a_local = local_header(b"a.txt", 0, 0, zlib.crc32(a_data), len(a_data), len(a_data))
    out = bytearray(a_local + a_data)
    b_off = len(a_local)
    cd = central_header(b"a.txt", 0, 0, zlib.crc32(a_data), len(a_data), len(a_data), 0)
    cd += central_header(b"b.txt", 0, 0, zlib.crc32(inner), len(inner), len(inner), b_off)
    cd_off = len(out)
    out += cd + eocd(2, len(cd), cd_off)
    return bytes(out)


# ---- the archives ---------------------------------------------------------

def build_all():
    rng = random.Random(1)
    z = {}

    def zf(name, fn, **kw):
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", **kw) as f:
            fn(f)
        z[name] = b.getvalue()

    def stored(f):
        f.writestr(zinfo("hello.txt", zipfile.ZIP_STORED), b"hello, world\n")
        f.writestr(zinfo("empty.txt", zipfile.ZIP_STORED), b"")
        f.writestr(zinfo("bin/random.bin", zipfile.ZIP_STORED), random_data(rng, 3000))
    zf("stored.zip", stored)

    def deflated(f):
        f.writestr(zinfo("text.txt"), text_data(rng, 100000), compresslevel=9)
        f.writestr(zinfo("fast.txt"), text_data(rng, 20000), compresslevel=1)
        f.writestr(zinfo("random.bin"), random_data(rng, 5000))
        f.writestr(zinfo("runs.bin"), runs_data(rng, 70000))
        f.writestr(zinfo("empty"), b"")
        f.writestr(zinfo("one"), b"x")
    zf("deflated.zip", deflated)

    def tree(f):
        f.writestr(zinfo("Payload/", zipfile.ZIP_STORED, 0o40755), b"")
        f.writestr(zinfo("Payload/App.app/", zipfile.ZIP_STORED, 0o40755), b"")
        f.writestr(zinfo("Payload/App.app/App", mode=0o100755), random_data(rng, 2000))
        f.writestr(zinfo("Payload/App.app/link", zipfile.ZIP_STORED, 0o120777), b"App")
        f.writestr(zinfo("Payload/App.app/Info.plist"), text_data(rng, 800))
    zf("tree.zip", tree)

    def uni(f):
        f.writestr(zinfo("r\u00e9sum\u00e9.txt"), "caf\u00e9\n".encode())
        f.writestr(zinfo("\u65e5\u672c/\u30c6\u30b9\u30c8.txt"), text_data(rng, 500))
        f.writestr(zinfo("emoji-\U0001f600.bin", zipfile.ZIP_STORED), b"\x00\x01\x02")
    zf("unicode.zip", uni)

    def comment(f):
        f.writestr(zinfo("a.txt"), b"a" * 100)
        f.comment = b"archive comment " * 20
    zf("comment.zip", comment)

    zf("empty.zip", lambda f: None)

    def z64local(f):
        for name, data in (("x.txt", text_data(rng, 3000)), ("y.bin", random_data(rng, 100))):
            with f.open(zinfo(name), "w", force_zip64=True) as w:
                w.write(data)
    zf("zip64-local.zip", z64local)
    z["zip64-eocd.zip"] = make_zip64_eocd()

    ws = WriteOnly()
    with zipfile.ZipFile(ws, "w", zipfile.ZIP_DEFLATED) as f:
        f.writestr(zinfo("dd/one.txt"), text_data(rng, 4000))
        f.writestr(zinfo("dd/two.bin", zipfile.ZIP_STORED), random_data(rng, 200))
        f.writestr(zinfo("dd/three.txt"), text_data(rng, 10))
    z["descriptor.zip"] = bytes(ws.buf)

    # ---- hostile ----
    zf("bad-bomb.zip", lambda f: f.writestr(zinfo("zeros"), bytes(10 << 20), compresslevel=9))
    zf("bad-bzip2.zip", lambda f: f.writestr(zinfo("b.txt", zipfile.ZIP_BZIP2), b"bzip2 " * 50))

    good = z["stored.zip"]
    z["bad-truncated.zip"] = good[:len(good) // 2]
    z["bad-no-eocd-tail.zip"] = good[:-5]

    d = bytearray(z["stored.zip"])
    cdo = struct.unpack_from("<I", d, len(d) - 6)[0]
    struct.pack_into("<I", d, len(d) - 6, cdo + 100000)
    z["bad-cd-outside.zip"] = bytes(d)

    d = bytearray(z["stored.zip"])
    cdo = struct.unpack_from("<I", d, len(d) - 6)[0]
    struct.pack_into("<I", d, cdo + 42, 0x7FFFFFF0)      # local header offset of entry 0
    z["bad-lho-outside.zip"] = bytes(d)

    hello = b"hello, world\n"
    z["bad-crc.zip"] = hand_zip([{"name": b"hello.txt", "data": hello, "crc": 0x12345678},
                                 {"name": b"ok.txt", "data": b"fine\n", "method": 8}])
    z["bad-encrypted.zip"] = hand_zip([{"name": b"secret.txt", "data": b"\x00" * 12 + hello,
                                        "flags": 1, "crc": zlib.crc32(hello),
                                        "usize": len(hello)}])
    z["bad-overlap-same.zip"] = hand_zip([{"name": b"a.txt", "data": hello},
                                          {"name": b"b.txt", "data": hello, "offset": 0}])
    z["bad-overlap-nested.zip"] = overlap_nested()
    big = text_data(rng, 3000)
    z["bad-size-lie.zip"] = hand_zip([{"name": b"lie.txt", "data": big, "method": 8,
                                       "usize": 1000, "crc": zlib.crc32(big[:1000])}])
    z["bad-local-name.zip"] = hand_zip([{"name": b"good.txt", "local_name": b"evil.txt",
                                         "data": hello}])
    z["bad-names.zip"] = hand_zip([{"name": b"../escape.txt", "data": b"1"},
                                   {"name": b"/etc/passwd", "data": b"2"},
                                   {"name": b"dir\\win.txt", "data": b"3"},
                                   {"name": b"a/../../b", "data": b"4"},
                                   {"name": b"C:x", "data": b"5"},
                                   {"name": b"ok.txt", "data": b"6"},
                                   {"name": b"ok.txt", "data": b"7"},
                                   {"name": b"", "data": b"8"},
                                   {"name": b"nul\x00byte", "data": b"9"},
                                   {"name": b"..foo/bar..", "data": b"10"}])
    z["bad-method-deflate64.zip"] = hand_zip([{"name": b"d64", "data": b"abc", "method": 9}])
    d = bytearray(z["stored.zip"])
    d[0] ^= 0xFF
    z["bad-local-magic.zip"] = bytes(d)
    return z


# ---- expected values ---------------------------------------------------------

def suspicious(name, seen):
    s = 0
    segs = name.replace(b"\\", b"/").split(b"/")
    if b".." in segs:
        s |= S_DOTDOT
    if name[:1] in (b"/", b"\\") or (len(name) >= 2 and name[1:2] == b":" and
                                      name[:1].isalpha()):
        s |= S_ABSOLUTE
    if b"\\" in name:
        s |= S_BACKSLASH
    if b"\x00" in name:
        s |= S_NUL
    if name in seen:
        s |= S_DUPLICATE
    if not name:
        s |= S_EMPTY
    seen.add(name)
    return s


def raw_name(zi):
    return zi.orig_filename.encode("utf-8" if zi.flag_bits & 0x800 else "cp437")


# Results zipfile cannot tell us (it has its own policies); stated here.
OPEN_EXPECT = {
    "bad-truncated.zip": "CSIG_E_BADMAGIC",
    "bad-no-eocd-tail.zip": "CSIG_E_BADMAGIC",
    "bad-cd-outside.zip": "CSIG_E_BADOFFSET",
    "bad-lho-outside.zip": "CSIG_E_BADOFFSET",
    "bad-overlap-same.zip": "CSIG_E_BADVALUE",
    "bad-overlap-nested.zip": "CSIG_E_BADVALUE",
    "bad-local-magic.zip": "CSIG_E_BADMAGIC",
}
EXTRACT_EXPECT = {
    ("bad-bomb.zip", 0): "CSIG_E_LIMIT",
    ("bad-bzip2.zip", 0): "CSIG_E_UNSUPPORTED",
    ("bad-crc.zip", 0): "CSIG_E_BADVALUE",
    ("bad-encrypted.zip", 0): "CSIG_E_UNSUPPORTED",
    ("bad-size-lie.zip", 0): "CSIG_E_BADVALUE",
    ("bad-local-name.zip", 0): "CSIG_E_BADVALUE",
    ("bad-method-deflate64.zip", 0): "CSIG_E_UNSUPPORTED",
}


def entry_rows(label, data):
    rows = []
    if label in OPEN_EXPECT:
        return ["F\t%s\t%s\t0" % (label, OPEN_EXPECT[label])]
    zfile = zipfile.ZipFile(io.BytesIO(data))
    infos = zfile.infolist()
    rows.append("F\t%s\tCSIG_OK\t%d" % (label, len(infos)))
    seen = set()
    for i, zi in enumerate(infos):
        name = raw_name(zi)
        unix = zi.create_system == 3
        mode = (zi.external_attr >> 16) if unix else 0
        is_dir = int(name.endswith(b"/") or (unix and stat.S_ISDIR(mode)) or
                     (not unix and bool(zi.external_attr & 0x10)))
        is_link = int(unix and stat.S_ISLNK(mode))
        susp = suspicious(name, seen)
        res = EXTRACT_EXPECT.get((label, i))
        digest = "-"
        if res is None:
            res = "CSIG_OK"
            digest = hashlib.sha256(zfile.read(zi)).hexdigest()
            if zi.file_size > LIMIT_SIZE or (zi.file_size > RATIO_FLOOR and
                                            zi.file_size > zi.compress_size * LIMIT_RATIO):
                res, digest = "CSIG_E_LIMIT", "-"
        rows.append("E\t%s\t%d\t%s\t%d\t%d\t%d\t%08x\t%d\t%d\t%o\t%d\t%s\t%s" % (
            label, i, name.hex() or "-", zi.compress_type, zi.file_size, zi.compress_size,
            zi.CRC, is_dir, is_link, mode, susp, res, digest))
    return rows


HEADER = ("# F file open-result count | E file index name-hex method size csize crc32 "
          "is_dir is_symlink mode(octal) suspicious extract-result sha256")


# ---- DEFLATE vectors ---------------------------------------------------------

def write_vectors(path):
    """Format: "CSIGINF1", u32le count, then per vector: u32le raw_len,
    u32le comp_len, u8 level, u8 strategy, u8 wbits, u8 flush-chunks,
    32-byte SHA-256 of the raw data, comp_len bytes of raw DEFLATE."""
    rng = random.Random(1951)
    vecs = []

    def add(data, level, strategy=zlib.Z_DEFAULT_STRATEGY, wbits=15, chunks=0):
        if chunks:
            c = zlib.compressobj(level, zlib.DEFLATED, -wbits, 8, strategy)
            step = max(1, len(data) // chunks)
            comp = b""
            for i in range(0, len(data), step):
                comp += c.compress(data[i:i + step]) + c.flush(zlib.Z_SYNC_FLUSH)
            comp += c.flush()
        else:
            comp = raw_deflate(data, level, wbits, strategy)
        assert zlib.decompress(comp, -15) == data
        vecs.append(struct.pack("<IIBBBB", len(data), len(comp), level, strategy, wbits,
                                chunks) + hashlib.sha256(data).digest() + comp)

    small = [0, 1, 2, 3, 4, 7, 31, 100, 255, 256, 257, 1000, 4095, 4096]
    for n in small:
        for level in range(10):
            add(random_data(rng, n), level)
            add(text_data(rng, n), level)
    for n in (32767, 32768, 32769, 65536, 65537):
        for level in (1, 4, 9):
            add(text_data(rng, n // 4), level)
        add(runs_data(rng, n), 6)
        add(runs_data(rng, n // 16), 0)
    add(text_data(rng, 200000), 9)
    for strategy in (zlib.Z_FILTERED, zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_FIXED):
        for n in (10, 5000, 40000):
            add(text_data(rng, n), 6, strategy)
            add(runs_data(rng, n), 9, strategy)
    for wbits in range(9, 16):
        add(text_data(rng, 10000), 9, wbits=wbits)
    for chunks in (3, 17, 200):
        add(text_data(rng, 20000), 6, chunks=chunks)
        add(random_data(rng, 5000), 0, chunks=chunks)
    add(bytes(300000), 9)
    add(bytes([7]) * 258 * 3 + b"x", 9)
    with open(path, "wb") as f:
        f.write(b"CSIGINF1" + struct.pack("<I", len(vecs)) + b"".join(vecs))
    return len(vecs)


def main():
    corpus = None
    if len(sys.argv) == 3 and sys.argv[1] == "--corpus":
        corpus = sys.argv[2]
    z = build_all()
    rows = [HEADER]
    for name in sorted(z):
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(z[name])
        rows += entry_rows(name, z[name])
    with open(os.path.join(HERE, "expected.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")

    real = os.environ.get("CSIG_FIXTURES_REAL",
                          os.path.join(HERE, "..", "..", "..", "shared", "fixtures-real"))
    if os.path.isdir(real):
        rows = [HEADER]
        for rel in ("app_info/embedded.ipa", "app_info/ipad.ipa", "app_info/iphone.ipa",
                    "fastlane/very-capable-app.ipa", "sparkle/DevSignedApp.zip"):
            with open(os.path.join(real, rel), "rb") as f:
                rows += entry_rows(rel, f.read())
        with open(os.path.join(HERE, "expected-real.tsv"), "w") as f:
            f.write("\n".join(rows) + "\n")

    n = write_vectors(os.path.join(HERE, "inflate-vectors.bin"))
    print("wrote %d archives, %d inflate vectors" % (len(z), n))

    if corpus:
        zc = os.path.join(corpus, "fuzz_zip")
        ic = os.path.join(corpus, "fuzz_inflate")
        os.makedirs(zc, exist_ok=True)
        os.makedirs(ic, exist_ok=True)
        for name in ("stored.zip", "deflated.zip", "tree.zip", "zip64-eocd.zip",
                     "zip64-local.zip", "descriptor.zip", "bad-overlap-nested.zip",
                     "bad-names.zip", "bad-crc.zip", "comment.zip"):
            data = z[name]
            if len(data) > 20000:
                continue
            with open(os.path.join(zc, name), "wb") as f:
                f.write(data)
        rng = random.Random(7)
        for i, (data, level, strat) in enumerate((
                (text_data(rng, 3000), 9, 0), (random_data(rng, 300), 6, 0),
                (runs_data(rng, 2000), 6, zlib.Z_RLE), (text_data(rng, 1000), 6, zlib.Z_FIXED),
                (random_data(rng, 100), 0, 0), (b"", 6, 0))):
            comp = raw_deflate(data, level, 15, strat)
            # the fuzz target reads a 3-byte little-endian output size first
            with open(os.path.join(ic, "seed%d" % i), "wb") as f:
                f.write(struct.pack("<I", len(data))[:3] + comp)


if __name__ == "__main__":
    main()
