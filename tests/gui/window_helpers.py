"""Helpers shared by the GUI tests (imported, not fixtures)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from digit_strokes import Stroke

from lenet_desktop.gui.devtools.replay import draw_strokes


def wait_for_prediction(qtbot, window, timeout: int = 5000) -> None:
    """Until the model has loaded and no prediction is pending or in flight, so the state holds the
    answer to the latest drawing."""
    qtbot.waitUntil(
        lambda: window.engine_ready and not window.image_reader.busy and not window.predictor.busy, timeout=timeout
    )


def image_used(qtbot, window, start: Callable[[], object], timeout: int = 10_000) -> bool:
    """Open, paste or drop an image with `start` and wait until the window has read it (off its thread):
    True when it became the drawing, False when it was refused."""
    with qtbot.waitSignal(window.imageUsed, timeout=timeout) as blocker:
        start()
    return blocker.args[0]


def draw(qtbot, window, strokes: list[Stroke]) -> None:
    """Draw with real mouse events on the window's canvas and wait for the answer."""
    draw_strokes(window.canvas, strokes)
    wait_for_prediction(qtbot, window)


def fit(strokes: list[Stroke], left: float, top: float, size: float) -> list[Stroke]:
    """The drawing shrunk into a box of the canvas: people do not always draw large and centred."""
    return [[(left + x * size, top + y * size) for x, y in stroke] for stroke in strokes]


def set_up_a_run_that_unlearns_sevens(panel, mnist_train) -> None:
    """Forty MNIST sevens saved as ones, and the Training tab set to train on them alone, for 8 batches, at
    the rate that trains fresh weights (from the current model the tab starts ten times slower, which
    unlearns too little): sevens fall, and the tab names them."""
    from lenet_desktop.core.optimizers import starting_hyperparameters

    for frame in mnist_train.subset(mnist_train.labels == 7).images[:40, 0].numpy():
        panel.store.add((255 - frame * 255).astype(np.uint8), 1, frame=frame)
    panel.data_box.setCurrentIndex(panel.data_box.findData("corrections"))
    panel.batch_limit_box.setValue(8)
    panel.options_box.hyperparameter_forms["adam"].start_from(starting_hyperparameters("adam", False))
    panel.options_box.schedule_box.setCurrentIndex(panel.options_box.schedule_box.findData("none"))
