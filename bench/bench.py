#!/usr/bin/env python3
"""bench.py - the measuring half of `make bench` (bench/run.sh builds first).

Runs `openssl dgst` over the code region of the big test files
(bench/make_big.sh) and `csig verify --jobs N` over the signed files, all
interleaved round by round in one run, and prints one Markdown table of
medians.  Stdlib only.

Timing: wall = time.perf_counter() around fork..wait4; CPU = user+sys from
the wait4 rusage of the child (includes its threads).  Peak RSS: GNU
/usr/bin/time -f %M when present, else ru_maxrss of wait4 (the same kernel
number, the process's VmHWM).  "extra RSS" = peak RSS minus the file's pages
(file size rounded up to 4 KiB): csig maps the whole file and verify touches
every page of it (codeLimit + the signature), so all of them are resident at
the peak; `probe rss` checks that in-process (Rss of the file mapping in
/proc/self/smaps == file size) and prints the exact figure below the table.

usage: bench.py --dir DIR --csig PATH [--probe PATH] [--reps N]
"""
import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

GOAL_J1 = 0.95
GOAL_J2 = 1.7
GOAL_EXTRA_MIB = 32


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def autogroup():
    try:
        with open("/proc/self/autogroup") as f:
            ag = f.read().strip()
        with open("/proc/sys/kernel/sched_autogroup_enabled") as f:
            on = f.read().strip() == "1"
        return ag + ("" if on else " (autogroup scheduling off)")
    except OSError:
        return "n/a"


def cpu_stat():
    """-> (busy s, steal s) summed over all CPUs, from /proc/stat, or None."""
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    steal = v[7] if len(v) > 7 else 0
    return (sum(v[:8]) - idle - steal) / hz, steal / hz


GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(argv, copies=1):
    """-> (wall s, cpu s, peak RSS KiB).  copies > 1 starts that many
    processes at once; wall is until the last one ends, CPU their sum, RSS
    the largest.  Raises on a non-zero exit."""
    procs = []
    t0 = time.perf_counter()
    for _ in range(copies):
        rss_file = None
        cmd = list(argv)
        if GNU_TIME:
            fd, rss_file = tempfile.mkstemp(prefix="csig-bench-rss")
            os.close(fd)
            cmd = [GNU_TIME, "-f", "%M", "-o", rss_file] + cmd
        procs.append((subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE),
                      rss_file))
    cpu = 0.0
    rss = 0
    for p, rss_file in procs:
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        cpu += ru.ru_utime + ru.ru_stime
        r = ru.ru_maxrss
        if rss_file:
            try:
                with open(rss_file) as f:
                    r = int(f.read().split()[-1])
            finally:
                os.unlink(rss_file)
        rss = max(rss, r)
        if p.returncode != 0:
            raise SystemExit("bench: %s exited %d: %s" % (" ".join(argv), p.returncode,
                                                          err.strip()))
    return time.perf_counter() - t0, cpu, rss


def median_row(s):
    return (statistics.median(x[0] for x in s), statistics.median(x[1] for x in s),
            max(x[2] for x in s), min(x[0] for x in s))


def probe_lines(probe, path, code, code_len):
    out = []
    for f, j in (("big-lld", 1), ("big-lld", 2), ("small", 1)):
        r = subprocess.run([probe, "rss", path(f), str(j)], capture_output=True, text=True)
        out.append("rss %s --jobs %d: %s" % (f, j, (r.stdout or r.stderr).strip()))
    for shift, alg in ((12, 2), (14, 2), (12, 1)):
        r = subprocess.run([probe, "hash", code, str(code_len), str(shift), str(alg)],
                           capture_output=True, text=True)
        out.append("hash: " + (r.stdout or r.stderr).strip())
    return out


def openssl_speed_lines():
    out = []
    for alg in ("sha256", "sha1"):
        r = subprocess.run(["openssl", "speed", "-seconds", "1", "-bytes", "16384", "-evp", alg],
                           capture_output=True, text=True)
        last = [l for l in r.stdout.splitlines() if l.strip()]
        try:
            kbs = float(last[-1].split()[-1].rstrip("k"))  # 1000s of bytes per second
        except (IndexError, ValueError):
            continue
        out.append("openssl speed -evp %s, 16 KiB blocks (user CPU time): %.0f MB/s"
                   % (alg, kbs / 1000))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--csig", required=True)
    ap.add_argument("--probe")
    ap.add_argument("--reps", type=int, default=9)
    a = ap.parse_args()
    ncpu = os.cpu_count() or 1

    def path(n):
        return os.path.join(a.dir, n)

    code_len = int(open(path("big-lld.dataoff")).read())
    for n in ("big-sha1-256", "big-16k"):
        if int(open(path(n + ".dataoff")).read()) != code_len:
            raise SystemExit("bench: code regions differ; rerun bench/make_big.sh")
    code = path("big-lld.code")

    # each case: key, label, file, jobs label, argv, copies
    cases = [
        dict(key="ossl256", label="openssl dgst -sha256 (reference)", file="code region",
             jobs="1", argv=["openssl", "dgst", "-sha256", code], copies=1),
        dict(key="ossl1", label="openssl dgst -sha1 (reference)", file="code region",
             jobs="1", argv=["openssl", "dgst", "-sha1", code], copies=1),
        dict(key="ossl256x2", label="2 x openssl dgst -sha256 at once (machine's 2-way ceiling)",
             file="code region", jobs="2 procs", argv=["openssl", "dgst", "-sha256", code],
             copies=2),
    ]
    for f, desc in (("big-lld", "SHA-256, 4 KiB pages (lld)"),
                    ("big-16k", "SHA-256, 16 KiB pages"),
                    ("big-sha1-256", "SHA-1 + SHA-256 CDs, 4 KiB")):
        js = [1, 2]
        if f == "big-lld" or ncpu != 2:
            js.append(0)
        for j in js:
            cases.append(dict(key="%s/j%d" % (f, j), label="csig verify: " + desc, file=f,
                              jobs="all (%d)" % ncpu if j == 0 else str(j),
                              argv=[a.csig, "verify", "--jobs", str(j), path(f)], copies=1))

    load0 = loadavg()
    # warm the page cache and every binary once
    for n in ("big-lld", "big-16k", "big-sha1-256", "big-lld.code", "small"):
        with open(path(n), "rb") as fh:
            while fh.read(1 << 24):
                pass
    for c in cases:
        run_once(c["argv"], c["copies"])
    samples = {c["key"]: [] for c in cases}
    st0, ru0, t0 = cpu_stat(), resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    for _ in range(a.reps):  # interleaved, so load spikes hit every case alike
        for c in cases:
            samples[c["key"]].append(run_once(c["argv"], c["copies"]))
    st1, ru1, t1 = cpu_stat(), resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    # process start-up, for the notes
    startup = {
        "openssl": median_row([run_once(["openssl", "dgst", "-sha256", "/dev/null"])
                               for _ in range(5)]),
        "csig": median_row([run_once([a.csig, "verify", path("small")]) for _ in range(5)]),
    }
    load1 = loadavg()
    med = {k: median_row(s) for k, s in samples.items()}

    def ref(key, file):
        if file == "big-sha1-256":
            return (med["ossl1"][0] + med["ossl256"][0], med["ossl1"][1] + med["ossl256"][1])
        if key == "ossl1":
            return med["ossl1"][:2]
        if key == "ossl256x2":  # two hashes' worth of work in this time
            return 2 * med["ossl256"][0], 2 * med["ossl256"][1]
        return med["ossl256"][:2]

    print("libcsig verify benchmark, %s" % time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    print("CPU: %s, %d online cores; load average (1/5/15 min) before: %s, after: %s"
          % (cpu_model(), ncpu, load0, load1))
    print("scheduler: %s" % autogroup())
    print("code region: %d bytes (%.1f MiB); %d interleaved runs per row, medians; page cache warm"
          % (code_len, code_len / 1048576, a.reps))
    print()
    hdr = ["what", "file", "jobs", "wall ms (median)", "wall ms (min)", "CPU ms", "MB/s",
           "vs openssl (wall)", "vs openssl (CPU)", "goal", "peak RSS MiB", "extra RSS MiB"]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "|".join("---" for _ in hdr) + "|")
    for c in cases:
        key, f = c["key"], c["file"]
        wall, cpu, rss, best = med[key]
        rw, rc = ref(key, f)
        mbs = code_len * c["copies"] / wall / 1e6
        goal = extra = ""
        if key in ("ossl256", "ossl1"):
            ratio_w = ratio_c = "1.00x"
        else:
            ratio_w, ratio_c = "%.2fx" % (rw / wall), "%.2fx" % (rc / cpu)
        if not key.startswith("ossl"):
            fsize = os.path.getsize(path(f))
            extra_kib = rss - (fsize + 4095) // 4096 * 4
            extra = "%.1f" % (extra_kib / 1024)
            if extra_kib > GOAL_EXTRA_MIB * 1024:
                extra += " (over %d)" % GOAL_EXTRA_MIB
            if key == "big-lld/j1":
                goal = "%s >= %.2fx" % ("met" if rw / wall >= GOAL_J1 else "MISSED", GOAL_J1)
            elif key == "big-lld/j2":
                goal = "%s >= %.1fx" % ("met" if rw / wall >= GOAL_J2 else "MISSED", GOAL_J2)
        print("| %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s | %.1f | %s |"
              % (c["label"], f, c["jobs"], wall * 1000, best * 1000, cpu * 1000, mbs, ratio_w,
                 ratio_c, goal, rss / 1024, extra))
    print()
    print("MB/s = code-region bytes / median wall time (x2 for the two concurrent openssl runs).")
    print("vs openssl = openssl time / this time: >1 is faster.  The SHA-1+SHA-256 file is")
    print("hashed twice; its reference is openssl sha1 + sha256.  CPU = user+sys of all")
    print("threads.  extra RSS = peak RSS - the file's pages (see bench.py docstring).")
    print()
    print("Diagnostics:")
    print("  2-thread speedup of csig (big-lld, wall j1/j2): %.2fx; the machine's 2-way ceiling"
          " right now (2 x openssl at once vs one): %.2fx"
          % (med["big-lld/j1"][0] / med["big-lld/j2"][0],
             2 * med["ossl256"][0] / med["ossl256x2"][0]))
    for k, v in startup.items():
        print("  start-up, %s on a tiny input: wall %.1f ms, CPU %.1f ms, peak RSS %.1f MiB"
              % (k, v[0] * 1000, v[1] * 1000, v[2] / 1024))
    if st0 and st1:
        mine = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
        busy = st1[0] - st0[0]
        print("  during the timed rounds (%.1f s x %d CPUs): all CPUs busy %.1f s, of which this"
              " benchmark %.1f s, other processes %.1f s; steal %.1f s"
              % (t1 - t0, ncpu, busy, mine, max(0.0, busy - mine), st1[1] - st0[1]))
    if a.probe and os.access(a.probe, os.X_OK):
        for l in probe_lines(a.probe, path, code, code_len):
            print("  probe " + l)
    for l in openssl_speed_lines():
        print("  " + l)


if __name__ == "__main__":
    main()
