"""Certificates and CMS signatures (csig/x509.h, csig/cms.h).

A :class:`Cms` is usually obtained from ``Signature.cms_parsed()`` (the CMS
the library parsed when the file was opened) or ``Profile.cms``; it can
also be parsed from bytes.  Every value comes from a library getter;
nothing is decoded in Python.
"""

from __future__ import annotations

import ctypes
import datetime
import enum
import time
from ctypes import (POINTER, byref, c_char_p, c_int, c_int64, c_size_t,
                    c_uint, c_void_p)
from typing import List, NamedTuple, Optional, Tuple

from . import _lib
from ._handle import Handle, take_cstr
from ._lib import P_ERR, P_OPTS, PP, CsigBytes, CsigError_, OpenOptions, decode, declare
from ._time import from_unix, to_unix
from .errors import NotFoundError  # type: ignore[attr-defined]

available = _lib.has("csig_cms_parse") and _lib.has("csig_cert_parse")

if available:
    VP = c_void_p
    P_CHARP = POINTER(c_char_p)
    P_INT = POINTER(c_int)
    P_BYTES = POINTER(CsigBytes)
    # x509.h
    _cert_parse = declare("csig_cert_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
    _cert_free = declare("csig_cert_free", None, [VP])
    _cert_der = declare("csig_cert_der", CsigBytes, [VP])
    _cert_tbs = declare("csig_cert_tbs", CsigBytes, [VP])
    _cert_signature = declare("csig_cert_signature", CsigBytes, [VP])
    _cert_version = declare("csig_cert_version", c_int, [VP])
    _cert_serial_hex = declare("csig_cert_serial_hex", c_char_p, [VP])
    _cert_serial = declare("csig_cert_serial", CsigBytes, [VP])
    _cert_subject_cn = declare("csig_cert_subject_cn", c_char_p, [VP])
    _cert_issuer_cn = declare("csig_cert_issuer_cn", c_char_p, [VP])
    _cert_team_id = declare("csig_cert_team_id", c_char_p, [VP])
    _cert_subject_attr = declare("csig_cert_subject_attr", c_char_p, [VP, c_char_p])
    _cert_issuer_attr = declare("csig_cert_issuer_attr", c_char_p, [VP, c_char_p])
    _cert_subject_text = declare("csig_cert_subject_text", c_char_p, [VP])
    _cert_issuer_text = declare("csig_cert_issuer_text", c_char_p, [VP])
    _cert_subject_attr_count = declare("csig_cert_subject_attr_count", c_size_t, [VP])
    _cert_subject_attr_at = declare("csig_cert_subject_attr_at", c_int,
                                    [VP, c_size_t, P_CHARP, P_CHARP, P_CHARP], True)
    _cert_not_before = declare("csig_cert_not_before", c_int64, [VP])
    _cert_not_after = declare("csig_cert_not_after", c_int64, [VP])
    _cert_sha1 = declare("csig_cert_sha1", VP, [VP])
    _cert_sha256 = declare("csig_cert_sha256", VP, [VP])
    _cert_is_ca = declare("csig_cert_is_ca", c_int, [VP])
    _cert_is_self_issued = declare("csig_cert_is_self_issued", c_int, [VP])
    _cert_key_usage = declare("csig_cert_key_usage", c_int, [VP])
    _cert_key_type = declare("csig_cert_key_type", c_int, [VP])
    _cert_key_bits = declare("csig_cert_key_bits", c_uint, [VP])
    _cert_sig_alg_oid = declare("csig_cert_sig_alg_oid", c_char_p, [VP])
    _cert_sig_alg_name = declare("csig_cert_sig_alg_name", c_char_p, [VP])
    _cert_has_extension = declare("csig_cert_has_extension", c_int, [VP, c_char_p])
    _cert_extension = declare("csig_cert_extension", c_int,
                              [VP, c_char_p, P_INT, P_BYTES], True)
    _cert_extension_count = declare("csig_cert_extension_count", c_size_t, [VP])
    _cert_extension_at = declare("csig_cert_extension_at", c_int,
                                 [VP, c_size_t, P_CHARP, P_INT, P_BYTES], True)
    _cert_eku_count = declare("csig_cert_eku_count", c_size_t, [VP])
    _cert_eku = declare("csig_cert_eku", c_char_p, [VP, c_size_t])
    _cert_policy_count = declare("csig_cert_policy_count", c_size_t, [VP])
    _cert_policy = declare("csig_cert_policy", c_char_p, [VP, c_size_t])
    _cert_apple_marker_count = declare("csig_cert_apple_marker_count", c_size_t, [VP])
    _cert_apple_marker = declare("csig_cert_apple_marker", c_char_p, [VP, c_size_t, P_CHARP])
    _x509_apple_oid_name = declare("csig_x509_apple_oid_name", c_char_p, [c_char_p])
    _cert_pem = declare("csig_cert_pem", c_int, [VP, PP, P_ERR], True)
    _cert_verify_signature = declare("csig_cert_verify_signature", c_int, [VP, VP], True)

    # cms.h
    _cms_parse = declare("csig_cms_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
    _cms_free = declare("csig_cms_free", None, [VP])
    _cms_version = declare("csig_cms_version", c_int, [VP])
    _cms_content_type = declare("csig_cms_content_type", c_char_p, [VP])
    _cms_is_detached = declare("csig_cms_is_detached", c_int, [VP])
    _cms_content = declare("csig_cms_content", CsigBytes, [VP])
    _cms_digest_alg_count = declare("csig_cms_digest_alg_count", c_size_t, [VP])
    _cms_digest_alg = declare("csig_cms_digest_alg", c_char_p, [VP, c_size_t])
    _cms_cert_count = declare("csig_cms_cert_count", c_size_t, [VP])
    _cms_cert = declare("csig_cms_cert", VP, [VP, c_size_t])
    _cms_chain_count = declare("csig_cms_chain_count", c_size_t, [VP])
    _cms_chain_cert = declare("csig_cms_chain_cert", VP, [VP, c_size_t])
    _cms_signer_count = declare("csig_cms_signer_count", c_size_t, [VP])
    _sg_cert = declare("csig_cms_signer_cert", VP, [VP, c_size_t])
    _sg_digest_oid = declare("csig_cms_signer_digest_oid", c_char_p, [VP, c_size_t])
    _sg_digest_alg = declare("csig_cms_signer_digest_alg", c_int, [VP, c_size_t])
    _sg_sig_alg_oid = declare("csig_cms_signer_sig_alg_oid", c_char_p, [VP, c_size_t])
    _sg_signature = declare("csig_cms_signer_signature", CsigBytes, [VP, c_size_t])
    _sg_has_signed_attrs = declare("csig_cms_signer_has_signed_attrs", c_int, [VP, c_size_t])
    _sg_signing_time = declare("csig_cms_signer_signing_time", c_int,
                               [VP, c_size_t, POINTER(c_int64)], True)
    _sg_message_digest = declare("csig_cms_signer_message_digest", CsigBytes, [VP, c_size_t])
    _sg_content_type = declare("csig_cms_signer_content_type", c_char_p, [VP, c_size_t])
    _sg_cdhashes_plist = declare("csig_cms_signer_cdhashes_plist", CsigBytes, [VP, c_size_t])
    _sg_cdhash2_count = declare("csig_cms_signer_cdhash2_count", c_size_t, [VP, c_size_t])
    _sg_cdhash2 = declare("csig_cms_signer_cdhash2", c_int,
                          [VP, c_size_t, c_size_t, P_INT, P_CHARP, P_BYTES], True)
    _sg_timestamp = declare("csig_cms_signer_timestamp", VP, [VP, c_size_t])
    _cms_tstinfo = declare("csig_cms_tstinfo", c_int,
                           [VP, POINTER(c_int64), P_INT, P_BYTES, P_CHARP], True)
    _cms_verify = declare("csig_cms_verify", c_int, [VP, CsigBytes, c_int64, PP, P_ERR], True)
    _res_free = declare("csig_cms_result_free", None, [VP])
    _res = {n: declare("csig_cms_result_" + n, c_int, [VP]) for n in (
        "ok", "digest_ok", "signature_ok", "chain_ok", "apple_root", "expired",
        "multiple_signers", "timestamp", "timestamp_apple_root")}
    _res_link_ok = declare("csig_cms_result_link_ok", c_int, [VP, c_size_t])
    _res_days = declare("csig_cms_result_days_to_expiry", c_int64, [VP])
    _res_root_name = declare("csig_cms_result_apple_root_name", c_char_p, [VP])
    _res_fcount = declare("csig_cms_result_finding_count", c_size_t, [VP])
    _res_finding = declare("csig_cms_result_finding", c_char_p,
                           [VP, c_size_t, POINTER(c_char_p)])
    _cms_to_json = declare("csig_cms_to_json", c_int, [VP, VP, c_int, PP, P_ERR], True)
    _free_text = declare("csig_free", None, [VP])


def _require() -> None:
    if not available:
        raise NotImplementedError("the loaded libcsig has no x509/CMS API")


class KeyType(enum.IntEnum):
    """csig_key_type."""

    UNKNOWN = 0
    RSA = 1
    EC_P256 = 2
    EC_P384 = 3
    EC_OTHER = 4


class Extension(NamedTuple):
    """An X.509 extension: dotted OID, criticality, extnValue contents."""

    oid: str
    critical: bool
    value: bytes


class SubjectAttr(NamedTuple):
    """A subject attribute: dotted OID, short name (or the OID), value."""

    oid: str
    name: str
    value: str


class AppleMarker(NamedTuple):
    oid: str
    name: str


def apple_oid_name(oid: str) -> Optional[str]:
    """The name Apple gives an OID under 1.2.840.113635.100, or None."""
    _require()
    return decode(_x509_apple_oid_name(oid.encode("ascii")))


def _digest(p: Optional[int], n: int) -> Optional[bytes]:
    return ctypes.string_at(p, n) if p else None


class Certificate:
    """An X.509 certificate; values read once, byte fields copies.

    Obtained from a :class:`Cms`, a :class:`csig.Profile`, or parsed with
    :meth:`parse`.  Keeps its owner alive.
    """

    def __init__(self, ptr: int, owner: object) -> None:
        self._p = p = ptr
        self._owner = owner  # keeps the parent (Cms, Profile or own Handle) alive
        self.der: bytes = _cert_der(p).copy()
        self.tbs: bytes = _cert_tbs(p).copy()
        self.signature: bytes = _cert_signature(p).copy()
        self.version: int = int(_cert_version(p))
        self.serial_hex = decode(_cert_serial_hex(p))
        self.serial: bytes = _cert_serial(p).copy()
        self.subject_cn = decode(_cert_subject_cn(p))
        self.issuer_cn = decode(_cert_issuer_cn(p))
        self.team_id = decode(_cert_team_id(p))
        self.subject = decode(_cert_subject_text(p))
        self.issuer = decode(_cert_issuer_text(p))
        #: Unix seconds (see not_valid_before / not_valid_after for datetimes)
        self.not_before: int = _cert_not_before(p)
        self.not_after: int = _cert_not_after(p)
        self.sha1: Optional[bytes] = _digest(_cert_sha1(p), 20)
        self.sha256: Optional[bytes] = _digest(_cert_sha256(p), 32)
        self.is_ca = bool(_cert_is_ca(p))
        self.is_self_issued = bool(_cert_is_self_issued(p))
        ku = int(_cert_key_usage(p))
        #: keyUsage bits (bit 0 digitalSignature ... bit 8 decipherOnly), None when absent
        self.key_usage: Optional[int] = None if ku < 0 else ku
        kt = int(_cert_key_type(p))
        try:
            self.key_type: object = KeyType(kt)
        except ValueError:
            self.key_type = kt
        self.key_bits = int(_cert_key_bits(p))
        self.sig_alg_oid = decode(_cert_sig_alg_oid(p))
        self.sig_alg = decode(_cert_sig_alg_name(p))
        self.subject_attrs: List[SubjectAttr] = []
        for i in range(_cert_subject_attr_count(p)):
            oid, name, value = c_char_p(), c_char_p(), c_char_p()
            _cert_subject_attr_at(p, i, byref(oid), byref(name), byref(value))
            self.subject_attrs.append(SubjectAttr(decode(oid.value) or "",
                                                  decode(name.value) or "",
                                                  decode(value.value) or ""))
        self.extensions: List[Extension] = []
        for i in range(_cert_extension_count(p)):
            oid, crit, val = c_char_p(), c_int(), CsigBytes()
            _cert_extension_at(p, i, byref(oid), byref(crit), byref(val))
            self.extensions.append(Extension(decode(oid.value) or "", bool(crit.value),
                                             val.copy()))
        self.ekus: List[str] = [decode(_cert_eku(p, i)) or ""
                                for i in range(_cert_eku_count(p))]
        self.policies: List[str] = [decode(_cert_policy(p, i)) or ""
                                    for i in range(_cert_policy_count(p))]
        self.apple_markers: List[AppleMarker] = []
        for i in range(_cert_apple_marker_count(p)):
            name = c_char_p()
            oid = _cert_apple_marker(p, i, byref(name))
            self.apple_markers.append(AppleMarker(decode(oid) or "", decode(name.value) or ""))

    def __repr__(self) -> str:
        return "<csig.Certificate %r issued by %r>" % (self.subject_cn, self.issuer_cn)

    @classmethod
    def parse(cls, der: bytes) -> "Certificate":
        """Parse one DER certificate (copied by the library)."""
        _require()
        der = bytes(der)
        out = c_void_p()
        _cert_parse(byref(out), der, len(der), OpenOptions(1, 1, 0, 0), CsigError_())
        owner = Handle(out.value, _cert_free)
        with owner.use() as p:
            return cls(p, owner)

    @property
    def not_valid_before(self) -> Optional[datetime.datetime]:
        return from_unix(self.not_before)

    @property
    def not_valid_after(self) -> Optional[datetime.datetime]:
        return from_unix(self.not_after)

    def subject_attr(self, name: str) -> Optional[str]:
        """First subject value by short name ("CN", "OU", ...) or dotted OID."""
        with _use(self._owner):
            return decode(_cert_subject_attr(self._p, name.encode("ascii")))

    def issuer_attr(self, name: str) -> Optional[str]:
        with _use(self._owner):
            return decode(_cert_issuer_attr(self._p, name.encode("ascii")))

    def has_extension(self, oid: str) -> bool:
        with _use(self._owner):
            return bool(_cert_has_extension(self._p, oid.encode("ascii")))

    def extension(self, oid: str) -> Optional[Extension]:
        """The extension with dotted @oid, or None."""
        crit, val = c_int(), CsigBytes()
        with _use(self._owner):
            try:
                _cert_extension(self._p, oid.encode("ascii"), byref(crit), byref(val))
            except NotFoundError:
                return None
            return Extension(oid, bool(crit.value), val.copy())

    def pem(self) -> str:
        """PEM text from the library's encoder."""
        out = c_void_p()
        with _use(self._owner):
            _cert_pem(self._p, byref(out), CsigError_())
        return take_cstr(out, _free_text)

    def verify_signature(self, issuer: "Certificate") -> bool:
        """True when @issuer's key verifies this certificate's signature."""
        with _use(self._owner), _use(issuer._owner):
            return _cert_verify_signature(self._p, issuer._p) == 1


class _Nothing:
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


def _use(owner):
    return owner.use() if isinstance(owner, Handle) else _Nothing()


class CdHash2(NamedTuple):
    """A CDHashes2 entry: hash type (CodeDirectory numbering), OID, digest."""

    hash_type: int
    oid: Optional[str]
    digest: bytes


class TstInfo(NamedTuple):
    """TSTInfo of an RFC 3161 timestamp token."""

    gen_time: int
    hash_type: int
    imprint: bytes
    serial_hex: Optional[str]

    @property
    def gen_datetime(self) -> Optional[datetime.datetime]:
        return from_unix(self.gen_time)


class Signer:
    """One SignerInfo of a :class:`Cms`; values read once."""

    def __init__(self, cms: "Cms", p: int, i: int) -> None:
        self.index = i
        c = _sg_cert(p, i)
        self.certificate: Optional[Certificate] = Certificate(c, cms) if c else None
        self.digest_oid = decode(_sg_digest_oid(p, i))
        #: CodeDirectory hash-type numbering (1 SHA-1, 2 SHA-256, ...), 0 unknown
        self.digest_alg = int(_sg_digest_alg(p, i))
        self.sig_alg_oid = decode(_sg_sig_alg_oid(p, i))
        self.signature = _sg_signature(p, i).copy()
        self.has_signed_attrs = bool(_sg_has_signed_attrs(p, i))
        t = c_int64()
        try:
            _sg_signing_time(p, i, byref(t))
            self.signing_time: Optional[int] = t.value
        except NotFoundError:
            self.signing_time = None
        self.message_digest = _sg_message_digest(p, i).copy()
        self.content_type = decode(_sg_content_type(p, i))
        #: raw XML plist of the CDHashes attribute (b"" when absent)
        self.cdhashes_plist = _sg_cdhashes_plist(p, i).copy()
        self.cdhashes2: List[CdHash2] = []
        for k in range(_sg_cdhash2_count(p, i)):
            ht, oid, dg = c_int(), c_char_p(), CsigBytes()
            _sg_cdhash2(p, i, k, byref(ht), byref(oid), byref(dg))
            self.cdhashes2.append(CdHash2(ht.value, decode(oid.value), dg.copy()))
        ts = _sg_timestamp(p, i)
        #: the RFC 3161 timestamp token as a :class:`Cms`, or None
        self.timestamp: Optional[Cms] = Cms._borrowed(ts, cms) if ts else None

    def __repr__(self) -> str:
        return "<csig.Signer %d %s>" % (self.index, self.certificate)


class CmsResult(NamedTuple):
    ok: bool
    digest_ok: bool
    signature_ok: bool
    chain_ok: bool
    apple_root: bool
    apple_root_name: Optional[str]
    expired: bool
    days_to_expiry: int
    multiple_signers: bool
    timestamp: int
    findings: List[tuple]
    json: str
    #: per chain link: certificate i signed by i+1 (the root by itself)
    links_ok: Tuple[bool, ...] = ()
    timestamp_apple_root: bool = False


def _result(r: int, chain_len: int, js: str) -> CmsResult:
    fs = []
    for i in range(_res_fcount(r)):
        msg = c_char_p()
        fid = _res_finding(r, i, byref(msg))
        fs.append((decode(fid), decode(msg.value)))
    return CmsResult(
        bool(_res["ok"](r)), bool(_res["digest_ok"](r)),
        bool(_res["signature_ok"](r)), bool(_res["chain_ok"](r)),
        bool(_res["apple_root"](r)), decode(_res_root_name(r)),
        bool(_res["expired"](r)), int(_res_days(r)),
        bool(_res["multiple_signers"](r)), int(_res["timestamp"](r)),
        fs, js, tuple(bool(_res_link_ok(r, i)) for i in range(chain_len)),
        bool(_res["timestamp_apple_root"](r)))


class Cms(Handle):
    """A CMS SignedData (``csig_cms``): parsed from a copy of the bytes
    (``Cms(data)``), or a view the library parsed inside a signature,
    profile or timestamp (kept alive by its owner)."""

    def __init__(self, data: bytes) -> None:
        _require()
        data = bytes(data)
        out = c_void_p()
        _cms_parse(byref(out), data, len(data), OpenOptions(1, 1, 0, 0), CsigError_())
        Handle.__init__(self, out.value, _cms_free)
        self._load(out.value)

    @classmethod
    def _borrowed(cls, ptr: int, owner: Handle) -> "Cms":
        self = cls.__new__(cls)
        Handle.__init__(self, ptr, None, owner)
        with self.use() as p:
            self._load(p)
        return self

    def _load(self, p: int) -> None:
        self.version = _cms_version(p)
        self.content_type = decode(_cms_content_type(p))
        self.detached = bool(_cms_is_detached(p))
        self.content = _cms_content(p).copy()
        self.digest_algs: List[str] = [decode(_cms_digest_alg(p, i)) or ""
                                       for i in range(_cms_digest_alg_count(p))]
        self.certificates = [Certificate(_cms_cert(p, i), self)
                             for i in range(_cms_cert_count(p))]
        self.chain = [Certificate(_cms_chain_cert(p, i), self)
                      for i in range(_cms_chain_count(p))]
        self.signer_count = int(_cms_signer_count(p))
        self.signers: List[Signer] = [Signer(self, p, i) for i in range(self.signer_count)]
        self.signing_time: Optional[int] = (
            self.signers[0].signing_time if self.signers else None)

    def __repr__(self) -> str:
        return "<csig.Cms %d signer(s), %d certificate(s)>" % (
            self.signer_count, len(self.certificates))

    def tstinfo(self) -> Optional[TstInfo]:
        """TSTInfo when this CMS is a timestamp token, else None."""
        gt, ht, imp, serial = c_int64(), c_int(), CsigBytes(), c_char_p()
        with self.use() as p:
            try:
                _cms_tstinfo(p, byref(gt), byref(ht), byref(imp), byref(serial))
            except NotFoundError:
                return None
            return TstInfo(gt.value, ht.value, imp.copy(), decode(serial.value))

    def verify(self, detached_content: bytes = b"", at_time=None, at=None) -> CmsResult:
        """Check digest, signature, chain and timestamp (results are data).

        @at (or @at_time): when certificate validity is judged (datetime,
        Unix seconds or date text); default now."""
        content = bytes(detached_content)
        view = CsigBytes()
        buf = None
        if content:
            buf = ctypes.create_string_buffer(content, len(content))
            view = CsigBytes(ctypes.cast(buf, c_void_p), len(content))
        when = to_unix(at if at is not None else at_time)
        if when is None:
            when = int(time.time())
        out = c_void_p()
        with self.use() as p:
            _cms_verify(p, view, when, byref(out), CsigError_())
            try:
                text = c_void_p()
                _cms_to_json(p, out.value, 1, byref(text), CsigError_())
                js = take_cstr(text, _free_text)
                return _result(out.value, len(self.chain), js)
            finally:
                _res_free(out.value)

    def to_json(self, pretty: bool = True) -> str:
        """The library's JSON of this CMS."""
        text = c_void_p()
        with self.use() as p:
            _cms_to_json(p, None, 1 if pretty else 0, byref(text), CsigError_())
        return take_cstr(text, _free_text)


def ctypes_string(p: c_void_p) -> str:
    """Kept for compatibility: a NUL-terminated library string (not freed)."""
    return ctypes.string_at(p.value).decode("utf-8") if p.value else ""
