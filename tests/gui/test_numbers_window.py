"""Numbers in the window, drawn with real mouse events: the number shown, the boxes over the
canvas, choosing a digit for the per-digit views, and corrections of whole numbers."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from digit_strokes import DIGITS, _line, numbers_dev
from PySide6.QtCore import QPoint, Qt
from window_helpers import draw, fit, wait_for_prediction

from lenet_desktop.core.images import load_image
from lenet_desktop.core.numbers import read_number
from lenet_desktop.core.predict import input_gradient
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.gui.devtools.replay import draw_strokes
from lenet_desktop.gui.panels.correction_bar import CorrectionBar
from lenet_desktop.gui.widgets.canvas import RENDER_SIZE

SPACING = 0.62  # a digit drawn 0.8 heights high, and its gap, in heights of the drawing area


def written(digits: str) -> list:
    """The hand-made digits written left to right, each 0.8 of the area's height."""
    return [stroke for i, d in enumerate(digits) for stroke in fit(DIGITS[int(d)][0], 0.05 + SPACING * i, 0.1, 0.8)]


@pytest.fixture
def window(make_main_window):
    made = make_main_window()
    made.width_slider.setValue(14)  # the pen the dev set's numbers were drawn with
    return made


def test_numbers_written_by_hand_are_shown_as_read(qtbot, window):
    """Real numbers (numbers-dev), replayed as mouse drags: the window shows what the core reads in
    the set's own image of each, whenever that reading is right."""
    import os
    from pathlib import Path

    folder = Path(os.environ["LENET_DATA_DIR"]) / "numbers-dev"
    numbers = numbers_dev()
    files = [f"{i:05d}.png" for i in range(len(numbers))]
    compared = 0
    for (label, strokes), name in list(zip(numbers, files))[:16]:
        if read_number(window.state.classifier, load_image(folder / name)).number != label:
            continue  # the core's misreadings are measured by its own benchmark, not here
        window.canvas.clear()
        draw(qtbot, window, strokes)
        assert window.readout.number == label
        assert window.readout.text.startswith(label)
        compared += 1
    assert compared >= 5


def test_a_number_shows_a_box_per_digit_and_the_digit_written_last_is_chosen(qtbot, window):
    draw(qtbot, window, written("2026"))
    reading = window.state.reading
    assert window.readout.number == reading.number == "2026"
    assert window.canvas.document.width > 2, "the drawing grew to the right for the number"
    assert [box.text for box in window.canvas._digit_boxes] == list("2026")
    assert window.state.selected_digit == 3
    np.testing.assert_array_equal(window.probability_bars.probabilities, reading.digits[3].probabilities)


def test_digits_keep_their_size_as_the_drawing_grows_and_the_strip_scrolls_to_the_room_once_the_pen_rests(
    qtbot, window
):
    """The drawing grows to the right at the scale it was written at. The view does not move while a
    digit is being written (its strokes come one after the other); once the pen rests, the strip
    scrolls so that the end of the last digit, and room for the next, are in view."""
    window.resize(1440, 860)
    window.show()
    qtbot.waitExposed(window)
    canvas = window.canvas
    strip = canvas.parentWidget().parentWidget()
    side = canvas.drawing_rect().height()
    strokes = written("2026")
    draw_strokes(canvas, strokes)
    assert canvas.document.width > 2
    assert canvas.drawing_rect().height() == side, "the digits already written were not shrunk"
    assert canvas.width() >= canvas.document.width * side
    assert strip.horizontalScrollBar().value() == 0, "no scrolling straight after a stroke"
    qtbot.waitUntil(lambda: strip.horizontalScrollBar().value() > 0)
    last_x, last_y = max((point for stroke in strokes[-2:] for point in stroke), key=lambda p: p[0])
    area = canvas.drawing_rect()
    end = canvas.mapTo(strip.viewport(), QPoint(round(area.x() + last_x * side), round(area.y() + last_y * side)))
    assert 0 < end.x() < strip.viewport().width() * 0.6, "the end of the last digit is in view, room to its right"
    shown = strip.viewport().grab().toImage()
    assert min(shown.pixelColor(end.x() - dx, end.y()).value() for dx in range(0, 12)) < 80, "its ink is on screen"
    wait_for_prediction(qtbot, window)
    assert window.readout.number == "2026"


def test_arrows_and_a_click_on_a_tag_choose_the_digit_every_view_shows(qtbot, window):
    draw(qtbot, window, written("2026"))
    reading = window.state.reading
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Left)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Left)
    assert window.state.selected_digit == 1
    assert window.state.prediction is reading.digits[1]
    np.testing.assert_array_equal(window.probability_bars.probabilities, reading.digits[1].probabilities)
    frame = window.input_view.image().convertToFormat(window.input_view.image().Format.Format_Grayscale8)
    assert abs(int(frame.pixelColor(16, 16).value()) - round(reading.digits[1].frame[16, 16] * 255)) <= 1
    assert window.layers_panel._prediction is reading.digits[1]
    np.testing.assert_array_equal(window.inspector_panel._frame, reading.digits[1].frame)
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=window.canvas.tag_rect(0).center().toPoint())
    assert window.state.selected_digit == 0 and window.state.prediction is reading.digits[0]
    assert window.readout.number == "2026", "choosing a digit draws nothing"
    qtbot.keyClick(window.canvas, Qt.Key.Key_Left)
    assert window.state.selected_digit == 0, "the first digit stays chosen"
    # Saliency is the chosen digit's own: the gradient of its top logit for its own frame.
    window.saliency_box.setChecked(True)
    wait_for_prediction(qtbot, window)
    assert window.state.selected_digit == 0, "a new reading of the same drawing keeps the choice"
    chosen = window.state.prediction
    assert chosen.saliency is not None and window.input_view.saliency_visible
    np.testing.assert_array_equal(chosen.frame, reading.digits[0].frame)
    classifier = window.state.classifier
    inputs = classifier.normalization.apply(torch.from_numpy(chosen.frame)[None, None])
    np.testing.assert_allclose(chosen.saliency, input_gradient(classifier, inputs, chosen.digit), atol=1e-6)
    assert not np.allclose(chosen.saliency, window.state.reading.digits[3].saliency)


def test_a_piece_read_as_no_digit_has_the_same_question_mark_on_its_tag_as_in_the_number(qtbot, window):
    """The tag said the piece's top digit ("0") while the number showed "?" for it."""
    hash_sign = [_line((0.3, 0.1), (0.3, 0.9)), _line((0.6, 0.1), (0.6, 0.9))]
    hash_sign += [_line((0.1, 0.35), (0.9, 0.35)), _line((0.1, 0.65), (0.9, 0.65))]
    seven = fit(DIGITS[7][0], 0.05 + 2 * SPACING, 0.1, 0.8)
    draw(qtbot, window, written("2") + fit(hash_sign, 0.05 + SPACING, 0.1, 0.8) + seven)
    reading = window.state.reading
    assert [p.not_a_digit for p in reading.digits] == [False, True, False], reading.number
    assert window.readout.number == reading.number == "2?7"
    assert [box.text for box in window.canvas._digit_boxes] == ["2", "?", "7"]
    assert window.canvas._digit_boxes[1].unsure, "in the unsure colour, as in the number"


def test_choosing_a_digit_off_screen_scrolls_the_canvas_to_it(qtbot, window):
    window.resize(1440, 860)
    canvas = window.canvas
    strip = canvas.parentWidget().parentWidget()
    draw(qtbot, window, written("20261987"))
    qtbot.waitUntil(lambda: strip.horizontalScrollBar().value() > 0)  # the strip went on to the room on the right
    assert len(window.state.reading.digits) == 8 and window.state.selected_digit == 7

    def on_screen(index: int) -> bool:
        x, _, width, _ = canvas._digit_boxes[index].box  # in pixels of the prediction raster
        area = canvas.drawing_rect()
        left = canvas.mapTo(strip.viewport(), QPoint(round(area.x() + x * area.height() / RENDER_SIZE), 0)).x()
        return 0 <= left and left + width * area.height() / RENDER_SIZE <= strip.viewport().width()

    assert not on_screen(0)
    canvas.setFocus()
    for _ in range(7):
        qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert window.state.selected_digit == 0 and on_screen(0)
    for _ in range(7):
        qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert window.state.selected_digit == 7 and on_screen(7)


def test_a_click_on_a_digit_of_the_big_number_chooses_it(qtbot, window):
    draw(qtbot, window, written("2026"))
    reading = window.state.reading
    assert window.state.selected_digit == 3
    label = window.readout.digit_label
    metrics = label.fontMetrics()  # the label's text is centred

    def middle_of(index: int) -> QPoint:
        left = (label.width() - metrics.horizontalAdvance("2026")) / 2 + metrics.horizontalAdvance("2026"[:index])
        return QPoint(round(left + metrics.horizontalAdvance("2026"[index]) / 2), label.height() // 2)

    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=middle_of(1))
    assert window.state.selected_digit == 1 and window.state.prediction is reading.digits[1]
    assert "underline" in label.text().split("</span>")[1], "the chosen digit is underlined"
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=middle_of(0))
    assert window.state.selected_digit == 0
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))  # beside the number
    assert window.state.selected_digit == 0


def test_typing_a_four_digit_number_stores_four_corrections(qtbot, window):
    draw(qtbot, window, written("2026"))
    reading = window.state.reading
    store = window.findChild(CorrectionBar).store
    window.canvas.setFocus()
    for key in (Qt.Key.Key_7, Qt.Key.Key_0, Qt.Key.Key_2, Qt.Key.Key_6):
        qtbot.keyClick(window.canvas, key)
    assert len(store) == 0, "nothing is saved before Enter"
    qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
    stored = store.all()
    assert [c.label for c in stored] == [7, 0, 2, 6]
    assert [c.predicted for c in stored] == [2, 0, 2, 6]
    assert [c.box for c in stored] == list(reading.boxes)
    for correction, prediction in zip(stored, reading.digits):
        np.testing.assert_array_equal(correction.frame, prediction.frame)
        np.testing.assert_array_equal(store.whole_drawing(correction), window.canvas.drawing())
    # One digit and Enter, or a button, corrects the chosen digit only.
    qtbot.keyClick(window.canvas, Qt.Key.Key_Left)
    qtbot.keyClick(window.canvas, Qt.Key.Key_5)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
    qtbot.mouseClick(window.findChild(CorrectionBar).buttons[8], Qt.MouseButton.LeftButton)
    extra = store.all()[4:]
    assert [(c.label, c.box) for c in extra] == [(5, reading.boxes[2]), (8, reading.boxes[2])]
    # A number of the wrong length is refused with the reason, and nothing is stored.
    window.canvas.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Return):
        qtbot.keyClick(window.canvas, key)
    assert len(store) == 6
    assert "2 digits typed, but the drawing has 4" in window.findChild(CorrectionBar).status.text()


def test_a_single_digit_is_read_saved_and_shown_as_before(qtbot, window):
    draw(qtbot, window, DIGITS[3][0])
    drawing = window.canvas.drawing()
    assert drawing.shape == (280, 280)
    assert window.canvas._digit_boxes == ()
    prediction = window.state.prediction
    np.testing.assert_array_equal(prediction.frame, preprocess(drawing))
    assert window.readout.digit_label.text() == "3" and window.readout.number == "3"
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_3)
    (saved,) = window.findChild(CorrectionBar).store.all()
    assert saved.label == 3 and saved.box is None and saved.whole_drawing_id is None
    np.testing.assert_array_equal(saved.drawing(), drawing)


def test_what_was_typed_for_a_number_is_no_longer_shown_once_the_drawing_changes(qtbot, window):
    """ "Typed 20 of a number of 4 digits" stayed after undo and clear, describing a drawing that
    was no longer there."""
    bar = window.findChild(CorrectionBar)
    hint = bar.status.text()
    for change in (window.undo_action, window.clear_action):
        window.canvas.clear()
        draw(qtbot, window, written("2026"))
        window.canvas.setFocus()
        for key in (Qt.Key.Key_2, Qt.Key.Key_0):
            qtbot.keyClick(window.canvas, key)
        assert bar.status.text().startswith("Typed 20 of a number of 4 digits")
        change.trigger()
        wait_for_prediction(qtbot, window)
        assert bar.status.text() == hint, change.text()
        qtbot.keyClick(window.canvas, Qt.Key.Key_Return)  # nothing typed for this drawing
        assert len(bar.store) == 0
    # A refusal that names the drawing's digit count goes too; a saved number's line stays.
    draw(qtbot, window, written("2026"))
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Return):
        qtbot.keyClick(window.canvas, key)
    assert "the drawing has 4" in bar.status.text()
    window.undo_action.trigger()
    wait_for_prediction(qtbot, window)
    assert bar.status.text() == hint


def test_a_number_typed_with_more_digits_than_found_is_read_again_with_that_many(qtbot, window):
    # A 5, then a 1 written into the 9 after it: read as two digits, the 1 and 9 as one.
    strokes = written("5") + fit(DIGITS[1][0], 0.05 + SPACING, 0.1, 0.8) + fit(DIGITS[9][0], 0.1 + SPACING, 0.1, 0.8)
    draw(qtbot, window, strokes)
    assert len(window.state.reading.digits) == 2, window.state.reading.number
    forced = read_number(window.state.classifier, window.canvas.drawing(), window.canvas.strokes(), count=3)
    store = window.findChild(CorrectionBar).store
    window.canvas.setFocus()
    for key in (Qt.Key.Key_5, Qt.Key.Key_1, Qt.Key.Key_9, Qt.Key.Key_Return):
        qtbot.keyClick(window.canvas, key)
    stored = store.all()
    assert [c.label for c in stored] == [5, 1, 9]
    assert [c.box for c in stored] == list(forced.boxes)
    for correction, prediction in zip(stored, forced.digits):
        np.testing.assert_array_equal(correction.frame, prediction.frame)


def test_a_number_typed_with_fewer_digits_than_found_is_refused_and_nothing_is_stored(qtbot, window):
    """Read again as fewer digits, a typo or a digit left out joined two digits the reader had told
    apart into one correction under a wrong label."""
    draw(qtbot, window, written("120"))
    assert window.readout.number == "120"
    bar = window.findChild(CorrectionBar)
    window.canvas.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_Return):
        qtbot.keyClick(window.canvas, key)
    assert len(bar.store) == 0
    assert "the drawing has 3" in bar.status.text()


def test_a_second_key_on_a_drawing_read_as_one_digit_types_a_number_instead_of_a_second_label(qtbot, window):
    """The first key saved the drawing as 1, the second as 0: two contradictory corrections of one
    drawing. Now the second key types a number, read again as two digits, which replaces the first
    key's correction once it is saved (until then that correction stays)."""
    strokes = fit(DIGITS[1][0], 0.1, 0.1, 0.8) + fit(DIGITS[0][0], 0.18, 0.1, 0.8)  # a 0 written over the 1
    draw(qtbot, window, strokes)
    assert len(window.state.reading.digits) == 1, window.state.reading.number
    bar = window.findChild(CorrectionBar)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_1)
    (first,) = bar.store.all()
    assert first.label == 1, "one key on one digit saves at once, as always"
    qtbot.keyClick(window.canvas, Qt.Key.Key_0)
    assert [c.id for c in bar.store.all()] == [first.id] and bar.status.text().startswith("Typed 10")
    assert f"in place of correction #{first.id}, which stays saved until then" in bar.status.text()
    forced = read_number(window.state.classifier, window.canvas.drawing(), window.canvas.strokes(), count=2)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
    stored = bar.store.all()
    assert [c.label for c in stored] == [1, 0] and first.id not in [c.id for c in stored], "replaced"
    assert [c.box for c in stored] == list(forced.boxes)
    # A key on the next drawing saves at once again.
    window.canvas.clear()
    draw(qtbot, window, written("7"))
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert [c.label for c in bar.store.all()] == [1, 0, 7]


def test_a_third_key_on_a_drawing_read_as_one_digit_goes_on_typing_the_number(qtbot, window):
    """The third key saved the drawing at once as that digit, and the two typed before were lost."""
    strokes = fit(DIGITS[1][0], 0.1, 0.1, 0.8) + fit(DIGITS[2][0], 0.16, 0.1, 0.8) + fit(DIGITS[3][0], 0.22, 0.1, 0.8)
    draw(qtbot, window, strokes)
    assert len(window.state.reading.digits) == 1, window.state.reading.number
    bar = window.findChild(CorrectionBar)
    window.canvas.setFocus()
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3):
        qtbot.keyClick(window.canvas, key)
    assert [c.label for c in bar.store.all()] == [1] and bar.status.text().startswith("Typed 123"), bar.status.text()
    forced = read_number(window.state.classifier, window.canvas.drawing(), window.canvas.strokes(), count=3)
    assert len(forced.digits) == 3
    qtbot.keyClick(window.canvas, Qt.Key.Key_Return)
    stored = bar.store.all()
    assert [c.label for c in stored] == [1, 2, 3] and [c.box for c in stored] == list(forced.boxes)


def test_a_stroke_reads_again_only_the_digit_it_touched_and_an_unchanged_digit_is_not_repainted(qtbot, window):
    # The window reads with a memo of the reading before: the 2, 0 and 2 keep their very readings
    # when the 6 is written, and reading the finished drawing again gives the views nothing new to
    # draw (their probabilities and feature maps are not made again).
    draw(qtbot, window, written("202"))
    before = window.state.reading.digits
    draw(qtbot, window, written("2026")[len(written("202")) :])
    after = window.state.reading
    assert after.number == "2026"
    assert all(kept is made for kept, made in zip(before, after.digits[:3]))
    announced = []
    window.state.predictionChanged.connect(announced.append)
    with qtbot.waitSignal(window.state.readingChanged, timeout=5000):
        window.predictor.predict_now()  # as the end of a stroke or a device change does
    wait_for_prediction(qtbot, window)
    qtbot.wait(50)
    assert window.state.reading.digits[3] is after.digits[3] and not announced
