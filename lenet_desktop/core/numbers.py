"""Reading a number: the drawing's ink split into digits, each read by the single-digit recipe.

The ink is labelled into pieces on a coarse grid: by connected components, or by the pen stroke
that drew it where the canvas gives its strokes (strokes tell touching digits apart). Pieces that
share their columns are one digit (a 4's two strokes, a crossed 7, a slashed 0; two tall ones are
also tried apart), short dashes join the stroke they continue, flat pieces join their neighbour (a
5's flag) and specks are dropped. A group wide enough for several digits is sliced where a column
crosses one stroke, and the recogniser's confidence, with its verdict where the weights can say
"not a digit", chooses between the readings of the slices (segmentation by recognition, as in
LeCun et al.'s check reader). Every candidate digit is made by preprocess's recipe (all at once,
frames_from_ink) and all are read in one batched forward pass, so each digit chosen has its
activations. The whole drawing, where it may be one digit, is framed from its full-resolution ink,
exactly as preprocess frames it; the other candidates from the ink averaged over small squares
(FRAME_ROWS across its height), each square weighing in the resize what its pixels would, which is
nearly the same frame at a fraction of the cost. The window passes a ReadingMemo, so that a stroke
makes and reads again only the candidates whose ink it changed. The pieces and their cuts are
core.pieces's; the candidates' frames core.digit_frames's.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lenet_desktop.core.digit_frames import Box, Ink, remember, segment_frames
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.pieces import (
    FRAGMENT_HEIGHT,
    attach_fragments,
    digit_segments,
    extent,
    label_components,
    merge_stacked,
    split_groups,
    stroke_pieces,
)
from lenet_desktop.core.predict import Prediction, predict_frames
from lenet_desktop.core.preprocess import INPUT_SIZE, MIN_DIGIT_EXTENT, frame_from_ink, levels_in_box

# The grid the ink is labelled on has about this many rows across the ink's height: enough to keep
# digits a pen's width apart separate, few enough cells to label in well under a millisecond.
GRID_ROWS = 48
# Candidate digits are made from the ink averaged over squares, about this many across its height.
FRAME_ROWS = 96
# A digit made of two separate groups costs this in log confidence: LeNet reads two digits
# squeezed into one frame confidently as one.
JOIN_COST = 0.5
# All the ink is framed from its full resolution, exactly as preprocess frames a drawing, where it
# is at most this many times as wide as high (it may be one digit); wider, from the coarse ink as
# every other candidate: a whole number at full resolution costs more than all the rest.
FULL_FRAME_WIDTH = 2.0
# Ink at most this many times as wide as high, read whole at least this confidently, is one digit.
ONE_DIGIT_WIDTH = 1.0
ONE_DIGIT_CONFIDENCE = 0.9
# Ink in one group (its pieces share columns or touch) about as wide as high (give or take the pen's
# rounding) is one glyph: its reading whole, a digit or "not a digit", stands. A number's digits
# written into each other are mostly wider: two digits side by side, each about half as wide as high.
ONE_GLYPH_WIDTH = 1.05
# A glyph read whole with all ten digits about equally likely (the top one at most this, a tenth
# being even) is what outlier exposure trains the weights to answer for no digit, two digits
# squeezed into one frame among them: cut into exactly two confident digits (two digits side by
# side fill a glyph as wide as high), it reads as those two, unsure, as the two readings disagree.
EVEN_CONFIDENCE = 0.11
# Taken for each digit lower than FRAGMENT_HEIGHT of the tallest: as good as never chosen.
FRAGMENT_PENALTY = 20.0
# Taken for each candidate the weights call "not a digit" (predict.verdicts: a fragment, two digits
# squeezed into one frame): any reading of digits beats it, yet a drawing all of whose readings
# are refused still reads as its least bad one.
NOT_A_DIGIT_PENALTY = 10.0


@dataclass(frozen=True)
class NumberReading:
    digits: tuple[Prediction, ...]  # left to right
    boxes: tuple[Box, ...]  # one per digit
    doubted: bool = False  # the digits are cut from one glyph that read whole as no digit

    @property
    def number(self) -> str | None:
        """The digits left to right, "?" for a piece refused as no digit; None when no piece is a digit."""
        if all(p.not_a_digit for p in self.digits):
            return None
        return "".join(self.shown_digits)

    @property
    def shown_digits(self) -> tuple[str, ...]:
        """Each digit as the window shows it, in the number and on its tag: "?" for a piece refused as no digit."""
        return tuple("?" if p.not_a_digit else str(p.digit) for p in self.digits)

    @property
    def confidence(self) -> float:
        """The product of the digits' confidences; 0 where there is no digit to be sure of."""
        return float(np.prod([p.confidence for p in self.digits])) if self.digits else 0.0

    @property
    def unsure(self) -> bool:
        """Some digit is shown and the reading is not sure: a digit unsure or refused, the chance
        that every digit is right (their confidences' product) under the threshold one digit must
        pass, or the digits cut from a glyph refused whole."""
        if self.number is None:
            return False
        return (
            self.doubted
            or any(p.unsure or p.not_a_digit for p in self.digits)
            or self.confidence < self.digits[0].unsure_below
        )


class ReadingMemo:
    """What read_number made for a drawing's candidates, kept for the next reading of the drawing
    grown by a stroke (the window reads after every stroke): a candidate whose cells and the pixels
    within a cell of them did not change keeps its frame and box, and a frame read before keeps its
    reading, so only the digits the stroke touched are made and read again. A memo holds one
    classifier's readings: given with another, it starts again."""

    def __init__(self) -> None:
        self.frames: dict = {}
        self.predictions: dict[bytes, Prediction] = {}
        self.classifier: Classifier | None = None


def edit_distance(truth: str, read: str) -> int:
    """Digits inserted, dropped or changed between two digit strings (Levenshtein): a number
    read with one digit split in two is one error, not every digit after it."""
    previous = list(range(len(read) + 1))
    for i, expected in enumerate(truth, start=1):
        current = [i]
        for j, got in enumerate(read, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (expected != got)))
        previous = current
    return previous[-1]


def read_number(
    classifier: Classifier,
    image,
    strokes: Sequence[np.ndarray] | None = None,
    count: int | None = None,
    memo: ReadingMemo | None = None,
) -> NumberReading | None:
    """Every digit in the drawing, left to right; no digits where there is no ink worth reading.

    With `count`, the best reading with exactly that many digits, by the same recognition-scored
    choice (a number typed for the drawing, whose digit count differs from what was found); None
    where the drawing cannot be cut into that many. With `memo`, candidates made and read for an
    earlier drawing are taken from it where their ink is the same (the same frames)."""
    pixels = np.asarray(image)
    crop, levels, box = levels_in_box(pixels)
    if box is None or max(box[2], box[3]) < MIN_DIGIT_EXTENT * max(pixels.shape[:2]):
        return NumberReading((), ()) if not count else None
    x, y, width, height = box
    cell = max(1, height // GRID_ROWS)
    ink = Ink(crop, levels, cell, max(1, height // FRAME_ROWS))
    grid = ink.grid
    # The whole drawing as one digit is read exactly as preprocess reads it, from its full-resolution
    # ink (made once, and only where it is a candidate); every other candidate from the coarse ink.
    whole_frame = functools.cache(
        lambda: frame_from_ink(crop if levels is None else levels[crop], (0, 0, width, height))
    )
    whole: Prediction | None = None
    components = functools.cache(lambda: label_components(grid))
    if count is None and width <= ONE_DIGIT_WIDTH * height and components()[1] == 1:
        # One piece of ink no wider than a digit (most drawings): read below as the whole drawing
        # when that reading is sure, or as its only candidate; sure, the rest need not be made.
        (whole,) = predict_frames(classifier, [whole_frame()])
        if whole.confidence >= ONE_DIGIT_CONFIDENCE:
            return NumberReading((whole,), (box,))
    by_stroke = strokes is not None and len(strokes) > 0
    labels = stroke_pieces(grid, strokes, (x, y), cell) if by_stroke else components()
    groups = merge_stacked(*labels)
    kept = attach_fragments(groups)
    if not kept:  # only specks
        return NumberReading((), ()) if not count else None
    digit_height = max(extent(mask)[1] for mask in kept)
    # A count given asks for more digits than were seen, maybe: every cut is offered.
    pieces, between_groups, cut_costs = split_groups(
        kept, digit_height, components()[0], labels[0] if by_stroke else None, every_cut=count is not None
    )
    segments = list(digit_segments(pieces, between_groups, digit_height))
    candidates = [(i, j) for i, j, _ in segments]  # (first piece, last piece + 1)
    # The whole drawing is one candidate at most: a segment of all the ink, or, for ink no wider
    # than one digit, added to be read first, as preprocess reads a drawing (LeNet reads the parts
    # of one digit, a 4's open L and its down stroke, confidently as two digits).
    everything = (0, len(pieces))
    whole_at = next(
        (
            k
            for k, (i, j, cells) in enumerate(segments)
            if (i, j) == everything and width <= FULL_FRAME_WIDTH * height and np.array_equal(cells, grid)
        ),
        None,
    )
    # One glyph: the ink one group (no gap between its pieces), no wider than a digit may be.
    glyph = count is None and not any(between_groups[1:-1]) and width <= ONE_GLYPH_WIDTH * height
    one_digit = (width <= ONE_DIGIT_WIDTH * height or count == 1 or glyph) and candidates[-1] != everything
    if one_digit and whole_at is None:
        whole_at = len(candidates)
        candidates.append(everything)
    parts = [k for k in range(len(segments)) if k != whole_at]
    boxes: list[Box] = [box] * len(candidates)
    frames = np.empty((len(candidates), INPUT_SIZE, INPUT_SIZE), dtype=np.float32)
    if parts:
        place = (x, y, cell, ink.block, None if levels is None else levels.tobytes())
        frames[parts], part_boxes = segment_frames(
            ink, [segments[k][2] for k in parts], None if memo is None else memo.frames, place
        )
        for k, (sx, sy, sw, sh) in zip(parts, part_boxes):
            boxes[k] = (sx + x, sy + y, sw, sh)
    if whole_at is not None:
        frames[whole_at] = whole_frame()
    # Every candidate in one forward pass, but those the memo has read and the whole drawing where
    # the single-digit check above read it.
    if memo is not None and memo.classifier is not classifier:
        memo.predictions.clear()
        memo.classifier = classifier
    predictions: list[Prediction] = [whole] * len(candidates)  # type: ignore[list-item]
    read = []
    for k in range(len(candidates)):
        known = memo.predictions.get(frames[k].tobytes()) if memo is not None else None
        if known is not None:
            predictions[k] = known
        elif k != whole_at or whole is None:
            read.append(k)
    for k, prediction in zip(read, predict_frames(classifier, list(frames[read])) if read else ()):
        predictions[k] = prediction
    if memo is not None:
        remember(memo.predictions, ((frames[k].tobytes(), predictions[k]) for k in read))
    refused = whole_at is not None and predictions[whole_at].not_a_digit
    doubted = False
    if one_digit and count is None and predictions[whole_at].confidence >= ONE_DIGIT_CONFIDENCE:
        chosen = [whole_at]
    elif glyph and whole_at is not None:
        # One glyph read whole as a confident digit, or refused as none, is that digit or that
        # refusal: cut, the halves of a wide digit or of a letter read as digits (a continental 1's
        # flag as a second 1, an H's sides as 1s), as LeNet reads any stroke as some digit. But
        # refused with every digit about as likely (as a squeezed pair is), two confident halves
        # are two digits written into each other, shown unsure.
        chosen = [whole_at]
        whole_reading = predictions[whole_at]
        if whole_reading.not_a_digit and whole_reading.confidence <= EVEN_CONFIDENCE:
            pair = _best_reading(len(pieces), candidates, predictions, boxes, between_groups, cut_costs, 2)
            if pair is not None and not any(predictions[k].unsure or predictions[k].not_a_digit for k in pair):
                chosen, doubted = pair, True
    else:
        chosen = _best_reading(len(pieces), candidates, predictions, boxes, between_groups, cut_costs, count)
        if chosen is None:
            return None
        if count is None and refused and any(predictions[k].not_a_digit for k in chosen):
            # Refused whole, and no reading makes every piece a digit: the drawing is no number.
            chosen = [whole_at]
    return NumberReading(tuple(predictions[k] for k in chosen), tuple(boxes[k] for k in chosen), doubted)


def _best_reading(
    count: int,
    candidates,
    predictions,
    boxes,
    between_groups: list[bool],
    cut_costs: list[float] | None = None,
    digits: int | None = None,
) -> list[int] | None:
    """The candidates that read the pieces as digits with the best total score, by dynamic
    programming over the piece boundaries and the digits read so far. The score is the sum of the
    digits' log confidences, so two confident digits beat one doubtful wide one and one confident
    digit beats two doubtful halves; a part too low to be a digit (a bar's end cut off) is taken
    only where no other reading is left, and one the weights call not a digit (a fragment, a
    squeezed pair) as good as never while another reading has none. A digit ending at a cut pays
    that cut's cost. With `digits`, the best reading of exactly that many; None where none has."""
    height = max(box[3] for box in boxes)
    costs = cut_costs or [0.0] * (count + 1)
    most = count if digits is None else digits
    if most > count:
        return None
    # best[j][n]: the best score of pieces 0..j-1 read as n digits. Python lists: a number has a
    # few dozen candidates and a few digits, too few for numpy calls to pay.
    best = [[-math.inf] * (most + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    back = [[-1] * (most + 1) for _ in range(count + 1)]
    for k, (i, j) in enumerate(candidates):
        score = float(np.log(max(predictions[k].confidence, 1e-9))) - costs[j]
        if any(between_groups[i + 1 : j]):
            score -= JOIN_COST
        if boxes[k][3] < FRAGMENT_HEIGHT * height:
            score -= FRAGMENT_PENALTY
        if predictions[k].not_a_digit:
            score -= NOT_A_DIGIT_PENALTY
        start, end, steps = best[i], best[j], back[j]
        for n in range(most):
            if start[n] + score > end[n + 1]:
                end[n + 1] = start[n] + score
                steps[n + 1] = k
    n = max(range(most + 1), key=best[count].__getitem__) if digits is None else digits
    if not math.isfinite(best[count][n]):
        return None
    chosen = []
    j = count
    while j > 0:
        k = back[j][n]
        chosen.append(k)
        j, n = candidates[k][0], n - 1
    return chosen[::-1]


# What the window shows for a drawing, in the words a user reads there.
DIGIT, NUMBER, UNSURE, NOT_A_DIGIT, NO_DIGIT = "digit", "number", "unsure", "not a digit", "no digit"


@dataclass(frozen=True)
class ShownAnswer:
    kind: str  # DIGIT or NUMBER (confident), UNSURE, NOT_A_DIGIT or NO_DIGIT
    number: str | None  # the digits shown ("7", "27", "2?"); None for "not a digit" and "no digit"

    @property
    def confident(self) -> bool:
        """Some digit shown in the window's confident colour: the wrong answer for a letter."""
        return self.kind in (DIGIT, NUMBER)


def shown_answer(reading: NumberReading) -> ShownAnswer:
    """What the window and `predict` show for `reading`: one digit, a number of several digits, the
    digits marked unsure, "not a digit" (every piece refused), or "no digit" (no ink worth reading)."""
    if not reading.digits:
        return ShownAnswer(NO_DIGIT, None)
    if reading.number is None:
        return ShownAnswer(NOT_A_DIGIT, None)
    if reading.unsure:
        return ShownAnswer(UNSURE, reading.number)
    return ShownAnswer(DIGIT if len(reading.digits) == 1 else NUMBER, reading.number)
