"""`lenet-desktop train` with the handwriting recipe's options (issue 12), as real processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from lenet_desktop.core.checkpoint import load_checkpoint


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "lenet_desktop", *map(str, args)], capture_output=True, text=True, env=dict(os.environ), timeout=600,
    )


@pytest.mark.parametrize(
    "options, reason",
    [
        (("--styles", "slashed_zero=0.3,bogus=1"), "--styles: unknown key 'bogus': use slashed_zero, flagged_one"),
        (("--styles", "elastic=nan"), "--styles: must be a finite number, not nan"),
        (("--styles", "aspect=0.5"), "--styles: aspect must be at least 1"),
        (("--outliers", "count=1.5"), "--outliers: must be a whole number of at least 0, not 1.5"),
        (("--outliers", "weight=-1"), "--outliers: weight must not be negative, not -1"),
        (("--outliers", "letters=0,scribbles=0,fragments=0,pairs=0"), "--outliers: outlier exposure needs"),
        (("--not-a-digit", "entropy"), "--not-a-digit: invalid choice: 'entropy'"),
    ],
)
def test_a_bad_recipe_is_refused_in_one_line_before_any_work(tmp_path, options, reason):
    out = tmp_path / "never.pt"
    result = run_cli("train", *options, "--data-dir", tmp_path / "no-mnist", "--no-download", "--out", out)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert len(result.stderr.splitlines()) == 1 and reason in result.stderr, result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_the_recipe_trains_and_its_weights_carry_a_measured_not_a_digit_threshold(mnist_root, tmp_path):
    out = tmp_path / "handwriting.pt"
    result = run_cli(
        "train", "--data", "mnist", "--data-dir", mnist_root, "--max-batches", "3", "--seed", "4",
        "--styles", "slashed_zero=0.3,flagged_one=0.3,crossed_seven=0.2,aspect=1.3,elastic=0.5",
        "--outliers", "count=300", "--not-a-digit", "energy", "--out", out,
    )
    assert result.returncode == 0, result.stderr
    metadata = load_checkpoint(out).metadata
    assert metadata["not_a_digit_score"] == "energy" and isinstance(metadata["not_a_digit_below"], float)
    config = metadata["training"]["config"]
    assert config["styles"]["flagged_one"] == 0.3 and config["outliers"]["count"] == 300
    assert "--styles" in metadata["training"]["command"]
