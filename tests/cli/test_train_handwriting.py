"""`lenet-desktop train` with the handwriting recipe's options, as real processes."""

from __future__ import annotations

import pytest
from cli_process import run_cli

from lenet_desktop.core.checkpoint import load_checkpoint


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
def test_a_bad_recipe_is_refused_in_one_line_before_any_work(tmp_path, without_mnist, options, reason):
    out = tmp_path / "never.pt"
    result = run_cli("train", *options, *without_mnist, "--out", out)
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert len(result.stderr.splitlines()) == 1 and reason in result.stderr, result.stderr
    assert not out.exists()


@pytest.mark.slow
def test_the_recipe_trains_and_its_weights_carry_a_measured_not_a_digit_threshold(mnist_root, tmp_path):
    out = tmp_path / "handwriting.pt"
    result = run_cli(
        "train",
        "--data",
        "mnist",
        "--data-dir",
        mnist_root,
        "--max-batches",
        "3",
        "--seed",
        "4",
        "--styles",
        "slashed_zero=0.3,flagged_one=0.3,crossed_seven=0.2,aspect=1.3,elastic=0.5",
        "--outliers",
        "count=300",
        "--not-a-digit",
        "energy",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    metadata = load_checkpoint(out).metadata
    assert metadata["not_a_digit_score"] == "energy" and isinstance(metadata["not_a_digit_below"], float)
    config = metadata["training"]["config"]
    assert config["styles"]["flagged_one"] == 0.3 and config["outliers"]["count"] == 300
    assert "--styles" in metadata["training"]["command"]


def test_each_sweep_recipes_command_asks_the_cli_for_that_recipe():
    """bench/sweep_handwriting.py reports a `lenet-desktop train` command per recipe: it must parse
    back to the same recipe, or the shipped weights could not be reproduced from the sweep."""
    import importlib.util
    import shlex
    from pathlib import Path

    from lenet_desktop.cli import build_parser

    path = Path(__file__).resolve().parents[2] / "bench" / "sweep_handwriting.py"
    spec = importlib.util.spec_from_file_location("sweep_handwriting", path)
    sweep = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sweep)
    for name, config in sweep.RECIPES.items():
        args = build_parser().parse_args(shlex.split(sweep.train_command(config))[1:])
        parsed = (args.optimizer, {"lr": args.lr}, args.schedule, args.epochs, args.batch_size, args.augment, args.seed)
        assert parsed == (
            config.optimizer,
            config.hyperparameters,
            config.schedule,
            config.epochs,
            config.batch_size,
            config.augment,
            config.seed,
        ), name
        assert (args.styles, args.outliers, args.not_a_digit) == (
            config.styles,
            config.outliers,
            config.not_a_digit_score,
        ), name
        if config.not_a_digit_score is not None:
            assert args.not_a_digit_share == config.not_a_digit_share, name
        assert args.average_from == config.average_from, name
