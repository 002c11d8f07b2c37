"""Exceptions: one class per CSIG_E_* code, all derived from CsigError.

The classes are generated at import from the loaded library's
``csig_errname()`` over the code range -1..-99, so they cannot drift from
the C header: ``CSIG_E_TRUNCATED`` becomes :class:`TruncatedError`,
``CSIG_E_BADMAGIC`` :class:`BadMagicError`, ``CSIG_E_NOTFOUND``
:class:`NotFoundError` and so on.

>>> import csig
>>> csig.TruncatedError.code, csig.TruncatedError.name
(-10, 'CSIG_E_TRUNCATED')
>>> issubclass(csig.BadMagicError, csig.CsigError)
True
"""

from __future__ import annotations

from ctypes import c_char_p, c_int
from typing import Dict, Optional, Type

from . import _lib

_errname = _lib.declare("csig_errname", c_char_p, [c_int])
_strerror = _lib.declare("csig_strerror", c_char_p, [c_int])

#: Codes scanned for names (the header reserves -1..-99).
CODE_RANGE = range(-1, -100, -1)
_UNKNOWN = "CSIG_E_UNKNOWN"


class CsigError(Exception):
    """A libcsig call failed.

    Attributes: ``code`` (the negative CSIG_E_* value), ``name``
    (``"CSIG_E_TRUNCATED"``), ``offset`` (absolute input offset where the
    problem was found, 0 when there is none) and ``message`` (the library's
    sentence naming the field and the numbers).
    """

    code: int = 0
    name: str = _UNKNOWN

    def __init__(self, code: int, message: str = "", offset: int = 0) -> None:
        self.code = code
        self.name = errname(code)
        self.offset = offset
        self.message = message or strerror(code)
        super().__init__(code, self.message, offset)

    def __str__(self) -> str:
        s = "%s (%s)" % (self.message, self.name)
        if self.offset:
            s += " at offset 0x%x" % self.offset
        return s

    def __reduce__(self):  # picklable across processes
        return (error_class(self.code), (self.code, self.message, self.offset))


def errname(code: int) -> str:
    """The library's symbolic name of @code (``"CSIG_E_UNKNOWN"`` if none)."""
    return _lib.decode(_errname(code)) or _UNKNOWN


def strerror(code: int) -> str:
    """The library's sentence describing @code."""
    return _lib.decode(_strerror(code)) or ""


# Words that start a run-together code name (BADMAGIC, NOMEM, NOTFOUND), so
# the class names read naturally.  Only affects spelling, never the mapping.
_PREFIXES = ("NOT", "BAD", "NO")


def class_name(name: str) -> str:
    """Python class name for a CSIG_E_* name: CSIG_E_BADMAGIC -> BadMagicError."""
    base = name[len("CSIG_E_"):] if name.startswith("CSIG_E_") else name
    words = []
    for part in base.split("_"):
        for p in _PREFIXES:
            if part.startswith(p) and len(part) > len(p):
                words += [p, part[len(p):]]
                break
        else:
            words.append(part)
    return "".join(w.capitalize() for w in words if w) + "Error"


#: code -> exception class, for every code the library names.
BY_CODE: Dict[int, Type[CsigError]] = {}
#: "CSIG_E_..." -> exception class.
BY_NAME: Dict[str, Type[CsigError]] = {}


def _generate() -> None:
    g = globals()
    for code in CODE_RANGE:
        name = errname(code)
        if name == _UNKNOWN or not name.startswith("CSIG_E_"):
            continue
        cls = type(class_name(name), (CsigError,), {
            "code": code, "name": name,
            "__doc__": "%s (%d): %s" % (name, code, strerror(code)),
            "__module__": __name__,
        })
        BY_CODE[code] = cls
        BY_NAME[name] = cls
        g[cls.__name__] = cls


_generate()


def error_class(code: int) -> Type[CsigError]:
    """The exception class for @code (CsigError itself for unknown codes)."""
    return BY_CODE.get(code, CsigError)


def make_error(code: int, err: Optional[_lib.CsigError_] = None) -> CsigError:
    """An exception instance for @code with the detail of @err."""
    msg = ""
    offset = 0
    # The detail is used whenever the library filled it: a call may return
    # a more general code than the one its reader recorded (e.g. a slice
    # range is TRUNCATED while the reader said BADOFFSET); the csig CLI
    # prints the same pairing.
    if err is not None and err.code != 0:
        msg = _lib.decode(err.msg) or ""
        offset = int(err.offset)
    return error_class(code)(code, msg, offset)


def _errcheck(result, func, args):
    if result is not None and result < 0:
        err = args[-1] if args and isinstance(args[-1], _lib.CsigError_) else None
        raise make_error(result, err)
    return result


_lib.set_errcheck(_errcheck)

# The generated classes are module attributes but stay out of __all__: one
# of them is OverflowError, which a star import would let shadow the builtin.
__all__ = ["CsigError", "errname", "strerror", "error_class", "make_error",
           "class_name", "BY_CODE", "BY_NAME"]
