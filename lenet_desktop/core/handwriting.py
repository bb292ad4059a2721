"""How a model reads handwriting beyond MNIST: the four figures of issue 12, measured in one place.

A folder of drawings with `labels.csv` (`file,label`) is read through the one `preprocess`; a label
that is no digit marks a drawing the model should refuse ("not a digit" or "unsure").
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.images import load_image
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import verdicts
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.train import predict_logits

# The development sets under $LENET_DATA_DIR (see its README-handwriting.md).
DIGITS_SET, LETTERS_SET = "unipen-dev", "letters-dev"


@dataclass(frozen=True)
class HandwritingScores:
    mnist_accuracy: float
    digits_accuracy: float  # the real handwriting's digits read right
    digits_per_class: list[float]
    unsure_on_right: float  # share of the right answers refused (unsure or not a digit)
    non_digits_refused: float  # share of the non-digits answered unsure or not a digit
    non_digits_not_a_digit: float  # of which "not a digit"

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def read_labelled_folder(folder: Path) -> tuple[torch.Tensor, list[str]]:
    """The (N, 1, 32, 32) frames of a folder's drawings and their labels, in labels.csv's order;
    a blank drawing is an empty frame."""
    with open(Path(folder) / "labels.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    frames = torch.zeros(len(rows), 1, 32, 32)
    for i, row in enumerate(rows):
        frame = preprocess(load_image(Path(folder) / row["file"]))
        if frame is not None:
            frames[i, 0] = torch.from_numpy(frame)
    return frames, [row["label"] for row in rows]


def read_digits_and_non_digits(folder: Path) -> tuple[LabelledImages, torch.Tensor]:
    frames, labels = read_labelled_folder(folder)
    is_digit = torch.tensor([label.isdigit() and len(label) == 1 for label in labels], dtype=torch.bool)
    digits = torch.tensor([int(label) for label in labels if label.isdigit() and len(label) == 1], dtype=torch.long)
    return LabelledImages(frames[is_digit], digits), frames[~is_digit]


def score_handwriting(
    classifier: Classifier, mnist_test: LabelledImages, digits: LabelledImages, non_digits: torch.Tensor
) -> HandwritingScores:
    net, normalization = classifier.net, classifier.normalization
    mnist_right = predict_logits(net, mnist_test.images, normalization).argmax(dim=1).cpu() == mnist_test.labels.cpu()
    logits = predict_logits(net, digits.images, normalization)
    said = verdicts(classifier, logits)
    predicted, labels = logits.argmax(dim=1).cpu(), digits.labels.cpu()
    right = predicted == labels
    per_class = [float(right[labels == d].float().mean()) if (labels == d).any() else float("nan") for d in range(10)]
    refused_right = said.refused.cpu()[right]
    outliers = verdicts(classifier, predict_logits(net, non_digits, normalization))
    return HandwritingScores(
        mnist_accuracy=float(mnist_right.float().mean()),
        digits_accuracy=float(right.float().mean()),
        digits_per_class=per_class,
        unsure_on_right=float(refused_right.float().mean()) if len(refused_right) else 0.0,
        non_digits_refused=float(outliers.refused.float().mean()) if len(non_digits) else float("nan"),
        non_digits_not_a_digit=float(outliers.not_a_digit.float().mean()) if len(non_digits) else float("nan"),
    )
