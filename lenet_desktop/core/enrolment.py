"""The guided enrolment: the digits it asks for, and the run that follows.

The window asks for each digit REPEATS times in a shuffled order and stores every drawing as a
correction whose source is the enrolment. It then personalises as the Training tab does
(training_run.run_training with the "mix" plan), and measures what that gains on the user's own
drawings without the bias of testing on what was trained on: the enrolment drawings are split into
FOLDS parts and each part is held out in turn from a run of the same recipe, so every drawing is
read once by a model that never saw it. Those runs cost as much as the one kept, so there are few.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.measure import predict_labels
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.personalise import Recipe, personalise, suspicious_labels
from lenet_desktop.core.train import Listener, Progress
from lenet_desktop.core.training_run import TrainingOutcome, TrainingPlan, run_training

REPEATS = 3  # drawings asked for each digit
FOLDS = 2  # the enrolment drawings are held out in this many parts, each in a run of its own


def prompts(seed: int | None = None, repeats: int = REPEATS) -> list[int]:
    """Each digit `repeats` times, shuffled, never the same digit twice in a row."""
    chooser = random.Random(seed)
    while True:
        order = [digit for digit in range(10) for _ in range(repeats)]
        chooser.shuffle(order)
        if all(a != b for a, b in zip(order, order[1:])):
            return order


@dataclass(frozen=True)
class StageProgress:
    """Where the whole run stands: `stage` of `stages` runs, and the time left for all of them."""

    stage: int  # 1-based
    stages: int
    fraction: float  # of all the runs together
    seconds_left: float
    batch: int  # within the current run's epoch, as train.Progress has them (train.throttled reads them)
    batches: int


class Stages(Listener):
    """Hands `listener` one progress over several training runs in a row: each run's fraction of
    the whole, and the time left as the current run's estimate plus, for the runs still to come,
    the measured time of those done (the current run's whole estimate while none is)."""

    def __init__(self, listener: Listener, stages: int) -> None:
        self.listener = listener
        self.stages = stages
        self.stage = 0
        self._started = time.perf_counter()
        self._stage_started = self._started

    def next(self) -> None:
        self.stage += 1
        self._stage_started = time.perf_counter()

    def progress(self, run: str, progress: Progress) -> None:
        now = time.perf_counter()
        done = self.stage
        if done:
            per_stage = (self._stage_started - self._started) / done
        else:
            per_stage = (now - self._stage_started) + progress.seconds_left
        left = progress.seconds_left + (self.stages - done - 1) * per_stage
        fraction = (done + progress.fraction) / self.stages
        self.listener.progress(
            run, StageProgress(done + 1, self.stages, fraction, max(0.0, left), progress.batch, progress.batches)
        )

    def epoch(self, run: str, result) -> None:
        self.listener.epoch(run, result)

    def should_stop(self) -> bool:
        return self.listener.should_stop()


@dataclass(frozen=True)
class EnrolmentOutcome:
    training: TrainingOutcome | None  # the run to keep or discard; None when cancelled before it
    # The enrolment drawings measured, each read by the active model and by a run that held it out.
    own_before: torch.Tensor | None  # (N,) bool: read right
    own_after: torch.Tensor | None

    @property
    def cancelled(self) -> bool:
        return self.training is None or self.training.runs[0].report.outcome == "cancelled"


def fold_of(count: int, folds: int = FOLDS, seed: int = 0) -> torch.Tensor:
    """(count,) the part each enrolment drawing is held out in: seeded, as even as can be."""
    order = torch.randperm(count, generator=torch.Generator().manual_seed(seed))
    parts = torch.empty(count, dtype=torch.long)
    parts[order] = torch.arange(count) % folds
    return parts


def enrolment_run(
    active: Classifier,
    corrections: LabelledImages,
    confirmed: torch.Tensor,
    enrolled: torch.Tensor,
    mnist: Callable[[str], LabelledImages],
    device: torch.device,
    listener: Listener = Listener(),
    recipe: Recipe = Recipe(),
    folds: int = FOLDS,
) -> EnrolmentOutcome:
    """Personalise `active` on every correction (`enrolled`, (N,) bool, marks the enrolment's) by the
    Training tab's run, after measuring the enrolment drawings held out in `folds` parts in turn.

    A drawing the active model flags as a suspicious label, unless `confirmed`, is neither trained on
    nor measured, as run_training does."""
    usable = ~(suspicious_labels(active, corrections) & ~confirmed.cpu())
    measured = torch.nonzero(enrolled.cpu() & usable).flatten()
    stages = Stages(listener, (folds if len(measured) >= folds else 0) + 1)
    own_before = own_after = None
    if stages.stages > 1:
        parts = fold_of(len(measured), folds, recipe.seed)
        own_before = torch.zeros(len(measured), dtype=torch.bool)
        own_after = torch.zeros(len(measured), dtype=torch.bool)
        held = corrections.subset(measured)

        def right(classifier: Classifier, rows: torch.Tensor) -> torch.Tensor:
            frames = held.subset(rows)
            return predict_labels(classifier.net, frames.images, classifier.normalization).argmax(1).cpu() == (
                frames.labels.cpu()
            )

        own_before[:] = right(active, torch.arange(len(measured)))
        for part in range(folds):
            out = torch.zeros(len(corrections), dtype=torch.bool)
            out[measured[parts == part]] = True
            run = personalise(active, corrections.subset(usable & ~out), mnist("train"), device, recipe, None, stages)
            if listener.should_stop():
                return EnrolmentOutcome(None, None, None)
            rows = torch.nonzero(parts == part).flatten()
            own_after[rows] = right(run.classifier, rows)
            stages.next()
    training = run_training(
        TrainingPlan("mix", recipe=recipe), active, corrections, mnist, device, stages, confirmed=confirmed
    )
    return EnrolmentOutcome(training, own_before, own_after)
