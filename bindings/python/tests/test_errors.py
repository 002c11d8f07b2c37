"""The exception classes against the library's own error table."""

import pickle

import pytest

import csig
from csig import errors


def test_mapping_matches_library():
    seen = {}
    for code in range(-1, -100, -1):
        name = csig.errname(code)
        if name == "CSIG_E_UNKNOWN":
            assert code not in errors.BY_CODE
            continue
        cls = errors.BY_CODE[code]
        assert cls.code == code and cls.name == name
        assert errors.BY_NAME[name] is cls
        assert issubclass(cls, csig.CsigError)
        assert getattr(csig, cls.__name__) is cls
        assert cls.__name__ == errors.class_name(name)
        assert csig.strerror(code) in cls.__doc__
        seen[code] = name
    # The codes of csig/common.h (pinned forever) are all there.
    for code, name in {-1: "CSIG_E_INVAL", -10: "CSIG_E_TRUNCATED",
                       -11: "CSIG_E_BADMAGIC", -12: "CSIG_E_OVERFLOW",
                       -13: "CSIG_E_BADOFFSET", -14: "CSIG_E_TRAILING",
                       -20: "CSIG_E_BADVALUE", -21: "CSIG_E_UNSUPPORTED",
                       -22: "CSIG_E_SYNTAX", -30: "CSIG_E_LIMIT",
                       -31: "CSIG_E_NOMEM", -32: "CSIG_E_DEPTH",
                       -40: "CSIG_E_NOTFOUND", -50: "CSIG_E_IO"}.items():
        assert seen[code] == name
    assert len(set(c.__name__ for c in errors.BY_CODE.values())) == len(seen)


def test_class_names():
    assert csig.TruncatedError.name == "CSIG_E_TRUNCATED"
    assert csig.BadMagicError.code == -11
    assert csig.NotFoundError.code == -40
    assert csig.NoMemError.code == -31
    assert csig.IoError.code == -50
    assert errors.class_name("CSIG_E_BADOFFSET") == "BadOffsetError"


def test_unknown_code():
    e = errors.make_error(-99)
    assert type(e) is csig.CsigError and e.name == "CSIG_E_UNKNOWN"


def test_error_detail_from_library(tmp_path):
    p = tmp_path / "java.class"
    p.write_bytes(bytes.fromhex("cafebabe00000034") + bytes(32))
    with pytest.raises(csig.BadMagicError) as ei:
        csig.open(p)
    e = ei.value
    assert e.code == -11 and e.name == "CSIG_E_BADMAGIC"
    assert e.offset == 4 and "Java" in e.message
    assert "CSIG_E_BADMAGIC" in str(e) and "0x4" in str(e)
    e2 = pickle.loads(pickle.dumps(e))
    assert type(e2) is csig.BadMagicError and e2.message == e.message


def test_io_error(tmp_path):
    with pytest.raises(csig.IoError) as ei:
        csig.open(tmp_path / "missing")
    assert "missing" in ei.value.message


def test_not_found_arch():
    from conftest import GOOD
    with csig.open(GOOD + "/adhoc-arm64") as m:
        with pytest.raises(csig.NotFoundError):
            m.verify(arch="ppc")
        with pytest.raises(csig.NotFoundError):
            m.info_json(slice="x86_64")


def test_version():
    assert csig.version_number // 10000 == 1
    assert csig.__version__.split(".")[0] == "1"
