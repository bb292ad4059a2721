"""Browse the corrections: `CorrectionsBrowser` shows every correction as a thumbnail to relabel,
delete (with Undo), export or import. Each edit changes only the rows it touches, in the list and in
what is read from the store: a relabel or a delete re-reads one row, an import's end reads only the
rows it added. The active model's flags come from a worker (CorrectionScores), and an export runs in
one too, so with ten thousand corrections the window keeps turning (each edit took over 2 s).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
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

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.store import Correction, CorrectionStore, StoreError
from lenet_desktop.gui.panels.corrections_model import THUMBNAIL, CorrectionsModel
from lenet_desktop.gui.services.correction_scores import CorrectionScores
from lenet_desktop.gui.services.jobs import JobRunner
from lenet_desktop.gui.services.language import Retranslated, error_text, fill
from lenet_desktop.gui.services.state import AppState, ObservedCorrections
from lenet_desktop.gui.widgets.status_label import StatusLabel

UNDO_FOR_MS = 30_000  # how long Undo is offered after a delete


class CorrectionsBrowser(Retranslated, QWidget):
    """Thumbnails with their label and what the model said; relabel, delete, export, import.
    With `state`, a label the active model finds all but impossible is flagged for the user to
    confirm or fix; until then training leaves it out (training_run.run_training)."""

    changed = Signal()
    importEnded = Signal()  # an import finished, failed or was stopped; the summary says which
    exportEnded = Signal()  # an export finished or failed; the summary says which

    def __init__(
        self, corrections: ObservedCorrections, state: AppState | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.corrections = corrections  # deletes through it, so that the bar hears of them
        self.store = corrections.store
        self.state = state
        self.scores = CorrectionScores(self)
        self.scores.scored.connect(self._on_scores_scored)
        self.export_runner = JobRunner(QT_TRANSLATE_NOOP("core", "export"), (StoreError, OSError), parent=self)
        self.export_runner.finished.connect(self._on_export_runner_finished)
        self.export_runner.failed.connect(self._on_export_runner_failed)
        self._deleted: list[Correction] = []  # what Undo puts back
        self._note: Callable[[], str] | None = None  # what the last delete or undo did, after the count
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_FOR_MS)
        self._undo_timer.timeout.connect(self._on_undo_timer_timeout)
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
        self.undo_button = QPushButton()
        self.undo_button.hide()
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
        tools.addWidget(self.undo_button)
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
        self.undo_button.clicked.connect(self._on_undo_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button.clicked.connect(self._on_import_button_clicked)
        self.list.selectionModel().selectionChanged.connect(self._on_list_selection_changed)
        corrections.added.connect(self.add)
        corrections.removed.connect(self._on_corrections_removed)
        if state is not None:
            state.modelChanged.connect(lambda classifier: self.scores.use(classifier, self.model.corrections()))
        self._retranslate()
        self.refresh()

    def _retranslate(self) -> None:
        self.model.retranslate()
        self.relabel_button.setText(self.tr("Relabel"))
        self.confirm_button.setText(self.tr("Confirm label"))
        self.confirm_button.setToolTip(self.tr("The selected flagged labels are right: train on them"))
        self.delete_button.setText(self.tr("Delete"))
        self.undo_button.setText(self.tr("Undo"))
        self.undo_button.setToolTip(self.tr("Put back the corrections just deleted"))
        self.export_button.setText(self.tr("Export…"))
        self.import_button.setText(self.tr("Import…"))
        self.selected_label.setText(self.tr("Selected:"))

    def refresh(self) -> None:
        """Every correction read again, and scored anew in the worker (as the tab opens)."""
        self.model.set_corrections(self.store.all())
        self.scores.use(self.state.classifier if self.state is not None else None, self.model.corrections())
        self._say_count()
        self._on_list_selection_changed()

    def add(self, identifier: int) -> None:
        """Show one new correction (after a digit key, or put back by Undo) without reading the others again."""
        try:
            correction = self.store.get(identifier)
        except StoreError as error:
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: error_text(failure), error=True)
            return
        self._show_added([correction])

    def _show_added(self, corrections: list[Correction]) -> None:
        self.model.add(corrections)
        self.scores.score(corrections)
        self._say_count()

    @property
    def flagged(self) -> list[int]:
        """Ids of the corrections whose label the user is asked to check."""
        return self.model.flagged

    @property
    def scoring(self) -> bool:
        """Whether the active model's flags for some corrections are still to come."""
        return self.scores.busy

    def _on_scores_scored(self, flags: dict[int, bool]) -> None:
        had = len(self.model.flagged)
        self.model.set_flags(flags)
        if len(self.model.flagged) != had:
            self._say_count()
            self._on_list_selection_changed()

    def _say_count(self) -> None:
        count, path, flagged = self.model.rowCount(), self.store.path, len(self.flagged)

        def summary() -> str:
            text = fill(self.tr("%n corrections in %1", "", count), path)
            check = self.tr("(%n flagged ⚠: confirm or fix their labels; not trained on until then)", "", flagged)
            text = text + " " + check if flagged else text
            return text + ". " + self._note() if self._note is not None else text

        self.summary.say(summary)

    def selected_ids(self) -> list[int]:
        return [index.data(Qt.ItemDataRole.UserRole) for index in self.list.selectionModel().selectedIndexes()]

    def relabel_selected(self, label: int) -> None:
        def relabel(identifier: int) -> None:
            self.store.relabel(identifier, label)
            self._reread(identifier)

        self._edit_selected(relabel)

    def confirm_selected(self) -> None:
        """The selected flagged labels are right: stored as confirmed, trained on, no longer flagged."""
        flagged = set(self.flagged)

        def confirm(identifier: int) -> None:
            if identifier in flagged:
                self.store.confirm(identifier)
                self._reread(identifier)

        self._edit_selected(confirm)

    def _reread(self, identifier: int) -> None:
        """The row just edited, read again from the store: what it now holds is what the list shows."""
        self.model.replace(self.store.get(identifier))

    def delete_selected(self) -> None:
        """Delete the selected corrections; Undo puts them back for a while (UNDO_FOR_MS)."""
        chosen = [self.model.correction(identifier) for identifier in self.selected_ids()]
        deleted: list[Correction] = []

        def delete(identifier: int) -> None:
            self.corrections.remove(identifier)
            deleted.append(next(c for c in chosen if c is not None and c.id == identifier))

        self._edit_selected(delete)
        if deleted:
            self._deleted = deleted
            self.undo_button.show()
            self._undo_timer.start()
            if len(deleted) == 1:
                identifier = deleted[0].id
                self._note = lambda: fill(self.tr("Deleted correction #%1: Undo puts it back."), identifier)
            else:
                count = len(deleted)
                self._note = lambda: self.tr("Deleted %n corrections: Undo puts them back.", "", count)
            self._say_count()

    def undo_delete(self) -> None:
        """Put back the corrections the last delete took, under their own ids."""
        deleted, self._deleted = self._deleted, []
        self._forget_deleted()
        self._say_count()
        if not deleted:
            return
        try:
            self.store.restore(deleted)
        except StoreError as error:
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: fill(self.tr("Not put back: %1"), error_text(failure)), error=True)
            return
        count = len(deleted)
        self._note = lambda: self.tr("Put back %n corrections.", "", count)
        self._show_added(deleted)
        self.changed.emit()

    def _forget_deleted(self) -> None:
        """Undo is no longer offered (used, timed out, or a new delete)."""
        self._deleted = []
        self._note = None
        self._undo_timer.stop()
        self.undo_button.hide()

    def _edit_selected(self, edit) -> None:
        try:
            for identifier in self.selected_ids():
                edit(identifier)
        except StoreError as error:
            self.changed.emit()
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: error_text(failure), error=True)
            return
        self._say_count()
        self._on_list_selection_changed()
        self.changed.emit()

    def _on_corrections_removed(self, identifier: int) -> None:
        self.model.remove(identifier)
        self._say_count()

    def export_to(self, folder: Path) -> bool:
        """Export in a worker thread, through a connection of its own (ten thousand drawings held the
        window 0.7 s); `exportEnded` comes when it is done. False while one runs."""
        if self.export_runner.running:
            return False
        path = self.store.path

        def job(_context) -> object:
            with CorrectionStore(path) as store:
                return store.export(folder), folder

        self.export_runner.start(job)
        self.export_button.setEnabled(False)
        self.summary.say(lambda: fill(self.tr("Exporting corrections to %1…"), folder))
        return True

    def _on_export_runner_finished(self, result) -> None:
        count, folder = result
        self.export_button.setEnabled(True)
        self.summary.say(lambda: fill(self.tr("Exported %n corrections to %1", "", count), folder))
        self.exportEnded.emit()

    def _on_export_runner_failed(self, failure: BaseException) -> None:
        # a folder that is not empty; one that cannot be written
        self.export_button.setEnabled(True)
        self.summary.say(lambda: fill(self.tr("Export failed: %1"), error_text(failure)), error=True)
        self.exportEnded.emit()

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
        """Stop an import after its current drawing, and the scoring after its batch, and wait for
        their threads and an export's: the window is closing."""
        self.import_runner.stop()
        self.export_runner.stop()
        self.scores.shutdown()

    def _on_import_runner_failed(self, failure: BaseException) -> None:
        self.import_button.setEnabled(True)
        self._show_imported()
        self.summary.say(lambda: fill(self.tr("Import failed: %1"), error_text(failure)), error=True)
        self.importEnded.emit()

    def _on_import_runner_finished(self, result) -> None:
        self.import_button.setEnabled(True)
        if not self._show_imported():
            self.importEnded.emit()
            return
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

    def _show_imported(self) -> bool:
        """Read and show only the rows an import added (each committed as it went); False with the
        reason shown when they cannot be read."""
        try:
            self._show_added(self.store.all(after=self.model.last_id))
        except StoreError as error:
            failure = error  # told when shown, and again in a new language
            self.summary.say(lambda: error_text(failure), error=True)
            return False
        self.changed.emit()
        return True

    def _on_list_selection_changed(self) -> None:
        chosen = self.list.selectionModel().hasSelection()
        selected = self.selected_ids()
        first = self.model.correction(selected[0]) if selected else None
        if first is not None:  # the box starts at the label it would change
            self.label_box.setCurrentIndex(first.label)
        self.relabel_button.setEnabled(chosen)
        self.confirm_button.setEnabled(bool(set(selected) & set(self.flagged)))
        self.delete_button.setEnabled(chosen)

    def _on_relabel_button_clicked(self) -> None:
        self.relabel_selected(self.label_box.currentIndex())

    def _on_confirm_button_clicked(self) -> None:
        self.confirm_selected()

    def _on_delete_button_clicked(self) -> None:
        self.delete_selected()

    def _on_undo_timer_timeout(self) -> None:
        self._forget_deleted()
        self._say_count()

    def _on_undo_button_clicked(self) -> None:
        self.undo_delete()

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
