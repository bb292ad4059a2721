"""The labelled-folder format: a folder of images and a CSV listing them, a row per image with its
`file` (a name inside the folder) and its `label`, as `corrections export` writes it and as
`corrections import` and evaluation on a folder read it.

Written for spreadsheets as much as for this app: a listing may start with a byte order mark, and a
cell a spreadsheet would run as a formula is written with a quote in front and read back without it.
"""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError

# What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"  # what a spreadsheet shows a cell after as text, and drops


class LabelledFolderError(TranslatableError, ValueError):
    """A labelled folder, its listing, a label or a file it names cannot be used; the message is one line."""


def find_listing(folder: Path, names: Sequence[str]) -> Path:
    """The first of `names` that `folder` holds: the listing to read."""
    folder = Path(folder)
    if not folder.is_dir():
        if folder.exists():
            raise LabelledFolderError(QT_TRANSLATE_NOOP("core", "{folder}: not a folder"), folder=folder)
        raise LabelledFolderError(QT_TRANSLATE_NOOP("core", "{folder}: no such folder"), folder=folder)
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise LabelledFolderError(
        QT_TRANSLATE_NOOP("core", "{folder}: no {listing} here (it lists file,label per image)"),
        folder=folder,
        listing=names[0],
    )


def read_listing(listing: Path) -> list[dict[str, str]]:
    """The listing's rows, each cell as it was before it was written (see `written`); a short row
    leaves None in its missing columns."""
    try:
        # "-sig": a spreadsheet's "CSV UTF-8" begins with a byte order mark, else part of the first column's name
        with open(listing, newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            rows = [{column: _read(cell) for column, cell in row.items()} for row in reader]
            columns = reader.fieldnames
    except (UnicodeDecodeError, csv.Error) as error:
        # The error itself, not its text: it is told in its first line (errors.first_line) as every
        # error in a reason is, which also holds for one with no message, where str().splitlines()[0] fails.
        raise LabelledFolderError(
            QT_TRANSLATE_NOOP("core", "{listing}: not a readable UTF-8 CSV file ({reason})"),
            listing=listing,
            reason=error,
        ) from None
    except OSError as error:
        raise LabelledFolderError(
            QT_TRANSLATE_NOOP("core", "{listing}: cannot be read ({reason})"),
            listing=listing,
            reason=error.strerror or error,
        ) from None
    if columns is not None and not {"file", "label"} <= set(columns):
        raise LabelledFolderError(
            QT_TRANSLATE_NOOP("core", "{listing}: needs the columns file and label"), listing=listing
        )
    return rows


def write_listing(listing: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A listing of `rows` under the header `columns`, each cell `written`."""
    with open(listing, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        writer.writerows([written(cell) for cell in row] for row in rows)


def written(cell: object) -> str:
    """`cell` as a listing holds it: a text a spreadsheet would run as a formula (a model's name or an
    imported field such as `=HYPERLINK(...)`) behind a quote, so it shows as text; a text that
    starts with a quote gets one more, so that reading takes exactly one away."""
    text = "" if cell is None else str(cell)
    return QUOTE + text if text.startswith((*FORMULA_STARTS, QUOTE)) else text


def _read(cell: str | None) -> str | None:
    """`written`, undone."""
    if cell is not None and cell.startswith(QUOTE) and cell[1:].startswith((*FORMULA_STARTS, QUOTE)):
        return cell[1:]
    return cell


def read_label(text: str) -> int:
    """A label as a listing writes it ("7", "07", " 7"); anything else is refused in words, not in
    Python's ("invalid literal for int()")."""
    text = text.strip()
    if not text.isdecimal() or not 0 <= int(text) <= 9:
        raise LabelledFolderError(QT_TRANSLATE_NOOP("core", "a label must be a digit 0-9, not {label}"), label=text)
    return int(text)


def inside(folder: Path, name: str) -> Path:
    """`name` as a regular file within `folder`: a listing from elsewhere must not reach other
    files on the disk (absolute paths, ../, links out), devices such as /dev/zero, or a FIFO."""
    root = Path(folder).resolve()
    path = (Path(folder) / name).resolve()
    if Path(name).is_absolute() or not path.is_relative_to(root):
        raise LabelledFolderError(QT_TRANSLATE_NOOP("core", "{name}: outside the imported folder, not read"), name=name)
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        raise LabelledFolderError(QT_TRANSLATE_NOOP("core", "{name}: not a regular file, not read"), name=name)
    return path
