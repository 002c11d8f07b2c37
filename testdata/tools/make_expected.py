#!/usr/bin/env python3
"""make_expected.py - regenerate testdata/expected.json and testdata/expected-real.json.

expected.json: for every file in testdata/good/ (key = path relative to
testdata/), the sigcheck.py result, plus per slice the mach header fields
(filetype, ncmds, sizeofcmds, flags) and the load-command list as printed by
`llvm-otool-14 -h -l` run on the slice (an independent parser; the script
fails if it disagrees with sigcheck.py's own load-command walk).

expected-real.json: the sigcheck.py result for every Mach-O (found by magic)
under the real-fixture directory ($CSIG_FIXTURES_REAL, default
<repo>/../shared/fixtures-real), keyed by path relative to it, plus the
Mach-Os inside its .ipa files (key "<ipa>!<member>", under "zip_members").
For bundle executables the bundle's Info.plist and _CodeSignature/CodeResources
are hashed against special slots 1 and 3.  Only derived values are stored.
Skipped (file left as is) when the real fixtures are absent.  Fails if a
signed real slice does not verify, except the documented negative cases.

Usage: make_expected.py   (OTOOL= to override llvm-otool-14)
"""
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zipfile

TOOLS = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)
import sigcheck  # noqa: E402

OTOOL = os.environ.get("OTOOL", "llvm-otool-14")

LC_NAMES = {
    "LC_SEGMENT": 0x1, "LC_SYMTAB": 0x2, "LC_SYMSEG": 0x3, "LC_THREAD": 0x4, "LC_UNIXTHREAD": 0x5,
    "LC_LOADFVMLIB": 0x6, "LC_IDFVMLIB": 0x7, "LC_IDENT": 0x8, "LC_FVMFILE": 0x9, "LC_PREPAGE": 0xA,
    "LC_DYSYMTAB": 0xB, "LC_LOAD_DYLIB": 0xC, "LC_ID_DYLIB": 0xD, "LC_LOAD_DYLINKER": 0xE,
    "LC_ID_DYLINKER": 0xF, "LC_PREBOUND_DYLIB": 0x10, "LC_ROUTINES": 0x11, "LC_SUB_FRAMEWORK": 0x12,
    "LC_SUB_UMBRELLA": 0x13, "LC_SUB_CLIENT": 0x14, "LC_SUB_LIBRARY": 0x15, "LC_TWOLEVEL_HINTS": 0x16,
    "LC_PREBIND_CKSUM": 0x17, "LC_LOAD_WEAK_DYLIB": 0x80000018, "LC_SEGMENT_64": 0x19,
    "LC_ROUTINES_64": 0x1A, "LC_UUID": 0x1B, "LC_RPATH": 0x8000001C, "LC_CODE_SIGNATURE": 0x1D,
    "LC_SEGMENT_SPLIT_INFO": 0x1E, "LC_REEXPORT_DYLIB": 0x8000001F, "LC_LAZY_LOAD_DYLIB": 0x20,
    "LC_ENCRYPTION_INFO": 0x21, "LC_DYLD_INFO": 0x22, "LC_DYLD_INFO_ONLY": 0x80000022,
    "LC_LOAD_UPWARD_DYLIB": 0x80000023, "LC_VERSION_MIN_MACOSX": 0x24, "LC_VERSION_MIN_IPHONEOS": 0x25,
    "LC_FUNCTION_STARTS": 0x26, "LC_DYLD_ENVIRONMENT": 0x27, "LC_MAIN": 0x80000028,
    "LC_DATA_IN_CODE": 0x29, "LC_SOURCE_VERSION": 0x2A, "LC_DYLIB_CODE_SIGN_DRS": 0x2B,
    "LC_ENCRYPTION_INFO_64": 0x2C, "LC_LINKER_OPTION": 0x2D, "LC_LINKER_OPTIMIZATION_HINT": 0x2E,
    "LC_VERSION_MIN_TVOS": 0x2F, "LC_VERSION_MIN_WATCHOS": 0x30, "LC_NOTE": 0x31,
    "LC_BUILD_VERSION": 0x32, "LC_DYLD_EXPORTS_TRIE": 0x80000033, "LC_DYLD_CHAINED_FIXUPS": 0x80000034,
    "LC_FILESET_ENTRY": 0x80000035,
}
NUM_NAMES = {v: k for k, v in LC_NAMES.items()}

# Documented negative cases in SOURCES.md: (relative path, slice index) that
# are unsigned on purpose.  Signed slices must all verify.
KNOWN_UNSIGNED = {("isign/Test_unsigned_thin.app/isignTestApp", 0), ("molcs/cal-yikes-universal", 1),
                  ("molcs/yikes-universal", 0), ("molcs/yikes-universal", 1)}


def otool(path):
    """(header dict, [cmd numbers]) from `llvm-otool -h -l` on a thin file."""
    out = subprocess.run([OTOOL, "-h", "-l", path], check=True, capture_output=True, text=True).stdout
    lines = out.splitlines()
    hdr = None
    for i, ln in enumerate(lines):
        if ln.split()[:2] == ["magic", "cputype"]:
            f = lines[i + 1].split()
            hdr = {"magic": f[0], "cputype": int(f[1], 0), "cpusubtype": (int(f[2], 0) & 0xFFFFFF) | (int(f[3], 16) << 24),
                   "filetype": int(f[4], 0), "ncmds": int(f[5], 0), "sizeofcmds": int(f[6], 0),
                   "flags": int(f[7], 0)}
            break
    if hdr is None:
        raise SystemExit("make_expected: cannot read the otool header of " + path)
    cmds = []
    for ln in lines:
        m = re.match(r"^\s*cmd (\S+)$", ln)
        if m:
            name = m.group(1)
            if name in LC_NAMES:
                cmds.append(LC_NAMES[name])
            else:
                m2 = re.search(r"0x[0-9a-fA-F]+", name)
                if not m2:
                    raise SystemExit("make_expected: unknown load command %r in %s" % (name, path))
                cmds.append(int(m2.group(0), 16))
    return hdr, cmds


def slice_bytes(path, s):
    with open(path, "rb") as f:
        f.seek(s["offset"])
        return f.read(s["size"])


def good_fixtures():
    good = os.path.join(TESTDATA, "good")
    result = {}
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(good)):
            path = os.path.join(good, name)
            rel = "good/" + name
            r = sigcheck.check_file(path)
            r.pop("path", None)
            if "error" in r:
                problems.append("%s: sigcheck error %s" % (rel, r["error"]))
                result[rel] = r
                continue
            for s in r["slices"]:
                t = os.path.join(tmp, "slice")
                with open(t, "wb") as f:
                    f.write(slice_bytes(path, s))
                hdr, cmds = otool(t)
                mine = s["header"]
                for k in ("cputype", "cpusubtype", "filetype", "ncmds", "sizeofcmds", "flags"):
                    if hdr[k] != mine[k]:
                        problems.append("%s slice %d: otool %s=%r, sigcheck %r" % (rel, s["index"], k, hdr[k], mine[k]))
                if cmds != s["load_commands"]:
                    problems.append("%s slice %d: otool load commands %r != sigcheck %r"
                                    % (rel, s["index"], cmds, s["load_commands"]))
                s["filetype"] = hdr["filetype"]
                s["ncmds"] = hdr["ncmds"]
                s["sizeofcmds"] = hdr["sizeofcmds"]
                s["flags"] = hdr["flags"]
                s["load_commands"] = cmds
                s["load_command_names"] = [NUM_NAMES.get(c, "0x%x" % c) for c in cmds]
            result[rel] = r
    return result, problems


def bundle_files(root, rel):
    """(Info.plist bytes, CodeResources bytes) of the bundle holding rel, if any."""
    d = os.path.dirname(os.path.join(root, rel))
    cands = [d]
    if os.path.basename(d) == "MacOS":
        cands.append(os.path.dirname(d))          # Contents/
    for c in cands:
        ip = os.path.join(c, "Info.plist")
        cr = os.path.join(c, "_CodeSignature", "CodeResources")
        if os.path.exists(ip) or os.path.exists(cr):
            rd = lambda p: open(p, "rb").read() if os.path.exists(p) else None  # noqa: E731
            return rd(ip), rd(cr)
    return None, None


def is_macho_magic(b):
    if len(b) < 4:
        return False
    be, le = struct.unpack(">I", b[:4])[0], struct.unpack("<I", b[:4])[0]
    return be in (0xCAFEBABE, 0xCAFEBABF, 0xFEEDFACE, 0xFEEDFACF) or le in (0xFEEDFACE, 0xFEEDFACF)


def real_fixtures(root):
    files = {}
    members = {}
    problems = []
    for d, dirs, names in os.walk(root):
        dirs.sort()
        for n in sorted(names):
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            with open(p, "rb") as f:
                head = f.read(8)
            if is_macho_magic(head):
                ip, cr = bundle_files(root, rel)
                r = sigcheck.check_file(p, ip, cr)
                r.pop("path", None)
                files[rel] = r
            elif n.endswith(".ipa") or n.endswith(".zip"):
                with zipfile.ZipFile(p) as z, tempfile.TemporaryDirectory() as tmp:
                    for zi in sorted(z.infolist(), key=lambda zi: zi.filename):
                        if zi.is_dir() or zi.file_size < 8:
                            continue
                        data = z.read(zi)
                        if not is_macho_magic(data[:8]):
                            continue
                        mdir = os.path.dirname(zi.filename)
                        t = os.path.join(tmp, "m")
                        with open(t, "wb") as f:
                            f.write(data)
                        names_in = set(z.namelist())
                        ipn = mdir + "/Info.plist"
                        crn = mdir + "/_CodeSignature/CodeResources"
                        if mdir.endswith("/Contents/MacOS"):
                            ipn = mdir[:-6] + "/Info.plist"
                            crn = mdir[:-6] + "/_CodeSignature/CodeResources"
                        ip = z.read(ipn) if ipn in names_in else None
                        cr = z.read(crn) if crn in names_in else None
                        r = sigcheck.check_file(t, ip, cr)
                        r.pop("path", None)
                        members[rel + "!" + zi.filename] = r
    for key, r in list(files.items()) + list(members.items()):
        if "error" in r:
            problems.append("%s: %s" % (key, r["error"]))
            continue
        for s in r["slices"]:
            if not s["signed"]:
                if (key, s["index"]) not in KNOWN_UNSIGNED:
                    problems.append("%s slice %d unexpectedly unsigned" % (key, s["index"]))
                continue
            if not s["all_hashes_match"] or s.get("problems"):
                problems.append("%s slice %d does not verify: %s" % (key, s["index"], s.get("problems")))
    return files, members, problems


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def main():
    good, problems = good_fixtures()
    dump(os.path.join(TESTDATA, "expected.json"), {
        "comment": "generated by testdata/tools/make_expected.py from testdata/good/ (sigcheck.py + llvm-otool); do not edit",
        "format_version": 1,
        "fixtures": good})
    root = os.environ.get("CSIG_FIXTURES_REAL") or os.path.join(os.path.dirname(os.path.dirname(TESTDATA)),
                                                                "shared", "fixtures-real")
    if os.path.isdir(root):
        files, members, p2 = real_fixtures(root)
        problems += p2
        dump(os.path.join(TESTDATA, "expected-real.json"), {
            "comment": "generated by testdata/tools/make_expected.py: sigcheck.py values for the Mach-O files in "
                       "$CSIG_FIXTURES_REAL (keys relative to it) and for the Mach-O members of its .ipa/.zip files",
            "format_version": 1,
            "fixtures": files,
            "zip_members": members})
        print("make_expected: %d good fixtures, %d real Mach-O files, %d zip members" % (len(good), len(files), len(members)))
    else:
        print("make_expected: real fixtures not found at %s; expected-real.json left unchanged" % root)
    for p in problems:
        sys.stderr.write("make_expected: " + p + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
