"""Path cuts: a way between two digits written into each other, where no column is free."""

import numpy as np

from lenet_desktop.core.cuts import path_cuts


def test_a_path_bends_between_digits_that_share_every_column():
    mask = np.zeros((40, 60), bool)
    rows = np.arange(40)[:, None]
    cols = np.arange(60)[None, :]
    slope = 20 + rows // 4  # the gap between them leans right, as slanted writing does
    mask[:, 5:55] = (cols[:, 5:55] < slope - 2) | (cols[:, 5:55] > slope + 2)
    assert all(mask[:, c].any() for c in range(5, 55))  # every column crosses ink
    (cut, cost), *_ = path_cuts(mask, height=40, margin=5, most=1)
    left = cols < cut[:, None]
    assert cost == 0.0
    assert (mask & left).any() and (mask & ~left).any()
    # No ink is split: every ink cell on either side lies on its side of the gap.
    assert not (mask & left & (cols > slope + 2)).any() and not (mask & ~left & (cols < slope - 2)).any()


def test_no_path_through_a_solid_digit():
    mask = np.zeros((40, 60), bool)
    mask[:, 5:55] = True
    assert path_cuts(mask, height=40, margin=5, most=3) == []
