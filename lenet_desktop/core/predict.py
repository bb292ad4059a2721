"""From a drawing to the probability of every digit and what each layer saw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import torch
import torch.nn.functional as F

from lenet_desktop.core.model import Classifier
from lenet_desktop.core.preprocess import preprocess

# Only for weights without a measured threshold (a bare state_dict from elsewhere): below an even
# split between the top two classes the answer is a coin toss. Trained checkpoints carry their own
# threshold, measured by measure.calibrate_unsure_threshold.
FALLBACK_UNSURE_BELOW = 0.5

# How "not a digit" is scored from the 10 logits; a checkpoint names its score and threshold
# (metadata "not_a_digit_score", "not_a_digit_below"), measured by measure.calibrate_not_a_digit.
# Outlier exposure trains non-digits towards a uniform answer, which lowers both scores.
NOT_A_DIGIT_SCORES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "confidence": lambda logits: F.softmax(logits, dim=1).amax(dim=1),  # the top probability
    "energy": lambda logits: torch.logsumexp(logits, dim=1),  # minus the free energy (Liu et al. 2020)
}


# The metadata verdicts() reads: weights derived from others without a new measurement keep them.
VERDICT_KEYS = ("unsure_below", "not_a_digit_score", "not_a_digit_below")


@dataclass(frozen=True)
class Verdicts:
    """The answer for each of N drawings: a digit, "unsure" or "not a digit" (never both)."""

    unsure: torch.Tensor  # (N,) bool
    not_a_digit: torch.Tensor  # (N,) bool

    @property
    def refused(self) -> torch.Tensor:
        return self.unsure | self.not_a_digit


def verdicts(classifier: Classifier, logits: torch.Tensor) -> Verdicts:
    """Say which of the (N, 10) logits' answers are unsure and which are no digit at all, by the
    classifier's measured thresholds. Weights without a "not a digit" threshold never say it."""
    confidence = F.softmax(logits, dim=1).amax(dim=1)
    not_a_digit = torch.zeros_like(confidence, dtype=torch.bool)
    below = classifier.metadata.get("not_a_digit_below")
    if below is not None:
        score = NOT_A_DIGIT_SCORES[classifier.metadata.get("not_a_digit_score", "confidence")]
        not_a_digit = score(logits) < below
    return Verdicts(unsure=(confidence < unsure_threshold(classifier)) & ~not_a_digit, not_a_digit=not_a_digit)


@dataclass(frozen=True)
class Prediction:
    frame: np.ndarray  # (32, 32) in 0..1: what the network sees, before normalisation
    probabilities: np.ndarray  # (10,), softmax, sums to 1
    activations: dict[str, np.ndarray]  # layer name (model.LAYER_SHAPES) -> one sample's output
    unsure_below: float
    saliency: np.ndarray | None = None  # (32, 32) d(top logit)/d(input), when asked for
    not_a_digit: bool = False  # the drawing is refused as no digit at all (verdicts())

    @property
    def digit(self) -> int:
        return int(self.probabilities.argmax())

    @property
    def confidence(self) -> float:
        return float(self.probabilities.max())

    @property
    def unsure(self) -> bool:
        return not self.not_a_digit and self.confidence < self.unsure_below


def unsure_threshold(classifier: Classifier) -> float:
    return float(classifier.metadata.get("unsure_below", FALLBACK_UNSURE_BELOW))


def predict_frames(classifier: Classifier, frames: list[np.ndarray]) -> tuple[Prediction, ...]:
    """All 32x32 frames in one forward pass, each with its own probabilities, every layer's output
    and its verdict."""
    batch = torch.from_numpy(np.stack(frames).astype(np.float32, copy=False))[:, None].to(classifier.device)
    with torch.inference_mode():
        layers = classifier.net.forward_with_activations(classifier.normalization.apply(batch))
        probabilities = F.softmax(layers["logits"], dim=1).cpu().numpy()
        not_a_digit = verdicts(classifier, layers["logits"]).not_a_digit.cpu().numpy()
    outputs = {name: output.cpu().numpy() for name, output in layers.items()}
    threshold = unsure_threshold(classifier)
    return tuple(
        Prediction(
            frame,
            probabilities[i],
            {name: output[i] for name, output in outputs.items()},
            threshold,
            None,
            bool(not_a_digit[i]),
        )
        for i, frame in enumerate(frames)
    )


def predict_frame(classifier: Classifier, frame: np.ndarray, saliency: bool = False) -> Prediction:
    """Run one 32x32 frame through the network once, keeping every layer's output."""
    (prediction,) = predict_frames(classifier, [frame])
    if not saliency:
        return prediction
    inputs = classifier.normalization.apply(
        torch.from_numpy(np.ascontiguousarray(frame, dtype=np.float32)).to(classifier.device)[None, None]
    )
    return replace(prediction, saliency=input_gradient(classifier, inputs, prediction.digit))


def input_gradient(classifier: Classifier, inputs: torch.Tensor, digit: int) -> np.ndarray:
    """Gradient of `digit`'s logit with respect to the 32x32 input, through autograd: where
    brighter ink would push that digit up (positive) or down (negative)."""
    inputs = inputs.detach().clone().requires_grad_(True)
    logit = classifier.net(inputs)[0, digit]
    (gradient,) = torch.autograd.grad(logit, inputs)
    return gradient[0, 0].cpu().numpy()


def recognise(classifier: Classifier, image, saliency: bool = False) -> Prediction | None:
    """Preprocess a drawing and predict it; None means there is no digit to recognise."""
    frame = preprocess(image)
    return None if frame is None else predict_frame(classifier, frame, saliency)
