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
makes and reads again only the candidates whose ink it changed.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from lenet_desktop.core.cuts import paths_between
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import Prediction, predict_frames
from lenet_desktop.core.preprocess import (
    INK_THRESHOLD,
    INPUT_SIZE,
    MIN_DIGIT_EXTENT,
    frame_from_ink,
    frames_from_ink,
    levels_in_box,
)

Box = tuple[int, int, int, int]  # x, y, width, height in the image's pixels

# The grid the ink is labelled on has about this many rows across the ink's height: enough to keep
# digits a pen's width apart separate, few enough cells to label in well under a millisecond.
GRID_ROWS = 48
# Candidate digits are made from the ink averaged over squares, about this many across its height.
FRAME_ROWS = 96
# Two pieces are one digit when this share of the narrower one's columns lies under the other:
# detached strokes of one digit stack, neighbours at most overlap at their edges.
SAME_DIGIT_OVERLAP = 0.3
# A piece whose longer side is under this share of the digits' height is a speck, not a digit.
SPECK_SIZE = 0.25
# A stroke shorter than this share of the ink's height, this close to the stroke drawn before
# or after it, is a piece of that stroke (a dotted or broken line), not a digit of its own.
DOT_SIZE = 0.3
DOT_GAP = 0.1
# A piece lower than this share of the tallest is no digit but part of its neighbour (a flag, a
# crossbar) when within FRAGMENT_REACH digit heights of it.
FRAGMENT_HEIGHT = 0.35
FRAGMENT_REACH = 0.3
# A group with ink in fewer than this share of its rows, whose longest piece is under this share
# of its height, is specks stacked together (noise), not a digit.
FILLED_ROWS = 0.85
SPRAY_PIECE = 0.5
# A ReadingMemo forgets all once it holds more frames or readings than this (a reading holds its
# batch's activations): a drawing's candidates are a few dozen.
MEMO_SIZE = 256
# A group wider than this many digit heights may hold several touching digits and is tried cut.
WIDE = 0.7
# Cuts keep this share of the digit height from the group's edges and from each other.
CUT_MARGIN = 0.25
MAX_CUTS = 8
# A column may be a cut where it crosses at most this many strokes.
MAX_CROSSINGS = 1
# Runs of strokes drawn one after the other are offered apart where they share under this share
# of the narrower's columns and each is at least this share of their group's height.
STROKE_RUN_OVERLAP = 0.7
STROKE_RUN_HEIGHT = 0.75
# Parts of a cut group are read as one digit up to this many digit heights wide.
MAX_DIGIT_WIDTH = 1.3
# Two separate groups are read as one digit up to this many digit heights wide, at this cost
# in log confidence: LeNet reads two digits squeezed into one frame confidently as one.
MAX_JOIN_WIDTH = 1.0
JOIN_COST = 0.5
# All the ink is framed from its full resolution, exactly as preprocess frames a drawing, where it
# is at most this many times as wide as high (it may be one digit); wider, from the coarse ink as
# every other candidate: a whole number at full resolution costs more than all the rest.
FULL_FRAME_WIDTH = 2.0
# Ink at most this many times as wide as high, read whole at least this confidently, is one digit.
ONE_DIGIT_WIDTH = 1.0
ONE_DIGIT_CONFIDENCE = 0.9
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

    @property
    def number(self) -> str | None:
        """The digits left to right, "?" for a piece refused as no digit; None when no piece is a digit."""
        if all(p.not_a_digit for p in self.digits):
            return None
        return "".join("?" if p.not_a_digit else str(p.digit) for p in self.digits)

    @property
    def confidence(self) -> float:
        """The product of the digits' confidences; 0 where there is no digit to be sure of."""
        return float(np.prod([p.confidence for p in self.digits])) if self.digits else 0.0

    @property
    def unsure(self) -> bool:
        return any(p.unsure for p in self.digits)


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


def _remember(table: dict, entries) -> None:
    """Add to one of a ReadingMemo's tables, emptied first once it is past MEMO_SIZE."""
    if len(table) > MEMO_SIZE:
        table.clear()
    table.update(entries)


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
    labels = _stroke_pieces(grid, strokes, (x, y), cell) if by_stroke else components()
    groups = _merge_stacked(*labels)
    kept = _attach_fragments(groups)
    if not kept:  # only specks
        return NumberReading((), ()) if not count else None
    digit_height = max(_extent(mask)[1] for mask in kept)
    # A count given asks for more digits than were seen, maybe: every cut is offered.
    pieces, between_groups, cut_costs = _pieces(
        kept, digit_height, components()[0], labels[0] if by_stroke else None, every_cut=count is not None
    )
    segments = list(_segments(pieces, between_groups, digit_height))
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
    one_digit = (width <= ONE_DIGIT_WIDTH * height or count == 1) and candidates[-1] != everything
    if one_digit and whole_at is None:
        whole_at = len(candidates)
        candidates.append(everything)
    parts = [k for k in range(len(segments)) if k != whole_at]
    boxes: list[Box] = [box] * len(candidates)
    frames = np.empty((len(candidates), INPUT_SIZE, INPUT_SIZE), dtype=np.float32)
    if parts:
        place = (x, y, cell, ink.block, None if levels is None else levels.tobytes())
        frames[parts], part_boxes = _segment_frames(
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
        _remember(memo.predictions, ((frames[k].tobytes(), predictions[k]) for k in read))
    if one_digit and count is None and predictions[whole_at].confidence >= ONE_DIGIT_CONFIDENCE:
        chosen = [whole_at]
    else:
        chosen = _best_reading(len(pieces), candidates, predictions, boxes, between_groups, cut_costs, count)
        if chosen is None:
            return None
    return NumberReading(tuple(predictions[k] for k in chosen), tuple(boxes[k] for k in chosen))


def _pieces(
    groups: list[np.ndarray],
    height: int,
    components: np.ndarray,
    strokes: np.ndarray | None = None,
    every_cut: bool = False,
) -> tuple[list[np.ndarray], list[bool], list[float]]:
    """The groups, left to right, with those wide enough for several digits cut into slices at
    their candidate cuts, or, where the pen's strokes are known (`strokes`: cells labelled by the
    stroke that drew them, in drawing order), a group into runs of strokes drawn one after the
    other; for each boundary between slices, whether it lies between two groups (True) or is a
    cut, and what choosing it as a digit boundary costs (a path through ink). With `every_cut`,
    every run of strokes and path is offered, however much it shares or crosses. `components`:
    the grid's connected components (_tall_parts)."""
    pieces: list[np.ndarray] = []
    between_groups: list[bool] = [True]
    cut_costs: list[float] = [0.0]
    runs = [_stroke_parts(mask, strokes, every_cut) if strokes is not None else [] for mask in groups]
    # The paths through the wide groups left to cut, found for all of them at once.
    spans = [_columns(mask) for mask in groups]
    wide = [
        k
        for k, (left, right) in enumerate(spans)
        if not runs[k] and (strokes is None or every_cut) and right - left > WIDE * height
    ]
    margin = max(1, round(CUT_MARGIN * height))
    paths = dict(zip(wide, paths_between([groups[k] for k in wide], height, margin, MAX_CUTS) if wide else ()))
    for k, mask in enumerate(groups):
        parts = runs[k]
        if not parts:
            cuts, costs = _cut_points(mask, height, paths.get(k, []))
            parts = _tall_parts(mask, height, components) if len(cuts) == 2 else []
        if parts:
            pieces.extend(parts)
            between_groups.extend([False] * (len(parts) - 1) + [True])
            cut_costs.extend([0.0] * len(parts))
            continue
        columns = np.arange(mask.shape[1])
        for k in range(len(cuts) - 1):
            piece = mask & (columns >= cuts[k][:, None]) & (columns < cuts[k + 1][:, None])
            if not piece.any():  # two paths that meet leave nothing between them
                continue
            pieces.append(piece)
            between_groups.append(k + 2 == len(cuts))
            cut_costs.append(costs[k] if k + 2 < len(cuts) else 0.0)
    return pieces, between_groups, cut_costs


def _stroke_parts(mask: np.ndarray, strokes: np.ndarray, every_run: bool = False) -> list[np.ndarray]:
    """A group whose strokes, in the order they were drawn, fall into runs side by side, as those
    runs: digits written into each other share columns, so no column cuts them, but people finish
    one digit before starting the next, and its strokes lie mostly beside the next digit's, where
    the strokes of one digit (a 4's stem across its L, a 0's slash, an 8 in two strokes) lie over
    each other, or one is short (a 4's open L beside its stem, a 7's bar). Recognition chooses
    between the runs and the group whole. None where no run is apart. With `every_run`, each
    stroke is a run of its own."""
    numbers = np.unique(strokes[mask])
    numbers = numbers[numbers > 0]
    parts = [mask & (strokes == k) for k in numbers]
    group_height = _extent(mask)[1]
    starts = [0]
    for t in range(1, len(parts)):
        before = np.logical_or.reduce(parts[starts[-1] : t])
        after = np.logical_or.reduce(parts[t:])
        (b_left, b_right), (a_left, a_right) = _columns(before), _columns(after)
        shared = min(b_right, a_right) - max(b_left, a_left)
        apart = shared < STROKE_RUN_OVERLAP * min(b_right - b_left, a_right - a_left)
        tall = min(_extent(before)[1], _extent(after)[1]) >= STROKE_RUN_HEIGHT * group_height
        if every_run or b_left < a_left and b_right < a_right and apart and tall:
            starts.append(t)
    if len(starts) == 1:
        return []
    return [np.logical_or.reduce(parts[a:b]) for a, b in zip(starts, starts[1:] + [len(parts)])]


def _tall_parts(mask: np.ndarray, height: int, components: np.ndarray) -> list[np.ndarray]:
    """A group of exactly two separate pieces, each tall enough to be a digit, as those two pieces
    left to right: they share columns, so they may be one digit (a 4's L and its down stroke) or
    two written close (a 7 whose bar overhangs a 1); recognition chooses. Otherwise none.
    `components`: the grid's connected components (label_components), which are the group's own
    pieces where it is made of whole ones (always from the image alone; a digit's strokes mostly)."""
    inside = np.bincount(components[mask], minlength=components.max() + 1)
    numbers = np.flatnonzero(inside)
    # The group is whole components (each has all its cells in it): no labelling.
    if np.array_equal(inside[numbers], np.bincount(components.reshape(-1), minlength=inside.size)[numbers]):
        if len(numbers) != 2:
            return []
        parts = [mask & (components == k) for k in numbers]
    else:
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        window = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
        labels, count = label_components(mask[window])  # labelled in its box: the grid is far wider
        if count != 2:
            return []
        parts = [np.zeros_like(mask) for _ in (1, 2)]
        for k, part in enumerate(parts, start=1):
            part[window] = labels == k
    if min(_extent(part)[1] for part in parts) < FRAGMENT_HEIGHT * height:
        return []
    return sorted(parts, key=_columns)


def _cut_points(
    mask: np.ndarray, height: int, paths: list[tuple[np.ndarray, float]]
) -> tuple[list[np.ndarray], list[float]]:
    """Where a group may be cut, left to right, each as the first column right of the cut in each
    grid row: its two edges and, where it is wide enough to hold more than one digit, the columns
    that cross a single stroke (where two touching digits meet; a cut through one digit, a 0 or a
    2, crosses two or more) and `paths`, its paths through the least ink with their costs
    (cuts.paths_between: digits written into each other). And what choosing each inner cut costs."""
    left, right = _columns(mask)
    rows = mask.shape[0]
    edges = [np.full(rows, left), np.full(rows, right)]
    if right - left <= WIDE * height:
        return edges, []
    starts = mask[:, left:right].copy()
    starts[1:] &= ~mask[:-1, left:right]
    crossed = starts.sum(axis=0)
    margin = max(1, round(CUT_MARGIN * height))
    inner = np.arange(margin, right - left - margin)
    inner = inner[crossed[inner] <= MAX_CROSSINGS]
    picked: list[int] = []
    for col in inner:
        if all(abs(col - p) >= margin for p in picked):
            picked.append(int(col))
        if len(picked) == MAX_CUTS:
            break
    cuts = [(np.full(rows, left + col), 0.0) for col in picked]
    # A path that is one of the columns already offered, give or take a cell, adds nothing.
    cuts += [(path, cost) for path, cost in paths if all(np.abs(path - column).max() > 1 for column, _ in cuts)]
    cuts.sort(key=lambda cut: cut[0].mean())
    for (before, _), (after, _) in zip(cuts, cuts[1:]):
        np.maximum(after, before, out=after)  # cuts never cross: each lies right of the one before
    return [edges[0], *(cut for cut, _ in cuts), edges[1]], [cost for _, cost in cuts]


def _segments(pieces: list[np.ndarray], between_groups: list[bool], height: int):
    """(first piece, last piece + 1, cells) for every run of neighbouring pieces of one group that
    is narrow enough to be one digit, every whole group however wide (a wide 2 or 7 is still one
    digit), and every two neighbouring whole groups together narrow enough to be one digit (a 4
    whose down stroke stands beside its open L)."""
    spans = [_columns(piece) for piece in pieces]
    for i in range(len(pieces)):
        cells = pieces[i].copy()
        left, right = spans[i]
        joined = 0
        for j in range(i + 1, len(pieces) + 1):
            if j > i + 1:
                left, right = min(left, spans[j - 1][0]), max(right, spans[j - 1][1])
                cells = cells | pieces[j - 1]
                joined += between_groups[j - 1]
            whole_groups = between_groups[i] and between_groups[j]
            if joined == 0:
                fits = whole_groups or right - left <= MAX_DIGIT_WIDTH * height
            else:
                fits = joined == 1 and whole_groups and right - left <= MAX_JOIN_WIDTH * height
            if fits:
                yield i, j, cells
            if joined > 1 or right - left > MAX_DIGIT_WIDTH * height and between_groups[j]:
                break


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


def _segment_frames(
    ink: Ink, segments: list[np.ndarray], memo: dict | None = None, place: tuple = ()
) -> tuple[np.ndarray, list[Box]]:
    """The frames of segments' ink alone (each given as its cells), made from the coarse ink map,
    and their strokes' boxes in the crop's pixels (to the pixel, found from the rows and columns
    of their cells that hold a stroke, so each frame is scaled as the full-resolution ink would
    be). The boxes and the cells each segment keeps are found for all segments at once. A
    segment found in `memo` (keyed by `place`, the crop's place and scales, its cells and the
    pixels within a cell of them: all its frame and box depend on) is not made again."""
    cell, block = ink.cell, ink.block
    cells = np.stack(segments)
    rows, cols = cells.any(axis=2), cells.any(axis=1)
    first_row, last_row = rows.argmax(axis=1), rows.shape[1] - 1 - rows[:, ::-1].argmax(axis=1)
    first_col, last_col = cols.argmax(axis=1), cols.shape[1] - 1 - cols[:, ::-1].argmax(axis=1)
    spans = list(zip(first_row.tolist(), last_row.tolist(), first_col.tolist(), last_col.tolist()))
    keys: list = [None] * len(segments)
    if memo is not None:
        for k, (row0, row1, col0, col1) in enumerate(spans):
            around = ink.crop[max(0, row0 - 1) * cell : (row1 + 2) * cell, max(0, col0 - 1) * cell : (col1 + 2) * cell]
            digest = hashlib.blake2b(cells[k, row0 : row1 + 1, col0 : col1 + 1].tobytes(), digest_size=16)
            digest.update(np.ascontiguousarray(around).data)
            keys[k] = (place, row0, row1, col0, col1, around.shape, digest.digest())
    made = [k for k in range(len(segments)) if keys[k] not in memo] if memo is not None else list(range(len(segments)))
    if made:
        todo = np.array(made)
        cells, first_row, last_row = cells[todo], first_row[todo], last_row[todo]
        first_col, last_col = first_col[todo], last_col[todo]
        every = np.arange(len(made))
        # A segment's first and last cell rows hold a stroke in one of its cells: its box's top is
        # the first pixel row of its first cell row with a stroke in one of its cells, and so on.
        in_first_row = (ink.strokes_in_cell_rows(first_row) & cells[every, first_row][:, None, :]).any(axis=2)
        in_last_row = (ink.strokes_in_cell_rows(last_row) & cells[every, last_row][:, None, :]).any(axis=2)
        in_first_col = (ink.strokes_in_cell_columns(first_col) & cells[every, :, first_col][:, :, None]).any(axis=1)
        in_last_col = (ink.strokes_in_cell_columns(last_col) & cells[every, :, last_col][:, :, None]).any(axis=1)
        top, bottom = in_first_row.argmax(axis=1), cell - in_last_row[:, ::-1].argmax(axis=1)
        left, right = in_first_col.argmax(axis=1), cell - in_last_col[:, ::-1].argmax(axis=1)
        boxes = np.stack(
            (first_col * cell + left, first_row * cell + top, last_col * cell + right, last_row * cell + bottom), axis=1
        )
        kept = _own_cells(cells, ink.grid)
        # The coarse ink of the squares these segments lie in (with a memo, mostly a digit or two).
        top_square, left_square = int(boxes[:, 1].min()) // block, int(boxes[:, 0].min()) // block
        coarse = ink.coarse(
            top_square, -(-int(boxes[:, 3].max()) // block), left_square, -(-int(boxes[:, 2].max()) // block)
        )
        windows, frame_boxes, pixel_boxes = [], [], []
        for k, ((x0, y0, x1, y1), index) in enumerate(zip(boxes.tolist(), made)):
            row0, row1, col0, col1 = spans[index]
            squares = (slice(y0 // block, -(-y1 // block)), slice(x0 // block, -(-x1 // block)))
            down = np.minimum(np.maximum(ink.cell_of_square[squares[0]], row0), row1)
            across = np.minimum(np.maximum(ink.cell_of_square[squares[1]], col0), col1)
            window = coarse[
                squares[0].start - top_square : squares[0].stop - top_square,
                squares[1].start - left_square : squares[1].stop - left_square,
            ]
            windows.append(window * kept[k].take(down, axis=0).take(across, axis=1))
            frame_boxes.append((x0 % block, y0 % block, x1 - x0, y1 - y0))
            pixel_boxes.append((x0, y0, x1 - x0, y1 - y0))
        new = dict(zip(made, zip(frames_from_ink(windows, frame_boxes, block), pixel_boxes)))
    else:
        new = {}
    found = [new[k] if k in new else memo[keys[k]] for k in range(len(segments))]
    if memo is not None:
        _remember(memo, ((keys[k], value) for k, value in new.items()))
    return np.stack([frame for frame, _ in found]), [box for _, box in found]


class Ink:
    """The drawing's ink as read_number works with it: levels_in_box's crop and levels (None: the
    crop is ink already), and what the candidates are made from, each worked out once, when first
    needed (a drawing read whole needs only the grid)."""

    def __init__(self, crop: np.ndarray, levels: np.ndarray | None, cell: int, block: int) -> None:
        self.crop, self.levels, self.cell, self.block = crop, levels, cell, block
        # A block's strongest level (the darkest for dark ink) says whether it holds a stroke. The
        # stroke levels are one run reaching black or white (levels_in_box): a comparison with the
        # run's inner end says it, faster than looking every level up.
        strong = None if levels is None else np.flatnonzero(levels > INK_THRESHOLD)
        self._dark = strong is not None and strong[0] == 0
        self._inner = None if strong is None else int(strong[-1] if self._dark else strong[0])
        self._background = 0.0 if levels is None else int(np.argmin(levels))
        self._extreme = np.minimum if self._dark else np.maximum

    def _stroke(self, extremes: np.ndarray) -> np.ndarray:
        if self.levels is None:
            return extremes > INK_THRESHOLD
        return extremes <= self._inner if self._dark else extremes >= self._inner

    @functools.cached_property
    def _column_extremes(self) -> np.ndarray:
        return _blocks(self.crop, self.cell, self._extreme, self._background, across=False)

    @functools.cached_property
    def grid(self) -> np.ndarray:
        """Which cell x cell blocks hold a stroke (a pixel above the ink threshold)."""
        return self._stroke(_blocks(self._column_extremes, self.cell, self._extreme, self._background, down=False))

    def strokes_in_cell_columns(self, columns: np.ndarray) -> np.ndarray:
        """(len(columns), cell row, pixel column in the cell): a stroke in the cell's part of that
        column, for the given cell columns (a pixel column past the crop holds none)."""
        pixels = columns[:, None] * self.cell + np.arange(self.cell)
        width = self.crop.shape[1]
        strokes = self._stroke(self._column_extremes.take(np.minimum(pixels, width - 1), axis=1))
        strokes &= pixels < width
        return strokes.transpose(1, 0, 2)

    def strokes_in_cell_rows(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), pixel row in the cell, cell column): a stroke in the cell's part of that row,
        for the given cell rows (a pixel row past the crop holds none)."""
        pixels = rows[:, None] * self.cell + np.arange(self.cell)
        height = self.crop.shape[0]
        extremes = _blocks(
            self.crop.take(np.minimum(pixels, height - 1).reshape(-1), axis=0),
            self.cell,
            self._extreme,
            self._background,
            down=False,
        )
        strokes = self._stroke(extremes).reshape(len(rows), self.cell, -1)
        strokes &= (pixels < height)[:, :, None]
        return strokes

    def coarse(self, top: int, bottom: int, left: int, right: int) -> np.ndarray:
        """The ink's mean over block x block squares, of the squares in rows top..bottom - 1 and
        columns left..right - 1 (squares counted from the crop's top left, as the whole crop's)."""
        block = self.block
        pixels = self.crop[top * block : bottom * block, left * block : right * block]
        mean = _blocks(pixels, block, np.add, self._background) / np.float32(block**2)
        if self.levels is None:
            return mean
        # The ink of a square's mean level is its mean ink wherever the background is clean
        # (exactly so on the canvas), and close to it on a noisy one.
        return self.levels[(mean + 0.5).astype(np.uint8)]

    @functools.cached_property
    def cell_of_square(self) -> np.ndarray:
        """The cell (row or column) each square's middle pixel lies in."""
        return (np.arange(-(-max(self.crop.shape) // self.block)) * self.block + self.block // 2) // self.cell


def _blocks(values: np.ndarray, size: int, reduce: np.ufunc, pad, down: bool = True, across: bool = True) -> np.ndarray:
    """`reduce` (np.add, np.minimum, np.maximum) over size x size blocks of `values`, padded with
    `pad` to whole blocks (or over size x 1 or 1 x size, with `across` or `down` False); row after
    row, then column after column: numpy reduces over a small middle axis many times more slowly."""
    height, width = values.shape
    rows, cols = -(-height // size) if down else height, -(-width // size) if across else width
    whole = (rows * size if down else rows, cols * size if across else cols)
    if whole != values.shape:
        padded = np.full(whole, pad, dtype=values.dtype)
        padded[:height, :width] = values
        values = padded
    wide = np.uint32 if reduce is np.add and values.dtype == np.uint8 else values.dtype
    if down:
        stacked = values.reshape(rows, size, whole[1])
        values = stacked[:, 0].astype(wide)
        for k in range(1, size):
            reduce(values, stacked[:, k], out=values)
    if across:
        blocks = values[:, 0::size].astype(wide)
        for k in range(1, size):
            reduce(blocks, values[:, k::size], out=blocks)
        values = blocks
    return values


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """8-connected components of a boolean map: labels 1..count (0 background), numpy only.

    Runs of ink along each row are the nodes; the runs of the next row that a run touches are a
    contiguous range, found by binary search; touching runs are joined by repeated hooking of
    roots (each to the smaller) and pointer jumping, a few vectorised rounds rather than a Python
    loop over every pixel. Components are numbered in the order of their first pixel."""
    height, width = mask.shape
    edges = np.diff(mask, axis=1, prepend=False, append=False)  # True where a run starts or ends
    if not edges.any():
        return np.zeros(mask.shape, dtype=np.int32), 0
    # Edges alternate start, end along a row: the n-th edge of the flattened map starts a run
    # for even n and ends it for odd n (an end's column is one past the run).
    row, column = np.nonzero(edges)
    start_row, start, end = row[0::2], column[0::2], column[1::2]
    span = width + 1  # keys order runs row by row, then by column
    # A run of the next row touches [start, end) when it starts at or before `end` and ends at or
    # after `start` (ends one past the run, so diagonal neighbours touch).
    first = np.searchsorted(start_row * span + end, (start_row + 1) * span + start, side="left")
    after = np.searchsorted(start_row * span + start, (start_row + 1) * span + end, side="right")
    counts = np.maximum(after - first, 0)
    a = np.repeat(np.arange(start.size), counts)
    b = first[a] + np.arange(a.size) - np.repeat(np.cumsum(counts) - counts, counts)
    parent = np.arange(start.size)
    while a.size:
        root_a, root_b = parent[a], parent[b]
        differ = root_a != root_b
        if not differ.any():
            break
        low, high = np.minimum(root_a, root_b)[differ], np.maximum(root_a, root_b)[differ]
        np.minimum.at(parent, high, low)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    roots, component = np.unique(parent, return_inverse=True)
    labels = np.zeros(height * width, dtype=np.int32)
    labels[np.flatnonzero(mask)] = np.repeat(component.astype(np.int32) + 1, end - start)
    return labels.reshape(mask.shape), len(roots)


def _stroke_pieces(
    grid: np.ndarray, strokes: Sequence[np.ndarray], origin: tuple[int, int], cell: int
) -> tuple[np.ndarray, int]:
    """Ink cells labelled by the pen stroke that drew them (1..len(strokes)).

    Strokes tell apart digits whose ink touches, which connected components cannot. Each stroke
    marks the cells its path crosses; the rest of the pen's width takes the label of its nearest
    marked neighbour. Ink no stroke reaches (strokes that do not match the image) is labelled by
    its connected components after the strokes."""
    labels = np.zeros(grid.shape, dtype=np.int32)
    rows, cols = grid.shape
    # Every stroke's points, in drawing order, and the stroke of each (1..len(strokes)).
    paths = [(np.asarray(stroke, dtype=np.float64).reshape(-1, 2) - origin) / cell for stroke in strokes]
    points = np.concatenate(paths)
    number = np.repeat(np.arange(1, len(paths) + 1), [len(path) for path in paths])
    # Points half a cell apart at most, so a path leaves no cell out: each segment's
    # np.linspace(a, b, n, endpoint=False), every segment of every stroke at once, with linspace's
    # arithmetic, then each stroke's last point; strokes stay in drawing order, as a later stroke
    # takes a cell an earlier one crossed.
    inside = np.flatnonzero(number[1:] == number[:-1])  # segments: a point and the next of its stroke
    delta = points[inside + 1] - points[inside]
    steps = np.maximum(1, np.ceil(2 * np.abs(delta).max(axis=1))).astype(int)
    segment = np.repeat(np.arange(len(steps)), steps)
    index = np.arange(segment.size) - np.repeat(np.cumsum(steps) - steps, steps)
    between = index[:, None] * (delta / steps[:, None])[segment] + points[inside][segment]
    last = np.flatnonzero(np.append(number[1:] != number[:-1], True))
    order = np.argsort(np.concatenate((number[inside][segment], number[last])), kind="stable")
    points = np.concatenate((between, points[last]))[order]
    number = np.concatenate((number[inside][segment], number[last]))[order]
    c = np.clip(points[:, 0].astype(int), 0, cols - 1)
    r = np.clip(points[:, 1].astype(int), 0, rows - 1)
    on_ink = grid[r, c]
    labels[r[on_ink], c[on_ink]] = number[on_ink]  # where strokes cross, the later one's: the last written
    for _ in range(max(rows, cols)):
        unlabelled = grid & (labels == 0)
        if not unlabelled.any():
            break
        grown = labels.copy()
        grown[1:] = np.maximum(grown[1:], labels[:-1])
        grown[:-1] = np.maximum(grown[:-1], labels[1:])
        grown[:, 1:] = np.maximum(grown[:, 1:], labels[:, :-1])
        grown[:, :-1] = np.maximum(grown[:, :-1], labels[:, 1:])
        if np.array_equal(grown[unlabelled], labels[unlabelled]):
            break
        labels[unlabelled] = grown[unlabelled]
    labels = _join_dots(labels, len(strokes), grid.shape[0])
    rest, extra = label_components(grid & (labels == 0))
    labels[rest > 0] = rest[rest > 0] + len(strokes)
    used = np.unique(labels[labels > 0])
    relabel = np.zeros(len(strokes) + extra + 1, dtype=np.int32)
    relabel[used] = np.arange(1, len(used) + 1)
    return relabel[labels], len(used)


def _join_dots(labels: np.ndarray, count: int, height: int) -> np.ndarray:
    """A dotted or broken stroke arrives as many short strokes: each short one joins the stroke
    drawn just before it (or, for the first, after it) where the two nearly touch."""
    boxes = _label_boxes(labels, count)
    owner = np.arange(count + 1)
    reach = DOT_GAP * height
    for number in range(1, count + 1):
        box = boxes[number]
        if box is None or max(box[2] - box[0], box[3] - box[1]) >= DOT_SIZE * height:
            continue
        for other in (number - 1, number + 1):
            if 1 <= other <= count and boxes[other] is not None and _gap(box, boxes[other]) <= reach:
                owner[number] = owner[other] if other < number else other
                break
    # Chains of dots point along the chain to the stroke they continue.
    for _ in range(count):
        if np.array_equal(owner[owner], owner):
            break
        owner = owner[owner]
    return owner[labels].astype(np.int32)


def _label_boxes(labels: np.ndarray, count: int) -> list[tuple[int, int, int, int] | None]:
    """(left, top, right, bottom), exclusive ends, of each label 0..count; None where it has no cell."""
    rows, cols = np.nonzero(labels)
    found = labels[rows, cols]
    big = np.iinfo(np.int64).max
    left, top = np.full(count + 1, big), np.full(count + 1, big)
    right, bottom = np.full(count + 1, -1), np.full(count + 1, -1)
    np.minimum.at(left, found, cols)
    np.minimum.at(top, found, rows)
    np.maximum.at(right, found, cols + 1)
    np.maximum.at(bottom, found, rows + 1)
    return [
        None if right[k] < 0 else (int(left[k]), int(top[k]), int(right[k]), int(bottom[k])) for k in range(count + 1)
    ]


def _gap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    """Cells between two boxes (0 where they touch or overlap), the larger of the two axes."""
    return max(a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3], 0)


def _merge_stacked(labels: np.ndarray, count: int) -> list[np.ndarray]:
    """Cell masks of the pieces, where pieces sharing most of their columns are joined."""
    pieces = [labels == k for k in range(1, count + 1)]
    spans = [_columns(piece) for piece in pieces]
    order = sorted(range(count), key=lambda k: spans[k])
    groups: list[tuple[np.ndarray, tuple[int, int]]] = []
    for k in order:
        piece, (left, right) = pieces[k], spans[k]
        if groups:
            mask, (g_left, g_right) = groups[-1]
            shared = min(right, g_right) - max(left, g_left)
            if shared >= SAME_DIGIT_OVERLAP * min(right - left, g_right - g_left):
                groups[-1] = (mask | piece, (g_left, max(right, g_right)))
                continue
        groups.append((piece, (left, right)))
    return [mask for mask, _ in groups]


def _columns(mask: np.ndarray) -> tuple[int, int]:
    cols = np.flatnonzero(mask.any(axis=0))
    return int(cols[0]), int(cols[-1]) + 1


def _extent(mask: np.ndarray) -> tuple[int, int]:
    """(width, height) of a cell mask's bounding box."""
    cols = np.flatnonzero(mask.any(axis=0))
    rows = np.flatnonzero(mask.any(axis=1))
    return int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def _attach_fragments(groups: list[np.ndarray]) -> list[np.ndarray]:
    """Pieces too flat or small to be a digit (a 5's flag off to the side, a crossbar, a dot)
    join the piece nearest in x; far from every digit they are specks and are dropped. A spray of
    specks stacked into one group (noise) is no digit either, however tall: no piece of it is near
    its height and its ink leaves rows empty, where a digit has a long stroke or, dotted, covers
    its height; with no digit at all, nothing is left."""
    extents = [_extent(mask) for mask in groups]
    sprays = [_spray(mask) for mask in groups]
    if len(groups) <= 1:
        return [mask for mask, spray in zip(groups, sprays) if not spray]
    digit_height = max(height for _, height in extents)
    whole = [k for k, (w, h) in enumerate(extents) if h >= FRAGMENT_HEIGHT * digit_height and not sprays[k]]
    if not whole:
        return []
    joined = {k: groups[k].copy() for k in whole}
    spans = {k: _columns(groups[k]) for k in whole}
    for k, mask in enumerate(groups):
        if k in joined:
            continue
        left, right = _columns(mask)
        gaps = {j: _column_gap((left, right), span) for j, span in spans.items()}
        nearest = min(gaps, key=gaps.get)
        if gaps[nearest] <= FRAGMENT_REACH * digit_height and max(extents[k]) >= SPECK_SIZE * digit_height:
            joined[nearest] |= mask
    return [joined[k] for k in sorted(joined, key=lambda k: spans[k])]


def _spray(mask: np.ndarray) -> bool:
    """Whether a group is specks stacked together rather than a digit: its longest piece is
    short beside the group's height and its ink leaves rows empty."""
    rows = np.flatnonzero(mask.any(axis=1))
    height = rows[-1] - rows[0] + 1
    if len(rows) >= FILLED_ROWS * height:
        return False
    labels, count = label_components(mask[rows[0] : rows[-1] + 1])
    return max(max(_extent(labels == k)) for k in range(1, count + 1)) < SPRAY_PIECE * height


def _column_gap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Columns between two spans, negative by how far they overlap (more overlap, nearer)."""
    return max(a[0], b[0]) - min(a[1], b[1])


def _own_cells(cells: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Segments' cells (N, rows, columns), one cell wider so a stroke's faint edge, which lies in
    cells under the ink threshold, stays with its segment; cells holding other pieces' strokes are
    not taken."""
    grown = cells.copy()
    grown[:, 1:] |= cells[:, :-1]
    grown[:, :-1] |= cells[:, 1:]
    grown[:, :, 1:] |= grown[:, :, :-1].copy()
    grown[:, :, :-1] |= grown[:, :, 1:].copy()
    grown &= cells | ~grid
    return grown
