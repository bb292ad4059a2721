"""Training, after PyTorch's MNIST example: fit() trains the epochs (its five-line step inside);
train_classifier() trains a copy of a model and measures the result (with core.measure).

The data sits on the training device as tensors and is augmented there in whole batches.
The caller gets progress, and stops a run, through one Listener, so the GUI, the CLI and tests drive it alike.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace

import torch
import torch.nn.functional as F

from lenet_desktop.core.augment import augment_batch
from lenet_desktop.core.checkpoint import MAX_WEIGHT, library_versions, weights_within_bounds
from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import counted
from lenet_desktop.core.measure import (
    Cancelled,
    Evaluation,
    calibrate_not_a_digit,
    calibrate_unsure_threshold,
    calibration_logits,
    evaluate,
)
from lenet_desktop.core.model import Classifier, Net, Normalization
from lenet_desktop.core.optimizers import hyperparameters, make_optimizer, make_schedule
from lenet_desktop.core.predict import VERDICT_KEYS
from lenet_desktop.core.synthesis import Outliers, Styles, distort, outlier_bank, synthesize_styles, uniform_loss

LOSSES = ("cross_entropy", "mse")
# A run's message when Cancel came after a batch, while the run was measured (no stopped_at: no batch was cut).
CANCELLED_WHILE_MEASURING = "cancelled while measuring"
LOSS_LABELS = {
    "cross_entropy": "Cross-entropy (nn.CrossEntropyLoss)",
    "mse": "nn.MSELoss on a one-hot target, as the seed",
}


@dataclass(frozen=True)
class TrainConfig:
    optimizer: str = "adam"
    hyperparameters: dict = field(default_factory=dict)  # overrides of the optimizer's defaults
    schedule: str = "none"
    loss: str = "cross_entropy"
    epochs: int = 1
    batch_size: int = 128
    augment: bool = True
    seed: int = 0
    max_batches: int | None = None  # per epoch; a dry run stops early
    styles: Styles | None = None  # handwriting styles and distortions beyond augment_batch's (with augment)
    outliers: Outliers | None = None  # outlier exposure: non-digits trained towards a uniform answer
    # Measure a "not a digit" threshold on this score (predict.NOT_A_DIGIT_SCORES) after training;
    # None: the weights never say "not a digit".
    not_a_digit_score: str | None = None
    not_a_digit_share: float = 0.005  # of the right answers on distorted MNIST test digits, refused by it
    # Stochastic weight averaging: the result is the mean of the weights at the end of this epoch
    # and each one after it (LeNet has no batch norm, so the mean needs no recomputed statistics).
    average_from: int | None = None

    def resolved_hyperparameters(self) -> dict:
        return hyperparameters(self.optimizer, self.hyperparameters)


@dataclass(frozen=True)
class Progress:
    epoch: int  # 1-based
    epochs: int
    batch: int  # 1-based, within the epoch
    batches: int
    loss: float
    accuracy: float  # running training accuracy of this epoch
    images_per_second: float
    seconds_left: float

    @property
    def fraction(self) -> float:
        return ((self.epoch - 1) * self.batches + self.batch) / (self.epochs * self.batches)


@dataclass(frozen=True)
class EpochResult:
    epoch: int
    train_loss: float
    train_accuracy: float
    eval_accuracy: float | None
    seconds: float


@dataclass
class TrainReport:
    config: TrainConfig
    epochs: list[EpochResult]
    outcome: str  # "completed", "cancelled" or "diverged"
    message: str  # the outcome in English, as the CLI prints it; the window words it from the fields
    images_seen: int
    seconds: float
    stopped_at: tuple[int, int] | None = None  # (epoch, batch) where a cancel or a non-finite loss stopped it
    stopped_loss: float | None = None  # the non-finite loss that stopped a diverged run; None when the weights did

    @property
    def images_per_second(self) -> float:
        return self.images_seen / self.seconds if self.seconds > 0 else 0.0

    @property
    def final_eval_accuracy(self) -> float | None:
        scored = [e.eval_accuracy for e in self.epochs if e.eval_accuracy is not None]
        return scored[-1] if scored else None


class Listener:
    """What a training run tells its caller, and how the caller stops it: one object handed from
    the caller down to fit(). This one ignores everything and never stops; the CLI, the window's
    worker and the tests override what they need. `run` names the run (its optimizer), so the runs
    of a comparison stay apart. `should_stop` is asked before every batch."""

    def progress(self, run: str, progress: Progress) -> None:
        pass

    def epoch(self, run: str, result: EpochResult) -> None:
        pass

    def should_stop(self) -> bool:
        return False


@dataclass(frozen=True)
class TrainedRun:
    classifier: Classifier
    report: TrainReport


@dataclass(frozen=True)
class ModelScores:
    """How one model does on MNIST test and on the held-out corrections (None: not measured)."""

    mnist: Evaluation | None
    corrections: Evaluation | None


def throttled(report: Callable[..., None], interval: float) -> Callable[..., None]:
    """`report(..., progress)` at most once per `interval` seconds, and always for an epoch's last
    batch: fit() reports every batch, faster than a screen or a terminal can show."""
    last = -math.inf

    def maybe_report(*args) -> None:
        nonlocal last
        progress: Progress = args[-1]
        now = time.perf_counter()
        if progress.batch == progress.batches or now - last >= interval:
            last = now
            report(*args)

    return maybe_report


def fresh_net(seed: int) -> Net:
    """A newly initialised Net whose weights depend only on `seed`."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return Net()


def compute_normalization(frames: torch.Tensor) -> Normalization:
    return Normalization(mean=float(frames.mean()), std=float(frames.std()))


def loss_function(name: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    if name == "cross_entropy":
        return F.cross_entropy
    if name == "mse":
        # The seed's nn.MSELoss, between the 10 outputs and a one-hot target.
        return lambda logits, labels: F.mse_loss(logits, F.one_hot(labels, 10).to(logits.dtype))
    raise ValueError(f"unknown loss '{name}': use {', '.join(LOSSES)}")


def fit(
    net: Net,
    data: LabelledImages,
    normalization: Normalization,
    config: TrainConfig,
    evaluation: LabelledImages | None = None,
    listener: Listener = Listener(),
    penalty: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor] | None = None,
    on_step: Callable[[int], None] | None = None,
) -> TrainReport:
    """Train `net` in place on `data` (already on net's device) and report what happened.

    A non-finite loss stops the run at once and puts back the weights of the last finite step;
    `listener.should_stop()` is asked before every batch, so a cancel takes effect within one batch.
    `penalty(inputs, logits, index)` adds to each batch's loss (index: the batch's rows of `data`);
    `on_step(step)` is called after each optimizer step, counted from 1 over the whole run.
    """
    if config.average_from is not None and not 1 <= config.average_from <= config.epochs:
        raise ValueError(f"average from epoch {config.average_from}: the run has epochs 1 to {config.epochs}")
    device = next(net.parameters()).device
    criterion = loss_function(config.loss)
    optimizer = make_optimizer(config.optimizer, net.parameters(), config.hyperparameters)
    batches = -(-len(data) // config.batch_size)
    if config.max_batches is not None:
        batches = min(batches, config.max_batches)
    schedule = make_schedule(config.schedule, optimizer, config.epochs, batches)
    shuffle = torch.Generator().manual_seed(config.seed)
    augmentation = torch.Generator(device=device).manual_seed(config.seed)
    bank = outlier_bank(data.images, config.outliers, config.seed).to(device) if config.outliers is not None else None

    def batch_loss(logits: torch.Tensor, batch: _Batch) -> torch.Tensor:
        return _batch_loss(logits, batch, criterion, config.outliers, penalty)

    history: list[EpochResult] = []
    last_good = _snapshot(net)
    tally = _Tally(config, batches)
    stop: _Stop | None = None
    average, averaged = None, 0
    for epoch in range(1, config.epochs + 1):
        net.train()
        tally.start_epoch()
        order = torch.randperm(len(data), generator=shuffle).to(device)
        for batch in range(1, batches + 1):
            if listener.should_stop():
                stop = _Stop("cancelled", f"cancelled in epoch {epoch}, batch {batch}", (epoch, batch))
                break
            index = order[(batch - 1) * config.batch_size : batch * config.batch_size]
            frames, labels = _batch_frames(data, index, config, bank, augmentation)
            weights = _snapshot(net)
            loss, output = _train_step(net, optimizer, _Batch(normalization.apply(frames), labels, index), batch_loss)
            if math.isfinite(loss):
                last_good = weights
            stop = _diverged(net, loss, epoch, batch)
            if stop is not None:
                net.load_state_dict(last_good)
                break
            if schedule is not None:
                schedule.step()
            if on_step is not None:
                on_step((epoch - 1) * batches + batch)
            listener.progress(config.optimizer, tally.add(epoch, batch, loss, output[: len(labels)], labels))
        if stop is not None or tally.seen == 0:
            break
        try:
            eval_accuracy = (
                evaluate(net, evaluation, normalization, listener.should_stop).accuracy
                if evaluation is not None
                else None
            )
        except Cancelled:  # Cancel came after the epoch's last batch: the measurement stops too
            stop = _Stop("cancelled", CANCELLED_WHILE_MEASURING)
            break
        result = tally.epoch_result(epoch, eval_accuracy)
        history.append(result)
        listener.epoch(config.optimizer, result)
        if config.average_from is not None and epoch >= config.average_from:
            averaged += 1
            weights = _snapshot(net)
            average = weights if average is None else {k: v + (weights[k] - v) / averaged for k, v in average.items()}
    stop = stop or _Stop("completed", f"trained {counted(config.epochs, 'epoch')}")
    if average is not None and stop.outcome == "completed":
        net.load_state_dict(average)
        stop.message += f", weights averaged over epochs {config.average_from}-{config.epochs}"
    net.eval()
    return TrainReport(
        config, history, stop.outcome, stop.message, tally.images_seen, tally.elapsed(), stop.at, stop.loss
    )


@dataclass
class _Stop:
    """How a fit() run ended: its outcome, the message, and where a cancel or a divergence stopped it."""

    outcome: str
    message: str
    at: tuple[int, int] | None = None
    loss: float | None = None  # the non-finite loss that stopped it


class _Tally:
    """The running figures of a fit() run: the epoch's loss and accuracy so far, the images seen,
    and the progress they make."""

    def __init__(self, config: TrainConfig, batches: int) -> None:
        self.config, self.batches = config, batches
        self.started, self.images_seen = time.perf_counter(), 0
        self.start_epoch()

    def start_epoch(self) -> None:
        self.epoch_started, self.loss_sum, self.correct, self.seen = time.perf_counter(), 0.0, 0, 0

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def add(self, epoch: int, batch: int, loss: float, logits: torch.Tensor, labels: torch.Tensor) -> Progress:
        """Count one trained batch (`logits` of its digits) and say where the run stands."""
        self.loss_sum += loss * len(labels)
        self.correct += int((logits.argmax(dim=1) == labels).sum())
        self.seen += len(labels)
        self.images_seen += len(labels)
        elapsed = self.elapsed()
        rate = self.images_seen / elapsed if elapsed > 0 else 0.0
        steps = self.config.epochs * self.batches
        remaining = (steps - ((epoch - 1) * self.batches + batch)) * self.config.batch_size
        left, accuracy = remaining / rate if rate else 0.0, self.correct / self.seen
        return Progress(epoch, self.config.epochs, batch, self.batches, loss, accuracy, rate, left)

    def epoch_result(self, epoch: int, eval_accuracy: float | None) -> EpochResult:
        seconds = time.perf_counter() - self.epoch_started
        return EpochResult(epoch, self.loss_sum / self.seen, self.correct / self.seen, eval_accuracy, seconds)


def _batch_frames(
    data: LabelledImages,
    index: torch.Tensor,
    config: TrainConfig,
    bank: torch.Tensor | None,
    generator: torch.Generator,
) -> tuple[torch.Tensor, torch.Tensor]:
    """The rows `index` of `data`, distorted as `config` says, and their labels; with an outlier
    `bank`, non-digits ride after the digits, distorted alike."""
    frames, labels = data.images[index], data.labels[index]
    if bank is not None:
        count = round(config.outliers.per_digit * len(labels))
        frames = torch.cat((frames, bank[torch.randint(len(bank), (count,), generator=generator, device=bank.device)]))
    if config.augment:
        if config.styles is not None:
            frames[: len(labels)] = synthesize_styles(frames[: len(labels)], labels, generator, config.styles)
        frames = augment_batch(frames, generator)
        if config.styles is not None:
            frames = distort(frames, generator, config.styles)
    return frames, labels


@dataclass(frozen=True)
class _Batch:
    inputs: torch.Tensor  # normalised frames: the digits, then any non-digits
    labels: torch.Tensor  # of the digits
    index: torch.Tensor  # the digits' rows of the data


def _batch_loss(
    logits: torch.Tensor,
    batch: _Batch,
    criterion: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    outliers: Outliers | None,
    penalty: Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor] | None,
) -> torch.Tensor:
    """A batch's loss: `criterion` on its digits, the non-digits after them pulled towards a uniform
    answer, and the caller's `penalty` on the digits."""
    digits = len(batch.labels)
    loss = criterion(logits[:digits], batch.labels)
    if outliers is not None:
        loss = outliers.weight * uniform_loss(logits[digits:]) + loss
    if penalty is not None:
        loss = loss + penalty(batch.inputs[:digits], logits[:digits], batch.index)
    return loss


def _train_step(
    net: Net,
    optimizer: torch.optim.Optimizer,
    batch: _Batch,
    loss_of: Callable[[torch.Tensor, _Batch], torch.Tensor],
) -> tuple[float, torch.Tensor]:
    """One step as pytorch/examples' MNIST takes it: zero the gradients, forward, loss, backward,
    step. A non-finite loss takes no step. Returns the loss and the network's output."""
    optimizer.zero_grad()
    output = net(batch.inputs)
    loss = loss_of(output, batch)
    if math.isfinite(loss.item()):
        loss.backward()
        optimizer.step()
    return loss.item(), output


def _diverged(net: Net, loss: float, epoch: int, batch: int) -> _Stop | None:
    """Why the run must stop after this step (a non-finite loss, or weights past what a checkpoint
    may hold), or None when the step is fine."""
    where = f"in epoch {epoch}, batch {batch} (try a smaller learning rate)"
    if not math.isfinite(loss):
        return _Stop("diverged", f"stopped: the loss became {loss} {where}", (epoch, batch), loss)
    # A step can throw the weights far off with a finite loss (the run's last step, say): such
    # weights would be kept and saved, and no checkpoint reader takes them.
    if not weights_within_bounds(net.parameters()):
        return _Stop("diverged", f"stopped: the weights grew past ±{MAX_WEIGHT:g} {where}", (epoch, batch))
    return None


def _snapshot(net: Net) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in net.state_dict().items()}


def train_classifier(
    start: Classifier | None,
    data: LabelledImages,
    config: TrainConfig,
    device: torch.device,
    evaluation: LabelledImages | None = None,
    listener: Listener = Listener(),
    command: str = "",
) -> tuple[Classifier, TrainReport]:
    """Train a copy of `start` (or fresh weights when None) and describe the result in metadata.

    `start` is never modified, so it can keep predicting while this runs in another thread.
    With `evaluation` (MNIST test), the result carries its accuracy and a measured unsure threshold.
    """
    if start is None:
        net, normalization = fresh_net(config.seed), compute_normalization(data.images)
    else:
        net, normalization = copy.deepcopy(start.net), start.normalization
    net.to(device)
    data = data.to(device)
    evaluation = evaluation.to(device) if evaluation is not None else None
    report = fit(net, data, normalization, config, evaluation, listener)
    return describe_run(net, normalization, start, config, report, len(data), device, evaluation, command, listener)


def describe_run(
    net: Net,
    normalization: Normalization,
    start: Classifier | None,
    config: TrainConfig,
    report: TrainReport,
    images: int,
    device: torch.device,
    evaluation: LabelledImages | None = None,
    command: str = "",
    listener: Listener = Listener(),
) -> tuple[Classifier, TrainReport]:
    """The trained `net` as a Classifier whose metadata says how it was made (and, with
    `evaluation`, its MNIST test accuracy and measured unsure threshold), with the run's report.

    A Cancel (`listener.should_stop`) while measuring stops the measurement within a batch: the
    report then says the run was cancelled, and the metadata holds no measurement."""
    if evaluation is not None and report.outcome == "completed":  # a stopped run is not worth the wait
        try:
            measured = _measure(net, normalization, start, config, evaluation, listener.should_stop)
        except Cancelled:
            report = replace(report, outcome="cancelled", message=CANCELLED_WHILE_MEASURING, stopped_at=None)
            measured = None
    else:
        measured = None
    metadata = {
        "name": f"{config.optimizer}-{time.strftime('%Y%m%d-%H%M%S')}",
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "parent": start.name if start is not None else None,
        "training": {
            "command": command,
            "config": asdict(config),
            "resolved_hyperparameters": config.resolved_hyperparameters(),
            "outcome": report.outcome,
            "images": images,
            "device": str(device),
            "seconds": round(report.seconds, 1),
        },
        "seed": config.seed,
        "epochs": len(report.epochs),
        "versions": library_versions(),
    }
    if measured is not None:
        metadata.update(measured)
    elif start is not None:
        metadata.update({key: start.metadata[key] for key in VERDICT_KEYS if key in start.metadata})
    net.eval()
    return Classifier(net, normalization, metadata), report


def _measure(
    net: Net,
    normalization: Normalization,
    start: Classifier | None,
    config: TrainConfig,
    evaluation: LabelledImages,
    should_stop: Callable[[], bool],
) -> dict:
    """The trained net's MNIST test accuracy and thresholds, as metadata; Cancelled when stopped."""
    measured = {"mnist_test_accuracy": evaluate(net, evaluation, normalization, should_stop).accuracy}
    logits = calibration_logits(net, evaluation, normalization, config.seed, should_stop)  # once, for both
    threshold, coverage = calibrate_unsure_threshold(net, evaluation, normalization, config.seed, logits=logits)
    measured["unsure_below"], measured["unsure_coverage"] = threshold, coverage
    # Retrained weights that said "not a digit" keep saying it, by a threshold measured anew.
    inherited = (
        start.metadata.get("not_a_digit_score", "confidence")
        if start is not None and "not_a_digit_below" in start.metadata
        else None
    )
    score = config.not_a_digit_score or inherited
    if score is not None:
        measured["not_a_digit_score"] = score
        measured["not_a_digit_below"] = calibrate_not_a_digit(
            net, evaluation, normalization, score, config.seed, config.not_a_digit_share, logits
        )
    return measured


def score_classifier(
    classifier: Classifier,
    mnist_test: LabelledImages | None,
    held_out: LabelledImages | None,
    should_stop: Callable[[], bool] | None = None,
) -> ModelScores:
    """The before/after numbers of a run: MNIST test and held-out corrections, when there are any.
    `should_stop`: as predict_logits."""

    def measured(data: LabelledImages | None) -> Evaluation | None:
        if data is None or not len(data):
            return None
        return evaluate(classifier.net, data, classifier.normalization, should_stop)

    return ModelScores(measured(mnist_test), measured(held_out))


def compare_optimizers(
    start: Classifier | None,
    data: LabelledImages,
    configs: list[TrainConfig],
    device: torch.device,
    evaluation: LabelledImages | None = None,
    listener: Listener = Listener(),
    command: str = "",
) -> list[TrainedRun]:
    """Train one copy of `start` per config, one after another, on the same data; a cancel ends
    the current run and skips the rest."""
    runs: list[TrainedRun] = []
    for config in configs:
        classifier, report = train_classifier(start, data, config, device, evaluation, listener, command)
        runs.append(TrainedRun(classifier, report))
        if report.outcome == "cancelled":
            break
    return runs
