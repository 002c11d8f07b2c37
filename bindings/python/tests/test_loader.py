"""Library loading: one ImportError naming every place tried."""

import os
import shutil
import subprocess
import sys

import csig
from csig import _lib
from conftest import ROOT


def test_loaded_library():
    assert csig.version_number // 10000 == _lib.ABI_MAJOR == 1
    if os.environ.get("CSIG_LIBRARY"):
        assert csig.library_path == os.environ["CSIG_LIBRARY"]


def test_in_tree_build_is_a_candidate():
    cands = _lib._candidates()
    assert os.path.join(ROOT, "build", "libcsig.so.1") in cands or \
        os.path.join(ROOT, "build", "libcsig.1.dylib") in cands


def test_import_error_lists_every_attempt(tmp_path):
    # A copy of the package outside the tree, so no in-tree build is found.
    shutil.copytree(os.path.join(ROOT, "bindings", "python", "csig"),
                    str(tmp_path / "csig"))
    env = dict(os.environ, CSIG_LIBRARY=str(tmp_path / "nowhere" / "libcsig.so.1"),
               PYTHONPATH=str(tmp_path))
    p = subprocess.run([sys.executable, "-c", "import csig"],
                       capture_output=True, text=True, env=env, cwd=str(tmp_path))
    if p.returncode == 0:  # a system-wide libcsig is installed: fine
        return
    assert "ImportError" in p.stderr
    assert str(tmp_path / "nowhere" / "libcsig.so.1") in p.stderr
    assert "build" in p.stderr                     # the in-tree candidate
    assert ("libcsig.so.1:" in p.stderr) or ("libcsig.1.dylib:" in p.stderr)
    assert "CSIG_LIBRARY" in p.stderr
