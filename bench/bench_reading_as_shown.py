"""Reading as the window shows it: every drawing read as a number (core.numbers.read_number, as the
window and `lenet-desktop predict` read it), counted by what the user sees.

Run: nice .venv/bin/python bench/bench_reading_as_shown.py [DATA_DIR] [--weights PATH] [--failures]
     (DATA_DIR holds letters-dev/, unipen-dev/ and numbers-dev/ (README-handwriting.md); default
     $LENET_DATA_DIR; prints a Markdown table)

- letters-dev: 1,040 upper-case letters that look like no digit; the share answered with a
  confident digit or number (some digit shown, not "unsure"; "not a digit" and "unsure" are the
  right answers), the share answered with a confident number of two or more digits, and per letter.
- unipen-dev: 3,000 single digits read from their images; the share shown as exactly the right one
  digit, and the share read as two or more digits.
- unipen-dev square-stretched: each digit whose strokes' box is narrower than high redrawn with the
  box's width set to its height (as boxed forms and some tablets give), on the canvas's terms
  (the longer side 70 % of 280 px, an 18 px round pen, antialiased); the same two shares.
- numbers-dev: 400 numbers of 2 to 6 digits, read exactly, from the image alone (`predict`) and
  with the pen strokes (the canvas).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.images import load_image
from lenet_desktop.core.numbers import read_number, shown_answer
from lenet_desktop.core.paths import shipped_weights_path

CANVAS = 280
PEN = 18.0
INK_SHARE = 0.7  # the longer side of the strokes' box on the canvas
SUPERSAMPLE = 4  # drawn this many times larger, then averaged down: antialiased


def render(strokes: list[np.ndarray]) -> np.ndarray:
    """Strokes in the 280 px canvas frame drawn as the canvas exports them: dark round pen on white."""
    size, scale = CANVAS * SUPERSAMPLE, SUPERSAMPLE
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    radius = PEN * scale / 2
    for stroke in strokes:
        points = [(float(x) * scale, float(y) * scale) for x, y in stroke]
        if len(points) > 1:
            draw.line(points, fill=0, width=round(PEN * scale))
        for x, y in points:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)
    return np.asarray(image.resize((CANVAS, CANVAS), Image.Resampling.BOX))


def squared(strokes: list[np.ndarray]) -> list[np.ndarray] | None:
    """The strokes with their box's width set to its height, the longer side INK_SHARE of the
    canvas, centred; None where the box is not narrower than high."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    width, height = high - low
    if width >= height:
        return None
    centre, scale = (low + high) / 2, INK_SHARE * CANVAS / height
    return [(stroke - centre) * [scale * height / max(width, 1e-6), scale] + CANVAS / 2 for stroke in strokes]


def letters(classifier, root: Path) -> tuple[int, int, int, Counter, Counter, list]:
    """(letters, answered with a confident digit or number, with a confident number of 2+ digits,
    letters per label, confident per label, the confident answers)."""
    total = answered = several = 0
    per_letter, confident_per_letter = Counter(), Counter()
    answers = []
    with open(root / "labels.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            reading = read_number(classifier, load_image(root / row["file"]))
            total += 1
            per_letter[row["label"]] += 1
            if shown_answer(reading).confident:  # as `evaluate --images` counts it
                answered += 1
                several += len(reading.digits) > 1
                confident_per_letter[row["label"]] += 1
                answers.append((row["file"], row["label"], reading.number))
    return total, answered, several, per_letter, confident_per_letter, answers


def single_digits(classifier, root: Path, square: bool) -> tuple[int, int, int, list]:
    """(digits, shown as exactly the right one digit, read as 2+ digits, the misreadings), from the
    images, or from the strokes redrawn square-stretched."""
    total = right = split = 0
    wrong = []
    for line in (root / "strokes.jsonl").read_text().splitlines():
        record = json.loads(line)
        if square:
            strokes = squared([np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in record["strokes"]])
            if strokes is None:
                continue
            image = render(strokes)
        else:
            image = load_image(root / record["file"])
        number = read_number(classifier, image).number or ""
        total += 1
        right += number == str(record["label"])
        split += len(number) > 1
        if number != str(record["label"]):
            wrong.append((record["file"], record["label"], number))
    return total, right, split, wrong


def numbers(classifier, root: Path, with_strokes: bool) -> tuple[int, int, list]:
    """(numbers, read exactly, the misreadings)."""
    total = exact = 0
    wrong = []
    for line in (root / "strokes.jsonl").read_text().splitlines():
        record = json.loads(line)
        strokes = [np.asarray(s, dtype=np.float64) for s in record["strokes"]] if with_strokes else None
        number = read_number(classifier, load_image(root / record["file"]), strokes).number or ""
        total += 1
        exact += number == record["label"]
        if number != record["label"]:
            wrong.append((record["file"], record["label"], number))
    return total, exact, wrong


def share(count: int, total: int, digits: int = 1) -> str:
    return f"{count / total:.{digits}%} ({count:,} of {total:,})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path, nargs="?", default=os.environ.get("LENET_DATA_DIR"))
    parser.add_argument("--weights", type=Path, default=None, help="checkpoint (default: the shipped weights)")
    parser.add_argument("--failures", action="store_true", help="also list every answer counted against a goal")
    args = parser.parse_args()
    if args.data_dir is None or not (Path(args.data_dir) / "letters-dev").is_dir():
        print("bench_reading_as_shown: give the data folder (or set LENET_DATA_DIR)", file=sys.stderr)
        return 2
    data = Path(args.data_dir)
    torch.set_num_threads(1)
    weights = args.weights or shipped_weights_path()
    classifier = load_checkpoint(weights)
    started = time.perf_counter()
    print(
        f"Weights: {weights.name} ({classifier.name}); machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; torch {torch.__version__}, 1 thread\n"
    )
    total, answered, several, per_letter, by_letter, answers = letters(classifier, data / "letters-dev")
    plain = single_digits(classifier, data / "unipen-dev", square=False)
    square = single_digits(classifier, data / "unipen-dev", square=True)
    image = numbers(classifier, data / "numbers-dev", with_strokes=False)
    pen = numbers(classifier, data / "numbers-dev", with_strokes=True)
    print("| as the window shows it | read | goal |")
    print("|---|---|---|")
    print(f"| letters-dev answered with a confident digit or number | {share(answered, total)} | ≤ 5 % |")
    print(f"| letters-dev answered with a confident number of 2+ digits | {share(several, total)} | |")
    print(f"| unipen-dev single digits read as 2+ digits | {share(plain[2], plain[0], 2)} | ≤ 0.2 % |")
    print(f"| unipen-dev square-stretched read as 2+ digits | {share(square[2], square[0], 2)} | ≤ 0.2 % |")
    print(f"| unipen-dev shown as the right single digit | {share(plain[1], plain[0], 2)} | ≥ 97.6 % |")
    print(f"| unipen-dev square-stretched shown right | {share(square[1], square[0], 2)} | ≥ 95 % |")
    print(f"| numbers-dev read exactly, image alone | {share(image[1], image[0])} | ≥ 81.0 % |")
    print(f"| numbers-dev read exactly, with the pen strokes | {share(pen[1], pen[0])} | ≥ 85.0 % |")
    print(
        "\nletters-dev confident, by letter: "
        + ", ".join(f"{letter} {by_letter[letter] / count:.0%}" for letter, count in sorted(per_letter.items()))
    )
    print(f"\n({time.perf_counter() - started:.0f} s, load average now {os.getloadavg()[0]:.1f})")
    if args.failures:
        print("\nletters answered confidently: " + ", ".join(f"{f} {label}->{n}" for f, label, n in answers))
        for name, result in (("unipen-dev", plain), ("square-stretched", square)):
            split = [f"{f} {label}->{n}" for f, label, n in result[3] if len(n) > 1]
            print(f"\n{name} read as 2+ digits: " + ", ".join(split))
        for name, result in (("numbers-dev, image", image), ("numbers-dev, strokes", pen)):
            print(f"\n{name} misread: " + ", ".join(f"{f} {label}->{n or '-'}" for f, label, n in result[2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
