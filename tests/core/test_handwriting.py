"""The four handwriting figures: how a model reads handwriting beyond MNIST and refuses what is no digit."""

import numpy as np
import pytest
from digit_strokes import DIGITS, render_strokes
from PIL import Image

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.handwriting import (
    DIGITS_SET,
    LETTERS_SET,
    read_digits_and_non_digits,
    score_handwriting,
)
from lenet_desktop.core.paths import shipped_weights_path


@pytest.fixture
def drawn_folder(tmp_path):
    """Ten drawn digits, a cross labelled X and a blank page labelled Y, with labels.csv."""
    rows = ["file,label"]
    for digit in range(10):
        Image.fromarray(render_strokes(DIGITS[digit][0])).save(tmp_path / f"d{digit}.png")
        rows.append(f"d{digit}.png,{digit}")
    Image.fromarray(render_strokes([[(0.2, 0.2), (0.8, 0.8)], [(0.8, 0.2), (0.2, 0.8)]])).save(tmp_path / "x.png")
    Image.fromarray(np.full((280, 280), 255, np.uint8)).save(tmp_path / "blank.png")
    rows += ["x.png,X", "blank.png,Y"]
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    return tmp_path


def test_a_folder_is_read_through_preprocess_in_its_labels_order(drawn_folder):
    digits, non_digits = read_digits_and_non_digits(drawn_folder)
    assert digits.labels.tolist() == list(range(10)) and len(non_digits) == 2
    assert digits.images.shape == (10, 1, 32, 32) and digits.images.amax(dim=(1, 2, 3)).min() == pytest.approx(1.0)
    assert non_digits[0].max() == pytest.approx(1.0) and non_digits[1].max() == 0  # blank: an empty frame


def test_the_figures_count_right_answers_and_refusals(drawn_folder, shipped_classifier, mnist_test):
    digits, non_digits = read_digits_and_non_digits(drawn_folder)
    for key in ("not_a_digit_score", "not_a_digit_below"):  # as weights from before "not a digit" existed
        shipped_classifier.metadata.pop(key, None)
    plain = score_handwriting(shipped_classifier, mnist_test, digits, non_digits)
    assert plain.mnist_accuracy == pytest.approx(shipped_classifier.test_accuracy, abs=1e-6)
    assert plain.digits_accuracy >= 0.9 and plain.non_digits_not_a_digit == 0.0  # such weights never say it
    shipped_classifier.metadata.update(not_a_digit_score="confidence", not_a_digit_below=1.01)  # nothing passes
    refusing = score_handwriting(shipped_classifier, mnist_test, digits, non_digits)
    assert refusing.non_digits_refused == refusing.non_digits_not_a_digit == 1.0
    assert refusing.unsure_on_right == 1.0 and refusing.digits_accuracy == plain.digits_accuracy


@pytest.fixture(scope="module")
def shipped_scores(mnist_test, handwriting_sets):
    digits, _ = read_digits_and_non_digits(handwriting_sets / DIGITS_SET)
    _, letters = read_digits_and_non_digits(handwriting_sets / LETTERS_SET)
    scores = score_handwriting(load_checkpoint(shipped_weights_path()), mnist_test, digits, letters)
    print(scores)
    return scores


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="goals not met: the shipped weights (the handwriting recipe) read MNIST at 99.30 %, unipen-dev at 98.17 % "
    "(1s 90.3 %) and refuse 89.4 % of letters, short of 99.5 %, 99.0 %, 97 % a class and 90 %; strict, so meeting "
    "them is noticed",
)
def test_the_shipped_weights_read_the_worlds_handwriting_as_well_as_mnist(shipped_scores):
    assert shipped_scores.mnist_accuracy >= 0.995
    assert shipped_scores.digits_accuracy >= 0.99 and min(shipped_scores.digits_per_class) >= 0.97
    assert shipped_scores.unsure_on_right <= 0.02 and shipped_scores.non_digits_refused >= 0.90
