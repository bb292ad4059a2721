"""The personalisation recipe (core.personalise): it learns a style without any MNIST digit falling
past its limit, it flags labels that look wrong, and it names the digits that fell."""

import time

import numpy as np
import pytest
import torch
from digit_strokes import DIGITS, continental_one, render_strokes

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.measure import Evaluation, evaluate
from lenet_desktop.core.personalise import (
    CLASS_LIMIT,
    Recipe,
    fallen_digits,
    personalise,
    split_validation,
    suspicious_labels,
)
from lenet_desktop.core.store import CorrectionStore
from lenet_desktop.core.train import Listener


def with_long_flag(ones: torch.Tensor) -> torch.Tensor:
    """MNIST ones with a continental flag: a stroke from the top of the 1 down to the left."""
    flagged = ones.clone()
    for frame in flagged:
        rows, columns = torch.nonzero(frame[0] > 0.5, as_tuple=True)
        top = int(rows.min())
        column = int(columns[rows == top].float().mean())
        for step in range(12):  # 12 px long, about 35 degrees below horizontal, 2 px thick
            r, c = top + round(step * 0.7), column - step
            if 0 <= c - 1 and r + 1 < 32:
                frame[0, r : r + 2, c - 1 : c + 1] = 1.0
    return flagged


@pytest.mark.slow
@pytest.mark.mnist
def test_the_recipe_learns_flagged_ones_and_no_mnist_digit_falls_past_its_limit(
    shipped_classifier, mnist_train, mnist_test
):
    torch.set_num_threads(1)
    ones = mnist_train.subset(mnist_train.labels == 1).images
    style = LabelledImages(with_long_flag(ones[:60]), torch.ones(60, dtype=torch.long))
    corrections, new_drawings = style.subset(slice(0, 20)), style.subset(slice(20, 60))
    before_style = evaluate(shipped_classifier.net, new_drawings, shipped_classifier.normalization).accuracy
    assert before_style < 0.5, "the style must be one the shipped model misreads, or the test shows nothing"

    recipe = Recipe(epochs=1)  # the recipe, one epoch instead of three
    result = personalise(shipped_classifier, corrections, mnist_train, torch.device("cpu"), recipe)
    mine = result.classifier

    after_style = evaluate(mine.net, new_drawings, mine.normalization).accuracy
    assert after_style >= 0.9, (
        f"new drawings of the style: {before_style:.0%} -> {after_style:.0%} ({result.describe()})"
    )
    before = evaluate(shipped_classifier.net, mnist_test, shipped_classifier.normalization)
    after = evaluate(mine.net, mnist_test, mine.normalization)
    assert before.accuracy - after.accuracy <= 0.002, f"MNIST test {before.accuracy:.2%} -> {after.accuracy:.2%}"
    fallen = [
        f"{f.digit}: {f.before:.1%} -> {f.after:.1%}" for f in fallen_digits(before, after, threshold=CLASS_LIMIT)
    ]
    assert not fallen, f"MNIST digits past the 1-point limit: {fallen}"
    assert not torch.equal(mine.net.fc3.weight, shipped_classifier.net.fc3.weight), "it kept a step after the start"


def test_a_clear_digit_saved_under_another_label_is_flagged_an_unusual_style_is_not(tmp_path, shipped_classifier):
    rng = np.random.default_rng(1)
    continental_one(rng)
    continental = continental_one(rng)  # the shipped model reads it as 7 at about 98 %
    with CorrectionStore(tmp_path / "corrections.db") as store:
        store.add(render_strokes(DIGITS[3][0]), 8)  # a wrong key press
        store.add(render_strokes(DIGITS[3][0]), 3)
        store.add(continental, 1)
        corrections = store.images()
    assert suspicious_labels(shipped_classifier, corrections).tolist() == [True, False, False]


def test_fallen_digits_say_how_far_and_as_what():
    def evaluation(sevens_read_as_one: int) -> Evaluation:
        confusion = torch.diag(torch.full((10,), 1000))
        confusion[7, 7] -= sevens_read_as_one + 4
        confusion[7, 1], confusion[7, 2] = sevens_read_as_one, 4
        confusion[3, 3], confusion[3, 5] = 996, 4  # 0.4 points: not reported
        return Evaluation(float(confusion.diag().sum() / confusion.sum()), confusion)

    before, after = evaluation(2), evaluation(38)
    fallen = fallen_digits(before, after)
    assert [(f.digit, f.read_as, f.count) for f in fallen] == [(7, 1, 38)]
    assert np.isclose(fallen[0].before, 0.994) and np.isclose(fallen[0].after, 0.958) and fallen[0].past_limit
    assert fallen_digits(before, before) == []


def test_on_check_sees_the_network_at_every_check_and_the_kept_one_is_what_comes_back(shipped_classifier):
    generator = torch.Generator().manual_seed(0)
    mnist = LabelledImages(torch.rand(300, 1, 32, 32, generator=generator), torch.arange(300) % 10)
    corrections = LabelledImages(torch.rand(8, 1, 32, 32, generator=generator), torch.arange(8) % 10)
    recipe = Recipe(validation=100, replay=100, epochs=1, check_every=2, seed=0)
    seen: dict[int, torch.Tensor] = {}

    def on_check(step, net):
        seen[step] = net.fc3.weight.detach().clone()

    result = personalise(shipped_classifier, corrections, mnist, torch.device("cpu"), recipe, on_check=on_check)
    # 132 images (8 corrections x 4 + 100 replay) make 3 batches: checks at 0, 2 and the last step
    assert list(seen) == [check.step for check in result.checks] == [0, 2, 3]
    assert torch.equal(seen[0], shipped_classifier.net.fc3.weight)
    assert torch.equal(seen[result.chosen.step], result.classifier.net.fc3.weight)


def test_the_time_left_counts_the_checks_so_successive_estimates_agree(shipped_classifier):
    """Each estimate, less the time until the next one, is what the next one says, within 30 %:
    the checks and evaluations between the steps are counted in, not discovered as they come."""
    generator = torch.Generator().manual_seed(1)
    mnist = LabelledImages(torch.rand(5000, 1, 32, 32, generator=generator), torch.arange(5000) % 10)
    corrections = LabelledImages(torch.rand(10, 1, 32, 32, generator=generator), torch.arange(10) % 10)
    test = LabelledImages(torch.rand(1000, 1, 32, 32, generator=generator), torch.arange(1000) % 10)
    recipe = Recipe(validation=3000, screen=1000, replay=600, correction_share=0.2, epochs=2, check_every=5, seed=0)

    class Estimates(Listener):
        def __init__(self):
            self.seen = []

        def progress(self, run, progress):
            self.seen.append((time.perf_counter(), progress.seconds_left))

    estimates, threads = Estimates(), torch.get_num_threads()
    torch.set_num_threads(1)  # on a shared machine two threads wait on each other for whole steps at a time
    try:
        personalise(shipped_classifier, corrections, mnist, torch.device("cpu"), recipe, test, estimates)
    finally:
        torch.set_num_threads(threads)
    assert len(estimates.seen) == 2 * 12  # (10 corrections x 15 + 600 replay) / 64 rounded up, twice
    jumps = [
        abs(later - (earlier - (t2 - t1))) / earlier
        for (t1, earlier), (t2, later) in zip(estimates.seen, estimates.seen[1:])
    ]
    assert max(jumps) <= 0.3, [f"{j:.0%}" for j in jumps]


def test_the_step_kept_is_within_the_limits_on_the_whole_validation_slice_not_only_where_checked(shipped_classifier):
    """The checks read only the validation images nearest the boundary; here so few (10 of 300)
    that steps look within the limits there while digits of the slice fell. The step kept is
    within them on the whole slice."""
    generator = torch.Generator().manual_seed(2)
    mnist = LabelledImages(torch.rand(600, 1, 32, 32, generator=generator), torch.arange(600) % 10)
    corrections = LabelledImages(torch.rand(8, 1, 32, 32, generator=generator), torch.arange(8) % 10)
    recipe = Recipe(
        validation=300, screen=10, replay=200, correction_share=0.2, epochs=2, check_every=1, lr=1e-3, seed=0
    )
    result = personalise(shipped_classifier, corrections, mnist, torch.device("cpu"), recipe)

    _, validation = split_validation(mnist, recipe.validation, recipe.seed)
    before = evaluate(shipped_classifier.net, validation, shipped_classifier.normalization)
    after = evaluate(result.classifier.net, validation, result.classifier.normalization)
    worst = max(b - a for b, a in zip(before.per_class_accuracy, after.per_class_accuracy))
    assert worst <= recipe.class_limit and before.accuracy - after.accuracy <= recipe.overall_limit
    assert result.chosen.worst_class_drop == worst
    chosen = (result.chosen.corrections_accuracy, result.chosen.step)
    passed_over = [c.step for c in result.checks if c.within_limits and (c.corrections_accuracy, c.step) > chosen]
    assert passed_over, "no step looked better where checked, so the test shows nothing"
