"""Shared paths and the expected-value checker for the csig binding tests.

Paths: the repository root is three levels above this file.  The C library
comes from $CSIG_LIBRARY (see csig/_lib.py); the CLI used for byte
comparisons is $CSIG_CLI, else the `csig` beside $CSIG_LIBRARY, else
build/csig.  Real fixtures come from $CSIG_FIXTURES_REAL (default
../shared/fixtures-real beside the repository); they are skipped when
absent, except under CI=true, where their absence fails the run.
"""

import json
import os

import pytest

import csig

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
TESTDATA = os.path.join(ROOT, "testdata")
GOOD = os.path.join(TESTDATA, "good")
BAD = os.path.join(TESTDATA, "bad")


def _load(name):
    with open(os.path.join(TESTDATA, name)) as f:
        return json.load(f)


EXPECTED = _load("expected.json")["fixtures"]
GOOD_NAMES = sorted(k.split("/", 1)[1] for k in EXPECTED)


def cli_path():
    env = os.environ.get("CSIG_CLI")
    if env:
        return env
    lib = os.environ.get("CSIG_LIBRARY")
    if lib:
        beside = os.path.join(os.path.dirname(os.path.abspath(lib)), "csig")
        if os.path.exists(beside):
            return beside
    return os.path.join(ROOT, "build", "csig")


def real_dir():
    return os.environ.get("CSIG_FIXTURES_REAL") or os.path.normpath(
        os.path.join(ROOT, "..", "shared", "fixtures-real"))


def require_real():
    """The real-fixture directory, or skip (fail under CI=true)."""
    d = real_dir()
    if not os.path.isdir(d):
        msg = "real fixtures not found at %s (set CSIG_FIXTURES_REAL)" % d
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return d


@pytest.fixture
def cli():
    p = cli_path()
    if not os.path.exists(p):
        msg = "csig CLI not built at %s (make build/csig)" % p
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return p


def _hex(n):
    return "0x%x" % n


def check_against_expected(m, exp):
    """Compare an open csig.MachO with one record of expected*.json."""
    assert m.size == exp["size"]
    assert m.kind == ("thin" if exp["format"] == "thin" else "fat")
    if exp["format"] == "fat64":
        assert m.fat_magic == 0xcafebabf
    elif exp["format"] == "fat":
        assert m.fat_magic == 0xcafebabe
    else:
        assert m.fat_magic == 0
    slices = m.slices
    assert len(slices) == len(exp["slices"])
    all_valid = True
    for s, e in zip(slices, exp["slices"]):
        where = "slice %d" % e["index"]
        assert s.index == e["index"], where
        assert (s.fat_cputype, s.fat_cpusubtype & 0xffffffff) == (
            e["cputype"], e["cpusubtype"] & 0xffffffff), where
        h = e["header"]
        assert (s.cputype, s.cpusubtype & 0xffffffff) == (
            h["cputype"], h["cpusubtype"] & 0xffffffff), where
        assert (s.offset, s.size) == (e["offset"], e["size"]), where
        # expected.json has the logical magic; the library the stored one.
        big = h["byte_order"] == "big"
        stored = int(h["magic"], 16)
        if big:
            stored = int.from_bytes(stored.to_bytes(4, "big"), "little")
        assert s.magic == stored, where
        assert s.big_endian == big, where
        assert (s.filetype, s.ncmds, s.sizeofcmds, s.flags) == (
            h["filetype"], h["ncmds"], h["sizeofcmds"], h["flags"]), where
        for k in ("filetype", "ncmds", "sizeofcmds", "flags"):
            assert e.get(k, h[k]) == h[k], where
        lcs = s.load_commands
        if "load_commands" in e:
            assert [lc.cmd for lc in lcs] == e["load_commands"], where
            if "load_command_names" in e:
                assert [lc.name for lc in lcs] == e["load_command_names"], where
        else:
            assert len(lcs) == s.ncmds, where
        cs = s.code_signature
        if e["code_signature"] is None:
            assert cs is None, where
        else:
            assert cs == (e["code_signature"]["dataoff"],
                          e["code_signature"]["datasize"]), where
        assert (s.info_plist is not None) == e["has_info_plist_section"], where
        sig = s.signature
        assert (sig is not None) == e["signed"], where
        if not e["signed"]:
            all_valid = False
            continue
        sb = e["superblob"]
        assert [(b.type, b.offset, _hex(b.magic), b.length) for b in sig.blobs] == [
            (x["type"], x["offset"], x["magic"], x["length"]) for x in sb["entries"]], where
        assert len(sig.blobs) == sb["count"]
        assert all(b.status == 0 for b in sig.blobs), where
        assert len(sig.code_directories) == len(e["code_directories"]), where
        for cd, x in zip(sig.code_directories, e["code_directories"]):
            w = "%s cd slot 0x%x" % (where, x["slot"])
            assert cd.slot == x["slot"], w
            assert cd.version == x["version"], w
            assert cd.flags == x["flags"], w
            assert cd.hash_type == x["hashType"], w
            assert cd.hash_size == x["hashSize"], w
            assert cd.page_shift == x["pageSize"], w
            assert cd.n_special_slots == x["nSpecialSlots"], w
            assert cd.n_code_slots == x["nCodeSlots"], w
            assert cd.platform == x["platform"], w
            assert cd.identifier == x["identifier"], w
            assert cd.team_id == x["teamID"], w
            assert cd.code_limit == x["signingLimit"], w
            assert cd.cdhash.hex() == x["cdhash"], w
            assert cd.cdhash_hex == x["cdhash"], w
            assert cd.cdhash_full.hex() == x["cdhash_full"], w
            assert len(cd.bytes()) == x["length"], w
            if "execSegBase" in x:
                assert cd.exec_segment[:3] == (x["execSegBase"], x["execSegLimit"],
                                               x["execSegFlags"]), w
            else:
                assert cd.exec_segment is None, w
            assert cd.runtime == x.get("runtime", 0), w
            hashes = cd.code_hashes
            assert len(hashes) == cd.n_code_slots, w
            assert all(len(hh) == cd.hash_size for hh in hashes), w
            assert sorted(cd.special_hashes) == list(range(1, cd.n_special_slots + 1)), w
            for k, state in x["special_slots"].items():
                if state == "absent":
                    assert cd.special_hashes[int(k)] == bytes(cd.hash_size), w
        assert sig.best_cd.slot == e["best_cd_slot"], where
        assert sig.best_cd.cdhash.hex() == e["cdhash"], where
        assert sig.cdhash.hex() == e["cdhash"], where
        ok = (e["all_hashes_match"] and not e["problems"]
              and e["header_cputype_matches"])
        all_valid = all_valid and ok
    return all_valid
