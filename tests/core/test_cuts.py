"""Path cuts: a way between two digits written into each other, where no column is free."""

import numpy as np

from lenet_desktop.core.cuts import paths_between


def test_a_path_bends_between_digits_that_share_every_column():
    mask = np.zeros((40, 60), bool)
    rows = np.arange(40)[:, None]
    cols = np.arange(60)[None, :]
    slope = 20 + rows // 4  # the gap between them leans right, as slanted writing does
    mask[:, 5:55] = (cols[:, 5:55] < slope - 2) | (cols[:, 5:55] > slope + 2)
    assert all(mask[:, c].any() for c in range(5, 55))  # every column crosses ink
    (((cut, cost), *_),) = paths_between([mask], height=40, margin=5, most=1)
    left = cols < cut[:, None]
    assert cost == 0.0
    assert (mask & left).any() and (mask & ~left).any()
    # No ink is split: every ink cell on either side lies on its side of the gap.
    assert not (mask & left & (cols > slope + 2)).any() and not (mask & ~left & (cols < slope - 2)).any()


def test_no_path_through_a_solid_digit():
    mask = np.zeros((40, 60), bool)
    mask[:, 5:55] = True
    assert paths_between([mask], height=40, margin=5, most=3) == [[]]


def test_groups_followed_together_get_the_paths_each_gets_alone():
    # A number's wide groups are searched at once, aligned at their tops though their heights
    # differ: each must get exactly the paths it gets alone.
    rng = np.random.default_rng(2)
    masks = []
    for top, bottom in ((3, 40), (10, 30), (0, 44)):
        mask = np.zeros((45, 70), bool)
        mask[top:bottom, 5:65] = rng.random((bottom - top, 60)) < 0.12
        mask[top, 5] = mask[bottom - 1, 64] = True
        masks.append(mask)
    together = paths_between(masks, height=40, margin=5, most=4)
    assert any(together)
    for mask, found in zip(masks, together):
        ((alone),) = paths_between([mask], height=40, margin=5, most=4)
        assert [cost for _, cost in found] == [cost for _, cost in alone]
        assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(found, alone))
