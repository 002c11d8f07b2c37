"""Times: Unix seconds in the C API, ``datetime`` (UTC) in Python.

Text dates are parsed and formatted by the library (csig_time_parse,
csig_time_format), never in Python.
"""

from __future__ import annotations

import ctypes
import datetime
from ctypes import byref, c_int64
from typing import Optional, Union

from . import _core as C

When = Union[None, int, float, str, datetime.datetime, datetime.date]

_UTC = datetime.timezone.utc


def time_parse(text: str) -> int:
    """Unix seconds of "YYYY-MM-DD" or RFC 3339 text (library parser;
    raises SyntaxError-class :class:`csig.CsigError` on bad text)."""
    out = c_int64()
    C.time_parse(text.encode("utf-8"), byref(out))
    return out.value


def time_format(t: int) -> str:
    """Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" (library formatter)."""
    buf = ctypes.create_string_buffer(40)
    return (C.time_format(int(t), buf, 40) or b"").decode("ascii")


def to_unix(at: When) -> Optional[int]:
    """None stays None; int/float are Unix seconds; str goes through
    :func:`time_parse`; a naive datetime is taken as UTC; a date is its
    midnight UTC."""
    if at is None:
        return None
    if isinstance(at, bool):
        raise TypeError("a time, not a bool")
    if isinstance(at, (int, float)):
        return int(at)
    if isinstance(at, str):
        return time_parse(at)
    if isinstance(at, datetime.datetime):
        if at.tzinfo is None:
            at = at.replace(tzinfo=_UTC)
        return int(at.timestamp() // 1)
    if isinstance(at, datetime.date):
        return int(datetime.datetime(at.year, at.month, at.day,
                                     tzinfo=_UTC).timestamp())
    raise TypeError("cannot use %r as a time" % (at,))


def from_unix(t: Optional[int]) -> Optional[datetime.datetime]:
    """Unix seconds as an aware UTC datetime (None stays None; values
    outside datetime's range give None)."""
    if t is None:
        return None
    try:
        return datetime.datetime(1970, 1, 1, tzinfo=_UTC) + datetime.timedelta(seconds=t)
    except OverflowError:
        return None
