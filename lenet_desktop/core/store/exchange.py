"""Export and import of corrections: a folder of drawings (PNG) and the corrections.csv that lists them
(the labelled-folder format, core.labelled_folder), written all at once and read row by row.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.images import load_image
from lenet_desktop.core.labelled_folder import (
    LabelledFolderError,
    find_listing,
    inside,
    read_label,
    read_listing,
    write_listing,
)
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store.rows import Correction, DigitCorrection, StoreError, encode_png, with_paper

if TYPE_CHECKING:
    from lenet_desktop.core.store.store import CorrectionStore

EXPORT_CSV = "corrections.csv"
EXPORT_COLUMNS = ("file", "label", "predicted", "confidence", "model_name", "model_version", "created")
# A digit of a number also names the number's whole drawing (the rows that name the same file are
# one number's digits) and the digit's box in it; a single digit leaves them blank.
NUMBER_COLUMNS = ("number_file", "box_x", "box_y", "box_width", "box_height")
# 1 where the user confirmed or chose a flagged label: imported without it, it would be left out of training again.
CONFIRMED_COLUMN = "confirmed"


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already in the store: the same drawing with the same label
    refused: list[StoreError]  # one per file that could not be read, saying why in a line


def export(store: CorrectionStore, folder: Path) -> int:
    """Write every drawing as a PNG plus corrections.csv describing them into a new or empty
    folder, each number's whole drawing once beside its digits; returns the count.

    All or nothing: the export is written apart first (beside a new folder, which it then becomes by
    one rename; inside an existing empty one, whose own filesystem it then fills, its entries renamed
    up), so a full disk or an unwritable folder leaves no part of it, and says where in one line."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():  # mkdir would say "File exists"
        raise StoreError(
            QT_TRANSLATE_NOOP("core", "{folder}: not a folder; export into a new or empty folder"), folder=folder
        )
    if folder.is_dir() and any(folder.iterdir()):
        # Writing into it would replace an earlier export's listing and orphan its drawings.
        raise StoreError(
            QT_TRANSLATE_NOOP("core", "{folder}: not empty; export into a new or empty folder"), folder=folder
        )
    corrections = store.all()
    existed = folder.is_dir()
    made = [parent for parent in reversed(folder.parents) if not parent.exists()]  # removed again on failure
    staging = None
    try:
        for parent in made:
            parent.mkdir()
        staging = Path(
            tempfile.mkdtemp(
                prefix=".exporting-" if existed else f".{folder.name}.exporting-",
                dir=folder if existed else folder.parent,
            )
        )
        _write(store, corrections, staging)
        if existed:
            for entry in staging.iterdir():
                entry.rename(folder / entry.name)
            staging.rmdir()
        else:
            staging.rename(folder)
    except BaseException as error:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if existed:  # what was renamed up before the failure
            for entry in folder.iterdir():
                entry.unlink(missing_ok=True)
        for parent in reversed(made):
            shutil.rmtree(parent, ignore_errors=True)
        if isinstance(error, OSError):
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{folder}: not exported ({reason}); no part of it was left"),
                folder=folder,
                reason=error.strerror or error,
            ) from None
        raise
    return len(corrections)


def _write(store: CorrectionStore, corrections: list[Correction], folder: Path) -> None:
    """The export's drawings and its listing, into `folder`."""
    wholes: dict[int, str] = {}
    rows = []
    for c in corrections:
        name = f"correction_{c.id:05d}_label{c.label}.png"
        (folder / name).write_bytes(c.drawing_png)
        number = ("", "", "", "", "")
        if c.whole_drawing_id is not None and c.box is not None:
            if c.whole_drawing_id not in wholes:
                whole = store.whole_drawing(c)
                whole_name = f"number_{c.whole_drawing_id:05d}.png"
                if whole is not None:  # lost to damage: the digit still goes out on its own
                    (folder / whole_name).write_bytes(encode_png(whole))
                wholes[c.whole_drawing_id] = whole_name if whole is not None else ""
            if wholes[c.whole_drawing_id]:
                number = (wholes[c.whole_drawing_id], *c.box)
        rows.append(
            (
                name,
                c.label,
                c.predicted,
                c.confidence,
                c.model_name,
                c.model_version,
                c.created,
                *number,
                int(c.confirmed),
            )
        )
    write_listing(folder / EXPORT_CSV, EXPORT_COLUMNS + NUMBER_COLUMNS + (CONFIRMED_COLUMN,), rows)


def import_folder(store: CorrectionStore, folder: Path, should_stop: Callable[[], bool]) -> ImportResult:
    """Add the drawings a corrections.csv lists (only `file` and `label` are required).

    Each drawing is preprocessed afresh, so PNGs from elsewhere work too; a drawing already
    stored with the same label is skipped, so importing twice adds nothing. Rows that name the
    same `number_file` are one number's digits, stored again as one number (add_number).
    `should_stop` is asked before each drawing: what was added until then stays, each committed.
    """
    try:
        listing = find_listing(folder, (EXPORT_CSV,))
        rows = read_listing(listing)
    except LabelledFolderError as error:
        raise StoreError.retold(error) from None
    importing = _Import(store, folder, listing.name)
    numbers: dict[str, list[tuple[int, dict]]] = {}
    for line, row in enumerate(rows, start=2):
        if should_stop():
            return ImportResult(importing.added, importing.skipped, importing.refused)
        if not row.get("file") or not row.get("label"):  # a short row leaves None in the missing columns
            importing.refuse(
                QT_TRANSLATE_NOOP("core", "{listing} line {line}: needs a file name and a label"), line=line
            )
        elif row.get("number_file"):
            numbers.setdefault(row["number_file"], []).append((line, row))
        else:
            importing.single(line, row)
    for number_file, digits in numbers.items():
        if should_stop():
            break
        importing.number(number_file, digits)
    return ImportResult(importing.added, importing.skipped, importing.refused)


LINE_REASON = QT_TRANSLATE_NOOP("core", "{listing} line {line}: {reason}")
FILE_REASON = QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: {reason}")


class _Import:
    """One import_folder: what is already stored, and the count of what was added, skipped and refused."""

    def __init__(self, store: CorrectionStore, folder: Path, listing: str) -> None:
        self.store, self.folder, self.listing = store, folder, listing
        self.known = set(store._read("SELECT drawing_sha256, label FROM corrections"))
        self.added, self.skipped, self.refused = 0, 0, []

    def single(self, line: int, row: dict) -> None:
        try:
            label = read_label(row["label"])
            drawing = load_image(inside(self.folder, row["file"]))
        except OSError as error:
            self.refuse(FILE_REASON, line=line, file=row["file"], reason=error.strerror or error)
            return
        except ValueError as error:  # the label, the file's place (LabelledFolderError), the image (ImageError)
            self.refuse(LINE_REASON, line=line, reason=error)
            return
        no_digit = QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: no digit in this image")
        framed = self._framed(drawing, label, no_digit, line=line, file=row["file"])
        if framed is not None:
            png, frame = framed
            created = row.get("created") or None
            self._store(
                lambda: self.store._insert(png, label, *_details(row), frame, created, _confirmed(row)),
                [(png, label)],
                LINE_REASON,
                line=line,
            )

    def number(self, number_file: str, rows: list[tuple[int, dict]]) -> None:
        """One number's digits, with its whole drawing; read on their own when it cannot be read."""
        try:
            whole = load_image(inside(self.folder, number_file))
        except (OSError, ValueError) as error:
            self.refuse(
                QT_TRANSLATE_NOOP("core", "{listing}: {file}: {reason}; its digits were read on their own"),
                file=number_file,
                reason=error.strerror if isinstance(error, OSError) and error.strerror else error,
            )
            for line, row in rows:
                self.single(line, row)
            return
        digits, drawings = [], []
        for line, row in rows:
            try:
                label = read_label(row["label"])
                x, y, width, height = (int(row.get(column) or "") for column in NUMBER_COLUMNS[1:])
                predicted, confidence, _, _ = _details(row)
                # Checked here, not left to the store: there, one bad digit would refuse the whole number.
                if predicted is not None and not 0 <= predicted <= 9:
                    raise StoreError(
                        QT_TRANSLATE_NOOP("core", "the model's answer must be a digit 0-9, not {answer}"),
                        answer=predicted,
                    )
            except (StoreError, ValueError) as error:
                self.refuse(LINE_REASON, line=line, reason=error)
                continue
            within = 0 <= x and 0 <= y and x + width <= whole.shape[1] and y + height <= whole.shape[0]
            if width <= 0 or height <= 0 or not within:
                self.refuse(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: its box lies outside {file}"),
                    line=line,
                    file=number_file,
                )
                continue
            digit = with_paper(whole, whole[y : y + height, x : x + width])
            no_digit = QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: no digit in its box")
            framed = self._framed(digit, label, no_digit, line=line, file=row["file"])
            if framed is not None:
                png, frame = framed
                digits.append(
                    DigitCorrection(label, frame, (x, y, width, height), predicted, confidence, _confirmed(row))
                )
                drawings.append((png, label))
        if digits:
            first = rows[0][1]
            self._store(
                lambda: self.store.add_number(
                    whole, digits, *_details(first)[2:], created=first.get("created") or None
                ),
                drawings,
                QT_TRANSLATE_NOOP("core", "{listing}: {file}: {reason}"),
                file=number_file,
            )

    def refuse(self, template: str, **fields: object) -> None:
        """Tell why a row or a file of the listing was not imported, the listing's name in front."""
        self.refused.append(StoreError(template, listing=self.listing, **fields))

    def _framed(self, drawing: np.ndarray, label: int, no_digit: str, **fields: object) -> tuple | None:
        """The drawing's PNG and frame; None when it is stored already with this label (skipped) or
        holds no digit (refused with the line `no_digit` and its `fields`).

        Stored as read, not as the file's bytes: upright (EXIF), 8-bit (a 16-bit TIFF), within the
        reader's size; an exported drawing encodes to the same bytes, so re-imports match."""
        png = encode_png(drawing)
        if (hashlib.sha256(png).hexdigest(), label) in self.known:
            self.skipped += 1
            return None
        frame = preprocess(drawing)
        if frame is None:
            self.refuse(no_digit, **fields)
            return None
        return png, frame

    def _store(self, insert: Callable[[], object], drawings: list[tuple[bytes, int]], refusal: str, **fields) -> None:
        """Store one drawing or one number's (`insert`) and count `drawings` (PNG, label) added; when the
        store will not, refuse them with the line `refusal`, its `fields` and the store's reason."""
        try:
            insert()
        except (StoreError, ValueError) as error:
            self.refuse(refusal, reason=error, **fields)
            return
        for png, label in drawings:
            self.known.add((hashlib.sha256(png).hexdigest(), label))
            self.added += 1


def _confirmed(row: dict) -> bool:
    """An export row's confirmation; a listing from elsewhere, without the column, confirms nothing."""
    return (row.get(CONFIRMED_COLUMN) or "").strip() == "1"


def _details(row: dict) -> tuple:
    """An export row's predicted, confidence, model_name and model_version (blank: None)."""
    return (
        _int_or_none(row.get("predicted")),
        _float_or_none(row.get("confidence")),
        row.get("model_name") or None,
        row.get("model_version") or None,
    )


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def _float_or_none(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None
