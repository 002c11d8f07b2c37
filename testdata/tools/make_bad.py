#!/usr/bin/env python3
"""make_bad.py OUTDIR - write the malformed inputs of testdata/bad/ and MANIFEST.tsv.

Every file is small and made here byte by byte, mostly by mutating the
hand-made signed arm64 file of handmade.py (layout: mach_header_64 at 0,
LC_SEGMENT_64 __TEXT at 32, LC_SEGMENT_64 __LINKEDIT at 104, LC_UUID at 176,
LC_CODE_SIGNATURE at 200; __TEXT = [0, 0x1800) = 2 code pages of 4 KiB;
SuperBlob at 0x1800 with entries 0 (CodeDirectory), 2 (requirements),
0x10000 (empty CMS wrapper)).

MANIFEST.tsv columns: file, expect, ideal, what.
  expect = not-macho | truncated | malformed | finding
    not-macho: the reader should say the input is not Mach-O;
    truncated: a structure runs past the end of the data (CSIG_E_TRUNCATED-like);
    malformed: a field is impossible (bad count/size/offset/version/overflow);
    finding:   the file parses, but verification must report the named problem.
  ideal = what an ideal parser would say (field names and numbers).
After writing, each file is run through sigcheck.py as a self-check.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handmade  # noqa: E402
import sigcheck  # noqa: E402

SIG = handmade.TEXT_SIZE          # file offset of the SuperBlob
CD = SIG + 36                     # 3 index entries -> CodeDirectory at +36


def java_class():
    """`public class Hello {}` as javac 8 writes it (major 52 = 0x34)."""
    def utf8(s):
        return b"\x01" + struct.pack(">H", len(s)) + s.encode()
    cp = [b"\x0a\x00\x03\x00\x0a", b"\x07\x00\x0b", b"\x07\x00\x0c", utf8("<init>"), utf8("()V"),
          utf8("Code"), utf8("LineNumberTable"), utf8("SourceFile"), utf8("Hello.java"),
          b"\x0c\x00\x04\x00\x05", utf8("Hello"), utf8("java/lang/Object")]
    out = struct.pack(">IHHH", 0xCAFEBABE, 0, 52, len(cp) + 1) + b"".join(cp)
    out += struct.pack(">HHHHHH", 0x0021, 2, 3, 0, 0, 1)
    code = b"\x2a\xb7\x00\x01\xb1"
    lnt = struct.pack(">HIHHH", 7, 6, 1, 0, 1)
    code_attr = struct.pack(">HHI", 1, 1, len(code)) + code + struct.pack(">HH", 0, 1) + lnt
    out += struct.pack(">HHHH", 0x0001, 4, 5, 1) + struct.pack(">HI", 6, len(code_attr)) + code_attr
    out += struct.pack(">HHIH", 1, 8, 2, 9)
    return out


def put32le(b, off, v):
    struct.pack_into("<I", b, off, v)


def put32be(b, off, v):
    struct.pack_into(">I", b, off, v)


def mini(cputype=None):
    if cputype is None:
        return bytearray(handmade.minimal("bad"))
    skel = bytearray(handmade.unsigned_min())
    struct.pack_into("<ii", skel, 4, *cputype)
    return bytearray(handmade.machosign.sign(bytes(skel), "bad", hash_types=(2,)))


def fat(entries, blobs, magic=0xCAFEBABE):
    """entries: (cputype, cpusubtype, offset, size, align); blobs: (offset, bytes)."""
    out = bytearray(struct.pack(">II", magic, len(entries)))
    for e in entries:
        out += struct.pack(">iIIII", *e)
    for off, b in blobs:
        if len(out) < off:
            out += b"\0" * (off - len(out))
        out[off:off + len(b)] = b
    return bytes(out)


def build():
    files = []

    def add(name, data, expect, ideal, what):
        files.append((name, bytes(data), expect, ideal, what))

    m = mini()
    L = len(m)
    cd_len = struct.unpack_from(">I", m, CD + 4)[0]

    add("empty", b"", "not-macho", "not Mach-O: empty input (0 bytes)", "empty file")
    add("three-bytes", bytes.fromhex("cffaed"), "truncated",
        "truncated: 3 bytes, too short for a 4-byte magic", "first 3 bytes of a 64-bit LE Mach-O magic")
    add("java-class.class", java_class(), "not-macho",
        "not Mach-O: 0xcafebabe with nfat_arch 52 (0x34, >= 0x20) is a Java class file",
        "javac-8-shaped `public class Hello {}`: magic 0xcafebabe, minor 0, major 52")
    add("fat-nfat-huge", struct.pack(">II", 0xCAFEBABE, 0xFFFFFFFF) + b"\0" * 40, "not-macho",
        "not Mach-O (nfat_arch >= 0x20, the Java-class rule) or truncated (nfat_arch 4294967295 needs "
        "85899345920 bytes of fat_arch, file has 48); either is acceptable, nothing may be allocated per nfat_arch",
        "fat header claiming 2^32-1 architectures; must not allocate per nfat_arch")
    add("fat64-nfat-huge", struct.pack(">II", 0xCAFEBABF, 0xFFFFFFFF) + b"\0" * 40, "truncated",
        "truncated: FAT_MAGIC_64 nfat_arch 4294967295 needs 137438953472 bytes of fat_arch_64, file has 48",
        "fat64 header claiming 2^32-1 architectures")
    add("fat-truncated-table", struct.pack(">II", 0xCAFEBABE, 3) + struct.pack(">iIIII", 0x0100000C, 0, 4096, L, 12),
        "truncated", "truncated: fat_arch 1 at offset 28 past end of 28-byte file",
        "nfat_arch 3 but only one fat_arch entry present")
    add("fat-overlap", fat([(0x0100000C, 0, 0x1000, L, 12), (0x01000007, 3, 0x2000, L, 12)],
                           [(0x1000, m), (0x2000, m)]), "malformed",
        "malformed: fat_arch 1 [0x2000,+%d) overlaps fat_arch 0 [0x1000,+%d)" % (L, L),
        "two fat entries whose slice ranges overlap")
    add("fat-slice-past-eof", fat([(0x0100000C, 0, 0x1000, L + 0x1000, 12)], [(0x1000, m)]), "truncated",
        "truncated: fat_arch 0 [0x1000,+%d) past end of file (%d bytes)" % (L + 0x1000, 0x1000 + L),
        "fat entry size runs past the end of the file")
    x86 = mini((0x01000007, 3))
    add("fat-cputype-mismatch", fat([(0x01000005, 0x80000003, 0x1000, L, 12), (0x0100000C, 0, 0x3000, L, 12)],
                                    [(0x1000, x86), (0x3000, m)]), "finding",
        "finding: fat_arch 0 cputype 0x01000005/0x80000003 differs from its slice header cputype 0x01000007/0x3",
        "shape of molcs/cal-yikes-universal: fat entry cputype differs from the slice's mach header; both slices validly signed")

    b = bytearray(m[:20])
    add("macho-header-truncated", b, "truncated", "truncated: mach_header_64 needs 32 bytes, file has 20",
        "first 20 bytes of a 64-bit Mach-O")
    b = bytearray(m); put32le(b, 20, 0x10000)
    add("sizeofcmds-overrun", b, "truncated",
        "truncated: sizeofcmds 65536 + 32-byte header overruns the %d-byte file" % L,
        "thin arm64 whose sizeofcmds runs past the end of the file")
    b = bytearray(m); put32le(b, 16, 0xFFFFFFFF)
    add("ncmds-huge", b, "malformed",
        "malformed: ncmds 4294967295 but load command 4 at offset 216 overruns sizeofcmds 184",
        "ncmds 2^32-1 with a normal sizeofcmds; must not allocate per ncmds")
    b = bytearray(m); put32le(b, 176 + 4, 0)
    add("lc-cmdsize-zero", b, "malformed", "malformed: load command 2 (LC_UUID) at offset 176 has cmdsize 0",
        "a load command with cmdsize 0 (would loop forever)")
    b = bytearray(m); put32le(b, 176 + 4, 20)
    add("lc-cmdsize-not-mult8", b, "malformed",
        "malformed: load command 2 at offset 176 cmdsize 20 not a multiple of 8 (64-bit)",
        "64-bit Mach-O load command with cmdsize 20 (multiple of 4, not of 8)")
    b = bytearray(m); put32le(b, 176 + 4, 23)
    add("lc-cmdsize-not-mult4", b, "malformed",
        "malformed: load command 2 at offset 176 cmdsize 23 not a multiple of 4",
        "load command with cmdsize 23")
    b = bytearray(m); put32le(b, 104 + 4, 0x200)
    add("lc-cmdsize-past-sizeofcmds", b, "malformed",
        "malformed: load command 1 at offset 104 cmdsize 512 overruns sizeofcmds 184",
        "load command whose cmdsize runs past the end of the load-command area")
    b = bytearray(m); put32le(b, 200 + 8, L - 8); put32le(b, 200 + 12, 0x1000)
    add("codesig-past-eof", b, "truncated",
        "truncated: LC_CODE_SIGNATURE dataoff %d + datasize 4096 past end of slice (%d bytes)" % (L - 8, L),
        "LC_CODE_SIGNATURE pointing past the end of the file")
    b = bytearray(m); put32le(b, 200 + 8, 0xFFFFFFF0); put32le(b, 200 + 12, 0x20)
    add("codesig-offset-overflow", b, "malformed",
        "malformed: LC_CODE_SIGNATURE dataoff 0xfffffff0 + datasize 0x20 overflows 32 bits / exceeds slice",
        "dataoff+datasize wraps around in 32-bit arithmetic")
    b = bytearray(m); put32be(b, SIG, 0xFADE0C00)
    add("superblob-bad-magic", b, "malformed",
        "malformed: signature SuperBlob magic 0xfade0c00 at offset %d is not 0xfade0cc0" % SIG,
        "LC_CODE_SIGNATURE data does not start with an embedded-signature SuperBlob")
    b = bytearray(m); put32be(b, SIG + 8, 0xFFFFFFFF)
    add("superblob-count-huge", b, "malformed",
        "malformed: SuperBlob count 4294967295 at offset %d does not fit its length" % (SIG + 8),
        "SuperBlob whose count is 2^32-1; must not allocate per count")
    b = bytearray(m); sb_len = struct.unpack_from(">I", b, SIG + 4)[0]; put32be(b, SIG + 12 + 8 + 4, sb_len + 16)
    add("superblob-entry-past-end", b, "malformed",
        "malformed: SuperBlob index 1 (type 2) offset %d past SuperBlob length %d" % (sb_len + 16, sb_len),
        "SuperBlob index entry whose offset lies past the SuperBlob")
    b = bytearray(m); put32be(b, CD + 0x10, cd_len + 100)
    add("cd-hashoffset-past-length", b, "malformed",
        "malformed: CodeDirectory hashOffset %d past its length %d (CD at offset %d)" % (cd_len + 100, cd_len, CD),
        "CodeDirectory hashOffset beyond the blob")
    b = bytearray(m); put32be(b, CD + 0x1C, 1)
    add("cd-ncodeslots-inconsistent", b, "finding",
        "finding/malformed: CodeDirectory nCodeSlots 1 inconsistent with codeLimit 6144 and pageSize 12 (expected 2)",
        "nCodeSlots does not match codeLimit (the slot array itself is in bounds)")
    b = bytearray(m); put32be(b, CD + 0x14, cd_len - 1)
    add("cd-ident-unterminated", b, "malformed",
        "malformed: CodeDirectory identOffset %d: identifier not NUL-terminated inside the %d-byte blob" % (cd_len - 1, cd_len),
        "identifier runs to the end of the CodeDirectory without a NUL")
    b = bytearray(m); b[CD + 0x25] = 9
    add("cd-unknown-hashtype", b, "malformed", "malformed/unsupported: CodeDirectory hashType 9 unknown",
        "CodeDirectory with hashType 9")
    b = bytearray(m); put32be(b, CD + 8, 0x20000)
    add("cd-version-too-old", b, "malformed",
        "malformed/unsupported: CodeDirectory version 0x20000 below earliest 0x20001",
        "CodeDirectory version 0x20000")
    b = bytearray(m); b[0x1000] ^= 0xFF
    add("page-hash-mismatch", b, "finding", "finding: code page 1 (offset 4096) hash mismatch",
        "one byte of code page 1 flipped after signing")
    hash_off = struct.unpack_from(">I", m, CD + 0x10)[0]
    b = bytearray(m); b[CD + hash_off - 2 * 32] ^= 0x01
    add("special-slot-mismatch", b, "finding", "finding: special slot 2 (requirements) hash mismatch",
        "stored hash of the requirement set (special slot -2) altered")
    return files


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    files = build()
    lines = ["file\texpect\tideal\twhat"]
    bad_selfcheck = []
    for name, data, expect, ideal, what in files:
        p = os.path.join(out, name)
        with open(p, "wb") as f:
            f.write(data)
        lines.append("\t".join((name, expect, ideal, what)))
        r = sigcheck.check_file(p)
        flagged = "error" in r or not all(
            s.get("all_hashes_match", True) and s["header_cputype_matches"] and not s.get("problems")
            for s in r["slices"])
        if expect == "finding":
            ok = "error" not in r and flagged
        elif expect == "malformed":
            ok = flagged
        else:
            ok = "error" in r
        if not ok:
            bad_selfcheck.append(name)
    with open(os.path.join(out, "MANIFEST.tsv"), "w") as f:
        f.write("\n".join(lines) + "\n")
    if bad_selfcheck:
        sys.stderr.write("make_bad: sigcheck.py disagrees with MANIFEST for: %s\n" % ", ".join(bad_selfcheck))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
