"""How many of numbers-dev's numbers could any segmentation read, with these weights?

Run: LENET_DATA_DIR=DIR .venv/bin/python bench/numbers_ceiling.py [--weights PATH ...]

Each number's pen strokes, in drawing order, are split into as many runs as the label has digits, in
every way there is; each run's ink (the image's pixels within the pen's reach of its strokes) is read
by `preprocess` and the weights, as a digit the reader cut out is. A number counts when some split
reads every digit right, the label choosing the split: an upper bound for a reader that cuts between
strokes (the canvas's case), whatever rule it cuts by. Two figures: the top class right, and right
and shown as a digit (neither "unsure" nor "not a digit"), as `bench_numbers.py` counts an exact number.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.core.predict import Prediction, predict_frames
from lenet_desktop.core.preprocess import preprocess

PEN_REACH = 10  # pixels from a stroke's path: numbers-dev's 14 px pen and its antialiasing


def run_image(image: np.ndarray, strokes: list) -> np.ndarray:
    """`image` with only the ink within PEN_REACH of `strokes`; the rest paper."""
    mask = Image.new("L", (image.shape[1], image.shape[0]), 0)
    draw = ImageDraw.Draw(mask)
    for stroke in strokes:
        points = [tuple(point) for point in stroke]
        if len(points) > 1:
            draw.line(points, fill=255, width=2 * PEN_REACH, joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - PEN_REACH, y - PEN_REACH, x + PEN_REACH, y + PEN_REACH), fill=255)
    kept = image.copy()
    kept[np.asarray(mask) == 0] = 255
    return kept


def readable(label: str, runs: dict[tuple[int, int], Prediction], strokes: int, shown: bool) -> bool:
    """Whether the strokes 0..strokes split into len(label) runs, each read as its digit."""
    ends = {0}  # where a split of the first j digits can end
    for digit in label:
        ends = {
            b
            for a in ends
            for b in range(a + 1, strokes + 1)
            if (p := runs.get((a, b))) is not None
            and p.digit == int(digit)
            and not (shown and (p.unsure or p.not_a_digit))
        }
    return strokes in ends


def ceiling(weights: Path, folder: Path) -> dict[int, list[int]]:
    """Per number length: [numbers, top class right, right and shown]."""
    classifier = load_checkpoint(weights)
    per_length: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    with open(folder / "strokes.jsonl") as handle:
        for line in handle:
            record = json.loads(line)
            image = np.asarray(Image.open(folder / record["file"]).convert("L"))
            strokes, label = record["strokes"], record["label"]
            spans = [(a, b) for a in range(len(strokes)) for b in range(a + 1, len(strokes) + 1)]
            frames = {span: preprocess(run_image(image, strokes[span[0] : span[1]])) for span in spans}
            spans = [span for span in spans if frames[span] is not None]
            runs = dict(zip(spans, predict_frames(classifier, [frames[span] for span in spans])))
            counts = per_length[len(label)]
            counts[0] += 1
            counts[1] += readable(label, runs, len(strokes), shown=False)
            counts[2] += readable(label, runs, len(strokes), shown=True)
    return dict(sorted(per_length.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, nargs="+", default=[shipped_weights_path()])
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LENET_DATA_DIR", "data")))
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(
        "| weights | " + " | ".join(f"{n} digits" for n in range(2, 7)) + " | all: top class right | all: shown right |"
    )
    print("|---" * 8 + "|")
    for weights in args.weights:
        per_length = ceiling(weights, args.data_dir / "numbers-dev")
        total = [sum(row[i] for row in per_length.values()) for i in range(3)]
        cells = [f"{row[1] / row[0]:.1%} / {row[2] / row[0]:.1%}" for row in per_length.values()]
        print(
            f"| {weights.name} | "
            + " | ".join(cells)
            + f" | **{total[1] / total[0]:.1%}** | **{total[2] / total[0]:.1%}** |"
        )


if __name__ == "__main__":
    main()
