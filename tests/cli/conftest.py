"""Fixtures the CLI tests share."""

from __future__ import annotations

import pytest
from digit_strokes import DIGITS, render_strokes

from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.core.store import CorrectionStore, default_store_path


@pytest.fixture
def without_mnist(tmp_path) -> list:
    """Options that point the CLI at a folder with no MNIST and forbid fetching it: a refusal that
    must come before any work would otherwise be about MNIST instead."""
    return ["--data-dir", tmp_path / "no-mnist", "--no-download"]


@pytest.fixture
def corrections():
    """Ten corrections in the (test-isolated) user data folder; returns the store's path."""
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        for digit in range(10):
            store.add(
                render_strokes(DIGITS[digit][1]),
                digit,
                predicted=(digit + 3) % 10,
                confidence=0.4,
                model_name="shipped",
            )
    return default_store_path(user_data_dir())
