"""The worker that runs training (or any long job) off the GUI thread.

Wired as superqt's `new_worker_qthread`: the worker moves to a QThread whose `started` runs it,
and `finished`/`failed` quit the thread. Cancelling sets a threading.Event that the job polls
between batches; `cancel()` is called directly because the worker's event loop is busy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import torch
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from lenet_desktop.core.errors import first_line
from lenet_desktop.core.train import Listener, throttled

PROGRESS_INTERVAL = 0.05  # seconds; more often only floods the GUI thread's event queue
# torch's thread count before anything lowers it. The prediction worker runs on one thread, and
# torch hands the last count set to every thread it starts later, this worker's included.
TRAINING_THREADS = torch.get_num_threads()


class JobContext(Listener):
    """What a job receives, to hand to the training run: its progress and epochs become the worker's
    signals, and it stops when the worker is cancelled."""

    def __init__(self, worker: TrainWorker) -> None:
        self._worker = worker
        self._emit_progress = throttled(lambda run, progress: worker.progress.emit((run, progress)), PROGRESS_INTERVAL)

    def progress(self, run: str, progress) -> None:
        self._emit_progress(run, progress)

    def epoch(self, run: str, result) -> None:
        self._worker.epochDone.emit((run, result))

    def should_stop(self) -> bool:
        return self._worker.cancelled


class TrainWorker(QObject):
    progress = Signal(object)  # (run name, train.Progress)
    epochDone = Signal(object)  # (run name, train.EpochResult)
    finished = Signal(object)  # whatever the job returned
    failed = Signal(object)  # the error: the receiver tells it (error_text), again when the language changes

    def __init__(
        self, job: Callable[[JobContext], object], expected_errors: tuple[type[BaseException], ...] = ()
    ) -> None:
        super().__init__()
        self._job = job
        self._expected_errors = expected_errors
        self._stop = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        torch.set_num_threads(TRAINING_THREADS)
        try:
            result = self._job(JobContext(self))
        except self._expected_errors as error:
            self.failed.emit(error)
        except Exception as error:  # a bug must not kill the thread silently; say what it was
            self.failed.emit(RuntimeError(f"training failed: {type(error).__name__}: {first_line(error)}"))
        else:
            self.finished.emit(result)


def start_worker(worker: TrainWorker) -> QThread:
    """Run `worker` in a new QThread. The caller keeps both (Python owns them) until it ends."""
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    # Direct: quit from the worker's own thread the moment the job ends, so a GUI-thread slot of
    # `finished` may wait() for the thread without waiting on a quit queued behind itself.
    worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    worker.failed.connect(thread.quit, Qt.ConnectionType.DirectConnection)
    thread.start()
    return thread
