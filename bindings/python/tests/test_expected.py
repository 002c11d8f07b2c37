"""Every good fixture and every real fixture against expected*.json."""

import io
import json
import os
import zipfile

import pytest

import csig
from conftest import (EXPECTED, GOOD, GOOD_NAMES, TESTDATA,
                      check_against_expected, require_real)


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_good_fixture(name):
    exp = EXPECTED["good/" + name]
    with csig.open(os.path.join(GOOD, name)) as m:
        expect_valid = check_against_expected(m, exp)
        r = m.verify()
        assert r.valid == expect_valid, r.findings
        assert not [f for f in m.findings if f.severity == csig.Severity.ERROR]
        if expect_valid:
            assert not [f for f in r.findings if f.severity == csig.Severity.ERROR]


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_good_fixture_from_bytes(name):
    with open(os.path.join(GOOD, name), "rb") as f:
        data = f.read()
    m = csig.MachO.from_bytes(data)
    check_against_expected(m, EXPECTED["good/" + name])
    assert m.bytes() == data
    assert m.path is None


def test_every_good_file_is_listed():
    assert sorted(os.listdir(GOOD)) == GOOD_NAMES


def check_verdict(r, hashes_valid):
    """expected-real.json records hash facts (sigcheck), not CMS trust: a
    real signature whose hashes all match may still be judged untrusted
    (e.g. a chain not ending at an Apple root), so only non-CMS errors
    count against it."""
    if not hashes_valid:
        assert not r.valid, r.findings
        return
    errs = [f for f in r.findings if f.severity == csig.Severity.ERROR
            and not f.id.startswith("cms-")]
    assert not errs, errs


def _real():
    with open(os.path.join(TESTDATA, "expected-real.json")) as f:
        return json.load(f)


def test_real_fixtures():
    d = require_real()
    real = _real()
    assert real["fixtures"]
    for key, exp in sorted(real["fixtures"].items()):
        with csig.open(os.path.join(d, key)) as m:
            try:
                expect_valid = check_against_expected(m, exp)
                check_verdict(m.verify(), expect_valid)
            except AssertionError as e:
                raise AssertionError("%s: %s" % (key, e)) from None


def test_real_zip_members_from_bytes():
    d = require_real()
    real = _real()
    assert real["zip_members"]
    for key, exp in sorted(real["zip_members"].items()):
        archive, member = key.split("!", 1)
        with zipfile.ZipFile(os.path.join(d, archive)) as z:
            data = z.read(member)
        m = csig.MachO.from_bytes(io.BytesIO(data).getbuffer())
        del data
        try:
            expect_valid = check_against_expected(m, exp)
            check_verdict(m.verify(), expect_valid)
        except AssertionError as e:
            raise AssertionError("%s: %s" % (key, e)) from None
        m.close()
