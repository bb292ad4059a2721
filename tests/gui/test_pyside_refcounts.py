"""Guards against a PySide6 release that frees None under the window's feet.

PySide6 6.12.0 on Python 3.11 returned None from void Qt methods without taking a reference,
so every update() or setText() lowered None's reference count by one and the app aborted with
"Fatal Python error: none_dealloc" after enough drawing. pyproject.toml keeps that release out;
this test fails if an installed release does it again.
"""

import sys

from PySide6.QtCore import QObject

CALLS = 1000


def test_void_qt_calls_keep_none_alive():
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        probe.setObjectName("probe")
    # Other threads may take or drop a few references meanwhile; a leak loses one per call.
    assert sys.getrefcount(None) > before - CALLS // 2
