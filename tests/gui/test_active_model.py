"""The window and the CLI share the active model: the one made active in the Models tab is the one
`predict` reads with, and the one `models use` sets is the one the window starts with; both then
read the same image alike."""

from __future__ import annotations

import json

import numpy as np
import pytest
from cli_process import run_cli
from digit_strokes import DIGITS, render_strokes
from kept_models import keep_leaning_model
from labelled_folders import LETTERS
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from window_helpers import image_used, wait_for_prediction

from lenet_desktop.core.active_model import remembered_model
from lenet_desktop.gui.main_window import MODEL_PATH
from lenet_desktop.gui.startup.app import load_startup_model


@pytest.fixture
def images(tmp_path) -> list:
    """A 7, the number 27 and a drawn H."""
    drawn = {
        "seven": render_strokes(DIGITS[7][0]),
        "number_27": np.hstack([render_strokes(DIGITS[2][0]), render_strokes(DIGITS[7][0])]),
        "letter_H": render_strokes(LETTERS["H"]),
    }
    paths = []
    for name, pixels in drawn.items():
        paths.append(tmp_path / f"{name}.png")
        Image.fromarray(pixels).save(paths[-1])
    return paths


def _window_reading(qtbot, window, path) -> dict:
    assert image_used(qtbot, window, lambda: window.open_image(path))
    wait_for_prediction(qtbot, window)
    reading = window.state.reading
    return {
        "number": reading.number,
        "digits": [None if p.not_a_digit else p.digit for p in reading.digits],
        "not_a_digit": [p.not_a_digit for p in reading.digits],
        "confidence": round(reading.confidence, 4) if reading.digits else None,
    }


def _cli_reading(path) -> dict:
    result = run_cli("predict", "--json", path)
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    return {
        "number": read["number"],
        "digits": [d["digit"] for d in read["digits"]],
        "not_a_digit": [d["not_a_digit"] for d in read["digits"]],
        "confidence": None if read["confidence"] is None else round(read["confidence"], 4),
    }


def test_the_model_made_active_in_the_models_tab_is_the_one_predict_reads_with(qtbot, make_main_window, images):
    """After Keep or Make active, the window read with the kept model and `predict` with the shipped weights."""
    kept = keep_leaning_model()
    window = make_main_window()
    panel = window.history_panel
    window.tabs.setCurrentWidget(panel)
    (row,) = (
        r for r in range(panel.list.count()) if panel.list.item(r).data(Qt.ItemDataRole.UserRole) == str(kept.path)
    )
    panel.list.item(row).setSelected(True)
    with qtbot.waitSignal(window.state.modelChanged):
        qtbot.mouseClick(panel.activate_button, Qt.MouseButton.LeftButton)
    assert window.state.classifier.name == "threes" and remembered_model() == kept.path.resolve()
    for path in images:
        shown = _window_reading(qtbot, window, path)
        assert shown == _cli_reading(path), path.name
        assert "3" in (shown["number"] or ""), f"{path.name}: read by the kept model, which leans to 3"


def test_the_model_models_use_sets_is_the_one_the_window_starts_with(qtbot, make_main_window, settings_path, images):
    kept = keep_leaning_model()
    assert run_cli("models", "use", "threes").returncode == 0
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    startup = load_startup_model(None, None, settings)
    assert startup.path == kept.path.resolve() and startup.warnings == []
    window = make_main_window(startup.classifier, settings, startup.path)
    assert window.state.classifier.name == "threes"
    assert _window_reading(qtbot, window, images[0]) == _cli_reading(images[0])


def test_the_active_model_an_older_version_kept_in_the_settings_is_taken_over_once(settings_path):
    kept = keep_leaning_model()
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    settings.setValue(MODEL_PATH, str(kept.path))
    startup = load_startup_model(None, None, settings)
    assert startup.path == kept.path and startup.classifier.name == "threes"
    assert settings.value(MODEL_PATH) is None and remembered_model() == kept.path.resolve()
    assert run_cli("models", "list").stdout.splitlines()[1].startswith("*       1  threes"), "the CLI sees it too"
