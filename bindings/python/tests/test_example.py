"""examples/audit_folder.py over testdata/good."""

import os
import subprocess
import sys

from conftest import EXPECTED, GOOD, GOOD_NAMES, ROOT


def test_audit_folder():
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings", "python"))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "audit_folder.py"),
                        GOOD], capture_output=True, text=True, env=env)
    lines = p.stdout.splitlines()
    assert len(lines) == len(GOOD_NAMES), p.stdout + p.stderr
    by_name = {}
    for line in lines:
        cols = line.split("\t")
        assert len(cols) == 6, line
        by_name[os.path.basename(cols[0])] = cols
    assert sorted(by_name) == GOOD_NAMES
    for name, (path, archs, ident, team, cdhash, verdict) in by_name.items():
        exp = EXPECTED["good/" + name]["slices"]
        signed = [s for s in exp if s["signed"]]
        assert verdict == ("valid" if len(signed) == len(exp) else "INVALID"), name
        if signed:
            cd0 = signed[0]
            best = [c for c in cd0["code_directories"] if c["slot"] == cd0["best_cd_slot"]][0]
            assert ident == best["identifier"], name
            assert cdhash.split(",")[0] == cd0["cdhash"] or cd0["cdhash"] in cdhash, name
        else:
            assert ident == "-" and cdhash == "-", name
        assert team == "-"
    assert p.returncode == 1  # fat-mixed and the unsigned files are invalid
