"""Training engine: real optimizer steps, cancel, divergence, repeatability, comparing optimizers."""

import copy
import math

import numpy as np
import pytest
import torch

from lenet_desktop.core.checkpoint import MAX_WEIGHT, load_checkpoint, save_checkpoint
from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.images import load_image
from lenet_desktop.core.measure import (
    PREDICT_CHUNK,
    Cancelled,
    calibrate_not_a_digit,
    calibrate_unsure_threshold,
    evaluate,
)
from lenet_desktop.core.model import Classifier, Normalization
from lenet_desktop.core.optimizers import OPTIMIZERS, make_optimizer
from lenet_desktop.core.paths import resource_path
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.train import (
    CANCELLED_WHILE_MEASURING,
    Listener,
    TrainConfig,
    compare_optimizers,
    fit,
    fresh_net,
    score_classifier,
    throttled,
    train_classifier,
)

CPU = torch.device("cpu")


class Recorder(Listener):
    """Keeps what a run reports; stops when `stop(recorder)` says so."""

    def __init__(self, stop=lambda recorder: False) -> None:
        self.progresses, self.epochs, self._stop = [], [], stop

    def progress(self, run, progress):
        self.progresses.append(progress)

    def epoch(self, run, result):
        self.epochs.append((run, result))

    def should_stop(self):
        return self._stop(self)


@pytest.fixture
def random_images():
    generator = torch.Generator().manual_seed(3)
    return LabelledImages(
        torch.rand(256, 1, 32, 32, generator=generator), torch.randint(0, 10, (256,), generator=generator)
    )


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
        (
            "sgd",
            {"lr": 0.2, "momentum": 0.5, "weight_decay": 1e-3},
            {"lr": 0.2, "momentum": 0.5, "weight_decay": 1e-3, "nesterov": False},
        ),
        (
            "nesterov",
            {"lr": 0.03, "momentum": 0.8},
            {"lr": 0.03, "momentum": 0.8, "weight_decay": 5e-4, "nesterov": True},
        ),
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
    assert (
        type(optimizer).__name__
        == {"sgd": "SGD", "nesterov": "SGD", "adam": "Adam", "rmsprop": "RMSprop", "adamw": "AdamW"}[name]
    )


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
    net = fresh_net(1)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    config = TrainConfig(optimizer="adam", epochs=3, batch_size=16, seed=1)
    report = fit(
        net, random_images, Normalization(0.5, 0.3), config, listener=Recorder(lambda r: len(r.progresses) >= 3)
    )
    assert report.outcome == "cancelled"
    assert "epoch 1, batch 4" in report.message and report.stopped_at == (1, 4)
    assert report.images_seen == 3 * 16 and report.epochs == []
    assert all(torch.isfinite(v).all() for v in net.state_dict().values())
    assert any(not torch.equal(before[k], v) for k, v in net.state_dict().items())


@pytest.mark.parametrize("epochs", [3, 1])
def test_a_cancel_while_an_epoch_is_evaluated_stops_the_evaluation_and_the_run(random_images, epochs):
    """Cancel pressed after an epoch's last batch, the last epoch's too, while that epoch is evaluated: the
    evaluation stops before its next batch and the run ends cancelled, with no batch trained after it."""
    net = fresh_net(1)
    # Cancel pressed once an epoch's last batch is reported.
    recorder = Recorder(lambda r: any(p.batch == p.batches for p in r.progresses))
    config = TrainConfig(optimizer="adam", epochs=epochs, batch_size=64, seed=1, max_batches=2)
    report = fit(
        net,
        random_images,
        Normalization(0.5, 0.3),
        config,
        evaluation=random_images.subset(slice(0, 64)),
        listener=recorder,
    )
    assert report.outcome == "cancelled" and report.message == CANCELLED_WHILE_MEASURING
    assert report.images_seen == 2 * 64 and report.epochs == [] and recorder.epochs == []


def counted_batches(net) -> list[int]:
    """The batches `net` is run on, one entry each, as its forward pass sees them."""
    batches: list[int] = []
    net.register_forward_hook(lambda _module, inputs, _output: batches.append(len(inputs[0])))
    return batches


@pytest.mark.parametrize(
    "measure",
    [
        lambda net, data, stop: evaluate(net, data, Normalization(0.5, 0.3), stop),
        lambda net, data, stop: calibrate_unsure_threshold(net, data, Normalization(0.5, 0.3), should_stop=stop),
        lambda net, data, stop: calibrate_not_a_digit(net, data, Normalization(0.5, 0.3), "energy", should_stop=stop),
        lambda net, data, stop: score_classifier(Classifier(net, Normalization(0.5, 0.3), {}), data, data, stop),
    ],
    ids=["evaluate", "unsure threshold", "not-a-digit threshold", "before and after"],
)
def test_a_cancel_set_after_the_first_batch_stops_a_measurement_before_the_next(measure):
    """5000 images are many batches: a cancel set once the first batch is run leaves the others."""
    generator = torch.Generator().manual_seed(5)
    data = LabelledImages(torch.rand(5000, 1, 32, 32, generator=generator), torch.randint(0, 10, (5000,)))
    net = fresh_net(0)
    batches = counted_batches(net)
    with pytest.raises(Cancelled):
        measure(net, data, lambda: len(batches) >= 1)
    assert batches == [PREDICT_CHUNK]


def test_a_cancel_while_the_result_is_measured_ends_the_run_cancelled_and_unmeasured(random_images):
    """Cancel pressed after the last batch, while the trained copy's MNIST test accuracy and thresholds are
    measured: the run is cancelled, and the copy carries the starting model's thresholds, not half-measured ones."""
    start = Classifier(fresh_net(0), Normalization(0.5, 0.3), {"name": "start", "unsure_below": 0.5})
    evaluation = LabelledImages(random_images.images.repeat(10, 1, 1, 1), random_images.labels.repeat(10))
    config = TrainConfig(epochs=1, batch_size=64, max_batches=2, seed=1)
    batches = counted_batches(start.net)  # the run trains a copy of the net, which keeps the hook
    # Two batches trained, then the epoch's evaluation of 5,600 images, then the result's: Cancel is
    # pressed once the result's evaluation has run one batch.
    full, rest = divmod(len(evaluation), PREDICT_CHUNK)
    epoch_evaluation = [PREDICT_CHUNK] * full + ([rest] if rest else [])
    recorder = Recorder(lambda r: len(batches) > 2 + len(epoch_evaluation))
    classifier, report = train_classifier(start, random_images, config, CPU, evaluation, recorder)
    assert report.outcome == "cancelled" and report.message == CANCELLED_WHILE_MEASURING
    assert len(report.epochs) == 1 and report.images_seen == 2 * 64
    assert "mnist_test_accuracy" not in classifier.metadata and classifier.metadata["unsure_below"] == 0.5
    assert classifier.metadata["training"]["outcome"] == "cancelled"
    assert batches == [64, 64, *epoch_evaluation, PREDICT_CHUNK], "the measurement stopped before its second batch"


def test_absurd_learning_rate_stops_at_once_and_restores_finite_weights(random_images):
    net = fresh_net(2)
    config = TrainConfig(optimizer="sgd", hyperparameters={"lr": 1e6}, epochs=2, batch_size=32, augment=False, seed=2)
    report = fit(net, random_images, Normalization(0.5, 0.3), config)
    assert report.outcome == "diverged"
    assert "smaller learning rate" in report.message
    # Stopped by the first step's weights (past what a checkpoint holds), before any loss turns non-finite.
    assert report.stopped_at == (1, 1) and report.stopped_loss is None and "weights grew past" in report.message
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


def test_a_last_step_that_throws_the_weights_off_stops_the_run_and_keeps_weights_a_checkpoint_takes(
    random_images, tmp_path
):
    """SGD at 1e6 for one batch: the loss before the step was finite, so only the weights tell; the
    run said "completed" and saved weights that load_checkpoint refuses (beyond ±MAX_WEIGHT)."""
    config = TrainConfig(optimizer="sgd", hyperparameters={"lr": 1e6}, batch_size=32, augment=False, max_batches=1)
    classifier, report = train_classifier(None, random_images, config, CPU)
    assert report.outcome == "diverged" and report.stopped_at == (1, 1) and report.stopped_loss is None
    assert f"weights grew past ±{MAX_WEIGHT:g}" in report.message
    assert torch.equal(classifier.net.conv1.weight, fresh_net(config.seed).conv1.weight)  # the step undone
    save_checkpoint(tmp_path / "kept.pt", classifier)
    load_checkpoint(tmp_path / "kept.pt")


def test_the_same_seed_gives_the_same_run_twice(random_images):
    config = TrainConfig(
        optimizer="nesterov", schedule="onecycle", epochs=2, batch_size=32, augment=True, seed=7, max_batches=3
    )
    runs = [train_classifier(None, random_images, config, CPU) for _ in range(2)]
    (first, first_report), (second, second_report) = runs
    for key, value in first.net.state_dict().items():
        assert torch.equal(value, second.net.state_dict()[key]), key
    assert [e.train_loss for e in first_report.epochs] == [e.train_loss for e in second_report.epochs]
    other, _ = train_classifier(None, random_images, TrainConfig(**{**config.__dict__, "seed": 8}), CPU)
    assert not torch.equal(other.net.fc3.weight, first.net.fc3.weight)


def test_weight_averaging_keeps_the_mean_of_the_epochs_ends_from_the_one_asked(random_images):
    class EpochEnds(Listener):
        def __init__(self, net):
            self.net, self.weights = net, []

        def epoch(self, run, result):
            self.weights.append({k: v.clone() for k, v in self.net.state_dict().items()})

    config = TrainConfig(optimizer="sgd", epochs=3, batch_size=32, seed=5, max_batches=3, average_from=2)
    net = fresh_net(0)
    ends = EpochEnds(net)
    report = fit(net, random_images, Normalization(0.5, 0.3), config, listener=ends)
    assert report.message == "trained 3 epochs, weights averaged over epochs 2-3"
    for key, value in net.state_dict().items():
        assert torch.allclose(value, (ends.weights[1][key] + ends.weights[2][key]) / 2, atol=1e-7), key
    assert not torch.allclose(net.fc3.weight, ends.weights[2]["fc3.weight"])
    with pytest.raises(ValueError, match="average from epoch 4: the run has epochs 1 to 3"):
        fit(fresh_net(0), random_images, Normalization(0.5, 0.3), TrainConfig(epochs=3, average_from=4))


def test_training_works_on_a_copy(random_images):
    start = Classifier(fresh_net(0), Normalization(0.5, 0.3), {"name": "live"})
    before = {k: v.clone() for k, v in start.net.state_dict().items()}
    trained, report = train_classifier(start, random_images, TrainConfig(max_batches=2), CPU)
    assert all(torch.equal(before[k], v) for k, v in start.net.state_dict().items())
    assert trained.metadata["parent"] == "live" and report.images_seen == 2 * 128


def test_compare_optimizers_trains_each_on_the_same_data(random_images):
    configs = [TrainConfig(optimizer=name, epochs=2, max_batches=2, seed=4) for name in ("sgd", "adam")]
    recorder = Recorder()
    runs = compare_optimizers(None, random_images, configs, CPU, listener=recorder)
    assert [run.report.config.optimizer for run in runs] == ["sgd", "adam"]
    assert [(name, result.epoch) for name, result in recorder.epochs] == [
        ("sgd", 1),
        ("sgd", 2),
        ("adam", 1),
        ("adam", 2),
    ]
    assert all(run.report.images_seen == 2 * 2 * 128 for run in runs)


def test_compare_optimizers_stops_after_a_cancel(random_images):
    configs = [TrainConfig(optimizer=name, max_batches=2) for name in ("sgd", "adam", "adamw")]
    runs = compare_optimizers(None, random_images, configs, CPU, listener=Recorder(lambda _r: True))
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

    class Throttled(Listener):
        progress = staticmethod(throttled(lambda _run, progress: shown.append(progress), 3600.0))

    config = TrainConfig(optimizer="sgd", epochs=2, batch_size=32, augment=False)
    fit(fresh_net(5), random_images, Normalization(0.5, 0.3), config, listener=Throttled())
    # The first batch, then nothing for an hour but each epoch's end.
    assert [(p.epoch, p.batch) for p in shown] == [(1, 1), (1, 8), (2, 8)]


def centre_reading_net(gain: float) -> torch.nn.Module:
    """A LeNet whose only path runs from the input's centre pixels to the digit 0's logit:
    logits = (gain * centre value, 0, ..., 0). On uniformly grey frames the centre keeps its grey
    whatever the augmentation (a few pixels of shift, rotation about the centre, a thicker or
    thinner stroke), so each frame's confidence is known exactly."""
    net = fresh_net(0)
    with torch.no_grad():
        for parameter in net.parameters():
            parameter.zero_()
        net.conv1.weight[0, 0, 2, 2] = 1.0  # C1 map 0 = the input, cropped to 28x28
        net.conv2.weight[0, 0, 2, 2] = 1.0  # C3 map 0 = S2 map 0, cropped to 10x10
        net.fc1.weight[0, 2 * 5 + 2] = 1.0  # S4 map 0 at (2, 2): input pixels 14..17, the centre
        net.fc2.weight[0, 0] = 1.0
        net.fc3.weight[0, 0] = gain
    return net


def test_the_unsure_threshold_is_where_a_quarter_of_the_answers_below_are_wrong():
    from lenet_desktop.core.measure import calibrate_unsure_threshold

    greys = torch.linspace(0.1, 1.0, 100)
    frames = greys.view(100, 1, 1, 1).expand(100, 1, 32, 32).contiguous()
    # The net always answers 0, more surely the lighter the frame. The 20 least sure answers are
    # wrong, and one sure one: below the 80th answer 20 of 80 are wrong (a quarter), and no later
    # cut reaches a quarter (21 of 91 at most), so "unsure" is below answer 80's confidence and
    # 20 of the 100 answers are at or above it.
    labels = torch.zeros(100, dtype=torch.int64)
    labels[:20] = 1
    labels[90] = 1
    gain = 5.0
    threshold, coverage = calibrate_unsure_threshold(
        centre_reading_net(gain), LabelledImages(frames, labels), Normalization(0.0, 1.0)
    )
    odds = torch.exp(gain * greys[80])
    assert threshold == pytest.approx(float(odds / (odds + 9)), rel=1e-5)
    assert coverage == pytest.approx(0.2)
    labels[:] = 0
    assert calibrate_unsure_threshold(
        centre_reading_net(gain), LabelledImages(frames, labels), Normalization(0.0, 1.0)
    ) == (0.0, 1.0)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device to compare with the CPU")
def test_the_same_weights_get_the_same_thresholds_on_the_gpu_as_on_the_cpu(shipped_classifier):
    from lenet_desktop.core.measure import calibrate_not_a_digit, calibrate_unsure_threshold

    # The sample drawings, 50 of each: which distortions each copy gets moves both thresholds.
    samples = [preprocess(load_image(resource_path(f"samples/digit_{digit}.png"))) for digit in range(10)]
    frames = torch.from_numpy(np.stack(samples)).float().unsqueeze(1)
    data = LabelledImages(frames.repeat(50, 1, 1, 1), torch.arange(10).repeat(50))

    def thresholds(device):
        net, there = copy.deepcopy(shipped_classifier.net).to(device), data.to(device)
        normalization = shipped_classifier.normalization
        return (
            *calibrate_unsure_threshold(net, there, normalization, seed=2),
            calibrate_not_a_digit(net, there, normalization, "energy", seed=2, digit_share=0.1),
        )

    assert thresholds(torch.device("cuda")) == pytest.approx(thresholds(CPU), rel=1e-4)


def plain_sgd(data, config, learning_rates, loss):
    """Training as the tutorial writes it, by hand: the same batches, w -= lr * grad, one rate per batch."""
    import torch.nn.functional as F

    net = fresh_net(config.seed)
    normalization = Normalization(float(data.images.mean()), float(data.images.std()))
    shuffle = torch.Generator().manual_seed(config.seed)
    rates = iter(learning_rates)
    for _epoch in range(config.epochs):
        order = torch.randperm(len(data), generator=shuffle)
        for batch in range(config.max_batches):
            index = order[batch * config.batch_size : (batch + 1) * config.batch_size]
            logits = net(normalization.apply(data.images[index]))
            labels = data.labels[index]
            value = (
                F.mse_loss(logits, F.one_hot(labels, 10).float()) if loss == "mse" else F.cross_entropy(logits, labels)
            )
            net.zero_grad()
            value.backward()
            rate = next(rates)
            with torch.no_grad():
                for parameter in net.parameters():
                    parameter -= rate * parameter.grad
    assert next(rates, None) is None, "one rate per batch"
    return net


@pytest.mark.parametrize(
    "schedule, loss, learning_rates",
    [
        ("step", "cross_entropy", [0.1, 0.1, 0.01, 0.01, 0.001, 0.001]),  # a tenth after each third of the run
        ("cosine", "cross_entropy", [0.05 * (1 + math.cos(math.pi * k / 6)) for k in range(6)]),  # half a cosine to 0
        ("none", "mse", [0.1] * 6),  # the seed's loss: squared error against one-hot targets
    ],
)
def test_schedules_and_the_mse_loss_train_as_written_by_hand(random_images, tmp_path, schedule, loss, learning_rates):
    from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint

    config = TrainConfig(
        optimizer="sgd",
        hyperparameters={"lr": 0.1},
        schedule=schedule,
        loss=loss,
        epochs=2,
        batch_size=32,
        augment=False,
        seed=4,
        max_batches=3,
    )
    classifier, report = train_classifier(None, random_images, config, CPU)
    assert report.outcome == "completed" and len(report.epochs) == 2
    by_hand = plain_sgd(random_images, config, learning_rates, loss)
    for (name, trained), expected in zip(classifier.net.state_dict().items(), by_hand.state_dict().values()):
        torch.testing.assert_close(trained, expected, rtol=1e-4, atol=1e-6, msg=name)
    save_checkpoint(tmp_path / "m.pt", classifier)
    assert load_checkpoint(tmp_path / "m.pt").metadata["training"]["config"]["loss"] == loss
