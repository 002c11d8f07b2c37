"""The expiry audit and the update check (csig/audit.h).

Available when the loaded library exports them (``csig.audit.available``).

>>> a = csig.Audit("Foo.app", at="2025-01-01", within_days=60)   # doctest: +SKIP
>>> a.failed, [(i.kind, i.subject, i.days_remaining, i.breaks) for i in a.items]
>>> u = csig.check_update("Old.app", "New.app")                  # doctest: +SKIP
>>> u.verdict, u.reason
"""

from __future__ import annotations

import os
from ctypes import (POINTER, Structure, byref, c_char_p, c_int, c_int64, c_size_t,
                    c_uint, c_void_p)
from typing import Any, List, NamedTuple, Optional

from . import _lib
from ._handle import take_text
from ._lib import P_ERR, PP, CsigError_, decode, declare
from ._time import from_unix, to_unix

available = _lib.has("csig_audit_path") and _lib.has("csig_check_update")

STRICT = 0x1
JSON_PRETTY = 0x1
UPDATE_VERDICTS = {0: "yes", 1: "no", 3: "indeterminate"}


class AuditOptions_(Structure):
    _fields_ = [("version", c_uint), ("flags", c_uint), ("at", c_int64),
                ("within_days", c_uint)]


class AuditItem_(Structure):
    _fields_ = [("kind", c_char_p), ("where", c_char_p), ("arch", c_char_p),
                ("subject", c_char_p), ("date", c_int64), ("days_remaining", c_int64),
                ("breaks", c_char_p), ("status", c_char_p), ("signing", c_char_p),
                ("reason", c_char_p), ("chain_index", c_int)]


class AuditRisk_(Structure):
    _fields_ = [("id", c_char_p), ("severity", c_int), ("where", c_char_p),
                ("message", c_char_p)]


class AuditCode_(Structure):
    _fields_ = [("where", c_char_p), ("arch", c_char_p), ("identifier", c_char_p),
                ("team_id", c_char_p), ("signing", c_char_p), ("leaf_cn", c_char_p),
                ("has_profile", c_int)]


if available:
    VP = c_void_p
    P_SIZE = POINTER(c_size_t)
    P_CHARP = POINTER(c_char_p)
    _path = declare("csig_audit_path", c_int, [PP, c_char_p, POINTER(AuditOptions_), P_ERR],
                    True)
    _file = declare("csig_audit_file", c_int,
                    [PP, VP, c_char_p, POINTER(AuditOptions_), P_ERR], True)
    _free = declare("csig_audit_free", None, [VP])
    _at = declare("csig_audit_at", c_int64, [VP])
    _within = declare("csig_audit_within_days", c_uint, [VP])
    _item_count = declare("csig_audit_item_count", c_size_t, [VP])
    _item_at = declare("csig_audit_item_at", POINTER(AuditItem_), [VP, c_size_t])
    _risk_count = declare("csig_audit_risk_count", c_size_t, [VP])
    _risk_at = declare("csig_audit_risk_at", POINTER(AuditRisk_), [VP, c_size_t])
    _code_count = declare("csig_audit_code_count", c_size_t, [VP])
    _code_at = declare("csig_audit_code_at", POINTER(AuditCode_), [VP, c_size_t])
    _failed = declare("csig_audit_failed", c_int, [VP])
    _json = declare("csig_audit_json", c_int, [VP, c_uint, PP, P_SIZE, P_ERR], True)
    _check_update = declare("csig_check_update", c_int,
                            [PP, c_char_p, c_char_p, c_char_p, P_ERR], True)
    _u_free = declare("csig_update_check_free", None, [VP])
    _u_verdict = declare("csig_update_check_verdict", c_int, [VP])
    _u_req = declare("csig_update_check_requirement", c_char_p, [VP])
    _u_implicit = declare("csig_update_check_implicit", c_int, [VP])
    _u_reason = declare("csig_update_check_reason", c_char_p, [VP])
    _u_count = declare("csig_update_check_count", c_size_t, [VP])
    _u_eval = declare("csig_update_check_eval", c_int,
                      [VP, c_size_t, P_CHARP, P_CHARP, PP], True)
    _u_json = declare("csig_update_check_json", c_int, [VP, c_uint, PP, P_SIZE, P_ERR], True)
    _free_mem = declare("csig_free", None, [VP])


def _require() -> None:
    if not available:
        raise NotImplementedError("the loaded libcsig has no audit API")


def _fs(p: Any) -> bytes:
    p = os.fspath(p)
    return p if isinstance(p, bytes) else os.fsencode(p)


def _s(b: Optional[bytes]) -> str:
    return decode(b) or ""


class AuditItem(NamedTuple):
    """One dated item (see csig/audit.h for the vocabulary)."""

    kind: str
    where: str
    arch: str
    subject: str
    date: int
    days_remaining: int
    breaks: str
    status: str
    signing: str
    reason: str
    chain_index: int

    @property
    def datetime(self):
        return from_unix(self.date)


class AuditRisk(NamedTuple):
    id: str
    severity: Any
    where: str
    message: str


class AuditCode(NamedTuple):
    where: str
    arch: str
    identifier: str
    team_id: str
    signing: str
    leaf_cn: str
    has_profile: bool


class Audit:
    """Expiry audit of a Mach-O file, bundle, .ipa or profile (path), or of
    an open :class:`csig.MachO` (:meth:`of_file`).  Read at once, then the
    C audit is freed."""

    def __init__(self, path: Any, *, at: Any = None, within_days: int = 0,
                 strict: bool = False) -> None:
        _require()
        out = c_void_p()
        _path(byref(out), _fs(path), byref(self._opts(at, within_days, strict)), CsigError_())
        self._load(out.value)

    @staticmethod
    def _opts(at: Any, within_days: int, strict: bool) -> AuditOptions_:
        return AuditOptions_(1, STRICT if strict else 0, to_unix(at) or 0, within_days)

    @classmethod
    def of_file(cls, macho, label: Optional[str] = None, *, at: Any = None,
                within_days: int = 0, strict: bool = False) -> "Audit":
        _require()
        self = cls.__new__(cls)
        out = c_void_p()
        with macho.use() as f:
            _file(byref(out), f, label.encode() if label is not None else None,
                  byref(cls._opts(at, within_days, strict)), CsigError_())
        self._load(out.value)
        return self

    def _load(self, a: int) -> None:
        from .macho import Severity
        try:
            self.at: int = int(_at(a))
            self.within_days: int = int(_within(a))
            self.failed: bool = bool(_failed(a))
            self.items: List[AuditItem] = []
            for i in range(_item_count(a)):
                it = _item_at(a, i).contents
                self.items.append(AuditItem(
                    _s(it.kind), _s(it.where), _s(it.arch), _s(it.subject), int(it.date),
                    int(it.days_remaining), _s(it.breaks), _s(it.status), _s(it.signing),
                    _s(it.reason), int(it.chain_index)))
            self.risks: List[AuditRisk] = []
            for i in range(_risk_count(a)):
                r = _risk_at(a, i).contents
                try:
                    sev: Any = Severity(r.severity)
                except ValueError:
                    sev = r.severity
                self.risks.append(AuditRisk(_s(r.id), sev, _s(r.where), _s(r.message)))
            self.codes: List[AuditCode] = []
            for i in range(_code_count(a)):
                c = _code_at(a, i).contents
                self.codes.append(AuditCode(_s(c.where), _s(c.arch), _s(c.identifier),
                                            _s(c.team_id), _s(c.signing), _s(c.leaf_cn),
                                            bool(c.has_profile)))
            out, n = c_void_p(), c_size_t()
            _json(a, JSON_PRETTY, byref(out), byref(n), CsigError_())
            #: the library's "audit" JSON document
            self.json: str = take_text(out, n, _free_mem)
        finally:
            _free(a)

    def __bool__(self) -> bool:
        return not self.failed

    def __repr__(self) -> str:
        return "<csig.Audit %s, %d item(s), %d risk(s)>" % (
            "FAILED" if self.failed else "ok", len(self.items), len(self.risks))


class UpdateEval(NamedTuple):
    which: str
    arch: str
    result: Any  # csig.ReqResult


class UpdateCheck:
    """Would OLD accept NEW as an update (csig_check_update)?  Read at once."""

    def __init__(self, old_path: Any, new_path: Any,
                 extra_requirement: Optional[str] = None) -> None:
        _require()
        from .req import ReqResult
        out = c_void_p()
        _check_update(byref(out), _fs(old_path), _fs(new_path),
                      extra_requirement.encode("utf-8") if extra_requirement else None,
                      CsigError_())
        u = out.value
        try:
            self.verdict_code: int = int(_u_verdict(u))
            self.verdict: str = UPDATE_VERDICTS.get(self.verdict_code, "?")
            self.requirement: str = _s(_u_req(u))
            self.implicit: bool = bool(_u_implicit(u))
            self.reason: str = _s(_u_reason(u))
            self.evaluations: List[UpdateEval] = []
            for i in range(_u_count(u)):
                which, arch, res = c_char_p(), c_char_p(), c_void_p()
                _u_eval(u, i, byref(which), byref(arch), byref(res))
                self.evaluations.append(UpdateEval(
                    _s(which.value), _s(arch.value),
                    ReqResult(res.value, owned=False) if res.value else None))
            o, n = c_void_p(), c_size_t()
            _u_json(u, JSON_PRETTY, byref(o), byref(n), CsigError_())
            self.json: str = take_text(o, n, _free_mem)
        finally:
            _u_free(u)

    @property
    def accepted(self) -> bool:
        return self.verdict_code == 0

    def __bool__(self) -> bool:
        return self.accepted

    def __repr__(self) -> str:
        return "<csig.UpdateCheck %s: %s>" % (self.verdict, self.reason)


def check_update(old_path: Any, new_path: Any,
                 extra_requirement: Optional[str] = None) -> UpdateCheck:
    """Does NEW satisfy OLD's designated requirement (and @extra_requirement)?"""
    return UpdateCheck(old_path, new_path, extra_requirement)
