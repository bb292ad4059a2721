"""From a drawing to the probability of every digit and what each layer saw."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from lenet_desktop.core.model import Classifier
from lenet_desktop.core.preprocess import preprocess

# Only for weights without a measured threshold (a bare state_dict from elsewhere): below an even
# split between the top two classes the answer is a coin toss. Trained checkpoints carry their own
# threshold, measured by train.calibrate_unsure_threshold.
FALLBACK_UNSURE_BELOW = 0.5


@dataclass(frozen=True)
class Prediction:
    frame: np.ndarray  # (32, 32) in 0..1: what the network sees, before normalisation
    probabilities: np.ndarray  # (10,), softmax, sums to 1
    activations: dict[str, np.ndarray]  # layer name (model.LAYER_SHAPES) -> one sample's output
    unsure_below: float
    saliency: np.ndarray | None = None  # (32, 32) d(top logit)/d(input), when asked for

    @property
    def digit(self) -> int:
        return int(self.probabilities.argmax())

    @property
    def confidence(self) -> float:
        return float(self.probabilities.max())

    @property
    def unsure(self) -> bool:
        return self.confidence < self.unsure_below


def unsure_threshold(classifier: Classifier) -> float:
    return float(classifier.metadata.get("unsure_below", FALLBACK_UNSURE_BELOW))


def predict_frame(classifier: Classifier, frame: np.ndarray, saliency: bool = False) -> Prediction:
    """Run one 32x32 frame through the network once, keeping every layer's output."""
    net, device = classifier.net, classifier.device
    inputs = classifier.normalization.apply(torch.from_numpy(np.ascontiguousarray(frame, dtype=np.float32)).to(device)[None, None])
    with torch.inference_mode():
        layers = net.forward_with_activations(inputs)
        probabilities = F.softmax(layers["logits"], dim=1)
    activations = {name: output[0].cpu().numpy() for name, output in layers.items()}
    probabilities = probabilities[0].cpu().numpy()
    gradient = None
    if saliency:
        gradient = input_gradient(classifier, inputs, int(probabilities.argmax()))
    return Prediction(frame, probabilities, activations, unsure_threshold(classifier), gradient)


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
