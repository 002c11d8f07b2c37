#!/usr/bin/env python3
"""gen_sig_seeds.py - seeds for fuzz_superblob and fuzz_codedir.

Signs the Mach-O skeleton of tests/fuzz/sig_harness.h (testdata/tools/
handmade.py's skeleton with a 0x800-byte __TEXT) with machosign.py in a few
shapes and writes the embedded SuperBlob (for fuzz_superblob) and the
primary CodeDirectory (for fuzz_codedir), so the seeds verify inside the
harness.  Run from the repository root: python3 tests/fuzz/gen_sig_seeds.py
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "testdata", "tools"))
import handmade  # noqa: E402
import machosign  # noqa: E402

handmade.TEXT_SIZE = 0x800
ENT = open(os.path.join(ROOT, "testdata", "src", "entitlements.plist"), "rb").read()
SB = os.path.join(ROOT, "tests", "fuzz", "corpus", "fuzz_superblob")
CD = os.path.join(ROOT, "tests", "fuzz", "corpus", "fuzz_codedir")

SHAPES = {
    "sha256": dict(hash_types=(2,)),
    "sha1-sha256": dict(hash_types=(1, 2)),
    "sha384": dict(hash_types=(4,)),
    "sha256-trunc": dict(hash_types=(3,)),
    "ent": dict(hash_types=(2,), entitlements=ENT),
    "team-page1k": dict(hash_types=(2,), page_log2=10, team="ABCDE12345"),
    "noreqs-nocms": dict(hash_types=(2,), reqs=False, cms=False),
}


def superblob_of(signed):
    dataoff = 0x800
    return signed[dataoff:]


def main():
    os.makedirs(SB, exist_ok=True)
    os.makedirs(CD, exist_ok=True)
    for name, kw in SHAPES.items():
        sb = superblob_of(machosign.sign(handmade.unsigned_min(), "fuzz." + name, **kw))
        with open(os.path.join(SB, name), "wb") as f:
            f.write(sb)
        if kw.get("reqs", True) and kw.get("cms", True) and "entitlements" not in kw \
                and len(kw["hash_types"]) == 1:
            off = struct.unpack_from(">I", sb, 16)[0]
            ln = struct.unpack_from(">I", sb, off + 4)[0]
            with open(os.path.join(CD, name), "wb") as f:
                f.write(sb[off:off + ln])
    return 0


if __name__ == "__main__":
    sys.exit(main())
