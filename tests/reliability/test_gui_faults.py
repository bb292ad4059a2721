"""Faults met in the window: bad weights, bad images, a read-only or full user folder, a CUDA
device that is not there, a bad MNIST, and a process killed while training. Each time the user
sees one clear message, and the drawing, the prediction and everything saved stay."""

from __future__ import annotations

import sqlite3
import textwrap

import numpy as np
import pytest
import torch
from bad_files import (
    digit_picture,
    kill_when_it_says,
    malicious_zip_checkpoint,
    png_with_header,
    save_image,
    write_bad_weights,
    write_tiny_mnist,
)
from digit_strokes import DIGITS, render_strokes
from filesystems import fill, read_only, small_disk
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox
from window_helpers import draw, image_used, wait_for_prediction

from lenet_desktop.core.active_model import remembered_model
from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.history import HISTORY_FOLDER, ModelHistory
from lenet_desktop.core.paths import USER_DIR_VARIABLE, shipped_weights_path
from lenet_desktop.core.store import CorrectionStore, default_store_path
from lenet_desktop.gui.main_window import DEVICE, MODEL_PATH
from lenet_desktop.gui.panels.correction_bar import CorrectionBar
from lenet_desktop.gui.startup.app import load_startup_model


def error_text(window) -> str:
    box = window.error_box
    assert box is not None and box.isVisible(), "a message box is shown"
    assert box.icon() == QMessageBox.Icon.Warning
    text = box.text()
    assert "\n" not in text and "Traceback" not in text
    box.close()
    window.error_box = None
    return text


def still_draws_and_predicts(qtbot, window, digit: int = 7) -> None:
    window.canvas.clear()
    draw(qtbot, window, DIGITS[digit][0])
    assert window.state.prediction is not None and window.state.prediction.digit == digit


# --- weights ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["empty", "text", "cut-short-10%", "other-architecture-same-names", "nan"])
def test_bad_weights_show_a_message_and_the_current_model_stays(qtbot, make_main_window, tmp_path, kind):
    window = make_main_window()
    draw(qtbot, window, DIGITS[3][0])
    model, answer = window.state.classifier, window.state.prediction
    path, reason = write_bad_weights(kind, tmp_path)
    assert window.open_weights(path) is False
    assert reason in error_text(window)
    assert window.state.classifier is model and window.state.model_path is None
    assert remembered_model() is None
    assert window.state.prediction is answer, "the drawing's answer is untouched"
    still_draws_and_predicts(qtbot, window)


def test_weights_that_would_run_code_never_run_in_the_window(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    model = window.state.classifier
    marker = tmp_path / "code-ran"
    evil = tmp_path / "evil.pt"
    malicious_zip_checkpoint(evil, marker)
    assert window.open_weights(evil) is False
    assert "refused" in error_text(window)
    assert not marker.exists() and window.state.classifier is model


def test_a_remembered_model_that_went_bad_falls_back_to_the_shipped_weights(tmp_path, qapp):
    path, _ = write_bad_weights("cut-short-99%", tmp_path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(MODEL_PATH, str(path))
    startup = load_startup_model(None, None, settings)
    assert startup.path is None and startup.classifier.name == load_checkpoint(shipped_weights_path()).name
    assert len(startup.warnings) == 1 and "cut short" in startup.warnings[0]
    assert settings.value(MODEL_PATH) is None and remembered_model() is None, "forgotten, in both places"


# --- images ----------------------------------------------------------------------------------


def _bad_images(folder):
    text = folder / "text.png"
    text.write_text("hello")
    whole = save_image(folder / "whole.png", digit_picture(), "L").read_bytes()
    truncated = folder / "truncated.png"
    truncated.write_bytes(whole[: len(whole) // 2])
    gigantic = folder / "gigantic.png"
    png_with_header(gigantic, 20_000, 20_000)
    empty = folder / "empty.png"
    png_with_header(empty, 0, 0)
    return {
        "text": text,
        "truncated": truncated,
        "gigantic": gigantic,
        "empty": empty,
        "missing": folder / "missing.png",
    }


def test_a_bad_image_shows_a_message_and_the_drawing_is_not_lost(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    draw(qtbot, window, DIGITS[4][0])
    before, could_undo, answer = window.canvas.drawing(), window.canvas.can_undo, window.state.prediction
    for name, path in _bad_images(tmp_path).items():
        assert image_used(qtbot, window, lambda path=path: window.open_image(path)) is False, name
        assert path.name in error_text(window), name
        assert np.array_equal(window.canvas.drawing(), before), name
        assert window.canvas.can_undo == could_undo and not window.canvas.can_redo
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == answer.digit


@pytest.mark.parametrize("mode", ["P", "CMYK", "I;16", "LA"])
def test_odd_but_valid_images_open_and_are_recognised(qtbot, make_main_window, tmp_path, mode):
    window = make_main_window()
    picture = digit_picture(200)
    if mode == "LA":
        pixels = np.zeros((200, 200, 2), np.uint8)
        pixels[..., 1] = 255 - picture
        from PIL import Image

        path = tmp_path / "alpha.png"
        Image.fromarray(pixels, "LA").save(path)
    elif mode == "I;16":
        from PIL import Image

        path = tmp_path / "deep.png"
        Image.fromarray(picture.astype(np.uint16) * 257).save(path)
    else:
        path = save_image(tmp_path / f"odd.{'jpg' if mode == 'CMYK' else 'png'}", picture, mode)
    assert image_used(qtbot, window, lambda: window.open_image(path))
    wait_for_prediction(qtbot, window)
    assert window.state.prediction is not None and window.state.prediction.digit == 1
    window.canvas.undo()
    assert window.canvas.blank


def test_saving_weights_onto_the_shipped_weights_is_refused_and_they_stay(qtbot, make_main_window):
    """Save weights as... onto the shipped file replaced it on a writable install (pip install -e)."""
    window = make_main_window()
    shipped = shipped_weights_path()
    before = shipped.read_bytes()
    try:
        saved = window.save_weights(shipped)
        after = shipped.read_bytes()
    finally:
        if shipped.read_bytes() != before:  # the checkout keeps its weights even when the refusal fails
            shipped.write_bytes(before)
    assert saved is False and after == before
    assert error_text(window) == f"{shipped}: these are the shipped weights, never overwritten: choose another file"
    still_draws_and_predicts(qtbot, window)


# --- the user data folder ----------------------------------------------------------------------


def test_a_read_only_user_folder_says_so_and_drawing_and_prediction_work(
    qtbot, make_main_window, tmp_path, monkeypatch
):
    with read_only(tmp_path / "user") as user:
        monkeypatch.setenv(USER_DIR_VARIABLE, str(user))
        window = make_main_window()
        problems = [
            label.text() for label in window.findChildren(type(window.model_label)) if "cannot be saved" in label.text()
        ]
        assert len(problems) == 1 and "\n" not in problems[0]
        still_draws_and_predicts(qtbot, window, 2)
        assert window.save_weights(user / "mine.pt") is False
        assert "mine.pt" in error_text(window)
        assert window.save_drawing(user / "drawing.png") is False
        assert "drawing.png" in error_text(window)
        still_draws_and_predicts(qtbot, window, 5)


def test_a_full_disk_refuses_the_correction_with_a_reason_and_keeps_everything(
    qtbot, make_main_window, tmp_path, monkeypatch
):
    with small_disk(tmp_path / "user") as user:
        monkeypatch.setenv(USER_DIR_VARIABLE, str(user))
        window = make_main_window()
        bar = window.findChild(CorrectionBar)
        draw(qtbot, window, DIGITS[3][0])
        assert bar.capture(3) is not None
        fill(user)
        drawing = window.canvas.drawing()
        results = [bar.capture(8) for _ in range(30)]  # SQLite may still find room for a row or two
        assert results[-1] is None
        assert "Not saved" in bar.status.text() and "full" in bar.status.text()
        assert np.array_equal(window.canvas.drawing(), drawing), "the drawing is not lost"
        assert window.save_weights(user / "model.pt") is False
        assert "model.pt" in error_text(window)
        still_draws_and_predicts(qtbot, window, 9)
        (user / "filler").unlink()
        assert bar.capture(9) is not None, "with room again, saving works"
        saved = sum(r is not None for r in results) + 2
        window.close()
        with CorrectionStore(default_store_path(user)) as store:
            assert len(store) == saved and store.all()[0].label == 3


# --- devices -----------------------------------------------------------------------------------


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here: nothing to fall back from")
def test_cuda_asked_for_but_missing_is_a_message_and_the_cpu_keeps_working(qtbot, make_main_window):
    window = make_main_window()
    assert window.choose_device("cuda:0") is False
    assert "not available" in error_text(window)
    assert window.state.classifier.device.type == "cpu"
    still_draws_and_predicts(qtbot, window, 6)


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA is available here: nothing to fall back from")
def test_a_remembered_cuda_device_falls_back_to_the_cpu_with_a_warning(tmp_path, qapp):
    from lenet_desktop.gui.startup.app import StartupError

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(DEVICE, "cuda:0")
    startup = load_startup_model(None, None, settings)
    assert startup.classifier.device.type == "cpu"
    assert len(startup.warnings) == 1 and "CUDA is not available" in startup.warnings[0]
    with pytest.raises(StartupError, match="CUDA is not available"):
        load_startup_model(None, "cuda", settings)  # asked for on the command line: a clear refusal


# --- MNIST and training --------------------------------------------------------------------------


def test_a_damaged_mnist_stops_the_run_with_its_name_and_the_window_works(
    qtbot, make_main_window, tmp_path, monkeypatch
):
    root = write_tiny_mnist(tmp_path / "data")
    damaged = root / "MNIST" / "raw" / "t10k-labels-idx1-ubyte"
    damaged.write_text("404 Not Found\n")
    monkeypatch.setenv("LENET_DATA_DIR", str(root))
    window = make_main_window()
    panel = window.training_panel
    panel.data_box.setCurrentIndex(panel.data_box.findData("mnist"))
    model = window.state.classifier
    with qtbot.waitSignal(panel.runFailed, timeout=60_000) as failed:
        assert panel.start_training()
    assert str(damaged) in failed.args[0] and "\n" not in failed.args[0]
    assert str(damaged) in panel.status.text()
    assert window.state.classifier is model and not panel.running
    still_draws_and_predicts(qtbot, window, 0)


_TRAIN_THEN_WAIT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.services.state import AppState

    app = QApplication([])
    model = load_checkpoint(sys.argv[1])
    window = MainWindow(AppState(model, Path(sys.argv[1])), QSettings(sys.argv[2], QSettings.Format.IniFormat))
    panel = window.training_panel
    panel.data_box.setCurrentIndex(panel.data_box.findData("corrections"))
    panel.epochs_box.setValue(100)
    panel.batch_box.setValue(8)

    def on_progress(_message):
        print("training", flush=True)
        panel.runner.progress.disconnect(on_progress)

    assert panel.start_training(), panel.status.text()
    panel.runner.progress.connect(on_progress)
    app.exec()
    """
)


def test_killed_while_training_leaves_the_corrections_and_the_active_model(
    tmp_path, monkeypatch, make_main_window, qtbot
):
    user = tmp_path / "user"
    monkeypatch.setenv(USER_DIR_VARIABLE, str(user))
    monkeypatch.setenv("LENET_DATA_DIR", str(write_tiny_mnist(tmp_path / "data")))
    history = ModelHistory(user / HISTORY_FOLDER)
    mine = load_checkpoint(shipped_weights_path())
    mine.metadata["name"] = "my model"
    active = history.keep(mine)
    with CorrectionStore(default_store_path(user)) as store:
        for digit in range(10):
            store.add(render_strokes(DIGITS[digit][0], size=140, pen=10), digit)
        before = [(c.id, c.label, c.drawing_png) for c in store.all()]

    kill_when_it_says(["-c", _TRAIN_THEN_WAIT, str(active.path), str(tmp_path / "settings.ini")], "training")

    with sqlite3.connect(default_store_path(user)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with CorrectionStore(default_store_path(user)) as store:
        assert [(c.id, c.label, c.drawing_png) for c in store.all()] == before
    assert [e.name for e in ModelHistory(user / HISTORY_FOLDER).entries()] == ["my model"]
    startup = load_startup_model(None, None, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    assert startup.path == active.path and not startup.warnings
    for key, value in load_checkpoint(active.path).net.state_dict().items():  # on the CPU
        assert torch.equal(startup.classifier.net.state_dict()[key].cpu(), value)  # on the automatic device
    # And the app starts again on it, with the corrections there to train on.
    window = make_main_window(classifier=startup.classifier, model_path=startup.path)
    assert window.training_panel.store is not None and len(window.training_panel.store) == 10
    still_draws_and_predicts(qtbot, window, 4)
