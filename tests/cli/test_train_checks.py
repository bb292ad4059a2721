"""`lenet-desktop train` refuses what it cannot do before any work, and starts where it is told,
and says when a run diverged."""

from __future__ import annotations

import pytest
from cli_process import run_cli

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path


def _one_line_refusal(result, reason: str) -> None:
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("lenet-desktop: error: ") and reason in result.stderr, result.stderr


@pytest.mark.parametrize(
    "options, reason",
    [
        (("--replay", "-5"), "--replay: must be a whole number of at least 0, not -5"),
        (("--momentum", "nan"), "--momentum: must be a finite number, not nan"),
        (("--lr", "inf"), "--lr: must be a finite number, not inf"),
        (("--weight-decay", "nan"), "--weight-decay: must be a finite number, not nan"),
        (("--betas", "0.9", "nan"), "--betas: must be a finite number, not nan"),
        (("--seed", "18446744073709551616"), "--seed: must be a whole number from 0 to 18446744073709551615"),
        (("--seed", "-1"), "--seed: must be a whole number from 0"),
        (("--epochs", "0"), "--epochs: must be a whole number of at least 1, not 0"),
        (("--batch-size", "-3"), "--batch-size: must be a whole number of at least 1"),
        (("--max-batches", "1.5"), "--max-batches: must be a whole number of at least 1, not 1.5"),
        (("--corrections-share", "1"), "--corrections-share: must be a number between 0 and 1, not 1"),
        (("--corrections-share", "nan"), "--corrections-share: must be a finite number, not nan"),
        (("--init", "fresh", "--weights", shipped_weights_path()), "--init fresh and --weights"),
    ],
)
def test_out_of_range_numbers_are_refused_in_one_line_before_any_work(tmp_path, without_mnist, options, reason):
    out = tmp_path / "never.pt"
    result = run_cli("train", "--data", "mix", *options, *without_mnist, "--out", out)
    _one_line_refusal(result, reason)
    assert not out.exists()


@pytest.mark.parametrize("data", ["mnist", "corrections"])
@pytest.mark.parametrize(
    "options, named",
    [
        (("--replay", "5000"), "--replay"),
        (("--corrections-share", "0.5", "--replay", "0"), "--replay, --corrections-share"),
    ],
)
def test_the_settings_of_a_mix_are_refused_without_one_instead_of_ignored(
    tmp_path, without_mnist, data, options, named
):
    """`--data corrections --replay 5000` trained on the corrections alone ("+ 0 MNIST replay"), saying nothing."""
    out = tmp_path / "never.pt"
    result = run_cli("train", "--data", data, *options, *without_mnist, "--out", out)
    _one_line_refusal(result, f"{named} only apply to --data mix; --data {data} would ignore them")
    assert not out.exists()


@pytest.mark.parametrize(
    "options, named",
    [
        (("--optimizer", "sgd"), "--optimizer"),
        (("--momentum", "0.5", "--batch-size", "32"), "--batch-size, --momentum"),
        (("--no-augment",), "--augment"),
        (("--schedule", "onecycle", "--weight-decay", "0.001"), "--schedule, --weight-decay"),
    ],
)
def test_a_mix_refuses_the_settings_its_recipe_chooses_instead_of_ignoring_them(
    tmp_path, without_mnist, options, named
):
    out = tmp_path / "never.pt"
    result = run_cli("train", "--data", "mix", *options, *without_mnist, "--out", out)
    _one_line_refusal(result, f"--data mix personalises by its measured recipe, which sets {named} itself")
    assert not out.exists()


@pytest.mark.parametrize(
    "out, reason",
    [
        ("", "--out: needs a file name"),
        ("{tmp}", "--out: '{tmp}' cannot be written: it is a folder"),
        ("/proc/x.pt", "--out: '/proc/x.pt' cannot be written"),
        ("{tmp}/file.txt/x.pt", "cannot be written"),
    ],
    ids=["empty", "folder", "proc", "under-a-file"],
)
def test_an_unwritable_out_is_refused_before_training_naming_the_users_path(tmp_path, without_mnist, out, reason):
    (tmp_path / "file.txt").write_text("not a folder")
    result = run_cli("train", *without_mnist, "--out", out.format(tmp=tmp_path))
    _one_line_refusal(result, reason.format(tmp=tmp_path))
    assert ".part" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


@pytest.mark.parametrize("how", ["its path", "a link to it"])
def test_out_onto_the_shipped_weights_is_refused_before_training(tmp_path, without_mnist, how):
    """On a writable install (pip install -e) `train --out` replaced them, and "Back to the shipped
    weights" had nothing to go back to."""
    shipped = shipped_weights_path()
    before = shipped.read_bytes()
    out = shipped
    if how == "a link to it":
        out = tmp_path / "weights.pt"
        out.symlink_to(shipped)
    result = run_cli("train", *without_mnist, "--out", out)
    _one_line_refusal(result, f"--out: {out}: these are the shipped weights, never overwritten: choose another file")
    assert shipped.read_bytes() == before


def test_training_on_mnist_with_weights_starts_from_those_weights(mnist_root, tmp_path):
    out = tmp_path / "tuned.pt"
    result = run_cli(
        "train",
        "--data",
        "mnist",
        "--weights",
        shipped_weights_path(),
        "--data-dir",
        mnist_root,
        "--lr",
        "1e-5",
        "--max-batches",
        "1",
        "--no-augment",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    tuned = load_checkpoint(out)
    assert tuned.metadata["parent"] == load_checkpoint(shipped_weights_path()).name
    assert tuned.metadata["mnist_test_accuracy"] > 0.95  # one tiny step from the shipped model, not fresh weights


def test_a_diverged_run_says_nothing_was_saved_and_claims_nothing_kept(corrections, mnist_root, tmp_path):
    out = tmp_path / "diverged.pt"
    result = run_cli(
        "train",
        "--data",
        "corrections",
        "--optimizer",
        "sgd",
        "--lr",
        "1e6",  # the largest rate allowed
        "--data-dir",
        mnist_root,
        "--max-batches",
        "5",
        "--out",
        out,
    )
    assert result.returncode == 1, result.stderr
    assert "stopped: the weights grew past ±1000 in epoch 1, batch 1" in result.stderr
    assert "kept" not in result.stderr
    assert f"nothing saved, {out} was not written" in result.stderr
    assert not out.exists()
