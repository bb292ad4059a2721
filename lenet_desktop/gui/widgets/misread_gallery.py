"""Where the model fails, as pictures: a confusion matrix whose cells are clickable, and a gallery of
the images in a cell, each with what it is, what it was read as and how sure the model was.

The gallery is a QListView over a model that draws an icon only when the view asks for it (a visible
item) and keeps it, so ten thousand MNIST images open at once. Activating an item (double-click or
Enter) asks for its image to be opened on the canvas (`imageChosen`).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.evaluation import (
    NOT_A_DIGIT,
    EvaluationResult,
    LabelledSet,
    evaluate_set,
)
from lenet_desktop.gui.services.jobs import JobRunner
from lenet_desktop.gui.services.language import Retranslated, fill, percent_text
from lenet_desktop.gui.services.plain_text import plain_label, plain_tooltip
from lenet_desktop.gui.widgets.canvas import image_from_array

if TYPE_CHECKING:
    import torch

    from lenet_desktop.core.model import Classifier

ICON_SIDE = 64  # px: a 32x32 network input, twice
_NO_PARENT = QModelIndex()


def frame_picture(frame: torch.Tensor) -> np.ndarray:
    """A (1, 32, 32) network input (light ink on black) as dark ink on white, as drawings are shown."""
    return (255 - np.rint(frame[0].numpy() * 255)).astype(np.uint8)


def label_text(result: EvaluationResult, index: int) -> str:
    label = result.images.label_names[index]
    return (
        fill(QCoreApplication.translate("MisreadGallery", "%1 (not a digit)"), label)
        if result.images.labels[index] == NOT_A_DIGIT
        else label
    )


class GalleryModel(QAbstractListModel):
    """Some images of an evaluation; each icon is drawn the first time the view asks for it."""

    IndexRole = Qt.ItemDataRole.UserRole + 1  # the image's index in the evaluation

    def __init__(self, result: EvaluationResult, indices: Sequence[int], parent=None) -> None:
        super().__init__(parent)
        self.result = result
        self.indices = list(indices)
        self._icons: dict[int, QIcon] = {}

    @property
    def icons_made(self) -> int:
        return len(self._icons)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.indices)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        image = self.indices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            confidence = float(self.result.probabilities[image].max())
            return f"{self.result.images.label_names[image]} → {self.answer(image)}\n{percent_text(confidence, 0)}"
        if role == Qt.ItemDataRole.DecorationRole:
            if image not in self._icons:
                picture = image_from_array(frame_picture(self.result.images.frames[image]))
                self._icons[image] = QIcon(QPixmap.fromImage(picture).scaled(ICON_SIDE, ICON_SIDE))
            return self._icons[image]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(self.describe(image))  # it starts with the image's file name
        if role == self.IndexRole:
            return image
        return None

    def describe(self, image: int) -> str:
        """The image's name, label, answer and all ten probabilities, in the window's language."""
        result = self.result
        probabilities = result.probabilities[image]
        # Refused as no digit, it was read as none: the likeliest digit is only the closest it came.
        said = (
            QT_TRANSLATE_NOOP("MisreadGallery", "label %1, answered: not a digit (likeliest %2, at %3)")
            if result.verdicts.not_a_digit[image]
            else QT_TRANSLATE_NOOP("MisreadGallery", "label %1, read as %2 (%3)")
        )
        lines = [
            result.images.names[image],
            fill(
                QCoreApplication.translate("MisreadGallery", said),
                label_text(result, image),
                int(result.predicted[image]),
                percent_text(float(probabilities.max())),
            ),
        ]
        if result.verdicts.unsure[image]:
            lines.append(QCoreApplication.translate("MisreadGallery", "answered: unsure"))
        lines += [
            fill(QCoreApplication.translate("MisreadGallery", "%1: %2"), digit, percent_text(float(p), 2))
            for digit, p in enumerate(probabilities)
        ]
        return "\n".join(lines)

    def answer(self, image: int) -> str:
        """The answer as the canvas gives it: the digit, or "?" for one refused as no digit."""
        return "?" if self.result.verdicts.not_a_digit[image] else str(int(self.result.predicted[image]))

    def retranslate(self) -> None:
        if self.indices:
            self.dataChanged.emit(
                self.index(0),
                self.index(len(self.indices) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )


class MisreadGallery(Retranslated, QWidget):
    """A title, the images as thumbnails, and the chosen image's probabilities beside them."""

    imageChosen = Signal(object, int)  # the EvaluationResult and the index of the image to open

    def __init__(self, parent: QWidget | None = None, flags: Qt.WindowType = Qt.WindowType.Widget) -> None:
        super().__init__(parent, flags)
        self.model: GalleryModel | None = None
        self._title: Callable[[], str] = lambda: ""
        self.title = plain_label()
        self.title.setWordWrap(True)
        self.view = QListView()
        self.view.setViewMode(QListView.ViewMode.IconMode)
        self.view.setIconSize(QSize(ICON_SIDE, ICON_SIDE))
        self.view.setGridSize(QSize(ICON_SIDE + 28, ICON_SIDE + 2 * self.fontMetrics().height() + 12))
        # One item's size stands for all, so laying out ten thousand items asks for no icon; the
        # view then draws (and asks for) only the items in sight. Laid out in one pass: in batches
        # the view relaid everything per batch, pausing the window for up to 0.8 s (bench/bench_gallery.py).
        self.view.setUniformItemSizes(True)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setMovement(QListView.Movement.Static)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details = plain_label()
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 28)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addWidget(self.details)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(row, 1)
        self.view.activated.connect(self._on_view_activated)
        self._retranslate()

    def show_images(self, result: EvaluationResult, indices: Sequence[int], title: Callable[[], str]) -> None:
        """Show `indices` of `result`; `title()` says which, in the window's language."""
        old = self.model
        self.model = GalleryModel(result, indices, self)
        self.view.setModel(self.model)
        self.view.selectionModel().currentChanged.connect(self._on_view_current_changed)
        if old is not None:
            old.deleteLater()
        self._title = title
        self._retranslate()
        if indices:
            self.view.setCurrentIndex(self.model.index(0))

    def clear(self) -> None:
        """Show no images: those shown belong to a result that is no longer the one on show."""
        old = self.model
        self.model = None
        self.view.setModel(None)
        if old is not None:
            old.deleteLater()
        self._title = lambda: ""
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Errors gallery"))
        if self.model is not None:
            self.model.retranslate()
        if self.model is None:
            self.title.clear()  # nothing shown yet: not " · 0 images · double-click one …"
        else:
            self.title.setText(
                fill(
                    self.tr("%1 · %n images · double-click one to open it on the canvas", "", len(self.model.indices)),
                    self._title(),
                )
            )
        self.view.setToolTip("")
        self._on_view_current_changed(self.view.currentIndex())

    def _on_view_current_changed(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if self.model is None or not current.isValid():
            self.details.setText(self.tr("No image chosen."))
            return
        self.details.setText(self.model.describe(self.model.indices[current.row()]))

    def _on_view_activated(self, index: QModelIndex) -> None:
        self.imageChosen.emit(self.model.result, self.model.indices[index.row()])


class ConfusionTable(Retranslated, QTableWidget):
    """A confusion matrix, rows the true digit, columns the answer; a click on a cell asks for its
    images. An evaluation with images that are no digit gets an extra row for them."""

    cellChosen = Signal(int, int)  # (true digit or NOT_A_DIGIT, answer)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(10, 10, parent)
        self.setHorizontalHeaderLabels([str(d) for d in range(10)])
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.cellClicked.connect(self._on_cell_clicked)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setVerticalHeaderLabels([str(d) for d in range(10)] + [self.tr("not a digit")] * (self.rowCount() - 10))
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                item = self.item(row, column)
                if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
                    item.setToolTip(fill(self.tr("before: %1"), item.data(Qt.ItemDataRole.UserRole)))

    def show_counts(
        self,
        confusion: torch.Tensor | None,
        before: torch.Tensor | None = None,
        not_a_digit: Sequence[int] | None = None,
    ) -> None:
        """The (10, 10) counts, with the counts `before` in each cell's tooltip, and `not_a_digit`:
        how many images that are no digit were read as each digit."""
        self.clearContents()
        self.setRowCount(10 if not_a_digit is None else 11)
        if confusion is None:
            return
        rows = confusion.tolist() + ([list(not_a_digit)] if not_a_digit is not None else [])
        for true, row in enumerate(rows):
            total = max(1, sum(row))
            for answer, count in enumerate(row):
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                share = count / total
                if true == answer:
                    item.setBackground(QColor.fromRgbF(0.85 - 0.5 * share, 0.95, 0.85 - 0.5 * share))
                elif count:
                    item.setBackground(
                        QColor.fromRgbF(1.0, 1.0 - min(1.0, 20 * share) * 0.6, 1.0 - min(1.0, 20 * share) * 0.6)
                    )
                if before is not None and true < 10:
                    item.setData(Qt.ItemDataRole.UserRole, int(before[true, answer]))
                self.setItem(true, answer, item)
        self._retranslate()

    def _on_cell_clicked(self, row: int, column: int) -> None:
        if self.item(row, column) is not None:
            self.cellChosen.emit(row if row < 10 else NOT_A_DIGIT, column)


class AnswersOnDemand(QObject):
    """Asks for some images of a model's answers on a set; the answers are computed in a worker the
    first time (all of MNIST test takes seconds on a busy CPU: too long to freeze the window for),
    then kept until `forget()`. One computation at a time; a request made meanwhile is dropped."""

    requested = Signal(object, object, object)  # the EvaluationResult, the images' indices, their title()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._answers: dict[Hashable, EvaluationResult] = {}
        self.runner = JobRunner(QT_TRANSLATE_NOOP("core", "reading the answers"), parent=self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self._pending: tuple = ()  # the key, indices_of and title of the request being computed

    @property
    def busy(self) -> bool:
        return self.runner.running

    def request(
        self,
        key: Hashable,
        classifier: Classifier,
        images: Callable[[], LabelledSet],
        indices_of: Callable[[EvaluationResult], list[int]],
        title: Callable[[], str],
    ) -> None:
        """Ask for `indices_of(answers)`; `images()` is called in the worker, so it may load them."""
        if key in self._answers:
            answers = self._answers[key]
            self.requested.emit(answers, indices_of(answers), title)
            return
        if self.busy:
            return
        model = copy.deepcopy(classifier)  # the window may make the original active and move it meanwhile
        self._pending = (key, indices_of, title)
        self.runner.start(lambda _context: evaluate_set(model, images()))

    def forget(self) -> None:
        self._answers.clear()
        self._pending = ()  # what is being computed belongs to what was forgotten

    def shutdown(self) -> None:
        """Wait for the answers being computed: the window is closing."""
        self.runner.stop()

    def _on_runner_finished(self, answers: EvaluationResult) -> None:
        if not self._pending:
            return
        key, indices_of, title = self._pending
        self._answers[key] = answers
        self.requested.emit(answers, indices_of(answers), title)

    def _on_runner_failed(self, _failure: BaseException) -> None:
        self._pending = ()
