"""The user's corrections: drawings with the digit they really are, in one SQLite file.

Each correction keeps the original drawing (PNG), the exact 32x32 frame the network saw, the
true label, what the model answered and how sure it was, which model that was, and when. A digit
of a number is a correction of its own: its drawing is the digit's box cut from the number, and
it also keeps the whole drawing (stored once for all its digits) and where its box lies in it.
`add` commits before it returns, so when the window says "saved" the row is on disk: the
database runs in WAL mode with synchronous=FULL, which makes every commit durable even
against a power cut (a killed process cannot lose a committed row in any mode).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, Told, TranslatableError
from lenet_desktop.core.images import ImageError, load_image
from lenet_desktop.core.preprocess import INPUT_SIZE, preprocess

DATABASE_NAME = "corrections.db"
EXPORT_CSV = "corrections.csv"
EXPORT_COLUMNS = ("file", "label", "predicted", "confidence", "model_name", "model_version", "created")
# A digit of a number also names the number's whole drawing (the rows that name the same file are
# one number's digits) and the digit's box in it; a single digit leaves them blank.
NUMBER_COLUMNS = ("number_file", "box_x", "box_y", "box_width", "box_height")
# 1 where the user confirmed or chose a flagged label: imported without it, it would be left out of training again.
CONFIRMED_COLUMN = "confirmed"
SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    label INTEGER NOT NULL CHECK (label BETWEEN 0 AND 9),
    predicted INTEGER CHECK (predicted BETWEEN 0 AND 9),
    confidence REAL,
    model_name TEXT,
    model_version TEXT,
    drawing_png BLOB NOT NULL,
    drawing_sha256 TEXT NOT NULL,
    frame BLOB NOT NULL
)
"""
# What each schema version adds to the one before; a store opened writable is brought up to date
# in one transaction, its rows kept as they are (a single digit has no whole drawing and no box).
_MIGRATIONS = {
    2: (
        "CREATE TABLE IF NOT EXISTS whole_drawings (id INTEGER PRIMARY KEY AUTOINCREMENT, png BLOB NOT NULL)",
        "ALTER TABLE corrections ADD COLUMN whole_drawing_id INTEGER REFERENCES whole_drawings(id)",
        "ALTER TABLE corrections ADD COLUMN box_x INTEGER",
        "ALTER TABLE corrections ADD COLUMN box_y INTEGER",
        "ALTER TABLE corrections ADD COLUMN box_width INTEGER",
        "ALTER TABLE corrections ADD COLUMN box_height INTEGER",
    ),
    # The user confirmed a label the model found suspicious (personalise.suspicious_labels), or
    # relabelled it: it is trained on. Rows from before were never confirmed.
    3: ("ALTER TABLE corrections ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0",),
}


class StoreError(TranslatableError, RuntimeError):
    """The corrections database or an export folder cannot be used; the message is one line."""


@dataclass(frozen=True)
class Correction:
    id: int
    created: str  # ISO 8601 local time with offset
    label: int
    predicted: int | None
    confidence: float | None
    model_name: str | None
    model_version: str | None
    drawing_png: bytes
    frame: np.ndarray  # (32, 32) float32, exactly what the network was given
    whole_drawing_id: int | None = None  # a digit of a number: the number's drawing (CorrectionStore.whole_drawing)
    box: tuple[int, int, int, int] | None = None  # and the digit's (x, y, width, height) in it
    confirmed: bool = False  # the user confirmed or chose this label while it was flagged as suspicious

    def drawing(self) -> np.ndarray:
        return decode_png(self.drawing_png)


@dataclass(frozen=True)
class DigitCorrection:
    """One digit of a number as the user corrected it."""

    label: int
    frame: np.ndarray  # (32, 32): the digit's own network input
    box: tuple[int, int, int, int]  # (x, y, width, height) in the whole drawing's pixels
    predicted: int | None = None
    confidence: float | None = None
    confirmed: bool = False


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # already in the store: the same drawing with the same label
    refused: list[StoreError]  # one per file that could not be read, saying why in a line


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def decode_png(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("L"))


def encode_png(image: np.ndarray) -> bytes:
    if image.dtype.kind == "f":  # wide images are read as floats from 0 to 1 (images.image_to_array)
        image = (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(image)).save(buffer, format="PNG")
    return buffer.getvalue()


class CorrectionStore:
    """An open corrections database; use as a context manager or call close().

    A damaged database is recovered as it opens: the damaged file is copied aside, every row SQLite
    can still read goes into a fresh database in its place, and `recovered` says so in one line.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.recovered: Told | None = None  # one line for the user when the file had to be recovered
        self.damaged_ids: list[int] = []  # rows the last all() left out
        self.read_only: Told | None = None  # one line for the user when it can be read but not written
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{folder}: cannot be created ({reason})"),
                folder=self.path.parent,
                reason=error.strerror or error,
            ) from None
        # A read-only file in a writable folder too: SQLite would open it, then fail at the upgrade.
        writable = os.access(self.path.parent, os.W_OK) and (not self.path.exists() or os.access(self.path, os.W_OK))
        if not writable and not self.path.is_file():
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{folder}: read-only, so corrections cannot be saved there"),
                folder=self.path.parent,
            )
        try:
            self._db = self._open(writable)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if not writable or not (_is_damage(error) or _header_is_damaged(self.path)):
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "{path}: not a usable corrections database ({reason})"),
                    path=self.path,
                    reason=_one_line(error),
                ) from None
            self.recovered = self._recover()
            try:
                self._db = self._open(writable)
            except (sqlite3.DatabaseError, UnicodeDecodeError) as again:
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "{path}: not a usable corrections database ({reason})"),
                    path=self.path,
                    reason=_one_line(again),
                ) from None
        if not writable:
            self.read_only = (
                Told(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "{path} is read-only and cannot be upgraded from schema {old} to {new}: its corrections are "
                        "read as they are, but new ones cannot be saved",
                    ),
                    {"path": self.path, "old": self._version, "new": SCHEMA_VERSION},
                )
                if self._version < SCHEMA_VERSION
                else Told(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "{path} is read-only: its corrections are read as they are, but new ones cannot be saved",
                    ),
                    {"path": self.path},
                )
            )

    def _recover(self) -> Told:
        try:
            return _recover(self.path)
        except (OSError, sqlite3.Error) as error:  # a read-only or full folder: left as it is
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{path}: damaged, and cannot be recovered here ({reason})"),
                path=self.path,
                reason=_one_line(error),
            ) from None

    def _open(self, writable: bool) -> sqlite3.Connection:
        if writable:
            db = sqlite3.connect(self.path, isolation_level=None)
        else:
            # SQLite cannot make WAL's side files in a folder it cannot write, and would refuse the
            # file: read it as it is (with its log, if one was left), so no correction is hidden.
            mode = "mode=ro" if self.path.with_name(self.path.name + "-wal").exists() else "immutable=1"
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?{mode}", uri=True, isolation_level=None)
        try:
            if writable:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            self._version = version if not writable else SCHEMA_VERSION
            if version > SCHEMA_VERSION:
                raise StoreError(
                    QT_TRANSLATE_NOOP(
                        "core", "{path}: made by a newer LeNet Desktop (schema {version}); update the app"
                    ),
                    path=self.path,
                    version=version,
                )
            # Damage in a page SQLite has no reason to read at once would otherwise surface later,
            # in the middle of a list or a training run; this reads every page once.
            problems = [row[0] for row in db.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError(f"database disk image is malformed ({problems[0]})")
            if writable and version < SCHEMA_VERSION:  # only then: opening a current database writes nothing to it
                _migrate(db, version)
        except BaseException:
            db.close()
            raise
        return db

    def __enter__(self) -> CorrectionStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def add(
        self,
        drawing: np.ndarray,
        label: int,
        predicted: int | None = None,
        confidence: float | None = None,
        model_name: str | None = None,
        model_version: str | None = None,
        frame: np.ndarray | None = None,
        created: str | None = None,
    ) -> int:
        """Store one correction and commit it; returns its id. `frame` defaults to preprocess(drawing)."""
        if frame is None:
            frame = preprocess(drawing)
            if frame is None:
                raise StoreError(QT_TRANSLATE_NOOP("core", "there is no digit in this drawing to save"))
        return self._insert(
            encode_png(drawing), label, predicted, confidence, model_name, model_version, frame, created
        )

    def add_number(
        self,
        drawing: np.ndarray,
        digits: list[DigitCorrection],
        model_name: str | None = None,
        model_version: str | None = None,
        created: str | None = None,
    ) -> list[int]:
        """Store each digit of a number as its own correction, with the whole drawing once, all
        committed together (or none); returns their ids, left to right."""
        if not digits:
            raise StoreError(QT_TRANSLATE_NOOP("core", "there is no digit in this drawing to save"))
        rows = []
        for digit in digits:
            x, y, width, height = (int(v) for v in digit.box)
            if (
                width <= 0
                or height <= 0
                or x < 0
                or y < 0
                or x + width > drawing.shape[1]
                or y + height > drawing.shape[0]
            ):
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "a digit's box {box} lies outside the {width}x{height} drawing"),
                    box=digit.box,
                    width=drawing.shape[1],
                    height=drawing.shape[0],
                )
            png = encode_png(_with_paper(drawing, drawing[y : y + height, x : x + width]))
            rows.append((png, digit, (x, y, width, height)))
        with self._writing():
            self._db.execute("BEGIN IMMEDIATE")  # the connection commits each statement on its own otherwise
            whole = self._db.execute("INSERT INTO whole_drawings (png) VALUES (?)", (encode_png(drawing),)).lastrowid
            return [
                self._insert_row(
                    png,
                    digit.label,
                    digit.predicted,
                    digit.confidence,
                    model_name,
                    model_version,
                    digit.frame,
                    created,
                    whole,
                    box,
                    digit.confirmed,
                )
                for png, digit, box in rows
            ]

    def whole_drawing(self, correction: Correction) -> np.ndarray | None:
        """The whole drawing of the number a correction's digit came from; None for a single digit."""
        if correction.whole_drawing_id is None:
            return None
        rows = self._read("SELECT png FROM whole_drawings WHERE id = ?", (correction.whole_drawing_id,))
        if not rows or not isinstance(rows[0][0], bytes) or not rows[0][0].startswith(PNG_SIGNATURE):
            return None
        return decode_png(rows[0][0])

    def _insert(
        self, png, label, predicted, confidence, model_name, model_version, frame, created, confirmed=False
    ) -> int:
        with self._writing():  # the commit is synced to disk before this returns
            return self._insert_row(
                png, label, predicted, confidence, model_name, model_version, frame, created, confirmed=confirmed
            )

    def _insert_row(
        self,
        png,
        label,
        predicted,
        confidence,
        model_name,
        model_version,
        frame,
        created,
        whole=None,
        box=None,
        confirmed=False,
    ) -> int:
        """One row, inside a write the caller holds open."""
        _check_label(label)
        frame = np.ascontiguousarray(frame, dtype=np.float32)
        if frame.shape != (INPUT_SIZE, INPUT_SIZE):
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "a frame must be {size}x{size}, not {shape}"),
                size=INPUT_SIZE,
                shape=frame.shape,
            )
        cursor = self._db.execute(
            "INSERT INTO corrections (created, label, predicted, confidence, model_name, model_version,"
            " drawing_png, drawing_sha256, frame, whole_drawing_id, box_x, box_y, box_width, box_height, confirmed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                created or time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                int(label),
                None if predicted is None else int(predicted),
                None if confidence is None else float(confidence),
                model_name,
                model_version,
                png,
                hashlib.sha256(png).hexdigest(),
                frame.tobytes(),
                whole,
                *(box or (None, None, None, None)),
                int(bool(confirmed)),
            ),
        )
        return int(cursor.lastrowid)

    @contextmanager
    def _writing(self):
        """A write, with what SQLite can say about it (disk full, locked by another instance for
        longer than the busy timeout, read-only) as a one-line StoreError."""
        if self.read_only:
            raise StoreError(QT_TRANSLATE_NOOP("core", "{name}: not saved (read-only)"), name=self.path.name)
        try:
            with self._db:
                yield
        except sqlite3.Error as error:
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{name}: not saved ({reason})"), name=self.path.name, reason=_one_line(error)
            ) from None

    def _read(self, query: str, parameters: tuple = ()) -> list[tuple]:
        """The query's rows. Damage that quick_check missed as the store opened (a page SQLite only
        trips over when it reads it) is recovered here as it would have been there, then read again."""
        try:
            return self._db.execute(query, parameters).fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if not _is_damage(error):
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "{path}: cannot be read ({reason})"),
                    path=self.path,
                    reason=_one_line(error),
                ) from None
        self._db.close()
        self.recovered = self._recover()
        try:
            self._db = self._open(writable=True)  # recovery has just written the fresh file beside it
            return self._db.execute(query, parameters).fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{path}: cannot be read ({reason})"), path=self.path, reason=_one_line(error)
            ) from None

    def _columns(self) -> str:
        """A store of an older schema, opened read-only, lacks the later columns: its rows have none."""
        return (
            _COLUMNS
            + (_NUMBER_COLUMNS if self._version >= 2 else _NO_NUMBER_COLUMNS)
            + (_CONFIRMED_COLUMN if self._version >= 3 else _UNCONFIRMED_COLUMN)
        )

    def __len__(self) -> int:
        return self._read("SELECT COUNT(*) FROM corrections")[0][0]

    def all(self) -> list[Correction]:
        """Every correction; rows that damage left unlike a correction (a blob turned text, a frame
        cut short: SQLite cannot tell) are left out, listed in `damaged_ids`, and not deleted."""
        rows = self._read(f"SELECT {self._columns()} FROM corrections ORDER BY id")
        self.damaged_ids = [row[0] for row in rows if not _is_valid_row(row)]
        return [_correction(row) for row in rows if _is_valid_row(row)]

    def get(self, correction_id: int) -> Correction:
        rows = self._read(f"SELECT {self._columns()} FROM corrections WHERE id = ?", (correction_id,))
        row = rows[0] if rows else None
        if row is None:
            raise StoreError(QT_TRANSLATE_NOOP("core", "there is no correction #{id}"), id=correction_id)
        if not _is_valid_row(row):
            raise StoreError(QT_TRANSLATE_NOOP("core", "correction #{id} is damaged"), id=correction_id)
        return _correction(row)

    def relabel(self, correction_id: int, label: int) -> None:
        """Change a label; the user chose it, so it counts as confirmed."""
        _check_label(label)
        with self._writing():
            changed = self._db.execute(
                "UPDATE corrections SET label = ?, confirmed = 1 WHERE id = ?", (int(label), correction_id)
            ).rowcount
        if not changed:
            raise StoreError(QT_TRANSLATE_NOOP("core", "there is no correction #{id}"), id=correction_id)

    def confirm(self, correction_id: int) -> None:
        """The user says the label is right, though the model found it suspicious: train on it."""
        with self._writing():
            changed = self._db.execute("UPDATE corrections SET confirmed = 1 WHERE id = ?", (correction_id,)).rowcount
        if not changed:
            raise StoreError(QT_TRANSLATE_NOOP("core", "there is no correction #{id}"), id=correction_id)

    def delete(self, correction_id: int) -> None:
        with self._writing():
            self._db.execute("DELETE FROM corrections WHERE id = ?", (correction_id,))

    def images(self) -> LabelledImages:
        """Every correction as training data: the stored frames and their labels."""
        return self.images_and_confirmations()[0]

    def images_and_confirmations(self) -> tuple[LabelledImages, torch.Tensor]:
        """images() and, read with them, which of them the user confirmed ((N,) bool)."""
        corrections = self.all()
        frames = (
            np.stack([c.frame for c in corrections])
            if corrections
            else np.zeros((0, INPUT_SIZE, INPUT_SIZE), np.float32)
        )
        images = LabelledImages(
            torch.from_numpy(frames).unsqueeze(1), torch.tensor([c.label for c in corrections], dtype=torch.long)
        )
        return images, torch.tensor([c.confirmed for c in corrections], dtype=torch.bool)

    def export(self, folder: Path) -> int:
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
        corrections = self.all()
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
                        whole = self.whole_drawing(c)
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

    def import_folder(self, folder: Path, should_stop: Callable[[], bool] = lambda: False) -> ImportResult:
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
        importing = _Import(self, folder, listing.name)
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
                _check_label(label)
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
            digit = _with_paper(whole, whole[y : y + height, x : x + width])
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


def _check_label(label) -> None:
    if not 0 <= int(label) <= 9:
        raise StoreError(QT_TRANSLATE_NOOP("core", "a label must be a digit 0-9, not {label}"), label=label)


def read_label(text: str) -> int:
    """A label as a listing writes it ("7", "07", " 7"); anything else is refused in words, not in
    Python's ("invalid literal for int()")."""
    text = text.strip()
    if not text.isdecimal():
        raise StoreError(QT_TRANSLATE_NOOP("core", "a label must be a digit 0-9, not {label}"), label=text)
    _check_label(text)
    return int(text)


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


_COLUMNS = "id, created, label, predicted, confidence, model_name, model_version, drawing_png, frame"
_NUMBER_COLUMNS = ", whole_drawing_id, box_x, box_y, box_width, box_height"
_CONFIRMED_COLUMN = ", confirmed"
# What a row lacking them reads in their place: no number, unconfirmed.
_NO_NUMBER_COLUMNS = ", NULL, NULL, NULL, NULL, NULL"
_UNCONFIRMED_COLUMN = ", 0"
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
MAX_PROBED_ID = 1_000_000  # a damaged page can claim any highest id; nobody draws a million digits


def _with_paper(whole: np.ndarray, digit: np.ndarray) -> np.ndarray:
    """A digit cut from `whole`, inside a margin of the whole drawing's paper.

    A digit cut tight to its ink can be ink to its edges (a marker's 1); read on its own, as
    an export is imported, its border would be taken for the paper and the digit for nothing.
    """
    border = np.concatenate((whole[0], whole[-1], whole[:, 0], whole[:, -1]))
    paper = np.median(border, axis=0).astype(whole.dtype)  # one value per channel, as ink_map reads the paper
    margin = max(2, max(digit.shape[:2]) // 10)
    padded = np.empty((digit.shape[0] + 2 * margin, digit.shape[1] + 2 * margin, *digit.shape[2:]), whole.dtype)
    padded[...] = paper
    padded[margin:-margin, margin:-margin] = digit
    return padded


def _is_damage(error: Exception) -> bool:
    """Damage, as opposed to a lock, a read-only folder or a full disk, which recovery cannot help."""
    if isinstance(error, UnicodeDecodeError) or "Could not decode to UTF-8" in str(error):
        return True  # text SQLite hands over that is no longer UTF-8
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return type(error) is sqlite3.DatabaseError  # our own quick_check failure, and corruption's type


def _one_line(error: Exception) -> str:
    """SQLite quotes damaged text in its messages, newlines and all."""
    return " ".join(str(error).split())


def _migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a store of schema `version` (0: a new file) up to SCHEMA_VERSION in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if version < 1:
            db.execute(_SCHEMA)
        for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[step]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _header_is_damaged(path: Path) -> bool:
    """Version bytes SQLite reports not as damage but as a read-only or unsupported file."""
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError:
        return False
    if len(header) < 100:
        return False
    write_version, read_version = header[18], header[19]  # 1 (rollback journal) or 2 (WAL)
    schema_format = int.from_bytes(header[44:48], "big")  # 0 (empty) to 4
    return write_version not in (1, 2) or read_version not in (1, 2) or schema_format > 4


def _recover(path: Path) -> Told:
    """Copy the damaged database aside, then put a fresh one in its place holding every row SQLite
    can still read; returns the line that tells the user."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    copy = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    number = 1
    while copy.exists():  # never over an earlier copy, which may hold rows this one lacks
        number += 1
        copy = path.with_name(f"{path.stem}.damaged-{stamp}-{number}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            shutil.copy2(part, f"{copy}{suffix}")
    rows, wholes = _readable_rows(path)
    fresh = path.with_name(f".{path.name}.recovering")
    fresh.unlink(missing_ok=True)
    db = sqlite3.connect(fresh, isolation_level=None)
    try:
        _migrate(db, 0)
        with db:
            db.executemany("INSERT INTO whole_drawings (id, png) VALUES (?, ?)", wholes)
            db.executemany(
                "INSERT INTO corrections (id, created, label, predicted, confidence, model_name, model_version,"
                " drawing_png, drawing_sha256, frame, whole_drawing_id, box_x, box_y, box_width, box_height,"
                " confirmed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row[:8], hashlib.sha256(row[7]).hexdigest(), *row[8:]) for row in rows],
            )
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):  # they belong to the damaged file, which is copied aside
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(fresh, path)
    if len(rows) == 1:
        template = QT_TRANSLATE_NOOP(
            "core",
            "{name} was damaged: 1 correction could still be read and was kept; the damaged file was copied to {copy}",
        )
    else:
        template = QT_TRANSLATE_NOOP(
            "core",
            "{name} was damaged: {count} corrections could still be read and were kept; the damaged file was copied to {copy}",
        )
    return Told(template, {"name": path.name, "count": len(rows), "copy": copy})


def _readable_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """Every row of the damaged database at `path` that SQLite can still read and that is a valid
    correction, read one by one so that a damaged page costs only the rows on it; and the whole
    drawings those rows refer to that can still be read (a digit whose number's drawing is lost
    keeps its own drawing, frame and label)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error:
        return [], []
    try:
        highest = 0
        for query in (
            "SELECT seq FROM sqlite_sequence WHERE name = 'corrections'",
            "SELECT MAX(id) FROM corrections",
            "SELECT id FROM corrections",  # as far as it gets before the damage
        ):
            try:
                for (identifier,) in db.execute(query):
                    highest = max(highest, identifier if isinstance(identifier, int) else 0)
            except (sqlite3.Error, UnicodeDecodeError):
                continue
        try:
            names = [row[1] for row in db.execute("PRAGMA table_info(corrections)")]
        except (sqlite3.Error, UnicodeDecodeError):  # the schema's own text can be what is damaged
            names = []
        columns = (
            _COLUMNS
            + (_NUMBER_COLUMNS if names.count("whole_drawing_id") == 1 else _NO_NUMBER_COLUMNS)
            + (_CONFIRMED_COLUMN if names.count("confirmed") == 1 else _UNCONFIRMED_COLUMN)
        )
        rows, wholes = [], []
        for identifier in range(1, min(highest, MAX_PROBED_ID) + 1):
            # A row's last columns (its number's box, its confirmation) can sit on a damaged overflow
            # page while its drawing, frame and label read whole: it is kept as a digit of its own,
            # unconfirmed, rather than lost.
            for chosen in (columns, _COLUMNS + _NO_NUMBER_COLUMNS + _UNCONFIRMED_COLUMN):
                try:
                    row = db.execute(f"SELECT {chosen} FROM corrections WHERE id = ?", (identifier,)).fetchone()
                except (sqlite3.Error, UnicodeDecodeError):
                    continue
                if row is not None and _is_valid_row(row):
                    rows.append(row)
                break
        for whole_id in sorted({row[9] for row in rows if row[9] is not None}):
            try:
                found = db.execute("SELECT id, png FROM whole_drawings WHERE id = ?", (whole_id,)).fetchone()
            except (sqlite3.Error, UnicodeDecodeError):
                continue
            if found is not None and isinstance(found[1], bytes) and found[1].startswith(PNG_SIGNATURE):
                wholes.append(found)
        kept = {whole_id for whole_id, _ in wholes}
        rows = [row if row[9] is None or row[9] in kept else (*row[:9], None, *row[10:]) for row in rows]
        return rows, wholes
    finally:
        db.close()


def _is_valid_row(row: tuple) -> bool:
    _, created, label, predicted, confidence, _, _, png, frame, whole, *box, confirmed = row
    return (
        isinstance(created, str)
        and isinstance(label, int)
        and 0 <= label <= 9
        and (predicted is None or (isinstance(predicted, int) and 0 <= predicted <= 9))
        and (confidence is None or isinstance(confidence, float))
        and isinstance(png, bytes)
        and png.startswith(PNG_SIGNATURE)
        and _is_frame(frame)
        and (whole is None or isinstance(whole, int))
        and (all(v is None for v in box) or all(isinstance(v, int) for v in box))
        and confirmed in (0, 1)
    )


def _is_frame(data) -> bool:
    """A network input as preprocess makes it, 0 (background) to 1 (ink): damage that rewrote a
    frame's bytes (NaN, huge values) would otherwise reach training and turn its loss to NaN."""
    if not isinstance(data, bytes) or len(data) != INPUT_SIZE * INPUT_SIZE * 4:
        return False
    values = np.frombuffer(data, dtype=np.float32)
    return bool(np.isfinite(values).all() and values.min() >= 0.0 and values.max() <= 1.0)


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


def default_store_path(user_dir: Path) -> Path:
    return Path(user_dir) / DATABASE_NAME


def _correction(row) -> Correction:
    identifier, created, label, predicted, confidence, model_name, model_version, png, frame, whole = row[:10]
    *box, confirmed = row[10:]
    pixels = np.frombuffer(frame, dtype=np.float32).reshape(INPUT_SIZE, INPUT_SIZE).copy()
    return Correction(
        identifier,
        created,
        label,
        predicted,
        confidence,
        model_name,
        model_version,
        bytes(png),
        pixels,
        whole,
        None if box[0] is None else tuple(box),
        bool(confirmed),
    )


def _blank(value) -> str:
    return "" if value is None else str(value)


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text not in (None, "") else None


def _float_or_none(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None
