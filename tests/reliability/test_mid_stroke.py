"""Replacing the drawing or switching the tool while the mouse is still pressed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from bad_files import digit_picture, save_image
from digit_strokes import DIGITS
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from window_helpers import draw, wait_for_prediction

from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.gui.devtools.replay import move, press_and_move, release
from lenet_desktop.gui.widgets.canvas import RENDER_SIZE, array_from_image, render_document

CHILD = Path(__file__).with_name("mid_stroke_child.py")


def test_replacing_the_drawing_mid_stroke_does_not_crash(tmp_path):
    image = save_image(tmp_path / "three.png", digit_picture(90), "L")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.run(
        [sys.executable, str(CHILD), str(tmp_path / "settings.ini"), str(image)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert "Cannot destroy paint device" not in child.stderr
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.split("\n")[:4] == ["survived Esc", "survived Ctrl+V", "survived open", "survived drop"]


def replayed(canvas) -> np.ndarray:
    return array_from_image(render_document(canvas.document, RENDER_SIZE, QImage.Format.Format_Grayscale8))


def test_the_eraser_chosen_mid_stroke_applies_from_the_next_stroke(qtbot, make_main_window):
    window = make_main_window()
    stroke = DIGITS[1][0][0]
    press_and_move(window.canvas, stroke[: len(stroke) // 2])
    qtbot.keyClick(window, Qt.Key.Key_E)
    for point in stroke[len(stroke) // 2 :]:
        move(window.canvas, point)
    release(window.canvas, stroke[-1])
    wait_for_prediction(qtbot, window)
    assert window.canvas.erasing, "the next stroke erases"
    assert not window.canvas.document.strokes[-1].erase, "the stroke drawn keeps its pen"
    assert window.state.prediction is not None and window.state.prediction.digit == 1
    shown = window.canvas.drawing()
    window.resize(window.width() - 120, window.height() - 60)
    qtbot.wait(20)
    assert np.array_equal(window.canvas.drawing(), shown) and np.array_equal(shown, replayed(window.canvas))


def test_the_pen_chosen_mid_erase_keeps_the_erased_path_erased(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[1][0])
    qtbot.keyClick(window, Qt.Key.Key_E)
    across = [(0.1, 0.5), (0.3, 0.5), (0.5, 0.5), (0.7, 0.5), (0.9, 0.5)]
    press_and_move(window.canvas, across[:3])
    qtbot.keyClick(window, Qt.Key.Key_P)
    for point in across[3:]:
        move(window.canvas, point)
    release(window.canvas, across[-1])
    wait_for_prediction(qtbot, window)
    erased = window.canvas.drawing()
    assert window.canvas.document.strokes[-1].erase and not window.canvas.erasing
    assert np.array_equal(erased, replayed(window.canvas))
    window.canvas.undo()
    window.canvas.redo()
    wait_for_prediction(qtbot, window)
    assert np.array_equal(window.canvas.drawing(), erased), "undo and redo bring back what was shown"
    assert np.array_equal(window.state.prediction.frame, preprocess(erased))
