"""Recovery of a damaged corrections database: telling damage from a lock or a full disk, copying
the damaged file aside, and putting in its place a fresh database with every row SQLite can still read.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, Told
from lenet_desktop.core.store.rows import (
    CONFIRMED_SELECTED,
    NO_NUMBER_SELECTED,
    NO_SOURCE_SELECTED,
    NUMBER_SELECTED,
    PNG_SIGNATURE,
    SELECTED,
    SOURCE_SELECTED,
    UNCONFIRMED_SELECTED,
    is_valid_row,
    migrate,
)

_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
MAX_PROBED_ID = 1_000_000  # a damaged page can claim any highest id; nobody draws a million digits


def is_damage(error: Exception) -> bool:
    """Damage, as opposed to a lock, a read-only folder or a full disk, which recovery cannot help."""
    if isinstance(error, UnicodeDecodeError) or "Could not decode to UTF-8" in str(error):
        return True  # text SQLite hands over that is no longer UTF-8
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    return type(error) is sqlite3.DatabaseError  # our own quick_check failure, and corruption's type


def header_is_damaged(path: Path) -> bool:
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


def recover(path: Path) -> Told:
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
        migrate(db, 0)
        with db:
            db.executemany("INSERT INTO whole_drawings (id, png) VALUES (?, ?)", wholes)
            db.executemany(
                "INSERT INTO corrections (id, created, label, predicted, confidence, model_name, model_version,"
                " drawing_png, drawing_sha256, frame, whole_drawing_id, box_x, box_y, box_width, box_height,"
                " confirmed, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            SELECTED
            + (NUMBER_SELECTED if names.count("whole_drawing_id") == 1 else NO_NUMBER_SELECTED)
            + (CONFIRMED_SELECTED if names.count("confirmed") == 1 else UNCONFIRMED_SELECTED)
            + (SOURCE_SELECTED if names.count("source") == 1 else NO_SOURCE_SELECTED)
        )
        rows, wholes = [], []
        for identifier in range(1, min(highest, MAX_PROBED_ID) + 1):
            # A row's last columns (its number's box, its confirmation, its source) can sit on a damaged
            # overflow page, or read as values no row holds, while its drawing, frame and label read
            # whole: it is kept as a digit of its own, an unconfirmed correction, rather than lost.
            for chosen in (columns, SELECTED + NO_NUMBER_SELECTED + UNCONFIRMED_SELECTED + NO_SOURCE_SELECTED):
                try:
                    row = db.execute(f"SELECT {chosen} FROM corrections WHERE id = ?", (identifier,)).fetchone()
                except (sqlite3.Error, UnicodeDecodeError):
                    continue
                if row is None:
                    break
                if is_valid_row(row):
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
