"""Event-order fuzzing of the real window: hypothesis chooses sequences of real events (press, move,
release, Esc, Ctrl+Z, Ctrl+Shift+Z, Ctrl+V with an image, E, P, digit keys, resize, tab switches) and
after every step checks that no Python exception reached Qt's event loop, that the canvas's ink is
the replay of its history (plus the stroke in progress), and that the prediction shown is the one
for the drawing shown."""

from __future__ import annotations

import numpy as np
import pytest
from bad_files import digit_picture
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from window_helpers import wait_for_prediction

from lenet_desktop.core.numbers import read_number
from lenet_desktop.core.preprocess import ink_box, ink_map, preprocess
from lenet_desktop.gui.devtools.replay import move, press, release
from lenet_desktop.gui.widgets.canvas import RENDER_SIZE, array_from_image, image_from_array, render_document

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
points = st.tuples(st.floats(-0.1, 1.1), st.floats(-0.1, 1.1))


class WindowEvents(RuleBasedStateMachine):
    window = qtbot = caught = None  # set by the test: one window for every sequence

    def __init__(self) -> None:
        super().__init__()
        self.pressed = False
        self.last = (0.5, 0.5)

    def key(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.window, key, modifiers)

    @precondition(lambda self: not self.pressed)
    @rule(point=points)
    def press(self, point):
        press(self.window.canvas, point)
        self.pressed, self.last = True, point

    @precondition(lambda self: self.pressed)
    @rule(point=points)
    def move(self, point):
        move(self.window.canvas, point)
        self.last = point

    @precondition(lambda self: self.pressed)
    @rule()
    def release(self):
        release(self.window.canvas, self.last)
        self.pressed = False

    @rule()
    def escape(self):
        self.key(Qt.Key.Key_Escape)

    @rule()
    def undo(self):
        self.key(Qt.Key.Key_Z, CTRL)

    @rule()
    def redo(self):
        self.key(Qt.Key.Key_Z, CTRL | SHIFT)

    @rule()
    def paste(self):
        self.key(Qt.Key.Key_V, CTRL)

    @rule(erase=st.booleans())
    def tool(self, erase):
        self.key(Qt.Key.Key_E if erase else Qt.Key.Key_P)

    @rule(digit=st.integers(0, 9))
    def digit_key(self, digit):
        self.key(Qt.Key(Qt.Key.Key_0 + digit))

    @rule(width=st.integers(800, 1600), height=st.integers(500, 1000))
    def resize(self, width, height):
        self.window.resize(width, height)
        QApplication.processEvents()

    @rule(index=st.integers(0, 20))
    def tab(self, index):
        bar = self.window.tabs.tabBar()
        self.qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index % bar.count()).center())

    @invariant()
    def nothing_raised(self):
        assert not self.caught, f"an exception reached Qt's event loop: {self.caught[0][1]!r}"

    @invariant()
    def ink_is_the_replayed_history(self):
        canvas = self.window.canvas
        replayed = render_document(canvas.shown_document, RENDER_SIZE, QImage.Format.Format_Grayscale8)
        assert np.array_equal(canvas.drawing(), array_from_image(replayed))

    @invariant()
    def the_prediction_shown_is_for_the_drawing_shown(self):
        if self.pressed:
            return  # live predictions run behind the pen by design
        wait_for_prediction(self.qtbot, self.window)
        canvas, state = self.window.canvas, self.window.state
        prediction = state.prediction
        if canvas.blank:
            assert prediction is None and state.drawing is None
            assert self.window.readout.verdict_label.text() == "no digit"
            return
        assert np.array_equal(state.drawing, canvas.drawing())
        reading = read_number(state.classifier, canvas.drawing(), canvas.strokes())
        assert (prediction is None) == (not reading.digits)
        # Shown: "?" for each piece the weights call not a digit, even where none is a digit (a letter
        # reads "? not a digit"), whose reading.number is None.
        shown = "".join("?" if p.not_a_digit else str(p.digit) for p in reading.digits)
        assert self.window.readout.number == (shown or None)
        if prediction is not None:  # the chosen digit's, as read from the drawing shown
            assert np.array_equal(prediction.frame, reading.digits[state.selected_digit].frame)
        drawing = canvas.drawing()
        if len(reading.digits) == 1 and reading.boxes[0] == ink_box(ink_map(drawing)):
            # A single digit with no speck dropped beside it is read as it always was.
            assert np.array_equal(prediction.frame, preprocess(drawing))
            assert self.window.readout.digit_label.text() == ("?" if prediction.not_a_digit else str(prediction.digit))

    def teardown(self):
        if self.pressed:
            release(self.window.canvas, self.last)
        if self.window.error_box is not None:
            self.window.error_box.close()


def run(qtbot, window, examples: int, steps: int) -> None:
    picture = digit_picture(90)
    QApplication.clipboard().setImage(image_from_array(picture))
    WindowEvents.window, WindowEvents.qtbot = window, qtbot
    with qtbot.capture_exceptions() as caught:
        WindowEvents.caught = caught
        run_state_machine_as_test(
            WindowEvents,
            settings=settings(
                max_examples=examples,
                stateful_step_count=steps,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                database=None,
            ),
        )


def test_random_event_orders_in_the_real_window(qtbot, make_main_window):
    run(qtbot, make_main_window(), examples=8, steps=20)


@pytest.mark.slow
def test_a_few_hundred_event_orders_in_the_real_window(qtbot, make_main_window):
    run(qtbot, make_main_window(), examples=300, steps=30)
