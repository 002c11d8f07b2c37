"""Code requirements (csig/req.h): decode, decompile, compile, evaluate.

>>> r = csig.Requirement.from_text('identifier "com.example" and anchor apple')  # doctest: +SKIP
>>> r.text
'identifier "com.example" and anchor apple'
>>> with csig.open(path) as m:                                                  # doctest: +SKIP
...     res = m.slices[0].check_requirement("anchor apple generic")
...     res.verdict, res.trace[0]
"""

from __future__ import annotations

import ctypes
import datetime
from ctypes import (POINTER, Structure, byref, c_char_p, c_int, c_int64,
                    c_size_t, c_uint, c_uint8, c_uint32, c_void_p)
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from ._handle import Handle, take_bytes, take_text
from ._lib import P_ERR, P_OPTS, PP, CsigBytes, CsigError_, OpenOptions, decode, declare

VP = c_void_p

#: Requirement types (CSIG_REQ_TYPE_*), the index type in a set.
TYPE_HOST, TYPE_GUEST, TYPE_DESIGNATED, TYPE_LIBRARY, TYPE_PLUGIN = 1, 2, 3, 4, 5
#: Requirement blob kinds.
KIND_EXPR, KIND_LWCR = 1, 2
#: Verdicts (csig_req_verdict).
NOT_SATISFIED, SATISFIED, INDETERMINATE = 0, 1, 2

# ---- structures of csig_req_ctx ----


class ReqValue_(Structure):
    pass


ReqValue_._fields_ = [("type", c_int), ("str", c_void_p), ("len", c_size_t),
                      ("boolean", c_int), ("number", c_int64), ("date", c_int64),
                      ("items", POINTER(ReqValue_)), ("n_items", c_size_t)]


class ReqAttr_(Structure):
    _fields_ = [("name", c_char_p), ("value", c_void_p), ("value_len", c_size_t)]


class ReqExt_(Structure):
    _fields_ = [("oid", CsigBytes), ("has_date", c_int), ("date", c_int64)]


class ReqCert_(Structure):
    _fields_ = [("has_sha1", c_int), ("sha1", c_uint8 * 20),
                ("subject", POINTER(ReqAttr_)), ("n_subject", c_size_t),
                ("extensions", POINTER(ReqExt_)), ("n_extensions", c_size_t),
                ("policies", POINTER(CsigBytes)), ("n_policies", c_size_t)]


class ReqEntry_(Structure):
    _fields_ = [("key", c_char_p), ("value", ReqValue_)]


class ReqCtx_(Structure):
    _fields_ = [("version", c_uint), ("identifier", c_char_p), ("team_id", c_char_p),
                ("platform", c_uint32), ("cdhashes", c_void_p), ("n_cdhashes", c_size_t),
                ("certs", POINTER(ReqCert_)), ("n_certs", c_size_t),
                ("anchor_is_apple", c_int), ("apple_anchor", c_int),
                ("info", POINTER(ReqEntry_)), ("n_info", c_size_t),
                ("info_lookup", c_void_p), ("info_user", c_void_p),
                ("entitlements", POINTER(ReqEntry_)), ("n_entitlements", c_size_t),
                ("entitlement_lookup", c_void_p), ("entitlement_user", c_void_p)]


CTX_VERSION = 1
P_SIZE = POINTER(c_size_t)

_parse = declare("csig_req_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
_free = declare("csig_req_free", None, [VP])
_kind = declare("csig_req_kind", c_uint32, [VP])
_raw = declare("csig_req_raw", CsigBytes, [VP])
_lwcr_der = declare("csig_req_lwcr_der", CsigBytes, [VP])
_to_text = declare("csig_req_to_text", c_int, [VP, PP, P_SIZE, P_ERR], True)
_set_parse = declare("csig_reqset_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
_set_free = declare("csig_reqset_free", None, [VP])
_set_count = declare("csig_reqset_count", c_size_t, [VP])
_set_type = declare("csig_reqset_type", c_uint32, [VP, c_size_t])
_set_get = declare("csig_reqset_get", VP, [VP, c_size_t])
_set_find = declare("csig_reqset_find", VP, [VP, c_uint32])
_set_raw = declare("csig_reqset_raw", CsigBytes, [VP])
_set_to_text = declare("csig_reqset_to_text", c_int, [VP, PP, P_SIZE, P_ERR], True)
_type_name = declare("csig_req_type_name", c_char_p, [c_uint32])
_compile = declare("csig_req_compile", c_int,
                   [c_char_p, c_size_t, PP, P_SIZE, POINTER(c_int), P_ERR], True)
_verdict_name = declare("csig_req_verdict_name", c_char_p, [c_int])
_eval = declare("csig_req_eval", c_int, [VP, POINTER(ReqCtx_), PP, P_ERR], True)
_res_verdict = declare("csig_req_result_verdict", c_int, [VP])
_res_count = declare("csig_req_result_trace_count", c_size_t, [VP])
_res_clause = declare("csig_req_result_trace_clause", c_char_p, [VP, c_size_t])
_res_actual = declare("csig_req_result_trace_actual", c_char_p, [VP, c_size_t])
_res_expected = declare("csig_req_result_trace_expected", c_char_p, [VP, c_size_t])
_res_reason = declare("csig_req_result_trace_reason", c_char_p, [VP, c_size_t])
_res_tverdict = declare("csig_req_result_trace_verdict", c_int, [VP, c_size_t])
_res_free = declare("csig_req_result_free", None, [VP])
_free_mem = declare("csig_free", None, [VP])


def type_name(t: int) -> Optional[str]:
    """"host", "guest", "designated", "library", "plugin", "invalid", or None."""
    return decode(_type_name(t))


def verdict_name(v: int) -> str:
    """"satisfied", "not satisfied", "indeterminate" ("?" otherwise)."""
    return decode(_verdict_name(v)) or "?"


_TYPES = {"host": 1, "guest": 2, "designated": 3, "library": 4, "plugin": 5}


def compile_requirement(text: Union[str, bytes], with_kind: bool = False):
    """Compile requirement text with the library's compiler into Apple's
    binary form: one requirement (0xfade0c00) or, for ``type => ...``
    text, a requirement set (0xfade0c01).  With @with_kind, returns
    ``(blob, is_set)``.  Raises :class:`csig.SyntaxError` (the message has
    line:column, ``offset`` the byte offset) on bad text."""
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    out = c_void_p()
    n = c_size_t()
    is_set = c_int()
    _compile(data, len(data), byref(out), byref(n), byref(is_set), CsigError_())
    blob = take_bytes(out, n.value, _free_mem)
    return (blob, bool(is_set.value)) if with_kind else blob


def _opts(max_depth: int) -> OpenOptions:
    return OpenOptions(1, 0, max_depth, 0)


class Requirement(Handle):
    """One code requirement (``csig_req``), parsed or borrowed from a
    :class:`RequirementSet`."""

    @classmethod
    def from_bytes(cls, blob: bytes, max_depth: int = 0) -> "Requirement":
        """Decode a 0xfade0c00 blob (copied by the library)."""
        blob = bytes(blob)
        out = c_void_p()
        _parse(byref(out), blob, len(blob), _opts(max_depth), CsigError_())
        self = cls.__new__(cls)
        Handle.__init__(self, out.value, _free)
        return self

    @classmethod
    def from_text(cls, text: Union[str, bytes]) -> "Requirement":
        """Compile @text (one requirement, not a ``type => ...`` set)."""
        blob, is_set = compile_requirement(text, with_kind=True)
        if is_set:
            raise ValueError("requirement text is a set; use csig.RequirementSet.from_text")
        return cls.from_bytes(blob)

    @classmethod
    def _borrowed(cls, ptr: int, owner: Handle) -> "Requirement":
        self = cls.__new__(cls)
        Handle.__init__(self, ptr, None, owner)
        return self

    @property
    def kind(self) -> int:
        """KIND_EXPR (1) or KIND_LWCR (2)."""
        with self.use() as r:
            return int(_kind(r))

    @property
    def raw(self) -> bytes:
        """The whole blob, header included."""
        with self.use() as r:
            return _raw(r).copy()

    def bytes(self) -> bytes:
        return self.raw

    @property
    def lwcr_der(self) -> bytes:
        """DER payload of a kind-2 requirement (b"" for kind 1)."""
        with self.use() as r:
            return _lwcr_der(r).copy()

    @property
    def text(self) -> str:
        """Apple's decompiled text (``codesign -d -r-``)."""
        out, n = c_void_p(), c_size_t()
        with self.use() as r:
            _to_text(r, byref(out), byref(n), CsigError_())
        return take_text(out, n, _free_mem)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        if self.closed:
            return "<csig.Requirement closed>"
        return "<csig.Requirement %r>" % self.text

    def evaluate(self, identifier: Optional[str] = None, team_id: Optional[str] = None,
                 platform: int = 0, cdhashes: Sequence[bytes] = (),
                 certs: Sequence["ReqCert"] = (), anchor_is_apple: bool = False,
                 apple_anchor: Optional[bool] = None,
                 info: Optional[Dict[str, Any]] = None,
                 entitlements: Optional[Dict[str, Any]] = None) -> "ReqResult":
        """Judge this requirement against facts you supply (csig_req_eval).

        @cdhashes: 20-byte cdhashes; @certs: the chain, leaf first, as
        :class:`ReqCert`; @apple_anchor: True/False forces ``anchor apple``,
        None derives it from the certificates.  @info / @entitlements map
        top-level keys to str, bytes, bool, int, datetime, lists of those,
        or dicts (which only satisfy ``exists``).  To judge a real slice
        use :meth:`csig.Slice.check_requirement`.
        """
        keep: List[Any] = []
        ctx = ReqCtx_()
        ctx.version = CTX_VERSION
        ctx.identifier = identifier.encode() if identifier is not None else None
        ctx.team_id = team_id.encode() if team_id is not None else None
        ctx.platform = platform
        if cdhashes:
            joined = b"".join(bytes(h) for h in cdhashes)
            if len(joined) != 20 * len(cdhashes):
                raise ValueError("every cdhash must be 20 bytes")
            buf = ctypes.create_string_buffer(joined, len(joined))
            keep.append(buf)
            ctx.cdhashes = ctypes.cast(buf, c_void_p)
            ctx.n_cdhashes = len(cdhashes)
        if certs:
            arr = (ReqCert_ * len(certs))()
            for i, c in enumerate(certs):
                if isinstance(c, dict):
                    c = ReqCert(**c)
                elif not isinstance(c, ReqCert):
                    c = ReqCert(*c)
                _fill_cert(arr[i], c, keep)
            keep.append(arr)
            ctx.certs = arr
            ctx.n_certs = len(certs)
        ctx.anchor_is_apple = 1 if anchor_is_apple else 0
        ctx.apple_anchor = 0 if apple_anchor is None else (2 if apple_anchor else 1)
        if info:
            ctx.info, ctx.n_info = _entries(info, keep)
        if entitlements:
            ctx.entitlements, ctx.n_entitlements = _entries(entitlements, keep)
        out = c_void_p()
        with self.use() as r:
            _eval(r, byref(ctx), byref(out), CsigError_())
        del keep
        return ReqResult(out.value)


class RequirementSet(Handle):
    """A requirement set (``csig_reqset``, 0xfade0c01): entries by type."""

    @classmethod
    def from_bytes(cls, blob: bytes, max_depth: int = 0) -> "RequirementSet":
        blob = bytes(blob)
        out = c_void_p()
        _set_parse(byref(out), blob, len(blob), _opts(max_depth), CsigError_())
        self = cls.__new__(cls)
        Handle.__init__(self, out.value, _set_free)
        return self

    @classmethod
    def from_text(cls, text: Union[str, bytes]) -> "RequirementSet":
        """Compile ``type => requirement`` lines into a set."""
        blob, is_set = compile_requirement(text, with_kind=True)
        if not is_set:
            raise ValueError("requirement text is not a set (no 'type =>' entries)")
        return cls.from_bytes(blob)

    @classmethod
    def _borrowed(cls, ptr: int, owner: Handle) -> "RequirementSet":
        self = cls.__new__(cls)
        Handle.__init__(self, ptr, None, owner)
        return self

    def __len__(self) -> int:
        with self.use() as s:
            return int(_set_count(s))

    @property
    def raw(self) -> bytes:
        with self.use() as s:
            return _set_raw(s).copy()

    def bytes(self) -> bytes:
        return self.raw

    @property
    def text(self) -> str:
        """One ``type => requirement`` line per entry, as codesign prints."""
        out, n = c_void_p(), c_size_t()
        with self.use() as s:
            _set_to_text(s, byref(out), byref(n), CsigError_())
        return take_text(out, n, _free_mem)

    def __str__(self) -> str:
        return self.text

    @property
    def types(self) -> List[int]:
        with self.use() as s:
            return [int(_set_type(s, i)) for i in range(_set_count(s))]

    def items(self) -> List[Tuple[int, Optional[str], Requirement]]:
        """(type, type name, Requirement) per entry, in stored order."""
        out = []
        with self.use() as s:
            for i in range(_set_count(s)):
                t = int(_set_type(s, i))
                out.append((t, type_name(t), Requirement._borrowed(_set_get(s, i), self)))
        return out

    def __iter__(self):
        return iter(self.items())

    def get(self, type: Union[int, str]) -> Optional[Requirement]:
        """First requirement of @type (a number or "designated", "host",
        ...), or None."""
        t = _TYPES[type] if isinstance(type, str) else int(type)
        with self.use() as s:
            p = _set_find(s, t)
            return Requirement._borrowed(p, self) if p else None

    def __getitem__(self, type: Union[int, str]) -> Requirement:
        r = self.get(type)
        if r is None:
            raise KeyError(type)
        return r

    @property
    def designated(self) -> Optional[Requirement]:
        return self.get(TYPE_DESIGNATED)

    def __repr__(self) -> str:
        if self.closed:
            return "<csig.RequirementSet closed>"
        return "<csig.RequirementSet %s>" % [type_name(t) for t in self.types]


class TraceEntry(NamedTuple):
    """One clause of an evaluation, as the library reports it."""

    clause: str
    verdict: str
    actual: str
    expected: str
    reason: str


class ReqResult:
    """Outcome of a requirement evaluation; read at once, then freed."""

    def __init__(self, ptr: int, owned: bool = True) -> None:
        try:
            self.verdict_code: int = int(_res_verdict(ptr))
            self.verdict: str = verdict_name(self.verdict_code)
            self.trace: List[TraceEntry] = [
                TraceEntry(decode(_res_clause(ptr, i)) or "",
                           verdict_name(_res_tverdict(ptr, i)),
                           decode(_res_actual(ptr, i)) or "",
                           decode(_res_expected(ptr, i)) or "",
                           decode(_res_reason(ptr, i)) or "")
                for i in range(_res_count(ptr))]
        finally:
            if owned:
                _res_free(ptr)

    @property
    def satisfied(self) -> bool:
        return self.verdict_code == SATISFIED

    def __bool__(self) -> bool:
        return self.satisfied

    def __repr__(self) -> str:
        return "<csig.ReqResult %s, %d clause(s)>" % (self.verdict, len(self.trace))


class ReqCert(NamedTuple):
    """Facts of one certificate for :meth:`Requirement.evaluate`.

    ``subject``: (short name, value) pairs ("CN", "OU", ...); ``extensions``:
    (OID content octets, date or None) pairs; ``policies``: OID content
    octets; ``sha1``: SHA-1 of the DER or None.
    """

    sha1: Optional[bytes] = None
    subject: Sequence[Tuple[str, str]] = ()
    extensions: Sequence[Tuple[bytes, Any]] = ()
    policies: Sequence[bytes] = ()


# CFAbsoluteTime epoch (2001-01-01T00:00:00Z) in Unix seconds; the
# evaluator's dates are counted from it.
_CF_EPOCH = 978307200


def _cf_date(d: Any) -> int:
    from ._time import to_unix
    t = to_unix(d)
    assert t is not None
    return t - _CF_EPOCH


def _buf(data: bytes, keep: List[Any]) -> c_void_p:
    b = ctypes.create_string_buffer(data, len(data) or 1)
    keep.append(b)
    return ctypes.cast(b, c_void_p)


def _bytes_view(data: bytes, keep: List[Any]) -> CsigBytes:
    data = bytes(data)
    return CsigBytes(_buf(data, keep), len(data))


def _fill_cert(c: ReqCert_, f: ReqCert, keep: List[Any]) -> None:
    if f.sha1 is not None:
        if len(f.sha1) != 20:
            raise ValueError("ReqCert.sha1 must be 20 bytes")
        c.has_sha1 = 1
        ctypes.memmove(c.sha1, bytes(f.sha1), 20)
    if f.subject:
        arr = (ReqAttr_ * len(f.subject))()
        for i, (name, value) in enumerate(f.subject):
            v = value.encode("utf-8")
            nm = name.encode("ascii")
            keep.append(nm)
            arr[i].name = nm
            arr[i].value = _buf(v, keep)
            arr[i].value_len = len(v)
        keep.append(arr)
        c.subject, c.n_subject = arr, len(f.subject)
    if f.extensions:
        arr2 = (ReqExt_ * len(f.extensions))()
        for i, (oid, date) in enumerate(f.extensions):
            arr2[i].oid = _bytes_view(oid, keep)
            if date is not None:
                arr2[i].has_date = 1
                arr2[i].date = _cf_date(date)
        keep.append(arr2)
        c.extensions, c.n_extensions = arr2, len(f.extensions)
    if f.policies:
        arr3 = (CsigBytes * len(f.policies))()
        for i, oid in enumerate(f.policies):
            arr3[i] = _bytes_view(oid, keep)
        keep.append(arr3)
        c.policies, c.n_policies = arr3, len(f.policies)


def _value(v: Any, out: ReqValue_, keep: List[Any]) -> None:
    if v is None:
        out.type = 0
    elif isinstance(v, bool):
        out.type, out.boolean = 2, int(v)
    elif isinstance(v, int):
        out.type, out.number = 3, v
    elif isinstance(v, str):
        b = v.encode("utf-8")
        out.type, out.str, out.len = 1, _buf(b, keep), len(b)
    elif isinstance(v, (bytes, bytearray)):
        b = bytes(v)
        out.type, out.str, out.len = 6, _buf(b, keep), len(b)
    elif isinstance(v, (datetime.datetime, datetime.date)):
        out.type, out.date = 5, _cf_date(v)
    elif isinstance(v, (list, tuple)):
        arr = (ReqValue_ * max(len(v), 1))()
        for i, item in enumerate(v):
            _value(item, arr[i], keep)
        keep.append(arr)
        out.type, out.items, out.n_items = 4, arr, len(v)
    else:
        out.type = 7


def _entries(d: Dict[str, Any], keep: List[Any]):
    arr = (ReqEntry_ * len(d))()
    for i, (k, v) in enumerate(d.items()):
        kb = k.encode("utf-8")
        keep.append(kb)
        arr[i].key = kb
        _value(v, arr[i].value, keep)
    keep.append(arr)
    return arr, len(d)
