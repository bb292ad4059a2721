"""Reading an opened, pasted or dropped image off the window's thread.

A 7000x7000 PNG takes seconds to decode, and on the window's thread it held the window as long. Each
read runs in a WorkerThread of its own (closing the window waits for it: a read cannot be stopped half
way); when reads overlap (a second paste before the first is read), only the newest one's outcome is
told. Importing this module does not import torch (the window shows first).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from lenet_desktop.gui.services.threads import WorkerThread


class _Read(QObject):
    done = Signal(int, object, object)  # request number, the picture or None, the error or None

    def __init__(self, request: int, read: Callable[[], object]) -> None:
        super().__init__()
        self._request = request
        self._read = read

    @Slot()
    def run(self) -> None:
        try:
            picture = self._read()
        except Exception as error:  # a refusal (or a bug) is told in the window, and the thread still ends
            self.done.emit(self._request, None, error)
        else:
            self.done.emit(self._request, picture, None)


class ImageReader(QObject):
    """Runs `read` callables in threads; tells the newest one's picture, or its error under its title."""

    pictureRead = Signal(object)  # what the newest read returned
    readFailed = Signal(str, object)  # the newest read's title and error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._newest = 0
        self._running: dict[int, tuple[WorkerThread, str]] = {}

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def read(self, read: Callable[[], object], title: str) -> None:
        """Run `read` off the window's thread; pictureRead gets what it returns."""
        self._newest += 1
        worker = _Read(self._newest, read)
        thread = WorkerThread(worker, "image reader")
        thread.thread.started.connect(worker.run)
        # Direct: the thread quits the moment the read ends, so _on_done may stop (wait for) it at once.
        worker.done.connect(thread.thread.quit, Qt.ConnectionType.DirectConnection)
        worker.done.connect(self._on_done)  # queued: told on the window's thread
        self._running[self._newest] = (thread, title)
        thread.start()

    def _on_done(self, request: int, picture: object, error: BaseException | None) -> None:
        thread, title = self._running.pop(request)
        thread.stop()
        if request != self._newest:
            return
        if error is not None:
            self.readFailed.emit(title, error)
        else:
            self.pictureRead.emit(picture)
