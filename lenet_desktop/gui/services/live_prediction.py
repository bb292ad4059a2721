"""Live reading off the GUI thread: throttled, one request in flight, the newest drawing wins.

Requests carry no image: the drawing is read when a request is dispatched, so a burst of
pen moves while the network is busy collapses into one reading of the latest picture. Each
reading is a number (core.numbers.read_number: one digit for a single digit, read as always);
the digit chosen by default is the one written last.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import torch
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from lenet_desktop.core.model import Classifier
from lenet_desktop.core.numbers import NumberReading, ReadingMemo, read_number
from lenet_desktop.core.predict import input_gradient, predict_frame
from lenet_desktop.core.preprocess import ink_box, ink_map
from lenet_desktop.gui.services.language import error_text
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.services.threads import WorkerThread

# While the pen moves, predict at most this often (about 30 Hz, half a 60 Hz screen's rate).
LIVE_INTERVAL_MS = 33


class PredictionWorker(QObject):
    """Runs in its own QThread; the lock keeps a device move from racing a forward pass."""

    predicted = Signal(int, object)  # request number, NumberReading
    failed = Signal(int, str)

    def __init__(self, lock: threading.Lock) -> None:
        super().__init__()
        self._lock = lock

    @Slot()
    def use_one_thread(self) -> None:
        """For one 32x32 image, splitting each layer across threads costs more than it saves
        (2 ms on one thread, 5-18 ms on two on the 2-core bench machine) and takes the core the
        window paints on. torch's thread count is per thread, so training elsewhere keeps its own."""
        torch.set_num_threads(1)

    @Slot(int, object, object, object, object, bool, object)
    def predict(
        self,
        request: int,
        classifier: Classifier,
        image: np.ndarray,
        known_input: np.ndarray | None,
        strokes,
        saliency: bool,
        memo: ReadingMemo,
    ) -> None:
        try:
            with self._lock:
                if known_input is None:
                    reading = read_number(classifier, image, strokes, memo=memo)
                else:  # one digit whose network input is known: read as it is, not prepared again
                    reading = NumberReading((predict_frame(classifier, known_input),), (ink_box(ink_map(image)),))
                if saliency:
                    reading = with_saliency(classifier, reading)
        except Exception as error:  # a device failure must reach the status bar, not kill the thread
            self.failed.emit(request, error_text(error))  # the window says it in its language
            return
        self.predicted.emit(request, reading)


def with_saliency(classifier: Classifier, reading: NumberReading) -> NumberReading:
    """The reading with each digit's saliency: the gradient of its own top logit for its own frame."""
    digits = []
    for prediction in reading.digits:
        frame = torch.from_numpy(np.ascontiguousarray(prediction.frame, dtype=np.float32)).to(classifier.device)[
            None, None
        ]
        gradient = input_gradient(classifier, classifier.normalization.apply(frame), prediction.digit)
        digits.append(replace(prediction, saliency=gradient))
    return replace(reading, digits=tuple(digits))


def last_written(reading: NumberReading, strokes: Sequence[np.ndarray] | None) -> int:
    """The digit the last stroke belongs to: the box nearest its middle; the rightmost digit when
    the strokes are unknown (an opened picture)."""
    if not strokes or not reading.boxes:
        return len(reading.boxes) - 1
    x = float(strokes[-1][:, 0].mean())
    return min(range(len(reading.boxes)), key=lambda i: abs(reading.boxes[i][0] + reading.boxes[i][2] / 2 - x))


class LivePredictor(QObject):
    """Feeds the state's drawing and reading from `read_drawing` (None when the canvas is blank) and
    `read_strokes` (the pen strokes in the drawing's pixels, None when they are not known)."""

    failed = Signal(str)
    _dispatched = Signal(int, object, object, object, object, bool, object)

    def __init__(
        self,
        state: AppState,
        read_drawing: Callable[[], np.ndarray | None],
        read_strokes: Callable[[], Sequence[np.ndarray] | None] = lambda: None,
        parent: QObject | None = None,
        read_input: Callable[[], np.ndarray | None] = lambda: None,
    ) -> None:
        """`read_input`: the drawing's 32x32 network input where it is known (an evaluated image opened
        as it was), which is then read instead of preparing the drawing."""
        super().__init__(parent)
        self._state = state
        self._read_drawing = read_drawing
        self._read_strokes = read_strokes
        self._read_input = read_input
        # Strokes of the drawing last dispatched, with whether the drawing changed since the one
        # before: a new stroke chooses the digit written last, a new model or saliency keeps the choice.
        self._sent: tuple[Sequence[np.ndarray] | None, bool] = (None, True)
        # The digits read for the drawing before, which a stroke mostly leaves as they were: used
        # and filled by the worker, one request at a time; a new model starts a new one.
        self._memo = ReadingMemo()
        self._lock = threading.Lock()
        self._last_request = 0
        self._last_shown = 0
        self._in_flight = False
        self._wanted = False
        self._throttle = QTimer(self, singleShot=True, interval=LIVE_INTERVAL_MS)
        self._throttle.timeout.connect(self.predict_now)
        self._worker = PredictionWorker(self._lock)
        self._thread = WorkerThread(self._worker, "prediction")
        self._thread.thread.started.connect(self._worker.use_one_thread)
        self._dispatched.connect(self._worker.predict)
        self._worker.predicted.connect(self._on_worker_predicted)
        self._worker.failed.connect(self._on_worker_failed)
        self._thread.start()
        state.modelChanged.connect(self._on_state_model_changed)

    @property
    def busy(self) -> bool:
        return self._in_flight or self._wanted or self._throttle.isActive()

    def predict_soon(self) -> None:
        """While drawing: predict within LIVE_INTERVAL_MS, however many times this is called."""
        if not self._throttle.isActive():
            self._throttle.start()

    @Slot()
    def predict_now(self) -> None:
        self._throttle.stop()
        if self._in_flight:
            self._wanted = True
            return
        self._wanted = False
        image = self._read_drawing()
        changed = not _same_drawing(image, self._state.drawing)
        self._state.set_drawing(image)
        self._last_request += 1
        if image is None:
            self._last_shown = self._last_request  # anything still in flight is older than this
            self._state.set_reading(None, -1)
            return
        self._in_flight = True
        strokes = self._read_strokes()
        self._sent = (strokes, changed)  # one request is in flight at a time: the answer is to this one
        self._dispatched.emit(
            self._last_request,
            self._state.classifier,
            image,
            self._read_input(),
            strokes,
            self._state.saliency,
            self._memo,
        )

    def _on_state_model_changed(self) -> None:
        self._memo = ReadingMemo()
        self.predict_now()

    def move_to(self, device: torch.device) -> None:
        """Move the active model between devices, waiting for a forward pass in progress."""
        with self._lock:
            self._state.classifier.to(device)

    def shutdown(self) -> None:
        self._throttle.stop()
        self._thread.stop()

    def _on_worker_predicted(self, request: int, reading: NumberReading) -> None:
        self._in_flight = False
        strokes, changed = self._sent
        if self._wanted:
            # The drawing changed while this was read (the pen lifted mid-reading): its reading starts
            # first, and runs on its thread while the window shows this one.
            self.predict_now()
        if request > self._last_shown:
            self._last_shown = request
            kept = self._state.reading is not None and len(self._state.reading.digits) == len(reading.digits)
            selected = self._state.selected_digit if kept and not changed else last_written(reading, strokes)
            self._state.set_reading(reading, selected)

    def _on_worker_failed(self, request: int, message: str) -> None:
        self._in_flight = False
        self.failed.emit(message)
        if self._wanted:
            self.predict_now()


def _same_drawing(image: np.ndarray | None, before: np.ndarray | None) -> bool:
    if image is None or before is None:
        return image is before
    return image.shape == before.shape and np.array_equal(image, before)
