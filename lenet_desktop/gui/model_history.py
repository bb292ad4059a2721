"""The kept models: each with its name, date, MNIST accuracy and version; any can be made active."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from lenet_desktop.core.checkpoint import CheckpointError
from lenet_desktop.core.history import HistoryEntry, ModelHistory
from lenet_desktop.gui.state import AppState

ERROR_STYLE = "color: #b91c1c;"


class ModelHistoryPanel(QWidget):
    def __init__(self, state: AppState, history: ModelHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.history = history
        self.list = QListWidget()
        self.activate_button = QPushButton("Make active")
        self.activate_button.setToolTip("Predict with the chosen kept model from now on")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Models you kept after training, oldest first:"))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.activate_button)
        layout.addWidget(self.status)
        self.activate_button.clicked.connect(self._on_activate_button_clicked)
        self.list.itemSelectionChanged.connect(lambda: self.activate_button.setEnabled(bool(self.list.selectedItems())))
        self.list.itemDoubleClicked.connect(lambda _item: self._on_activate_button_clicked())
        # A model change only moves the marker; reading every kept checkpoint again waits for Keep.
        state.modelChanged.connect(lambda _classifier: self._show_entries())
        self.refresh()

    def refresh(self) -> None:
        """Read the kept models from disk again (after a Keep) and show them."""
        self.entries = self.history.entries()
        self._show_entries()

    def _show_entries(self) -> None:
        self.list.clear()
        active = self.state.classifier.metadata.get("version")
        for entry in self.entries:
            accuracy = f"{entry.mnist_test_accuracy:.2%}" if entry.mnist_test_accuracy is not None else "not measured"
            marker = "● " if entry.version and entry.version == active else ""
            item = QListWidgetItem(f"{marker}{entry.name} · {entry.created} · MNIST test {accuracy} · version {entry.version}")
            item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
            self.list.addItem(item)
        self.activate_button.setEnabled(bool(self.list.selectedItems()))

    def activate(self, entry: HistoryEntry) -> bool:
        try:
            classifier = self.history.load(entry, self.state.classifier.device)
        except CheckpointError as error:
            self.status.setText(f"Cannot use it: {error}")
            self.status.setStyleSheet(ERROR_STYLE)
            return False
        self.state.set_classifier(classifier, entry.path)
        self.status.setText(f"Now predicting with {entry.name}.")
        self.status.setStyleSheet("")
        return True

    def _on_activate_button_clicked(self) -> None:
        rows = [self.list.row(item) for item in self.list.selectedItems()]
        if rows:
            self.activate(self.entries[rows[0]])
