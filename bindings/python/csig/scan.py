"""Tree-scan records (csig/scan.h): content sniffing and the JSON Lines
records ``csig scan`` writes, all produced by the library.

Available when the loaded library exports them (``csig.scan.available``).

>>> csig.sniff(open(path, "rb").read(512))                 # doctest: +SKIP
'macho'
>>> m.scan_record(path, verify=True)                        # doctest: +SKIP
'{"type":"macho",...}'
"""

from __future__ import annotations

import os
from ctypes import POINTER, Structure, byref, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_uint64, c_void_p
from typing import Any, Optional, Union

from . import _lib
from ._handle import take_text
from ._lib import P_ERR, PP, CsigError_, declare

available = _lib.has("csig_sniff")

#: Bytes of a file's start that :func:`sniff` needs.
SNIFF_PREFIX = 512
JSON_PRETTY = 0x1


class ScanCounts_(Structure):
    """``csig_scan_counts`` (version 1)."""

    _fields_ = [("version", c_uint), ("files", c_uint64), ("bytes", c_uint64),
                ("records", c_uint64), ("macho", c_uint64), ("profiles", c_uint64),
                ("bundles", c_uint64), ("other", c_uint64), ("errors", c_uint64),
                ("skipped", c_uint64), ("valid", c_uint64), ("invalid", c_uint64),
                ("bytes_hashed", c_uint64), ("seconds", c_double), ("jobs", c_uint),
                ("verified", c_int)]


if available:
    VP = c_void_p
    P_SIZE = POINTER(c_size_t)
    _sniff = declare("csig_sniff", c_int, [VP, c_size_t])
    _sniff_name = declare("csig_sniff_name", c_char_p, [c_int])
    _record = declare("csig_scan_record_json", c_int,
                      [VP, c_char_p, VP, c_uint, PP, P_SIZE, P_ERR], True)
    _profile = declare("csig_scan_profile_json", c_int,
                       [VP, c_char_p, c_int64, c_uint, PP, P_SIZE, P_ERR], True)
    _bundle = declare("csig_scan_bundle_json", c_int,
                      [VP, c_char_p, VP, c_uint, PP, P_SIZE, P_ERR], True)
    _error = declare("csig_scan_error_json", c_int,
                     [c_char_p, c_int, POINTER(CsigError_), c_uint, PP, P_SIZE, P_ERR], True)
    _summary = declare("csig_scan_summary_json", c_int,
                       [POINTER(ScanCounts_), c_uint, PP, P_SIZE, P_ERR], True)
    _free_mem = declare("csig_free", None, [VP])


def _require() -> None:
    if not available:
        raise NotImplementedError("the loaded libcsig has no scan API")


def _path(p: Any) -> Optional[bytes]:
    if p is None:
        return None
    p = os.fspath(p)
    return p if isinstance(p, bytes) else os.fsencode(p)


def _text(fn, *args) -> str:
    out, n = c_void_p(), c_size_t()
    fn(*args, byref(out), byref(n), CsigError_())
    return take_text(out, n, _free_mem)


def sniff_kind(data: bytes) -> int:
    """csig_sniff_kind of a file's first bytes (pass SNIFF_PREFIX of them)."""
    _require()
    data = bytes(data)
    return int(_sniff(data, len(data)))


def sniff_name(kind: int) -> str:
    _require()
    return (_sniff_name(kind) or b"unknown").decode()


def sniff(data: bytes) -> str:
    """What the bytes are: "macho", "fat", "profile", "plist", "zip",
    "requirement", "signature" or "unknown" (the library's names)."""
    return sniff_name(sniff_kind(data))


def record_json(macho, path: Any = None, verify_result=None, pretty: bool = False) -> str:
    """The "macho" record of an open :class:`csig.MachO` (with the verdict
    when @verify_result, a :class:`csig.VerifyResult` of it, is given)."""
    _require()
    flags = JSON_PRETTY if pretty else 0
    with macho.use() as f:
        if verify_result is None:
            return _text(_record, f, _path(path), None, flags)
        with verify_result.use() as r:
            return _text(_record, f, _path(path), r, flags)


def profile_json(profile, path: Any = None, at: Any = None, pretty: bool = False) -> str:
    """The "profile" record of a :class:`csig.Profile` judged at @at (now)."""
    from ._time import to_unix
    _require()
    with profile.use() as p:
        return _text(_profile, p, _path(path), to_unix(at) or 0,
                     JSON_PRETTY if pretty else 0)


def bundle_json(bundle, path: Any = None, result=None, pretty: bool = False) -> str:
    """The "bundle"/"ipa" record of a :class:`csig.Bundle` (with the verdict
    when @result, a :class:`csig.BundleResult` of it, is given)."""
    _require()
    flags = JSON_PRETTY if pretty else 0
    with bundle.use() as b:
        if result is None:
            return _text(_bundle, b, _path(path), None, flags)
        with result.use() as r:
            return _text(_bundle, b, _path(path), r, flags)


def error_json(path: Any, error: Union[int, "Any"], pretty: bool = False) -> str:
    """The "error" record for @path: @error is a :class:`csig.CsigError`
    (its code, message and offset are used) or a negative CSIG_E_* code."""
    _require()
    from .errors import CsigError
    detail = None
    if isinstance(error, CsigError):
        code = error.code
        detail = CsigError_(code, error.offset, error.message.encode("utf-8")[:191])
    else:
        code = int(error)
    return _text(_error, _path(path), code, byref(detail) if detail is not None else None,
                 JSON_PRETTY if pretty else 0)


def summary_json(pretty: bool = False, **counts: Any) -> str:
    """The "summary" record from counts (files, bytes, records, macho,
    profiles, bundles, other, errors, skipped, valid, invalid,
    bytes_hashed, seconds, jobs, verified)."""
    _require()
    c = ScanCounts_()
    c.version = 1
    for k, v in counts.items():
        if k == "version" or k not in dict(ScanCounts_._fields_):
            raise TypeError("unknown count %r" % k)
        setattr(c, k, v)
    return _text(_summary, byref(c), JSON_PRETTY if pretty else 0)
