"""Training engine: real optimizer steps, cancel, divergence, repeatability, comparing optimizers."""

import math

import pytest
import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.model import Classifier, Normalization
from lenet_desktop.core.optimizers import OPTIMIZERS, make_optimizer
from lenet_desktop.core.train import (
    TrainConfig, compare_optimizers, evaluate, fit, fresh_net, score_classifier, throttled, train_classifier,
)

CPU = torch.device("cpu")


@pytest.fixture
def random_images():
    generator = torch.Generator().manual_seed(3)
    return LabelledImages(torch.rand(256, 1, 32, 32, generator=generator), torch.randint(0, 10, (256,), generator=generator))


@pytest.mark.slow
@pytest.mark.mnist
@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_each_optimizer_learns_mnist_far_above_chance(optimizer, mnist_train, mnist_test):
    subset, held = mnist_train.subset(slice(0, 2000)), mnist_test.subset(slice(0, 1000))
    untrained = fresh_net(0)
    config = TrainConfig(optimizer=optimizer, epochs=2, batch_size=32, augment=False, seed=0)
    classifier, report = train_classifier(None, subset, config, CPU)
    assert report.outcome == "completed"
    assert report.epochs[-1].train_loss < report.epochs[0].train_loss
    assert any(not torch.equal(a, b) for a, b in zip(untrained.parameters(), classifier.net.parameters()))
    assert evaluate(classifier.net, held, classifier.normalization).accuracy > 0.5  # chance is 0.1


@pytest.mark.parametrize(
    "name, overrides, expected",
    [
        ("sgd", {"lr": 0.2, "momentum": 0.5, "weight_decay": 1e-3}, {"lr": 0.2, "momentum": 0.5, "weight_decay": 1e-3, "nesterov": False}),
        ("nesterov", {"lr": 0.03, "momentum": 0.8}, {"lr": 0.03, "momentum": 0.8, "weight_decay": 5e-4, "nesterov": True}),
        ("adam", {"lr": 3e-3, "betas": (0.8, 0.99)}, {"lr": 3e-3, "betas": (0.8, 0.99), "weight_decay": 0.0}),
        ("rmsprop", {"alpha": 0.9, "momentum": 0.1}, {"lr": 5e-4, "alpha": 0.9, "momentum": 0.1}),
        ("adamw", {"weight_decay": 0.05}, {"lr": 2e-3, "betas": (0.9, 0.999), "weight_decay": 0.05}),
    ],
)
def test_options_reach_torch_optim_as_given(name, overrides, expected):
    optimizer = make_optimizer(name, fresh_net(0).parameters(), overrides)
    group = optimizer.param_groups[0]
    for key, value in expected.items():
        assert group[key] == (tuple(value) if isinstance(value, tuple) else value), key
    assert type(optimizer).__name__ == {"sgd": "SGD", "nesterov": "SGD", "adam": "Adam", "rmsprop": "RMSprop", "adamw": "AdamW"}[name]


def test_fit_uses_the_configured_hyperparameters(random_images, monkeypatch):
    seen = {}
    original = torch.optim.RMSprop.__init__

    def spy(self, params, **kwargs):
        seen.update(kwargs)
        original(self, params, **kwargs)

    monkeypatch.setattr(torch.optim.RMSprop, "__init__", spy)
    config = TrainConfig(optimizer="rmsprop", hyperparameters={"lr": 0.01, "alpha": 0.8}, max_batches=1, augment=False)
    fit(fresh_net(0), random_images, Normalization(0.5, 0.3), config)
    assert seen["lr"] == 0.01 and seen["alpha"] == 0.8


def test_unknown_hyperparameter_is_refused():
    with pytest.raises(ValueError, match="has no hyperparameter 'alpha'"):
        make_optimizer("adam", fresh_net(0).parameters(), {"alpha": 0.9})


def test_cancel_stops_mid_epoch_and_leaves_a_valid_model(random_images):
    net, calls = fresh_net(1), []
    before = {k: v.clone() for k, v in net.state_dict().items()}
    config = TrainConfig(optimizer="adam", epochs=3, batch_size=16, seed=1)
    report = fit(net, random_images, Normalization(0.5, 0.3), config, on_progress=calls.append, should_stop=lambda: len(calls) >= 3)
    assert report.outcome == "cancelled"
    assert "epoch 1, batch 4" in report.message and report.stopped_at == (1, 4)
    assert report.images_seen == 3 * 16 and report.epochs == []
    assert all(torch.isfinite(v).all() for v in net.state_dict().values())
    assert any(not torch.equal(before[k], v) for k, v in net.state_dict().items())


def test_absurd_learning_rate_stops_at_once_and_restores_finite_weights(random_images):
    net = fresh_net(2)
    config = TrainConfig(optimizer="sgd", hyperparameters={"lr": 1e12}, epochs=2, batch_size=32, augment=False, seed=2)
    report = fit(net, random_images, Normalization(0.5, 0.3), config)
    assert report.outcome == "diverged"
    assert "smaller learning rate" in report.message
    assert report.stopped_at[0] == 1 and not math.isfinite(report.stopped_loss)
    assert all(torch.isfinite(v).all() for v in net.state_dict().values())
    assert report.images_seen < 2 * len(random_images)


def test_a_non_finite_loss_on_the_first_batch_keeps_the_starting_weights():
    net = fresh_net(4)
    start = {k: v.clone() for k, v in net.state_dict().items()}
    broken = LabelledImages(torch.full((16, 1, 32, 32), float("inf")), torch.zeros(16, dtype=torch.long))
    report = fit(net, broken, Normalization(0.5, 0.3), TrainConfig(optimizer="sgd", batch_size=8, augment=False))
    assert report.outcome == "diverged" and report.images_seen == 0
    for key, value in net.state_dict().items():
        assert torch.equal(value, start[key]), key


def test_the_same_seed_gives_the_same_run_twice(random_images):
    config = TrainConfig(optimizer="nesterov", schedule="onecycle", epochs=2, batch_size=32, augment=True, seed=7, max_batches=3)
    runs = [train_classifier(None, random_images, config, CPU) for _ in range(2)]
    (first, first_report), (second, second_report) = runs
    for key, value in first.net.state_dict().items():
        assert torch.equal(value, second.net.state_dict()[key]), key
    assert [e.train_loss for e in first_report.epochs] == [e.train_loss for e in second_report.epochs]
    other, _ = train_classifier(None, random_images, TrainConfig(**{**config.__dict__, "seed": 8}), CPU)
    assert not torch.equal(other.net.fc3.weight, first.net.fc3.weight)


def test_training_works_on_a_copy(random_images):
    start = Classifier(fresh_net(0), Normalization(0.5, 0.3), {"name": "live"})
    before = {k: v.clone() for k, v in start.net.state_dict().items()}
    trained, report = train_classifier(start, random_images, TrainConfig(max_batches=2), CPU)
    assert all(torch.equal(before[k], v) for k, v in start.net.state_dict().items())
    assert trained.metadata["parent"] == "live" and report.images_seen == 2 * 128


def test_compare_optimizers_trains_each_on_the_same_data(random_images):
    configs = [TrainConfig(optimizer=name, epochs=2, max_batches=2, seed=4) for name in ("sgd", "adam")]
    epochs = []
    runs = compare_optimizers(None, random_images, configs, CPU, on_epoch=lambda name, result: epochs.append((name, result.epoch)))
    assert [run.report.config.optimizer for run in runs] == ["sgd", "adam"]
    assert epochs == [("sgd", 1), ("sgd", 2), ("adam", 1), ("adam", 2)]
    assert all(run.report.images_seen == 2 * 2 * 128 for run in runs)


def test_compare_optimizers_stops_after_a_cancel(random_images):
    configs = [TrainConfig(optimizer=name, max_batches=2) for name in ("sgd", "adam", "adamw")]
    runs = compare_optimizers(None, random_images, configs, CPU, should_stop=lambda: True)
    assert len(runs) == 1 and runs[0].report.outcome == "cancelled"


def test_scores_cover_mnist_and_held_out_corrections(random_images):
    classifier = Classifier(fresh_net(0), Normalization(0.5, 0.3))
    scores = score_classifier(classifier, random_images, random_images.subset(slice(0, 0)))
    assert scores.corrections is None
    assert int(scores.mnist.confusion.sum()) == len(random_images)
    assert scores.mnist.accuracy == pytest.approx(float(scores.mnist.confusion.diag().sum()) / len(random_images))


def test_augmentation_changes_the_stroke_of_the_share_asked_and_nothing_else(random_images):
    import torch.nn.functional as F

    from lenet_desktop.core.augment import Augmentation, augment_batch

    frames = (random_images.images > 0.8).float()  # sparse strokes, so pooling visibly changes them
    warped = augment_batch(frames, torch.Generator().manual_seed(5), Augmentation(stroke_change_probability=0.0))
    changed = augment_batch(frames, torch.Generator().manual_seed(5), Augmentation(stroke_change_probability=0.6))
    thick = F.max_pool2d(warped, 3, stride=1, padding=1)
    thin = F.pad(-F.max_pool2d(-warped, 2, stride=1), (0, 1, 0, 1))
    kinds = []
    for index in range(len(frames)):
        same = [torch.equal(changed[index], candidate[index]) for candidate in (warped, thick, thin)]
        assert any(same), f"image {index} is neither the warp nor its thicker or thinner stroke"
        kinds.append(same.index(True))
    assert 0.2 < kinds.count(1) / len(kinds) < 0.4 and kinds.count(0) / len(kinds) > 0.25


def test_throttled_progress_keeps_each_epochs_last_batch(random_images):
    shown = []
    config = TrainConfig(optimizer="sgd", epochs=2, batch_size=32, augment=False)
    fit(fresh_net(5), random_images, Normalization(0.5, 0.3), config, on_progress=throttled(shown.append, 3600.0))
    # The first batch, then nothing for an hour but each epoch's end.
    assert [(p.epoch, p.batch) for p in shown] == [(1, 1), (1, 8), (2, 8)]
