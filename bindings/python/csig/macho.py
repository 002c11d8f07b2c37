"""Mach-O files: :class:`MachO`, its :class:`Slice` objects and findings.

>>> import csig
>>> with csig.open("testdata/good/fat-arm64-x86_64") as m:   # doctest: +SKIP
...     [s.arch for s in m.slices]
['x86_64', 'arm64']
"""

from __future__ import annotations

import ctypes
import enum
import os
import uuid as _uuid
from ctypes import byref, c_size_t, c_uint8, c_uint32, c_void_p
from dataclasses import dataclass
from typing import List, NamedTuple, Optional, Union

from . import _core as C
from ._handle import Handle, take_text
from ._lib import (FILE_FAT, JSON_LOAD_COMMANDS, JSON_PRETTY, JSON_SLOTS,
                   OPEN_COPY, OPEN_OPTIONS_VERSION, VERIFY_CHECK_EXPIRATION,
                   VERIFY_ONE_SLICE, VERIFY_OPTIONS_VERSION, CsigBytes, CsigError_, OpenOptions,
                   VerifyOptions, decode)
from .errors import NotFoundError  # type: ignore[attr-defined]

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]


class Severity(enum.IntEnum):
    """csig_severity."""

    INFO = 0
    WARN = 1
    ERROR = 2


@dataclass(frozen=True)
class Finding:
    """One finding (structural check or verification).

    ``slice`` and ``cd`` are -1 when the finding is about the whole file or
    no particular CodeDirectory; ``offset`` is an absolute file offset.
    """

    id: str
    severity: Severity
    slice: int
    cd: int
    offset: int
    message: str

    @classmethod
    def _from_c(cls, p) -> "Finding":
        f = p.contents
        try:
            sev = Severity(f.severity)
        except ValueError:
            sev = f.severity  # a severity newer than this binding
        return cls(decode(f.id) or "", sev, f.slice, f.cd, int(f.offset),
                   decode(f.message) or "")


class LoadCommand(NamedTuple):
    """One load command as found: raw ``cmd`` (LC_REQ_DYLD bit included),
    its name (None when unknown), ``cmdsize`` and absolute file ``offset``."""

    cmd: int
    name: Optional[str]
    cmdsize: int
    offset: int


class BuildVersion(NamedTuple):
    """LC_BUILD_VERSION (or LC_VERSION_MIN_*): ``minos``/``sdk`` are
    nibble-encoded ``major<<16 | minor<<8 | patch`` as stored."""

    platform: int
    platform_name: Optional[str]
    minos: int
    sdk: int


class CodeSignatureCommand(NamedTuple):
    """LC_CODE_SIGNATURE: ``dataoff`` (relative to the slice) and ``datasize``."""

    dataoff: int
    datasize: int


def _fspath(path: PathLike) -> bytes:
    p = os.fspath(path)
    return p if isinstance(p, bytes) else os.fsencode(p)


class MachO(Handle):
    """An opened Mach-O file, thin or fat (``csig_file``).

    ``MachO(path)`` maps the file read-only through the library;
    :meth:`from_bytes` parses bytes already in memory (copied once into C
    memory).  The object is immutable and may be shared between threads.
    Use it as a context manager or call :meth:`close`; objects obtained
    from it keep it alive and stay usable as long as they do not need a new
    C call after close.

    Raises a :class:`csig.CsigError` subclass when the input is not a
    Mach-O file or its headers are truncated (``BadMagicError``,
    ``TruncatedError``, ``IoError``, ...).
    """

    def __init__(self, path: PathLike, *, max_depth: int = 0,
                 max_count: int = 0) -> None:
        self.path: Optional[str] = os.fsdecode(os.fspath(path))
        self._open(_fspath(path), None, 0, max_depth, max_count)

    @classmethod
    def from_bytes(cls, data: Union[bytes, bytearray, memoryview], *,
                   max_depth: int = 0, max_count: int = 0) -> "MachO":
        """Parse @data; the library copies it once (CSIG_OPEN_COPY), so the
        caller may drop or change @data afterwards."""
        self = cls.__new__(cls)
        self.path = None
        buf = data if isinstance(data, bytes) else bytes(data)
        self._open(None, buf, CSIG_OPEN_COPY, max_depth, max_count)
        return self

    def _open(self, path: Optional[bytes], buf: Optional[bytes], flags: int,
              max_depth: int, max_count: int) -> None:
        opts = OpenOptions(OPEN_OPTIONS_VERSION, flags, max_depth, max_count)
        err = CsigError_()
        out = c_void_p()
        if path is not None:
            C.file_open_path(byref(out), path, opts, err)
        else:
            assert buf is not None
            C.file_open(byref(out), buf, len(buf), opts, err)
        Handle.__init__(self, out.value, C.file_free)
        self._slices: Optional[List[Slice]] = None

    def __repr__(self) -> str:
        state = "closed" if self.closed else "%d slice(s)" % len(self.slices)
        return "<csig.MachO %s %s>" % (self.path or "<bytes>", state)

    # ---- file facts ----
    @property
    def kind(self) -> str:
        """``"thin"`` or ``"fat"``."""
        with self.use() as f:
            return "fat" if C.file_kind(f) == FILE_FAT else "thin"

    @property
    def is_fat(self) -> bool:
        return self.kind == "fat"

    @property
    def size(self) -> int:
        """Length of the whole input."""
        with self.use() as f:
            return int(C.file_size(f))

    @property
    def fat_magic(self) -> int:
        """0xcafebabe / 0xcafebabf, or 0 for a thin file."""
        with self.use() as f:
            return int(C.file_fat_magic(f))

    def bytes(self) -> bytes:
        """A copy of the whole input."""
        with self.use() as f:
            return C.file_bytes(f).copy()

    @property
    def slices(self) -> List["Slice"]:
        """The architectures (one for a thin file), in file order."""
        if self._slices is None:
            with self.use() as f:
                n = C.file_slice_count(f)
                self._slices = [Slice(self, C.file_slice(f, i)) for i in range(n)]
        return list(self._slices)

    @property
    def archs(self) -> List[str]:
        return [s.arch for s in self.slices]

    def slice(self, arch: Union[str, int]) -> "Slice":
        """The slice at index @arch, or the first whose arch name is @arch
        (raises NotFoundError)."""
        if isinstance(arch, int):
            return self.slices[arch]
        with self.use() as f:
            out = c_void_p()
            C.file_find_slice(f, arch.encode(), byref(out))
            idx = C.slice_index(out)
        return self.slices[idx]

    @property
    def findings(self) -> List[Finding]:
        """Structural findings, file-wide and per slice."""
        with self.use() as f:
            return [Finding._from_c(C.file_finding(f, i))
                    for i in range(C.file_finding_count(f))]

    # ---- verification and JSON ----
    def _slice_index(self, arch: Union[None, str, int]) -> int:
        if arch is None:
            return -1
        return self.slice(arch).index

    def verify(self, jobs: int = 0, arch: Union[None, str, int] = None,
               at=None, check_expiration: bool = False) -> "VerifyResult":
        """Verify every slice (or only @arch: a name or an index).

        @jobs: page-hashing threads, 0 = number of cores.  @at: the time at
        which certificate validity is judged (datetime, date, Unix seconds
        or "YYYY-MM-DD[THH:MM:SSZ]" text parsed by the library); None means
        the library's default (the secure timestamp, else now).
        @check_expiration: expired certificates are errors
        (CSIG_VERIFY_CHECK_EXPIRATION).  The verdict and the findings are
        data in the returned :class:`VerifyResult`; only misuse raises.
        The GIL is released while the library works.
        """
        from .codedir import VerifyResult
        from ._time import to_unix
        only = self._slice_index(arch)
        when = to_unix(at)
        opts = VerifyOptions(VERIFY_OPTIONS_VERSION, 0, jobs, 0, when or 0)
        if only >= 0:
            opts.flags |= VERIFY_ONE_SLICE
            opts.slice = only
        if check_expiration:
            opts.flags |= VERIFY_CHECK_EXPIRATION
        err = CsigError_()
        out = c_void_p()
        with self.use() as f:
            C.verify(byref(out), f, byref(opts), err)
        return VerifyResult(self, out.value)

    def info_json(self, slice: Union[None, str, int] = None,
                  load_commands: bool = False, slots: bool = False,
                  pretty: bool = True) -> str:
        """The library's "info" JSON document (text, no trailing newline).

        With the defaults the text equals ``csig info --json FILE``;
        @load_commands decodes every load command (``--load-commands``),
        @slots lists every code-slot hash (``-vv``).
        """
        flags = ((JSON_PRETTY if pretty else 0)
                 | (JSON_LOAD_COMMANDS if load_commands else 0)
                 | (JSON_SLOTS if slots else 0))
        idx = self._slice_index(slice)
        out = c_void_p()
        n = c_size_t()
        err = CsigError_()
        with self.use() as f:
            C.file_json(f, idx, flags, byref(out), byref(n), err)
        return take_text(out, n, C.free)

    def scan_record(self, path=None, verify_result=None, pretty: bool = False) -> str:
        """The library's "macho" scan record (``csig scan``); @path defaults
        to the path this file was opened from; with @verify_result (a
        :class:`VerifyResult` of this file, or True to verify now) it has
        the verdict."""
        from .scan import record_json
        if verify_result is True:
            verify_result = self.verify()
        return record_json(self, self.path if path is None else path,
                           verify_result or None, pretty)

    def audit(self, label=None, **kw):
        """Expiry audit of this file (:class:`csig.Audit`; keywords at,
        within_days, strict)."""
        from .audit import Audit
        return Audit.of_file(self, label, **kw)

    def info(self, **kw) -> dict:
        """:meth:`info_json` parsed with json.loads (a convenience)."""
        import json
        return json.loads(self.info_json(**kw))


CSIG_OPEN_COPY = OPEN_COPY


def open(path: PathLike, **kw) -> MachO:  # noqa: A001 - mirrors builtins.open
    """Open a Mach-O file: ``csig.open(path)`` is ``csig.MachO(path)``."""
    return MachO(path, **kw)


class Slice:
    """One architecture of a :class:`MachO` (``csig_slice``).

    The header facts are read once, when the slice object is made; load
    commands, the signature and the Info.plist are read on first use.  The
    slice keeps its MachO alive.
    """

    def __init__(self, file: MachO, ptr: int) -> None:
        self.file = file
        self._p = ptr
        p = ptr
        self.index: int = C.slice_index(p)
        self.arch: str = decode(C.slice_arch(p)) or "unknown"
        self.offset: int = int(C.slice_offset(p))
        self.size: int = int(C.slice_size(p))
        self.magic: int = int(C.slice_magic(p))
        self.is64: bool = bool(C.slice_is64(p))
        self.big_endian: bool = bool(C.slice_big_endian(p))
        self.cputype: int = C.slice_cputype(p)
        self.cpusubtype: int = C.slice_cpusubtype(p)
        self.fat_cputype: int = C.slice_fat_cputype(p)
        self.fat_cpusubtype: int = C.slice_fat_cpusubtype(p)
        self.filetype: int = int(C.slice_filetype(p))
        self.filetype_name: Optional[str] = decode(C.filetype_name(self.filetype))
        self.flags: int = int(C.slice_flags(p))
        buf = ctypes.create_string_buffer(512)
        self.flags_string: str = decode(C.mh_flags_string(self.flags, buf, 512)) or ""
        self.ncmds: int = int(C.slice_ncmds(p))
        self.sizeofcmds: int = int(C.slice_sizeofcmds(p))
        self._lcs: Optional[List[LoadCommand]] = None
        self._sig: Optional[object] = None
        self._sig_done = False

    def __repr__(self) -> str:
        return "<csig.Slice %d %s offset=0x%x size=%d>" % (
            self.index, self.arch, self.offset, self.size)

    def _use(self):
        return self.file.use()

    @property
    def load_commands(self) -> List[LoadCommand]:
        """Load commands that could be read (fewer than ncmds when malformed)."""
        if self._lcs is None:
            with self._use():
                out = []
                for i in range(C.slice_lc_count(self._p)):
                    lc = C.slice_lc(self._p, i).contents
                    out.append(LoadCommand(int(lc.cmd), decode(lc.name),
                                           int(lc.cmdsize), int(lc.offset)))
                self._lcs = out
        return list(self._lcs)

    @property
    def uuid(self) -> Optional[_uuid.UUID]:
        """LC_UUID, or None."""
        raw = (c_uint8 * 16)()
        with self._use():
            try:
                C.slice_uuid(self._p, raw)
            except NotFoundError:
                return None
        return _uuid.UUID(bytes=bytes(raw))

    @property
    def build_version(self) -> Optional[BuildVersion]:
        """LC_BUILD_VERSION / LC_VERSION_MIN_*, or None."""
        pl, mi, sdk = c_uint32(), c_uint32(), c_uint32()
        with self._use():
            try:
                C.slice_build_version(self._p, byref(pl), byref(mi), byref(sdk))
            except NotFoundError:
                return None
            name = decode(C.platform_name(pl.value))
        return BuildVersion(pl.value, name, mi.value, sdk.value)

    @property
    def code_signature(self) -> Optional[CodeSignatureCommand]:
        """LC_CODE_SIGNATURE (dataoff, datasize), or None when unsigned."""
        off, size = c_uint32(), c_uint32()
        with self._use():
            try:
                C.slice_code_signature(self._p, byref(off), byref(size))
            except NotFoundError:
                return None
        return CodeSignatureCommand(off.value, size.value)

    @property
    def info_plist(self) -> Optional[bytes]:
        """A copy of the __TEXT,__info_plist section, or None."""
        b = CsigBytes()
        with self._use():
            try:
                C.slice_info_plist(self._p, byref(b))
            except NotFoundError:
                return None
            return b.copy()

    def bytes(self) -> bytes:
        """A copy of the slice's bytes."""
        with self._use():
            return C.slice_bytes(self._p).copy()

    @property
    def signature(self):
        """The embedded :class:`csig.Signature`, or None (unsigned or
        unreadable; the file's findings say which)."""
        if not self._sig_done:
            from .codedir import Signature
            with self._use():
                p = C.slice_signature(self._p)
                self._sig = Signature(self, p) if p else None
            self._sig_done = True
        return self._sig

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def code_directories(self):
        """Shortcut: the signature's CodeDirectories ([] when unsigned)."""
        sig = self.signature
        return sig.code_directories if sig else []

    @property
    def best_cd(self):
        """Shortcut: the signature's best CodeDirectory, or None."""
        sig = self.signature
        return sig.best_cd if sig else None

    def verify(self, jobs: int = 0, at=None, check_expiration: bool = False):
        """Verify only this slice (see :meth:`MachO.verify`)."""
        return self.file.verify(jobs=jobs, arch=self.index, at=at,
                                check_expiration=check_expiration)

    def check_requirement(self, requirement, info_plist=None):
        """Evaluate a code requirement against this slice
        (csig_req_eval_slice): @requirement is text (compiled by the
        library) or a :class:`csig.Requirement`; @info_plist (a
        :class:`csig.Plist`, or plist bytes) feeds ``info[...]`` clauses.
        Returns a :class:`csig.ReqResult` (verdict and trace)."""
        from .req import Requirement, ReqResult
        from .plist import Plist
        req = requirement
        if isinstance(req, (str, bytes)):
            req = Requirement.from_text(req)
        if not isinstance(req, Requirement):
            raise TypeError("requirement text or csig.Requirement expected")
        info = info_plist
        if info is not None and not isinstance(info, Plist):
            info = Plist.parse(bytes(info))
        out = c_void_p()
        err = CsigError_()
        with self._use(), req.use() as r:
            if info is not None:
                with info.use() as ip:
                    C.req_eval_slice(r, self._p, ip, byref(out), err)
            else:
                C.req_eval_slice(r, self._p, None, byref(out), err)
        return ReqResult(out.value)

    def info_json(self, **kw) -> str:
        """The info document of this slice only."""
        return self.file.info_json(slice=self.index, **kw)


def arch_name(cputype: int, cpusubtype: int) -> str:
    """The library's architecture name for a cputype/subtype pair."""
    return decode(C.arch_name(cputype, cpusubtype)) or "unknown"


def lc_name(cmd: int) -> Optional[str]:
    """"LC_SEGMENT_64" etc., or None."""
    return decode(C.lc_name(cmd))
