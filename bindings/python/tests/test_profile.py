"""Provisioning profiles: verdicts of every real profile (the table of
tests/check_profile.c), getters, check/match/json."""

import datetime
import json
import os
import re

import pytest

import csig
from conftest import ROOT, require_real

UTC = datetime.timezone.utc

# rel: (real, verdict, kind, container) exactly as tests/check_profile.c;
# real=True means Apple-signed: valid at CreationDate + 1 day, expired now.
TABLE = {
    "app_info/NotificationService.appex/embedded.mobileprovision": (True, None, "ad-hoc", "cms"),
    "app_info/ios_adhoc.mobileprovision": (True, None, "ad-hoc", "cms"),
    "app_info/ios_appstore.mobileprovision": (True, None, "app-store", "cms"),
    "app_info/ios_development.mobileprovision": (True, None, "development", "cms"),
    "app_info/macos_appstore.provisionprofile": (True, None, "app-store", "cms"),
    "app_info/macos_development.provisionprofile": (True, None, "development", "cms"),
    "app_info/profile.mobileprovision": (True, None, "development", "cms"),
    "fastlane/AppStore_tools.fastlane.app.mobileprovision": (True, None, "app-store", "cms"),
    "fastlane/AppStore_net.sunapps.9.watch.mobileprovision": (True, None, "app-store", "cms"),
    "fastlane/test.mobileprovision": (True, None, "app-store", "cms"),
    "fastlane/test.provisionprofile": (False, "tampered", "app-store", "cms"),
    "fastlane/very-capable-app.app/embedded.mobileprovision":
        (False, "untrusted", "development", "cms"),
    "isign/test.mobileprovision": (False, "untrusted", "development", "cms"),
    "app_info/signed_plist.mobileprovision": (False, "untrusted", "enterprise", "cms"),
    "app_info/bplist.mobileprovision": (False, "unsigned", "enterprise", "bare-binary"),
    "app_info/plist.mobileprovision": (False, "unsigned", "enterprise", "bare-xml"),
}

_C_VERDICT = {"TAMPERED": "tampered", "UNTRUSTED": "untrusted", "UNSIGNED": "unsigned"}
_C_CONTAINER = {"CMS": "cms", "BARE_BINARY": "bare-binary", "BARE_XML": "bare-xml"}


def test_table_matches_check_profile_c():
    with open(os.path.join(ROOT, "tests", "check_profile.c")) as f:
        src = f.read()
    rows = re.findall(r'\{ "([^"]+)", (\d), (0|CSIG_PROFILE_(\w+)), CSIG_PROFILE_KIND_(\w+), '
                      r'CSIG_PROFILE_(\w+) \}', src)
    assert rows
    c_table = {rel: (real == "1", _C_VERDICT.get(v) if v else None,
                     kind.lower().replace("_", "-"), _C_CONTAINER[cont])
               for rel, real, _, v, kind, cont in rows}
    assert c_table == TABLE


def test_every_real_profile_is_in_the_table():
    d = require_real()
    found = set()
    for base, dirs, files in os.walk(d):
        for n in files:
            if n.endswith((".mobileprovision", ".provisionprofile")):
                found.add(os.path.relpath(os.path.join(base, n), d))
    assert found == set(TABLE)


@pytest.mark.parametrize("rel", sorted(TABLE))
def test_real_verdicts(rel):
    d = require_real()
    real, verdict, kind, container = TABLE[rel]
    p = csig.Profile(os.path.join(d, rel))
    assert p.kind == kind and p.container == container
    assert p.malformed_reason is None
    created = p.creation_date
    at = created + datetime.timedelta(days=1)
    r1, r2 = p.check(at=at), p.check()
    if real:
        assert (r1.verdict, r2.verdict) == ("valid", "expired")
        assert "profile-expired" in [f.id for f in r2.findings]
        assert r1.days_to_expiry == (p.expiration_date - at).days
        if p.time_to_live is not None:
            assert r1.days_to_expiry <= p.time_to_live
        assert p.signed and r1.cms is not None and r1.cms.signature_ok
        assert r1.at == int(at.timestamp())
    else:
        assert (r1.verdict, r2.verdict) == (verdict, verdict)
    assert len(p.team_ids) >= 1 and p.uuid
    assert p.entitlements is not None
    assert len(p.certificate_entries) >= 1
    assert p.der_profile is None
    doc = p.to_dict(at=at)
    assert json.dumps(doc)
    p.close()


def test_getters_ios_development():
    d = require_real()
    with csig.Profile(os.path.join(d, "app_info/ios_development.mobileprovision")) as p:
        assert p.name == "iOS Full Development"
        assert p.uuid == "9b42a96b-b520-40ef-9748-eee6e7c40f0b"
        assert p.app_id_name == "test by wangshen"
        assert p.team_name == "Niceliving (Beijing) Technology Co., Ltd."
        assert p.team_ids == ["WKR87TTKML"] and p.app_id_prefixes == ["WKR87TTKML"]
        assert p.platforms == ["iOS"]
        assert p.creation_date == datetime.datetime(2020, 7, 21, 8, 43, 27, tzinfo=UTC)
        assert p.expiration_time == 1626857007
        assert (p.time_to_live, p.version) == (365, 1)
        assert p.is_xcode_managed is False and p.provisions_all_devices is None
        assert p.has_devices and len(p.devices) == 1
        assert p.entitlements["application-identifier"] == "WKR87TTKML.com.icyleaf.appinfo.test"
        node = p.entitlements_node
        assert node.get("application-identifier").cstr == "WKR87TTKML.com.icyleaf.appinfo.test"
        (c,) = p.certificates
        assert isinstance(c, csig.Certificate)
        assert c.subject_cn == "Apple Development: Shen Wang (A3Z3NZQ8V3)"
        assert p.certificate_entries[0].data == c.der
        assert p.cms is not None and p.plist is not None
        assert p.root.type_name == "dict"
        assert p.plist.get("Name") == "iOS Full Development"
        for at, verdict, days in ((1595321007 + 86400, "valid", 364),
                                  (1626857007, "expired", 0),
                                  ("2021-07-21T08:43:26Z", "valid", 0),
                                  (datetime.datetime(2021, 7, 21, 8, 43, 28), "expired", -1)):
            r = p.check(at=at)
            assert (r.verdict, r.days_to_expiry) == (verdict, days), at
        assert json.loads(p.json(at=1595321007 + 86400))["check"]["verdict"] == "valid"


def test_undecodable_cert_entry():
    d = require_real()
    p = csig.Profile(os.path.join(d, "app_info/plist.mobileprovision"))
    (e,) = p.certificate_entries
    assert e.certificate is None and e.status < 0 and e.message
    assert p.certificates == []
    assert "developer-cert-undecodable" in [f.id for f in p.check().findings]


def test_match_embedded_profile_against_its_app():
    d = require_real()
    app = os.path.join(d, "fastlane", "very-capable-app.app")
    p = csig.Profile(os.path.join(app, "embedded.mobileprovision"))
    with csig.open(os.path.join(app, "very-capable-app")) as m:
        res = p.match(m.slices[0])
    ids = [row.id for row in res.rows]
    assert "team-id" in ids and "application-identifier" in ids
    assert json.loads(res.json)["ok"] == res.ok
    assert res.ok == all(row.ok for row in res.rows)


def test_profile_errors():
    with pytest.raises(csig.BadMagicError):
        csig.Profile.from_bytes(b"not a profile at all")
    with pytest.raises(csig.CsigError):
        csig.Profile.from_bytes(b"<plist><dict><key>a</key></plist>")
    p = csig.Profile.from_bytes(b"<?xml version=\"1.0\"?><plist><dict>"
                                b"<key>Name</key><string>x</string></dict></plist>")
    assert p.container == "bare-xml" and not p.signed and p.cms is None
    assert p.check().verdict == "malformed" and p.malformed_reason
