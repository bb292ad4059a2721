"""Personalisation as one user meets it, writer by writer: a writer's first drawings become their
corrections, the app personalises on them, and the writer's other digits are read before and after.

    LENET_DATA_DIR=/path/to/data python bench/bench_personalise_writers.py [--writers 00 03 ...]
        [--data DIR] [--weights W.pt] [--device cpu] [--set name=value ...]

For each writer folder of DIR/writers-dev (DIR: --data, else $LENET_DATA_DIR; see its
README-handwriting.md):
1. `enrol/` (the first 3 drawings of each digit, 30) is imported into a fresh corrections.db
   through the store's import, as `lenet-desktop corrections import` does;
2. `core.training_run.run_training` personalises the starting model on them with the plan
   `lenet-desktop train --data mix` and the Training tab make by default (flagged labels set aside,
   20 % held out, the Recipe's defaults);
3. `rest/` (all the writer's other digits) is read by the starting model and by the result.
Printed per writer and in total: errors on `rest/` before -> after, MNIST test per digit,
`unipen-dev` before -> after, the seconds run_training took (what the user waits for: the checks,
training and the before/after measurement; with the CPU seconds it used, which other work on a
shared machine does not inflate), and how far the run's time estimate moved: the
largest change between two successive estimates, against the time they said was left.
`--set` changes a Recipe field, to compare recipes.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.evaluation import read_folder
from lenet_desktop.core.handwriting import DIGITS_SET, read_digits_and_non_digits
from lenet_desktop.core.measure import Evaluation, evaluate
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.core.personalise import Recipe
from lenet_desktop.core.store import EXPORT_CSV, CorrectionStore
from lenet_desktop.core.train import Listener, Progress
from lenet_desktop.core.training_run import MnistSplits, TrainingPlan, run_training

WRITERS_SET = "writers-dev"
# The goals: errors on the writers' other digits down by this share in total, no writer worse, no
# MNIST test digit down by more than DIGIT_LIMIT, unipen-dev not lower by more than UNIPEN_LIMIT,
# and at most SECONDS a writer.
ERRORS_GOAL, DIGIT_LIMIT, UNIPEN_LIMIT, SECONDS = 0.75, 0.005, 0.002, 15.0


class Estimates(Listener):
    """Keeps every time estimate a run reports, with when it was reported."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, float]] = []  # (seconds since the start, seconds left)
        self.started = time.perf_counter()

    def progress(self, run: str, progress: Progress) -> None:
        self.seen.append((time.perf_counter() - self.started, progress.seconds_left))

    def largest_jump(self) -> float:
        """The largest change between successive estimates, after the time between them is
        counted off, as a share of what the earlier one said was left."""
        jumps = [
            abs(later - (earlier - (t2 - t1))) / earlier
            for (t1, earlier), (t2, later) in zip(self.seen, self.seen[1:])
            if earlier > 0
        ]
        return max(jumps, default=0.0)


@dataclass(frozen=True)
class WriterResult:
    name: str
    site: str
    rest: int
    errors: tuple[int, int]
    mnist: tuple[Evaluation, Evaluation]
    unipen: tuple[float, float]
    seconds: float
    cpu_seconds: float
    estimate_jump: float
    kept: str

    @property
    def worst_digit_drop(self) -> float:
        before, after = self.mnist
        return max(b - a for b, a in zip(before.per_class_accuracy, after.per_class_accuracy))


def enrol(folder: Path, work: Path) -> tuple[LabelledImages, torch.Tensor]:
    """`folder`'s drawings imported into a fresh store, read back as the app trains on them."""
    listing = work / "enrol"
    shutil.copytree(folder, listing)
    (listing / "labels.csv").rename(listing / EXPORT_CSV)
    with CorrectionStore(work / "corrections.db") as store:
        imported = store.import_folder(listing)
        if imported.refused:
            raise SystemExit(f"{folder}: {imported.refused[0]}")
        return store.images_and_confirmations()


def read_labelled(folder: Path) -> LabelledImages:
    images = read_folder(folder)
    if images.failures:
        raise SystemExit(f"{folder}: {images.failures[0]}")
    return LabelledImages(images.frames, images.labels)


def errors(classifier: Classifier, data: LabelledImages) -> int:
    return round(len(data) * (1 - evaluate(classifier.net, data, classifier.normalization).accuracy))


def personalise_writer(
    folder: Path, site: str, start: Classifier, mnist: MnistSplits, unipen: LabelledImages, recipe: Recipe, device
) -> WriterResult:
    rest = read_labelled(folder / "rest")
    with tempfile.TemporaryDirectory() as work:
        corrections, confirmed = enrol(folder / "enrol", Path(work))
    estimates = Estimates()
    started, cpu_started = time.perf_counter(), time.process_time()
    outcome = run_training(
        TrainingPlan("mix", recipe=recipe), start, corrections, mnist, device, estimates, confirmed=confirmed
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    mine = outcome.runs[0].classifier
    return WriterResult(
        folder.name,
        site,
        len(rest),
        (errors(start, rest), errors(mine, rest)),
        (outcome.before.mnist, outcome.after[0].mnist),
        tuple(evaluate(c.net, unipen, c.normalization).accuracy for c in (start, mine)),
        seconds,
        cpu_seconds,
        estimates.largest_jump(),
        outcome.describe(),
    )


def print_writer(result: WriterResult) -> None:
    (before, after), (mnist_before, mnist_after) = result.errors, result.mnist
    change = f"{(after - before) / before:+.0%}" if before else "±0"
    print(
        f"writer {result.name} ({result.site}, {result.rest} other digits): errors {before} -> {after} ({change}); "
        f"MNIST {mnist_before.accuracy:.2%} -> {mnist_after.accuracy:.2%}, worst digit "
        f"-{100 * result.worst_digit_drop:.2f} points; unipen-dev {result.unipen[0]:.2%} -> {result.unipen[1]:.2%}; "
        f"{result.seconds:.1f} s ({result.cpu_seconds:.1f} s of CPU), estimate moved at most {result.estimate_jump:.0%}",
        flush=True,
    )
    print(f"    {result.kept}", flush=True)


def print_total(results: list[WriterResult]) -> bool:
    before = sum(r.errors[0] for r in results)
    after = sum(r.errors[1] for r in results)
    fall = (before - after) / before if before else 0.0
    worse = [r.name for r in results if r.errors[1] > r.errors[0]]
    print("\nMNIST test per digit, before -> after (points):")
    print("writer " + " ".join(f"{d:>6}" for d in range(10)))
    print("start  " + " ".join(f"{100 * a:6.2f}" for a in results[0].mnist[0].per_class_accuracy))
    for r in results:
        drops = [100 * (a - b) for b, a in zip(r.mnist[0].per_class_accuracy, r.mnist[1].per_class_accuracy)]
        print(f"{r.name:<6} " + " ".join(f"{d:+6.2f}" for d in drops))
    worst_digit = max(r.worst_digit_drop for r in results)
    worst_unipen = max(r.unipen[0] - r.unipen[1] for r in results)
    slowest = max(r.seconds for r in results)
    jump = max(r.estimate_jump for r in results)
    print(
        f"\ntotal over {len(results)} writers ({sum(r.rest for r in results)} other digits): errors {before} -> "
        f"{after} (-{fall:.0%}; goal -{ERRORS_GOAL:.0%}); writers worse: {', '.join(worse) or 'none'}; "
        f"worst MNIST digit -{100 * worst_digit:.2f} points (limit {100 * DIGIT_LIMIT:.1f}); "
        f"unipen-dev {results[0].unipen[0]:.2%} -> {min(r.unipen[1] for r in results):.2%} at worst, "
        f"{sum(r.unipen[1] for r in results) / len(results):.2%} on average (limit -{100 * UNIPEN_LIMIT:.1f} points); "
        f"seconds a writer {min(r.seconds for r in results):.1f}-{slowest:.1f}, mean "
        f"{sum(r.seconds for r in results) / len(results):.1f} (goal <= {SECONDS:.0f}), CPU seconds a writer "
        f"{min(r.cpu_seconds for r in results):.1f}-{max(r.cpu_seconds for r in results):.1f}; "
        f"estimate moved at most {jump:.0%} (goal <= 30 %)"
    )
    met = (
        fall >= ERRORS_GOAL
        and not worse
        and worst_digit <= DIGIT_LIMIT
        and worst_unipen <= UNIPEN_LIMIT
        and slowest <= SECONDS
        and jump <= 0.3
    )
    print("all goals met" if met else "some goal missed")
    return met


def parse_settings(pairs: list[str]) -> dict:
    fields = {f.name: f for f in dataclasses.fields(Recipe)}
    settings = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in fields:
            raise SystemExit(f"--set {pair}: Recipe has no field '{name}'")
        kind = type(getattr(Recipe(), name))
        settings[name] = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    return settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=os.environ.get("LENET_DATA_DIR"), help="default: $LENET_DATA_DIR")
    parser.add_argument("--writers", nargs="*", help="writer folders to run (default: all)")
    parser.add_argument("--weights", type=Path, default=None, help="starting weights (default: the shipped ones)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's, as the Training tab trains)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    if args.data is None:
        parser.error("give --data DIR or set LENET_DATA_DIR (DIR holds writers-dev, unipen-dev and MNIST/raw)")
    if args.threads:
        torch.set_num_threads(args.threads)
    recipe = Recipe(**parse_settings(args.set))
    device = torch.device(args.device)
    print(
        f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, {torch.get_num_threads()} "
        f"thread(s), {device}; {time.strftime('%Y-%m-%d %H:%M')}; recipe {recipe}",
        flush=True,
    )
    start = load_checkpoint(args.weights or shipped_weights_path())
    mnist = MnistSplits(args.data, download=False)
    unipen = read_digits_and_non_digits(args.data / DIGITS_SET)[0]
    with open(args.data / WRITERS_SET / "writers.csv", newline="") as file:
        sites = {f"{int(row['n']):02d}": row["site"] for row in csv.DictReader(file)}
    names = args.writers or sorted(sites)
    results = []
    for name in names:
        results.append(
            personalise_writer(
                args.data / WRITERS_SET / name, sites.get(name, "?"), start, mnist, unipen, recipe, device
            )
        )
        print_writer(results[-1])
    return 0 if print_total(results) else 1


if __name__ == "__main__":
    sys.exit(main())
