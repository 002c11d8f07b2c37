"""Every CSIG_API function of include/csig.h and include/csig/*.h is
declared by the binding (nothing silently missed)."""

import glob
import os
import re

import csig  # noqa: F401  (imports every wrapper module)
from csig import _lib
from conftest import ROOT

#: Public functions deliberately not wrapped yet.  Keep it empty.
ALLOW_UNWRAPPED: set = set()

_DECL = re.compile(r"\bCSIG_API\b[^;{}#]*?\b(csig_[a-z0-9_]+)\s*\(", re.S)


def header_functions():
    names = set()
    paths = [os.path.join(ROOT, "include", "csig.h")] + sorted(
        glob.glob(os.path.join(ROOT, "include", "csig", "*.h")))
    for path in paths:
        with open(path) as f:
            text = f.read()
        text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)   # drop comments
        names.update(_DECL.findall(text))
    return names


def test_header_scan_finds_the_api():
    names = header_functions()
    assert len(names) > 300
    assert {"csig_file_open", "csig_req_eval_slice", "csig_profile_check",
            "csig_time_parse"} <= names


def test_every_public_function_is_declared():
    missing = header_functions() - _lib.DECLARED - ALLOW_UNWRAPPED
    assert not missing, "declared in include/ but not in the binding: %s" % sorted(missing)


def test_allow_list_is_not_stale():
    stale = ALLOW_UNWRAPPED & _lib.DECLARED
    assert not stale, "wrapped now, drop from ALLOW_UNWRAPPED: %s" % sorted(stale)


def test_binding_declares_nothing_unknown():
    assert not (_lib.DECLARED - header_functions())
