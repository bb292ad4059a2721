"""`--weights` and `--device` mean the same before and after every subcommand.

The subparsers' own defaults used to overwrite what was given before the subcommand, so
`lenet-desktop --weights mine.pt predict x.png` silently used the shipped weights.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch
from digit_strokes import DIGITS, render_strokes
from PIL import Image

from lenet_desktop.cli import main
from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint
from lenet_desktop.core.paths import shipped_weights_path

SUBCOMMANDS = {
    "predict": lambda paths: ["predict", "--json", paths["drawing"]],
    "evaluate": lambda paths: ["evaluate", "--json", "--no-download"],
    "train": lambda paths: [
        "train",
        "--data",
        "corrections",
        "--max-batches",
        "1",
        "--no-download",
        "--out",
        paths["out"],
    ],
    "corrections": lambda paths: ["corrections", "list"],
}


@pytest.fixture
def paths(tmp_path, mnist_root, monkeypatch, corrections):
    monkeypatch.setenv("LENET_DATA_DIR", str(mnist_root))
    drawing = tmp_path / "seven.png"
    Image.fromarray(render_strokes(DIGITS[7][0])).save(drawing)
    # A model that answers 3 whatever it sees, so its use shows in every answer.
    always_three = load_checkpoint(shipped_weights_path())
    with torch.no_grad():
        always_three.net.fc3.weight.zero_()
        always_three.net.fc3.bias.copy_(torch.nn.functional.one_hot(torch.tensor(3), 10).float() * 20)
    always_three.metadata["name"] = "always-three"
    weights = tmp_path / "always_three.pt"
    save_checkpoint(weights, always_three)
    return {"drawing": drawing, "weights": weights, "out": tmp_path / "trained.pt"}


def _placed(where: str, options: list, command: list) -> list:
    return [*options, *command] if where == "before" else [command[0], *options, *command[1:]]


def _used_the_given_weights(command: str, paths, captured) -> bool:
    if command == "predict":
        return json.loads(captured.out)["digit"] == 3
    if command == "evaluate":
        return json.loads(captured.out)["per_class_accuracy"][3] == 1.0
    if command == "train":
        return load_checkpoint(paths["out"]).metadata["parent"] == "always-three"
    return True  # corrections list has no use for weights: only the check below applies


@pytest.mark.slow
@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_weights_and_device_are_honoured_before_and_after_every_subcommand(paths, command, where, capsys):
    args = _placed(where, ["--weights", paths["weights"], "--device", "cpu"], SUBCOMMANDS[command](paths))
    assert main([str(a) for a in args]) == 0, capsys.readouterr().err
    assert _used_the_given_weights(command, paths, capsys.readouterr())


@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", SUBCOMMANDS)
@pytest.mark.parametrize(
    "option, reason",
    [
        (["--weights", "/nonexistent/mine.pt"], "--weights /nonexistent/mine.pt: no such file"),
        (["--weights", "/tmp"], "--weights /tmp: is a folder"),
        (["--device", "abacus"], "unknown device 'abacus'"),
    ],
    ids=["missing-weights", "folder-as-weights", "unknown-device"],
)
def test_a_bad_global_option_is_one_line_in_either_place(paths, command, where, option, reason, capsys):
    args = _placed(where, option, SUBCOMMANDS[command](paths))
    assert main([str(a) for a in args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"lenet-desktop: error: {reason}" + captured.err.split(reason, 1)[1]
    assert captured.err.count("\n") == 1
    assert not paths["out"].exists()


def test_a_pipe_as_weights_is_named_as_what_it_is(tmp_path, capsys):
    """`--weights /dev/stdin` said "no such file" of a file that is there."""
    pipe = tmp_path / "weights.pt"
    os.mkfifo(pipe)
    assert main(["predict", "--weights", str(pipe), str(tmp_path / "x.png")]) == 2
    assert (
        capsys.readouterr().err
        == f"lenet-desktop: error: --weights {pipe}: not a regular file (a pipe, a device or a socket)\n"
    )


def test_weights_before_the_subcommand_are_used_by_the_real_command(paths):
    """The case as a user types it."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "lenet_desktop",
            "--weights",
            str(paths["weights"]),
            "predict",
            "--json",
            str(paths["drawing"]),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["digit"] == 3  # the shipped weights say 7
