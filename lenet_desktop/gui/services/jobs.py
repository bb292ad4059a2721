"""A JobRunner runs its owner's jobs (a training run, an evaluation, an import) off the window's thread,
one at a time, each in a WorkerThread (gui.services.threads), so that closing the window stops it.

Wired as superqt's `new_worker_qthread`: the worker moves to a QThread whose `started` runs it, and
`finished`/`failed` quit the thread. Cancelling sets a threading.Event that the job polls between
batches; `cancel()` is called directly because the worker's event loop is busy.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import torch
from PySide6.QtCore import QObject, Qt, Signal, Slot

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, Told, TranslatableError, first_line
from lenet_desktop.core.train import Listener, throttled
from lenet_desktop.gui.services.threads import WorkerThread

PROGRESS_INTERVAL = 0.05  # seconds; more often only floods the GUI thread's event queue
# torch's thread count before anything lowers it. The prediction worker runs on one thread, and
# torch hands the last count set to every thread it starts later, this worker's included.
TRAINING_THREADS = torch.get_num_threads()


class JobContext(Listener):
    """What a job receives, to hand to the training run: its progress and epochs become the worker's
    signals, and it stops when the worker is cancelled."""

    def __init__(self, worker: _JobWorker) -> None:
        self._worker = worker
        self._emit_progress = throttled(lambda run, progress: worker.progress.emit((run, progress)), PROGRESS_INTERVAL)

    def progress(self, run: str, progress) -> None:
        self._emit_progress(run, progress)

    def epoch(self, run: str, result) -> None:
        self._worker.epochDone.emit((run, result))

    def should_stop(self) -> bool:
        return self._worker.cancelled


class _JobWorker(QObject):
    progress = Signal(object)  # (run name, train.Progress)
    epochDone = Signal(object)  # (run name, train.EpochResult)
    finished = Signal(object)  # whatever the job returned
    failed = Signal(object)  # the error

    def __init__(
        self, job: Callable[[JobContext], object], name: str, expected_errors: tuple[type[BaseException], ...]
    ) -> None:
        super().__init__()
        self._job = job
        self._name = name
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
        except Exception as error:  # a bug must not kill the thread silently; say what it was, and in what
            self.failed.emit(
                TranslatableError(
                    QT_TRANSLATE_NOOP("core", "{job} failed: {kind}: {reason}"),
                    job=Told(self._name),
                    kind=type(error).__name__,
                    reason=first_line(error),
                )
            )
        else:
            self.finished.emit(result)


class JobRunner(QObject):
    """Runs one job at a time in a thread of its own. `name` says what the jobs are, in the English of
    the "core" translations (mark it with QT_TRANSLATE_NOOP): a job that crashes fails as
    "<name> failed: <error>". `finished` and `failed` come once the thread has ended."""

    progress = Signal(object)  # (run name, progress with batch and batches), paced
    epochDone = Signal(object)  # (run name, train.EpochResult)
    finished = Signal(object)  # whatever the job returned
    failed = Signal(object)  # the error: the receiver tells it (error_text), again when the language changes

    def __init__(
        self, name: str, expected_errors: tuple[type[BaseException], ...] = (), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.name = name
        self._expected_errors = expected_errors
        self._thread: WorkerThread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, job: Callable[[JobContext], object]) -> bool:
        """Run `job(context)` in a new thread; False (and nothing done) while a job runs."""
        if self.running:
            return False
        worker = _JobWorker(job, self.name, self._expected_errors)
        self._thread = WorkerThread(worker, self.name, worker.cancel)
        self._thread.thread.started.connect(worker.run)
        # Direct: quit from the worker's own thread the moment the job ends, so the GUI-thread slot of
        # `finished` may wait() for the thread without waiting on a quit queued behind itself.
        worker.finished.connect(self._thread.thread.quit, Qt.ConnectionType.DirectConnection)
        worker.failed.connect(self._thread.thread.quit, Qt.ConnectionType.DirectConnection)
        # Bound methods and signals of this GUI-thread object: their calls are queued to the GUI thread.
        worker.progress.connect(self.progress)
        worker.epochDone.connect(self.epochDone)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        self._thread.start()
        return True

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it then finishes with what it returns when stopped."""
        if self._thread is not None:
            self._thread.worker.cancel()

    def stop(self) -> None:
        """Cancel the job and wait for its thread: its owner is shutting down."""
        if self._thread is not None:
            self._thread.stop()

    def _on_worker_finished(self, result: object) -> None:
        self._end()
        self.finished.emit(result)

    def _on_worker_failed(self, failure: BaseException) -> None:
        self._end()
        self.failed.emit(failure)

    def _end(self) -> None:
        self._thread.stop()
        self._thread = None
