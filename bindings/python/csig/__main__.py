"""``python -m csig [--verify] [--arch A] [--load-commands] [-vv] [--jobs N] FILE...``

Prints the library's JSON document for each FILE, byte for byte what
``csig info --json`` (or, with --verify, ``csig verify --json``) prints.
Exit status as the CLI: 0 ok/valid, 1 invalid, 2 unreadable, 64 usage.
"""

import argparse
import sys

from . import CsigError, MachO


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m csig", description=__doc__.split("\n\n")[1])
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("--verify", action="store_true", help="print the verify document")
    ap.add_argument("--arch", help="only this architecture")
    ap.add_argument("--jobs", type=int, default=0, help="hashing threads (0 = cores)")
    ap.add_argument("--load-commands", action="store_true", help="decode every load command")
    ap.add_argument("-v", action="count", default=0, dest="verbose",
                    help="-vv lists every code-slot hash")
    try:
        a = ap.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 64
    worst = 0
    out = sys.stdout
    for path in a.files:
        try:
            with MachO(path) as m:
                if a.verify:
                    with m.verify(jobs=a.jobs, arch=a.arch) as r:
                        text = r.to_json()
                        if not r.valid and worst == 0:
                            worst = 1
                else:
                    text = m.info_json(slice=a.arch, load_commands=a.load_commands,
                                       slots=a.verbose >= 2)
        except CsigError as e:
            print("csig: %s: %s" % (path, e), file=sys.stderr)
            worst = 2
            continue
        out.write(text)
        out.write("\n")
    out.flush()
    return worst


if __name__ == "__main__":
    sys.exit(main())
