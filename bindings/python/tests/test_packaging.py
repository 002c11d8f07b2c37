"""The in-tree PEP 517 backend builds a complete wheel with no index."""

import os
import sys
import zipfile

from conftest import ROOT

PKG = os.path.join(ROOT, "bindings", "python")


def test_build_wheel(tmp_path):
    sys.path.insert(0, PKG)
    try:
        import build_backend
    finally:
        sys.path.remove(PKG)
    assert build_backend.get_requires_for_build_wheel() == []
    name = build_backend.build_wheel(str(tmp_path))
    with zipfile.ZipFile(str(tmp_path / name)) as z:
        names = set(z.namelist())
        record = z.read("csig-1.0.0.dist-info/RECORD").decode()
    want = {"csig/%s" % f for f in os.listdir(os.path.join(PKG, "csig"))
            if f.endswith(".py") or f == "py.typed"}
    assert want <= names
    assert "csig/py.typed" in names and "csig/__init__.py" in names
    assert all(n in record for n in want)
    assert build_backend.build_sdist(str(tmp_path)).endswith(".tar.gz")
