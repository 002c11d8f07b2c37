"""Zip archives (csig/zip.h): list and extract members in memory.

Available when the loaded library exports them (``csig.zip.available``).

>>> with csig.Zip("app.ipa") as z:                      # doctest: +SKIP
...     [e.name for e in z.entries][:3]
...     data = z.read("Payload/App.app/Info.plist")
"""

from __future__ import annotations

import os
from ctypes import POINTER, Structure, byref, c_int, c_size_t, c_uint, c_uint32, c_uint64, c_void_p
from typing import Iterator, List, NamedTuple, Optional, Union

from . import _lib
from ._handle import Handle, take_bytes
from ._lib import P_ERR, P_OPTS, PP, CsigBytes, CsigError_, OpenOptions, declare

available = _lib.has("csig_zip_open")

STORED, DEFLATED = 0, 8
NAME_DOTDOT, NAME_ABSOLUTE, NAME_BACKSLASH = 0x01, 0x02, 0x04
NAME_NUL, NAME_DUPLICATE, NAME_EMPTY = 0x08, 0x10, 0x20


class ZipOptions_(Structure):
    """``csig_zip_options`` (version 1)."""

    _fields_ = [("version", c_uint), ("max_ratio", c_uint), ("max_entry_size", c_uint64)]


if available:
    VP = c_void_p
    _open = declare("csig_zip_open", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
    _open_ex = declare("csig_zip_open_ex", c_int,
                       [PP, VP, c_size_t, P_OPTS, POINTER(ZipOptions_), P_ERR], True)
    _free = declare("csig_zip_free", None, [VP])
    _count = declare("csig_zip_count", c_size_t, [VP])
    _name = declare("csig_zip_entry_name", CsigBytes, [VP, c_size_t])
    _size = declare("csig_zip_entry_size", c_uint64, [VP, c_size_t])
    _csize = declare("csig_zip_entry_compressed_size", c_uint64, [VP, c_size_t])
    _method = declare("csig_zip_entry_method", c_uint, [VP, c_size_t])
    _flags = declare("csig_zip_entry_flags", c_uint, [VP, c_size_t])
    _crc = declare("csig_zip_entry_crc32", c_uint32, [VP, c_size_t])
    _offset = declare("csig_zip_entry_offset", c_uint64, [VP, c_size_t])
    _mode = declare("csig_zip_entry_mode", c_uint32, [VP, c_size_t])
    _is_dir = declare("csig_zip_entry_is_dir", c_int, [VP, c_size_t])
    _is_symlink = declare("csig_zip_entry_is_symlink", c_int, [VP, c_size_t])
    _is_encrypted = declare("csig_zip_entry_is_encrypted", c_int, [VP, c_size_t])
    _suspicious = declare("csig_zip_entry_suspicious", c_uint, [VP, c_size_t])
    _find = declare("csig_zip_find", c_int, [VP, VP, c_size_t, POINTER(c_size_t)], True)
    _extract = declare("csig_zip_extract", c_int,
                       [VP, c_size_t, PP, POINTER(c_size_t), P_ERR], True)
    _view = declare("csig_zip_entry_view", c_int, [VP, c_size_t, POINTER(CsigBytes), P_ERR],
                    True)
    _free_mem = declare("csig_free", None, [VP])


def _require() -> None:
    if not available:
        raise NotImplementedError("the loaded libcsig has no zip API")


class ZipEntry(NamedTuple):
    """One central-directory entry, as the library reports it.  ``name``
    is the stored bytes decoded as UTF-8 with surrogate escapes;
    ``raw_name`` the bytes themselves."""

    index: int
    name: str
    raw_name: bytes
    size: int
    compressed_size: int
    method: int
    flags: int
    crc32: int
    offset: int
    mode: int
    is_dir: bool
    is_symlink: bool
    is_encrypted: bool
    suspicious: int


class Zip(Handle):
    """A zip archive (``csig_zip``) over bytes copied once into C memory.

    ``Zip(path)`` reads the file; :meth:`from_bytes` takes bytes.  Entries
    are listed at open; members are extracted one at a time into memory
    (CRC and local header checked, size/ratio limits applied)."""

    def __init__(self, path: Union[str, bytes, "os.PathLike[str]"], *,
                 max_count: int = 0, max_ratio: int = 0, max_entry_size: int = 0) -> None:
        with open(path, "rb") as f:
            data = f.read()
        self.path: Optional[str] = os.fsdecode(os.fspath(path))
        self._open(data, max_count, max_ratio, max_entry_size)

    @classmethod
    def from_bytes(cls, data: bytes, *, max_count: int = 0, max_ratio: int = 0,
                   max_entry_size: int = 0) -> "Zip":
        self = cls.__new__(cls)
        self.path = None
        self._open(bytes(data), max_count, max_ratio, max_entry_size)
        return self

    def _open(self, data: bytes, max_count: int, max_ratio: int, max_entry_size: int) -> None:
        _require()
        out = c_void_p()
        opts = OpenOptions(1, _lib.OPEN_COPY, 0, max_count)
        if max_ratio or max_entry_size:
            zopts = ZipOptions_(1, max_ratio, max_entry_size)
            _open_ex(byref(out), data, len(data), opts, byref(zopts), CsigError_())
        else:
            _open(byref(out), data, len(data), opts, CsigError_())
        Handle.__init__(self, out.value, _free)
        p = out.value
        self.entries: List[ZipEntry] = []
        for i in range(_count(p)):
            raw = _name(p, i).copy()
            self.entries.append(ZipEntry(
                i, raw.decode("utf-8", "surrogateescape"), raw, int(_size(p, i)),
                int(_csize(p, i)), int(_method(p, i)), int(_flags(p, i)),
                int(_crc(p, i)), int(_offset(p, i)), int(_mode(p, i)),
                bool(_is_dir(p, i)), bool(_is_symlink(p, i)),
                bool(_is_encrypted(p, i)), int(_suspicious(p, i))))

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ZipEntry]:
        return iter(self.entries)

    def __repr__(self) -> str:
        return "<csig.Zip %s %d entries>" % (self.path or "<bytes>", len(self.entries))

    def namelist(self) -> List[str]:
        return [e.name for e in self.entries]

    def find(self, name: Union[str, bytes]) -> Optional[int]:
        """Index of the entry named exactly @name (lowest on duplicates), or None."""
        from .errors import NotFoundError  # type: ignore[attr-defined]
        raw = name.encode("utf-8", "surrogateescape") if isinstance(name, str) else bytes(name)
        idx = c_size_t()
        with self.use() as z:
            try:
                _find(z, raw, len(raw), byref(idx))
            except NotFoundError:
                return None
        return idx.value

    def _index(self, which: Union[int, str, bytes]) -> int:
        if isinstance(which, int):
            return which
        i = self.find(which)
        if i is None:
            raise KeyError(which)
        return i

    def read(self, which: Union[int, str, bytes]) -> bytes:
        """Extract entry @which (index or name) into memory and return it."""
        i = self._index(which)
        out, n = c_void_p(), c_size_t()
        with self.use() as z:
            _extract(z, i, byref(out), byref(n), CsigError_())
        return take_bytes(out, n.value, _free_mem)

    def view(self, which: Union[int, str, bytes]) -> bytes:
        """A stored (method 0) entry's bytes through the library's checked
        zero-copy view (copied into ``bytes`` here)."""
        i = self._index(which)
        b = CsigBytes()
        with self.use() as z:
            _view(z, i, byref(b), CsigError_())
            return b.copy()
