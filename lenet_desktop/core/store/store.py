"""The user's corrections, read and written: `CorrectionStore`, an open SQLite file of them.

Each correction keeps the original drawing (PNG), the exact 32x32 frame the network saw, the
true label, what the model answered and how sure it was, which model that was, and when. A digit
of a number is a correction of its own: its drawing is the digit's box cut from the number, and
it also keeps the whole drawing (stored once for all its digits) and where its box lies in it.
`add` commits before it returns, so when the window says "saved" the row is on disk: the
database runs in WAL mode with synchronous=FULL, which makes every commit durable even
against a power cut (a killed process cannot lose a committed row in any mode).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, Told
from lenet_desktop.core.preprocess import INPUT_SIZE, preprocess
from lenet_desktop.core.store import exchange
from lenet_desktop.core.store.exchange import ImportResult
from lenet_desktop.core.store.recovery import header_is_damaged, is_damage, recover
from lenet_desktop.core.store.rows import (
    CONFIRMED_SELECTED,
    CORRECTION,
    NO_NUMBER_SELECTED,
    NO_SOURCE_SELECTED,
    NUMBER_SELECTED,
    PNG_SIGNATURE,
    SCHEMA_VERSION,
    SELECTED,
    SOURCE_SELECTED,
    UNCONFIRMED_SELECTED,
    Correction,
    DigitCorrection,
    StoreError,
    check_label,
    correction_from_row,
    decode_png,
    encode_png,
    is_valid_row,
    migrate,
    one_line,
    with_paper,
)


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
            if not writable or not (is_damage(error) or header_is_damaged(self.path)):
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "{path}: not a usable corrections database ({reason})"),
                    path=self.path,
                    reason=one_line(error),
                ) from None
            self.recovered = self._recover()
            try:
                self._db = self._open(writable)
            except (sqlite3.DatabaseError, UnicodeDecodeError) as again:
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "{path}: not a usable corrections database ({reason})"),
                    path=self.path,
                    reason=one_line(again),
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
            return recover(self.path)
        except (OSError, sqlite3.Error) as error:  # a read-only or full folder: left as it is
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{path}: damaged, and cannot be recovered here ({reason})"),
                path=self.path,
                reason=one_line(error),
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
                migrate(db, version)
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
        source: str = CORRECTION,
    ) -> int:
        """Store one correction and commit it; returns its id. `frame` defaults to preprocess(drawing);
        `source` (rows.SOURCES) says whether the enrolment asked for the drawing."""
        if frame is None:
            frame = preprocess(drawing)
            if frame is None:
                raise StoreError(QT_TRANSLATE_NOOP("core", "there is no digit in this drawing to save"))
        return self._insert(
            encode_png(drawing), label, predicted, confidence, model_name, model_version, frame, created, source=source
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
            png = encode_png(with_paper(drawing, drawing[y : y + height, x : x + width]))
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
        self,
        png,
        label,
        predicted,
        confidence,
        model_name,
        model_version,
        frame,
        created,
        confirmed=False,
        source=CORRECTION,
    ) -> int:
        with self._writing():  # the commit is synced to disk before this returns
            return self._insert_row(
                png,
                label,
                predicted,
                confidence,
                model_name,
                model_version,
                frame,
                created,
                confirmed=confirmed,
                source=source,
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
        source=CORRECTION,
        identifier=None,
    ) -> int:
        """One row, inside a write the caller holds open; `identifier` None takes the next id."""
        check_label(label)
        frame = np.ascontiguousarray(frame, dtype=np.float32)
        if frame.shape != (INPUT_SIZE, INPUT_SIZE):
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "a frame must be {size}x{size}, not {shape}"),
                size=INPUT_SIZE,
                shape=frame.shape,
            )
        cursor = self._db.execute(
            "INSERT INTO corrections (id, created, label, predicted, confidence, model_name, model_version,"
            " drawing_png, drawing_sha256, frame, whole_drawing_id, box_x, box_y, box_width, box_height, confirmed,"
            " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                identifier,
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
                source,
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
                QT_TRANSLATE_NOOP("core", "{name}: not saved ({reason})"), name=self.path.name, reason=one_line(error)
            ) from None

    def _read(self, query: str, parameters: tuple = ()) -> list[tuple]:
        """The query's rows. Damage that quick_check missed as the store opened (a page SQLite only
        trips over when it reads it) is recovered here as it would have been there, then read again."""
        try:
            return self._db.execute(query, parameters).fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if not is_damage(error):
                raise StoreError(
                    QT_TRANSLATE_NOOP("core", "{path}: cannot be read ({reason})"),
                    path=self.path,
                    reason=one_line(error),
                ) from None
        self._db.close()
        self.recovered = self._recover()
        try:
            self._db = self._open(writable=True)  # recovery has just written the fresh file beside it
            return self._db.execute(query, parameters).fetchall()
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise StoreError(
                QT_TRANSLATE_NOOP("core", "{path}: cannot be read ({reason})"), path=self.path, reason=one_line(error)
            ) from None

    def _columns(self) -> str:
        """A store of an older schema, opened read-only, lacks the later columns: its rows have none."""
        return (
            SELECTED
            + (NUMBER_SELECTED if self._version >= 2 else NO_NUMBER_SELECTED)
            + (CONFIRMED_SELECTED if self._version >= 3 else UNCONFIRMED_SELECTED)
            + (SOURCE_SELECTED if self._version >= 4 else NO_SOURCE_SELECTED)
        )

    def __len__(self) -> int:
        return self._read("SELECT COUNT(*) FROM corrections")[0][0]

    def all(self, after: int = 0) -> list[Correction]:
        """Every correction (with `after`, those of a greater id: the ones added since); rows that damage
        left unlike a correction (a blob turned text, a frame cut short: SQLite cannot tell) are left out,
        listed in `damaged_ids`, and not deleted."""
        rows = self._read(f"SELECT {self._columns()} FROM corrections WHERE id > ? ORDER BY id", (after,))
        self.damaged_ids = [row[0] for row in rows if not is_valid_row(row)]
        return [correction_from_row(row) for row in rows if is_valid_row(row)]

    def get(self, correction_id: int) -> Correction:
        rows = self._read(f"SELECT {self._columns()} FROM corrections WHERE id = ?", (correction_id,))
        row = rows[0] if rows else None
        if row is None:
            raise StoreError(QT_TRANSLATE_NOOP("core", "there is no correction #{id}"), id=correction_id)
        if not is_valid_row(row):
            raise StoreError(QT_TRANSLATE_NOOP("core", "correction #{id} is damaged"), id=correction_id)
        return correction_from_row(row)

    def relabel(self, correction_id: int, label: int) -> None:
        """Change a label; the user chose it, so it counts as confirmed."""
        check_label(label)
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

    def restore(self, corrections: list[Correction]) -> None:
        """Put deleted corrections back as they were, under their own ids, all together (or none)."""
        with self._writing():
            self._db.execute("BEGIN IMMEDIATE")
            for c in corrections:
                self._insert_row(
                    c.drawing_png,
                    c.label,
                    c.predicted,
                    c.confidence,
                    c.model_name,
                    c.model_version,
                    c.frame,
                    c.created,
                    c.whole_drawing_id,
                    c.box,
                    c.confirmed,
                    c.source,
                    c.id,
                )

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
        return exchange.export(self, folder)

    def import_folder(self, folder: Path, should_stop: Callable[[], bool] = lambda: False) -> ImportResult:
        """Add the drawings a corrections.csv in `folder` lists (exchange.import_folder); `should_stop`
        is asked before each drawing: what was added until then stays, each committed."""
        return exchange.import_folder(self, folder, should_stop)
