"""Code requirements: compile, decompile, sets, evaluation with a trace."""

import datetime
import os

import pytest

import csig
from conftest import GOOD, require_real

CN_REQ = ('anchor apple generic and certificate leaf[subject.CN] = '
          '"Developer ID Application: Mayur Pawashe"')


def signed_app():
    d = require_real()
    return csig.open(os.path.join(d, "sparkle", "DevSignedApp.app", "Contents",
                                  "MacOS", "SignedApp"))


def test_seed_scenario_cn_not_satisfied_ou_satisfied():
    with signed_app() as m:
        s = m.slices[0]
        r = s.check_requirement(CN_REQ)
        assert r.verdict == "not satisfied" and not r
        failing = [t for t in r.trace if t.verdict == "not satisfied"]
        assert len(failing) == 1
        t = failing[0]
        assert "subject.CN" in t.clause
        assert t.actual == '"Developer ID Application: Mayur Pawashe (ZCK58M894E)"'
        assert t.expected == '= "Developer ID Application: Mayur Pawashe"'
        assert r.trace[0] == ("anchor apple generic", "satisfied", r.trace[0].actual,
                              r.trace[0].expected, r.trace[0].reason)
        ok = s.check_requirement("certificate leaf[subject.OU] = ZCK58M894E")
        assert ok.verdict == "satisfied" and ok.satisfied
        # a Requirement object works the same
        req = csig.Requirement.from_text("certificate leaf[subject.OU] = ZCK58M894E")
        assert s.check_requirement(req).verdict == "satisfied"


def test_designated_requirement_of_signature_is_satisfied():
    with signed_app() as m:
        s = m.slices[0]
        rs = s.signature.requirements
        assert rs is not None and len(rs) == 1
        assert rs.types == [csig.req.TYPE_DESIGNATED]
        dr = rs.designated
        assert dr.text.startswith("anchor apple generic and identifier")
        assert rs.text == "designated => %s\n" % dr.text
        assert rs.items()[0][1] == "designated"
        assert rs["designated"].raw == dr.raw
        assert rs.get(csig.req.TYPE_HOST) is None
        info = s.signature.file  # the slice's requirement alone (no bundle Info.plist)
        assert info is m
        assert s.check_requirement(dr).verdict == "satisfied"
    # the view outlives the file object's close (it pins the C handle)
    assert dr.text.startswith("anchor apple generic")


def test_compile_roundtrip_and_errors():
    text = 'identifier "com.example.app" and anchor apple generic'
    blob = csig.compile_requirement(text)
    assert blob[:4] == b"\xfa\xde\x0c\x00"
    r = csig.Requirement.from_bytes(blob)
    assert r.text == text and str(r) == text
    assert r.kind == csig.req.KIND_EXPR and r.lwcr_der == b"" and r.raw == blob
    assert csig.Requirement.from_text(text).raw == blob
    set_blob, is_set = csig.compile_requirement("designated => " + text, with_kind=True)
    assert is_set and set_blob[:4] == b"\xfa\xde\x0c\x01"
    rs = csig.RequirementSet.from_text("designated => " + text)
    assert rs.raw == set_blob and rs.designated.text == text
    with pytest.raises(ValueError):
        csig.Requirement.from_text("designated => " + text)
    with pytest.raises(csig.SyntaxError) as e:
        csig.compile_requirement('identifier "x" and and')
    assert e.value.message and e.value.offset > 0
    with pytest.raises(csig.CsigError):
        csig.Requirement.from_bytes(b"\xfa\xde\x0c\x00\x00\x00\x00\x08")
    assert csig.req.type_name(3) == "designated"
    assert csig.req.verdict_name(2) == "indeterminate"


def test_evaluate_with_supplied_facts():
    r = csig.Requirement.from_text(
        'identifier "com.x" and info[CFBundleVersion] >= "10" and '
        'entitlement["com.apple.security.app-sandbox"] exists and '
        'cdhash H"0102030405060708090a0b0c0d0e0f1011121314" and '
        'certificate leaf[subject.OU] = TEAM1')
    facts = dict(identifier="com.x", info={"CFBundleVersion": "9"},
                 entitlements={"com.apple.security.app-sandbox": True},
                 cdhashes=[bytes(range(1, 21))],
                 certs=[csig.ReqCert(subject=[("OU", "TEAM1"), ("CN", "x")])])
    res = r.evaluate(**facts)
    assert res.verdict == "not satisfied"
    assert [t.verdict for t in res.trace].count("not satisfied") == 1
    facts["info"] = {"CFBundleVersion": "10"}
    assert r.evaluate(**facts).verdict == "satisfied"
    n = csig.Requirement.from_text("notarized")
    assert n.evaluate().verdict == "indeterminate"
    assert n.evaluate().trace[0].reason
    d = csig.Requirement.from_text('info[D] < timestamp "20200101000000Z"')
    assert d.evaluate(info={"D": datetime.datetime(2019, 1, 1)}).satisfied
    assert not d.evaluate(info={"D": datetime.datetime(2021, 1, 1)}).satisfied


def test_unsigned_requirements_absent():
    with csig.open(os.path.join(GOOD, "adhoc-arm64")) as m:
        sig = m.slices[0].signature
        assert sig.requirements is None or len(sig.requirements) >= 0
