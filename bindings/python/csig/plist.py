"""Property lists and entitlements (csig/plist.h, csig/ent.h).

Available when the loaded library exports them (``csig.plist.available``).

>>> doc = csig.Plist.parse(b"<plist><dict><key>a</key><true/></dict></plist>")  # doctest: +SKIP
>>> doc.value
{'a': True}
"""

from __future__ import annotations

import ctypes
import datetime
from ctypes import (POINTER, byref, c_char_p, c_double, c_int, c_int64,
                    c_size_t, c_uint, c_uint32, c_uint64, c_void_p)
from typing import Any, List, NamedTuple, Optional, Union

from . import _lib
from ._handle import Handle, take_text
from ._lib import P_ERR, P_OPTS, PP, CsigBytes, CsigError_, OpenOptions, decode, declare
from .errors import CsigError, NotFoundError  # type: ignore[attr-defined]

available = _lib.has("csig_plist_parse") and _lib.has("csig_ent_parse")

FORMATS = {1: "xml", 2: "binary", 4: "der"}
XML, BINARY, DER, ANY = 0x1, 0x2, 0x4, 0x0

if available:
    VP = c_void_p
    P_BYTES = POINTER(CsigBytes)
    _parse = declare("csig_plist_parse", c_int, [PP, VP, c_size_t, c_uint, P_OPTS, P_ERR], True)
    _free = declare("csig_plist_free", None, [VP])
    _root = declare("csig_plist_root", VP, [VP])
    _format = declare("csig_plist_format", c_uint, [VP])
    _source = declare("csig_plist_source", CsigBytes, [VP])
    _fcount = declare("csig_plist_finding_count", c_size_t, [VP])
    _finding = declare("csig_plist_finding", c_int,
                       [VP, c_size_t, POINTER(c_int), POINTER(c_uint64), POINTER(c_char_p)], True)
    _fname = declare("csig_plist_finding_name", c_char_p, [c_int])
    _type_of = declare("csig_pval_type_of", c_int, [VP])
    _type_name = declare("csig_pval_type_name", c_char_p, [c_int])
    _string = declare("csig_pval_string", c_int, [VP, P_BYTES], True)
    _int = declare("csig_pval_int", c_int, [VP, POINTER(c_int64)], True)
    _uint = declare("csig_pval_uint", c_int, [VP, POINTER(c_uint64)], True)
    _real = declare("csig_pval_real", c_int, [VP, POINTER(c_double)], True)
    _bool = declare("csig_pval_bool", c_int, [VP, POINTER(c_int)], True)
    _date_real = declare("csig_pval_date_real", c_int, [VP, POINTER(c_double)], True)
    _data = declare("csig_pval_data", c_int, [VP, P_BYTES], True)
    _uid = declare("csig_pval_uid", c_int, [VP, POINTER(c_uint64)], True)
    _count = declare("csig_pval_count", c_size_t, [VP])
    _dkey = declare("csig_pval_dict_key", VP, [VP, c_size_t])
    _dval = declare("csig_pval_dict_value", VP, [VP, c_size_t])
    _item = declare("csig_pval_array_item", VP, [VP, c_size_t])
    _to_xml = declare("csig_plist_to_xml", c_int, [VP, VP, PP, POINTER(c_size_t), P_ERR], True)
    _to_text = declare("csig_plist_to_text", c_int, [VP, VP, PP, POINTER(c_size_t), P_ERR], True)
    _to_json = declare("csig_plist_to_json", c_int,
                       [VP, VP, c_int, PP, POINTER(c_size_t), P_ERR], True)
    _ent_parse = declare("csig_ent_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
    _ent_magic = declare("csig_ent_magic", c_uint32, [VP])
    _ent_compare = declare("csig_ent_compare", c_int, [PP, VP, VP, P_ERR], True)
    _diff_count = declare("csig_ent_diff_count", c_size_t, [VP])
    _diff_get = declare("csig_ent_diff_get", c_int,
                        [VP, c_size_t, POINTER(c_int), POINTER(c_char_p), PP, PP], True)
    _diff_kind_name = declare("csig_ent_diff_kind_name", c_char_p, [c_int])
    _diff_free = declare("csig_ent_diff_free", None, [VP])
    _free_text = declare("csig_free", None, [VP])
    _offset = declare("csig_pval_offset", c_uint64, [VP])
    _date = declare("csig_pval_date", c_int, [VP, POINTER(c_int64)], True)
    _cstr = declare("csig_pval_cstr", c_char_p, [VP, POINTER(c_size_t)])
    _dict_get = declare("csig_pval_dict_get", VP, [VP, c_char_p])
    _dict_getn = declare("csig_pval_dict_getn", VP, [VP, c_char_p, c_size_t])
    _ent_get = declare("csig_ent_get", VP, [VP, c_char_p])
    _ent_get_bool = declare("csig_ent_get_bool", c_int, [VP, c_char_p, POINTER(c_int)], True)
    _ent_get_string = declare("csig_ent_get_string", c_int, [VP, c_char_p, P_BYTES], True)
    _ent_get_int = declare("csig_ent_get_int", c_int, [VP, c_char_p, POINTER(c_int64)], True)
    _ent_is_true = declare("csig_ent_is_true", c_int, [VP, c_char_p])


class Uid(int):
    """A binary-plist UID (NSKeyedArchiver reference)."""


class PlistFinding(NamedTuple):
    code: int
    name: str
    offset: int
    message: str


class EntDiff(NamedTuple):
    kind: int
    kind_name: str
    path: str


def _require() -> None:
    if not available:
        raise NotImplementedError("the loaded libcsig has no plist/entitlements API")


class Plist(Handle):
    """A parsed property list (``csig_plist``).  ``value`` converts the
    tree to Python objects through the library's typed getters."""

    def __init__(self, ptr: int) -> None:
        Handle.__init__(self, ptr, _free)

    @classmethod
    def _borrowed(cls, ptr: int, owner: Handle) -> "Plist":
        """A view of a document owned by @owner (a MachO, Profile, ...)."""
        self = cls.__new__(cls)
        Handle.__init__(self, ptr, None, owner)
        return self

    @classmethod
    def parse(cls, data: bytes, formats: int = ANY, max_depth: int = 0,
              max_count: int = 0) -> "Plist":
        """Parse XML, binary or DER plist bytes (copied by the library)."""
        _require()
        data = bytes(data)
        out = c_void_p()
        _parse(byref(out), data, len(data), formats,
               OpenOptions(1, 0, max_depth, max_count), CsigError_())
        return cls(out.value)

    @classmethod
    def from_entitlements(cls, blob: bytes) -> "Plist":
        """Parse an entitlements / launch-constraint blob (0xfade7171,
        0xfade7172, 0xfade8181), header included."""
        _require()
        blob = bytes(blob)
        out = c_void_p()
        _ent_parse(byref(out), blob, len(blob), None, CsigError_())
        return cls(out.value)

    @property
    def format(self) -> str:
        with self.use() as d:
            return FORMATS.get(_format(d), "?")

    @property
    def magic(self) -> int:
        """Blob magic for entitlements documents, else 0."""
        with self.use() as d:
            return int(_ent_magic(d))

    @property
    def source(self) -> bytes:
        with self.use() as d:
            return _source(d).copy()

    @property
    def findings(self) -> List[PlistFinding]:
        out = []
        with self.use() as d:
            for i in range(_fcount(d)):
                code, off, msg = c_int(), c_uint64(), c_char_p()
                _finding(d, i, byref(code), byref(off), byref(msg))
                out.append(PlistFinding(code.value, decode(_fname(code.value)) or "",
                                        off.value, decode(msg.value) or ""))
        return out

    def _text(self, fn, *extra) -> str:
        out, n = c_void_p(), c_size_t()
        with self.use() as d:
            fn(d, None, *extra, byref(out), byref(n), CsigError_())
        return take_text(out, n, _free_text)

    def to_xml(self) -> str:
        return self._text(_to_xml)

    def to_text(self) -> str:
        return self._text(_to_text)

    def to_json(self, pretty: bool = True) -> str:
        return self._text(_to_json, 1 if pretty else 0)

    @property
    def value(self) -> Any:
        """The document as dict/list/str/int/float/bool/datetime/bytes/Uid."""
        with self.use() as d:
            return _convert(_root(d))

    @property
    def root(self) -> "PValue":
        """The root node (a :class:`PValue` view)."""
        with self.use() as d:
            return PValue(self, _root(d))

    def get(self, key: str) -> Any:
        """Python value of top-level @key (csig_ent_get), or None."""
        with self.use() as d:
            v = _ent_get(d, key.encode("utf-8"))
            return _convert(v) if v else None

    def node(self, key: str) -> Optional["PValue"]:
        """Top-level @key as a :class:`PValue`, or None."""
        with self.use() as d:
            v = _ent_get(d, key.encode("utf-8"))
        return PValue(self, v) if v else None

    def get_bool(self, key: str) -> Optional[bool]:
        """Boolean top-level @key; None when absent; BadValueError when
        another type."""
        out = c_int()
        with self.use() as d:
            try:
                _ent_get_bool(d, key.encode("utf-8"), byref(out))
            except NotFoundError:
                return None
        return bool(out.value)

    def get_string(self, key: str) -> Optional[str]:
        """String top-level @key; None when absent."""
        out = CsigBytes()
        with self.use() as d:
            try:
                _ent_get_string(d, key.encode("utf-8"), byref(out))
            except NotFoundError:
                return None
            return out.copy().decode("utf-8", "surrogateescape")

    def get_int(self, key: str) -> Optional[int]:
        """Integer top-level @key; None when absent."""
        out = c_int64()
        with self.use() as d:
            try:
                _ent_get_int(d, key.encode("utf-8"), byref(out))
            except NotFoundError:
                return None
        return out.value

    def is_true(self, key: str) -> bool:
        """True when top-level @key is the boolean true."""
        with self.use() as d:
            return bool(_ent_is_true(d, key.encode("utf-8")))


class PValue:
    """A node of a parsed plist (``csig_pval``), borrowed from its
    :class:`Plist` (or a :class:`Profile`), which it keeps alive."""

    __slots__ = ("_doc", "_p")

    def __init__(self, doc: Handle, ptr: int) -> None:
        self._doc = doc
        self._p = ptr

    @property
    def type(self) -> int:
        with self._doc.use():
            return int(_type_of(self._p))

    @property
    def type_name(self) -> str:
        return decode(_type_name(self.type)) or "?"

    @property
    def offset(self) -> int:
        """Input offset where the node starts."""
        with self._doc.use():
            return int(_offset(self._p))

    @property
    def value(self) -> Any:
        """The subtree as Python objects (see :attr:`Plist.value`)."""
        with self._doc.use():
            return _convert(self._p)

    @property
    def cstr(self) -> Optional[str]:
        """A string node's text (csig_pval_cstr), else None."""
        n = c_size_t()
        with self._doc.use():
            s = _cstr(self._p, byref(n))
            if s is None:
                return None
            return ctypes.string_at(s, n.value).decode("utf-8", "surrogateescape")

    @property
    def date(self) -> Optional[int]:
        """A date node as whole Unix seconds (csig_pval_date), else None."""
        out = c_int64()
        with self._doc.use():
            try:
                _date(self._p, byref(out))
            except CsigError:
                return None
        return out.value

    def __len__(self) -> int:
        with self._doc.use():
            return int(_count(self._p))

    def get(self, key: Union[str, bytes]) -> Optional["PValue"]:
        """Dictionary entry @key (last duplicate wins), or None."""
        k = key.encode("utf-8") if isinstance(key, str) else bytes(key)
        with self._doc.use():
            v = _dict_getn(self._p, k, len(k)) if b"\0" in k else _dict_get(self._p, k)
        return PValue(self._doc, v) if v else None

    def __getitem__(self, key: Union[int, str, bytes]) -> "PValue":
        if isinstance(key, int):
            with self._doc.use():
                v = _item(self._p, key) if key >= 0 else None
        else:
            found = self.get(key)
            v = found._p if found is not None else None
        if not v:
            raise KeyError(key)
        return PValue(self._doc, v)

    def keys(self) -> List[str]:
        with self._doc.use():
            return [_convert(_dkey(self._p, i)) for i in range(_count(self._p))]

    def __repr__(self) -> str:
        return "<csig.PValue %s at %d>" % (self.type_name, self.offset)

    def compare(self, der: "Plist") -> List[EntDiff]:
        """Where this (XML) entitlements document and @der disagree."""
        out = c_void_p()
        with self.use() as a, der.use() as b:
            _ent_compare(byref(out), a, b, CsigError_())
            try:
                res = []
                for i in range(_diff_count(out)):
                    kind, path = c_int(), c_char_p()
                    _diff_get(out, i, byref(kind), byref(path), None, None)
                    res.append(EntDiff(kind.value, decode(_diff_kind_name(kind.value)) or "",
                                       decode(path.value) or ""))
                return res
            finally:
                _diff_free(out)


def _convert(v: Optional[int]) -> Any:
    t = _type_of(v)
    if t == 1:
        return {_convert(_dkey(v, i)): _convert(_dval(v, i)) for i in range(_count(v))}
    if t == 2:
        return [_convert(_item(v, i)) for i in range(_count(v))]
    if t == 3:
        b = CsigBytes()
        _string(v, byref(b))
        return b.copy().decode("utf-8", "surrogateescape")
    if t == 4:
        i64 = c_int64()
        try:
            _int(v, byref(i64))
            return i64.value
        except Exception:
            u64 = c_uint64()
            _uint(v, byref(u64))
            return u64.value
    if t == 5:
        d = c_double()
        _real(v, byref(d))
        return d.value
    if t == 6:
        b_ = c_int()
        _bool(v, byref(b_))
        return bool(b_.value)
    if t == 7:
        d = c_double()
        _date_real(v, byref(d))
        return datetime.datetime.fromtimestamp(d.value, datetime.timezone.utc)
    if t == 8:
        b = CsigBytes()
        _data(v, byref(b))
        return b.copy()
    if t == 9:
        u = c_uint64()
        _uid(v, byref(u))
        return Uid(u.value)
    return None
