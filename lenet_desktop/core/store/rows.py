"""What a correction is, on disk and in Python: the database's schema and its migrations, the row a
correction is read from and checked as, and the drawings' PNG encoding. Every other module of the store
builds on these; none of them is imported here.
"""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError
from lenet_desktop.core.preprocess import INPUT_SIZE

DATABASE_NAME = "corrections.db"
# A correction's `source`: saved from a misread drawing (a key, a button, an import), or drawn
# because the enrolment asked for that digit.
CORRECTION, ENROLMENT = "correction", "enrolment"
SOURCES = (CORRECTION, ENROLMENT)
SCHEMA_VERSION = 4

SCHEMA = """
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
MIGRATIONS = {
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
    # How the drawing came: a digit key or button (or an import) for a correction, or the guided
    # enrolment that asked for that digit. Rows from before came the first way.
    4: (f"ALTER TABLE corrections ADD COLUMN source TEXT NOT NULL DEFAULT '{CORRECTION}'",),
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
    source: str = CORRECTION  # one of SOURCES

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


def check_label(label) -> None:
    if not 0 <= int(label) <= 9:
        raise StoreError(QT_TRANSLATE_NOOP("core", "a label must be a digit 0-9, not {label}"), label=label)


SELECTED = "id, created, label, predicted, confidence, model_name, model_version, drawing_png, frame"
NUMBER_SELECTED = ", whole_drawing_id, box_x, box_y, box_width, box_height"
CONFIRMED_SELECTED = ", confirmed"
SOURCE_SELECTED = ", source"
# What a row lacking them reads in their place: no number, unconfirmed, a correction.
NO_NUMBER_SELECTED = ", NULL, NULL, NULL, NULL, NULL"
UNCONFIRMED_SELECTED = ", 0"
NO_SOURCE_SELECTED = f", '{CORRECTION}'"


def with_paper(whole: np.ndarray, digit: np.ndarray) -> np.ndarray:
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


def one_line(error: Exception) -> str:
    """SQLite quotes damaged text in its messages, newlines and all."""
    return " ".join(str(error).split())


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a store of schema `version` (0: a new file) up to SCHEMA_VERSION in one transaction."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if version < 1:
            db.execute(SCHEMA)
        for step in range(max(version, 1) + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[step]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def is_valid_row(row: tuple) -> bool:
    _, created, label, predicted, confidence, _, _, png, frame, whole, *box, confirmed, source = row
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
        and source in SOURCES
    )


def _is_frame(data) -> bool:
    """A network input as preprocess makes it, 0 (background) to 1 (ink): damage that rewrote a
    frame's bytes (NaN, huge values) would otherwise reach training and turn its loss to NaN."""
    if not isinstance(data, bytes) or len(data) != INPUT_SIZE * INPUT_SIZE * 4:
        return False
    values = np.frombuffer(data, dtype=np.float32)
    return bool(np.isfinite(values).all() and values.min() >= 0.0 and values.max() <= 1.0)


def default_store_path(user_dir: Path) -> Path:
    return Path(user_dir) / DATABASE_NAME


def correction_from_row(row) -> Correction:
    identifier, created, label, predicted, confidence, model_name, model_version, png, frame, whole = row[:10]
    *box, confirmed, source = row[10:]
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
        source,
    )
