"""The window's shared state: the active model, the current drawing and its prediction.

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
    from lenet_desktop.core.predict import Prediction


class AppState(QObject):
    modelChanged = Signal(object)  # the new active Classifier (its file, if any, is model_path)
    drawingChanged = Signal(object)  # the canvas image (H, W) uint8, dark ink on white, or None when blank
    predictionChanged = Signal(object)  # Prediction, or None for "no digit"

    def __init__(self, classifier: Classifier | None, model_path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._classifier = classifier
        self._model_path = model_path
        self._drawing: np.ndarray | None = None
        self._prediction: Prediction | None = None
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
