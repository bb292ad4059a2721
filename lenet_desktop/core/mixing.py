"""What a personalisation run trains on: the user's corrections, oversampled, plus MNIST replay.

A few dozen drawings alone would teach the network to forget MNIST; mixed with a random sample
of MNIST ("replay") at a fixed share, they move it towards the user's style while the rest
stays. Each copy of a correction is augmented differently in every batch (train.fit), so the
copies are not duplicates to the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError, counted

NO_CORRECTIONS = QT_TRANSLATE_NOOP("core", "there are no corrections to train on yet: draw a digit and press its key")


class TrainingDataError(TranslatableError, ValueError):
    """Nothing a run could train on; the message is one line a person can act on."""


DEFAULT_REPLAY = 4000  # MNIST images per epoch in a mix
DEFAULT_CORRECTION_SHARE = 0.1  # of each epoch's images, in a mix: enough to learn a style, little forgetting
MIN_EPOCH_IMAGES = 512  # corrections alone are repeated up to at least this many per epoch
HELD_OUT_SHARE = 0.2
MIN_FOR_HELD_OUT = 5  # fewer corrections than this are all used for training


@dataclass(frozen=True)
class Mix:
    data: LabelledImages
    corrections: int  # distinct corrections trained on
    copies: int  # how often each appears per epoch
    replay: int  # MNIST images per epoch

    def describe(self) -> str:
        share = self.corrections * self.copies / len(self.data) if len(self.data) else 0.0
        return (
            f"{counted(self.corrections, 'correction')} x {self.copies} + {self.replay} MNIST replay = "
            f"{len(self.data)} images per epoch ({share:.0%} corrections)"
        )


def split_held_out(
    corrections: LabelledImages, share: float = HELD_OUT_SHARE, seed: int = 0
) -> tuple[LabelledImages, LabelledImages]:
    """(train, held out): a seeded random `share` kept aside to measure the model on the user's style."""
    count = len(corrections)
    held = round(count * share) if count >= MIN_FOR_HELD_OUT else 0
    order = torch.randperm(count, generator=torch.Generator().manual_seed(seed))
    return corrections.subset(order[held:]), corrections.subset(order[:held])


def build_mix(
    corrections: LabelledImages,
    mnist: LabelledImages | None,
    replay: int = DEFAULT_REPLAY,
    correction_share: float = DEFAULT_CORRECTION_SHARE,
    seed: int = 0,
    class_weights: torch.Tensor | None = None,
) -> Mix:
    """Corrections repeated to `correction_share` of the epoch next to `replay` random MNIST images.

    Without MNIST (or replay 0) the corrections are repeated to at least MIN_EPOCH_IMAGES.
    `class_weights` (10 values) makes a digit's MNIST images that much likelier to be replayed.
    """
    count = len(corrections)
    if count == 0:
        raise TrainingDataError(NO_CORRECTIONS)
    if not 0 < correction_share < 1:
        raise TrainingDataError(
            QT_TRANSLATE_NOOP("core", "the corrections' share must be between 0 and 1, not {share}"),
            share=correction_share,
        )
    replay = min(replay, len(mnist)) if mnist is not None else 0
    if replay == 0:
        copies = math.ceil(MIN_EPOCH_IMAGES / count)
        return Mix(_repeat(corrections, copies), count, copies, 0)
    copies = max(1, math.ceil(correction_share * replay / ((1 - correction_share) * count)))
    generator = torch.Generator().manual_seed(seed)
    if class_weights is None:
        picked = torch.randperm(len(mnist), generator=generator)[:replay]
    else:
        weights = class_weights.double()[mnist.labels.cpu()]
        picked = torch.multinomial(weights, replay, replacement=False, generator=generator)
    sample = mnist.subset(picked.to(mnist.labels.device)).to(corrections.images.device)
    return Mix(LabelledImages.concat([_repeat(corrections, copies), sample]), count, copies, replay)


def _repeat(images: LabelledImages, copies: int) -> LabelledImages:
    return LabelledImages(images.images.repeat(copies, 1, 1, 1), images.labels.repeat(copies))
