"""Zip archives (testdata/zip/expected*.tsv) and bundles."""

import hashlib
import json
import os

import pytest

import csig
from csig import bundle as bundle_mod
from csig import zip as zip_mod
from conftest import ROOT, require_real

ZIPS = os.path.join(ROOT, "testdata", "zip")
needs_zip = pytest.mark.skipif(not zip_mod.available, reason="no zip API in libcsig")
needs_bundle = pytest.mark.skipif(not bundle_mod.available, reason="no bundle API in libcsig")


def _rows(name):
    files, entries = {}, {}
    with open(os.path.join(ZIPS, name)) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "F":
                files[cols[1]] = (cols[2], int(cols[3]))
            else:
                entries.setdefault(cols[1], []).append(cols[2:])
    return files, entries


def _check_archive(path, expect_open, count, rows, extract_limit=None):
    try:
        z = csig.Zip(path)
    except csig.CsigError as e:
        assert e.name == expect_open, path
        return
    assert expect_open == "CSIG_OK", path
    with z:
        assert len(z) == count
        for e, row in zip(z.entries, rows):
            idx, name_hex, method, size, csize, crc, is_dir, is_link, mode, susp, res, sha = row
            assert e.index == int(idx)
            assert e.raw_name.hex() == ("" if name_hex == "-" else name_hex)
            assert (e.method, e.size, e.compressed_size) == (int(method), int(size), int(csize))
            assert "%08x" % e.crc32 == crc
            assert (e.is_dir, e.is_symlink) == (is_dir == "1", is_link == "1")
            assert e.mode == int(mode, 8) and e.suspicious == int(susp)
            if extract_limit is not None and e.size > extract_limit:
                continue
            try:
                data = z.read(e.index)
            except csig.CsigError as err:
                assert err.name == res, (path, e.name)
                continue
            assert res == "CSIG_OK", (path, e.name)
            assert hashlib.sha256(data).hexdigest() == sha
            if e.method == zip_mod.STORED and data:
                assert z.view(e.index) == data


@needs_zip
def test_zip_fixtures_match_expected():
    files, entries = _rows("expected.tsv")
    assert files
    for name, (res, count) in files.items():
        _check_archive(os.path.join(ZIPS, name), res, count, entries.get(name, []))


@needs_zip
def test_zip_real_archives():
    d = require_real()
    files, entries = _rows("expected-real.tsv")
    for name, (res, count) in files.items():
        _check_archive(os.path.join(d, name), res, count, entries.get(name, []),
                       extract_limit=1 << 20)


@needs_zip
def test_zip_find_read_and_limits():
    z = csig.Zip(os.path.join(ZIPS, "tree.zip"))
    names = z.namelist()
    assert names and z.find(names[-1]) == len(names) - 1
    assert z.find("no/such/name") is None
    with pytest.raises(KeyError):
        z.read("no/such/name")
    with open(os.path.join(ZIPS, "deflated.zip"), "rb") as f:
        data = f.read()
    big = max(csig.Zip.from_bytes(data).entries, key=lambda e: e.size)
    small = csig.Zip.from_bytes(data, max_entry_size=max(big.size - 1, 1))
    with pytest.raises(csig.LimitError):
        small.read(big.index)
    with pytest.raises(csig.CsigError):
        csig.Zip.from_bytes(b"PK\x05\x06" + b"\0" * 10)


def _app():
    return os.path.join(require_real(), "sparkle", "DevSignedApp.app")


@needs_bundle
def test_bundle_directory():
    with csig.Bundle(_app()) as b:
        assert b.path == "" and b.layout == "deep" and not b.from_archive
        assert b.identifier == "com.zoo.SignedApp"
        assert b.main_executable == "Contents/MacOS/SignedApp"
        assert not b.is_codeless and b.content_dir is not None
        assert b.info_plist.get("CFBundleIdentifier") == "com.zoo.SignedApp"
        m = b.executable
        assert m is not None and m.slices[0].best_cd.identifier == "com.zoo.SignedApp"
        r = b.verify()
        assert len(r.paths) == len(r.findings)
        doc = json.loads(r.json)
        assert doc
        assert r.files_hashed >= 1 and r.bytes_hashed > 0
        # the designated requirement holds with the bundle's Info.plist
        s = m.slices[0]
        dr = s.signature.requirements.designated
        assert s.check_requirement(dr, info_plist=b.info_plist).satisfied
        for n in b.nested:
            assert n.path
    # the borrowed executable keeps working after the bundle is closed
    assert m.slices[0].best_cd.identifier == "com.zoo.SignedApp"


@needs_bundle
def test_bundle_ipa_and_errors():
    d = require_real()
    with csig.Bundle(os.path.join(d, "fastlane", "very-capable-app.ipa")) as b:
        assert b.from_archive and b.layout == "shallow"
        assert isinstance(b.verify(at="2020-01-01").valid, bool)
    with pytest.raises(csig.CsigError):
        csig.Bundle(os.path.join(ROOT, "testdata"))
