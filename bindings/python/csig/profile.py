"""Provisioning profiles (csig/profile.h).

>>> p = csig.Profile("embedded.mobileprovision")          # doctest: +SKIP
>>> p.name, p.kind, p.expiration_date
>>> r = p.check()                                          # now; or at=datetime/"2021-01-01"
>>> r.verdict, r.days_to_expiry, [f.id for f in r.findings]
"""

from __future__ import annotations

import os
import time
from ctypes import POINTER, byref, c_char_p, c_int, c_int64, c_size_t, c_void_p
from typing import Any, List, NamedTuple, Optional, Union

from ._handle import Handle, take_text
from ._lib import P_ERR, P_OPTS, PP, CsigBytes, CsigError_, OpenOptions, decode, declare
from ._lib import Finding_
from ._time import from_unix, to_unix
from .errors import NotFoundError  # type: ignore[attr-defined]
from .macho import Finding, Slice

VP = c_void_p
P_SIZE = POINTER(c_size_t)
P_I64 = POINTER(c_int64)
P_CHARP = POINTER(c_char_p)

_parse = declare("csig_profile_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
_free = declare("csig_profile_free", None, [VP])
_container = declare("csig_profile_container", c_int, [VP])
_is_signed = declare("csig_profile_is_signed", c_int, [VP])
_cms = declare("csig_profile_cms", VP, [VP])
_plist = declare("csig_profile_plist", VP, [VP])
_root = declare("csig_profile_root", VP, [VP])
_malformed_reason = declare("csig_profile_malformed_reason", c_char_p, [VP])
_str = {n: declare("csig_profile_" + n, c_char_p, [VP])
        for n in ("name", "uuid", "app_id_name", "team_name")}
_arr = {n: (declare("csig_profile_%s_count" % n, c_size_t, [VP]),
            declare("csig_profile_" + n, c_char_p, [VP, c_size_t]))
        for n in ("app_id_prefix", "team_id", "platform", "device")}
_has_devices = declare("csig_profile_has_devices", c_int, [VP])
_i64 = {n: declare("csig_profile_" + n, c_int, [VP, P_I64], True)
        for n in ("creation_date", "expiration_date", "time_to_live", "version")}
_is_xcode_managed = declare("csig_profile_is_xcode_managed", c_int, [VP])
_provisions_all = declare("csig_profile_provisions_all_devices", c_int, [VP])
_entitlements = declare("csig_profile_entitlements", VP, [VP])
_cert_count = declare("csig_profile_cert_count", c_size_t, [VP])
_cert = declare("csig_profile_cert", VP, [VP, c_size_t])
_cert_data = declare("csig_profile_cert_data", CsigBytes, [VP, c_size_t])
_cert_status = declare("csig_profile_cert_status", c_int, [VP, c_size_t, P_CHARP])
_has_der = declare("csig_profile_has_der_profile", c_int, [VP])
_der = declare("csig_profile_der_profile", CsigBytes, [VP])
_kind_of = declare("csig_profile_kind_of", c_int, [VP])
_kind_name = declare("csig_profile_kind_name", c_char_p, [c_int])
_verdict_name = declare("csig_profile_verdict_name", c_char_p, [c_int])
_check = declare("csig_profile_check", c_int, [VP, c_int64, PP, P_ERR], True)
_res_free = declare("csig_profile_result_free", None, [VP])
_res_verdict = declare("csig_profile_result_verdict", c_int, [VP])
_res_at = declare("csig_profile_result_at", c_int64, [VP])
_res_days = declare("csig_profile_result_days_to_expiry", c_int64, [VP])
_res_cms = declare("csig_profile_result_cms", VP, [VP])
_res_fcount = declare("csig_profile_result_finding_count", c_size_t, [VP])
_res_finding = declare("csig_profile_result_finding", POINTER(Finding_), [VP, c_size_t])
_match = declare("csig_profile_match", c_int, [VP, VP, PP, P_ERR], True)
_match_free = declare("csig_profile_match_free", None, [VP])
_match_ok = declare("csig_profile_match_ok", c_int, [VP])
_match_count = declare("csig_profile_match_count", c_size_t, [VP])
_match_item = declare("csig_profile_match_item", c_int,
                      [VP, c_size_t, P_CHARP, POINTER(c_int), P_CHARP, P_CHARP,
                       P_CHARP, P_CHARP], True)
_json = declare("csig_profile_json", c_int, [VP, c_int64, c_int, PP, P_SIZE, P_ERR], True)
_match_json = declare("csig_profile_match_json", c_int, [VP, c_int, PP, P_SIZE, P_ERR], True)
_free_mem = declare("csig_free", None, [VP])

JSON_PRETTY = 0x1
_INT64_MIN = -(1 << 63)

#: csig_profile_container_type
CONTAINERS = {1: "cms", 2: "bare-xml", 3: "bare-binary"}


def kind_name(kind: int) -> str:
    return decode(_kind_name(kind)) or "unknown"


def verdict_name(verdict: int) -> str:
    return decode(_verdict_name(verdict)) or "?"


def _now_or(at: Any) -> int:
    t = to_unix(at)
    return int(time.time()) if t is None else t


class CertEntry(NamedTuple):
    """One DeveloperCertificates entry: the parsed certificate (None when
    it does not decode), its raw bytes, and the status code and sentence
    of the failed parse (0 / None when it decoded)."""

    certificate: Optional[Any]
    data: bytes
    status: int
    message: Optional[str]


class MatchRow(NamedTuple):
    """One check of :meth:`Profile.match`; actual/allowed are compact JSON
    text from the library (None when not applicable)."""

    id: str
    ok: bool
    key: Optional[str]
    actual: Optional[str]
    allowed: Optional[str]
    message: Optional[str]


class ProfileResult:
    """Outcome of :meth:`Profile.check`, read at once."""

    def __init__(self, profile: "Profile", ptr: int, pptr: int) -> None:
        from .cms import _cms_to_json, _result
        from ._handle import take_cstr
        try:
            self.verdict_code: int = int(_res_verdict(ptr))
            self.verdict: str = verdict_name(self.verdict_code)
            self.at: int = int(_res_at(ptr))
            d = int(_res_days(ptr))
            #: whole days to ExpirationDate (None without a date)
            self.days_to_expiry: Optional[int] = None if d == _INT64_MIN else d
            self.findings: List[Finding] = [Finding._from_c(_res_finding(ptr, i))
                                            for i in range(_res_fcount(ptr))]
            c = _res_cms(ptr)
            chain = len(profile.cms.chain) if c and profile.cms is not None else 0
            #: the CMS verification (a csig.cms.CmsResult), None when unsigned
            js = ""
            if c:
                text = c_void_p()
                _cms_to_json(_cms(pptr), c, 1, byref(text), CsigError_())
                js = take_cstr(text, _free_mem)
            self.cms = _result(c, chain, js) if c else None
        finally:
            _res_free(ptr)

    @property
    def valid(self) -> bool:
        return self.verdict_code == 0

    def __bool__(self) -> bool:
        return self.valid

    def __repr__(self) -> str:
        return "<csig.ProfileResult %s, %d finding(s)>" % (self.verdict, len(self.findings))


class MatchResult:
    """Outcome of :meth:`Profile.match`: ``ok``, ``rows`` and ``json``."""

    def __init__(self, ptr: int) -> None:
        try:
            self.ok: bool = bool(_match_ok(ptr))
            self.rows: List[MatchRow] = []
            for i in range(_match_count(ptr)):
                id_, key, act, allw, msg = (c_char_p() for _ in range(5))
                ok = c_int()
                _match_item(ptr, i, byref(id_), byref(ok), byref(key), byref(act),
                            byref(allw), byref(msg))
                self.rows.append(MatchRow(decode(id_.value) or "", bool(ok.value),
                                          decode(key.value), decode(act.value),
                                          decode(allw.value), decode(msg.value)))
            out, n = c_void_p(), c_size_t()
            _match_json(ptr, JSON_PRETTY, byref(out), byref(n), CsigError_())
            #: the library's JSON ({"ok":..., "checks":[...]})
            self.json: str = take_text(out, n, _free_mem)
        finally:
            _match_free(ptr)

    def __bool__(self) -> bool:
        return self.ok

    def __iter__(self):
        return iter(self.rows)

    def __repr__(self) -> str:
        return "<csig.MatchResult %s, %d row(s)>" % ("ok" if self.ok else "MISMATCH",
                                                    len(self.rows))


class Profile(Handle):
    """A provisioning profile (``csig_profile``): CMS-signed or a bare plist.

    ``Profile(path)`` reads the file; :meth:`from_bytes` parses bytes
    (copied by the library).  Getters are properties; dates are aware UTC
    datetimes; certificates are :class:`csig.Certificate`.
    """

    def __init__(self, path: Union[str, bytes, "os.PathLike[str]"], *,
                 max_depth: int = 0, max_count: int = 0) -> None:
        self.path: Optional[str] = os.fsdecode(os.fspath(path))
        with open(path, "rb") as f:
            data = f.read()
        self._open(data, max_depth, max_count)

    @classmethod
    def from_bytes(cls, data: bytes, *, max_depth: int = 0, max_count: int = 0) -> "Profile":
        self = cls.__new__(cls)
        self.path = None
        self._open(bytes(data), max_depth, max_count)
        return self

    def _open(self, data: bytes, max_depth: int, max_count: int) -> None:
        out = c_void_p()
        _parse(byref(out), data, len(data), OpenOptions(1, 0, max_depth, max_count),
               CsigError_())
        Handle.__init__(self, out.value, _free)
        self._cms_obj: Any = None
        self._cms_done = False

    def close(self) -> None:
        """Release the profile (idempotent); its cached CMS view goes too,
        other views still pin it until they go."""
        cms = getattr(self, "_cms_obj", None)
        if cms is not None:
            self._cms_obj, self._cms_done = None, True
            cms.close()
        Handle.close(self)

    def __repr__(self) -> str:
        if self.closed:
            return "<csig.Profile closed>"
        return "<csig.Profile %r %s>" % (self.name, self.kind)

    def _s(self, fn) -> Any:
        with self.use() as p:
            return fn(p)

    # ---- container ----
    @property
    def container(self) -> str:
        """"cms", "bare-xml" or "bare-binary"."""
        return CONTAINERS.get(self._s(_container), "?")

    @property
    def signed(self) -> bool:
        return bool(self._s(_is_signed))

    @property
    def cms(self):
        """The CMS (a borrowed :class:`csig.Cms`), or None for a bare plist."""
        if self.closed:
            raise ValueError("Profile is closed")
        if not self._cms_done:
            from .cms import Cms
            p = self._s(_cms)
            self._cms_obj = Cms._borrowed(p, self) if p else None
            self._cms_done = True
        return self._cms_obj

    @property
    def plist(self):
        """The whole document as a borrowed :class:`csig.Plist`, or None."""
        from .plist import Plist
        p = self._s(_plist)
        return Plist._borrowed(p, self) if p else None

    @property
    def root(self):
        """The plist root as a :class:`csig.PValue`, or None."""
        from .plist import PValue
        p = self._s(_root)
        return PValue(self, p) if p else None

    @property
    def malformed_reason(self) -> Optional[str]:
        return decode(self._s(_malformed_reason))

    # ---- keys ----
    name = property(lambda self: decode(self._s(_str["name"])), doc="Name")
    uuid = property(lambda self: decode(self._s(_str["uuid"])), doc="UUID")
    app_id_name = property(lambda self: decode(self._s(_str["app_id_name"])),
                           doc="AppIDName")
    team_name = property(lambda self: decode(self._s(_str["team_name"])), doc="TeamName")

    def _list(self, key: str) -> List[Optional[str]]:
        count, item = _arr[key]
        with self.use() as p:
            return [decode(item(p, i)) for i in range(count(p))]

    app_id_prefixes = property(lambda self: self._list("app_id_prefix"),
                               doc="ApplicationIdentifierPrefix")
    team_ids = property(lambda self: self._list("team_id"), doc="TeamIdentifier")
    platforms = property(lambda self: self._list("platform"), doc="Platform")

    @property
    def devices(self) -> Optional[List[Optional[str]]]:
        """ProvisionedDevices UDIDs, None when the key is absent."""
        if not self._s(_has_devices):
            return None
        return self._list("device")

    @property
    def has_devices(self) -> bool:
        return bool(self._s(_has_devices))

    def _int(self, key: str) -> Optional[int]:
        v = c_int64()
        with self.use() as p:
            try:
                _i64[key](p, byref(v))
            except NotFoundError:
                return None
        return v.value

    creation_date = property(lambda self: from_unix(self._int("creation_date")),
                             doc="CreationDate (UTC datetime) or None")
    expiration_date = property(lambda self: from_unix(self._int("expiration_date")),
                               doc="ExpirationDate (UTC datetime) or None")
    creation_time = property(lambda self: self._int("creation_date"),
                             doc="CreationDate in Unix seconds or None")
    expiration_time = property(lambda self: self._int("expiration_date"),
                               doc="ExpirationDate in Unix seconds or None")
    time_to_live = property(lambda self: self._int("time_to_live"), doc="TimeToLive (days)")
    version = property(lambda self: self._int("version"), doc="Version")

    @staticmethod
    def _tri(v: int) -> Optional[bool]:
        return None if v < 0 else bool(v)

    is_xcode_managed = property(lambda self: self._tri(self._s(_is_xcode_managed)),
                                doc="IsXcodeManaged, None when absent")
    provisions_all_devices = property(lambda self: self._tri(self._s(_provisions_all)),
                                      doc="ProvisionsAllDevices, None when absent")

    @property
    def entitlements(self) -> Optional[dict]:
        """The Entitlements dictionary as Python objects, or None."""
        from .plist import _convert
        with self.use() as p:
            v = _entitlements(p)
            return _convert(v) if v else None

    @property
    def entitlements_node(self):
        """The Entitlements dictionary as a :class:`csig.PValue`, or None."""
        from .plist import PValue
        p = self._s(_entitlements)
        return PValue(self, p) if p else None

    @property
    def certificate_entries(self) -> List[CertEntry]:
        """Every DeveloperCertificates entry, decodable or not."""
        from .cms import Certificate
        out = []
        with self.use() as p:
            for i in range(_cert_count(p)):
                c = _cert(p, i)
                msg = c_char_p()
                st = int(_cert_status(p, i, byref(msg)))
                out.append(CertEntry(Certificate(c, self) if c else None,
                                     _cert_data(p, i).copy(), st,
                                     decode(msg.value) if st else None))
        return out

    @property
    def certificates(self) -> List[Any]:
        """The DeveloperCertificates that decode, as :class:`csig.Certificate`."""
        return [e.certificate for e in self.certificate_entries if e.certificate]

    @property
    def der_profile(self) -> Optional[bytes]:
        """DER-Encoded-Profile bytes, None when absent."""
        with self.use() as p:
            return _der(p).copy() if _has_der(p) else None

    @property
    def kind_code(self) -> int:
        return int(self._s(_kind_of))

    @property
    def kind(self) -> str:
        """"development", "ad-hoc", "app-store", "enterprise",
        "developer-id" or "unknown"."""
        return kind_name(self.kind_code)

    # ---- judging ----
    def check(self, at: Any = None) -> ProfileResult:
        """Judge the profile at @at (datetime, Unix seconds, date text; now
        by default): verdict, days to expiry, findings."""
        out = c_void_p()
        with self.use() as p:
            _check(p, _now_or(at), byref(out), CsigError_())
            return ProfileResult(self, out.value, p)

    def match(self, slice: Slice) -> MatchResult:
        """Check that a signed Mach-O @slice fits this profile (team,
        certificate, application identifier, entitlements, platform)."""
        out = c_void_p()
        with self.use() as p, slice.file.use():
            _match(p, slice._p, byref(out), CsigError_())
            return MatchResult(out.value)

    def json(self, at: Any = None, pretty: bool = True) -> str:
        """The library's JSON of the profile with its verdict at @at."""
        out, n = c_void_p(), c_size_t()
        with self.use() as p:
            _json(p, _now_or(at), JSON_PRETTY if pretty else 0, byref(out), byref(n),
                  CsigError_())
        return take_text(out, n, _free_mem)

    def scan_record(self, path: Any = None, at: Any = None, pretty: bool = False) -> str:
        """The library's "profile" scan record judged at @at (now)."""
        from .scan import profile_json
        return profile_json(self, self.path if path is None else path, at, pretty)

    def to_dict(self, at: Any = None) -> dict:
        import json
        return json.loads(self.json(at, pretty=False))


__all__ = ["Profile", "ProfileResult", "MatchResult", "MatchRow", "CertEntry",
           "kind_name", "verdict_name"]
