"""Random sequences of canvas actions in the real window (draw, erase, undo, redo, clear, open a good
or a bad image, resize, undo in the middle of a stroke): nothing raises, and the picture, undo and
redo always match a plain model of the history kept beside it, whose pictures are drawn afresh on a
second canvas that never undoes, redoes or clears."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np
import pytest
from bad_files import digit_picture, save_image
from window_helpers import image_used, wait_for_prediction

from lenet_desktop.core.images import load_image
from lenet_desktop.gui.devtools.replay import canvas_point, press_and_move, release
from lenet_desktop.gui.widgets.canvas import DrawingCanvas
from lenet_desktop.gui.widgets.canvas_images import picture_from_image

WHITE = 255


@dataclass
class HistoryModel:
    """What the canvas should show, and what undo and redo should bring back.

    Each state is (actions, pristine, inkless): the strokes and opened picture that make the drawing
    since the last clear, pristine when nothing at all was done since then (so clearing again changes
    nothing), inkless when no ink was drawn (erasing alone is no ink).
    """

    current: tuple[tuple, bool, bool] = ((), True, True)
    undo: list = field(default_factory=list)
    redo: list = field(default_factory=list)

    def commit(self, actions: tuple, pristine: bool = False, inkless: bool = False) -> None:
        self.undo.append(self.current)
        self.redo.clear()
        self.current = (actions, pristine, inkless)

    def step_back(self) -> None:
        if self.undo:
            self.redo.append(self.current)
            self.current = self.undo.pop()

    def step_forward(self) -> None:
        if self.redo:
            self.undo.append(self.current)
            self.current = self.redo.pop()


def _random_stroke(rng: random.Random) -> list[tuple[float, float]]:
    points = [(rng.uniform(-0.1, 1.1), rng.uniform(-0.1, 1.1))]  # a pen may leave the paper
    for _ in range(rng.randint(0, 12)):
        x, y = points[-1]
        points.append((x + rng.uniform(-0.2, 0.2), y + rng.uniform(-0.2, 0.2)))
    return points


def _is_a_click_on_a_tag(canvas: DrawingCanvas, stroke: list) -> bool:
    """A press on a digit's tag that never moves chooses the digit and draws nothing; a stroke
    begun on a tag draws. The window's reading is settled first, so which tags are shown, and
    so the path each seed takes, does not depend on how fast the prediction came."""
    return len(stroke) == 1 and canvas.tag_at(canvas_point(canvas, stroke[0])) is not None


def _replay(canvas: DrawingCanvas, actions: tuple) -> np.ndarray:
    """The picture `actions` make when drawn once each, in order, on a blank canvas."""
    canvas.clear()
    for action in actions:
        if action[0] == "picture":
            canvas.set_picture(action[1])
        else:
            _, stroke, width, erase = action
            canvas.set_erasing(erase)
            canvas.set_brush_width(width)
            press_and_move(canvas, stroke)
            release(canvas, stroke[-1])
    return canvas.drawing()


def _run(qtbot, window, rng: random.Random, steps: int, images: dict) -> None:
    canvas = window.canvas
    replay = DrawingCanvas()
    qtbot.addWidget(replay)
    replay.resize(300, 300)
    model = HistoryModel()
    for step in range(steps):
        action = rng.choice(
            ["draw", "draw", "erase", "undo", "undo", "redo", "clear", "open", "open bad", "resize", "undo mid-stroke"]
        )
        if action in ("draw", "erase", "undo mid-stroke"):
            wait_for_prediction(qtbot, window)
        if action in ("draw", "erase"):
            width = rng.uniform(1, 60)  # beyond the range on purpose: it is clamped
            canvas.set_erasing(action == "erase")
            canvas.set_brush_width(width)
            stroke = _random_stroke(rng)
            click = _is_a_click_on_a_tag(canvas, stroke)
            press_and_move(canvas, stroke)
            release(canvas, stroke[-1])
            if not click:
                model.commit(
                    model.current[0] + (("stroke", stroke, width, action == "erase"),),
                    inkless=model.current[2] and action == "erase",
                )
            canvas.set_erasing(False)
        elif action == "undo":
            window.undo_action.trigger()
            model.step_back()
        elif action == "redo":
            window.redo_action.trigger()
            model.step_forward()
        elif action == "clear":
            window.clear_action.trigger()
            if not model.current[1]:
                model.commit((), pristine=True, inkless=True)
        elif action == "open":
            assert image_used(qtbot, window, lambda: window.open_image(images["good"]))
            model.commit((("picture", picture_from_image(load_image(images["good"]))),))
        elif action == "open bad":
            assert not image_used(qtbot, window, lambda: window.open_image(images[rng.choice(["text", "truncated"])]))
            window.error_box.close()
        elif action == "resize":
            window.resize(rng.randint(700, 1600), rng.randint(500, 1000))
            qtbot.wait(10)
        elif action == "undo mid-stroke":
            stroke = _random_stroke(rng)
            click = _is_a_click_on_a_tag(canvas, stroke)
            press_and_move(canvas, stroke)
            window.undo_action.trigger()  # ignored while the pen is down
            window.redo_action.trigger()
            release(canvas, stroke[-1])
            if click:  # no pen down: undo and redo ran
                model.step_back()
                model.step_forward()
            else:
                model.commit(model.current[0] + (("stroke", stroke, canvas.brush_width, False),), inkless=False)
        actions, _, inkless = model.current
        where = f"step {step} ({action})"
        assert np.array_equal(canvas.drawing(), _replay(replay, actions)), where
        assert canvas.can_undo == bool(model.undo) and canvas.can_redo == bool(model.redo), where
        assert (
            window.undo_action.isEnabled() == canvas.can_undo and window.redo_action.isEnabled() == canvas.can_redo
        ), where
        assert canvas.blank == inkless, where
    wait_for_prediction(qtbot, window)
    if canvas.blank:
        assert window.state.prediction is None
    # Undo all the way back gives the blank start, redo all the way forward the last picture.
    last = canvas.drawing()
    while canvas.can_undo:
        canvas.undo()
    assert canvas.blank and (canvas.drawing() == WHITE).all()
    while canvas.can_redo:
        canvas.redo()
    assert np.array_equal(canvas.drawing(), last)


@pytest.fixture
def images(tmp_path):
    good = save_image(tmp_path / "good.png", digit_picture(90), "L")
    text = tmp_path / "text.png"
    text.write_text("not an image")
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    return {"good": good, "text": text, "truncated": truncated}


@pytest.mark.parametrize("seed", range(3))
def test_random_canvas_actions_keep_undo_and_redo_consistent(qtbot, make_main_window, images, seed):
    _run(qtbot, make_main_window(), random.Random(seed), steps=40, images=images)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 108))
def test_long_random_canvas_sequences(qtbot, make_main_window, images, seed):
    _run(qtbot, make_main_window(), random.Random(seed), steps=200, images=images)
