"""Hand-made pen strokes for the digits 0-9, several styles each, in unit coordinates.

Each drawing is a list of strokes; each stroke a list of (x, y) points, x to the right and y
down, inside the unit square. Tests render them (render_strokes) or replay them as mouse events.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw

Point = tuple[float, float]
Stroke = list[Point]


def _arc(cx: float, cy: float, rx: float, ry: float, start_deg: float, end_deg: float, steps: int = 24) -> Stroke:
    angles = np.linspace(math.radians(start_deg), math.radians(end_deg), steps)
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in angles]


def _line(*points: Point, steps: int = 8) -> Stroke:
    out: Stroke = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        for t in np.linspace(0, 1, steps, endpoint=False):
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    out.append(points[-1])
    return out


# Angles: 0 deg points right, 90 deg down (screen coordinates).
DIGITS: dict[int, list[list[Stroke]]] = {
    0: [
        [_arc(0.5, 0.5, 0.22, 0.34, -90, 270, 40)],
        [_arc(0.5, 0.5, 0.28, 0.36, -80, 285, 40)],
        [_arc(0.52, 0.5, 0.18, 0.32, -100, 260, 40)],
    ],
    1: [
        [_line((0.5, 0.15), (0.5, 0.85))],
        [_line((0.38, 0.28), (0.55, 0.15), (0.55, 0.85))],
        [_line((0.56, 0.15), (0.46, 0.85))],
    ],
    2: [
        [_arc(0.5, 0.33, 0.2, 0.17, 190, 360, 16) + _line((0.7, 0.36), (0.3, 0.85), (0.75, 0.85))],
        [_arc(0.48, 0.32, 0.22, 0.17, 200, 380, 16) + _line((0.68, 0.42), (0.28, 0.84), (0.78, 0.82))],
        [_arc(0.5, 0.35, 0.18, 0.2, 180, 350, 16) + _line((0.67, 0.32), (0.32, 0.84), (0.72, 0.84))],
    ],
    3: [
        [_arc(0.48, 0.32, 0.19, 0.16, 200, 450, 20) + _arc(0.48, 0.66, 0.21, 0.18, -90, 150, 20)],
        [_arc(0.5, 0.3, 0.2, 0.15, 190, 440, 20) + _arc(0.5, 0.65, 0.23, 0.2, -80, 160, 20)],
        [_line((0.3, 0.16), (0.7, 0.16), (0.45, 0.45)) + _arc(0.5, 0.64, 0.21, 0.2, -90, 150, 20)],
    ],
    4: [
        [_line((0.55, 0.15), (0.25, 0.6), (0.75, 0.6)), _line((0.6, 0.35), (0.6, 0.88))],
        [_line((0.3, 0.15), (0.3, 0.55), (0.72, 0.55)), _line((0.65, 0.15), (0.65, 0.88))],
        [_line((0.5, 0.12), (0.22, 0.62), (0.78, 0.62)), _line((0.58, 0.4), (0.58, 0.9))],
    ],
    5: [
        [_line((0.68, 0.16), (0.35, 0.16), (0.32, 0.46)) + _arc(0.48, 0.64, 0.21, 0.2, -120, 150, 20)],
        [_line((0.7, 0.15), (0.38, 0.15), (0.35, 0.45)) + _arc(0.5, 0.64, 0.2, 0.2, -110, 160, 20)],
        [
            _line((0.34, 0.16), (0.31, 0.47)) + _arc(0.48, 0.65, 0.21, 0.19, -120, 150, 20),
            _line((0.34, 0.16), (0.7, 0.16)),
        ],
    ],
    6: [
        [
            _arc(0.62, 0.42, 0.3, 0.32, 250, 180, 2)[:1]
            + _line((0.62, 0.15), (0.32, 0.55))
            + _arc(0.5, 0.66, 0.2, 0.19, 180, 540, 28)
        ],
        [_arc(0.72, 0.55, 0.4, 0.42, 250, 180, 16) + _arc(0.5, 0.67, 0.2, 0.18, 180, 530, 28)],
        [_line((0.6, 0.14), (0.36, 0.5)) + _arc(0.52, 0.67, 0.19, 0.19, 190, 540, 28)],
    ],
    7: [
        [_line((0.28, 0.18), (0.72, 0.18), (0.42, 0.86))],
        [_line((0.25, 0.16), (0.75, 0.16), (0.5, 0.86))],
        [_line((0.3, 0.22), (0.32, 0.17), (0.7, 0.17), (0.45, 0.85))],
    ],
    8: [
        [_arc(0.5, 0.32, 0.16, 0.16, 90, 450, 24) + _arc(0.5, 0.66, 0.2, 0.19, -90, 270, 28)],
        [_arc(0.5, 0.33, 0.18, 0.17, 60, 420, 24) + _arc(0.5, 0.67, 0.21, 0.18, -90, 270, 28)],
        [_arc(0.5, 0.3, 0.15, 0.14, 90, 450, 24), _arc(0.5, 0.64, 0.2, 0.2, -90, 270, 28)],
    ],
    9: [
        [_arc(0.5, 0.34, 0.19, 0.18, 0, 360, 28) + _line((0.69, 0.34), (0.62, 0.86))],
        [_arc(0.48, 0.33, 0.2, 0.17, 10, 370, 28) + _line((0.68, 0.36), (0.66, 0.86))],
        [_arc(0.5, 0.32, 0.18, 0.16, 0, 360, 28) + _line((0.68, 0.32), (0.5, 0.86))],
    ],
}


def all_drawings() -> list[tuple[int, list[Stroke]]]:
    return [(digit, drawing) for digit, drawings in DIGITS.items() for drawing in drawings]


def render_strokes(
    strokes: list[Stroke],
    size: int = 280,
    pen: float = 18,
    box: tuple[float, float, float, float] = (0, 0, 1, 1),
    ink: int = 0,
    paper: int = 255,
) -> np.ndarray:
    """Draw strokes as round-capped lines on a grey canvas; `box` is (left, top, width, height)
    of the unit square on the canvas, in canvas fractions."""
    image = Image.new("L", (size, size), paper)
    draw = ImageDraw.Draw(image)
    left, top, width, height = box
    for stroke in strokes:
        points = [((left + x * width) * size, (top + y * height) * size) for x, y in stroke]
        draw.line(points, fill=ink, width=max(1, round(pen)), joint="curve")
        radius = pen / 2
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=ink)
    return np.asarray(image)


if __name__ == "__main__":
    # Writes the shipped sample drawings: python tests/digit_strokes.py resources/samples
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    for digit, drawings in DIGITS.items():
        Image.fromarray(render_strokes(drawings[0])).save(folder / f"digit_{digit}.png", optimize=True)


def continental_one(rng: np.random.Generator) -> np.ndarray:
    """A continental 1 (a long rising flag) with random slant, size, shift, wobble and pen width;
    the shipped model reads most as 7."""
    flag = (0.22 + rng.uniform(-0.05, 0.05), 0.5 + rng.uniform(-0.08, 0.08))
    angle, scale, shift = np.radians(rng.uniform(-8, 8)), rng.uniform(0.85, 1.1), rng.uniform(-0.05, 0.05, 2)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    stroke = np.array(_line(flag, (0.6, 0.15), (0.6, 0.85)))
    stroke = stroke + rng.normal(0, 0.012, stroke.shape)
    stroke = ((stroke - 0.5) @ rotation.T) * scale + 0.5 + shift
    return render_strokes([[tuple(point) for point in stroke]], pen=rng.uniform(14, 24))


def numbers_dev() -> list[tuple[str, list[Stroke]]]:
    """The real handwritten numbers of $LENET_DATA_DIR/numbers-dev/strokes.jsonl as (label, strokes),
    strokes in heights of the 280 px high frame they were drawn in (the canvas's own units); the
    calling test is skipped when the set is absent."""
    import json
    import os
    from pathlib import Path

    import pytest

    path = Path(os.environ.get("LENET_DATA_DIR", "")) / "numbers-dev" / "strokes.jsonl"
    if not os.environ.get("LENET_DATA_DIR") or not path.is_file():
        pytest.skip(
            f"numbers-dev not found: set LENET_DATA_DIR to a folder holding {path.relative_to(path.parents[1])}"
        )
    numbers = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        height = record["height"]
        numbers.append(
            (record["label"], [[(x / height, y / height) for x, y in stroke] for stroke in record["strokes"]])
        )
    return numbers
