"""Handle lifetime, parents kept alive, close(), threads."""

import gc
import os
import subprocess
import sys
import threading

import pytest

import csig
from conftest import GOOD, ROOT


def test_from_bytes_after_source_deleted():
    with open(os.path.join(GOOD, "fat-arm64-x86_64"), "rb") as f:
        data = bytearray(f.read())
    m = csig.MachO.from_bytes(data)
    cdhashes = [s.best_cd.cdhash_hex for s in m.slices]
    data[:] = bytes(len(data))  # the library holds its own copy
    del data
    gc.collect()
    assert [s.best_cd.cdhash_hex for s in m.slices] == cdhashes
    assert m.verify().valid


def test_children_keep_parent_alive():
    m = csig.open(os.path.join(GOOD, "pysigned-arm64"))
    s = m.slices[0]
    del m
    gc.collect()
    sig = s.signature
    cd = sig.code_directories[1]
    del s, sig
    gc.collect()
    assert cd.slot_hash(-1) is not None        # needs the C handle
    assert len(cd.bytes()) == 679
    assert cd.file.verify().valid


def test_close_and_with():
    with csig.open(os.path.join(GOOD, "adhoc-arm64")) as m:
        s = m.slices[0]
        cd = s.best_cd
        r = m.verify()
    assert m.closed
    m.close()  # idempotent
    assert cd.identifier == "adhoc-arm64"      # values read before close
    assert r.valid
    with pytest.raises(ValueError):
        cd.bytes()
    with pytest.raises(ValueError):
        m.verify()
    with pytest.raises(ValueError):
        m.findings
    with pytest.raises(ValueError):
        r.to_json()       # needs the (closed) file too
    r.close()
    r.close()


def test_bytes_are_copies():
    m = csig.open(os.path.join(GOOD, "adhoc-infoplist-arm64"))
    plist = m.slices[0].info_plist
    sb = m.slices[0].signature.bytes()
    m.close()
    assert isinstance(plist, bytes) and plist.startswith(b"<?xml")
    assert isinstance(sb, bytes) and sb[:4] == bytes.fromhex("fade0cc0")


def test_threads_share_one_handle():
    m = csig.open(os.path.join(GOOD, "go-arm64"))
    ref = m.verify(jobs=1).to_json()
    out, errs = [], []

    def work():
        try:
            for _ in range(3):
                r = m.verify(jobs=2)
                out.append((r.valid, r.to_json(), m.slices[0].best_cd.cdhash_hex))
        except Exception as e:  # pragma: no cover - reported below
            errs.append(e)

    ts = [threading.Thread(target=work) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert not errs
    assert len(out) == 24
    assert all(v and j == ref for v, j, _ in out)
    assert len({c for _, _, c in out}) == 1
    m.close()


def test_close_while_other_thread_uses_handle():
    m = csig.open(os.path.join(GOOD, "go-arm64"))
    started = threading.Event()
    result = []

    def work():
        started.set()
        try:
            result.append(m.verify(jobs=1).valid)
        except ValueError:
            result.append("closed")

    t = threading.Thread(target=work)
    t.start()
    started.wait()
    m.close()          # frees only after the verify in flight returns
    t.join()
    assert result in ([True], ["closed"])


def test_del_at_interpreter_shutdown():
    code = (
        "import csig, sys\n"
        "m = csig.open(sys.argv[1])\n"
        "s = m.slices[0]; r = m.verify()\n"
        "cyc = [m, r]; cyc.append(cyc)\n"
        "csig.keep = (m, s, r, cyc)\n"
        "print('ok')\n")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(ROOT, "bindings", "python")
    p = subprocess.run([sys.executable, "-c", code, os.path.join(GOOD, "adhoc-arm64")],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "ok\n" and p.stderr == ""


def test_failed_open_leaves_nothing_behind():
    for _ in range(100):
        with pytest.raises(csig.TruncatedError):
            csig.MachO.from_bytes(b"\xcf\xfa\xed")
    gc.collect()
