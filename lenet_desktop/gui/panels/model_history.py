"""The shipped model and the kept ones: each with its name, date, MNIST accuracy and version; any can be made active."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from lenet_desktop.core.checkpoint import CheckpointError
from lenet_desktop.core.history import HistoryEntry, ReplacedError, checkpoint_entry, fingerprint
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.gui.services.language import Retranslated, error_text, fill, percent_text
from lenet_desktop.gui.services.plain_text import plain_tooltip
from lenet_desktop.gui.services.state import AppState, ObservedHistory
from lenet_desktop.gui.widgets.status_label import StatusLabel


class ModelHistoryPanel(Retranslated, QWidget):
    def __init__(self, state: AppState, history: ObservedHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.history = history
        try:
            self.shipped: HistoryEntry | None = checkpoint_entry(shipped_weights_path())
        except CheckpointError:  # the window says so where the model is chosen; the kept ones still work
            self.shipped = None
        self.list = QListWidget()
        # A line too long for the tab wraps, rather than running off its edge; its tooltip holds it whole.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.activate_button = QPushButton()
        self.status = StatusLabel()
        self.heading = QLabel(wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.activate_button)
        layout.addWidget(self.status)
        self.activate_button.clicked.connect(self._on_activate_button_clicked)
        self.list.itemSelectionChanged.connect(lambda: self.activate_button.setEnabled(bool(self.list.selectedItems())))
        self.list.itemDoubleClicked.connect(lambda _item: self._on_activate_button_clicked())
        # A model change only moves the marker; reading every kept checkpoint again waits for Keep.
        state.modelChanged.connect(lambda _classifier: self._show_entries())
        history.kept.connect(lambda _entry: self.refresh())
        self.entries: list[HistoryEntry] = []
        self._retranslate()
        self.refresh()

    def _retranslate(self) -> None:
        self.activate_button.setText(self.tr("Make active"))
        self.activate_button.setToolTip(self.tr("Predict with the chosen kept model from now on"))
        self.heading.setText(self.tr("The shipped model, then the models you kept after training, oldest first:"))
        self._show_entries()

    def refresh(self) -> None:
        """Read the kept models from disk again (after a Keep) and show them, after the shipped one."""
        self.entries = ([self.shipped] if self.shipped is not None else []) + self.history.entries()
        self._show_entries()

    def _show_entries(self) -> None:
        selected = self.list.currentRow()
        self.list.clear()
        active = self.state.classifier.metadata.get("version") or fingerprint(self.state.classifier)
        for entry in self.entries:
            if entry.mnist_test_accuracy is None:
                text = self.tr("%1 · %2 · MNIST test accuracy not measured · version %4")
            else:
                text = self.tr("%1 · %2 · MNIST test %3 · version %4")
            marker = "● " if entry.version and entry.version == active else ""
            accuracy = "" if entry.mnist_test_accuracy is None else percent_text(entry.mnist_test_accuracy, 2)
            item = QListWidgetItem(marker + fill(text, entry.name, entry.created, accuracy, entry.version))
            item.setToolTip(plain_tooltip(item.text()))
            item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
            self.list.addItem(item)
        if 0 <= selected < self.list.count():  # the marker moved or the language changed: same model chosen
            self.list.setCurrentRow(selected)
        self.activate_button.setEnabled(bool(self.list.selectedItems()))

    def activate(self, entry: HistoryEntry) -> bool:
        try:
            classifier = self.history.load(entry, self.state.classifier.device)
        except CheckpointError as error:
            failure = error  # told when shown, and again in a new language
            self.status.say(lambda: fill(self.tr("Cannot use it: %1"), error_text(failure)), error=True)
            if isinstance(error, ReplacedError):  # the list shows what the files hold now
                self.refresh()
            return False
        self.state.set_classifier(
            classifier, None if entry is self.shipped else entry.path
        )  # None: the shipped weights
        self.status.say(lambda: fill(self.tr("Now predicting with %1."), entry.name))
        return True

    def _on_activate_button_clicked(self) -> None:
        rows = [self.list.row(item) for item in self.list.selectedItems()]
        if rows:
            self.activate(self.entries[rows[0]])
