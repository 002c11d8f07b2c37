"""lief_info.py - the LIEF peer of `csig info` for bench/peers.py: parse each
Mach-O (thin or fat) with LIEF's Python API and read every slice's
LC_CODE_SIGNATURE payload.  LIEF is installed by bench/peers.sh into a cache
directory outside the repository.  Prints the in-process parse time (ms,
after `import lief`) on stderr as "parse_ms=N"."""
import sys
import time

import lief

t0 = time.perf_counter()
for p in sys.argv[1:]:
    fat = lief.MachO.parse(p)
    if fat is None:
        print(p, "not Mach-O")
        continue
    for b in fat:
        cs = b.code_signature if b.has_code_signature else None
        print(b.header.cpu_type, len(bytes(cs.content)) if cs else 0)
sys.stderr.write("parse_ms=%.3f\n" % ((time.perf_counter() - t0) * 1e3))
