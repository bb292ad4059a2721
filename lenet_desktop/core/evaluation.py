"""How a classifier does on a labelled set of images, image by image: MNIST test, or a folder of
drawings listed in labels.csv (`file,label`, the columns `corrections export` writes).

A folder row whose label is not a digit (a letter, a scribble) is one the model should refuse; its
share refused is measured apart from the digits' accuracy. Two readings: each image as one digit
(evaluate_set, on the 32x32 frames), and each image read as the window reads it and shows it
(read_as_shown: the number reader, as `predict`). Each image keeps its probabilities, so
the window can show the images behind any cell of the confusion matrix.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from lenet_desktop.core.data import LabelledImages
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError
from lenet_desktop.core.images import ImageError, load_image
from lenet_desktop.core.labelled_folder import LabelledFolderError, find_listing, inside, read_label, read_listing
from lenet_desktop.core.measure import Evaluation, predict_logits
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.numbers import ShownAnswer, read_number, shown_answer
from lenet_desktop.core.predict import Verdicts, verdicts
from lenet_desktop.core.preprocess import INPUT_SIZE, preprocess
from lenet_desktop.core.store import EXPORT_CSV

LISTING = "labels.csv"
# What a folder may list its images in: its own labels.csv, else a corrections export's listing.
LISTINGS = (LISTING, EXPORT_CSV)
NOT_A_DIGIT = -1  # the label of an image the model should refuse
NUMBER = re.compile(r"[+-]?(\d+[.,]?\d*|[.,]\d+)")  # a label written as a number, not as a word
TOP_CONFUSIONS = 10
CHUNK = 500  # images per progress report while predicting

Progress = Callable[[int, int], None]  # (done, total)


class EvaluationError(TranslatableError, ValueError):
    """A folder that cannot be evaluated at all; the message is one line."""


@dataclass(frozen=True)
class LabelledSet:
    """Images to evaluate on, with what each one is and where it came from."""

    frames: torch.Tensor  # (N, 1, 32, 32) in 0..1, as preprocess makes them
    labels: torch.Tensor  # (N,) int64: the digit, or NOT_A_DIGIT
    label_names: list[str]  # each label as written ("7", "A")
    names: list[str]  # each image's name: its file, or its place in MNIST
    files: list[Path] | None  # each image's file, for a folder
    failures: list[EvaluationError]  # one per listed image that could not be used, saying why in a line

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class Confusion:
    true: int
    predicted: int
    count: int


@dataclass(frozen=True)
class EvaluationResult:
    images: LabelledSet
    probabilities: torch.Tensor  # (N, 10), on the CPU
    verdicts: Verdicts  # which answers were "unsure" and which "not a digit"
    digits: Evaluation  # over the images labelled with a digit

    @property
    def refused(self) -> torch.Tensor:
        return self.verdicts.refused

    @property
    def predicted(self) -> torch.Tensor:
        return self.probabilities.argmax(dim=1)

    @property
    def accuracy(self) -> float:
        return self.digits.accuracy

    @property
    def per_class_accuracy(self) -> list[float | None]:
        """None for a digit with no image: a folder of sevens measured nothing about zeros."""
        tested = self.confusion.sum(dim=1).tolist()
        return [accuracy if count else None for accuracy, count in zip(self.digits.per_class_accuracy, tested)]

    @property
    def confusion(self) -> torch.Tensor:
        return self.digits.confusion

    @property
    def digit_count(self) -> int:
        return int((self.images.labels != NOT_A_DIGIT).sum())

    @property
    def should_refuse(self) -> int:
        return len(self.images) - self.digit_count

    @property
    def refusal_rate(self) -> float | None:
        """The share of not-a-digit images the model refused; None when there are none."""
        rows = self.images.labels == NOT_A_DIGIT
        return float(self.refused[rows].float().mean()) if rows.any() else None

    def top_confusions(self, count: int = TOP_CONFUSIONS) -> list[Confusion]:
        """The most common mistakes, most frequent first."""
        wrong = self.confusion.clone()
        wrong.fill_diagonal_(0)
        order = torch.argsort(wrong.flatten(), descending=True, stable=True)[:count]
        return [Confusion(int(i) // 10, int(i) % 10, int(wrong.flatten()[i])) for i in order if wrong.flatten()[i] > 0]

    def cell(self, true: int, predicted: int) -> list[int]:
        """The images labelled `true` (a digit or NOT_A_DIGIT) that were read as `predicted`."""
        chosen = (self.images.labels == true) & (self.predicted == predicted)
        return torch.nonzero(chosen).flatten().tolist()

    def misread(self, digit: int) -> list[int]:
        """The images of `digit` read as any other digit."""
        chosen = (self.images.labels == digit) & (self.predicted != digit)
        return torch.nonzero(chosen).flatten().tolist()

    def mistakes(self) -> list[int]:
        """Every digit read wrong, the most confident mistakes first: those say most about the model."""
        wrong = torch.nonzero((self.images.labels != NOT_A_DIGIT) & (self.predicted != self.images.labels)).flatten()
        confidence = self.probabilities[wrong].max(dim=1).values
        return wrong[torch.argsort(confidence, descending=True, stable=True)].tolist()

    def to_json(self) -> dict:
        return {
            "images": len(self.images),
            "digits": self.digit_count,
            "accuracy": self.accuracy if self.digit_count else None,
            "per_class_accuracy": self.per_class_accuracy,
            "confusion": self.confusion.tolist(),
            "top_confusions": [c.__dict__ for c in self.top_confusions()],
            "should_refuse": self.should_refuse,
            "refusal_rate": self.refusal_rate,
            "failures": [str(failure) for failure in self.images.failures],
            "predictions": [
                {
                    "name": name,
                    "label": label,
                    "predicted": int(predicted),
                    "unsure": unsure,
                    "not_a_digit": not_a_digit,
                    "probabilities": [round(float(p), 6) for p in probabilities],
                }
                for name, label, predicted, unsure, not_a_digit, probabilities in zip(
                    self.images.names,
                    self.images.label_names,
                    self.predicted.tolist(),
                    self.verdicts.unsure.tolist(),
                    self.verdicts.not_a_digit.tolist(),
                    self.probabilities,
                )
            ],
        }


def mnist_set(images: LabelledImages, split: str = "test") -> LabelledSet:
    labels = images.labels.cpu()
    return LabelledSet(
        images.images.cpu(),
        labels,
        [str(d) for d in labels.tolist()],
        [f"MNIST {split} #{i}" for i in range(len(labels))],
        None,
        [],
    )


def read_folder(
    folder: Path,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    keep_blank: bool = False,
) -> LabelledSet | None:
    """The images `folder`'s listing names, through the one image reader and `preprocess`.

    An image that cannot be used is left out with one line in `failures`; a listing that cannot be
    read raises EvaluationError. Returns None when `should_stop` says so. With `keep_blank`, an
    image with no ink is an empty frame (a dev set's blank page, which the model should refuse).
    """
    folder = Path(folder)
    try:
        listing = find_listing(folder, LISTINGS)
        rows = read_listing(listing)
    except LabelledFolderError as error:
        raise EvaluationError.retold(error) from None
    if not rows:
        raise EvaluationError(
            QT_TRANSLATE_NOOP("core", "{listing}: lists no images (it needs a header file,label and a row per image)"),
            listing=listing,
        )
    frames, labels, label_names, names, files, failures = [], [], [], [], [], []
    for line, row in enumerate(rows, start=2):
        if should_stop():
            return None
        if on_progress is not None:
            on_progress(line - 2, len(rows))
        name, label = (row.get("file") or "").strip(), (row.get("label") or "").strip()
        if not name or not label:  # a short row leaves None in the missing columns
            failures.append(
                _skipped(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: needs a file name and a label"),
                    listing,
                    line,
                    name,
                )
            )
            continue
        # Read as corrections import reads labels ("07" is a 7). Any other number ("2026", "-1", "7.0")
        # is no label for one image: counted among the images to refuse, it would make a wrong figure.
        digit = NOT_A_DIGIT
        if NUMBER.fullmatch(label):
            try:
                digit = read_label(label)
            except LabelledFolderError:
                failures.append(
                    _skipped(
                        QT_TRANSLATE_NOOP(
                            "core",
                            "{listing} line {line}: {file}: the label {label} is not one digit 0-9 (a word marks an image to refuse)",
                        ),
                        listing,
                        line,
                        name,
                        label=label,
                    )
                )
                continue
        try:
            path = inside(folder, name)
            frame = preprocess(load_image(path))
        except (ImageError, LabelledFolderError) as error:  # each names the file
            failures.append(
                _skipped(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: {reason}"), listing, line, name, reason=error
                )
            )
            continue
        except (OSError, ValueError) as error:
            failures.append(
                _skipped(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: {reason}"),
                    listing,
                    line,
                    name,
                    reason=error,
                )
            )
            continue
        if frame is None and not keep_blank:
            failures.append(
                _skipped(
                    QT_TRANSLATE_NOOP("core", "{listing} line {line}: {file}: no ink in this image"),
                    listing,
                    line,
                    name,
                )
            )
            continue
        frames.append(torch.zeros(INPUT_SIZE, INPUT_SIZE) if frame is None else torch.from_numpy(frame))
        labels.append(digit)
        label_names.append(label)
        names.append(name)
        files.append(path)
    if on_progress is not None:
        on_progress(len(rows), len(rows))
    stacked = torch.stack(frames).unsqueeze(1) if frames else torch.zeros(0, 1, INPUT_SIZE, INPUT_SIZE)
    return LabelledSet(stacked, torch.tensor(labels, dtype=torch.long), label_names, names, files, failures)


def _skipped(template: str, listing: Path, line: int, name: str, **fields: object) -> EvaluationError:
    """Why the image on `line` of `listing` was left out, with the place in front (`template`'s fields:
    listing, line, file and `fields`). The file is named by its path, as the image reader names it."""
    return EvaluationError(template, listing=listing.name, line=line, file=listing.parent / name, **fields)


def evaluate_set(
    classifier: Classifier,
    images: LabelledSet,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> EvaluationResult | None:
    """Predict every image, in chunks so a window can show progress; None when stopped."""
    chunks = []  # logits: the "not a digit" score may need them, not only the probabilities
    for start in range(0, len(images), CHUNK):
        if should_stop():
            return None
        if on_progress is not None:
            on_progress(start, len(images))
        chunks.append(
            predict_logits(classifier.net, images.frames[start : start + CHUNK], classifier.normalization).cpu()
        )
    if on_progress is not None:
        on_progress(len(images), len(images))
    logits = torch.cat(chunks) if chunks else torch.zeros(0, 10)
    probabilities = F.softmax(logits, dim=1)
    digits = images.labels != NOT_A_DIGIT
    scored = Evaluation.of(probabilities.argmax(dim=1)[digits], images.labels[digits])
    return EvaluationResult(images, probabilities, verdicts(classifier, logits), scored)


@dataclass(frozen=True)
class ShownResult:
    """A folder's images read as the window reads them (the number reader, as `predict`) and what
    the window shows for each: the figures a user meets."""

    images: LabelledSet
    answers: list[ShownAnswer]

    def _answers(self, digits: bool) -> list[tuple[int, ShownAnswer]]:
        return [
            (int(label), answer)
            for label, answer in zip(self.images.labels, self.answers)
            if (label != NOT_A_DIGIT) == digits
        ]

    @property
    def digit_count(self) -> int:
        return len(self._answers(True))

    @property
    def right(self) -> int:
        """Digits shown as exactly that one digit (unsure or not)."""
        return sum(answer.number == str(label) for label, answer in self._answers(True))

    @property
    def accuracy(self) -> float | None:
        return self.right / self.digit_count if self.digit_count else None

    @property
    def split(self) -> int:
        """Digits shown as a number of two or more digits."""
        return sum(len(answer.number or "") > 1 for _, answer in self._answers(True))

    @property
    def should_refuse(self) -> int:
        return len(self.answers) - self.digit_count

    @property
    def refused(self) -> int:
        """Images to refuse that the window shows as "not a digit", "unsure" or "no digit"."""
        return sum(not answer.confident for _, answer in self._answers(False))

    @property
    def refusal_rate(self) -> float | None:
        return self.refused / self.should_refuse if self.should_refuse else None

    def kinds(self, digits: bool) -> Counter:
        """How many of the digits (or of the images to refuse) the window shows as each kind."""
        return Counter(answer.kind for _, answer in self._answers(digits))

    def to_json(self) -> dict:
        return {
            "digits": self.digit_count,
            "accuracy": self.accuracy,
            "split": self.split,
            "digits_shown_as": dict(self.kinds(True)),
            "should_refuse": self.should_refuse,
            "refusal_rate": self.refusal_rate,
            "refusals_shown_as": dict(self.kinds(False)),
            "images": [
                {"name": name, "label": label, "shows": answer.kind, "number": answer.number}
                for name, label, answer in zip(self.images.names, self.images.label_names, self.answers)
            ],
        }


def read_as_shown(classifier: Classifier, images: LabelledSet) -> ShownResult:
    """Read each of a folder's images from its file as the window and `predict` do, and say what the
    window shows for it (`images` from read_folder: MNIST's frames have no file to read)."""
    if images.files is None:
        raise ValueError("read_as_shown reads files: MNIST's frames have none")
    return ShownResult(images, [shown_answer(read_number(classifier, load_image(path))) for path in images.files])
