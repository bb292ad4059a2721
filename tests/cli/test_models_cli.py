"""The active model on the command line: `models list` and `models use`, and every reading command
using the active model unless --weights says otherwise, saying which one it used."""

from __future__ import annotations

import json

import pytest
from cli_process import run_cli
from digit_strokes import DIGITS, render_strokes
from kept_models import keep_leaning_model
from PIL import Image

from lenet_desktop.core.active_model import record_path, remember_model, remembered_model


@pytest.fixture
def seven(tmp_path):
    path = tmp_path / "seven.png"
    Image.fromarray(render_strokes(DIGITS[7][0])).save(path)
    return path


def _model_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("lenet-desktop: model ")]


def test_models_use_makes_predict_and_evaluate_use_it_and_weights_shipped_overrides(seven, tmp_path):
    """predict and evaluate used the shipped weights whatever the window had made active."""
    kept = keep_leaning_model()
    listed = run_cli("models", "list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0].startswith("* shipped")
    assert listed.stdout.splitlines()[1].startswith("        1  threes")
    used = run_cli("models", "use", "1")
    assert used.returncode == 0 and used.stdout == f"the active model is now 'threes', {kept.path}\n", used.stderr
    assert remembered_model() == kept.path.resolve()
    assert run_cli("models", "list").stdout.splitlines()[1].startswith("*       1  threes")

    read = run_cli("predict", "--json", seven)
    assert json.loads(read.stdout)["digit"] == 3, "read by the active model, which reads everything as 3"
    assert _model_lines(read.stderr) == [f"lenet-desktop: model 'threes', {kept.path.resolve()} (the active model)"]
    shipped = run_cli("predict", "--json", "--weights", "shipped", seven)
    assert json.loads(shipped.stdout)["digit"] == 7
    assert _model_lines(shipped.stderr) == [
        "lenet-desktop: model 'lenet-mnist-shipped', the shipped weights (--weights)"
    ]

    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "seven.png").write_bytes(seven.read_bytes())
    (folder / "labels.csv").write_text("file,label\nseven.png,7\n", encoding="utf-8")
    evaluated = run_cli("evaluate", "--images", folder, "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    figures = json.loads(evaluated.stdout)
    assert figures["model"] == "threes" and figures["weights"] == str(kept.path.resolve())
    assert figures["accuracy"] == 0.0 and len(_model_lines(evaluated.stderr)) == 1

    assert run_cli("models", "use", "shipped").returncode == 0 and remembered_model() is None
    assert json.loads(run_cli("predict", "--json", seven).stdout)["digit"] == 7


def test_models_use_takes_a_name_or_file_name_and_refuses_an_unknown_one_in_a_line():
    kept = keep_leaning_model()
    assert run_cli("models", "use", "threes").returncode == 0 and remembered_model() == kept.path.resolve()
    remember_model(None)
    assert run_cli("models", "use", kept.path.name).returncode == 0 and remembered_model() == kept.path.resolve()
    unknown = run_cli("models", "use", "nope")
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert (
        unknown.stderr
        == "lenet-desktop: error: no kept model is called 'nope'; `models list` shows them, or use shipped\n"
    )
    assert remembered_model() == kept.path.resolve(), "unchanged"
    bare = run_cli("models", "use")
    assert bare.returncode == 2 and len(bare.stderr.splitlines()) == 1


@pytest.mark.parametrize("damage", ["deleted", "cut short", "record garbled"])
def test_a_remembered_model_that_is_gone_or_bad_gives_the_shipped_weights_with_one_warning(seven, damage):
    kept = keep_leaning_model()
    remember_model(kept.path)
    if damage == "deleted":
        kept.path.unlink()
    elif damage == "cut short":
        kept.path.write_bytes(kept.path.read_bytes()[:1000])
    else:
        record_path().write_text("{not json", encoding="utf-8")
    read = run_cli("predict", "--json", seven)
    assert read.returncode == 0 and json.loads(read.stdout)["digit"] == 7
    warnings = [line for line in read.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and warnings[0].startswith("lenet-desktop: warning: the active model could not be loaded")
    assert warnings[0].endswith("; using the shipped weights")
    assert _model_lines(read.stderr) == [
        "lenet-desktop: model 'lenet-mnist-shipped', the shipped weights (instead of the active model)"
    ]
    listed = run_cli("models", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("* shipped") and len(listed.stderr.splitlines()) == 1
