"""Fixtures shared by core, CLI and GUI tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from lenet_desktop.core.checkpoint import load_checkpoint  # noqa: E402
from lenet_desktop.core.data import MNIST_FILES  # noqa: E402
from lenet_desktop.core.paths import DATA_DIR_VARIABLE, USER_DIR_VARIABLE, shipped_weights_path  # noqa: E402

# Read once at import, before the autouse fixture below can hide the developer's variables.
_MNIST_ROOT = os.environ.get(DATA_DIR_VARIABLE)


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path_factory, monkeypatch):
    """Keep the developer's corrections, settings and models out of every test."""
    user_dir = tmp_path_factory.mktemp("user")
    monkeypatch.setenv(USER_DIR_VARIABLE, str(user_dir))
    return user_dir


@pytest.fixture(scope="session")
def mnist_root() -> Path:
    """MNIST's root folder from $LENET_DATA_DIR; tests are skipped without it unless CI demands it."""
    root = Path(_MNIST_ROOT).resolve() if _MNIST_ROOT else None  # tests may link to it from elsewhere
    if root is None or not all(
        (root / "MNIST" / "raw" / name).is_file() for pair in MNIST_FILES.values() for name in pair
    ):
        message = f"MNIST not found: set {DATA_DIR_VARIABLE} to a folder holding MNIST/raw/"
        if os.environ.get("LENET_REQUIRE_MNIST") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return root


@pytest.fixture(scope="session")
def handwriting_sets(mnist_root) -> Path:
    """The folder holding unipen-dev and letters-dev, beside MNIST; skipped without
    them unless CI demands them, as MNIST is."""
    from lenet_desktop.core.handwriting import DIGITS_SET, LETTERS_SET

    if not all((mnist_root / name / "labels.csv").is_file() for name in (DIGITS_SET, LETTERS_SET)):
        message = f"{DIGITS_SET} and {LETTERS_SET} not found in {mnist_root}"
        if os.environ.get("LENET_REQUIRE_MNIST") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return mnist_root


@pytest.fixture(scope="session")
def mnist_test(mnist_root):
    from lenet_desktop.core.data import load_mnist

    return load_mnist(mnist_root, "test", download=False)


@pytest.fixture(scope="session")
def mnist_train(mnist_root):
    from lenet_desktop.core.data import load_mnist

    return load_mnist(mnist_root, "train", download=False)


@pytest.fixture
def shipped_classifier():
    """The shipped weights, loaded afresh so a test may change them."""
    return load_checkpoint(shipped_weights_path())
