"""The PySide6 window. Only widgets and wiring live here; everything else is in lenet_desktop.core."""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

# PySide6 6.12.0 on Python 3.11 returns None from every void Qt method without taking a reference
# to it, so each call (update(), setPen(), setText() ...) lowers None's reference count by one and
# the interpreter aborts with "none_dealloc" after some tens of thousands of calls; bools sent
# through queued signals leak the same way ("bool_dealloc"). Python 3.12 made None, True and False
# immortal, which hides the bug there. Where the leak is measured, these three are given a
# reference count no session can exhaust (as 3.12 does), instead of crashing mid-drawing.
_PROBE_CALLS = 64
_RESERVE = 1 << 48


def _guard_none_refcount() -> None:
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("probe")
    if sys.getrefcount(None) < before - _PROBE_CALLS // 2:
        for singleton in (None, True, False):
            ctypes.c_ssize_t.from_address(id(singleton)).value += _RESERVE


if sys.version_info < (3, 12):
    _guard_none_refcount()
