"""Bundles (csig/bundle.h): .app / .framework / .appex directories and
.ipa archives, their nested bundles, and sealed-resource verification.

Available when the loaded library exports them (``csig.bundle.available``).

>>> with csig.Bundle("Foo.app") as b:                   # doctest: +SKIP
...     b.identifier, b.main_executable, [n.path for n in b.nested]
...     r = b.verify()
...     r.valid, [(f.id, p) for f, p in zip(r.findings, r.paths)]
"""

from __future__ import annotations

import os
from ctypes import POINTER, byref, c_char_p, c_int, c_size_t, c_uint, c_uint64, c_void_p
from typing import Any, List, Optional, Union

from . import _lib
from ._handle import Handle, take_text
from ._lib import (JSON_PRETTY, P_ERR, P_OPTS, PP, CsigError_, Finding_, OpenOptions,
                   VERIFY_CHECK_EXPIRATION, VERIFY_OPTIONS_VERSION, VerifyOptions, decode,
                   declare)
from ._time import to_unix
from .macho import Finding, MachO

available = _lib.has("csig_bundle_open_path")

LAYOUTS = {1: "deep", 2: "shallow", 3: "versioned"}

if available:
    VP = c_void_p
    _open_path = declare("csig_bundle_open_path", c_int, [PP, c_char_p, P_OPTS, P_ERR], True)
    _free = declare("csig_bundle_free", None, [VP])
    _path = declare("csig_bundle_path", c_char_p, [VP])
    _layout = declare("csig_bundle_layout", c_int, [VP])
    _content_dir = declare("csig_bundle_content_dir", c_char_p, [VP])
    _from_archive = declare("csig_bundle_from_archive", c_int, [VP])
    _is_codeless = declare("csig_bundle_is_codeless", c_int, [VP])
    _main_executable = declare("csig_bundle_main_executable", c_char_p, [VP])
    _executable = declare("csig_bundle_executable", VP, [VP])
    _info_plist = declare("csig_bundle_info_plist", VP, [VP])
    _identifier = declare("csig_bundle_identifier", c_char_p, [VP])
    _nested_count = declare("csig_bundle_nested_count", c_size_t, [VP])
    _nested = declare("csig_bundle_nested", VP, [VP, c_size_t])
    _verify = declare("csig_bundle_verify", c_int, [PP, VP, POINTER(VerifyOptions), P_ERR],
                      True)
    _res_free = declare("csig_bundle_result_free", None, [VP])
    _res_valid = declare("csig_bundle_result_valid", c_int, [VP])
    _res_count = declare("csig_bundle_result_count", c_size_t, [VP])
    _res_finding = declare("csig_bundle_result_finding", POINTER(Finding_), [VP, c_size_t])
    _res_path = declare("csig_bundle_result_path", c_char_p, [VP, c_size_t])
    _res_files = declare("csig_bundle_result_files_hashed", c_uint64, [VP])
    _res_bytes = declare("csig_bundle_result_bytes_hashed", c_uint64, [VP])
    _res_json = declare("csig_bundle_result_json", c_int,
                        [VP, c_uint, PP, POINTER(c_size_t), P_ERR], True)
    _free_mem = declare("csig_free", None, [VP])


def _require() -> None:
    if not available:
        raise NotImplementedError("the loaded libcsig has no bundle API")


class Bundle(Handle):
    """A bundle directory or .ipa archive (``csig_bundle``) with every
    nested bundle.  Nested bundles, the main executable (a borrowed
    :class:`csig.MachO`) and the Info.plist (a borrowed :class:`csig.Plist`)
    keep the top bundle alive."""

    def __init__(self, path: Union[str, bytes, "os.PathLike[str]"], *,
                 max_depth: int = 0, max_count: int = 0) -> None:
        _require()
        p = os.fspath(path)
        raw = p if isinstance(p, bytes) else os.fsencode(p)
        self.fs_path: Optional[str] = os.fsdecode(p)
        out = c_void_p()
        _open_path(byref(out), raw, OpenOptions(1, 0, max_depth, max_count), CsigError_())
        Handle.__init__(self, out.value, _free)

    @classmethod
    def _borrowed(cls, ptr: int, owner: Handle) -> "Bundle":
        self = cls.__new__(cls)
        self.fs_path = None
        Handle.__init__(self, ptr, None, owner)
        return self

    def _s(self, fn) -> Any:
        with self.use() as b:
            return fn(b)

    def __repr__(self) -> str:
        if self.closed:
            return "<csig.Bundle closed>"
        return "<csig.Bundle %r %s>" % (self.path or self.fs_path, self.identifier)

    path = property(lambda self: decode(self._s(_path)) or "",
                    doc='Path relative to the top bundle ("" for the top one)')
    layout_code = property(lambda self: int(self._s(_layout)))
    layout = property(lambda self: LAYOUTS.get(self.layout_code, "?"),
                      doc='"deep", "shallow" or "versioned"')
    content_dir = property(lambda self: decode(self._s(_content_dir)),
                           doc="Directory CodeResources paths are relative to")
    from_archive = property(lambda self: bool(self._s(_from_archive)))
    is_codeless = property(lambda self: bool(self._s(_is_codeless)))
    main_executable = property(lambda self: decode(self._s(_main_executable)),
                               doc="Main executable path relative to the bundle, or None")
    identifier = property(lambda self: decode(self._s(_identifier)), doc="CFBundleIdentifier")

    @property
    def executable(self) -> Optional[MachO]:
        """The parsed main executable (borrowed), or None."""
        p = self._s(_executable)
        if not p:
            return None
        m = MachO.__new__(MachO)
        m.path = self.main_executable
        Handle.__init__(m, p, None, self)
        m._slices = None
        return m

    @property
    def info_plist(self):
        """The parsed Info.plist (a borrowed :class:`csig.Plist`), or None."""
        from .plist import Plist
        p = self._s(_info_plist)
        return Plist._borrowed(p, self) if p else None

    @property
    def nested(self) -> List["Bundle"]:
        with self.use() as b:
            return [Bundle._borrowed(_nested(b, i), self) for i in range(_nested_count(b))]

    def scan_record(self, path: Any = None, pretty: bool = False) -> str:
        """The library's "bundle"/"ipa" scan record (unverified; see
        :meth:`BundleResult.scan_record` for one with the verdict)."""
        from .scan import bundle_json
        return bundle_json(self, self.fs_path if path is None else path, None, pretty)

    def verify(self, jobs: int = 0, at: Any = None,
               check_expiration: bool = False) -> "BundleResult":
        """Verify the bundle and everything nested in it (results are data)."""
        when = to_unix(at)
        opts = VerifyOptions(VERIFY_OPTIONS_VERSION,
                             VERIFY_CHECK_EXPIRATION if check_expiration else 0,
                             jobs, 0, when or 0)
        out = c_void_p()
        with self.use() as b:
            _verify(byref(out), b, byref(opts), CsigError_())
        return BundleResult(out.value, self)


class BundleResult(Handle):
    """Outcome of :meth:`Bundle.verify`: ``valid``, ``findings``, ``paths``
    (the file each finding is about, or None), ``files_hashed``,
    ``bytes_hashed`` and the library's ``json``, read at once.  The C
    result is kept (for :func:`csig.scan.bundle_json`) until close."""

    def __init__(self, ptr: int, bundle: "Bundle") -> None:
        Handle.__init__(self, ptr, _res_free, bundle)
        self.bundle = bundle
        self.valid: bool = bool(_res_valid(ptr))
        n = _res_count(ptr)
        self.findings: List[Finding] = [Finding._from_c(_res_finding(ptr, i))
                                        for i in range(n)]
        self.paths: List[Optional[str]] = [decode(_res_path(ptr, i)) for i in range(n)]
        self.files_hashed = int(_res_files(ptr))
        self.bytes_hashed = int(_res_bytes(ptr))
        out, ln = c_void_p(), c_size_t()
        _res_json(ptr, JSON_PRETTY, byref(out), byref(ln), CsigError_())
        self.json: str = take_text(out, ln, _free_mem)

    @property
    def verdict(self) -> str:
        return "valid" if self.valid else "invalid"

    def __bool__(self) -> bool:
        return self.valid

    def to_json(self) -> str:
        return self.json

    def scan_record(self, path: Any = None, pretty: bool = False) -> str:
        """The library's scan record of the bundle with this verdict."""
        from .scan import bundle_json
        return bundle_json(self.bundle, path, self, pretty)

    def __repr__(self) -> str:
        return "<csig.BundleResult %s, %d finding(s)>" % (self.verdict, len(self.findings))
