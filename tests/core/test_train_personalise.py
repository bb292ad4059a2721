"""Personalisation: twenty corrections of one unusual style teach the shipped model that style
without costing it MNIST.

The style is the continental 1, with a long rising flag; the shipped model reads most of these
as 7. The drawings are the helpers' pen strokes with random slant, size, shift, wobble and pen
width, so the held-out ones are new drawings of the style, not copies.
"""

import numpy as np
import pytest
import torch

from digit_strokes import continental_one
from lenet_desktop.core.mixing import build_mix, split_held_out
from lenet_desktop.core.store import CorrectionStore
from lenet_desktop.core.train import TrainConfig, evaluate, train_classifier


def store_drawings(store: CorrectionStore, seed: int, count: int, shipped) -> None:
    from lenet_desktop.core.predict import recognise

    rng = np.random.default_rng(seed)
    for _ in range(count):
        drawing = continental_one(rng)
        said = recognise(shipped, drawing)
        store.add(drawing, 1, predicted=said.digit, confidence=said.confidence, model_name=shipped.name)


@pytest.mark.slow
@pytest.mark.mnist
def test_twenty_corrections_teach_a_style_and_keep_mnist(tmp_path, shipped_classifier, mnist_train, mnist_test):
    with CorrectionStore(tmp_path / "corrections.db") as store:
        store_drawings(store, seed=1, count=20, shipped=shipped_classifier)
        corrections = store.images()
    with CorrectionStore(tmp_path / "new_drawings.db") as later:
        store_drawings(later, seed=2, count=40, shipped=shipped_classifier)
        new_drawings = later.images()
    assert len(split_held_out(corrections)[1]) == 4  # the app would set 4 aside; here 40 fresh ones are the test

    before_style = evaluate(shipped_classifier.net, new_drawings, shipped_classifier.normalization).accuracy
    before_mnist = evaluate(shipped_classifier.net, mnist_test, shipped_classifier.normalization).accuracy
    assert before_style < 0.5, "the style must be one the shipped model gets wrong, or the test shows nothing"

    mix = build_mix(corrections, mnist_train, seed=0)  # the default mix: 10% corrections, 5000 MNIST replay
    config = TrainConfig(optimizer="adam", hyperparameters={"lr": 1e-4}, epochs=1, batch_size=64, seed=0)
    personal, report = train_classifier(shipped_classifier, mix.data, config, torch.device("cpu"))
    assert report.outcome == "completed"

    after_style = evaluate(personal.net, new_drawings, personal.normalization).accuracy
    after_mnist = evaluate(personal.net, mnist_test, personal.normalization).accuracy
    assert after_style >= 0.9, f"new drawings of the style: {before_style:.0%} -> {after_style:.0%}"
    assert before_mnist - after_mnist <= 0.005, f"MNIST test: {before_mnist:.2%} -> {after_mnist:.2%}"
