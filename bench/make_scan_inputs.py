#!/usr/bin/env python3
"""make_scan_inputs.py - inputs of the info/scan benchmark (bench/peers.py),
made in the cache directory (never in the repository):

  tree/     N (default 20,000) Mach-O files in directories of 100: byte
            copies of the repository's testdata/good files and of the
            CMS-signed real fixtures (CSIG_FIXTURES_REAL), round-robin, so
            the mix has thin, fat, ad-hoc and Developer-ID/App-Store-signed
            files of 128 B-1.2 MB
  big-1g    hello.c + a 1 GiB zero __TEXT,__big section linked by ld64.lld
            with its ad-hoc signature (262,144 page hashes): the "flat with
            file size" and RSS input

Rebuilt only when the parameters or this script change (stamp files).
"""
import argparse, hashlib, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

MAGICS = {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
          b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"}


def stamp_ok(path, want):
    try:
        return open(path).read() == want
    except OSError:
        return False


def templates(real):
    out = []
    good = os.path.join(ROOT, "testdata", "good")
    dirs = [good] + ([real] if real and os.path.isdir(real) else [])
    for d in dirs:
        for dp, dn, fn in os.walk(d):
            dn.sort()
            for n in sorted(fn):
                p = os.path.join(dp, n)
                if os.path.islink(p) or not os.path.isfile(p):
                    continue
                with open(p, "rb") as f:
                    head = f.read(8)
                if head[:4] in MAGICS and not (head[:4] == b"\xca\xfe\xba\xbe" and
                                                int.from_bytes(head[4:8], "big") >= 0x20):
                    out.append(open(p, "rb").read())
    return out


def make_tree(out, n, real):
    tmpl = templates(real)
    if not tmpl:
        sys.exit("make_scan_inputs: no template Mach-O files")
    me = hashlib.sha256(open(__file__, "rb").read()).hexdigest()[:16]
    digest = hashlib.sha256(b"".join(hashlib.sha256(t).digest() for t in tmpl)).hexdigest()[:16]
    want = "n=%d templates=%s script=%s\n" % (n, digest, me)
    tree = os.path.join(out, "tree")
    if stamp_ok(os.path.join(out, "tree.stamp"), want) and os.path.isdir(tree):
        print("make_scan_inputs: %s is up to date" % tree, file=sys.stderr)
        return
    shutil.rmtree(tree, ignore_errors=True)
    total = 0
    for i in range(n):
        d = os.path.join(tree, "d%03d" % (i // 100))
        if i % 100 == 0:
            os.makedirs(d, exist_ok=True)
        t = tmpl[i % len(tmpl)]
        with open(os.path.join(d, "f%05d" % i), "wb") as f:
            f.write(t)
        total += len(t)
    with open(os.path.join(out, "tree.stamp"), "w") as f:
        f.write(want)
    print("make_scan_inputs: %d files (%d templates), %.1f MB -> %s" %
          (n, len(tmpl), total / 1e6, tree), file=sys.stderr)


def make_big(out, mib, clang, lld):
    path = os.path.join(out, "big-1g")
    me = hashlib.sha256(open(__file__, "rb").read()).hexdigest()[:16]
    want = "mib=%d script=%s\n" % (mib, me)
    if stamp_ok(path + ".stamp", want) and os.path.isfile(path):
        print("make_scan_inputs: %s is up to date" % path, file=sys.stderr)
        return
    tmp = tempfile.mkdtemp(dir=out)
    try:
        sect = os.path.join(tmp, "zero.bin")
        with open(sect, "wb") as f:
            f.truncate(mib << 20)
        obj = os.path.join(tmp, "hello.o")
        subprocess.check_call([clang, "-target", "arm64-apple-macos11", "-Os",
                               "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
                               "-c", os.path.join(ROOT, "testdata", "src", "hello.c"),
                               "-o", obj])
        tmpout = os.path.join(tmp, "big-1g")
        subprocess.check_call([lld, "-arch", "arm64", "-platform_version", "macos",
                               "11.0", "11.0", "-sectcreate", "__TEXT", "__big", sect,
                               obj, os.path.join(ROOT, "testdata", "src", "libSystem.tbd"),
                               "-o", tmpout])
        os.replace(tmpout, path)
        with open(path + ".stamp", "w") as f:
            f.write(want)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("make_scan_inputs: %s (%d MiB section)" % (path, mib), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=os.environ.get("CSIG_BENCH_DIR", "/tmp/csig-bench"))
    ap.add_argument("--files", type=int, default=int(os.environ.get("SCAN_FILES", "20000")))
    ap.add_argument("--big-mib", type=int, default=1024)
    ap.add_argument("--real", default=os.environ.get("CSIG_FIXTURES_REAL",
                                                     os.path.join(ROOT, "..", "shared",
                                                                  "fixtures-real")))
    a = ap.parse_args()
    out = os.path.abspath(a.dir)
    if out == ROOT or out.startswith(ROOT + os.sep):
        sys.exit("make_scan_inputs: --dir must be outside the repository")
    os.makedirs(out, exist_ok=True)
    make_tree(out, a.files, a.real)
    make_big(out, a.big_mib, os.environ.get("CLANG", "clang-14"),
             os.environ.get("LLD", "ld64.lld-14"))


if __name__ == "__main__":
    main()
