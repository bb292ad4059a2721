"""Model > Evaluate on MNIST test… when MNIST is not all there: it reads and fetches the test set only."""

from __future__ import annotations

import shutil

import pytest

from lenet_desktop.core import data
from lenet_desktop.core.data import MNIST_FILES

RUN_TIMEOUT = 180_000  # ms; the machine may be busy


@pytest.mark.mnist
def test_evaluate_on_mnist_test_needs_only_the_test_files(qtbot, make_main_window, mnist_root, tmp_path, monkeypatch):
    """With only the two test files it fetched the training set first (60,000 digits it does not use)."""
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in MNIST_FILES["test"]:
        shutil.copy(mnist_root / "MNIST" / "raw" / name, raw / name)
    monkeypatch.setenv("LENET_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(data, "MNIST_MIRRORS", ("http://127.0.0.1:9/",))  # nothing may be fetched
    window = make_main_window()
    evaluation = window.evaluation
    with qtbot.waitSignal(evaluation.finished, timeout=RUN_TIMEOUT) as finished:
        window.evaluation.mnist_action.trigger()
    assert len(finished.args[0].probabilities) == 10_000
    assert sorted(path.name for path in raw.iterdir()) == sorted(MNIST_FILES["test"])


def test_evaluate_on_mnist_test_without_mnist_or_a_network_says_so_in_one_line(
    qtbot, make_main_window, tmp_path, monkeypatch
):
    monkeypatch.setenv("LENET_DATA_DIR", str(tmp_path / "nothing"))
    monkeypatch.setattr(data, "MNIST_MIRRORS", ("http://127.0.0.1:9/",))  # no network: refused at once
    window = make_main_window()
    evaluation = window.evaluation
    with qtbot.waitSignal(evaluation.failed, timeout=RUN_TIMEOUT) as failed:
        window.evaluation.mnist_action.trigger()
    (message,) = failed.args
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith(f"{' and '.join(MNIST_FILES['test'])} not in {tmp_path / 'nothing' / 'MNIST' / 'raw'}")
    assert "could not be downloaded" in message and "train" not in message
    assert evaluation.status.text() == message
