"""Ctrl-C in the terminal quits the window as it stops `lenet-desktop train`: cleanly, exit code 130.

Qt's event loop runs in C++, where Python's signal handlers never get to run. So the handler does
nothing itself: the signal's wakeup byte, written to a socket pair, wakes a QSocketNotifier, which
closes the window on the GUI thread (saving its settings and stopping its threads) and ends the loop.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier

INTERRUPTED = 130  # 128 + SIGINT, what shells report and what `train` returns


class InterruptHandler(QObject):
    def __init__(self, app: QCoreApplication, close: Callable[[], object]) -> None:
        super().__init__(app)
        self._app = app
        self._close = close
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        signal.set_wakeup_fd(self._writer.fileno())
        signal.signal(signal.SIGINT, lambda *_: None)  # the wakeup byte does the work
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._on_notifier_activated)

    def _on_notifier_activated(self) -> None:
        try:
            signals = self._reader.recv(64)
        except OSError:
            return
        if signal.SIGINT in signals:
            self._app.exit(INTERRUPTED)
            self._close()


def quit_on_interrupt(app: QCoreApplication, close: Callable[[], object]) -> InterruptHandler:
    """From now on SIGINT calls `close` on the GUI thread and makes app.exec() return 130."""
    return InterruptHandler(app, close)
