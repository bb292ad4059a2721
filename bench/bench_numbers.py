"""Reading numbers: accuracy on real handwritten numbers, single digits kept whole, and speed.

Run: .venv/bin/python bench/bench_numbers.py [--weights PATH] [--data-dir DIR]
     (DIR holds numbers-dev/ and unipen-dev/, default $LENET_DATA_DIR; prints Markdown for docs/BENCHMARKS.md)

- numbers-dev: 400 numbers of 2 to 6 digits by UNIPEN writers (README-handwriting.md), read from
  the image alone (as `lenet-desktop predict` does) and with the pen strokes (as the canvas does):
  exact numbers and digit accuracy (1 - edit distance / length) per length, and what the failures are.
- unipen-dev: 3,000 single digits; the share read as exactly one correct digit, against today's
  one-digit reading (core.predict.recognise) of the same images: right where it shows the right digit,
  not where it says "not a digit" (its top class alone is printed too).
- speed: read_number on each 6-digit number of numbers-dev placed on a 1,400x280 canvas, one thread:
  wall time and the thread's CPU time.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import torch

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.images import load_image
from lenet_desktop.core.numbers import edit_distance, read_number
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.core.pieces import SPECK_SIZE, label_components
from lenet_desktop.core.predict import recognise
from lenet_desktop.core.preprocess import INK_THRESHOLD, ink_map

SPEED_REPEATS = 1000
CANVAS = (280, 1400)


def specks(image) -> int:
    """Ink pieces smaller than read_number's speck size: in numbers-dev, digits UNIPEN recorded as
    a dot or a tiny scribble (the source's noise), which no reader can read as their label."""
    ink = ink_map(image) > INK_THRESHOLD
    rows = np.flatnonzero(ink.any(axis=1))
    labels, count = label_components(ink[::4, ::4])
    if count == 0:
        return 0
    sizes = [max(np.ptp(np.nonzero(labels == k), axis=1)) + 1 for k in range(1, count + 1)]
    return sum(4 * size < SPECK_SIZE * (rows[-1] - rows[0] + 1) for size in sizes)


def failure_kind(truth: str, read: str, image) -> str:
    if len(read) < len(truth) and specks(image) >= len(truth) - len(read):
        return "fewer digits, as many specks (a digit recorded as a dot)"
    if len(read) < len(truth):
        return "fewer digits (two read as one)"
    if len(read) > len(truth):
        return "more digits (a digit split, or a fragment read)"
    return "right count, digit misread"


def numbers_accuracy(classifier, root: Path, with_strokes: bool) -> tuple[dict, Counter, list]:
    """Per length: [numbers, exact, digits, digit errors]; failure kinds; the failures."""
    per_length: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    kinds: Counter = Counter()
    failures = []
    for line in (root / "strokes.jsonl").read_text().splitlines():
        record = json.loads(line)
        strokes = [np.asarray(s, dtype=np.float64) for s in record["strokes"]] if with_strokes else None
        image = load_image(root / record["file"])
        read = read_number(classifier, image, strokes).number or ""
        truth = record["label"]
        row = per_length[len(truth)]
        row[0] += 1
        row[1] += read == truth
        row[2] += len(truth)
        row[3] += min(edit_distance(truth, read), len(truth))
        if read != truth:
            kinds[failure_kind(truth, read, image)] += 1
            failures.append((record["file"], truth, read))
    return dict(sorted(per_length.items())), kinds, failures


def single_digits(classifier, root: Path) -> tuple[int, int, int, int, Counter]:
    """(images, one correct digit now, correct by today's one-digit reading as the window shows it,
    the same ignoring its "not a digit", what today's right answers became).

    A drawing the one-digit reading calls "not a digit" does not come back as a digit there either, so
    it counts as right for today only where the window would show the digit (unsure or not)."""
    total = whole = today = today_argmax = 0
    lost: Counter = Counter()
    with open(root / "labels.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            image = load_image(root / row["file"])
            read = read_number(classifier, image).number
            prediction = recognise(classifier, image)
            right_argmax = prediction is not None and str(prediction.digit) == row["label"]
            right_today = right_argmax and not prediction.not_a_digit
            total += 1
            whole += read == row["label"]
            today += right_today
            today_argmax += right_argmax
            if read != row["label"] and right_today:
                lost["split into several" if read and len(read) > 1 else "misread or lost"] += 1
    return total, whole, today, today_argmax, lost


def speed(classifier, root: Path) -> tuple[float, float, float, float, int]:
    canvases = []
    for line in (root / "strokes.jsonl").read_text().splitlines():
        record = json.loads(line)
        if len(record["label"]) == 6:
            image = load_image(root / record["file"])
            canvas = np.full(CANVAS, 255, dtype=np.uint8)
            width = min(CANVAS[1], image.shape[1])
            canvas[:, :width] = image[: CANVAS[0], :width]
            canvases.append(canvas)
    for canvas in canvases[:20]:
        read_number(classifier, canvas)
    samples, cpu = [], []
    for i in range(SPEED_REPEATS):
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        read_number(classifier, canvases[i % len(canvases)])
        cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    samples.sort()
    cpu.sort()
    # The CPU time this thread used: on a shared machine the wall time also counts waiting for a core.
    return (
        statistics.median(samples),
        samples[int(0.95 * len(samples))],
        statistics.median(cpu),
        cpu[int(0.95 * len(cpu))],
        len(canvases),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--weights", type=Path, default=None, help="checkpoint to read with (default: the shipped weights)"
    )
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("LENET_DATA_DIR", ".")))
    parser.add_argument("--failures", action="store_true", help="also list every number read wrong")
    args = parser.parse_args()
    torch.set_num_threads(1)
    weights = args.weights or shipped_weights_path()
    classifier = load_checkpoint(weights)
    print(
        f"Weights: {weights.name} ({classifier.name}); machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}; torch {torch.__version__}, 1 thread\n"
    )

    for with_strokes in (False, True):
        per_length, kinds, failures = numbers_accuracy(classifier, args.data_dir / "numbers-dev", with_strokes)
        source = "image and pen strokes (the canvas)" if with_strokes else "image alone (`predict`)"
        print(f"numbers-dev, read from the {source}:\n")
        print("| digits | numbers | exact | digit accuracy |")
        print("|---|---|---|---|")
        totals = [0, 0, 0, 0]
        for length, row in per_length.items():
            totals = [a + b for a, b in zip(totals, row)]
            print(f"| {length} | {row[0]} | {row[1] / row[0]:.1%} | {1 - row[3] / row[2]:.1%} |")
        print(f"| all | {totals[0]} | **{totals[1] / totals[0]:.1%}** | **{1 - totals[3] / totals[2]:.1%}** |\n")
        print("Failures: " + "; ".join(f"{kind}: {count}" for kind, count in kinds.most_common()) + "\n")
        if args.failures:
            print("  " + ", ".join(f"{name} {truth}->{read or '-'}" for name, truth, read in failures) + "\n")

    total, whole, today, today_argmax, lost = single_digits(classifier, args.data_dir / "unipen-dev")
    print(
        f"unipen-dev single digits read as exactly one correct digit: **{whole / total:.2%}** "
        f"(today's one-digit reading, shown as that digit: {today / total:.2%}, {whole - today:+d} images; "
        f"its top class alone, 'not a digit' or not: {today_argmax / total:.2%})"
        + (f"; today's right answers lost: {dict(lost)}" if lost else "")
        + "\n"
    )

    median, p95, cpu_median, cpu_p95, count = speed(classifier, args.data_dir / "numbers-dev")
    print(
        f"read_number, 6-digit numbers on a {CANVAS[1]}x{CANVAS[0]} canvas ({count} drawings, {SPEED_REPEATS} reads): "
        f"median {median:.2f} ms, p95 **{p95:.2f} ms**; CPU time median {cpu_median:.2f} ms, p95 {cpu_p95:.2f} ms "
        f"(load average now {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
