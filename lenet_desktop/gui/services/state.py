"""The window's shared state: the active model and its device, the drawing last sent for prediction,
the number read in it and the chosen digit's prediction, and whether saliency is shown; and the
corrections and the kept models, each through a thin wrapper that says when they change.

Views take these and listen to their signals (as napari's views listen to their models); none of
them holds a model or a prediction of its own, and none talks to another view directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # these import torch, which the window shows before (see app.py)
    import torch

    from lenet_desktop.core.history import HistoryEntry, ModelHistory
    from lenet_desktop.core.model import Classifier
    from lenet_desktop.core.numbers import NumberReading
    from lenet_desktop.core.predict import Prediction
    from lenet_desktop.core.store import CorrectionStore


class AppState(QObject):
    modelChanged = Signal(object)  # the new active Classifier (its file, if any, is model_path)
    deviceChanged = Signal(object)  # the torch.device the same active model was moved to
    drawingChanged = Signal(
        object
    )  # the drawing last sent for prediction: (H, W) uint8, dark ink on white, or None when blank
    predictionChanged = Signal(object)  # the chosen digit's Prediction, or None for "no digit"
    readingChanged = Signal(object)  # NumberReading of the drawing (no digits for "no digit"), or None when blank
    selectedDigitChanged = Signal(int)  # index of the chosen digit in the reading, -1 when there is none
    saliencyChanged = Signal(bool)  # whether predictions carry a saliency map and the input view shows it

    def __init__(
        self, classifier: Classifier | None, model_path: Path | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._classifier = classifier
        self._model_path = model_path
        self._drawing: np.ndarray | None = None
        self._prediction: Prediction | None = None
        self._saliency = False
        self._reading: NumberReading | None = None
        self._selected_digit = -1

    @property
    def classifier(self) -> Classifier | None:
        """None only at start, until the model has loaded; its first set_classifier ends that."""
        return self._classifier

    @property
    def model_path(self) -> Path | None:
        """The file the active model was loaded from or saved to; None for the shipped weights or a
        model that lives only in memory (such as one kept from the Inspector)."""
        return self._model_path

    def set_classifier(self, classifier: Classifier, model_path: Path | None) -> None:
        self._classifier = classifier
        self._model_path = model_path
        self.modelChanged.emit(classifier)

    def set_device(self, device: torch.device) -> None:
        """The active model now runs on `device` (moved in place): the same model, so a view that keeps
        work made with it (the Inspector's steps) keeps it."""
        self.deviceChanged.emit(device)

    @property
    def drawing(self) -> np.ndarray | None:
        """The drawing last sent for prediction (None when blank); a stroke being drawn may be newer."""
        return self._drawing

    def set_drawing(self, image: np.ndarray | None) -> None:
        self._drawing = image
        self.drawingChanged.emit(image)

    @property
    def prediction(self) -> Prediction | None:
        return self._prediction

    def set_prediction(self, prediction: Prediction | None) -> None:
        self._prediction = prediction
        self.predictionChanged.emit(prediction)

    @property
    def reading(self) -> NumberReading | None:
        return self._reading

    @property
    def selected_digit(self) -> int:
        return self._selected_digit

    def set_reading(self, reading: NumberReading | None, selected: int) -> None:
        """The number read in the drawing, with digit `selected` chosen (clamped to the digits read);
        the chosen digit becomes the prediction every per-digit view shows."""
        self._reading = reading
        self.readingChanged.emit(reading)
        self._choose(selected)

    def select_digit(self, index: int) -> None:
        """Choose which digit of the reading the per-digit views show (clamped to the digits read)."""
        self._choose(index)

    def _choose(self, index: int) -> None:
        digits = self._reading.digits if self._reading is not None else ()
        self._selected_digit = min(max(index, 0), len(digits) - 1)
        self.selectedDigitChanged.emit(self._selected_digit)
        chosen = digits[self._selected_digit] if digits else None
        if chosen is None or chosen is not self._prediction:  # a digit read again unchanged is shown already
            self.set_prediction(chosen)

    @property
    def saliency(self) -> bool:
        return self._saliency

    def set_saliency(self, shown: bool) -> None:
        self._saliency = shown
        self.saliencyChanged.emit(shown)


class ObservedCorrections(QObject):
    """The corrections store, for the views: a correction added through it is announced, so the
    browser shows it without the bar that saved it knowing of the browser. Reads go to `store`."""

    added = Signal(int)  # the new correction's id
    removed = Signal(int)  # the id of a correction taken back

    def __init__(self, store: CorrectionStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def remove(self, identifier: int) -> None:
        """CorrectionStore.delete, then `removed`."""
        self.store.delete(identifier)
        self.removed.emit(identifier)

    def add(self, *args, **kwargs) -> int:
        """CorrectionStore.add, then `added`."""
        identifier = self.store.add(*args, **kwargs)
        self.added.emit(identifier)
        return identifier

    def add_number(self, *args, **kwargs) -> list[int]:
        """CorrectionStore.add_number, then `added` for each digit's correction."""
        identifiers = self.store.add_number(*args, **kwargs)
        for identifier in identifiers:
            self.added.emit(identifier)
        return identifiers


class ObservedHistory(QObject):
    """The kept models, for the views: whoever keeps a model (training, the Inspector), the Models tab hears of it."""

    kept = Signal(object)  # the new HistoryEntry

    def __init__(self, history: ModelHistory, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history

    def keep(self, classifier: Classifier) -> HistoryEntry:
        entry = self.history.keep(classifier)
        self.kept.emit(entry)
        return entry

    def entries(self) -> list[HistoryEntry]:
        return self.history.entries()

    def load(self, entry: HistoryEntry, device: torch.device | str = "cpu") -> Classifier:
        return self.history.load(entry, device)
