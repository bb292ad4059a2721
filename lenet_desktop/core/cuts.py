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
    cost = np.where(inside, mask[top][clipped].astype(np.float64), np.inf)
    came = np.zeros((bottom - top, *columns.shape), dtype=np.int8)  # -1, 0, +1: offset moved from
    for r in range(top + 1, bottom):
        stay = cost
        from_left = np.full_like(cost, np.inf)
        from_left[:, 1:] = cost[:, :-1] + SIDE_STEP
        from_right = np.full_like(cost, np.inf)
        from_right[:, :-1] = cost[:, 1:] + SIDE_STEP
        options = np.stack([from_left, stay, from_right])
        choice = options.argmin(axis=0)
        came[r - top] = choice.astype(np.int8) - 1
        cost = options.min(axis=0) + np.where(inside, mask[r][clipped], np.inf)
    end = cost.argmin(axis=1)
    total = cost[np.arange(len(starts)), end]
    # A path's ink is its cost less its side steps; compare the cells crossed with the limit.
    order = np.argsort(total, kind="stable")
    picked: list[tuple[float, np.ndarray, int]] = []
    for k in order:
        if total[k] > PATH_MAX_INK * height or len(picked) == most:
            break
        path = np.empty(bottom - top, dtype=np.int64)
        o = int(end[k])
        for r in range(bottom - top - 1, -1, -1):
            path[r] = columns[k, o]
            o += int(came[r, k, o])
        centre = float(path.mean())
        if all(abs(centre - other) >= margin for other, _, _ in picked):
            picked.append((centre, path, int(mask[np.arange(top, bottom), path].sum())))
    cuts = []
    for _, path, ink in sorted(picked, key=lambda item: item[0]):
        full = np.empty(mask.shape[0], dtype=np.int64)
        full[:top], full[top:bottom], full[bottom:] = path[0], path, path[-1]
        # The boundary is the first column right of the path: the path's own cell goes left.
        cuts.append((full + 1, PATH_INK_COST * ink / (PATH_MAX_INK * height)))
    return cuts
