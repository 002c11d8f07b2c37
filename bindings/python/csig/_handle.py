"""Owned C handles: close(), ``with``, and a __del__ safe at shutdown.

A :class:`Handle` owns one C pointer and the function that frees it.  Every
C call on the pointer (or on anything borrowed from it) runs inside
``with handle.use() as ptr:``, which counts users under a lock; ``close()``
frees the pointer at once when nobody is using it, else when the last user
leaves.  So closing from one thread while another is inside a call never
frees memory under that call, and a call after close raises ValueError.
"""

from __future__ import annotations

import ctypes
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional


class Handle:
    """Base of every object that owns a C handle."""

    _ptr: Optional[int] = None
    _owner: Optional["Handle"] = None

    def __init__(self, ptr: int, free_fn: Optional[Callable[[int], None]],
                 owner: Optional["Handle"] = None) -> None:
        """@free_fn None with @owner set makes a borrowed view: the pointer
        belongs to @owner.  The view pins its owner (counts as one user of
        it) from creation until the view is closed or collected, so closing
        the owner never frees memory a live view points into: the owner
        then refuses new calls at once and frees when its last view goes."""
        if owner is not None:
            owner._pin()
        self._owner = owner
        self._lock = threading.Lock()
        self._users = 0
        self._closing = False
        # Keep the free function on the instance: at interpreter shutdown
        # module globals may already be gone when __del__ runs.
        self._free_fn = free_fn
        self._ptr = ptr

    def _pin(self) -> None:
        with self._lock:
            if self._ptr is None or self._closing:
                raise ValueError("%s is closed" % type(self).__name__)
            self._users += 1

    def _unpin(self) -> None:
        with self._lock:
            self._users -= 1
            free_now = self._closing and self._users == 0
        if free_now:
            self._free()

    @contextmanager
    def use(self) -> Iterator[int]:
        """Borrow the live pointer for the duration of a ``with`` block."""
        self._pin()
        try:
            yield self._ptr  # type: ignore[misc]
        finally:
            self._unpin()

    def _free(self) -> None:
        with self._lock:
            ptr, self._ptr = self._ptr, None
            owner, self._owner = self._owner, None
        if ptr is not None and self._free_fn is not None:
            self._free_fn(ptr)
        if owner is not None:
            owner._unpin()

    def close(self) -> None:
        """Release the C handle (idempotent).  Objects already returned keep
        their values; further calls that need the handle raise ValueError."""
        lock = getattr(self, "_lock", None)
        if lock is None:  # __init__ never ran to the end
            return
        with lock:
            if self._ptr is None:
                return
            self._closing = True
            free_now = self._users == 0
        if free_now:
            self._free()

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._ptr is None or self._closing

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # never raise from a finalizer (e.g. at shutdown)
            pass


def take_text(ptr: ctypes.c_void_p, n: ctypes.c_size_t,
              free_fn: Callable[[Any], None]) -> str:
    """Copy library-allocated text of @n bytes at @ptr and free it."""
    try:
        data = ctypes.string_at(ptr.value, n.value) if ptr.value else b""
    finally:
        if ptr.value:
            free_fn(ptr)
    return data.decode("utf-8")


def take_bytes(ptr: ctypes.c_void_p, n: int,
               free_fn: Callable[[Any], None]) -> bytes:
    """Copy library-allocated bytes of length @n at @ptr and free them."""
    try:
        return ctypes.string_at(ptr.value, n) if ptr.value else b""
    finally:
        if ptr.value:
            free_fn(ptr)


def take_cstr(ptr: ctypes.c_void_p, free_fn: Callable[[Any], None]) -> str:
    """Copy a library-allocated NUL-terminated string and free it."""
    try:
        data = ctypes.string_at(ptr.value) if ptr.value else b""
    finally:
        if ptr.value:
            free_fn(ptr)
    return data.decode("utf-8", "backslashreplace")
