"""The corrections as a list model for the browser's view: `CorrectionsModel` keeps the rows in id
order and changes only the rows an edit touches (one relabelled, one deleted, an import's new rows
appended), and each thumbnail is decoded the first time a view asks for it.

A digit of a number is shown by the frame the network saw: its drawing is the digit's box cut from
the number, and a neighbour's stroke that reaches into the box would show in it too.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np
from PySide6.QtCore import QAbstractListModel, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap

from lenet_desktop.core.store import Correction
from lenet_desktop.gui.services.language import fill
from lenet_desktop.gui.services.plain_text import plain_tooltip

THUMBNAIL = 56


class CorrectionsModel(QAbstractListModel):
    """The corrections as rows, by id; each thumbnail is decoded when a view first asks for it, then kept."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Correction] = []
        self._ids: list[int] = []  # the rows' ids, ascending: where an id's row is
        self._thumbnails: dict[int, QIcon] = {}  # by id: a drawing never changes, a restored one is the same
        # ids whose label the active model finds all but impossible, not yet confirmed by the user
        self._flagged: set[int] = set()

    @property
    def decoded(self) -> int:
        """How many thumbnails have been decoded so far."""
        return len(self._thumbnails)

    @property
    def last_id(self) -> int:
        """The greatest id listed, 0 when there is none: the rows added since have greater ones."""
        return self._ids[-1] if self._ids else 0

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
        return [i for i in self._ids if i in self._flagged]

    def corrections(self) -> list[Correction]:
        return list(self._rows)

    def correction(self, identifier: int) -> Correction | None:
        row = self._row(identifier)
        return None if row is None else self._rows[row]

    def set_corrections(self, corrections: list[Correction]) -> None:
        self.beginResetModel()
        self._rows = sorted(corrections, key=lambda c: c.id)
        self._ids = [c.id for c in self._rows]
        kept = set(self._ids)
        self._flagged &= kept
        self._thumbnails = {i: icon for i, icon in self._thumbnails.items() if i in kept}
        self.endResetModel()

    def add(self, corrections: list[Correction]) -> None:
        """New rows (one saved, an import's, a deletion undone), each in its place by id; at the end
        when, as is usual, its id is the greatest."""
        for correction in sorted(corrections, key=lambda c: c.id):
            if self._row(correction.id) is not None:
                self.replace(correction)
                continue
            at = bisect_left(self._ids, correction.id)
            self.beginInsertRows(QModelIndex(), at, at)
            self._rows.insert(at, correction)
            self._ids.insert(at, correction.id)
            self.endInsertRows()

    def replace(self, correction: Correction) -> None:
        """The row of the same id, read again (a label changed or confirmed)."""
        row = self._row(correction.id)
        if row is None:
            return
        self._rows[row] = correction
        if correction.confirmed:
            self._flagged.discard(correction.id)
        self.dataChanged.emit(self.index(row), self.index(row))

    def remove(self, identifier: int) -> None:
        row = self._row(identifier)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._ids[row]
        self._flagged.discard(identifier)
        self.endRemoveRows()

    def set_flags(self, flags: dict[int, bool]) -> None:
        """What the active model found of some of the rows ({id: suspicious}); only rows whose flag
        changed are drawn again."""
        changed = []
        for identifier, suspicious in flags.items():
            row = self._row(identifier)
            if row is None:
                continue
            suspicious = suspicious and not self._rows[row].confirmed  # confirmed since it was scored
            if (identifier in self._flagged) == suspicious:
                continue
            (self._flagged.add if suspicious else self._flagged.discard)(identifier)
            changed.append(row)
        for row in changed:
            self.dataChanged.emit(
                self.index(row), self.index(row), [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]
            )

    def retranslate(self) -> None:
        """The captions and tooltips in the new language: the views ask again."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0),
                self.index(len(self._rows) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )

    def _row(self, identifier: int) -> int | None:
        at = bisect_left(self._ids, identifier)
        return at if at < len(self._ids) and self._ids[at] == identifier else None


def _caption(correction: Correction) -> str:
    said = "?" if correction.predicted is None else str(correction.predicted)
    return fill(QCoreApplication.translate("CorrectionsModel", "%1 (said %2)"), correction.label, said)


def _thumbnail(correction: Correction) -> QIcon:
    if correction.whole_drawing_id is not None:  # a digit of a number: its own ink only, dark on white
        pixels = np.ascontiguousarray(255 - np.clip(correction.frame, 0, 1) * 255, dtype=np.uint8)
        image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.shape[1], QImage.Format.Format_Grayscale8)
        image = image.copy()  # its own pixels: `pixels` goes when this returns
    else:
        image = QImage.fromData(correction.drawing_png, "PNG")
    return QIcon(
        QPixmap.fromImage(image).scaled(
            THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    )
