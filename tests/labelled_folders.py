"""A folder of drawings with labels.csv, as a user would hand to `evaluate --images`: digits drawn
from the hand-made strokes, letters that are no digit, and the PNGs written by the project's writer."""

from __future__ import annotations

from pathlib import Path

from digit_strokes import DIGITS, _line, render_strokes

from lenet_desktop.core.store import encode_png

LETTERS = {
    "H": [_line((0.3, 0.15), (0.3, 0.85)), _line((0.7, 0.15), (0.7, 0.85)), _line((0.3, 0.5), (0.7, 0.5))],
    "X": [_line((0.25, 0.15), (0.75, 0.85)), _line((0.75, 0.15), (0.25, 0.85))],
}


def write_labelled_folder(folder: Path, extra_rows: list[str] = ()) -> list[tuple[str, str]]:
    """Every digit's first two styles and the letters as PNGs, listed in labels.csv with
    `extra_rows` appended; returns the (file, label) rows that name a written image."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for digit, drawings in DIGITS.items():
        for style, strokes in enumerate(drawings[:2]):
            rows.append((f"digit_{digit}_{style}.png", str(digit), strokes))
    rows += [(f"letter_{letter}.png", letter, strokes) for letter, strokes in LETTERS.items()]
    for name, _label, strokes in rows:
        (folder / name).write_bytes(encode_png(render_strokes(strokes)))
    lines = ["file,label", *(f"{name},{label}" for name, label, _ in rows), *extra_rows]
    (folder / "labels.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [(name, label) for name, label, _ in rows]
