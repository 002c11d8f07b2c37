#!/usr/bin/env python3
"""peers.py - the info/scan half of `make bench` (rows 2-4 of the issue):

  2. `csig info` per-file time vs rcodesign print-signature-info, a minimal
     go-macho program (bench/peers/gomacho_info.go) and LIEF's Python API
     (bench/peers/lief_info.py) on the same files: a small CMS-signed binary,
     the 258 MiB big-lld and the 1 GiB big-1g.  Plus csig's own 1 GiB/small
     ratio (flat with file size).
  3. `csig scan` files/s over the generated 20,000-file tree
     (bench/make_scan_inputs.py), 1 and 2 jobs, and bytes/s with --verify
     (next to openssl dgst -sha256 on the same machine in the same run).
  4. peak RSS of each, and csig's RSS beyond the mapped file pages.

Every tool runs as a process, interleaved round by round; medians of wall
time (perf_counter around fork..wait4) and CPU time (wait4 rusage), peak RSS
= ru_maxrss.  Prints one Markdown table.  Peers come from bench/peers.sh
(a cache outside the repository); a missing one gets a "not installed" row.

usage: peers.py --dir DIR --csig PATH [--peers DIR] [--reps N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

GOAL_RCODESIGN = 20.0
GOAL_FILES_S = 5000.0
GOAL_RSS_MIB = 32.0


def run(cmd, env=None, stdout=subprocess.DEVNULL, timeout=300):
    """-> (wall s, cpu s, maxrss KiB, rc, stderr text)"""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env)
    try:
        err = p.stderr.read()
    except Exception:
        err = b""
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, err.decode("utf-8", "replace")


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def peak_rss(cmd, env=None, stdout=subprocess.DEVNULL):
    """Peak RSS in KiB of one run, by GNU time (the child's own VmHWM; a
    wait4 from this Python process would count the forked interpreter)."""
    if not GNU_TIME:
        return run(cmd, env=env, stdout=stdout)[2]
    w, c, r, rc, err = run([GNU_TIME, "-f", "RSS_KIB=%M"] + cmd, env=env, stdout=stdout)
    for line in err.splitlines():
        if line.startswith("RSS_KIB="):
            return int(line[8:])
    return r


def sig_region(path):
    """(dataoff, datasize) of LC_CODE_SIGNATURE of a thin 64-bit LE Mach-O."""
    import struct
    with open(path, "rb") as f:
        hdr = f.read(32)
        magic, _, _, _, ncmds, sizeofcmds = struct.unpack_from("<IiiIII", hdr)
        if magic != 0xfeedfacf:
            return 0, 0
        cmds = f.read(sizeofcmds)
    off = 0
    for _ in range(ncmds):
        cmd, size = struct.unpack_from("<II", cmds, off)
        if cmd == 0x1d:
            return struct.unpack_from("<II", cmds, off + 8)
        off += size
    return 0, 0


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_ms(s):
    return "%.1f" % (s * 1e3) if s == s else "n/a"


def mib(kib):
    return kib / 1024.0


class Tool:
    def __init__(self, name, argv, env=None, note=""):
        self.name, self.argv, self.env, self.note = name, argv, env, note
        self.ok = argv is not None


def tools(csig, peers):
    out = [Tool("csig info", [csig, "info"])]
    rc = os.path.join(peers, "cargo", "bin", "rcodesign")
    out.append(Tool("rcodesign print-signature-info",
                    [rc, "print-signature-info"] if os.access(rc, os.X_OK) else None,
                    note="not installed (bench/peers.sh: cargo install apple-codesign)"))
    gm = os.path.join(peers, "bin", "gomacho_info")
    out.append(Tool("go-macho (gomacho_info.go)", [gm] if os.access(gm, os.X_OK) else None,
                    note="not installed (bench/peers.sh: go get github.com/blacktop/go-macho)"))
    py = os.path.join(peers, "py")
    env = dict(os.environ, PYTHONPATH=py)
    lief_ok = os.path.isdir(os.path.join(py, "lief"))
    out.append(Tool("LIEF Python API (lief_info.py)",
                    [sys.executable, os.path.join(HERE, "peers", "lief_info.py")]
                    if lief_ok else None, env=env,
                    note="not installed (bench/peers.sh: pip install lief)"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--csig", required=True)
    ap.add_argument("--peers", default=os.environ.get("CSIG_PEERS_DIR", "/tmp/csig-peers"))
    ap.add_argument("--reps", type=int, default=7)
    ap.add_argument("--scan-reps", type=int, default=3)
    a = ap.parse_args()
    d = a.dir
    real = os.environ.get("CSIG_FIXTURES_REAL", os.path.join(ROOT, "..", "shared", "fixtures-real"))
    small = os.path.join(real, "santa", "allowed_teamid")
    small_what = "santa/allowed_teamid (68 KB, Developer ID CMS)"
    if not os.path.isfile(small):
        small = os.path.join(ROOT, "testdata", "good", "adhoc-arm64")
        small_what = "testdata/good/adhoc-arm64 (49 KB, ad hoc)"
    files = [("small", small, small_what)]
    for name, what in (("big-lld", "big-lld (258 MiB, ad hoc)"), ("big-1g", "big-1g (1 GiB, ad hoc)")):
        p = os.path.join(d, name)
        if os.path.isfile(p):
            files.append((name, p, what))
    ts = tools(a.csig, a.peers)

    # warm the page cache and check every tool works on every file
    works = {}
    for t in ts:
        if not t.ok:
            continue
        for key, path, _ in files:
            w, c, r, rc, err = run(t.argv + [path], env=t.env)
            works[(t.name, key)] = rc == 0
            if rc != 0:
                sys.stderr.write("peers.py: %s on %s: exit %d: %s\n" % (t.name, key, rc, err.strip()[:300]))

    res = {}
    for rep in range(a.reps):
        for key, path, _ in files:
            for t in ts:
                if not t.ok or not works.get((t.name, key)):
                    continue
                w, c, r, rc, err = run(t.argv + [path], env=t.env)
                e = res.setdefault((t.name, key), {"wall": [], "cpu": [], "rss": [], "inproc": []})
                e["wall"].append(w)
                e["cpu"].append(c)
                e["rss"].append(r)
                for line in err.splitlines():
                    if line.startswith("parse_ms="):
                        e["inproc"].append(float(line[9:]) / 1e3)

    for (name, key), e in res.items():
        t = [x for x in ts if x.name == name][0]
        path = [p for k, p, _ in files if k == key][0]
        e["rss"] = [peak_rss(t.argv + [path], env=t.env)]

    rows = []
    hdr = "| # | what | input | csig | peer | ratio | goal | result | peak RSS MiB (csig / peer) |"
    sep = "|---|---|---|---|---|---|---|---|---|"
    base = {k: res.get(("csig info", k)) for k, _, _ in files}
    for key, path, what in files:
        cs = base[key]
        for t in ts[1:]:
            if not t.ok:
                rows.append("| 2 | info: %s | %s | | | | | %s | |" % (t.name, what, t.note))
                continue
            pe = res.get((t.name, key))
            if not pe or not cs:
                rows.append("| 2 | info: %s | %s | | | | | failed on this input (see stderr) | |" % (t.name, what))
                continue
            ratio = med(pe["wall"]) / med(cs["wall"])
            goal = ">= %.0fx" % GOAL_RCODESIGN if t.name.startswith("rcodesign") else ""
            met = ("met" if ratio >= GOAL_RCODESIGN else "NOT met") if goal else ""
            rows.append("| 2 | info per file: %s vs csig (wall ms; CPU ms) | %s | %s; %s | %s; %s | %.1fx (CPU %.1fx) | %s | %s | %.1f / %.1f |" % (
                t.name, what, fmt_ms(med(cs["wall"])), fmt_ms(med(cs["cpu"])),
                fmt_ms(med(pe["wall"])), fmt_ms(med(pe["cpu"])), ratio,
                med(pe["cpu"]) / med(cs["cpu"]), goal, met,
                mib(max(cs["rss"])), mib(max(pe["rss"]))))
            if pe["inproc"]:
                rows.append("| 2 | info, LIEF in-process parse only (no interpreter start-up) vs csig process | %s | %s | %s | %.1fx | | | |" % (
                    what, fmt_ms(med(cs["wall"])), fmt_ms(med(pe["inproc"])), med(pe["inproc"]) / med(cs["wall"])))
    if base.get("small") and base.get("big-1g"):
        r = med(base["big-1g"]["wall"]) / med(base["small"]["wall"])
        rc_ = med(base["big-1g"]["cpu"]) / med(base["small"]["cpu"])
        rows.append("| 2 | csig info vs file size: big-1g / small (wall ms; CPU ms) | 1 GiB vs 68 KB (x15,000) | %s; %s | %s; %s | %.2fx (CPU %.2fx) | flat | see notes | %.1f / %.1f |" % (
            fmt_ms(med(base["small"]["wall"])), fmt_ms(med(base["small"]["cpu"])),
            fmt_ms(med(base["big-1g"]["wall"])), fmt_ms(med(base["big-1g"]["cpu"])), r, rc_,
            mib(max(base["small"]["rss"])), mib(max(base["big-1g"]["rss"]))))

    # ---- 3/4: scan ----
    tree = os.path.join(d, "tree")
    if os.path.isdir(tree):
        nfiles = sum(len(fs) for _, _, fs in os.walk(tree))
        tree_bytes = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(tree) for f in fs)
        out = os.path.join(d, "scan.out")
        cases = [("scan headers+signature", ["--jobs", "1"], 1),
                 ("scan headers+signature", ["--jobs", "2"], 2),
                 ("scan --verify", ["--verify", "--jobs", "2"], 2)]
        sres = {}
        with open(out, "wb") as fo:  # warm
            run([a.csig, "scan", "--jobs", "2", tree], stdout=fo)
        for rep in range(a.scan_reps):
            for name, args, j in cases:
                with open(out, "wb") as fo:
                    w, c, r, rc, err = run([a.csig, "scan"] + args + [tree], stdout=fo)
                with open(out, "rb") as fi:
                    fi.seek(max(0, os.path.getsize(out) - 4096))
                    last = fi.read().splitlines()[-1].decode()
                ok = '"type":"summary"' in last and ('"files":%d' % nfiles) in last
                e = sres.setdefault((name, j), {"wall": [], "cpu": [], "rss": [], "ok": True})
                e["wall"].append(w)
                e["cpu"].append(c)
                e["rss"].append(r)
                e["ok"] = e["ok"] and ok
        for (name, j), e in sres.items():
            args = [x for n_, x, jj in cases if n_ == name and jj == j][0]
            with open(out, "wb") as fo:
                e["rss"] = [peak_rss([a.csig, "scan"] + args + [tree], stdout=fo)]
        # openssl reference for the hashing rate, same run
        code = os.path.join(d, "big-lld.code")
        ossl = None
        if os.path.isfile(code):
            ws = [run(["openssl", "dgst", "-sha256", code])[0] for _ in range(3)]
            ossl = os.path.getsize(code) / med(ws)
        for (name, j), e in sres.items():
            w, c = med(e["wall"]), med(e["cpu"])
            if name.startswith("scan --verify"):
                bps = tree_bytes / w
                ratio = "%.2fx openssl dgst 1 thread (%.0f MB/s)" % (bps / ossl, ossl / 1e6) if ossl else ""
                rows.append("| 3 | %s, bytes/s, jobs %d | tree: %d files, %.0f MB | %.0f MB/s = %.0f files/s (wall), %.0f MB per CPU-s | | %s | | %s | %.1f |" % (
                    name, j, nfiles, tree_bytes / 1e6, bps / 1e6, nfiles / w, tree_bytes / c / 1e6, ratio,
                    "ok" if e["ok"] else "BAD OUTPUT", mib(max(e["rss"]))))
            else:
                fps, fpc = nfiles / w, nfiles / c
                rows.append("| 3 | %s, files/s, jobs %d | tree: %d files, %.0f MB | %.0f files/s (wall), %.0f files per CPU-s | | | >= %.0f files/s (2 cores) | %s%s | %.1f |" % (
                    name, j, nfiles, tree_bytes / 1e6, fps, fpc, GOAL_FILES_S,
                    ("met" if fps >= GOAL_FILES_S else "NOT met by wall") if j == 2 else "",
                    "" if e["ok"] else " BAD OUTPUT", mib(max(e["rss"]))))
    # ---- 4: RSS beyond the mapped pages on the 1 GiB input ----
    big = os.path.join(d, "big-1g")
    if os.path.isfile(big):
        size = os.path.getsize(big)
        size_mib = size / 1048576.0
        dataoff, datasize = sig_region(big)
        sig_mib = datasize / 1048576.0
        # scan --verify throughput on one big file (hash-bound), next to openssl
        ws = [run([a.csig, "scan", "--verify", "--jobs", "2", big])[0] for _ in range(3)]
        code = os.path.join(d, "big-lld.code")
        ratio = ""
        if os.path.isfile(code):
            ow = med([run(["openssl", "dgst", "-sha256", code])[0] for _ in range(3)])
            ratio = "%.2fx openssl dgst -sha256, 1 thread (%.0f MB/s)" % (
                (dataoff / med(ws)) / (os.path.getsize(code) / ow), os.path.getsize(code) / ow / 1e6)
        rows.append("| 3 | scan --verify, bytes/s, jobs 2 | big-1g (1 GiB, one file) | %.0f MB/s | | %s | | | |" % (
            dataoff / med(ws) / 1e6, ratio))
        for name, args in (("csig info", ["info"]), ("csig scan", ["scan", "--jobs", "2"]),
                           ("csig scan --verify", ["scan", "--verify", "--jobs", "2"]),
                           ("csig verify", ["verify", "--jobs", "2"])):
            rs = [peak_rss([a.csig] + args + [big]) for _ in range(2)]
            # pages of the file that are mapped and touched: the signature
            # (the %.1f MiB CodeDirectory) for info/scan, everything for verify
            touched = size_mib if "verify" in name else sig_mib
            extra = mib(max(rs)) - touched
            rows.append("| 4 | peak RSS, %s | big-1g (1 GiB) | %.1f MiB peak, %.1f MiB beyond the mapped file pages touched (%.1f MiB) | | | <= %.0f MiB | %s | %.1f |" % (
                name, mib(max(rs)), extra, touched, GOAL_RSS_MIB, "met" if extra <= GOAL_RSS_MIB else "NOT met", mib(max(rs))))

    print(hdr)
    print(sep)
    for r in rows:
        print(r)
    print()
    print("csig = %s; peers from %s; %d runs per info row, %d per scan row; medians; "
          "ratio = peer time / csig time (> 1: csig faster); load average now %s" % (
              a.csig, a.peers, a.reps, a.scan_reps, open("/proc/loadavg").read().split()[0]))


if __name__ == "__main__":
    main()
