"""Start-up milestones for bench/bench_startup.py, which starts the real program (source install or
bundle) and cannot look inside it. With $LENET_STARTUP_TRACE naming a file, the window appends one
line per milestone there: the name and `time.monotonic()`, a clock the benchmark's process shares.
Without the variable nothing is written."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

TRACE_VARIABLE = "LENET_STARTUP_TRACE"
PAINTED, READY = "painted", "ready"


def trace(milestone: str) -> None:
    path = os.environ.get(TRACE_VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(f"{milestone} {time.monotonic():.6f}\n")


class _FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            trace(PAINTED)
        return False


def trace_first_paint(widget: QWidget) -> None:
    """Record PAINTED when `widget` (the canvas: where the user puts ink) first paints."""
    if os.environ.get(TRACE_VARIABLE):
        widget.installEventFilter(_FirstPaint(widget))
