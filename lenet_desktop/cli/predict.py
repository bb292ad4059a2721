"""`lenet-desktop predict`: the digit or number in image files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

from lenet_desktop.cli.common import load_model, printable
from lenet_desktop.core.images import ImageError, load_image_shrunk
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.numbers import NumberReading, read_number
from lenet_desktop.core.predict import recognise
from lenet_desktop.core.preprocess import ink_box, ink_map

# What --weights does for this command, in its help.
WEIGHTS_USE = "the model that reads the images"


def add_parser(commands, parents) -> None:
    predict = commands.add_parser("predict", parents=parents, help="read the digit or number in image files")
    predict.add_argument(
        "images",
        nargs="+",
        type=Path,
        metavar="IMAGE",
        help="image files (PNG, JPEG, ...), each read as a digit or a number",
    )
    predict.add_argument("--json", action="store_true", help="one JSON object per line")
    predict.add_argument("--single", action="store_true", help="read each image as one digit, never as a number")
    predict.set_defaults(handler=run)


def run(args) -> int:
    # One drawing at a time is too small to split across threads; with two, a busy core makes the
    # other wait (bench/bench_predict.py: 0.3 ms on one thread, 60 ms on two on a loaded machine).
    torch.set_num_threads(1)
    classifier = load_model(args).classifier
    failures = 0
    for path in args.images:
        shown = printable(path)  # the file's name as the text lines show it
        try:
            image, shrink = load_image_shrunk(path)
            reading = _single_reading(classifier, image) if args.single else read_number(classifier, image)
        except ImageError as error:
            print(f"lenet-desktop: {printable(error)}", file=sys.stderr)
            failures += 1
            continue
        boxes = [shrink.box_in_file(box) for box in reading.boxes]
        # One digit is reported as before; several have no single digit, only the number.
        prediction = reading.digits[0] if len(reading.digits) == 1 else None
        if args.json:
            print(
                json.dumps(
                    {
                        "file": str(path),
                        "digit": _shown_digit(prediction),
                        "confidence": None if not reading.digits else round(reading.confidence, 6),
                        "probabilities": [0.0] * 10 if prediction is None else _rounded(prediction.probabilities),
                        "unsure": None if not reading.digits else reading.unsure,
                        "not_a_digit": prediction is not None and prediction.not_a_digit,
                        "number": reading.number,
                        "digits": [
                            {
                                "digit": _shown_digit(p),
                                "confidence": round(p.confidence, 6),
                                "probabilities": _rounded(p.probabilities),
                                "unsure": p.unsure,
                                "not_a_digit": p.not_a_digit,
                                "box": list(box),
                            }
                            for p, box in zip(reading.digits, boxes)
                        ],
                    }
                )
            )
        elif not reading.digits:
            print(f"{shown}: no digit")
        elif prediction is not None:
            print(f"{shown}: {_digit_line(prediction)}")
        else:
            verdict = " (unsure)" if reading.unsure else ""
            print(f"{shown}: {reading.number} {reading.confidence:.1%}{verdict}")
            for p, (x, y, width, height) in zip(reading.digits, boxes):
                print(f"  {_digit_line(p)}   box {x},{y} {width}x{height}")
    return 1 if failures else 0


def _single_reading(classifier: Classifier, image) -> NumberReading:
    """Today's one-digit reading of the whole image, in a number's form."""
    prediction = recognise(classifier, image)
    if prediction is None:
        return NumberReading((), ())
    return NumberReading((prediction,), (ink_box(ink_map(image)),))


def _shown_digit(prediction) -> int | None:
    """The digit the answer gives: none when there is no digit, and none when it is "not a digit",
    as the window shows no digit then (the probabilities still say what the model leaned to)."""
    return None if prediction is None or prediction.not_a_digit else prediction.digit


def _digit_line(prediction) -> str:
    bars = "  ".join(f"{d}:{p:.3f}" for d, p in enumerate(prediction.probabilities))
    if prediction.not_a_digit:
        return f"not a digit   {bars}"
    verdict = " (unsure)" if prediction.unsure else ""
    return f"{prediction.digit} {prediction.confidence:.1%}{verdict}   {bars}"


def _rounded(probabilities) -> list[float]:
    return [round(float(p), 6) for p in probabilities]
