"""The one training driver the CLI and the Training tab share: which data, what is held out, what is measured."""

import pytest
import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.model import Classifier, Normalization
from lenet_desktop.core.personalise import Recipe
from lenet_desktop.core.train import Listener, TrainConfig, fresh_net
from lenet_desktop.core.training_run import TrainingPlan, run_training

CPU = torch.device("cpu")
QUICK = (TrainConfig(max_batches=2, batch_size=16),)


def images(count: int, seed: int) -> LabelledImages:
    generator = torch.Generator().manual_seed(seed)
    return LabelledImages(torch.rand(count, 1, 32, 32, generator=generator), torch.arange(count) % 10)


@pytest.fixture
def mnist():
    splits = {"train": images(200, 1), "test": images(50, 2)}
    return lambda split: splits[split]


@pytest.fixture
def active():
    return Classifier(fresh_net(0), Normalization(0.5, 0.3), {"name": "active"})


def test_training_on_mnist_measures_every_correction_before_and_after(mnist, active):
    outcome = run_training(TrainingPlan("mnist", QUICK), active, images(10, 3), mnist, CPU)
    assert outcome.held_out == 10 and outcome.mix is None and outcome.describe() == "MNIST train"
    assert (
        int(outcome.before.corrections.confusion.sum()) == 10
        and int(outcome.after[0].corrections.confusion.sum()) == 10
    )
    assert int(outcome.before.mnist.confusion.sum()) == 50
    assert outcome.runs[0].classifier.metadata["parent"] == "active"


def test_training_on_corrections_holds_a_share_out_and_starts_fresh_when_asked(mnist, active):
    outcome = run_training(TrainingPlan("corrections", QUICK, fresh=True), active, images(10, 3), mnist, CPU)
    assert outcome.held_out == 2 and outcome.mix.corrections == 8
    assert int(outcome.after[0].corrections.confusion.sum()) == 2
    assert outcome.runs[0].classifier.metadata["parent"] is None


def test_personalising_runs_the_recipe_from_the_active_model(mnist, active):
    recipe = Recipe(replay=40, validation=50, max_batches=2, epochs=1, check_every=1)
    outcome = run_training(TrainingPlan("mix", recipe=recipe), active, images(10, 3), mnist, CPU)
    assert outcome.personalised is not None and "kept step" in outcome.describe()
    assert outcome.mix.replay == 40 and outcome.held_out == 2
    assert outcome.runs[0].classifier.metadata["parent"] == "active"


def test_a_cancelled_run_is_not_measured(mnist, active):
    class Cancelled(Listener):
        def should_stop(self):
            return True

    configs = (QUICK[0], TrainConfig(optimizer="sgd", max_batches=2))
    outcome = run_training(TrainingPlan("mnist", configs), active, None, mnist, CPU, Cancelled())
    assert [run.report.outcome for run in outcome.runs] == ["cancelled"]
    assert outcome.before.mnist is None and outcome.after[0].mnist is None


@pytest.mark.parametrize("corrections", [None, images(0, 3)])
def test_no_corrections_to_train_on_is_refused_before_anything_loads(active, corrections):
    def mnist(split):
        raise AssertionError("MNIST was loaded")

    with pytest.raises(ValueError, match="no corrections to train on"):
        run_training(TrainingPlan("corrections", QUICK), active, corrections, mnist, CPU)


def test_a_flagged_label_is_not_trained_on_until_the_user_confirms_it(mnist, shipped_classifier):
    from digit_strokes import DIGITS, render_strokes

    from lenet_desktop.core.preprocess import preprocess

    drawn = [(3, 8)] + [(digit, digit) for digit in range(10)]  # a clear 3 saved under 8, then ten right labels
    corrections = LabelledImages(
        torch.stack([torch.from_numpy(preprocess(render_strokes(DIGITS[d][0]))) for d, _ in drawn]).unsqueeze(1),
        torch.tensor([label for _, label in drawn]),
    )
    unconfirmed = torch.zeros(len(drawn), dtype=torch.bool)
    outcome = run_training(
        TrainingPlan("corrections", QUICK), shipped_classifier, corrections, mnist, CPU, confirmed=unconfirmed
    )
    assert outcome.set_aside == 1 and outcome.held_out + outcome.mix.corrections == 10
    assert "1 flagged correction not trained on until confirmed" in outcome.describe()

    confirmed = unconfirmed.clone()
    confirmed[0] = True
    outcome = run_training(
        TrainingPlan("corrections", QUICK), shipped_classifier, corrections, mnist, CPU, confirmed=confirmed
    )
    assert outcome.set_aside == 0 and outcome.held_out + outcome.mix.corrections == 11
    assert "flagged" not in outcome.describe()

    with pytest.raises(ValueError, match="confirm or fix them in the Corrections tab"):
        run_training(
            TrainingPlan("corrections", QUICK), shipped_classifier, corrections.subset(slice(0, 1)), mnist, CPU
        )


def test_a_run_that_stopped_early_keeps_the_mnist_accuracy_it_was_measured_at(mnist, active):
    """A diverged run skips its own end-of-run measurement; the after figure the window shows is the
    model's accuracy, so the kept model says it too (it said "not measured")."""
    diverging = (TrainConfig(optimizer="sgd", hyperparameters={"lr": 1e6}, max_batches=1, batch_size=16),)
    outcome = run_training(TrainingPlan("mnist", diverging), active, None, mnist, CPU)
    run, after = outcome.runs[0], outcome.after[0]
    assert run.report.outcome == "diverged"
    assert run.classifier.metadata["mnist_test_accuracy"] == after.mnist.accuracy


def test_a_cancel_while_before_and_after_are_measured_ends_the_run_cancelled(active):
    """Cancel pressed after the last batch, once the run has measured itself and while the active model is
    measured for the before/after view: the measurement stops within a batch and nothing is left to keep."""
    test = images(2500, 2)  # two batches of a measurement: 2000 and 500
    batches = []
    active.net.register_forward_hook(lambda _module, inputs, _output: batches.append(len(inputs[0])))
    # Two batches trained, the epoch's evaluation, the result's accuracy and unsure threshold, then one batch
    # of the active model's MNIST test measurement (the trained copy keeps the hook).
    stop_after = 2 + 2 + 2 + 2 + 1

    class CancelledThen(Listener):
        def should_stop(self):
            return len(batches) >= stop_after

    splits = {"train": images(200, 1), "test": test}
    outcome = run_training(TrainingPlan("mnist", QUICK), active, None, splits.__getitem__, CPU, CancelledThen())
    assert len(batches) == stop_after, "no batch measured after the cancel"
    assert [run.report.outcome for run in outcome.runs] == ["cancelled"]
    assert outcome.before.mnist is None and outcome.after[0].mnist is None
