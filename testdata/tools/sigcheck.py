#!/usr/bin/env python3
"""sigcheck.py - independent reference reader for Mach-O code signatures.

Written from the project's FORMAT.md sections 1-2 only, as a cross-check for
libcsig.  Standard library only.  For each file (thin or fat Mach-O) it prints
JSON describing every slice: fat entry and header fields, load commands,
LC_CODE_SIGNATURE, SuperBlob index, and every CodeDirectory (slot 0 and the
alternates 0x1000..0x1004) with its cdhash and whether the code-page hashes
and the checkable special-slot hashes match.

Usage: sigcheck.py [--info-plist FILE] [--code-resources FILE] FILE...
One JSON document per file (a list when several files are given).
Never trusts a length: every read is bounds-checked and a problem becomes an
"error" string (whole file) or a "problems" list entry (per slice / per CD).
"""
import hashlib
import json
import struct
import sys

FAT_MAGIC = 0xCAFEBABE
FAT_MAGIC_64 = 0xCAFEBABF
MH_MAGIC = 0xFEEDFACE
MH_MAGIC_64 = 0xFEEDFACF
LC_SEGMENT = 0x1
LC_SEGMENT_64 = 0x19
LC_CODE_SIGNATURE = 0x1D
CSMAGIC_EMBEDDED_SIGNATURE = 0xFADE0CC0
CSMAGIC_CODEDIRECTORY = 0xFADE0C02
CD_SLOTS = [0] + list(range(0x1000, 0x1005))
# special slots whose component is a native blob inside the SuperBlob (FORMAT.md 1.4)
BLOB_SPECIAL_SLOTS = (2, 5, 7, 8, 9, 10, 11)
HASH_NAMES = {1: "sha1", 2: "sha256", 3: "sha256", 4: "sha384"}
HASH_SIZES = {1: 20, 2: 32, 3: 20, 4: 48}
BEST_ORDER = {4: 4, 2: 3, 3: 2, 1: 1}   # kernel rank, higher wins


class Bad(Exception):
    pass


def u32(buf, off, be=True):
    if off < 0 or off + 4 > len(buf):
        raise Bad("read of 4 bytes at %d past end %d" % (off, len(buf)))
    return struct.unpack_from(">I" if be else "<I", buf, off)[0]


def u64(buf, off, be=True):
    if off < 0 or off + 8 > len(buf):
        raise Bad("read of 8 bytes at %d past end %d" % (off, len(buf)))
    return struct.unpack_from(">Q" if be else "<Q", buf, off)[0]


def i32(buf, off, be=True):
    if off < 0 or off + 4 > len(buf):
        raise Bad("read of 4 bytes at %d past end %d" % (off, len(buf)))
    return struct.unpack_from(">i" if be else "<i", buf, off)[0]


def cstr(buf, off, end):
    """NUL-terminated string inside buf[off:end]."""
    if off <= 0 or off >= end:
        raise Bad("string offset %d outside blob of %d bytes" % (off, end))
    nul = buf.find(b"\0", off, end)
    if nul < 0:
        raise Bad("string at %d not NUL-terminated inside blob" % off)
    return buf[off:nul].decode("utf-8", "replace")


def digest(hash_type, data):
    """Full digest for the CD hash type (SHA-256 truncated to 20 bytes for type 3)."""
    name = HASH_NAMES.get(hash_type)
    if name is None:
        return None
    d = hashlib.new(name, data).digest()
    return d[:20] if hash_type == 3 else d


def parse_load_commands(sl, be, is64):
    """Return (header dict, [(cmd, offset, cmdsize), ...]); raises Bad."""
    hdr_size = 32 if is64 else 28
    if len(sl) < hdr_size:
        raise Bad("slice of %d bytes shorter than mach header (%d)" % (len(sl), hdr_size))
    magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags = struct.unpack_from(
        (">" if be else "<") + "IiiIIII", sl, 0)
    hdr = {"magic": "0x%08x" % (MH_MAGIC_64 if is64 else MH_MAGIC), "byte_order": "big" if be else "little",
           "cputype": cputype, "cpusubtype": cpusubtype & 0xFFFFFFFF, "filetype": filetype,
           "ncmds": ncmds, "sizeofcmds": sizeofcmds, "flags": flags}
    if hdr_size + sizeofcmds > len(sl):
        raise Bad("sizeofcmds %d overruns slice of %d bytes" % (sizeofcmds, len(sl)))
    cmds = []
    off = hdr_size
    end = hdr_size + sizeofcmds
    for i in range(ncmds):
        if off + 8 > end:
            raise Bad("load command %d at %d overruns sizeofcmds" % (i, off))
        cmd = u32(sl, off, be)
        cmdsize = u32(sl, off + 4, be)
        if cmdsize < 8:
            raise Bad("load command %d cmdsize %d < 8" % (i, cmdsize))
        if cmdsize % (8 if is64 else 4):
            raise Bad("load command %d cmdsize %d not a multiple of %d" % (i, cmdsize, 8 if is64 else 4))
        if off + cmdsize > end:
            raise Bad("load command %d (cmdsize %d at %d) overruns sizeofcmds" % (i, cmdsize, off))
        cmds.append((cmd, off, cmdsize))
        off += cmdsize
    return hdr, cmds


def find_info_plist(sl, be, is64, cmds):
    """Bytes of the __TEXT,__info_plist section, or None."""
    e = ">" if be else "<"
    for cmd, off, size in cmds:
        if cmd == LC_SEGMENT_64 and is64:
            segname = sl[off + 8:off + 24].rstrip(b"\0")
            nsects = u32(sl, off + 64, be)
            sec_off, sec_sz = off + 72, 80
        elif cmd == LC_SEGMENT and not is64:
            segname = sl[off + 8:off + 24].rstrip(b"\0")
            nsects = u32(sl, off + 48, be)
            sec_off, sec_sz = off + 56, 68
        else:
            continue
        if segname != b"__TEXT":
            continue
        for k in range(nsects):
            s = sec_off + k * sec_sz
            if s + sec_sz > off + size:
                raise Bad("section %d of segment at %d overruns its load command" % (k, off))
            sectname = sl[s:s + 16].rstrip(b"\0")
            if sectname != b"__info_plist":
                continue
            if is64:
                addr, ssize, foff = struct.unpack_from(e + "QQI", sl, s + 32)
            else:
                addr, ssize, foff = struct.unpack_from(e + "III", sl, s + 32)
            if foff + ssize > len(sl):
                raise Bad("__info_plist section [%d,+%d) outside slice" % (foff, ssize))
            return sl[foff:foff + ssize]
    return None


def parse_cd(sb, cd_off, slot, sl, limit_file, info_plist, code_resources, blobs):
    """Parse one CodeDirectory at sb[cd_off:]; verify hashes against slice sl."""
    r = {"slot": slot, "offset_in_superblob": cd_off, "problems": []}
    magic = u32(sb, cd_off)
    length = u32(sb, cd_off + 4)
    if magic != CSMAGIC_CODEDIRECTORY:
        raise Bad("slot 0x%x blob magic 0x%08x is not a CodeDirectory" % (slot, magic))
    if length < 44 or cd_off + length > len(sb):
        raise Bad("CodeDirectory length %d invalid (at %d in SuperBlob of %d)" % (length, cd_off, len(sb)))
    cd = sb[cd_off:cd_off + length]
    version = u32(cd, 8)
    flags = u32(cd, 12)
    hash_offset = u32(cd, 16)
    ident_offset = u32(cd, 20)
    n_special = u32(cd, 24)
    n_code = u32(cd, 28)
    code_limit = u32(cd, 32)
    hash_size, hash_type, platform, page_size = cd[36], cd[37], cd[38], cd[39]
    r.update({"length": length, "version": version, "flags": flags, "hashOffset": hash_offset,
              "identOffset": ident_offset, "nSpecialSlots": n_special, "nCodeSlots": n_code,
              "codeLimit": code_limit, "hashSize": hash_size, "hashType": hash_type,
              "platform": platform, "pageSize": page_size})
    if version < 0x20001 or version > 0x2F000:
        r["problems"].append("version 0x%x outside [0x20001, 0x2F000]" % version)
    r["identifier"] = cstr(cd, ident_offset, length)
    r["teamID"] = None
    need = 44
    if version >= 0x20100:
        need = 48
        r["scatterOffset"] = u32(cd, 44) if length >= 48 else None
    if version >= 0x20200 and length >= 52:
        team_off = u32(cd, 48)
        r["teamOffset"] = team_off
        if team_off:
            r["teamID"] = cstr(cd, team_off, length)
    limit = code_limit
    if version >= 0x20300 and length >= 64:
        r["codeLimit64"] = u64(cd, 56)
        if r["codeLimit64"]:
            limit = r["codeLimit64"]
    if version >= 0x20400 and length >= 88:
        r["execSegBase"] = u64(cd, 64)
        r["execSegLimit"] = u64(cd, 72)
        r["execSegFlags"] = u64(cd, 80)
    if version >= 0x20500 and length >= 96:
        r["runtime"] = u32(cd, 88)
        r["preEncryptOffset"] = u32(cd, 92)
    r["signingLimit"] = limit
    if hash_type not in HASH_NAMES:
        r["problems"].append("unknown hashType %d" % hash_type)
        r["cdhash"] = r["cdhash_full"] = None
        r["code_hashes_bad"] = []
        r["special_slots"] = {}
        r["code_hashes_match"] = False
        r["special_hashes_match"] = False
        return r
    if HASH_SIZES[hash_type] != hash_size:
        r["problems"].append("hashSize %d does not match hashType %d" % (hash_size, hash_type))
    full = digest(hash_type, cd)
    r["cdhash"] = full[:20].hex()
    r["cdhash_full"] = full.hex()
    # bounds of the hash arrays
    lo = hash_offset - n_special * hash_size
    hi = hash_offset + n_code * hash_size
    if lo < 8 or hi > length:
        raise Bad("CodeDirectory slot 0x%x hash arrays [%d,%d) outside blob of %d bytes" % (slot, lo, hi, length))
    # page-count consistency (FORMAT.md 2.5)
    if page_size:
        expect = ((limit - 1) >> page_size) + 1 if limit else 0
    else:
        expect = 1 if limit else 0
    r["nCodeSlots_consistent"] = (expect == n_code)
    if expect != n_code:
        r["problems"].append("nCodeSlots %d but signing limit %d needs %d" % (n_code, limit, expect))
    # code pages
    bad_pages = []
    if limit > len(sl):
        r["problems"].append("signing limit %d past slice end %d" % (limit, len(sl)))
    if limit_file is not None and limit != limit_file:
        r["problems"].append("signing limit %d differs from LC_CODE_SIGNATURE dataoff %d" % (limit, limit_file))
    psz = (1 << page_size) if page_size else max(limit, 1)
    for i in range(n_code):
        start = i * psz
        chunk = sl[start:min(start + psz, limit)]
        want = cd[hash_offset + i * hash_size:hash_offset + (i + 1) * hash_size]
        if digest(hash_type, chunk)[:hash_size] != want:
            bad_pages.append(i)
    r["code_hashes_bad"] = bad_pages[:16]
    r["code_hashes_match"] = not bad_pages and limit <= len(sl) and r["nCodeSlots_consistent"]
    # special slots
    special = {}
    ok = True
    for k in range(1, n_special + 1):
        stored = cd[hash_offset - k * hash_size:hash_offset - (k - 1) * hash_size]
        present = any(stored)
        if k in BLOB_SPECIAL_SLOTS:
            blob = blobs.get(k)
            if not present:
                special[str(k)] = "absent" if blob is None else "zero-but-blob-present"
                if blob is not None:
                    ok = False
                continue
            if blob is None:
                special[str(k)] = "missing-blob"
                ok = False
                continue
            comp = blob
        elif k == 1 and present:
            comp = info_plist
        elif k == 3 and present:
            comp = code_resources
        elif present and k in blobs:
            # raw component kept in the SuperBlob: a BlobWrapper's payload (FORMAT.md 1.4)
            b = blobs[k]
            comp = b[8:] if b[:4] == b"\xfa\xde\x0b\x01" else b
        else:
            special[str(k)] = "absent" if not present else "unchecked"
            continue
        if comp is None:
            special[str(k)] = "unchecked-external"
            continue
        if digest(hash_type, comp)[:hash_size] == stored:
            special[str(k)] = "match"
        else:
            special[str(k)] = "mismatch"
            ok = False
    r["special_slots"] = special
    r["special_hashes_match"] = ok
    return r


def parse_signature(sl, dataoff, datasize, info_plist, code_resources):
    if dataoff > len(sl) or dataoff + datasize > len(sl):
        raise Bad("LC_CODE_SIGNATURE [%d,+%d) outside slice of %d bytes" % (dataoff, datasize, len(sl)))
    region = sl[dataoff:dataoff + datasize]
    magic = u32(region, 0)
    length = u32(region, 4)
    count = u32(region, 8)
    if magic != CSMAGIC_EMBEDDED_SIGNATURE:
        raise Bad("signature magic 0x%08x is not an embedded SuperBlob" % magic)
    if length > len(region) or length < 12:
        raise Bad("SuperBlob length %d invalid (datasize %d)" % (length, datasize))
    if (length - 12) // 8 < count:
        raise Bad("SuperBlob count %d does not fit its length %d" % (count, length))
    sb = region[:length]
    entries = []
    blobs = {}
    cd_offsets = {}
    for i in range(count):
        typ = u32(sb, 12 + 8 * i)
        off = u32(sb, 16 + 8 * i)
        e = {"type": typ, "offset": off}
        if off:
            if off < 12 + 8 * count or off + 8 > length:
                raise Bad("SuperBlob entry %d offset %d out of range" % (i, off))
            bmagic = u32(sb, off)
            blen = u32(sb, off + 4)
            if blen < 8 or off + blen > length:
                raise Bad("SuperBlob entry %d blob length %d at %d overruns SuperBlob" % (i, blen, off))
            e["magic"] = "0x%08x" % bmagic
            e["length"] = blen
            if typ not in blobs:
                blobs[typ] = sb[off:off + blen]
            if typ in CD_SLOTS and typ not in cd_offsets:
                cd_offsets[typ] = off
        entries.append(e)
    out = {"superblob": {"magic": "0x%08x" % magic, "length": length, "count": count, "entries": entries}}
    cds = []
    for slot in CD_SLOTS:
        if slot not in cd_offsets:
            if slot >= 0x1000:
                break       # alternates stop at the first gap (FORMAT.md 2.8)
            continue
        cds.append(parse_cd(sb, cd_offsets[slot], slot, sl, dataoff, info_plist, code_resources, blobs))
    out["code_directories"] = cds
    return out


def parse_slice(sl, info_plist_ext, code_resources):
    if len(sl) < 4:
        raise Bad("slice of %d bytes too short for a magic" % len(sl))
    m_be = u32(sl, 0, True)
    m_le = u32(sl, 0, False)
    if m_be in (MH_MAGIC, MH_MAGIC_64):
        be, is64 = True, m_be == MH_MAGIC_64
    elif m_le in (MH_MAGIC, MH_MAGIC_64):
        be, is64 = False, m_le == MH_MAGIC_64
    else:
        raise Bad("slice magic 0x%08x is not Mach-O" % m_be)
    hdr, cmds = parse_load_commands(sl, be, is64)
    r = {"header": hdr, "load_commands": [c[0] for c in cmds], "signed": False,
         "code_signature": None, "code_directories": []}
    sig = [c for c in cmds if c[0] == LC_CODE_SIGNATURE]
    section_plist = find_info_plist(sl, be, is64, cmds)
    r["has_info_plist_section"] = section_plist is not None
    info_plist = section_plist if section_plist is not None else info_plist_ext
    if not sig:
        return r
    if len(sig) > 1:
        raise Bad("%d LC_CODE_SIGNATURE commands" % len(sig))
    _, off, size = sig[0]
    if size != 16:
        raise Bad("LC_CODE_SIGNATURE cmdsize %d != 16" % size)
    dataoff, datasize = u32(sl, off + 8, be), u32(sl, off + 12, be)
    r["code_signature"] = {"dataoff": dataoff, "datasize": datasize}
    r.update(parse_signature(sl, dataoff, datasize, info_plist, code_resources))
    cds = r["code_directories"]
    r["signed"] = any(cd["slot"] == 0 for cd in cds)
    known = [cd for cd in cds if cd.get("hashType") in BEST_ORDER]
    if known:
        best = max(known, key=lambda cd: BEST_ORDER[cd["hashType"]])
        r["best_cd_slot"] = best["slot"]
        r["cdhash"] = best["cdhash"]
    r["all_hashes_match"] = bool(cds) and all(cd["code_hashes_match"] and cd["special_hashes_match"] for cd in cds)
    r["problems"] = ["CD slot 0x%x: %s" % (cd["slot"], p) for cd in cds for p in cd["problems"]]
    return r


def check_file(path, info_plist=None, code_resources=None):
    with open(path, "rb") as f:
        data = f.read()
    out = {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    try:
        if len(data) < 4:
            raise Bad("file of %d bytes too short for a magic" % len(data))
        magic = u32(data, 0)
        if magic in (FAT_MAGIC, FAT_MAGIC_64):
            is64 = magic == FAT_MAGIC_64
            nfat = u32(data, 4)
            if nfat >= 0x20 and not is64:
                # Java class files share 0xcafebabe (FORMAT.md 1.1)
                raise Bad("0xcafebabe with nfat_arch %d: not a fat Mach-O (Java class?)" % nfat)
            esz = 32 if is64 else 20
            if 8 + nfat * esz > len(data):
                raise Bad("fat table of %d entries overruns file of %d bytes" % (nfat, len(data)))
            out["format"] = "fat64" if is64 else "fat"
            out["nfat_arch"] = nfat
            slices = []
            ranges = []
            for i in range(nfat):
                b = 8 + i * esz
                cputype = i32(data, b)
                cpusub = u32(data, b + 4)
                if is64:
                    off, size, align = u64(data, b + 8), u64(data, b + 16), u32(data, b + 24)
                else:
                    off, size, align = u32(data, b + 8), u32(data, b + 12), u32(data, b + 16)
                if off + size > len(data) or off < 8 + nfat * esz:
                    raise Bad("fat entry %d [%d,+%d) outside file of %d bytes" % (i, off, size, len(data)))
                for j, (o2, s2) in enumerate(ranges):
                    if off < o2 + s2 and o2 < off + size:
                        raise Bad("fat entry %d [%d,+%d) overlaps fat entry %d [%d,+%d)" % (i, off, size, j, o2, s2))
                ranges.append((off, size))
                slices.append({"index": i, "cputype": cputype, "cpusubtype": cpusub, "offset": off,
                               "size": size, "align": align})
            for s in slices:
                s.update(parse_slice(data[s["offset"]:s["offset"] + s["size"]], info_plist, code_resources))
            out["slices"] = slices
        else:
            out["format"] = "thin"
            s = {"index": 0, "offset": 0, "size": len(data)}
            s.update(parse_slice(data, info_plist, code_resources))
            s["cputype"] = s["header"]["cputype"]
            s["cpusubtype"] = s["header"]["cpusubtype"]
            out["slices"] = [s]
        for s in out["slices"]:
            s["header_cputype_matches"] = (s["cputype"] == s["header"]["cputype"])
    except Bad as e:
        out["error"] = str(e)
    return out


def main(argv):
    info = res = None
    files = []
    it = iter(argv)
    for a in it:
        if a == "--info-plist":
            info = open(next(it), "rb").read()
        elif a == "--code-resources":
            res = open(next(it), "rb").read()
        else:
            files.append(a)
    if not files:
        sys.stderr.write(__doc__)
        return 2
    results = [check_file(p, info, res) for p in files]
    json.dump(results[0] if len(results) == 1 else results, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
