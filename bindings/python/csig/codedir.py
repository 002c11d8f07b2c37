"""Embedded signatures: :class:`Signature`, :class:`Blob`,
:class:`CodeDirectory`, and :class:`VerifyResult`."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_size_t, c_uint8, c_uint64, c_void_p
from dataclasses import dataclass
from typing import Dict, List, NamedTuple, Optional

from . import _core as C
from ._handle import Handle, take_text
from ._lib import JSON_PRETTY, CsigBytes, CsigError_, decode
from .errors import NotFoundError, UnsupportedError  # type: ignore[attr-defined]
from .macho import Finding, MachO, Slice


@dataclass(frozen=True)
class Blob:
    """One SuperBlob index entry.

    ``type`` is the slot number, ``offset`` is from the SuperBlob start,
    ``file_offset`` absolute; ``magic``/``length`` are the blob's own header
    (magic 0 when unreadable); ``status`` is 0 or the CSIG_E_* code saying
    why the blob is broken (``status_name`` its name); ``data`` a copy of
    the whole blob (empty when out of bounds).
    """

    type: int
    offset: int
    magic: int
    length: int
    file_offset: int
    name: Optional[str]
    status: int
    status_name: Optional[str]
    data: bytes


class ExecSegment(NamedTuple):
    base: int
    limit: int
    flags: int
    flags_string: str


def _flags_string(fn, value: int) -> str:
    buf = ctypes.create_string_buffer(512)
    return decode(fn(value, buf, 512)) or ""


class Signature:
    """A slice's embedded signature (``csig_sig``): the SuperBlob, its blobs
    and its CodeDirectories.  Keeps its slice (and so the file) alive."""

    def __init__(self, slice: Slice, ptr: int) -> None:
        self.slice = slice
        self.file: MachO = slice.file
        self._p = ptr
        self.file_offset: int = int(C.sig_file_offset(ptr))
        n = C.sig_blob_count(ptr)
        self.blobs: List[Blob] = [self._blob(C.sig_blob(ptr, i)) for i in range(n)]
        cds = [C.sig_cd(ptr, i) for i in range(C.sig_cd_count(ptr))]
        self.code_directories: List[CodeDirectory] = [
            CodeDirectory(self, p, i) for i, p in enumerate(cds)]
        best = C.sig_best_cd(ptr)
        self.best_cd: Optional[CodeDirectory] = next(
            (cd for cd in self.code_directories if cd._p == best), None)
        b = CsigBytes()
        try:
            C.sig_cms(ptr, byref(b))
            self.cms: Optional[bytes] = b.copy()
        except NotFoundError:
            self.cms = None

    @staticmethod
    def _blob(p) -> Blob:
        b = p.contents
        from .errors import errname
        return Blob(int(b.type), int(b.offset), int(b.magic), int(b.length),
                    int(b.file_offset), decode(b.name), int(b.status),
                    errname(b.status) if b.status else None, b.bytes.copy())

    def __repr__(self) -> str:
        return "<csig.Signature slice %d: %d blobs, %d CDs>" % (
            self.slice.index, len(self.blobs), len(self.code_directories))

    @property
    def adhoc(self) -> bool:
        """True when there is no CMS signature (ad-hoc / linker signing)."""
        return self.cms is None

    def bytes(self) -> bytes:
        """A copy of the SuperBlob."""
        with self.file.use():
            return C.sig_bytes(self._p).copy()

    def find_blob(self, type: int) -> Optional[Blob]:
        """The first blob of slot @type, or None."""
        return next((b for b in self.blobs if b.type == type), None)

    def entitlements(self, der: bool = False):
        """The XML (slot 5) or, with @der, DER (slot 7) entitlements that the
        library parsed when the file was opened, as a :class:`csig.Plist`
        (borrowed from the file), or None when absent or unparseable (a
        "plist-malformed" finding then says why)."""
        from .plist import Plist
        with self.file.use():
            p = (C.sig_entitlements_der if der else C.sig_entitlements)(self._p)
        return Plist._borrowed(p, self.file) if p else None

    def constraint(self, slot: int):
        """Launch/library constraint of @slot (8 self, 9 parent,
        10 responsible, 11 library) as a borrowed :class:`csig.Plist`, or
        None."""
        from .plist import Plist
        with self.file.use():
            p = C.sig_constraint(self._p, slot)
        return Plist._borrowed(p, self.file) if p else None

    @property
    def constraints(self):
        """{slot: Plist} of the launch/library constraints present."""
        out = {}
        for slot in (8, 9, 10, 11):
            c = self.constraint(slot)
            if c is not None:
                out[slot] = c
        return out

    @property
    def requirements(self):
        """The internal requirements (slot 2) as a borrowed
        :class:`csig.RequirementSet`, or None (absent or unparseable)."""
        from .req import RequirementSet
        with self.file.use():
            p = C.sig_requirements(self._p)
        return RequirementSet._borrowed(p, self.file) if p else None

    def cms_parsed(self):
        """The CMS signature the library parsed when the file was opened,
        as a :class:`csig.Cms` (borrowed from the file), or None (ad hoc,
        or malformed: a "cms-malformed" finding says why)."""
        from .cms import Cms
        with self.file.use():
            p = C.sig_cms_parsed(self._p)
        return Cms._borrowed(p, self.file) if p else None

    @property
    def cdhash(self) -> Optional[bytes]:
        """cdhash of the best CodeDirectory (what the kernel trusts)."""
        return self.best_cd.cdhash if self.best_cd else None


class CodeDirectory:
    """One CodeDirectory (``csig_codedir``).  Every header value is read
    when the object is made; slot hashes on demand."""

    def __init__(self, sig: Signature, ptr: int, index: int) -> None:
        self.signature = sig
        self.file = sig.file
        self._p = p = ptr
        #: position in Signature.code_directories (the "cd" of findings)
        self.index = index
        self.slot: int = int(C.codedir_slot(p))
        self.version: int = int(C.codedir_version(p))
        self.flags: int = int(C.codedir_flags(p))
        self.flags_string: str = _flags_string(C.cd_flags_string, self.flags)
        self.hash_type: int = C.codedir_hash_type(p)
        self.hash_type_name: Optional[str] = decode(C.hash_type_name(self.hash_type))
        self.hash_size: int = int(C.codedir_hash_size(p))
        #: log2 of the page size (the CD's pageSize byte); 0 = one page
        self.page_shift: int = int(C.codedir_page_shift(p))
        self.n_special_slots: int = int(C.codedir_n_special_slots(p))
        self.n_code_slots: int = int(C.codedir_n_code_slots(p))
        self.code_limit: int = int(C.codedir_code_limit(p))
        self.platform: int = int(C.codedir_platform(p))
        self.identifier: str = decode(C.codedir_identifier(p)) or ""
        self.team_id: Optional[str] = decode(C.codedir_team_id(p))
        self.runtime: int = int(C.codedir_runtime(p))
        base, limit, xfl = c_uint64(), c_uint64(), c_uint64()
        try:
            C.codedir_exec_segment(p, byref(base), byref(limit), byref(xfl))
            self.exec_segment: Optional[ExecSegment] = ExecSegment(
                base.value, limit.value, xfl.value,
                _flags_string(C.execseg_flags_string, xfl.value))
        except NotFoundError:
            self.exec_segment = None
        h = (c_uint8 * 20)()
        C.codedir_cdhash(p, h)
        #: the 20-byte cdhash
        self.cdhash: bytes = bytes(h)
        full = (c_uint8 * 64)()
        n = c_size_t()
        try:
            C.codedir_cdhash_full(p, full, byref(n))
            #: the untruncated digest of the CodeDirectory, or None
            self.cdhash_full: Optional[bytes] = bytes(full)[:n.value]
        except UnsupportedError:
            self.cdhash_full = None

    def __repr__(self) -> str:
        return "<csig.CodeDirectory slot 0x%x %s %s cdhash=%s>" % (
            self.slot, self.hash_type_name, self.identifier, self.cdhash_hex)

    @property
    def cdhash_hex(self) -> str:
        return self.cdhash.hex()

    @property
    def page_size(self) -> int:
        """Page size in bytes (0 when one page covers everything)."""
        return 1 << self.page_shift if self.page_shift else 0

    def bytes(self) -> bytes:
        """A copy of the CodeDirectory blob."""
        with self.file.use():
            return C.codedir_bytes(self._p).copy()

    def slot_hash(self, slot: int) -> Optional[bytes]:
        """Stored hash of @slot: code slots 0..n-1, special slots -1..-n;
        None when out of range."""
        b = CsigBytes()
        with self.file.use():
            try:
                C.codedir_slot_hash(self._p, slot, byref(b))
            except NotFoundError:
                return None
            return b.copy()

    @property
    def code_hashes(self) -> List[bytes]:
        """Every code-slot hash, page 0 first."""
        out = []
        for i in range(self.n_code_slots):
            h = self.slot_hash(i)
            if h is None:
                break
            out.append(h)
        return out

    @property
    def special_hashes(self) -> Dict[int, bytes]:
        """Special-slot hashes keyed by slot number (1 = Info.plist,
        2 = requirements, 5 = entitlements, ...)."""
        out = {}
        for k in range(1, self.n_special_slots + 1):
            h = self.slot_hash(-k)
            if h is None:
                break
            out[k] = h
        return out


class VerifyResult(Handle):
    """Outcome of :meth:`MachO.verify` (``csig_verify_result``).

    ``valid``, ``findings`` and ``bytes_hashed`` are read at once;
    :meth:`to_json` needs the C result, which lives until :meth:`close`
    (or garbage collection) and keeps its MachO alive.
    """

    def __init__(self, file: MachO, ptr: int) -> None:
        Handle.__init__(self, ptr, C.verify_result_free)
        self.file = file
        self.valid: bool = bool(C.verify_result_valid(ptr))
        self.bytes_hashed: int = int(C.verify_result_bytes_hashed(ptr))
        self.findings: List[Finding] = [
            Finding._from_c(C.verify_result_finding(ptr, i))
            for i in range(C.verify_result_count(ptr))]

    def __bool__(self) -> bool:
        return self.valid

    def __repr__(self) -> str:
        return "<csig.VerifyResult %s, %d finding(s)>" % (
            "valid" if self.valid else "INVALID", len(self.findings))

    @property
    def verdict(self) -> str:
        return "valid" if self.valid else "invalid"

    def to_json(self, pretty: bool = True) -> str:
        """The library's "verify" JSON document; with pretty=True it equals
        ``csig verify --json FILE``."""
        out = c_void_p()
        n = c_size_t()
        err = CsigError_()
        with self.use() as r, self.file.use() as f:
            C.verify_result_json(r, f, JSON_PRETTY if pretty else 0,
                                 byref(out), byref(n), err)
        return take_text(out, n, C.free)

    def to_dict(self) -> dict:
        import json
        return json.loads(self.to_json(pretty=False))
