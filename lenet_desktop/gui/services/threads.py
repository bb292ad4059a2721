"""Every thread the window starts for its work, in one registry, so that closing the window stops each
of them once (`stop_all`), whoever started it.

A WorkerThread is a worker QObject in a QThread of its own; the registry is superqt's
`WorkerBase._worker_set`: a thread is in it from its start until it is stopped. No torch here: the
window imports this before torch is loaded.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread

_running: set[WorkerThread] = set()  # every thread started and not stopped yet


def stop_all() -> None:
    """Cancel every job still running, end every worker's thread and wait for each: the window closes."""
    for thread in list(_running):
        thread.stop()


def running_threads() -> list[str]:
    """The names of the threads started and not stopped yet."""
    return sorted(thread.name for thread in _running)


class WorkerThread:
    """`worker` in a QThread of its own, in the registry from `start()` until `stop()`."""

    def __init__(self, worker: QObject, name: str, cancel: Callable[[], None] = lambda: None) -> None:
        self.worker = worker
        self.name = name
        self._cancel = cancel
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)

    def start(self) -> None:
        _running.add(self)
        self.thread.start()

    def stop(self) -> None:
        """Cancel the worker's job, end the thread's event loop and wait for it. Stopping again does nothing."""
        self._cancel()
        self.thread.quit()
        self.thread.wait()
        _running.discard(self)
