"""Borrowed views (entitlements, requirements, CMS, profile plist, bundle
executable) pin their owner: closing the owner refuses new calls on it at
once, while the views keep working until they go."""

import gc
import os
import threading

import pytest

import csig
from conftest import GOOD, require_real


def test_view_pins_owner_until_it_goes():
    m = csig.open(os.path.join(GOOD, "pysigned-arm64"))
    ent = m.slices[0].signature.entitlements()
    m.close()
    assert m.closed
    with pytest.raises(ValueError):
        m.kind
    assert m._ptr is not None          # pinned by the view
    assert ent.value == {"com.apple.security.app-sandbox": True}
    ent.close()
    assert m._ptr is None              # last view gone: freed
    with pytest.raises(ValueError):
        ent.value


def test_views_collected_free_the_owner():
    m = csig.open(os.path.join(require_real(), "sparkle", "DevSignedApp.app",
                               "Contents", "MacOS", "SignedApp"))
    sig = m.slices[0].signature
    views = [sig.requirements, sig.requirements.designated, sig.cms_parsed(),
             sig.entitlements()]
    m.close()
    assert m._ptr is not None
    assert views[1].text.startswith("anchor apple generic")
    assert views[2].signer_count == 1 and views[2].to_json()
    del views, sig
    gc.collect()
    assert m._ptr is None


def test_profile_views_and_threads():
    p = csig.Profile(os.path.join(require_real(), "app_info", "ios_adhoc.mobileprovision"))
    doc = p.plist
    verdicts = []

    def work():
        for _ in range(20):
            verdicts.append(p.check(at=p.creation_date).verdict)

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert set(verdicts) == {"valid"} and len(verdicts) == 80
    p.close()
    assert doc.get("Name") == "iOS Full AdHoc"
    del doc
    gc.collect()
    assert p._ptr is None
