"""The active model's reading of the corrections, off the window's thread: `CorrectionScores` says
which labels the model finds all but impossible (personalise.suspicious_labels), for the browser
to flag. Ten thousand corrections took 2.5 s to score, with the window frozen at each model change.

A request carries the corrections to score and the model to score them with (a copy on the CPU, so
a device move of the active model cannot race it). A new model makes a new generation: the work of
the older ones stops at its next batch, and their results are dropped. Rows added for the same
model (a correction saved, an import) queue behind it. Results come in batches of BATCH. The thread
runs while there is work, and ends when the last request has: an idle browser holds none.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import torch
from PySide6.QtCore import QObject, Signal, Slot

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.personalise import suspicious_labels
from lenet_desktop.core.store import Correction
from lenet_desktop.gui.services.threads import WorkerThread

BATCH = 500


class _ScoreWorker(QObject):
    scored = Signal(int, object)  # generation, {id: suspicious} for a batch
    done = Signal(int)  # generation: a request ended (scored, or dropped for a newer model)

    def __init__(self) -> None:
        super().__init__()
        self.latest = 0  # the newest generation asked for; set from the window's thread

    @Slot(int, object, object)
    def score(self, generation: int, classifier: Classifier, corrections: list[Correction]) -> None:
        for start in range(0, len(corrections), BATCH):
            if generation != self.latest:
                break
            batch = corrections[start : start + BATCH]
            frames = torch.from_numpy(np.stack([c.frame for c in batch])).unsqueeze(1)
            labels = torch.tensor([c.label for c in batch])
            flags = suspicious_labels(classifier, LabelledImages(frames, labels)).tolist()
            self.scored.emit(generation, {c.id: flag and not c.confirmed for c, flag in zip(batch, flags)})
        self.done.emit(generation)


class CorrectionScores(QObject):
    """Scores corrections in a thread of its own; `scored` gives each batch's flags for the newest model."""

    scored = Signal(object)  # {id: suspicious}
    _requested = Signal(int, object, object)  # to the worker, queued to its thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._classifier: Classifier | None = None
        self._pending = 0  # requests sent and not yet ended
        self._thread: WorkerThread | None = None  # while there is work

    @property
    def busy(self) -> bool:
        """Whether some requested scores have not come yet."""
        return self._pending > 0

    def use(self, classifier: Classifier | None, corrections: list[Correction]) -> None:
        """Score every correction with a new model; what an older one was doing is dropped."""
        self._generation += 1
        if self._thread is not None:
            self._thread.worker.latest = self._generation
        self._classifier = (
            None if classifier is None else replace(classifier, net=copy.deepcopy(classifier.net).cpu().eval())
        )
        self.score(corrections)

    def score(self, corrections: list[Correction]) -> None:
        """Score more corrections with the model in use (none: nothing to say)."""
        if self._classifier is None or not corrections:
            return
        if self._thread is None:
            worker = _ScoreWorker()
            worker.latest = self._generation
            self._thread = WorkerThread(worker, "scoring corrections", lambda: setattr(worker, "latest", -1))
            self._requested.connect(worker.score)
            worker.scored.connect(self._on_worker_scored)
            worker.done.connect(self._on_worker_done)
            self._thread.start()
        self._pending += 1
        self._requested.emit(self._generation, self._classifier, list(corrections))

    def shutdown(self) -> None:
        """Drop what is queued, and wait for the thread after its current batch: the window is closing."""
        if self._thread is not None:
            self._end()

    def _end(self) -> None:
        self._requested.disconnect(self._thread.worker.score)
        self._thread.stop()  # its cancel drops whatever is still queued
        self._thread = None
        self._pending = 0

    def _on_worker_scored(self, generation: int, flags: dict[int, bool]) -> None:
        if generation == self._generation:
            self.scored.emit(flags)

    def _on_worker_done(self, _generation: int) -> None:
        if self._thread is None or self.sender() is not self._thread.worker:
            return  # from a thread shut down since
        self._pending -= 1
        if self._pending == 0 and self._thread is not None:  # nothing queued: the thread ends
            self._end()
