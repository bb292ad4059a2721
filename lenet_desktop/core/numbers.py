"""Reading a number: the drawing's ink split into digits, each read by the single-digit recipe.

The ink is labelled into connected pieces on a coarse grid, pieces that share their columns are
one digit (a 4's two strokes, a 5's flag, a crossed 7), specks are dropped, and a piece too wide
for one digit is cut where the recogniser reads the parts best (segmentation by recognition, as
in LeCun et al.'s check reader). Every digit goes through preprocess's frame_from_ink and all of
them through one batched forward pass, so each has its activations like a single digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch
import torch.nn.functional as F

from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import Prediction, unsure_threshold
from lenet_desktop.core.preprocess import INK_THRESHOLD, MIN_DIGIT_EXTENT, frame_from_ink, ink_box, ink_map

Box = tuple[int, int, int, int]  # x, y, width, height in the image's pixels

# The grid the ink is labelled on has about this many rows across the ink's height: enough to keep
# digits a pen's width apart separate, few enough cells to label in well under a millisecond.
GRID_ROWS = 48
# Two pieces are one digit when this share of the narrower one's columns lies under the other:
# detached strokes of one digit stack, neighbours at most overlap at their edges.
SAME_DIGIT_OVERLAP = 0.5
# A piece whose longer side is under this share of the digits' height is a speck, not a digit.
SPECK_SIZE = 0.25


@dataclass(frozen=True)
class NumberReading:
    digits: tuple[Prediction, ...]  # left to right
    boxes: tuple[Box, ...]  # one per digit

    @property
    def number(self) -> str | None:
        return "".join(str(p.digit) for p in self.digits) if self.digits else None

    @property
    def confidence(self) -> float:
        return float(np.prod([p.confidence for p in self.digits])) if self.digits else 0.0

    @property
    def unsure(self) -> bool:
        return any(p.unsure for p in self.digits)


def read_number(classifier: Classifier, image, strokes: Sequence[np.ndarray] | None = None) -> NumberReading:
    """Every digit in the drawing, left to right; no digits where there is no ink worth reading."""
    ink = ink_map(image)
    box = ink_box(ink)
    if box is None or max(box[2], box[3]) < MIN_DIGIT_EXTENT * max(ink.shape):
        return NumberReading((), ())
    regions = _digit_regions(ink, box)
    if len(regions) <= 1:
        # One digit is read exactly as preprocess reads a drawing, specks and all.
        frames, boxes = [frame_from_ink(ink, box)], [box]
    else:
        frames = [frame_from_ink(own, region_box) for own, region_box in regions]
        boxes = [(rx + box[0], ry + box[1], rw, rh) for _, (rx, ry, rw, rh) in regions]
    return NumberReading(_predict_frames(classifier, frames), tuple(boxes))


def _predict_frames(classifier: Classifier, frames: list[np.ndarray]) -> tuple[Prediction, ...]:
    """All frames in one forward pass, each with its own probabilities and activations."""
    batch = torch.from_numpy(np.stack(frames).astype(np.float32, copy=False))[:, None].to(classifier.device)
    with torch.inference_mode():
        layers = classifier.net.forward_with_activations(classifier.normalization.apply(batch))
        probabilities = F.softmax(layers["logits"], dim=1).cpu().numpy()
    outputs = {name: output.cpu().numpy() for name, output in layers.items()}
    threshold = unsure_threshold(classifier)
    return tuple(
        Prediction(frame, probabilities[i], {name: output[i] for name, output in outputs.items()}, threshold)
        for i, frame in enumerate(frames)
    )


def _digit_regions(ink: np.ndarray, box: Box) -> list[tuple[np.ndarray, Box]]:
    """Each digit's own ink (an ink map of the ink's bounding box holding only that digit) and
    its box in that map."""
    x, y, width, height = box
    crop = ink[y : y + height, x : x + width]
    cell = max(1, height // GRID_ROWS)
    grid = _coarse_ink(crop, cell)
    labels, count = label_components(grid)
    groups = _merge_stacked(labels, count)
    groups = _drop_specks(groups)
    regions = []
    for cells in groups:
        own = _pixels_of(cells, grid, cell)[:height, :width] * crop
        region_box = ink_box(own)
        if region_box is not None:
            regions.append((own, region_box))
    return regions


def _coarse_ink(ink: np.ndarray, cell: int) -> np.ndarray:
    """Which cell x cell blocks hold a stroke (any pixel above the ink threshold)."""
    height, width = ink.shape
    rows, cols = -(-height // cell), -(-width // cell)
    padded = np.zeros((rows * cell, cols * cell), dtype=bool)
    padded[:height, :width] = ink > INK_THRESHOLD
    return padded.reshape(rows, cell, cols, cell).any(axis=(1, 3))


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """8-connected components of a boolean map: labels 1..count (0 background), numpy only.

    Runs of ink along each row are the nodes; runs touching in consecutive rows are joined by
    repeated hooking of roots (each to the smaller) and pointer jumping, a few vectorised rounds
    rather than a Python loop over every pixel."""
    rows, cols = mask.shape
    starts = np.zeros(mask.shape, dtype=bool)
    starts[:, 0] = mask[:, 0]
    starts[:, 1:] = mask[:, 1:] & ~mask[:, :-1]
    run = np.cumsum(starts.ravel()).reshape(mask.shape) * mask  # run number, 1.. in row-major order
    runs = int(run.max()) if run.size else 0
    if runs == 0:
        return np.zeros(mask.shape, dtype=np.int32), 0
    above, below = run[:-1], run[1:]
    pairs = [(above, below), (above[:, :-1], below[:, 1:]), (above[:, 1:], below[:, :-1])]
    a = np.concatenate([u[(u > 0) & (v > 0)] for u, v in pairs])
    b = np.concatenate([v[(u > 0) & (v > 0)] for u, v in pairs])
    parent = np.arange(runs + 1)
    while True:
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
    roots, component = np.unique(parent[1:], return_inverse=True)
    relabel = np.concatenate(([0], component + 1)).astype(np.int32)
    return relabel[run], len(roots)


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


def _drop_specks(groups: list[np.ndarray]) -> list[np.ndarray]:
    """Groups far smaller than the digits around them are stray dots, not digits."""
    if len(groups) <= 1:
        return groups
    digit_height = max(_extent(mask)[1] for mask in groups)
    return [mask for mask in groups if max(_extent(mask)) >= SPECK_SIZE * digit_height]


def _pixels_of(cells: np.ndarray, grid: np.ndarray, cell: int) -> np.ndarray:
    """A cell mask as a pixel mask, one cell wider so a stroke's faint edge, which lies in cells
    under the ink threshold, stays with it; cells holding other pieces' strokes are not taken."""
    grown = cells.copy()
    grown[1:] |= cells[:-1]
    grown[:-1] |= cells[1:]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    grown &= cells | ~grid
    return np.repeat(np.repeat(grown, cell, axis=0), cell, axis=1).astype(np.float32)
