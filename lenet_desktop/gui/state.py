"""The window's shared state: the active model and its device, the drawing last sent for prediction
and its prediction, and whether saliency is shown; and the corrections and the kept models, each
through a thin wrapper that says when they change.

Views take these and listen to their signals (as napari's views listen to their models); none of
them holds a model or a prediction of its own, and none talks to another view directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Signal

from lenet_desktop.gui.shown_log import attach_shown_log

if TYPE_CHECKING:  # these import torch, which the window shows before (see app.py)
    import torch

    from lenet_desktop.core.history import HistoryEntry, ModelHistory
    from lenet_desktop.core.model import Classifier
    from lenet_desktop.core.predict import Prediction
    from lenet_desktop.core.store import CorrectionStore


class AppState(QObject):
    modelChanged = Signal(object)  # the new active Classifier (its file, if any, is model_path)
    deviceChanged = Signal(object)  # the torch.device the same active model was moved to
    drawingChanged = Signal(object)  # the drawing last sent for prediction: (H, W) uint8, dark ink on white, or None when blank
    predictionChanged = Signal(object)  # Prediction, or None for "no digit"
    saliencyChanged = Signal(bool)  # whether predictions carry a saliency map and the input view shows it

    def __init__(self, classifier: Classifier | None, model_path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._classifier = classifier
        self._model_path = model_path
        self._drawing: np.ndarray | None = None
        self._prediction: Prediction | None = None
        self._saliency = False
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
    def saliency(self) -> bool:
        return self._saliency

    def set_saliency(self, shown: bool) -> None:
        self._saliency = shown
        self.saliencyChanged.emit(shown)


class ObservedCorrections(QObject):
    """The corrections store, for the views: a correction added through it is announced, so the
    browser shows it without the bar that saved it knowing of the browser. Reads go to `store`."""

    added = Signal(int)  # the new correction's id

    def __init__(self, store: CorrectionStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def add(self, *args, **kwargs) -> int:
        """CorrectionStore.add, then `added`."""
        identifier = self.store.add(*args, **kwargs)
        self.added.emit(identifier)
        return identifier


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
