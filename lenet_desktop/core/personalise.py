"""Personalisation that keeps what the model knew: the recipe behind `lenet-desktop train --data mix`
and the Training tab's "My corrections (personalise)".

Fine-tuning on corrections plus plain MNIST replay learned "a one has a long flag" and unlearned
sevens (99.4 % -> 95.4 %). The recipe keeps the starting model close, then chooses how far to go by measurement:
- replay is drawn more often from the digits the corrections are about (their labels and what the
  starting model read), where forgetting happens;
- on the replay images the starting model's softened outputs are a second target (distillation,
  "Learning without Forgetting"), so the rest of MNIST keeps its answers, not just its labels;
- optionally (`anchor`, off: measured, no clear gain) a pull towards the starting weights (L2-SP);
- weights trained to say "not a digit" (outlier exposure) keep seeing non-digits trained towards a
  uniform answer, so the refusal is not unlearned; their thresholds are measured anew afterwards
  (train.describe_run) when MNIST test is given;
- every `check_every` steps the model is measured on a MNIST validation slice (from the training
  set, never the test set; at each check only its `screen` images nearest the starting model's
  boundary, which are the ones a step turns) and on augmented copies of the corrections; the step
  kept is the best on the corrections among those where no digit of the slice fell by more than
  `class_limit`, confirmed on the whole slice (the starting model itself always qualifies, so a run
  never makes things worse by that measure).
Figures: bench/bench_personalise.py, docs/BENCHMARKS.md.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from lenet_desktop.core.augment import augment_batch
from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.measure import Evaluation, evaluate, predict_labels, predict_logits
from lenet_desktop.core.mixing import DEFAULT_REPLAY, Mix, build_mix
from lenet_desktop.core.model import Classifier, Net
from lenet_desktop.core.synthesis import Outliers, Styles
from lenet_desktop.core.train import Listener, Progress, TrainConfig, TrainReport, describe_run, fit

SUSPICIOUS_CONFIDENCE = 0.999  # the model is this sure of another digit ...
SUSPICIOUS_LABEL_PROBABILITY = 1e-4  # ... and gives the label less than this


@dataclass(frozen=True)
class Recipe:
    """Chosen on bench/bench_personalise.py (docs/BENCHMARKS.md has the runs compared)."""

    optimizer: str = "adam"
    lr: float = 2e-4
    epochs: int = 3
    batch_size: int = 64
    replay: int = DEFAULT_REPLAY
    # 30 % corrections beside 4,000 replay images (mixing.DEFAULT_REPLAY): on writers-dev, fewer
    # errors on each writer's other digits than 20 % beside 5,000, in fewer steps, MNIST as kept.
    correction_share: float = 0.3
    confused_weight: float = 4.0  # replay weight of a digit the corrections are about, others 1
    distillation: float = 3.0  # weight of the distillation loss on replay images
    temperature: float = 2.0
    anchor: float = 0.0  # L2-SP weight: sum of squared distances to the starting weights
    # MNIST training images set aside to watch for forgetting: about 2,000 a digit, so that a digit's
    # limit (10 images) is not crossed by the few borderline images any small step flips either way
    # (weights trained with outlier exposure have more of them: with 500 a digit, none qualified).
    validation: int = 20000
    # Of which the ones nearest the starting model's decision boundary, read at every check (the
    # step kept is then confirmed on the whole slice: _ForgettingWatch).
    screen: int = 1000
    check_every: int = 10  # steps between measurements
    # Half of the limits on the test set (1 point a digit, 0.2 overall): the validation slice
    # and the test set disagree by a few tenths of a point (0.8 here let a test digit fall 1.2 points).
    class_limit: float = 0.005
    overall_limit: float = 0.001
    augment: bool = True
    # Beyond augment_batch's distortions (synthesis.Styles): a share elastically distorted, and
    # width/height stretched by up to this factor, so a few corrections stand for more drawings.
    elastic: float = 0.0
    aspect: float = 1.0
    # Non-digits per correction or replay image, for starting weights that say "not a digit".
    outliers_per_digit: float = 0.25
    outlier_count: int = 2000  # non-digits made once per run
    seed: int = 0
    max_batches: int | None = None

    def train_config(self, refuses: bool = False) -> TrainConfig:
        """`refuses`: the starting weights say "not a digit", so outlier exposure goes on."""
        outliers = (
            Outliers(per_digit=self.outliers_per_digit, count=self.outlier_count)
            if refuses and self.outliers_per_digit > 0
            else None
        )
        return TrainConfig(
            optimizer=self.optimizer,
            hyperparameters={"lr": self.lr},
            epochs=self.epochs,
            batch_size=self.batch_size,
            augment=self.augment,
            seed=self.seed,
            max_batches=self.max_batches,
            outliers=outliers,
            styles=Styles(aspect=self.aspect, elastic=self.elastic) if self.elastic or self.aspect != 1 else None,
        )


@dataclass(frozen=True)
class Check:
    step: int
    corrections_accuracy: float
    mnist_accuracy: float
    worst_class_drop: float  # in accuracy (0.01 = one point), on the validation slice
    within_limits: bool


@dataclass
class Personalised:
    classifier: Classifier
    report: TrainReport
    mix: Mix
    chosen: Check
    checks: list[Check] = field(default_factory=list)

    def describe(self) -> str:
        last = self.checks[-1].step if self.checks else 0
        return (
            f"{self.mix.describe()}; kept step {self.chosen.step} of {last} "
            f"(augmented corrections {self.chosen.corrections_accuracy:.0%}, "
            f"worst MNIST validation digit -{100 * self.chosen.worst_class_drop:.1f} points)"
        )


def confused_digits(classifier: Classifier, corrections: LabelledImages) -> torch.Tensor:
    """(10,) bool: the digits the corrections are labelled as or that the model reads them as, where wrong."""
    predicted = predict_labels(classifier.net, corrections.images, classifier.normalization).argmax(dim=1).cpu()
    labels = corrections.labels.cpu()
    wrong = predicted != labels
    involved = torch.zeros(10, dtype=torch.bool)
    involved[labels[wrong]] = True
    involved[predicted[wrong]] = True
    return involved


def suspicious_labels(classifier: Classifier, corrections: LabelledImages) -> torch.Tensor:
    """(N,) bool: corrections whose label the model finds all but impossible while it is sure of
    another digit. A style the model has not seen usually leaves the label some probability; a
    wrong key press (a clear 3 saved as 8) does not, so the user is asked to confirm it."""
    probabilities = predict_labels(classifier.net, corrections.images, classifier.normalization).cpu()
    labels = corrections.labels.cpu()
    confidence, predicted = probabilities.max(dim=1)
    label_probability = probabilities.gather(1, labels.view(-1, 1)).flatten()
    return (
        (predicted != labels)
        & (confidence >= SUSPICIOUS_CONFIDENCE)
        & (label_probability < SUSPICIOUS_LABEL_PROBABILITY)
    )


def split_validation(mnist: LabelledImages, size: int, seed: int = 0) -> tuple[LabelledImages, LabelledImages]:
    """(replay pool, validation slice): a seeded random `size` of MNIST's training set kept out of replay."""
    order = torch.randperm(len(mnist), generator=torch.Generator().manual_seed(seed + 1)).to(mnist.labels.device)
    return mnist.subset(order[size:]), mnist.subset(order[:size])


class _ForgettingWatch:
    """The checks against forgetting, on the MNIST validation slice.

    At every check only the `recipe.screen` images of the slice nearest the starting model's
    decision boundary are read: a small step turns those, almost never the others, and reading
    all of the slice at every check cost more than the training. An image not read counts as
    answered as the starting model answered it. The step kept is the best on the corrections
    among those within the limits there, and only once it is within them on the whole slice too;
    the starting model always is, so the guarantee is the one measured on the whole slice."""

    def __init__(self, teacher: Net, validation: LabelledImages, normalization, recipe: Recipe) -> None:
        self.validation, self.normalization, self.recipe = validation, normalization, recipe
        started = time.perf_counter()
        logits = predict_logits(teacher, validation.images, normalization)
        # Seconds a forward pass takes an image, for the time estimate.
        self.image_seconds = (time.perf_counter() - started) / max(1, len(validation))
        labels = validation.labels.to(logits.device)
        self.before = Evaluation.of(logits.argmax(dim=1), labels)
        others = logits.scatter(1, labels.view(-1, 1), -math.inf).max(dim=1).values
        margin = (logits.gather(1, labels.view(-1, 1)).flatten() - others).abs()
        near = torch.argsort(margin)[: recipe.screen]
        self.screened = validation.subset(near.to(validation.labels.device))
        self.right_before = (logits.argmax(dim=1) == labels)[near]
        self.class_sizes = torch.bincount(validation.labels.cpu(), minlength=10).clamp(min=1).double()

    def check(self, net: Net, step: int, corrections_accuracy: float) -> Check:
        said = predict_logits(net, self.screened.images, self.normalization).argmax(dim=1)
        gained = (said == self.screened.labels.to(said.device)).long() - self.right_before.long()
        per_class = torch.bincount(self.screened.labels.cpu(), gained.cpu().double(), minlength=10) / self.class_sizes
        fall, worst = -float(gained.sum()) / len(self.validation), -float(per_class.min())
        within = worst <= self.recipe.class_limit and fall <= self.recipe.overall_limit
        return Check(step, corrections_accuracy, self.before.accuracy - fall, worst, within)

    def kept(self, net: Net, candidates: list[tuple[Check, dict]]) -> tuple[Check, dict]:
        """The candidate to keep: the best on the corrections (the latest of equals) that the
        whole slice confirms; the starting model (step 0) needs no confirming."""
        for check, state in sorted(candidates, key=lambda c: (c[0].corrections_accuracy, c[0].step), reverse=True):
            if check.step == 0:
                return check, state
            net.load_state_dict(state)
            after = evaluate(net, self.validation, self.normalization)
            drops = [b - a for b, a in zip(self.before.per_class_accuracy, after.per_class_accuracy)]
            worst, fall = max(drops), self.before.accuracy - after.accuracy
            if worst <= self.recipe.class_limit and fall <= self.recipe.overall_limit:
                return dataclasses.replace(check, mnist_accuracy=after.accuracy, worst_class_drop=worst), state
        raise AssertionError("the starting model is always a candidate")


# A training step costs about this many forward passes of one image, per image of its batch
# (augmenting, the forward and backward passes, the teacher's outputs), measured on one CPU thread;
# the time estimate starts from it until steps have been timed.
STEP_PER_IMAGE = 5.0
PRIOR_STEPS = 10  # ... and weighs it as this many timed steps


class _Estimate(Listener):
    """The caller's listener, told a time left that counts all that is left to do: the steps, the
    checks, the epochs' evaluations and the confirming and measuring after training. Timed from the
    steps alone, the estimate jumped at every check (they cost as much as the steps)."""

    def __init__(
        self, listener: Listener, watch: _ForgettingWatch, config, images: int, probe: int, evaluation: int
    ) -> None:
        self.listener, self.watch, self.config, self.evaluation = listener, watch, config, evaluation
        per_step = config.batch_size * (1 + (config.outliers.per_digit if config.outliers is not None else 0))
        self.step_prior = STEP_PER_IMAGE * per_step * watch.image_seconds
        self.check_seconds: list[float] = []
        self.check_images = len(watch.screened) + probe
        self.batches = min(-(-images // config.batch_size), config.max_batches or math.inf)
        self.steps = config.epochs * self.batches
        self.started: float | None = None  # when training began
        self.aside = 0.0  # seconds of training time spent on checks and evaluations
        self.last = 0.0

    def checked(self, seconds: float) -> None:
        self.check_seconds.append(seconds)
        if self.started is not None:
            self.aside += seconds

    def should_stop(self) -> bool:
        if self.started is None:
            self.started = self.last = time.perf_counter()
        return self.listener.should_stop()

    def epoch(self, run: str, result) -> None:
        now = time.perf_counter()
        self.aside += now - self.last  # the epoch's evaluation
        self.last = now
        self.listener.epoch(run, result)

    def progress(self, run: str, progress: Progress) -> None:
        self.last = time.perf_counter()
        done = (progress.epoch - 1) * progress.batches + progress.batch
        training = self.last - self.started - self.aside
        step = (self.step_prior * PRIOR_STEPS + training) / (PRIOR_STEPS + done)
        check = sum(self.check_seconds) / len(self.check_seconds)
        every = self.watch.recipe.check_every
        checks = self.steps // every - done // every + (1 if self.steps % every else 0)
        evaluations = self.config.epochs - (done - 1) // self.batches
        image = check / self.check_images  # the latest measure of a forward pass
        # After training: the kept step confirmed on the whole slice; with MNIST test, its accuracy
        # and its thresholds on distorted copies (train.describe_run; distorting costs about a pass).
        after = image * (len(self.watch.validation) + 3 * self.evaluation)
        left = (self.steps - done) * step + checks * check + evaluations * image * self.evaluation + after
        self.listener.progress(run, dataclasses.replace(progress, seconds_left=left))


def personalise(
    start: Classifier,
    corrections: LabelledImages,
    mnist_train: LabelledImages,
    device: torch.device,
    recipe: Recipe = Recipe(),
    evaluation: LabelledImages | None = None,
    listener: Listener = Listener(),
    command: str = "",
    on_check: Callable[[int, Net], None] | None = None,
) -> Personalised:
    """Teach a copy of `start` the style of `corrections` by the recipe; `start` is not modified.

    `on_check(step, net)` sees the network at every check, for measurements the recipe must not
    use (bench/bench_personalise_ceiling.py reads the held-out corrections there)."""
    pool, validation = split_validation(mnist_train, recipe.validation, recipe.seed)
    weights = torch.where(confused_digits(start, corrections.to(start.device)), recipe.confused_weight, 1.0)
    mix = build_mix(corrections, pool, recipe.replay, recipe.correction_share, recipe.seed, class_weights=weights)
    correction_rows = mix.corrections * mix.copies  # build_mix puts the corrections first

    net, normalization = copy.deepcopy(start.net).to(device), start.normalization
    teacher = copy.deepcopy(start.net).to(device).eval()
    anchor = [p.detach().clone() for p in teacher.parameters()]
    data, validation = mix.data.to(device), validation.to(device)
    evaluation = evaluation.to(device) if evaluation is not None else None
    # Fixed distortions of the corrections stand for the user's next drawings of the same style.
    probe = LabelledImages(
        augment_batch(
            corrections.images.to(device).repeat(4, 1, 1, 1), torch.Generator(device=device).manual_seed(recipe.seed)
        ),
        corrections.labels.to(device).repeat(4),
    )
    watch = _ForgettingWatch(teacher, validation, normalization, recipe)

    def penalty(inputs: torch.Tensor, logits: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
        replay = index >= correction_rows
        extra = logits.new_zeros(())
        if recipe.distillation and bool(replay.any()):
            with torch.no_grad():
                target = F.softmax(teacher(inputs[replay]) / recipe.temperature, dim=1)
            student = F.log_softmax(logits[replay] / recipe.temperature, dim=1)
            extra = extra + recipe.distillation * recipe.temperature**2 * F.kl_div(
                student, target, reduction="batchmean"
            )
        if recipe.anchor:
            extra = extra + recipe.anchor * sum(((p - p0) ** 2).sum() for p, p0 in zip(net.parameters(), anchor))
        return extra

    checks: list[Check] = []
    candidates: list[tuple[Check, dict]] = []  # the steps within the limits on the screened images
    config = recipe.train_config(refuses="not_a_digit_below" in start.metadata)
    estimate = _Estimate(listener, watch, config, len(data), len(probe), len(evaluation) if evaluation else 0)

    def check(step: int) -> None:
        started = time.perf_counter()
        measured = watch.check(net, step, evaluate(net, probe, normalization).accuracy)
        checks.append(measured)
        if measured.within_limits:
            candidates.append((measured, {k: v.detach().clone() for k, v in net.state_dict().items()}))
        if on_check is not None:
            on_check(step, net)
        net.train()
        estimate.checked(time.perf_counter() - started)

    check(0)
    steps = 0

    def on_step(step: int) -> None:
        nonlocal steps
        steps = step
        if step % recipe.check_every == 0:
            check(step)

    report = fit(net, data, normalization, config, evaluation, estimate, penalty=penalty, on_step=on_step)
    if report.outcome == "completed" and checks[-1].step != steps:
        check(steps)
    chosen, state = watch.kept(net, candidates)
    net.load_state_dict(state)
    classifier, report = describe_run(
        net, normalization, start, config, report, len(data), device, evaluation, command, listener
    )
    classifier.metadata["training"]["personalisation"] = {
        "recipe": recipe.__dict__,
        "chosen_step": chosen.step,
        "checks": [c.__dict__ for c in checks],
    }
    return Personalised(classifier, report, mix, chosen, checks)


REPORT_DROP = 0.005  # the before/after view names every digit that fell by more than this ...
CLASS_LIMIT = 0.01  # ... and Keep asks first when one fell by more than this (the test set's limit a digit)


@dataclass(frozen=True)
class FallenDigit:
    digit: int
    before: float
    after: float
    read_as: int  # what most of its newly wrong images are now read as
    count: int  # how many of its images are now read as `read_as`

    @property
    def past_limit(self) -> bool:
        return self.before - self.after > CLASS_LIMIT


def fallen_digits(before: Evaluation, after: Evaluation, threshold: float = REPORT_DROP) -> list[FallenDigit]:
    """The digits whose accuracy fell by more than `threshold`, worst first."""
    fallen = []
    for digit, (old, new) in enumerate(zip(before.per_class_accuracy, after.per_class_accuracy)):
        if old - new > threshold:
            wrong = after.confusion[digit].clone()
            wrong[digit] = -1
            read_as = int(wrong.argmax())
            fallen.append(FallenDigit(digit, old, new, read_as, int(after.confusion[digit, read_as])))
    return sorted(fallen, key=lambda f: f.after - f.before)
