"""JSON documents and `python -m csig` against the csig CLI, byte for byte."""

import json
import os
import subprocess
import sys

import pytest

import csig
from conftest import BAD, GOOD, GOOD_NAMES, ROOT


def run(args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(ROOT, "bindings", "python")
    return subprocess.run(args, capture_output=True, env=env)


def test_info_json_equals_cli(cli):
    for name in GOOD_NAMES:
        path = os.path.join(GOOD, name)
        want = run([cli, "info", "--json", path]).stdout
        with csig.open(path) as m:
            assert (m.info_json() + "\n").encode() == want, name
            lc = run([cli, "info", "--json", "--load-commands", path]).stdout
            assert (m.info_json(load_commands=True) + "\n").encode() == lc, name
            doc = m.info()
            assert doc["document"] == "info"
            assert [s["arch"] for s in doc["slices"]] == m.archs


def test_verify_json_equals_cli(cli):
    for name in GOOD_NAMES + ["page-hash-mismatch", "fat-cputype-mismatch"]:
        path = os.path.join(GOOD if name in GOOD_NAMES else BAD, name)
        want = run([cli, "verify", "--json", path]).stdout
        with csig.open(path) as m, m.verify() as r:
            assert (r.to_json() + "\n").encode() == want, name
            d = r.to_dict()
            assert d["valid"] == r.valid
            assert [f["id"] for f in d["findings"]] == [f.id for f in r.findings]


def test_python_m_csig_equals_cli(cli):
    paths = [os.path.join(GOOD, n) for n in ("fat64", "pysigned-arm64", "go-amd64")]
    for extra in ([], ["--arch", "arm64"], ["--load-commands"], ["-vv"]):
        want = run([cli, "info", "--json"] + extra + paths)
        got = run([sys.executable, "-m", "csig"] + extra + paths)
        if "--arch" in extra:  # go-amd64 has no arm64 slice: both fail on it
            paths_ok = paths[:2]
            want = run([cli, "info", "--json"] + extra + paths_ok)
            got = run([sys.executable, "-m", "csig"] + extra + paths_ok)
        assert got.returncode == want.returncode == 0, got.stderr
        assert got.stdout == want.stdout, extra


def test_python_m_csig_verify(cli):
    for name, rc in (("good/fat-mixed", 1), ("good/adhoc-arm64", 0),
                     ("bad/page-hash-mismatch", 1)):
        path = os.path.join(ROOT, "testdata", name)
        want = run([cli, "verify", "--json", path])
        got = run([sys.executable, "-m", "csig", "--verify", path])
        assert got.stdout == want.stdout
        assert got.returncode == want.returncode == rc


def test_python_m_csig_unreadable(cli):
    path = os.path.join(BAD, "java-class.class")
    want = run([cli, "info", "--json", path])
    got = run([sys.executable, "-m", "csig", path])
    assert got.returncode == want.returncode == 2
    assert got.stdout == b""
    assert b"CSIG_E_BADMAGIC" in got.stderr
    assert run([sys.executable, "-m", "csig"]).returncode == 64


def test_slice_json():
    with csig.open(os.path.join(GOOD, "fat-arm64-x86_64")) as m:
        one = json.loads(m.slices[1].info_json())
        assert [s["arch"] for s in one["slices"]] == ["arm64"]
        assert m.info_json(slice="arm64") == m.info_json(slice=1)
        compact = m.info_json(pretty=False)
        assert "\n" not in compact and json.loads(compact) == m.info()
        with pytest.raises(IndexError):
            m.info_json(slice=5)
