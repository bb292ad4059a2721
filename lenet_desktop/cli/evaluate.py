"""`lenet-desktop evaluate`: accuracy, per digit, and the confusion matrix, on MNIST test or a folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lenet_desktop.cli.common import DATA_DIR_HELP, UsageError, load_model, printable
from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.errors import counted
from lenet_desktop.core.evaluation import EvaluationResult, evaluate_set, mnist_set, read_folder
from lenet_desktop.core.paths import mnist_root

# What --weights does for this command, in its help.
WEIGHTS_USE = "the model whose accuracy is measured"


def add_parser(commands, parents) -> None:
    evaluate = commands.add_parser(
        "evaluate",
        parents=parents,
        help="accuracy, per class, the confusion matrix: on MNIST test or a folder of images",
        description="The active model's accuracy, per digit, and confusion matrix on the 10,000 MNIST test "
        "digits, or with --images on a folder of labelled images.",
    )
    evaluate.add_argument(
        "--images",
        type=Path,
        metavar="DIR",
        help="a folder of images with labels.csv (file,label), or a corrections export; a label that is not a "
        "digit marks an image to refuse",
    )
    evaluate.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    evaluate.add_argument(
        "--no-download", dest="download", action="store_false", help="never fetch MNIST's test files when missing"
    )
    evaluate.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    evaluate.set_defaults(handler=run)


def run(args) -> int:
    model = load_model(args)
    classifier = model.classifier
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
    result = evaluate_set(classifier, images)
    if args.json:
        weights = "shipped" if model.path is None else str(model.path)
        print(json.dumps({"model": classifier.name, "weights": weights, "data": described, **result.to_json()}))
    else:
        _print_evaluation(result, described, classifier.name)
    return 1 if images.failures else 0


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
