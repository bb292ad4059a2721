"""One training run as `lenet-desktop train` and the Training tab both start it: choose the data, hold
out part of the corrections, mix, train, and score the active model and the result before and after.

Both callers describe the run with a TrainingPlan and hear from it through one Listener (train.py);
what they show of the outcome is theirs, what was trained and measured is decided here once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from lenet_desktop.core.data import LabelledImages, load_mnist
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, counted
from lenet_desktop.core.measure import Cancelled
from lenet_desktop.core.mixing import NO_CORRECTIONS, Mix, TrainingDataError, build_mix, split_held_out
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.personalise import Personalised, Recipe, personalise, suspicious_labels
from lenet_desktop.core.train import (
    CANCELLED_WHILE_MEASURING,
    Listener,
    ModelScores,
    TrainConfig,
    TrainedRun,
    compare_optimizers,
    score_classifier,
)

DATA_CHOICES = ("mnist", "corrections", "mix")
NONE = ModelScores(None, None)  # not measured
ALL_SET_ASIDE = QT_TRANSLATE_NOOP(
    "core", "every correction is flagged as a suspicious label: confirm or fix them in the Corrections tab"
)


@dataclass(frozen=True)
class TrainingPlan:
    data: str = "mnist"  # one of DATA_CHOICES; "mix" personalises the active model by `recipe`
    configs: tuple[TrainConfig, ...] = (TrainConfig(),)  # one run each, on the same data (not for "mix")
    recipe: Recipe = field(default_factory=Recipe)  # for "mix": its seed, replay, share and batch limit too
    fresh: bool = False  # train fresh weights instead of a copy of the active model (not for "mix")

    @property
    def seed(self) -> int:
        return self.recipe.seed if self.data == "mix" else self.configs[0].seed


@dataclass(frozen=True)
class TrainingOutcome:
    runs: list[TrainedRun]
    before: ModelScores  # the active model when the run started (not measured after a cancel)
    after: list[ModelScores]  # one per run, same order
    held_out: int  # corrections not trained on, measured before and after
    mix: Mix | None  # what an epoch held, when corrections were trained on
    personalised: Personalised | None = None  # the recipe's account of a "mix" run
    # Corrections flagged as suspicious labels and not confirmed by the user: neither trained on nor measured.
    set_aside: int = 0

    @property
    def best(self) -> int:
        """Index of the run with the best final evaluation accuracy (the first when none has one)."""
        scored = [(run.report.final_eval_accuracy or 0.0, -i) for i, run in enumerate(self.runs)]
        return -max(scored)[1]

    def describe(self) -> str:
        """What it trained on, in English as the CLI prints it."""
        if self.personalised is not None:
            text = self.personalised.describe()
        else:
            text = self.mix.describe() if self.mix is not None else "MNIST train"
        if self.set_aside:
            text += f"; {counted(self.set_aside, 'flagged correction')} not trained on until confirmed in the Corrections tab"
        return text


class MnistSplits:
    """MNIST's splits, each loaded when first asked for and kept for the next run (the window trains
    again and again); `test_size` keeps only the first images of the test set, for quick runs."""

    def __init__(self, root: Path, download: bool = True, test_size: int | None = None) -> None:
        self.root = root
        self.download = download
        self.test_size = test_size
        self._loaded: dict[str, LabelledImages] = {}

    def __call__(self, split: str) -> LabelledImages:
        if split not in self._loaded:
            images = load_mnist(self.root, split, self.download)
            if split == "test" and self.test_size is not None:
                images = images.subset(slice(0, self.test_size))
            self._loaded[split] = images
        return self._loaded[split]


def run_training(
    plan: TrainingPlan,
    active: Classifier | None,
    corrections: LabelledImages | None,
    mnist: Callable[[str], LabelledImages],  # a split's name -> its images (MnistSplits)
    device: torch.device,
    listener: Listener = Listener(),
    command: str = "",
    confirmed: torch.Tensor | None = None,
) -> TrainingOutcome:
    """Train by `plan`, starting from a copy of `active` (never modified), and measure `active` and
    every result on MNIST test and on the corrections not trained on.

    Training on MNIST leaves every correction out, so all of them measure the user's style; training
    on the corrections holds a seeded share out. A correction `active` flags as a suspicious label
    (personalise.suspicious_labels) is left out of both unless `confirmed` ((N,) bool, the store's
    images_and_confirmations) says the user confirmed it.
    Raises TrainingDataError (a ValueError) when there are no corrections to train on.
    """
    if plan.data != "mnist" and (corrections is None or len(corrections) == 0):
        raise TrainingDataError(NO_CORRECTIONS)
    set_aside = 0
    if plan.data != "mnist" and active is not None:
        doubtful = suspicious_labels(active, corrections)
        if confirmed is not None:
            doubtful &= ~confirmed.cpu()
        set_aside = int(doubtful.sum())
        if set_aside == len(corrections):
            raise TrainingDataError(ALL_SET_ASIDE)
        corrections = corrections.subset(~doubtful)
    test = mnist("test")
    mix, personalised = None, None
    if plan.data == "mnist":
        held_out = corrections
        runs = compare_optimizers(
            None if plan.fresh else active, mnist("train"), list(plan.configs), device, test, listener, command
        )
    else:
        train_part, held_out = split_held_out(corrections, seed=plan.seed)
        if plan.data == "mix":
            personalised = personalise(active, train_part, mnist("train"), device, plan.recipe, test, listener, command)
            runs, mix = [TrainedRun(personalised.classifier, personalised.report)], personalised.mix
        else:
            mix = build_mix(train_part, None, seed=plan.seed)
            runs = compare_optimizers(
                None if plan.fresh else active, mix.data, list(plan.configs), device, test, listener, command
            )
    held = len(held_out) if held_out is not None else 0
    try:
        if listener.should_stop():  # cancelled: the user wants control back, not a measurement
            raise Cancelled
        before = score_classifier(active, test, held_out, listener.should_stop) if active is not None else NONE
        after = [score_classifier(run.classifier, test, held_out, listener.should_stop) for run in runs]
    except Cancelled:
        # A Cancel after the last batch, while measuring, cancels the runs it found complete too: nothing to keep.
        runs = [
            run
            if run.report.outcome != "completed"
            else TrainedRun(run.classifier, replace(run.report, outcome="cancelled", message=CANCELLED_WHILE_MEASURING))
            for run in runs
        ]
        return TrainingOutcome(runs, NONE, [NONE for _ in runs], held, mix, personalised, set_aside)
    for run, scores in zip(runs, after):
        # A run that stopped early skipped its own measurement (train.describe_run); this one is the
        # same, so a kept model says its accuracy rather than "not measured".
        if scores.mnist is not None:
            run.classifier.metadata.setdefault("mnist_test_accuracy", scores.mnist.accuracy)
    return TrainingOutcome(runs, before, after, held, mix, personalised, set_aside)
