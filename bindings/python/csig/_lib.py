"""Loading libcsig and declaring its C functions.

The shared library is searched for, in this order:

1. ``$CSIG_LIBRARY`` (a path to the library file);
2. the in-tree build: ``build/`` of the repository this package sits in
   (``bindings/python/csig/../../../build``);
3. ``ctypes.util.find_library("csig")``;
4. the plain sonames ``libcsig.so.1`` / ``libcsig.1.dylib``.

When nothing loads, one :class:`ImportError` lists every attempt.  The
library's major version must be 1.

Every function is declared once, with ``argtypes`` and ``restype``; calls
that return a CSIG_E_* code get an ``errcheck`` that raises the matching
:class:`csig.CsigError` subclass.  Modules wrapping optional parts of the
library (plist, x509, ...) declare their own functions with
:func:`declare` and test :func:`has` first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from ctypes import (POINTER, Structure, c_char, c_char_p, c_int, c_int64,
                    c_size_t, c_uint, c_uint32, c_uint64, c_void_p)
from typing import Any, Callable, List, Optional, Sequence

#: Major version this binding speaks.
ABI_MAJOR = 1

# ---- value types (frozen in csig/common.h) ----


class CsigBytes(Structure):
    """``csig_bytes``: a borrowed view ``{ptr, len}``."""

    _fields_ = [("ptr", c_void_p), ("len", c_size_t)]

    def copy(self) -> bytes:
        """A ``bytes`` copy of the view (``b""`` when empty)."""
        if not self.ptr or not self.len:
            return b""
        return ctypes.string_at(self.ptr, self.len)


class CsigError_(Structure):
    """``csig_error``: caller-owned error detail."""

    _fields_ = [("code", c_int), ("offset", c_uint64), ("msg", c_char * 192)]


class OpenOptions(Structure):
    """``csig_open_options`` (version 1)."""

    _fields_ = [("version", c_uint), ("flags", c_uint),
                ("max_depth", c_uint), ("max_count", c_uint)]


class Finding_(Structure):
    """``csig_finding`` (library-owned; only read through a pointer)."""

    _fields_ = [("id", c_char_p), ("severity", c_int), ("slice", c_int),
                ("cd", c_int), ("offset", c_uint64), ("message", c_char_p)]


class Lc_(Structure):
    """``csig_lc`` (library-owned)."""

    _fields_ = [("cmd", c_uint32), ("cmdsize", c_uint32), ("offset", c_uint64),
                ("name", c_char_p)]


class Blob_(Structure):
    """``csig_blob`` (library-owned)."""

    _fields_ = [("type", c_uint32), ("offset", c_uint32), ("magic", c_uint32),
                ("length", c_uint32), ("file_offset", c_uint64),
                ("bytes", CsigBytes), ("name", c_char_p), ("status", c_int)]


class VerifyOptions(Structure):
    """``csig_verify_options`` (version 1)."""

    _fields_ = [("version", c_uint), ("flags", c_uint), ("jobs", c_uint),
                ("slice", c_uint), ("at_time", c_int64)]


# Constants of the headers that a C caller would get from the preprocessor.
OPEN_OPTIONS_VERSION = 1
OPEN_COPY = 0x1
VERIFY_OPTIONS_VERSION = 1
VERIFY_ONE_SLICE = 0x1
VERIFY_CHECK_EXPIRATION = 0x2
JSON_PRETTY = 0x1
JSON_LOAD_COMMANDS = 0x2
JSON_SLOTS = 0x4
FILE_THIN = 1
FILE_FAT = 2
E_NOTFOUND = -40

# ---- loading ----


def _candidates() -> List[str]:
    names: List[str] = []
    env = os.environ.get("CSIG_LIBRARY")
    if env:
        names.append(env)
    here = os.path.dirname(os.path.abspath(__file__))
    build = os.path.normpath(os.path.join(here, "..", "..", "..", "build"))
    if sys.platform == "darwin":
        names += [os.path.join(build, "libcsig.1.dylib"),
                  os.path.join(build, "libcsig.dylib")]
    else:
        names += [os.path.join(build, "libcsig.so.1"),
                  os.path.join(build, "libcsig.so")]
    found = ctypes.util.find_library("csig")
    if found:
        names.append(found)
    names += ["libcsig.1.dylib"] if sys.platform == "darwin" else ["libcsig.so.1"]
    return names


def _load() -> ctypes.CDLL:
    tried = []
    for name in _candidates():
        if os.sep in name and not os.path.exists(name):
            tried.append("%s: no such file" % name)
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError as e:
            tried.append("%s: %s" % (name, e))
            continue
        if not hasattr(lib, "csig_version_number"):
            tried.append("%s: not libcsig (no csig_version_number)" % name)
            continue
        lib.csig_version_number.argtypes = []
        lib.csig_version_number.restype = c_int
        number = lib.csig_version_number()
        if number // 10000 != ABI_MAJOR:
            tried.append("%s: libcsig version %d, this binding needs major %d"
                         % (name, number, ABI_MAJOR))
            continue
        return lib
    raise ImportError("csig: could not load libcsig; tried:\n  "
                      + "\n  ".join(tried)
                      + "\n(set CSIG_LIBRARY to the path of libcsig.so.1)")


lib = _load()
#: Path or name the library was loaded from.
path = lib._name

# errcheck is installed by errors.py (it needs the exception classes, which
# themselves need csig_errname); until then a placeholder.
_errcheck: Optional[Callable[..., Any]] = None
_pending: List[Any] = []
#: Names of every C function declared so far (tests compare it with the headers).
DECLARED: set = set()


def has(name: str) -> bool:
    """True when the loaded library exports @name (optional modules)."""
    return hasattr(lib, name)


def declare(name: str, restype: Any, argtypes: Sequence[Any],
            check: bool = False) -> Any:
    """Declare C function @name and return it.

    @check: the function returns a CSIG_E_* code (negative on failure);
    errcheck turns a negative value into an exception, reading the detail
    from a trailing ``csig_error`` argument when there is one.
    """
    fn = getattr(lib, name)
    DECLARED.add(name)
    fn.restype = restype
    fn.argtypes = list(argtypes)
    if check:
        if _errcheck is None:
            _pending.append(fn)
        else:
            fn.errcheck = _errcheck
    return fn


def set_errcheck(fn: Callable[..., Any]) -> None:
    """Install the errcheck hook (called once by errors.py)."""
    global _errcheck
    _errcheck = fn
    for f in _pending:
        f.errcheck = fn
    del _pending[:]


def decode(b: Optional[bytes]) -> Optional[str]:
    """A C string from the library as ``str`` (None stays None).

    Strings can come from hostile input, so bytes that are not UTF-8 are
    kept visible as backslash escapes rather than raising.
    """
    if b is None:
        return None
    return b.decode("utf-8", "backslashreplace")


P_ERR = POINTER(CsigError_)
P_OPTS = POINTER(OpenOptions)
PP = POINTER(c_void_p)

__all__ = ["lib", "path", "declare", "has", "decode", "CsigBytes",
           "CsigError_", "OpenOptions", "Finding_", "Lc_", "Blob_",
           "VerifyOptions", "P_ERR", "P_OPTS", "PP", "c_char_p"]
