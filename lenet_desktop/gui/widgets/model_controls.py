"""The active model's weights and device: open a weights file, save the weights, go back to the shipped
ones, and the device box that moves the model. Importing this module does not import torch (the window
shows first)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from lenet_desktop.core.errors import first_line
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.gui.services.language import error_text, fill
from lenet_desktop.gui.services.state import AppState

if TYPE_CHECKING:
    import torch

    from lenet_desktop.core.model import Classifier


class ModelControls(QObject):
    """Changes the state's model and device; errors go to `show_error(title, message)`, notes to
    `show_message(text, milliseconds)`; `move_to(device)` moves the predictor and `remember_device(spec)`
    keeps the choice for the next start."""

    def __init__(
        self,
        state: AppState,
        window: QWidget,
        show_error: Callable[[str, str], None],
        show_message: Callable[[str, int], None],
        move_to: Callable[[torch.device], None],
        remember_device: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.state = state
        self.window = window  # the dialogs' parent
        self.show_error = show_error
        self.show_message = show_message
        self.move_to = move_to
        self.remember_device = remember_device
        self.device_box = QComboBox()

    def list_devices(self) -> None:
        """Fill the device box, once the model (and torch) is there."""
        from lenet_desktop.core.device import available_devices

        for option in available_devices():
            self.device_box.addItem(option.label, option.spec)
        self.device_box.currentIndexChanged.connect(self._on_device_box_changed)

    def open_weights(self, path: Path | str) -> bool:
        """Use the weights in `path`; a bad file leaves the current model in place."""
        from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint

        try:
            classifier = load_checkpoint(Path(path), self.state.classifier.device)
        except CheckpointError as error:
            self.show_error(self.tr("Cannot use these weights"), error_text(error))
            return False
        self._use_classifier(classifier, Path(path))
        return True

    def use_shipped_weights(self) -> bool:
        from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint

        try:
            classifier = load_checkpoint(shipped_weights_path(), self.state.classifier.device)
        except CheckpointError as error:
            self.show_error(self.tr("Cannot use the shipped weights"), error_text(error))
            return False
        self.state.set_classifier(classifier, None)
        return True

    def _use_classifier(self, classifier: Classifier, path: Path) -> None:
        self.state.set_classifier(classifier, path.resolve())

    def save_weights(self, path: Path | str) -> bool:
        from lenet_desktop.core.checkpoint import CheckpointError, save_checkpoint

        try:
            save_checkpoint(Path(path), self.state.classifier)
        except CheckpointError as error:
            self.show_error(self.tr("Cannot save the weights"), error_text(error))
            return False
        except OSError as error:
            self.show_error(
                self.tr("Cannot save the weights"), f"{Path(path).name}: {error.strerror or first_line(error)}"
            )
            return False
        self.show_message(fill(self.tr("Saved the weights to %1"), path), 5000)
        return True

    def open_dialog(self) -> None:
        """Ask for a weights file, then use it."""
        path, _ = QFileDialog.getOpenFileName(self.window, self.tr("Open weights"), "", self._weights_filter())
        if path:
            self.open_weights(path)

    def save_dialog(self) -> None:
        """Ask where to save the weights, then save them."""
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("Save weights as"), f"{self.state.classifier.name}.pt", self._weights_filter()
        )
        if path:
            self.save_weights(path)

    def _weights_filter(self) -> str:
        return self.tr("Weights (*.pt *.pth);;All files (*)")

    def choose_device(self, spec: str) -> bool:
        from lenet_desktop.core.device import resolve_device

        index = self.device_box.findData(spec)
        if index < 0:
            self.show_error(
                self.tr("Cannot use this device"), fill(self.tr("device '%1' is not available on this machine"), spec)
            )
            return False
        if index == self.device_box.currentIndex():
            self._on_device_box_changed(index)  # moves and predicts again all the same
        else:
            self.device_box.setCurrentIndex(index)
        return self.state.classifier.device == resolve_device(spec)

    def _on_device_box_changed(self, index: int) -> None:
        from lenet_desktop.core.device import DeviceError, resolve_device

        spec = self.device_box.itemData(index)
        try:
            device = resolve_device(spec)
            self.move_to(device)
        except (DeviceError, RuntimeError) as error:
            self.show_error(self.tr("Cannot use this device"), error_text(error))
            self.select_device_of(self.state.classifier)
            return
        self.remember_device(spec)
        self.state.set_device(device)

    def select_device_of(self, classifier: Classifier) -> None:
        device = classifier.device
        spec = f"cuda:{device.index or 0}" if device.type == "cuda" else device.type
        index = self.device_box.findData(spec)
        if index >= 0 and index != self.device_box.currentIndex():
            self.device_box.blockSignals(True)
            self.device_box.setCurrentIndex(index)
            self.device_box.blockSignals(False)
