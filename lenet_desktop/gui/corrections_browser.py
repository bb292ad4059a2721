"""Corrections: say what the drawing really is in one key press, and browse what was said.

`CorrectionBar` stores the current drawing with its true digit (keys 0-9 anywhere in the window,
or its row of buttons); it says "saved" only after the store has committed the row.
`CorrectionsBrowser` shows every correction as a thumbnail to relabel, delete, export or import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.history import fingerprint
from lenet_desktop.core.personalise import suspicious_labels
from lenet_desktop.core.predict import predict_frame
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store import Correction, CorrectionStore, StoreError
from lenet_desktop.gui.state import AppState

THUMBNAIL = 56
ERROR_STYLE = "color: #b91c1c;"


class _DigitKeys(QObject):
    """Digit keys that reach `host` unclaimed (the canvas, buttons and tabs ignore them; spin boxes,
    text fields and combo boxes keep theirs, so typing a value never saves a correction)."""

    def __init__(self, bar: "CorrectionBar", host: QWidget) -> None:
        super().__init__(bar)
        self.bar = bar
        host.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_9:
            if event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                self.bar.capture(event.key() - Qt.Key.Key_0)
                return True
        return False


class CorrectionBar(QWidget):
    """"This drawing is: 0 ... 9". The digit keys do the same when they reach `shortcut_host`."""

    correctionSaved = Signal(int)  # the new correction's id

    def __init__(
        self,
        state: AppState,
        store: CorrectionStore,
        shortcut_host: QWidget | None = None,
        read_drawing: Callable[[], np.ndarray | None] | None = None,  # the canvas as it is now
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.store = store
        # The state's drawing is the one last sent to the predictor; a key pressed right after a
        # stroke must save the canvas as the user sees it.
        self._read_drawing = read_drawing or (lambda: state.drawing)
        self.buttons: list[QPushButton] = []
        self.status = QLabel("Draw a digit, then press its key (0-9) or button to save it as a correction.")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel("This drawing is:"))
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(30)
            button.setToolTip(f"Save the drawing as a {digit} (key {digit})")
            button.clicked.connect(lambda _=False, digit=digit: self.capture(digit))
            row.addWidget(button)
            self.buttons.append(button)
        self._digit_keys = _DigitKeys(self, shortcut_host or self)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        state.drawingChanged.connect(self._on_state_drawing_changed)
        self._on_state_drawing_changed(state.drawing)

    def capture(self, label: int) -> int | None:
        """Store the current drawing as `label`; returns the correction's id, or None with a reason shown."""
        drawing = self._read_drawing()
        frame = preprocess(drawing) if drawing is not None else None
        if frame is None:
            self._say("Nothing to save: draw a digit first.", error=True)
            return None
        prediction, classifier = self.state.prediction, self.state.classifier
        if prediction is None or not np.array_equal(prediction.frame, frame):
            prediction = predict_frame(classifier, frame)  # the live answer was for an older drawing
        try:
            identifier = self.store.add(
                drawing, label,
                predicted=prediction.digit,
                confidence=prediction.confidence,
                model_name=classifier.name,
                model_version=classifier.metadata.get("version") or fingerprint(classifier),
                frame=frame,
            )
        except (StoreError, OSError) as error:
            self._say(f"Not saved: {error}", error=True)
            return None
        said = f"the model said {prediction.digit} ({prediction.confidence:.0%})"
        self._say(f"Saved correction #{identifier} as {label}; {said}. {len(self.store)} corrections in all.")
        self.correctionSaved.emit(identifier)
        return identifier

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _on_state_drawing_changed(self, drawing) -> None:
        for button in self.buttons:
            button.setEnabled(drawing is not None)


class CorrectionsBrowser(QWidget):
    """Thumbnails with their label and what the model said; relabel, delete, export, import.
    With `state`, a label the active model finds all but impossible is flagged for the user to check."""

    changed = Signal()

    def __init__(self, store: CorrectionStore, state: AppState | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.state = state
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setMovement(QListWidget.Movement.Static)
        self.label_box = QComboBox()
        self.label_box.addItems([str(d) for d in range(10)])
        self.relabel_button = QPushButton("Relabel")
        self.delete_button = QPushButton("Delete")
        self.export_button = QPushButton("Export…")
        self.import_button = QPushButton("Import…")
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Selected:"))
        tools.addWidget(self.label_box)
        tools.addWidget(self.relabel_button)
        tools.addWidget(self.delete_button)
        tools.addStretch(1)
        tools.addWidget(self.export_button)
        tools.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(tools)
        layout.addWidget(self.summary)

        self.relabel_button.clicked.connect(self._on_relabel_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.list.itemSelectionChanged.connect(self._on_list_selection_changed)
        if state is not None:
            state.modelChanged.connect(lambda _classifier: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        corrections = self.store.all()
        flagged = self._suspicious(corrections)
        for correction, suspicious in zip(corrections, flagged):
            caption, tip = _caption(correction), f"#{correction.id}, {correction.created}, model {correction.model_name or '?'} {correction.model_version or ''}"
            if suspicious:
                caption = self.tr("⚠ {caption}").format(caption=caption)
                tip = self.tr("Check this label: the active model is sure this is not a {label}. Relabel it if it is wrong.").format(label=correction.label) + "\n" + tip
            item = QListWidgetItem(_thumbnail(correction), caption)
            item.setData(Qt.ItemDataRole.UserRole, correction.id)
            item.setToolTip(tip)
            self.list.addItem(item)
        self.flagged = [c.id for c, suspicious in zip(corrections, flagged) if suspicious]
        summary = f"{len(corrections)} corrections in {self.store.path}"
        if self.flagged:
            summary += " " + self.tr("({count} flagged ⚠: check their labels)").format(count=len(self.flagged))
        self.summary.setText(summary)
        self._on_list_selection_changed()

    def _suspicious(self, corrections: list[Correction]) -> list[bool]:
        if self.state is None or not corrections:
            return [False] * len(corrections)
        return suspicious_labels(self.state.classifier, self.store.images()).tolist()  # both in id order

    def selected_ids(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]

    def relabel_selected(self, label: int) -> None:
        self._edit_selected(lambda identifier: self.store.relabel(identifier, label))

    def delete_selected(self) -> None:
        self._edit_selected(self.store.delete)

    def _edit_selected(self, edit) -> None:
        try:
            for identifier in self.selected_ids():
                edit(identifier)
        except StoreError as error:
            self._changed()
            self._say(str(error), error=True)
            return
        self._changed()

    def export_to(self, folder: Path) -> None:
        try:
            count = self.store.export(folder)
        except OSError as error:
            self._say(f"Export failed: {error.strerror or error}", error=True)
            return
        self._say(f"Exported {count} corrections to {folder}")

    def import_from(self, folder: Path) -> None:
        try:
            result = self.store.import_folder(folder)
        except (StoreError, OSError) as error:
            self._say(f"Import failed: {error}", error=True)
            return
        self._changed()
        refused = f"; could not read: {'; '.join(result.refused[:3])}" if result.refused else ""
        self._say(f"Imported {result.added} corrections ({result.skipped} already there){refused}", error=bool(result.refused))

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def _say(self, text: str, error: bool = False) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(ERROR_STYLE if error else "")

    def _on_list_selection_changed(self) -> None:
        chosen = bool(self.list.selectedItems())
        self.relabel_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _on_relabel_button_clicked(self) -> None:
        self.relabel_selected(self.label_box.currentIndex())

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _on_export_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export corrections to folder")
        if folder:
            self.export_to(Path(folder))

    def _on_import_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import corrections from folder (with corrections.csv)")
        if folder:
            self.import_from(Path(folder))


def _caption(correction: Correction) -> str:
    said = "?" if correction.predicted is None else str(correction.predicted)
    return f"{correction.label} (said {said})"


def _thumbnail(correction: Correction) -> QIcon:
    image = QImage.fromData(correction.drawing_png, "PNG")
    return QIcon(QPixmap.fromImage(image).scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
