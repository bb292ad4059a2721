"""From a drawing to probabilities, activations and saliency, on real handwriting."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from digit_strokes import all_drawings, render_strokes

from lenet_desktop.core.model import LAYER_SHAPES
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES, predict_frame, recognise, verdicts


def paste_on_canvas(digit28: torch.Tensor, rng: np.random.Generator, size: int = 280) -> np.ndarray:
    """An MNIST digit enlarged to a random size and spot on a light canvas, ink dark."""
    side = int(rng.integers(60, 260))
    enlarged = F.interpolate(digit28[None, None].float(), size=(side, side), mode="bilinear", align_corners=False)[0, 0]
    canvas = np.full((size, size), 255, dtype=np.uint8)
    top, left = rng.integers(0, size - side + 1, size=2)
    canvas[top : top + side, left : left + side] = (255 - enlarged.clamp(0, 1).numpy() * 255).astype(np.uint8)
    return canvas


@pytest.mark.mnist
def test_real_handwriting_through_the_whole_path(shipped_classifier, mnist_test):
    rng = np.random.default_rng(2026)
    picks = rng.choice(len(mnist_test), size=1000, replace=False)
    correct = 0
    for i in picks:
        digit28 = mnist_test.images[i, 0, 2:30, 2:30]
        prediction = recognise(shipped_classifier, paste_on_canvas(digit28, rng))
        correct += prediction is not None and prediction.digit == int(mnist_test.labels[i])
    print(f"1000 MNIST test digits pasted on a 280x280 canvas: {correct / 10:.1f}% correct")
    assert correct >= 980


def test_hand_made_strokes_are_recognised(shipped_classifier):
    drawings = all_drawings()
    right = sum(recognise(shipped_classifier, render_strokes(s)).digit == d for d, s in drawings)
    assert right >= 0.9 * len(drawings)


def test_prediction_holds_probabilities_and_every_layer(shipped_classifier):
    prediction = recognise(shipped_classifier, render_strokes(all_drawings()[0][1]))
    assert prediction.probabilities.shape == (10,)
    assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert prediction.confidence == prediction.probabilities[prediction.digit]
    for name, shape in LAYER_SHAPES.items():
        assert prediction.activations[name].shape == shape
    assert prediction.saliency is None


def test_saliency_is_the_autograd_gradient_of_the_top_logit(shipped_classifier):
    frame = recognise(shipped_classifier, render_strokes(all_drawings()[9][1])).frame
    prediction = predict_frame(shipped_classifier, frame, saliency=True)
    assert prediction.saliency.shape == (32, 32) and np.isfinite(prediction.saliency).all()
    # A finite difference along the gradient's direction agrees with the gradient.
    inputs = shipped_classifier.normalization.apply(torch.from_numpy(frame)[None, None])
    step = 1e-3 * torch.from_numpy(prediction.saliency)[None, None]
    with torch.no_grad():
        before = shipped_classifier.net(inputs)[0, prediction.digit]
        after = shipped_classifier.net(inputs + step)[0, prediction.digit]
    assert float(after - before) == pytest.approx(1e-3 * float((prediction.saliency**2).sum()), rel=0.05)


def test_blank_canvas_is_no_digit(shipped_classifier):
    assert recognise(shipped_classifier, np.full((280, 280), 255, np.uint8)) is None


@pytest.mark.mnist
def test_the_shipped_unsure_threshold_is_the_one_measured_on_mnist_test(shipped_classifier, mnist_test):
    from lenet_desktop.core.measure import calibrate_unsure_threshold

    meta = shipped_classifier.metadata
    threshold, coverage = calibrate_unsure_threshold(
        shipped_classifier.net, mnist_test, shipped_classifier.normalization, seed=meta["training"]["config"]["seed"]
    )
    assert meta["unsure_below"] == pytest.approx(threshold, abs=1e-4)
    assert meta["unsure_coverage"] == pytest.approx(coverage, abs=1e-3)


def test_predictions_carry_the_checkpoints_unsure_threshold(shipped_classifier):
    meta = shipped_classifier.metadata
    scribble = np.full((280, 280), 255, np.uint8)
    scribble[60:220:7, 40:240] = 0  # a hatch, no digit at all
    prediction = recognise(shipped_classifier, scribble)
    assert prediction is not None and prediction.unsure_below == meta["unsure_below"]


def logits_raising_3_by(*margins: float) -> torch.Tensor:
    """One row of logits per margin: digit 3's logit that much above the other nine (all 0)."""
    logits = torch.zeros(len(margins), 10)
    logits[:, 3] = torch.tensor(margins)
    return logits


def test_weights_without_a_not_a_digit_threshold_never_say_it(shipped_classifier):
    for key in ("not_a_digit_score", "not_a_digit_below"):  # as weights from before "not a digit" existed
        shipped_classifier.metadata.pop(key, None)
    said = verdicts(shipped_classifier, logits_raising_3_by(0.0, 1.5, 9.0))
    assert not said.not_a_digit.any()
    assert said.unsure.tolist() == [True, True, False]
    scribble = np.full((280, 280), 255, np.uint8)
    scribble[60:220:7, 40:240] = 0
    assert not recognise(shipped_classifier, scribble).not_a_digit


@pytest.mark.parametrize("score", ["confidence", "energy"])
def test_verdicts_answer_three_ways_by_the_checkpoints_thresholds(shipped_classifier, score):
    logits = logits_raising_3_by(0.5, 3.0, 7.0)  # 3 at 15 %, 69 % and 99 %
    shipped_classifier.metadata.update(unsure_below=0.9, not_a_digit_score=score)
    # Between the near-uniform answer's score and the unsure one's.
    shipped_classifier.metadata["not_a_digit_below"] = float(NOT_A_DIGIT_SCORES[score](logits[:2]).mean())
    said = verdicts(shipped_classifier, logits)
    assert said.not_a_digit.tolist() == [True, False, False]
    assert said.unsure.tolist() == [False, True, False]
    assert said.refused.tolist() == [True, True, False]


def test_a_prediction_says_not_a_digit_as_verdicts_does(shipped_classifier):
    shipped_classifier.metadata.update(not_a_digit_score="confidence", not_a_digit_below=1.01)  # nothing passes
    prediction = recognise(shipped_classifier, render_strokes(all_drawings()[0][1]))
    assert prediction.not_a_digit and not prediction.unsure
    logits = torch.from_numpy(prediction.activations["logits"])[None]
    assert bool(verdicts(shipped_classifier, logits).not_a_digit[0])
