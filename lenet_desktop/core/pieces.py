"""The drawing's ink as pieces: labelled on a coarse grid by connected components or by the pen
stroke that drew it, pieces that share their columns grouped into one digit, fragments joined to
their neighbour and specks dropped, wide groups cut where they may hold touching digits, and the
runs of pieces narrow enough to be one digit offered as candidates (core.numbers reads them)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lenet_desktop.core.cuts import paths_between

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
# Two separate groups are read as one digit up to this many digit heights wide (at
# core.numbers.JOIN_COST).
MAX_JOIN_WIDTH = 1.0


def split_groups(
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
    group_height = extent(mask)[1]
    starts = [0]
    for t in range(1, len(parts)):
        before = np.logical_or.reduce(parts[starts[-1] : t])
        after = np.logical_or.reduce(parts[t:])
        (b_left, b_right), (a_left, a_right) = _columns(before), _columns(after)
        shared = min(b_right, a_right) - max(b_left, a_left)
        apart = shared < STROKE_RUN_OVERLAP * min(b_right - b_left, a_right - a_left)
        tall = min(extent(before)[1], extent(after)[1]) >= STROKE_RUN_HEIGHT * group_height
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
    if min(extent(part)[1] for part in parts) < FRAGMENT_HEIGHT * height:
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


def digit_segments(pieces: list[np.ndarray], between_groups: list[bool], height: int):
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


def stroke_pieces(
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


def merge_stacked(labels: np.ndarray, count: int) -> list[np.ndarray]:
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


def extent(mask: np.ndarray) -> tuple[int, int]:
    """(width, height) of a cell mask's bounding box."""
    cols = np.flatnonzero(mask.any(axis=0))
    rows = np.flatnonzero(mask.any(axis=1))
    return int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def attach_fragments(groups: list[np.ndarray]) -> list[np.ndarray]:
    """Pieces too flat or small to be a digit (a 5's flag off to the side, a crossbar, a dot)
    join the piece nearest in x; far from every digit they are specks and are dropped. A spray of
    specks stacked into one group (noise) is no digit either, however tall: no piece of it is near
    its height and its ink leaves rows empty, where a digit has a long stroke or, dotted, covers
    its height; with no digit at all, nothing is left."""
    extents = [extent(mask) for mask in groups]
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
    return max(max(extent(labels == k)) for k in range(1, count + 1)) < SPRAY_PIECE * height


def _column_gap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Columns between two spans, negative by how far they overlap (more overlap, nearer)."""
    return max(a[0], b[0]) - min(a[1], b[1])
