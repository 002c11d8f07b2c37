"""Certificates and CMS signatures (csig/x509.h, csig/cms.h).

Available when the loaded library exports them (``csig.cms.available``).
A :class:`Cms` is usually obtained from ``Signature.cms_parsed()``.
"""

from __future__ import annotations

import time
from ctypes import (POINTER, byref, c_char_p, c_int, c_int64, c_size_t,
                    c_uint, c_void_p)
from typing import List, NamedTuple, Optional

from . import _lib
from ._handle import Handle
from ._lib import P_ERR, P_OPTS, PP, CsigBytes, CsigError_, OpenOptions, decode, declare

available = _lib.has("csig_cms_parse") and _lib.has("csig_cert_parse")

if available:
    VP = c_void_p
    _cert_parse = declare("csig_cert_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
    _cert_free = declare("csig_cert_free", None, [VP])
    _cert_der = declare("csig_cert_der", CsigBytes, [VP])
    _cert_serial_hex = declare("csig_cert_serial_hex", c_char_p, [VP])
    _cert_subject_cn = declare("csig_cert_subject_cn", c_char_p, [VP])
    _cert_issuer_cn = declare("csig_cert_issuer_cn", c_char_p, [VP])
    _cert_team_id = declare("csig_cert_team_id", c_char_p, [VP])
    _cert_subject_text = declare("csig_cert_subject_text", c_char_p, [VP])
    _cert_issuer_text = declare("csig_cert_issuer_text", c_char_p, [VP])
    _cert_not_before = declare("csig_cert_not_before", c_int64, [VP])
    _cert_not_after = declare("csig_cert_not_after", c_int64, [VP])
    _cert_is_ca = declare("csig_cert_is_ca", c_int, [VP])
    _cert_sig_alg_name = declare("csig_cert_sig_alg_name", c_char_p, [VP])
    _cert_key_bits = declare("csig_cert_key_bits", c_uint, [VP])
    _cert_verify_signature = declare("csig_cert_verify_signature", c_int, [VP, VP], True)

    _cms_parse = declare("csig_cms_parse", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
    _cms_free = declare("csig_cms_free", None, [VP])
    _cms_version = declare("csig_cms_version", c_int, [VP])
    _cms_content_type = declare("csig_cms_content_type", c_char_p, [VP])
    _cms_is_detached = declare("csig_cms_is_detached", c_int, [VP])
    _cms_content = declare("csig_cms_content", CsigBytes, [VP])
    _cms_cert_count = declare("csig_cms_cert_count", c_size_t, [VP])
    _cms_cert = declare("csig_cms_cert", VP, [VP, c_size_t])
    _cms_chain_count = declare("csig_cms_chain_count", c_size_t, [VP])
    _cms_chain_cert = declare("csig_cms_chain_cert", VP, [VP, c_size_t])
    _cms_signer_count = declare("csig_cms_signer_count", c_size_t, [VP])
    _cms_signing_time = declare("csig_cms_signer_signing_time", c_int,
                                [VP, c_size_t, POINTER(c_int64)], True)
    _cms_verify = declare("csig_cms_verify", c_int, [VP, CsigBytes, c_int64, PP, P_ERR], True)
    _res_free = declare("csig_cms_result_free", None, [VP])
    _res = {n: declare("csig_cms_result_" + n, c_int, [VP]) for n in (
        "ok", "digest_ok", "signature_ok", "chain_ok", "apple_root", "expired",
        "multiple_signers", "timestamp")}
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


class Certificate:
    """An X.509 certificate; values read once, ``der`` a copy."""

    def __init__(self, ptr: int, owner: object) -> None:
        self._p = ptr
        self._owner = owner  # keeps the parent (Cms or _OwnedCert) alive
        self.der: bytes = _cert_der(ptr).copy()
        self.serial_hex = decode(_cert_serial_hex(ptr))
        self.subject_cn = decode(_cert_subject_cn(ptr))
        self.issuer_cn = decode(_cert_issuer_cn(ptr))
        self.team_id = decode(_cert_team_id(ptr))
        self.subject = decode(_cert_subject_text(ptr))
        self.issuer = decode(_cert_issuer_text(ptr))
        self.not_before: int = _cert_not_before(ptr)
        self.not_after: int = _cert_not_after(ptr)
        self.is_ca = bool(_cert_is_ca(ptr))
        self.sig_alg = decode(_cert_sig_alg_name(ptr))
        self.key_bits = int(_cert_key_bits(ptr))

    def __repr__(self) -> str:
        return "<csig.Certificate %r issued by %r>" % (self.subject_cn, self.issuer_cn)

    @classmethod
    def parse(cls, der: bytes) -> "Certificate":
        _require()
        der = bytes(der)
        out = c_void_p()
        _cert_parse(byref(out), der, len(der), OpenOptions(1, 1, 0, 0), CsigError_())
        owner = Handle(out.value, _cert_free)
        with owner.use() as p:
            return cls(p, owner)

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


class Cms(Handle):
    """A CMS SignedData (``csig_cms``), parsed from a copy of the bytes."""

    def __init__(self, data: bytes) -> None:
        _require()
        data = bytes(data)
        out = c_void_p()
        _cms_parse(byref(out), data, len(data), OpenOptions(1, 1, 0, 0), CsigError_())
        Handle.__init__(self, out.value, _cms_free)
        p = out.value
        self.version = _cms_version(p)
        self.content_type = decode(_cms_content_type(p))
        self.detached = bool(_cms_is_detached(p))
        self.content = _cms_content(p).copy()
        self.certificates = [Certificate(_cms_cert(p, i), self)
                             for i in range(_cms_cert_count(p))]
        self.chain = [Certificate(_cms_chain_cert(p, i), self)
                      for i in range(_cms_chain_count(p))]
        self.signer_count = int(_cms_signer_count(p))
        t = c_int64()
        try:
            _cms_signing_time(p, 0, byref(t))
            self.signing_time: Optional[int] = t.value
        except Exception:
            self.signing_time = None

    def verify(self, detached_content: bytes = b"", at_time: Optional[int] = None
               ) -> CmsResult:
        """Check digest, signature, chain and timestamp (results are data)."""
        content = bytes(detached_content)
        view = CsigBytes()
        if content:
            import ctypes
            buf = ctypes.create_string_buffer(content, len(content))
            view = CsigBytes(ctypes.cast(buf, c_void_p), len(content))
        when = int(time.time()) if at_time is None else at_time
        out = c_void_p()
        with self.use() as p:
            _cms_verify(p, view, when, byref(out), CsigError_())
            try:
                r = out.value
                fs = []
                for i in range(_res_fcount(r)):
                    msg = c_char_p()
                    fid = _res_finding(r, i, byref(msg))
                    fs.append((decode(fid), decode(msg.value)))
                text = c_void_p()
                _cms_to_json(p, r, 1, byref(text), CsigError_())
                try:
                    js = ctypes_string(text)
                finally:
                    _free_text(text)
                return CmsResult(
                    bool(_res["ok"](r)), bool(_res["digest_ok"](r)),
                    bool(_res["signature_ok"](r)), bool(_res["chain_ok"](r)),
                    bool(_res["apple_root"](r)), decode(_res_root_name(r)),
                    bool(_res["expired"](r)), int(_res_days(r)),
                    bool(_res["multiple_signers"](r)), int(_res["timestamp"](r)),
                    fs, js)
            finally:
                _res_free(out.value)

    def to_json(self, pretty: bool = True) -> str:
        text = c_void_p()
        with self.use() as p:
            _cms_to_json(p, None, 1 if pretty else 0, byref(text), CsigError_())
        try:
            return ctypes_string(text)
        finally:
            _free_text(text)


def ctypes_string(p: c_void_p) -> str:
    import ctypes
    return ctypes.string_at(p.value).decode("utf-8") if p.value else ""
