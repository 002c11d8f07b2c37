"""Certificates and CMS getters, the CMS parsed in a signature, times,
verify(at=..., check_expiration=...)."""

import datetime
import os

import pytest

import csig
from conftest import GOOD, require_real

UTC = datetime.timezone.utc
APP = ("sparkle", "DevSignedApp.app", "Contents", "MacOS", "SignedApp")


def test_time_parse_and_format():
    assert csig.time_parse("2021-07-21T08:43:27Z") == 1626857007
    assert csig.time_parse("2021-07-21") == 1626825600
    assert csig.time_parse("2021-07-21T10:43:27+02:00") == 1626857007
    assert csig.time_format(1626857007) == "2021-07-21T08:43:27Z"
    with pytest.raises(csig.SyntaxError):
        csig.time_parse("yesterday")


def test_certificate_getters():
    with csig.open(os.path.join(require_real(), *APP)) as m:
        c = m.slices[0].signature.cms_parsed()
    leaf, inter, root = c.chain
    assert leaf.subject_cn == "Developer ID Application: Mayur Pawashe (ZCK58M894E)"
    assert leaf.subject_attr("UID") == "ZCK58M894E"
    assert leaf.subject_attr("0.9.2342.19200300.100.1.1") == "ZCK58M894E"
    assert leaf.subject_attr("O") == "Mayur Pawashe"
    assert leaf.issuer_attr("CN") == inter.subject_cn
    assert ("CN", leaf.subject_cn) in [(a.name, a.value) for a in leaf.subject_attrs]
    assert leaf.version == 3 and leaf.serial.hex().lstrip("0") == leaf.serial_hex.lstrip("0")
    assert len(leaf.sha1) == 20 and len(leaf.sha256) == 32
    assert leaf.not_valid_before < leaf.not_valid_after
    assert leaf.not_valid_after == datetime.datetime.fromtimestamp(leaf.not_after, UTC)
    assert not leaf.is_ca and inter.is_ca and root.is_self_issued
    assert leaf.key_type == csig.cms.KeyType.RSA and leaf.key_bits == 2048
    assert leaf.sig_alg_oid.startswith("1.2.840.113549.1.1.")
    assert leaf.key_usage is not None
    assert "1.3.6.1.5.5.7.3.3" in leaf.ekus           # code signing
    assert leaf.has_extension("1.2.840.113635.100.6.1.13")
    ext = leaf.extension("1.2.840.113635.100.6.1.13")
    assert ext.oid == "1.2.840.113635.100.6.1.13" and ext.critical
    assert leaf.extension("1.2.3.4") is None
    assert ("1.2.840.113635.100.6.1.13", "Developer ID Application") in leaf.apple_markers
    assert csig.apple_oid_name("1.2.840.113635.100.6.1.13") == "Developer ID Application"
    assert leaf.policies
    assert leaf.tbs and leaf.signature and leaf.tbs in leaf.der
    pem = leaf.pem()
    assert pem.startswith("-----BEGIN CERTIFICATE-----")
    assert leaf.verify_signature(inter) and not leaf.verify_signature(root)


def test_cms_signer_and_timestamp():
    with csig.open(os.path.join(require_real(), *APP)) as m:
        sig = m.slices[0].signature
        c = sig.cms_parsed()
        cd0 = sig.code_directories[0].bytes()
        best = sig.best_cd
    assert c.detached and c.digest_algs
    (s,) = c.signers
    assert s.certificate.der == c.chain[0].der
    assert s.digest_alg == 2 and s.digest_oid == "2.16.840.1.101.3.4.2.1"
    assert s.sig_alg_oid and s.signature and s.has_signed_attrs
    assert s.content_type == "1.2.840.113549.1.7.1" and len(s.message_digest) == 32
    assert s.cdhashes_plist.startswith(b"<?xml")
    assert any(h.digest == best.cdhash_full for h in s.cdhashes2)
    assert s.timestamp is not None
    ts = s.timestamp.tstinfo()
    assert ts is not None and ts.gen_datetime.year >= 2017 and ts.imprint
    assert c.tstinfo() is None
    r = c.verify(cd0, at=ts.gen_time)
    assert r.ok and r.chain_ok and r.apple_root and not r.expired
    assert r.links_ok and all(r.links_ok) and r.timestamp == 1
    assert isinstance(r.timestamp_apple_root, bool)
    assert c.verify(cd0, at="2099-01-01").expired


def test_verify_at_and_check_expiration():
    with csig.open(os.path.join(require_real(), *APP)) as m:
        default = m.verify()
        strict_late = m.verify(at="2099-01-01T00:00:00Z", check_expiration=True)
        lax_late = m.verify(at=4070908800)
        strict_old = m.verify(at=datetime.date(2020, 1, 1), check_expiration=True)
        strict_text = m.verify(at="2020-01-01", check_expiration=True, jobs=1)
        m_mid = m.verify(at=datetime.datetime(2024, 1, 1), check_expiration=True)
    ids = lambda r: sorted(f.id for f in r.findings)  # noqa: E731
    assert ids(strict_old) == ids(strict_text)
    # the leaf is valid 2021-02-07 .. 2026-02-08
    assert default.valid and m_mid.valid
    assert "cms-cert-expired" in ids(strict_old) and not strict_old.valid
    assert "cms-cert-expired" in ids(strict_late) and not strict_late.valid
    assert lax_late.valid
    with csig.open(os.path.join(GOOD, "adhoc-arm64")) as m:
        assert m.verify(at=0).valid and m.slices[0].verify(at="2001-01-01").valid


def test_signature_entitlement_views():
    with csig.open(os.path.join(GOOD, "pysigned-arm64")) as m:
        sig = m.slices[0].signature
        ent = sig.entitlements()
        assert sig.constraints == {}
        assert sig.constraint(8) is None
    assert ent.get("com.apple.security.app-sandbox") is True
    assert ent.get_bool("com.apple.security.app-sandbox") is True
    assert ent.is_true("com.apple.security.app-sandbox")
    assert ent.get_bool("nope") is None and ent.get_string("nope") is None
    assert ent.get_int("nope") is None and ent.get("nope") is None
    with pytest.raises(csig.BadValueError):
        ent.get_string("com.apple.security.app-sandbox")
    node = ent.node("com.apple.security.app-sandbox")
    assert node.type_name == "bool" and node.offset > 0 and node.value is True
    root = ent.root
    assert root.keys() == ["com.apple.security.app-sandbox"] and len(root) == 1
    assert root["com.apple.security.app-sandbox"].value is True


def test_plist_nodes():
    p = csig.Plist.parse(b"<plist><dict><key>d</key><date>2021-07-21T08:43:27Z</date>"
                         b"<key>a</key><array><string>x</string><integer>7</integer></array>"
                         b"</dict></plist>")
    r = p.root
    assert r.get("d").date == 1626857007 and r.get("a").date is None
    assert r["a"][0].cstr == "x" and r["a"][1].value == 7 and r["a"][1].cstr is None
    with pytest.raises(KeyError):
        r["a"][5]
    with pytest.raises(csig.BadValueError):
        p.get_int("d")
