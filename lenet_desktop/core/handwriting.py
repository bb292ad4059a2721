"""How a model reads handwriting beyond MNIST: four figures (docs/model.md), measured in one place.

A folder of drawings with `labels.csv` (`file,label`) is read as `evaluate --images` reads it; a label
that is no digit marks a drawing the model should refuse ("not a digit" or "unsure").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import counted
from lenet_desktop.core.evaluation import NOT_A_DIGIT, EvaluationError, read_folder
from lenet_desktop.core.measure import predict_logits
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import verdicts

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


def read_digits_and_non_digits(folder: Path) -> tuple[LabelledImages, torch.Tensor]:
    """A dev set's digits, and the frames of its drawings labelled with no digit (a blank page is
    an empty frame); every listed drawing must be readable."""
    images = read_folder(folder, keep_blank=True)
    if images.failures:
        raise EvaluationError(
            f"{folder}: {counted(len(images.failures), 'drawing')} cannot be used ({images.failures[0]})"
        )
    is_digit = images.labels != NOT_A_DIGIT
    return LabelledImages(images.frames[is_digit], images.labels[is_digit]), images.frames[~is_digit]


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
