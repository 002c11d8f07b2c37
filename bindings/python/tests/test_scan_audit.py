"""Scan records, sniffing, the expiry audit and the update check
(skipped when the loaded library lacks them)."""

import json
import os

import pytest

import csig
from csig import audit as audit_mod
from csig import scan as scan_mod
from conftest import GOOD, require_real

needs_scan = pytest.mark.skipif(not scan_mod.available, reason="no scan API in libcsig")
needs_audit = pytest.mark.skipif(not audit_mod.available, reason="no audit API in libcsig")


def _real(*p):
    return os.path.join(require_real(), *p)


@needs_scan
def test_sniff():
    with open(os.path.join(GOOD, "fat-arm64-x86_64"), "rb") as f:
        assert csig.sniff(f.read(scan_mod.SNIFF_PREFIX)) == scan_mod.sniff_name(2)
    assert scan_mod.sniff_kind(b"bplist00") == 4
    assert csig.sniff(b"") == "unknown"
    assert csig.sniff(b"\xca\xfe\xba\xbe\x00\x03\x00\x2d") == "unknown"   # Java class file


@needs_scan
def test_records():
    app = _real("sparkle", "DevSignedApp.app")
    with csig.open(os.path.join(app, "Contents", "MacOS", "SignedApp")) as m:
        rec = json.loads(m.scan_record(verify_result=True))
        assert rec["type"] == "macho" and rec["verdict"] == "valid"
        assert rec["identifier"] == "com.zoo.SignedApp" and rec["team"] == "ZCK58M894E"
        bare = json.loads(m.scan_record(path="x"))
        assert bare["path"] == "x" and "verdict" not in bare
    with csig.Bundle(app) as b:
        r = b.verify()
        rec = json.loads(r.scan_record("y"))
        assert rec["type"] == "bundle" and rec["verdict"] == r.verdict and rec["path"] == "y"
        assert json.loads(b.scan_record())["identifier"] == "com.zoo.SignedApp"
    p = csig.Profile(_real("app_info", "ios_development.mobileprovision"))
    rec = json.loads(p.scan_record(at=1595321007 + 86400))
    assert rec["type"] == "profile" and rec["verdict"] == "valid"
    err = json.loads(scan_mod.error_json("z", csig.TruncatedError(-10, "cut", 16)))
    assert err == {"type": "error", "path": "z", "code": "CSIG_E_TRUNCATED",
                   "message": "cut", "offset": 16}
    assert json.loads(scan_mod.error_json("z", -50))["code"] == "CSIG_E_IO"
    s = json.loads(scan_mod.summary_json(files=2, macho=1, seconds=2.0))
    assert s["type"] == "summary" and s["files"] == 2 and s["macho"] == 1
    with pytest.raises(TypeError):
        scan_mod.summary_json(nonsense=1)


@needs_audit
def test_audit_developer_id_app():
    app = _real("sparkle", "DevSignedApp.app")
    a = csig.Audit(app, at="2025-06-01", within_days=365)
    leaf = [i for i in a.items if i.kind == "certificate" and i.chain_index == 0]
    assert leaf and leaf[0].subject.endswith("(ZCK58M894E)")
    assert leaf[0].signing == "developer-id" and leaf[0].status == "expiring"
    assert a.codes[0].team_id == "ZCK58M894E" and not a.codes[0].has_profile
    assert json.loads(a.json)["failed"] == a.failed
    assert a.within_days == 365 and a.at == csig.time_parse("2025-06-01")
    with csig.open(os.path.join(app, "Contents", "MacOS", "SignedApp")) as m:
        b = m.audit(label="bin", at="2025-06-01")
    assert b.codes[0].where == "bin"
    with pytest.raises(csig.CsigError):
        csig.Audit(os.path.join(GOOD, "..", "bad", "MANIFEST.tsv"))


@needs_audit
def test_update_check():
    app = _real("sparkle", "DevSignedApp.app")
    u = csig.check_update(app, app)
    assert u.verdict == "yes" and u.accepted and not u.implicit
    assert u.requirement.startswith("anchor apple generic")
    assert u.evaluations and u.evaluations[0].which == "designated"
    assert u.evaluations[0].result.verdict == "satisfied"
    no = csig.check_update(_real("molcs", "yikes-universal_signed"),
                           _real("molcs", "yikes-universal_adhoc"))
    assert no.verdict == "no" and "identifier" in no.reason
    x = csig.check_update(app, app, extra_requirement="certificate leaf[subject.OU] = NOPE")
    assert x.verdict == "no" and [e.which for e in x.evaluations] == ["designated", "extra"]
    assert json.loads(x.json)
