"""Plist/entitlements and CMS/x509 wrappers (skipped when the loaded
library lacks those modules)."""

import json
import os

import pytest

import csig
from csig import cms as cms_mod
from csig import plist as plist_mod
from conftest import GOOD, require_real

needs_plist = pytest.mark.skipif(not plist_mod.available, reason="no plist API in libcsig")
needs_cms = pytest.mark.skipif(not cms_mod.available, reason="no CMS API in libcsig")


@needs_plist
def test_entitlements_of_pysigned():
    with csig.open(os.path.join(GOOD, "pysigned-arm64")) as m:
        sig = m.slices[0].signature
        ent = sig.entitlements()
        assert sig.entitlements(der=True) is None
    assert ent.format == "xml" and ent.magic == 0xfade7171
    assert ent.value == {"com.apple.security.app-sandbox": True}
    assert json.loads(ent.to_json()) == ent.value
    assert ent.source == sig.find_blob(5).data[8:]
    assert ent.to_xml().startswith("<?xml")


@needs_plist
def test_plist_values_and_errors():
    p = csig.Plist.parse(b"<plist><dict><key>a</key><integer>-3</integer>"
                         b"<key>b</key><array><string>x</string><data>AAE=</data></array>"
                         b"<key>a</key><false/></dict></plist>")
    assert p.value == {"a": False, "b": ["x", b"\x00\x01"]}
    assert [f.name for f in p.findings] == ["duplicate-key"]
    with pytest.raises(csig.CsigError):
        csig.Plist.parse(b"<plist><dict><key>a</key></plist>")
    with pytest.raises(csig.BadMagicError):
        csig.Plist.parse(b"hello")


@needs_cms
def test_cms_of_real_signature():
    d = require_real()
    with csig.open(os.path.join(d, "santa", "goodcert")) as m:
        sig = m.slices[0].signature
        c = sig.cms_parsed()
        cd0 = sig.code_directories[0].bytes()
    assert c.detached and c.signer_count == 1
    assert c.certificates and c.chain
    r = c.verify(cd0)
    assert r.digest_ok and r.signature_ok
    assert json.loads(r.json)
    assert not c.verify(cd0[:-1] + b"\0").digest_ok
    cert = csig.Certificate.parse(c.chain[0].der)
    assert cert.subject_cn == c.chain[0].subject_cn
    with pytest.raises(csig.CsigError):
        csig.Certificate.parse(b"\x30\x03\x02\x01")


def test_adhoc_has_no_cms():
    with csig.open(os.path.join(GOOD, "adhoc-arm64")) as m:
        assert m.slices[0].signature.cms_parsed() is None
        assert m.slices[0].signature.adhoc
