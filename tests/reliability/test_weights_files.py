"""Weights files from outside: nothing in them runs, and every unusable one is refused in one line,
by the core reader and by the command line (the window has its own tests in test_gui_faults.py)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch
from bad_files import (
    BAD_WEIGHT_KINDS,
    digit_picture,
    malicious_legacy_pickle,
    malicious_zip_checkpoint,
    write_bad_weights,
)
from PIL import Image

from lenet_desktop.cli import main
from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint


def _unpickle(path):
    with open(path, "rb") as file:
        return pickle.load(file)


@pytest.mark.parametrize(
    "write, unsafe_load",
    [
        (malicious_zip_checkpoint, lambda path: torch.load(path, weights_only=False)),
        (malicious_legacy_pickle, _unpickle),
    ],
    ids=["zip", "legacy-pickle"],
)
def test_a_weights_file_that_would_run_code_is_refused_and_the_code_never_runs(tmp_path, write, unsafe_load):
    marker = tmp_path / "code-ran"
    path = tmp_path / "evil.pt"
    write(path, marker)
    with pytest.raises(CheckpointError, match="refused, it holds Python objects other than weights") as error:
        load_checkpoint(path)
    assert "\n" not in str(error.value)
    assert not marker.exists()
    # The file really is dangerous: an ordinary unpickling runs its code.
    unsafe_load(path)
    assert marker.read_text() == "code ran"


@pytest.mark.parametrize("kind", BAD_WEIGHT_KINDS)
def test_every_bad_weights_file_is_refused_with_its_reason_in_one_line(tmp_path, kind):
    path, reason = write_bad_weights(kind, tmp_path)
    with pytest.raises(CheckpointError) as error:
        load_checkpoint(path)
    message = str(error.value)
    assert reason in message and path.name in message
    assert "\n" not in message and len(message) < 200, message


@pytest.fixture
def drawing(tmp_path):
    path = tmp_path / "one.png"
    Image.fromarray(digit_picture()).save(path)
    return path


@pytest.mark.parametrize("kind", ["text", "cut-short-10%", "other-architecture-same-names", "nan"])
def test_the_cli_refuses_bad_weights_in_one_line_and_predicts_nothing(tmp_path, drawing, capsys, kind):
    path, reason = write_bad_weights(kind, tmp_path)
    assert main(["predict", "--weights", str(path), str(drawing)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and reason in captured.err


def test_the_cli_never_runs_code_from_weights(tmp_path, drawing):
    """As a user runs it: a real process, a malicious file given with --weights."""
    marker = tmp_path / "code-ran"
    evil = tmp_path / "evil.pt"
    malicious_zip_checkpoint(evil, marker)
    result = subprocess.run(
        [sys.executable, "-m", "lenet_desktop", "predict", "--weights", str(evil), str(drawing)],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ.copy(),
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "refused" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not marker.exists()


def test_a_pickled_classifier_object_is_refused_not_trusted(tmp_path, shipped_classifier):
    """torch.save(model) (the whole object, not its state_dict) is how tutorials often save; it
    needs full unpickling, so it is refused rather than loaded unsafely."""
    path = tmp_path / "whole_model.pt"
    torch.save(shipped_classifier.net, path)
    with pytest.raises(CheckpointError, match="refused"):
        load_checkpoint(path)


def test_the_shipped_weights_still_load_and_recognise(shipped_classifier):
    from lenet_desktop.core.predict import recognise

    prediction = recognise(shipped_classifier, digit_picture())
    assert prediction is not None and prediction.digit == 1
    assert np.isfinite(prediction.probabilities).all()


def test_a_disk_that_fills_up_mid_save_is_an_oserror_and_the_old_weights_stay(tmp_path, shipped_classifier):
    """The checkpoint (about 250 kB) does not fit the 128 kB left; callers handle OSError."""
    from filesystems import small_disk

    from lenet_desktop.core.checkpoint import save_checkpoint

    with small_disk(tmp_path / "disk", size="128k") as disk:
        (disk / "model.pt").write_bytes(b"old")
        with pytest.raises(OSError):
            save_checkpoint(disk / "model.pt", shipped_classifier)
        assert (disk / "model.pt").read_bytes() == b"old"
        assert [p.name for p in disk.iterdir()] == ["model.pt"]


@pytest.mark.parametrize(
    "key, value",
    [("mnist_test_accuracy", "n/a"), ("unsure_below", 7), ("unsure_below", True), ("name", ["a list"])],
)
def test_damaged_metadata_is_refused_in_one_line(tmp_path, shipped_classifier, key, value):
    from lenet_desktop.core.checkpoint import save_checkpoint

    shipped_classifier.metadata[key] = value
    path = tmp_path / "odd.pt"
    save_checkpoint(path, shipped_classifier)
    with pytest.raises(CheckpointError, match=f"metadata is damaged \\('{key}'"):
        load_checkpoint(path)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_saved_weights_are_readable_like_any_file_the_user_saves(tmp_path, umask):
    """The mode follows the umask as for any new file; under 022 that tells it from a temporary file's 0600.

    The app reads its umask once at start, so each umask gets a process of its own."""
    import stat
    import subprocess
    import sys

    save = (
        "import sys; from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint; "
        "from lenet_desktop.core.paths import shipped_weights_path; "
        "save_checkpoint(sys.argv[1], load_checkpoint(shipped_weights_path()))"
    )
    subprocess.run(
        [sys.executable, "-c", save, str(tmp_path / "shared.pt")],
        check=True,
        timeout=120,
        preexec_fn=lambda: os.umask(umask),
    )
    assert stat.S_IMODE((tmp_path / "shared.pt").stat().st_mode) == 0o666 & ~umask
