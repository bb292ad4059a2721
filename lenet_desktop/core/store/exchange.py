"""Export and import of corrections: a folder of drawings (PNG) and the corrections.csv that lists them
(the labelled-folder format, core.labelled_folder), written all at once and read row by row.
"""

from __future__ import annotations

import csv
import hashlib
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.images import ImageError, load_image
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store.rows import DigitCorrection, StoreError, check_label, encode_png, with_paper

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
    folder, each number's whole drawing once beside its digits; returns the count."""
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
    folder.mkdir(parents=True, exist_ok=True)
    corrections = store.all()
    wholes: dict[int, str] = {}
    with open(folder / EXPORT_CSV, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(EXPORT_COLUMNS + NUMBER_COLUMNS + (CONFIRMED_COLUMN,))
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
            writer.writerow(
                (
                    name,
                    c.label,
                    _blank(c.predicted),
                    _blank(c.confidence),
                    _blank(c.model_name),
                    _blank(c.model_version),
                    c.created,
                    *number,
                    int(c.confirmed),
                )
            )
    return len(corrections)


def import_folder(store: CorrectionStore, folder: Path, should_stop: Callable[[], bool]) -> ImportResult:
    """Add the drawings a corrections.csv lists (only `file` and `label` are required).

    Each drawing is preprocessed afresh, so PNGs from elsewhere work too; a drawing already
    stored with the same label is skipped, so importing twice adds nothing. Rows that name the
    same `number_file` are one number's digits, stored again as one number (add_number).
    `should_stop` is asked before each drawing: what was added until then stays, each committed.
    """
    folder = Path(folder)
    listing = folder / EXPORT_CSV
    if not folder.is_dir():
        if folder.exists():
            raise StoreError(QT_TRANSLATE_NOOP("core", "{folder}: not a folder"), folder=folder)
        raise StoreError(QT_TRANSLATE_NOOP("core", "{folder}: no such folder"), folder=folder)
    if not listing.is_file():
        raise StoreError(
            QT_TRANSLATE_NOOP("core", "{folder}: no {listing} here (it lists file,label per drawing)"),
            folder=folder,
            listing=EXPORT_CSV,
        )
    try:
        # "-sig": a spreadsheet's "CSV UTF-8" begins with a byte order mark, else part of the first column's name
        with open(listing, newline="", encoding="utf-8-sig") as file:
            rows = list(csv.DictReader(file))
    except (UnicodeDecodeError, csv.Error) as error:
        raise StoreError(
            QT_TRANSLATE_NOOP("core", "{listing}: not a readable UTF-8 CSV file ({reason})"),
            listing=listing,
            reason=str(error).splitlines()[0],
        ) from None
    if rows and not {"file", "label"} <= set(rows[0]):
        raise StoreError(QT_TRANSLATE_NOOP("core", "{listing}: needs the columns file and label"), listing=listing)
    importing = _Import(store, folder, listing.name)
    numbers: dict[str, list[tuple[int, dict]]] = {}
    for line, row in enumerate(rows, start=2):
        if should_stop():
            return ImportResult(importing.added, importing.skipped, importing.refused)
        if not row.get("file") or not row.get("label"):  # a short row leaves None in the missing columns
            importing.refused.append(
                StoreError(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: needs a file name and a label"),
                    listing=listing.name,
                    line=line,
                )
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


class _Import:
    """One import_folder: what is already stored, and the count of what was added, skipped and refused."""

    def __init__(self, store: CorrectionStore, folder: Path, listing: str) -> None:
        self.store, self.folder, self.listing = store, folder, listing
        self.known = set(store._read("SELECT drawing_sha256, label FROM corrections"))
        self.added, self.skipped, self.refused = 0, 0, []

    def single(self, line: int, row: dict) -> None:
        try:
            label = read_label(row["label"])
            drawing = load_image(_inside(self.folder, row["file"]))
        except OSError as error:
            self.refused.append(
                self._refusal(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: {reason}"),
                    line=line,
                    file=row["file"],
                    reason=error.strerror or error,
                )
            )
            return
        except (ValueError, ImageError, StoreError) as error:
            self.refused.append(self._refusal(LINE_REASON, line=line, reason=error))
            return
        new = self._new(
            drawing,
            label,
            self._refusal(
                QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: no digit in this image"),
                line=line,
                file=row["file"],
            ),
        )
        if new is None:
            return
        png, frame = new
        try:
            self.store._insert(png, label, *_details(row), frame, row.get("created") or None, _confirmed(row))
        except (StoreError, ValueError) as error:
            self.refused.append(self._refusal(LINE_REASON, line=line, reason=error))
            return
        self._added(png, label)

    def number(self, number_file: str, rows: list[tuple[int, dict]]) -> None:
        """One number's digits, with its whole drawing; read on their own when it cannot be read."""
        try:
            whole = load_image(_inside(self.folder, number_file))
        except (OSError, ValueError, ImageError) as error:
            self.refused.append(
                self._refusal(
                    QT_TRANSLATE_NOOP("core", "{listing}: {file}: {reason}; its digits were read on their own"),
                    file=number_file,
                    reason=error.strerror if isinstance(error, OSError) and error.strerror else error,
                )
            )
            for line, row in rows:
                self.single(line, row)
            return
        digits, pngs = [], []
        for line, row in rows:
            try:
                label = read_label(row["label"])
                x, y, width, height = (int(row.get(column) or "") for column in NUMBER_COLUMNS[1:])
                predicted, confidence, _, _ = _details(row)
                # Checked here, not left to the store: there, one bad digit would refuse the whole number.
                check_label(label)
                if predicted is not None and not 0 <= predicted <= 9:
                    raise StoreError(
                        QT_TRANSLATE_NOOP("core", "the model's answer must be a digit 0-9, not {answer}"),
                        answer=predicted,
                    )
            except (StoreError, ValueError) as error:
                self.refused.append(self._refusal(LINE_REASON, line=line, reason=error))
                continue
            inside = 0 <= x and 0 <= y and x + width <= whole.shape[1] and y + height <= whole.shape[0]
            if width <= 0 or height <= 0 or not inside:
                self.refused.append(
                    self._refusal(
                        QT_TRANSLATE_NOOP("core", "{listing} line {line}: its box lies outside {file}"),
                        line=line,
                        file=number_file,
                    )
                )
                continue
            digit = with_paper(whole, whole[y : y + height, x : x + width])
            new = self._new(
                digit,
                label,
                self._refusal(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: no digit in its box"),
                    line=line,
                    file=row["file"],
                ),
            )
            if new is None:
                continue
            png, frame = new
            digits.append(DigitCorrection(label, frame, (x, y, width, height), predicted, confidence, _confirmed(row)))
            pngs.append((png, label))
        if not digits:
            return
        first = rows[0][1]
        try:
            self.store.add_number(whole, digits, *_details(first)[2:], created=first.get("created") or None)
        except (StoreError, ValueError) as error:
            self.refused.append(
                self._refusal(
                    QT_TRANSLATE_NOOP("core", "{listing}: {file}: {reason}"),
                    file=number_file,
                    reason=error,
                )
            )
            return
        for png, label in pngs:
            self._added(png, label)

    def _refusal(self, template: str, **fields: object) -> StoreError:
        """Why a row or a file of the listing was not imported, the listing's name in front."""
        return StoreError(template, listing=self.listing, **fields)

    def _new(self, drawing: np.ndarray, label: int, no_digit: StoreError) -> tuple[bytes, np.ndarray] | None:
        """The drawing's PNG and frame; None when it is stored already with this label (skipped) or
        holds no digit (refused with the line `no_digit`).

        Stored as read, not as the file's bytes: upright (EXIF), 8-bit (a 16-bit TIFF), within the
        reader's size; an exported drawing encodes to the same bytes, so re-imports match."""
        png = encode_png(drawing)
        if (hashlib.sha256(png).hexdigest(), label) in self.known:
            self.skipped += 1
            return None
        frame = preprocess(drawing)
        if frame is None:
            self.refused.append(no_digit)
            return None
        return png, frame

    def _added(self, png: bytes, label: int) -> None:
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


def _blank(value) -> str:
    return "" if value is None else str(value)


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def _float_or_none(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def read_label(text: str) -> int:
    """A label as a listing writes it ("7", "07", " 7"); anything else is refused in words, not in
    Python's ("invalid literal for int()")."""
    text = text.strip()
    if not text.isdecimal():
        raise StoreError(QT_TRANSLATE_NOOP("core", "a label must be a digit 0-9, not {label}"), label=text)
    check_label(text)
    return int(text)


def _inside(folder: Path, name: str) -> Path:
    """`name` as a regular file within `folder`: a listing from elsewhere must not reach other
    files on the disk (absolute paths, ../, links out), devices such as /dev/zero, or a FIFO."""
    root = folder.resolve()
    path = (folder / name).resolve()
    if Path(name).is_absolute() or not path.is_relative_to(root):
        raise ImageError(QT_TRANSLATE_NOOP("core", "{name}: outside the imported folder, not read"), name=name)
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise ImageError(QT_TRANSLATE_NOOP("core", "{name}: not a regular file, not read"), name=name)
    return path
