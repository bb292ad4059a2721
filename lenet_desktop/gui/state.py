"""The window's shared state: the active model, the current drawing, the number read in it and the
chosen digit's prediction.

Views take an AppState and listen to its signals (as napari's views listen to their models);
none of them holds a model or a prediction of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from lenet_desktop.gui.shown_log import attach_shown_log

if TYPE_CHECKING:  # both import torch, which the window shows before (see app.py)
    from lenet_desktop.core.model import Classifier
    from lenet_desktop.core.numbers import NumberReading
    from lenet_desktop.core.predict import Prediction


class AppState(QObject):
    modelChanged = Signal(object)  # the new active Classifier (its file, if any, is model_path)
    drawingChanged = Signal(object)  # the canvas image (H, W) uint8, dark ink on white, or None when blank
    predictionChanged = Signal(object)  # the chosen digit's Prediction, or None for "no digit"
    readingChanged = Signal(object)  # NumberReading of the drawing (no digits for "no digit"), or None when blank
    selectedDigitChanged = Signal(int)  # index of the chosen digit in the reading, -1 when there is none

    def __init__(self, classifier: Classifier | None, model_path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._classifier = classifier
        self._model_path = model_path
        self._drawing: np.ndarray | None = None
        self._prediction: Prediction | None = None
        self._reading: NumberReading | None = None
        self._selected_digit = -1
        attach_shown_log(self)

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

    @property
    def drawing(self) -> np.ndarray | None:
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
        self.set_prediction(digits[self._selected_digit] if digits else None)
