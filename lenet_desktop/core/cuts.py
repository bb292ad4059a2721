"""Where to cut a group of touching or overlapping digits: paths through the least ink.

A straight column between two digits written into each other crosses one of them. A path from
the group's top to its bottom that may bend around a stroke (one column a row at most) finds the
way between them, crossing only where they touch: the "shortest path through the least ink" of
segmentation-by-recognition readers. Each path is only a candidate: recognition chooses.
A cut is an array with, for each grid row, the first column right of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# A path stays within this share of the digit height to either side of its top column.
PATH_BAND = 0.2
# Each step sideways costs this share of crossing an ink cell: straight paths are preferred.
SIDE_STEP = 0.1
# A path through more ink cells than this share of the digit height crosses too much to be
# between digits (through a 0 or an 8 it crosses two strokes and their width).
PATH_MAX_INK = 0.2
# Choosing a path as a digit boundary costs, in log confidence, this much for a path through
# PATH_MAX_INK (less for less ink): a wide single digit (a 1 with a long foot, an open 0) is
# crossed by a path through one stroke, and LeNet reads its halves as confidently as a digit.
PATH_INK_COST = 0.5


def paths_between(
    masks: Sequence[np.ndarray], height: int, margin: int, most: int
) -> list[list[tuple[np.ndarray, float]]]:
    """For each group in `masks` (cells on one grid: a number's wide groups), up to `most` paths
    from its top to its bottom through the least ink, each at least `margin` columns from the
    group's edges and from the others, left to right; a path is given as, for each grid row, the
    first column right of it; with what choosing each as a digit boundary costs (the ink cells it
    crosses). The groups are followed down together, each aligned at its top; below a group's
    bottom its rows cost nothing, which leaves its least costs and the paths to them as they were."""
    band = max(1, round(PATH_BAND * height))
    offsets = np.arange(-band, band + 1)
    groups = []  # (mask, top, bottom, starts' columns (start, offset), inside the group)
    for mask in masks:
        cols = np.flatnonzero(mask.any(axis=0))
        rows = np.flatnonzero(mask.any(axis=1))
        left, right = int(cols[0]), int(cols[-1]) + 1
        starts = np.arange(left + margin, right - margin)
        columns = starts[:, None] + offsets[None, :]  # (start, offset) -> grid column
        groups.append((mask, int(rows[0]), int(rows[-1]) + 1, columns, (columns >= left) & (columns < right)))
    depth = max(bottom - top for _, top, bottom, _, _ in groups)
    # Each row's ink cost at every (start, offset) of every group.
    ink = np.zeros((depth, sum(len(columns) for *_, columns, _ in groups), len(offsets)))
    first = 0
    for mask, top, bottom, columns, inside in groups:
        clipped = np.clip(columns, 0, mask.shape[1] - 1)
        rows = slice(first, first + len(columns))
        ink[: bottom - top, rows] = mask[top:bottom, clipped]
        ink[:, rows][:, ~inside] = np.inf
        first += len(columns)
    # The least cost of reaching each (start, offset) in every row, kept between two columns of
    # inf so that a move from the left or right neighbour is a shifted view. The groups are small:
    # the number of numpy calls a row is the cost, so a row takes four for all groups, and only
    # the paths that may be chosen are followed back.
    reached = np.full((depth, ink.shape[1], len(offsets) + 2), np.inf)
    reached[0, :, 1:-1] = ink[0]
    side = np.empty(ink.shape[1:])
    for r in range(1, depth):
        before = reached[r - 1]
        np.minimum(before[:, :-2], before[:, 2:], out=side)
        side += SIDE_STEP  # min(a, b) + s is min(a + s, b + s), rounding included
        np.minimum(side, before[:, 1:-1], out=side)
        np.add(side, ink[r], out=reached[r, :, 1:-1])
    cost = reached[-1, :, 1:-1]
    end = cost.argmin(axis=1)
    total = cost[np.arange(len(cost)), end]
    # Paths through more ink than the limit are never chosen: only the others are followed back,
    # each step to the first of its left, own and right neighbour that reached it at least cost.
    possible = np.flatnonzero(total <= PATH_MAX_INK * height)
    columns = np.concatenate([columns for *_, columns, _ in groups])
    paths = np.empty((len(possible), depth), dtype=np.int64)
    o = end[possible]
    steps = np.array([SIDE_STEP, 0.0, SIDE_STEP])
    for r in range(depth - 1, 0, -1):
        paths[:, r] = columns[possible, o]
        o += (reached[r - 1][possible[:, None], o[:, None] + np.arange(3)] + steps).argmin(axis=1) - 1
    if len(possible):
        paths[:, 0] = columns[possible, o]
    found = []
    first = 0
    for mask, top, bottom, group_columns, _ in groups:
        mine = (possible >= first) & (possible < first + len(group_columns))
        first += len(group_columns)
        found.append(
            _chosen(mask, top, bottom, paths[mine, : bottom - top], total[possible[mine]], height, margin, most)
        )
    return found


def _chosen(
    mask: np.ndarray, top: int, bottom: int, paths: np.ndarray, totals: np.ndarray, height: int, margin: int, most: int
) -> list[tuple[np.ndarray, float]]:
    """Of a group's paths under the ink limit (`totals`: their costs), the least costly, each at
    least `margin` from those taken, up to `most`, left to right, as cuts with their costs."""
    # A path's ink is its cost less its side steps; compare the cells crossed with the limit.
    centres = paths.mean(axis=1)
    picked: list[tuple[float, np.ndarray, int]] = []
    for k in np.argsort(totals, kind="stable"):
        if len(picked) == most:
            break
        centre = float(centres[k])
        if all(abs(centre - other) >= margin for other, _, _ in picked):
            picked.append((centre, paths[k], int(mask[np.arange(top, bottom), paths[k]].sum())))
    cuts = []
    for _, path, crossed in sorted(picked, key=lambda item: item[0]):
        full = np.empty(mask.shape[0], dtype=np.int64)
        full[:top], full[top:bottom], full[bottom:] = path[0], path, path[-1]
        # The boundary is the first column right of the path: the path's own cell goes left.
        cuts.append((full + 1, PATH_INK_COST * crossed / (PATH_MAX_INK * height)))
    return cuts
