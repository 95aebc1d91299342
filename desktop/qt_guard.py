"""A guard the Qt processes need before they make any Qt object; cheap to import."""

from __future__ import annotations

import sys


def keep_singletons_alive() -> None:
    """Guard the interpreter against PySide6 6.12 taking references from None, True and False.

    Its bindings return None from every void method (``setText``, ``update``,
    every ``QPainter.draw*``) and True from ``Signal.emit`` without taking a
    reference. On Python 3.12+ these objects are immortal and that is harmless;
    on 3.11 each call takes one reference away, and a busy window (a timeline
    painting thousands of ticks, playback at 30 frames a second) brings one to
    zero within minutes: "Fatal Python error: deallocating None". Giving them
    more references than any process could take keeps 3.11 as safe as 3.12.
    Call before any Qt object is made.
    """
    if sys.version_info >= (3, 12):
        return
    import ctypes

    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: PyObject's first field
        if refcount.value < 1 << 40:
            refcount.value += 1 << 40
