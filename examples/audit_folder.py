#!/usr/bin/env python3
"""audit_folder.py - verify every Mach-O file under a folder.

    python3 examples/audit_folder.py [--jobs N] FOLDER

Walks FOLDER, picks the Mach-O files by their first four bytes, opens each
with the csig binding, verifies it and prints one tab-separated line per
file:

    path  archs  identifier  team  cdhash  verdict

archs and cdhash list every slice, comma-separated (the cdhash of each
slice's best CodeDirectory, "-" for an unsigned slice); identifier and team
are those of the first signed slice ("-" when none).  verdict is "valid",
"INVALID" or "unreadable: <error>".  Exit status: 0 all valid, 1 some
invalid, 2 some unreadable.

Needs the binding on the path, e.g. PYTHONPATH=bindings/python after
`make lib`.
"""

import argparse
import os
import sys

import csig

# mach_header / fat_header magics, in either byte order.
MAGICS = {bytes.fromhex(m) for m in (
    "feedface", "cefaedfe", "feedfacf", "cffaedfe", "cafebabe", "bebafeca",
    "cafebabf", "bfbafeca")}


def is_macho(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) in MAGICS
    except OSError:
        return False


def audit(path, jobs):
    """One output line for @path, and 0/1/2 as the exit status would."""
    try:
        with csig.open(path) as m:
            archs = ",".join(m.archs)
            cds = [s.best_cd for s in m.slices]
            first = next((cd for cd in cds if cd is not None), None)
            ident = first.identifier if first else "-"
            team = (first.team_id or "-") if first else "-"
            cdhash = ",".join(cd.cdhash_hex if cd else "-" for cd in cds)
            with m.verify(jobs=jobs) as r:
                verdict, status = ("valid", 0) if r.valid else ("INVALID", 1)
    except csig.CsigError as e:
        return "\t".join([path, "-", "-", "-", "-", "unreadable: %s" % e]), 2
    return "\t".join([path, archs, ident, team, cdhash, verdict]), status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--jobs", type=int, default=0)
    a = ap.parse_args()
    worst = 0
    for root, dirs, files in os.walk(a.folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.islink(path) or not is_macho(path):
                continue
            line, status = audit(path, a.jobs)
            print(line.encode("utf-8", "backslashreplace").decode("utf-8"))
            worst = max(worst, status)
    return worst


if __name__ == "__main__":
    sys.exit(main())
