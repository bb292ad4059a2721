"""`lenet-desktop evaluate`: accuracy, per digit, and the confusion matrix, on MNIST test or a folder.

A folder's images are read as the window reads them, and what the window shows for each is
reported, beside the one-digit reading's figures (--single: those alone)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lenet_desktop.cli.common import DATA_DIR_HELP, UsageError, load_model, printable
from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.errors import counted
from lenet_desktop.core.evaluation import (
    EvaluationResult,
    ShownResult,
    evaluate_set,
    mnist_set,
    read_as_shown,
    read_folder,
)
from lenet_desktop.core.paths import mnist_root

# What --weights does for this command, in its help.
WEIGHTS_USE = "the model whose accuracy is measured"


def add_parser(commands, parents) -> None:
    evaluate = commands.add_parser(
        "evaluate",
        parents=parents,
        help="accuracy, per class, the confusion matrix: on MNIST test or a folder of images",
        description="The active model's accuracy (or that of --weights), per digit, and confusion matrix on the "
        "10,000 MNIST test digits, each read as one digit; or with --images on a folder of labelled images, each "
        "read as the window and predict read it (a digit, a number, unsure, not a digit), with the one-digit "
        "figures beside.",
    )
    evaluate.add_argument(
        "--images",
        type=Path,
        metavar="DIR",
        help="a folder of images with labels.csv (file,label), or a corrections export; a label that is not a "
        "digit marks an image to refuse",
    )
    evaluate.add_argument(
        "--single",
        action="store_true",
        help="with --images: only the one-digit reading of each image, not what the window shows",
    )
    evaluate.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    evaluate.add_argument(
        "--no-download", dest="download", action="store_false", help="never fetch MNIST's test files when missing"
    )
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate.set_defaults(handler=run)


def run(args) -> int:
    if args.images is not None:
        images = read_folder(args.images)
        for failure in images.failures:
            print(f"lenet-desktop: skipped {printable(failure)}", file=sys.stderr)
        if len(images) == 0:
            raise UsageError(f"{args.images}: none of the listed images could be used")
        described = f"{args.images}"
    else:
        images = mnist_set(load_mnist(mnist_root(args.data_dir), "test", args.download))
        described = "MNIST test"
    model = load_model(args)  # after the images: a folder that cannot be read is its one line
    classifier = model.classifier
    result = evaluate_set(classifier, images)
    shown = read_as_shown(classifier, images) if images.files is not None and not args.single else None
    if args.json:
        weights = "shipped" if model.path is None else str(model.path)
        report = {"model": classifier.name, "weights": weights, "data": described}
        if shown is not None:
            report["as_shown"] = shown.to_json()
        print(json.dumps({**report, "reading": "one digit", **result.to_json()}))
    else:
        if shown is not None:
            _print_shown(shown, described, classifier.name)
            print("\nthe one-digit reading (each image read as one digit; --single gives it alone):")
        _print_evaluation(result, described, classifier.name)
    return 1 if images.failures else 0


def _print_shown(shown: ShownResult, described: str, model: str) -> None:
    print(f"{described} as the window shows it (model '{model}'):")
    for name, label, answer in zip(shown.images.names, shown.images.label_names, shown.answers):
        shows = answer.kind if answer.number is None else f"{answer.number} ({answer.kind})"
        print(printable(f"  {name}  label {label}  shows {shows}"))
    if shown.digit_count:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(shown.kinds(True).items()))
        print(
            f"digits shown as the right digit: {shown.accuracy:.2%} ({shown.right} of {shown.digit_count}); "
            f"shown as {kinds}; {shown.split} read as two or more digits"
        )
    if shown.refusal_rate is not None:
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(shown.kinds(False).items()))
        print(
            f"not a digit: {shown.refusal_rate:.2%} of {shown.should_refuse} refused (shown as {kinds}; "
            "a confident digit or number is not refused)"
        )


def _print_evaluation(result: EvaluationResult, described: str, model: str) -> None:
    if result.digit_count:
        print(f"{described} accuracy: {result.accuracy:.2%} ({counted(result.digit_count, 'digit')}, model '{model}')")
        print(
            "per class: "
            + "  ".join(f"{d}:{'-' if a is None else f'{a:.2%}'}" for d, a in enumerate(result.per_class_accuracy))
        )
        print("confusion matrix (rows: true digit, columns: predicted):")
        print("      " + "".join(f"{d:>6}" for d in range(10)))
        for digit, row in enumerate(result.confusion.tolist()):
            print(f"{digit:>6}" + "".join(f"{n:>6}" for n in row))
        confusions = result.top_confusions()
        print(
            "most common confusions: "
            + (", ".join(f"{c.true} read as {c.predicted} ({c.count})" for c in confusions) or "none")
        )
    else:
        print(f"{described}: no image is labelled with a digit (model '{model}')")
    if result.refusal_rate is not None:
        print(f"not a digit: {result.refusal_rate:.2%} of {result.should_refuse} refused (unsure or not a digit)")
