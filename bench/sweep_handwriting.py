"""Train several handwriting recipes side by side and measure each on the four handwriting figures
(MNIST test, unipen-dev read, right answers refused there, letters-dev refused; docs/model.md).

    LENET_DATA_DIR=DIR .venv/bin/python bench/sweep_handwriting.py [--only NAME ...]
        [--device auto] [--jobs N] [--epochs E] [--max-batches B] [--json sweep.json] [--weights-dir DIR]

`--measure WEIGHTS...` measures existing weights files (the shipped ones, say) the same way.
On a machine without the dev sets' PNGs (a GPU lent for minutes), first write them here as
tensors with `--save-dev-sets FILE`, carry FILE and MNIST there, and pass `--dev-sets FILE`.

Each recipe (RECIPES below) trains fresh weights on MNIST train in its own process, then is
measured by core.handwriting.score_handwriting: MNIST test, unipen-dev (overall, per class, share
of right answers refused), letters-dev (share refused, share "not a digit"). The same weights are
also measured with each "not a digit" score and digit share, which needs no retraining. Prints
one table, writes every figure and each recipe's `lenet-desktop train` command as JSON.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import multiprocessing
import os
import shlex
import sys
import time
from dataclasses import asdict, fields, replace
from pathlib import Path

import torch

from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint
from lenet_desktop.core.data import LabelledImages, load_mnist
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.handwriting import DIGITS_SET, LETTERS_SET, read_digits_and_non_digits, score_handwriting
from lenet_desktop.core.measure import calibrate_not_a_digit
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES
from lenet_desktop.core.synthesis import Outliers, Styles
from lenet_desktop.core.train import TrainConfig, train_classifier

# The shipped weights' recipe (README), which every variant starts from.
SHIPPED = TrainConfig(
    optimizer="nesterov", hyperparameters={"lr": 0.05}, schedule="onecycle", epochs=24, batch_size=128, seed=1
)
STYLES = Styles(slashed_zero=0.25, flagged_one=0.3, crossed_seven=0.2, aspect=1.3, elastic=0.5, elastic_alpha=24.0)
OUTLIERS = Outliers()
RECIPES: dict[str, TrainConfig] = {
    "shipped": SHIPPED,
    "styles": replace(SHIPPED, styles=STYLES),
    "styles-strong": replace(SHIPPED, styles=replace(STYLES, slashed_zero=0.4, flagged_one=0.5, crossed_seven=0.35)),
    "styles-no-elastic": replace(SHIPPED, styles=replace(STYLES, elastic=0.0)),
    "oe": replace(SHIPPED, outliers=OUTLIERS, not_a_digit_score="confidence"),
    "styles-oe": replace(SHIPPED, styles=STYLES, outliers=OUTLIERS, not_a_digit_score="confidence"),
    "styles-oe-wide": replace(
        SHIPPED,
        styles=replace(STYLES, flag_turn_max=72.0, slash_reach_max=1.75),
        outliers=OUTLIERS,
        not_a_digit_score="confidence",
    ),
    "styles-oe-w1": replace(
        SHIPPED, styles=STYLES, outliers=replace(OUTLIERS, weight=1.0), not_a_digit_score="confidence"
    ),
    "styles-oe-more": replace(
        SHIPPED, styles=STYLES, outliers=replace(OUTLIERS, per_digit=1.0), not_a_digit_score="confidence"
    ),
    "styles-oe-nofragments": replace(
        SHIPPED, styles=STYLES, outliers=replace(OUTLIERS, fragments=0.0), not_a_digit_score="confidence"
    ),
    "styles-oe-letters": replace(
        SHIPPED,
        styles=STYLES,
        outliers=replace(OUTLIERS, scribbles=0.0, fragments=0.0, pairs=0.0),
        not_a_digit_score="confidence",
    ),
    "styles-strong-oe-30": replace(
        SHIPPED,
        epochs=30,
        styles=replace(STYLES, slashed_zero=0.4, flagged_one=0.5, crossed_seven=0.35),
        outliers=OUTLIERS,
        not_a_digit_score="confidence",
    ),
}
DIGIT_SHARES = (0.0025, 0.005, 0.01, 0.02)  # for "not a digit": the share of right digits allowed below it


def train_command(config: TrainConfig, out: str = "model.pt") -> str:
    """The `lenet-desktop train` command line that trains `config`."""
    words = ["lenet-desktop", "train", "--data", "mnist", "--optimizer", config.optimizer]
    for key, value in config.hyperparameters.items():
        words += [
            f"--{key.replace('_', '-')}",
            *(map(str, value) if isinstance(value, (list, tuple)) else [str(value)]),
        ]
    words += ["--schedule", config.schedule, "--epochs", str(config.epochs), "--batch-size", str(config.batch_size)]
    words += ["--augment" if config.augment else "--no-augment", "--seed", str(config.seed)]
    for option, part in (("--styles", config.styles), ("--outliers", config.outliers)):
        if part is not None:
            words += [option, ",".join(f"{f.name}={getattr(part, f.name)}" for f in fields(part))]
    if config.not_a_digit_score is not None:
        words += ["--not-a-digit", config.not_a_digit_score, "--not-a-digit-share", str(config.not_a_digit_share)]
    if config.average_from is not None:
        words += ["--average-from", str(config.average_from)]
    if config.max_batches is not None:
        words += ["--max-batches", str(config.max_batches)]
    return shlex.join([*words, "--out", out])


def run_recipe(
    name: str, config: TrainConfig, device_name: str, dev_sets: str, threads: int, weights_dir: str | None
) -> dict:
    torch.set_num_threads(threads)
    device = resolve_device(device_name)
    root = data_dir()
    train, test = load_mnist(root, "train", download=False), load_mnist(root, "test", download=False)
    started = time.perf_counter()
    classifier, report = train_classifier(None, train, config, device, evaluation=test)
    seconds = time.perf_counter() - started
    if report.outcome != "completed":
        return {"name": name, "outcome": report.outcome, "message": report.message}
    if weights_dir:
        classifier.metadata["name"] = f"sweep-{name}"
        save_checkpoint(Path(weights_dir) / f"{name}.pt", classifier)
    result = {
        "name": name,
        "outcome": "completed",
        "seconds": round(seconds, 1),
        "command": train_command(config, f"{name}.pt"),
    }
    return {**result, "config": asdict(config), **measure(classifier, test, dev_sets, config.seed)}


def measure(classifier: Classifier, test: LabelledImages, dev_sets: str, seed: int) -> dict:
    """The four figures with the classifier's own thresholds, then with each "not a digit" score and share."""
    device = classifier.device
    sets = torch.load(dev_sets, weights_only=True)
    digits = LabelledImages(sets["digits"].float(), sets["labels"]).to(device)
    letters = sets["letters"].float().to(device)
    test = test.to(device)
    result = {
        "device": str(device),
        "unsure_below": classifier.metadata.get("unsure_below"),
        "scores": score_handwriting(classifier, test, digits, letters).as_dict(),
        "not_a_digit": [],
    }
    for score in NOT_A_DIGIT_SCORES:
        for share in DIGIT_SHARES:
            below = calibrate_not_a_digit(
                classifier.net, test, classifier.normalization, score, seed=seed, digit_share=share
            )
            varied = Classifier(
                classifier.net,
                classifier.normalization,
                {**classifier.metadata, "not_a_digit_score": score, "not_a_digit_below": below},
            )
            figures = score_handwriting(varied, test, digits, letters).as_dict()
            result["not_a_digit"].append({"score": score, "digit_share": share, "below": below, **figures})
    return result


def measure_weights(path: Path, device_name: str, dev_sets: str) -> dict:
    classifier = load_checkpoint(path, resolve_device(device_name))
    test = load_mnist(data_dir(), "test", download=False)
    return {
        "name": path.stem,
        "outcome": "completed",
        "seconds": "",
        **measure(classifier, test, dev_sets, classifier.metadata.get("seed", 0)),
    }


def data_dir() -> Path:
    """$LENET_DATA_DIR, read directly: core.paths needs platformdirs, which a bare GPU machine lacks."""
    if not os.environ.get("LENET_DATA_DIR"):
        sys.exit("sweep_handwriting: set LENET_DATA_DIR to the folder holding MNIST/raw/, unipen-dev and letters-dev")
    return Path(os.environ["LENET_DATA_DIR"])


def save_dev_sets(path: Path) -> None:
    """The dev sets read through preprocess, as tensors: what a sweep elsewhere needs of them (a
    few MB, where the PNGs are thousands of files)."""
    data = data_dir()
    digits, _ = read_digits_and_non_digits(data / DIGITS_SET)
    _, letters = read_digits_and_non_digits(data / LETTERS_SET)
    torch.save({"digits": digits.images, "labels": digits.labels, "letters": letters}, path)


def meets_targets(scores: dict) -> bool:
    return (
        scores["mnist_accuracy"] >= 0.995
        and scores["digits_accuracy"] >= 0.99
        and min(scores["digits_per_class"]) >= 0.97
        and scores["non_digits_refused"] >= 0.90
        and scores["unsure_on_right"] <= 0.02
    )


def table(results: list[dict]) -> str:
    header = (
        f"{'recipe':<24} {'MNIST':>7} {'unipen':>7} {'worst':>9} {'unsure✓':>8} {'letters':>8} {'NaD':>6}  {'s':>6}  ok"
    )
    lines = [header, "-" * len(header)]

    def row(label: str, s: dict, seconds="") -> str:
        worst = min(range(10), key=lambda d: s["digits_per_class"][d])
        return (
            f"{label:<24} {s['mnist_accuracy']:>7.2%} {s['digits_accuracy']:>7.2%} {worst}:{s['digits_per_class'][worst]:>6.1%} "
            f"{s['unsure_on_right']:>8.2%} {s['non_digits_refused']:>8.1%} {s['non_digits_not_a_digit']:>6.1%}  {seconds!s:>6}  "
            f"{'yes' if meets_targets(s) else ''}"
        )

    for result in results:
        if result["outcome"] != "completed":
            lines.append(f"{result['name']:<24} {result['message']}")
            continue
        lines.append(row(result["name"], result["scores"], result["seconds"]))
        for variant in result["not_a_digit"]:
            lines.append(row(f"  {variant['score'][:6]} {variant['digit_share']:.2%}", variant))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(RECIPES), help="these recipes (default: all)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--jobs", type=int, help="recipes trained at once (default: all on a GPU, 1 on the CPU)")
    parser.add_argument("--epochs", type=int, help="override every recipe's epochs (a quick comparison)")
    parser.add_argument("--max-batches", type=int, help="stop each epoch after this many batches (a dry run)")
    parser.add_argument("--outlier-count", type=int, help="override the size of the non-digit bank (a dry run)")
    parser.add_argument("--json", type=Path, default=Path("sweep_handwriting.json"))
    parser.add_argument("--weights-dir", type=Path, help="save each recipe's weights here")
    parser.add_argument(
        "--save-dev-sets", type=Path, metavar="FILE", help="only read the dev sets into FILE, for --dev-sets elsewhere"
    )
    parser.add_argument(
        "--dev-sets",
        type=Path,
        metavar="FILE",
        help="the dev sets as --save-dev-sets wrote them (default: read them now)",
    )
    parser.add_argument(
        "--measure", type=Path, nargs="+", metavar="WEIGHTS", help="only measure these weights files, training nothing"
    )
    args = parser.parse_args()
    if args.save_dev_sets:
        save_dev_sets(args.save_dev_sets)
        return 0

    # The dev sets are read through preprocess once and handed to every process as tensors.
    dev_sets = args.dev_sets or args.json.with_suffix(".devsets.pt")
    if args.dev_sets is None:
        save_dev_sets(dev_sets)
    if args.measure:
        results = [measure_weights(path, args.device, str(dev_sets)) for path in args.measure]
        return finish(results, args, dev_sets)

    names = args.only or list(RECIPES)
    recipes = {}
    for name in names:
        config = RECIPES[name]
        if args.epochs is not None:
            config = replace(config, epochs=args.epochs)
        if args.max_batches is not None:
            config = replace(config, max_batches=args.max_batches)
        if args.outlier_count is not None and config.outliers is not None:
            config = replace(config, outliers=replace(config.outliers, count=args.outlier_count))
        recipes[name] = config
    device = resolve_device(args.device)
    jobs = args.jobs or (len(recipes) if device.type != "cpu" else 1)
    threads = max(1, (os.cpu_count() or 1) // jobs)
    if args.weights_dir:
        args.weights_dir.mkdir(parents=True, exist_ok=True)

    print(f"{len(recipes)} recipes on {device}, {jobs} at a time, {threads} CPU thread(s) each", file=sys.stderr)

    results = []
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        futures = {
            pool.submit(
                run_recipe,
                name,
                config,
                args.device,
                str(dev_sets),
                threads,
                str(args.weights_dir) if args.weights_dir else None,
            ): name
            for name, config in recipes.items()
        }
        for future in concurrent.futures.as_completed(futures):
            result = future.result()
            results.append(result)
            print(f"done: {result['name']} ({result.get('seconds', '-')} s)", file=sys.stderr)
            args.json.write_text(json.dumps(results, indent=1))  # so a run cut short keeps what it finished
    results.sort(key=lambda r: names.index(r["name"]))
    return finish(results, args, dev_sets)


def finish(results: list[dict], args, dev_sets: Path) -> int:
    if args.dev_sets is None:
        dev_sets.unlink()
    print(table(results))
    args.json.write_text(json.dumps(results, indent=1))
    print(f"wrote {args.json}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
