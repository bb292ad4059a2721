"""Reading many frames at once, and what is measured from the readings: accuracy and its confusion
matrix, and the confidence and not-a-digit thresholds measured on distorted held-out digits. Each
reading asks its caller before every batch whether to go on, so a Cancel stops it within one batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from lenet_desktop.core.augment import augment_batch
from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.model import Net, Normalization
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES


class Cancelled(Exception):
    """A measurement stopped between two batches because its caller asked (Listener.should_stop)."""


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    confusion: torch.Tensor  # (10, 10) counts, rows are true labels, columns predictions

    @staticmethod
    def of(predicted: torch.Tensor, labels: torch.Tensor) -> Evaluation:
        predicted, labels = predicted.cpu(), labels.cpu()
        confusion = torch.bincount(labels * 10 + predicted, minlength=100).view(10, 10)
        accuracy = float((predicted == labels).float().mean()) if len(labels) else 0.0
        return Evaluation(accuracy, confusion)

    @property
    def per_class_accuracy(self) -> list[float]:
        totals = self.confusion.sum(dim=1).clamp(min=1)
        return (self.confusion.diag() / totals).tolist()


# Frames a forward pass takes at once when predicting many: a LeNet pass over 256 frames keeps its
# maps in the CPU's cache; over 2000 it took three times as long an image on one thread.
PREDICT_CHUNK = 256


@torch.inference_mode()
def predict_logits(
    net: Net,
    frames: torch.Tensor,
    normalization: Normalization,
    batch_size: int = PREDICT_CHUNK,
    should_stop: Callable[[], bool] | None = None,
) -> torch.Tensor:
    """The network's (N, 10) logits for many frames at once, as predict.verdicts() takes them.

    `should_stop` is asked before every batch; when it says yes, Cancelled is raised."""
    net.eval()
    device = next(net.parameters()).device
    chunks = []
    for start in range(0, len(frames), batch_size):
        if should_stop is not None and should_stop():
            raise Cancelled
        chunks.append(net(normalization.apply(frames[start : start + batch_size].to(device))))
    return torch.cat(chunks) if chunks else torch.empty(0, 10, device=device)


def predict_labels(
    net: Net,
    frames: torch.Tensor,
    normalization: Normalization,
    batch_size: int = PREDICT_CHUNK,
    should_stop: Callable[[], bool] | None = None,
) -> torch.Tensor:
    """Softmax probabilities (N, 10) for many frames at once (`should_stop`: as predict_logits)."""
    return F.softmax(predict_logits(net, frames, normalization, batch_size, should_stop), dim=1)


def evaluate(
    net: Net, data: LabelledImages, normalization: Normalization, should_stop: Callable[[], bool] | None = None
) -> Evaluation:
    """Accuracy on `data`; `should_stop`: as predict_logits."""
    probabilities = predict_labels(net, data.images, normalization, should_stop=should_stop)
    return Evaluation.of(probabilities.argmax(dim=1), data.labels)


def calibration_frames(frames: torch.Tensor, seed: int) -> torch.Tensor:
    """`frames` distorted as in training, by a seeded CPU generator whatever their device, then put
    back on it: a CUDA generator draws other numbers from the same seed, so the same weights
    calibrated on a GPU and on the CPU would get different thresholds."""
    generator = torch.Generator().manual_seed(seed)
    return augment_batch(frames.cpu(), generator).to(frames.device)


def calibration_logits(
    net: Net,
    data: LabelledImages,
    normalization: Normalization,
    seed: int,
    should_stop: Callable[[], bool] | None = None,
) -> torch.Tensor:
    """The logits both thresholds are measured on: `data`'s frames distorted by calibration_frames
    (`should_stop`: as predict_logits)."""
    frames = calibration_frames(data.images, seed)
    return predict_logits(net, frames, normalization, should_stop=should_stop)


def calibrate_unsure_threshold(
    net: Net,
    data: LabelledImages,
    normalization: Normalization,
    seed: int = 0,
    wrong_share: float = 0.25,
    logits: torch.Tensor | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> tuple[float, float]:
    """The confidence below which at least `wrong_share` of answers are wrong, and the share of
    digits answered at or above it, measured on augmented held-out digits (harder, like drawings).

    Below it the app says "unsure": of answers that unsure, one in four or more is a mistake.
    `logits`: calibration_logits(), when the caller has them already; `should_stop`: as predict_logits.
    """
    if logits is None:
        logits = calibration_logits(net, data, normalization, seed, should_stop)
    probabilities = F.softmax(logits, dim=1)
    confidence, predicted = probabilities.max(dim=1)
    order = torch.argsort(confidence)
    wrong = (predicted[order] != data.labels[order].to(predicted.device)).float()
    error_below = wrong.cumsum(0) / torch.arange(1, len(wrong) + 1, device=wrong.device)
    unreliable = torch.nonzero(error_below >= wrong_share).flatten()
    if len(unreliable) == 0:
        return 0.0, 1.0
    cut = int(unreliable[-1]) + 1  # answers below index `cut` are wrong at least wrong_share of the time
    threshold = float(confidence[order][min(cut, len(wrong) - 1)])
    return threshold, 1.0 - cut / len(wrong)


def calibrate_not_a_digit(
    net: Net,
    data: LabelledImages,
    normalization: Normalization,
    score: str,
    seed: int = 0,
    digit_share: float = 0.005,
    logits: torch.Tensor | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> float:
    """The `score` below which only `digit_share` of the digits answered right fall, measured on
    augmented held-out digits as calibrate_unsure_threshold does: below it the app says "not a digit".

    Only digits set it, so no particular kind of non-digit is tuned for; outlier exposure in
    training is what pushes non-digits below it. `logits`: calibration_logits(), when at hand;
    `should_stop`: as predict_logits.
    """
    if logits is None:
        logits = calibration_logits(net, data, normalization, seed, should_stop)
    right = logits.argmax(dim=1) == data.labels.to(logits.device)
    scores = NOT_A_DIGIT_SCORES[score](logits[right] if right.any() else logits)
    return float(torch.quantile(scores.double(), digit_share))
