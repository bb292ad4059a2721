"""Browse the corrections: `CorrectionsBrowser` shows every correction as a thumbnail to relabel,
delete, export or import. A new correction adds one row, and a thumbnail is decoded only when its row is first shown, so a
digit key stays as quick with thousands of corrections as with none.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.personalise import suspicious_labels
from lenet_desktop.core.store import Correction, CorrectionStore, StoreError
from lenet_desktop.gui.services.jobs import JobRunner
from lenet_desktop.gui.services.language import Retranslated, error_text, fill
from lenet_desktop.gui.services.plain_text import plain_tooltip
from lenet_desktop.gui.services.state import AppState, ObservedCorrections
from lenet_desktop.gui.widgets.status_label import StatusLabel

THUMBNAIL = 56


class CorrectionsModel(QAbstractListModel):
    """The corrections as rows; each thumbnail is decoded when a view first asks for it, then kept."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Correction] = []
        self._thumbnails: dict[int, QIcon] = {}  # by id: ids are never reused, drawings never change
        # ids whose label the active model finds all but impossible, not yet confirmed by the user
        self._flagged: set[int] = set()

    @property
    def decoded(self) -> int:
        """How many thumbnails have been decoded so far."""
        return len(self._thumbnails)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        correction = self._rows[index.row()]
        suspicious = correction.id in self._flagged
        if role == Qt.ItemDataRole.DisplayRole:
            caption = _caption(correction)
            return self.tr("⚠ {caption}").format(caption=caption) if suspicious else caption
        if role == Qt.ItemDataRole.DecorationRole:
            if correction.id not in self._thumbnails:
                self._thumbnails[correction.id] = _thumbnail(correction)
            return self._thumbnails[correction.id]
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = fill(
                self.tr("#%1, %2, model %3 %4"),
                correction.id,
                correction.created,
                correction.model_name or "?",
                correction.model_version or "",
            )
            if suspicious:
                check = self.tr(
                    "Check this label: the active model is sure this is not a %1. Confirm it if it is right, "
                    "relabel it if it is wrong; until then it is not trained on."
                )
                tip = fill(check, correction.label) + "\n" + tip
            return plain_tooltip(tip)  # the model's name came with an import
        if role == Qt.ItemDataRole.UserRole:
            return correction.id
        return None

    @property
    def flagged(self) -> list[int]:
        return [c.id for c in self._rows if c.id in self._flagged]

    def set_corrections(self, corrections: list[Correction], suspicious: list[bool]) -> None:
        self.beginResetModel()
        self._rows = list(corrections)
        self._flagged = {c.id for c, flag in zip(corrections, suspicious) if flag}
        kept = {c.id for c in self._rows}
        self._thumbnails = {i: icon for i, icon in self._thumbnails.items() if i in kept}
        self.endResetModel()

    def retranslate(self) -> None:
        """The captions and tooltips in the new language: the views ask again."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0),
                self.index(len(self._rows) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    def append(self, correction: Correction, suspicious: bool) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(correction)
        if suspicious:
            self._flagged.add(correction.id)
        self.endInsertRows()


class CorrectionsBrowser(Retranslated, QWidget):
    """Thumbnails with their label and what the model said; relabel, delete, export, import.
    With `state`, a label the active model finds all but impossible is flagged for the user to
    confirm or fix; until then training leaves it out (training_run.run_training)."""

    changed = Signal()
    importEnded = Signal()  # an import finished, failed or was stopped; the summary says which

    def __init__(
        self, corrections: ObservedCorrections, state: AppState | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = corrections.store
        self.state = state
        self.import_runner = JobRunner(QT_TRANSLATE_NOOP("core", "import"), (StoreError, OSError), parent=self)
        self.import_runner.finished.connect(self._on_import_runner_finished)
        self.import_runner.failed.connect(self._on_import_runner_failed)
        self.model = CorrectionsModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setMovement(QListView.Movement.Static)
        # One size for every item: otherwise the layout asks each row for its thumbnail.
        self.list.setUniformItemSizes(True)
        self.label_box = QComboBox()
        self.label_box.addItems([str(d) for d in range(10)])
        self.relabel_button = QPushButton()
        self.confirm_button = QPushButton()
        self.delete_button = QPushButton()
        self.export_button = QPushButton()
        self.import_button = QPushButton()
        self.summary = StatusLabel()
        self.selected_label = QLabel()

        tools = QHBoxLayout()
        tools.addWidget(self.selected_label)
        tools.addWidget(self.label_box)
        tools.addWidget(self.relabel_button)
        tools.addWidget(self.confirm_button)
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
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.list.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        corrections.added.connect(self.add)
        corrections.removed.connect(lambda _identifier: self._changed())
        if state is not None:
            state.modelChanged.connect(lambda _classifier: self.refresh())
        self._retranslate()
        self.refresh()

    def _retranslate(self) -> None:
        self.model.retranslate()
        self.relabel_button.setText(self.tr("Relabel"))
        self.confirm_button.setText(self.tr("Confirm label"))
        self.confirm_button.setToolTip(self.tr("The selected flagged labels are right: train on them"))
        self.delete_button.setText(self.tr("Delete"))
        self.export_button.setText(self.tr("Export…"))
        self.import_button.setText(self.tr("Import…"))
        self.selected_label.setText(self.tr("Selected:"))

    def refresh(self) -> None:
        corrections = self.store.all()
        self.model.set_corrections(corrections, self._suspicious(corrections))
        self._say_count()
        self._on_list_selection_changed()

    def add(self, identifier: int) -> None:
        """Show one new correction (after a digit key) without reading the others again."""
        try:
            correction = self.store.get(identifier)
        except StoreError as error:
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: error_text(failure), error=True)
            return
        self.model.append(correction, self._suspicious([correction])[0])
        self._say_count()

    @property
    def flagged(self) -> list[int]:
        """Ids of the corrections whose label the user is asked to check."""
        return self.model.flagged

    def _suspicious(self, corrections: list[Correction]) -> list[bool]:
        if self.state is None or self.state.classifier is None or not corrections:
            return [False] * len(corrections)
        frames = torch.from_numpy(np.stack([c.frame for c in corrections])).unsqueeze(1)
        labels = torch.tensor([c.label for c in corrections])
        suspicious = suspicious_labels(self.state.classifier, LabelledImages(frames, labels)).tolist()
        return [flag and not c.confirmed for flag, c in zip(suspicious, corrections)]

    def _say_count(self) -> None:
        count, path, flagged = self.model.rowCount(), self.store.path, len(self.flagged)

        def summary() -> str:
            text = fill(self.tr("%n corrections in %1", "", count), path)
            check = self.tr("(%n flagged ⚠: confirm or fix their labels; not trained on until then)", "", flagged)
            return text + " " + check if flagged else text

        self.summary.say(summary)

    def selected_ids(self) -> list[int]:
        return [index.data(Qt.ItemDataRole.UserRole) for index in self.list.selectionModel().selectedIndexes()]

    def relabel_selected(self, label: int) -> None:
        self._edit_selected(lambda identifier: self.store.relabel(identifier, label))

    def confirm_selected(self) -> None:
        """The selected flagged labels are right: stored as confirmed, trained on, no longer flagged."""
        flagged = set(self.flagged)
        self._edit_selected(lambda identifier: self.store.confirm(identifier) if identifier in flagged else None)

    def delete_selected(self) -> None:
        self._edit_selected(self.store.delete)

    def _edit_selected(self, edit) -> None:
        try:
            for identifier in self.selected_ids():
                edit(identifier)
        except StoreError as error:
            self._changed()
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: error_text(failure), error=True)
            return
        self._changed()

    def export_to(self, folder: Path) -> None:
        try:
            count = self.store.export(folder)
        except (StoreError, OSError) as error:  # a folder that is not empty; one that cannot be written
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: fill(self.tr("Export failed: %1"), error_text(failure)), error=True)
            return
        self.summary.say(lambda: fill(self.tr("Exported %n corrections to %1", "", count), folder))

    def import_from(self, folder: Path) -> bool:
        """Import in a worker thread, through a connection of its own: each drawing is read, prepared
        and committed, and a thousand took 15 s with the window frozen. False while one runs."""
        if self.import_runner.running:
            return False
        path = self.store.path

        def job(context) -> object:
            with CorrectionStore(path) as store:
                return store.import_folder(folder, context.should_stop)

        self.import_runner.start(job)
        self.import_button.setEnabled(False)
        self.summary.say(lambda: fill(self.tr("Importing corrections from %1…"), folder))
        return True

    def shutdown(self) -> None:
        """Stop an import after its current drawing and wait for its thread: the window is closing."""
        self.import_runner.stop()

    def _on_import_runner_failed(self, failure: BaseException) -> None:
        self.import_button.setEnabled(True)
        self.summary.say(lambda: fill(self.tr("Import failed: %1"), error_text(failure)), error=True)
        self.importEnded.emit()

    def _on_import_runner_finished(self, result) -> None:
        self.import_button.setEnabled(True)
        self._changed()
        added, skipped, refused = result.added, result.skipped, result.refused[:3]
        if refused:
            self.summary.say(
                lambda: fill(
                    self.tr("Imported %n corrections (%1 already there); could not read: %2", "", added),
                    skipped,
                    "; ".join(error_text(reason) for reason in refused),
                ),
                error=True,
            )
        else:
            self.summary.say(lambda: fill(self.tr("Imported %n corrections (%1 already there)", "", added), skipped))
        self.importEnded.emit()

    def _changed(self) -> None:
        self.refresh()
        self.changed.emit()

    def _on_list_selection_changed(self) -> None:
        chosen = self.list.selectionModel().hasSelection()
        self.relabel_button.setEnabled(chosen)
        self.confirm_button.setEnabled(bool(set(self.selected_ids()) & set(self.flagged)))
        self.delete_button.setEnabled(chosen)

    def _on_relabel_button_clicked(self) -> None:
        self.relabel_selected(self.label_box.currentIndex())

    def _on_confirm_button_clicked(self) -> None:
        self.confirm_selected()

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _on_export_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export corrections to folder"))
        if folder:
            self.export_to(Path(folder))

    def _on_import_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Import corrections from folder (with corrections.csv)")
        )
        if folder:
            self.import_from(Path(folder))


def _caption(correction: Correction) -> str:
    said = "?" if correction.predicted is None else str(correction.predicted)
    return fill(QCoreApplication.translate("CorrectionsModel", "%1 (said %2)"), correction.label, said)


def _thumbnail(correction: Correction) -> QIcon:
    image = QImage.fromData(correction.drawing_png, "PNG")
    return QIcon(
        QPixmap.fromImage(image).scaled(
            THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    )
