"""Where to cut a group of touching or overlapping digits: paths through the least ink.

A straight column between two digits written into each other crosses one of them. A path from
the group's top to its bottom that may bend around a stroke (one column a row at most) finds the
way between them, crossing only where they touch: the "shortest path through the least ink" of
segmentation-by-recognition readers. Each path is only a candidate: recognition chooses.
A cut is an array with, for each grid row, the first column right of it.
"""

from __future__ import annotations

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


def path_cuts(mask: np.ndarray, height: int, margin: int, most: int) -> list[tuple[np.ndarray, float]]:
    """Up to `most` paths from the top to the bottom of the group `mask` (cells on a grid) through
    the least ink, each at least `margin` columns from the group's edges and from the others,
    left to right, with the ink cells each crosses; a path is given as, for each grid row, the
    first column right of it; and what choosing each as a digit boundary costs."""
    cols = np.flatnonzero(mask.any(axis=0))
    rows = np.flatnonzero(mask.any(axis=1))
    left, right = int(cols[0]), int(cols[-1]) + 1
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    starts = np.arange(left + margin, right - margin)
    if len(starts) == 0:
        return []
    band = max(1, round(PATH_BAND * height))
    offsets = np.arange(-band, band + 1)
    columns = starts[:, None] + offsets[None, :]  # (start, offset) -> grid column
    inside = (columns >= left) & (columns < right)
    clipped = np.clip(columns, 0, mask.shape[1] - 1)
    # The least cost of reaching each (start, offset) in every row, for every start at once, kept
    # between two columns of inf so that a move from the left or right neighbour is a shifted view.
    # The groups are small: the number of numpy calls a row is the cost, so a row takes four, and
    # only the paths that may be chosen are followed back.
    ink = np.where(inside, mask[top:bottom, clipped], np.inf)
    reached = np.full((bottom - top, len(starts), len(offsets) + 2), np.inf)
    reached[0, :, 1:-1] = ink[0]
    side = np.empty(columns.shape)
    for r in range(1, bottom - top):
        before = reached[r - 1]
        np.minimum(before[:, :-2], before[:, 2:], out=side)
        side += SIDE_STEP  # min(a, b) + s is min(a + s, b + s), rounding included
        np.minimum(side, before[:, 1:-1], out=side)
        np.add(side, ink[r], out=reached[r, :, 1:-1])
    cost = reached[-1, :, 1:-1]
    end = cost.argmin(axis=1)
    total = cost[np.arange(len(starts)), end]
    # Paths through more ink than the limit are never chosen: only the others are followed back,
    # each step to the first of its left, own and right neighbour that reached it at least cost.
    possible = np.flatnonzero(total <= PATH_MAX_INK * height)
    if len(possible) == 0:
        return []
    paths = np.empty((len(possible), bottom - top), dtype=np.int64)
    o = end[possible]
    steps = np.array([SIDE_STEP, 0.0, SIDE_STEP])
    for r in range(bottom - top - 1, 0, -1):
        paths[:, r] = columns[possible, o]
        o += (reached[r - 1][possible[:, None], o[:, None] + np.arange(3)] + steps).argmin(axis=1) - 1
    paths[:, 0] = columns[possible, o]
    # A path's ink is its cost less its side steps; compare the cells crossed with the limit.
    centres = paths.mean(axis=1)
    picked: list[tuple[float, np.ndarray, int]] = []
    for k in np.argsort(total[possible], kind="stable"):
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
