"""The drawing canvas on its own, driven by real mouse and tablet events."""

from __future__ import annotations

import numpy as np
import pytest
from digit_strokes import DIGITS
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication
from window_helpers import fit

from lenet_desktop.gui.devtools.replay import canvas_point, draw_strokes, move, press_and_move, release
from lenet_desktop.gui.widgets.canvas import (
    GROW_BY,
    RENDER_SIZE,
    DigitBox,
    DrawingCanvas,
    array_from_image,
    render_document,
)

HORIZONTAL = [[(0.1 + 0.08 * i, 0.5) for i in range(11)]]
VERTICAL = [[(0.5, 0.1 + 0.08 * i) for i in range(11)]]


@pytest.fixture
def canvas(qtbot):
    widget = DrawingCanvas()
    widget.resize(400, 400)
    qtbot.addWidget(widget)
    with qtbot.waitExposed(widget):
        widget.show()
    return widget


def ink_at(canvas: DrawingCanvas, x: float, y: float) -> int:
    """Darkness 0..255 of the prediction raster at unit coordinates."""
    return 255 - int(canvas.drawing()[round(y * (RENDER_SIZE - 1)), round(x * (RENDER_SIZE - 1))])


def test_a_blank_canvas_is_white_and_says_so(canvas):
    assert canvas.blank
    drawing = canvas.drawing()
    assert drawing.shape == (RENDER_SIZE, RENDER_SIZE) and drawing.dtype == np.uint8
    assert (drawing == 255).all()


def test_mouse_strokes_leave_round_antialiased_ink(canvas):
    draw_strokes(canvas, HORIZONTAL)
    assert not canvas.blank
    assert ink_at(canvas, 0.5, 0.5) == 255
    assert ink_at(canvas, 0.5, 0.1) == 0
    values = np.unique(canvas.drawing())
    assert len(values) > 10, "antialiased edges have intermediate greys"
    # Round caps: ink reaches a little beyond the first point, half the brush width.
    assert ink_at(canvas, 0.1 - 0.5 * canvas.brush_width / RENDER_SIZE / 2, 0.5) > 0
    assert len(canvas.document.strokes) == 1
    assert canvas.document.strokes[0].width == canvas.brush_width


def test_undo_and_redo_restore_exactly_the_previous_image(canvas):
    blank = canvas.drawing()
    draw_strokes(canvas, DIGITS[4][0][:1])
    first = canvas.drawing()
    draw_strokes(canvas, DIGITS[4][0][1:])
    both = canvas.drawing()
    assert not np.array_equal(first, both)
    canvas.undo()
    assert np.array_equal(canvas.drawing(), first)
    canvas.undo()
    assert np.array_equal(canvas.drawing(), blank) and canvas.blank
    assert not canvas.can_undo
    canvas.redo()
    assert np.array_equal(canvas.drawing(), first)
    canvas.redo()
    assert np.array_equal(canvas.drawing(), both)
    assert not canvas.can_redo


def test_a_new_stroke_after_undo_drops_the_redo_history(canvas):
    draw_strokes(canvas, HORIZONTAL)
    canvas.undo()
    draw_strokes(canvas, VERTICAL)
    assert not canvas.can_redo
    assert ink_at(canvas, 0.5, 0.2) == 255 and ink_at(canvas, 0.2, 0.5) == 0


def test_clear_is_undoable(canvas):
    draw_strokes(canvas, HORIZONTAL)
    drawn = canvas.drawing()
    canvas.clear()
    assert canvas.blank and (canvas.drawing() == 255).all()
    canvas.undo()
    assert np.array_equal(canvas.drawing(), drawn)


def test_the_eraser_removes_ink_only_where_it_passes(canvas):
    draw_strokes(canvas, HORIZONTAL)
    canvas.set_erasing(True)
    canvas.set_brush_width(30)
    draw_strokes(canvas, VERTICAL)
    assert ink_at(canvas, 0.5, 0.5) == 0, "erased where the eraser crossed the line"
    assert ink_at(canvas, 0.2, 0.5) == 255 and ink_at(canvas, 0.8, 0.5) == 255
    assert not canvas.blank
    canvas.undo()
    assert ink_at(canvas, 0.5, 0.5) == 255


def test_erasing_a_blank_canvas_keeps_it_blank(canvas):
    canvas.set_erasing(True)
    draw_strokes(canvas, VERTICAL)
    assert canvas.blank


def test_brush_width_sets_the_stroke_width(canvas):
    def stroke_thickness() -> int:
        column = canvas.drawing()[:, RENDER_SIZE // 2]
        return int((column < 128).sum())

    canvas.set_brush_width(8)
    draw_strokes(canvas, HORIZONTAL)
    thin = stroke_thickness()
    canvas.clear()
    canvas.set_brush_width(32)
    draw_strokes(canvas, HORIZONTAL)
    thick = stroke_thickness()
    assert abs(thin - 8) <= 2 and abs(thick - 32) <= 2


def _tablet(canvas, kind, point, pressure, device):
    position = canvas_point(canvas, point)
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
    event = QTabletEvent(
        kind,
        device,
        position,
        canvas.mapToGlobal(position),
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        Qt.MouseButton.LeftButton,
        buttons,
    )
    QApplication.sendEvent(canvas, event)


def test_tablet_pressure_varies_the_width(canvas):
    stylus = QPointingDevice(
        "test stylus",
        7,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Pen,
        QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
        1,
        3,
    )
    points = [(0.1 + 0.08 * i, 0.5) for i in range(11)]
    pressures = np.linspace(0.05, 1.0, len(points))
    _tablet(canvas, QEvent.Type.TabletPress, points[0], float(pressures[0]), stylus)
    for point, pressure in zip(points[1:], pressures[1:]):
        _tablet(canvas, QEvent.Type.TabletMove, point, float(pressure), stylus)
    _tablet(canvas, QEvent.Type.TabletRelease, points[-1], float(pressures[-1]), stylus)
    stroke = canvas.document.strokes[-1]
    assert [p[2] for p in stroke.points] == pytest.approx(list(pressures), abs=1e-3)
    drawing = canvas.drawing()
    light = int((drawing[:, round(0.2 * RENDER_SIZE)] < 128).sum())
    heavy = int((drawing[:, round(0.8 * RENDER_SIZE)] < 128).sum())
    assert heavy > 1.8 * light


def test_resizing_keeps_the_drawing_square_and_undistorted(canvas, qtbot):
    draw_strokes(canvas, DIGITS[0][0])
    before = canvas.drawing()
    canvas.resize(700, 350)
    qtbot.waitUntil(lambda: canvas.width() == 700)
    area = canvas.drawing_rect()
    assert area.width() == area.height() == 350
    assert area.x() == (700 - 350) / 2
    assert np.array_equal(canvas.drawing(), before)
    shown = canvas.grab(area.toRect()).toImage().convertToFormat(canvas.drawing_image().format())
    shown = shown.scaled(
        RENDER_SIZE, RENDER_SIZE, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    difference = np.abs(array_from_image(shown).astype(int) - before.astype(int))
    assert difference.mean() < 6, "what is on screen is the same drawing, only larger or smaller"


def test_a_stroke_drawn_while_resizing_is_kept(canvas, qtbot):
    press_and_move(canvas, HORIZONTAL[0][:6])
    canvas.resize(500, 500)
    qtbot.waitUntil(lambda: canvas.width() == 500)
    for point in HORIZONTAL[0][6:]:
        move(canvas, point)
    release(canvas, HORIZONTAL[0][-1])
    assert ink_at(canvas, 0.2, 0.5) == 255 and ink_at(canvas, 0.8, 0.5) == 255


def test_a_single_digit_keeps_the_square_drawing(canvas):
    draw_strokes(canvas, DIGITS[2][0] + HORIZONTAL)  # ink within a few pixels of the right edge
    assert canvas.document.width == 1.0
    assert canvas.drawing().shape == (RENDER_SIZE, RENDER_SIZE)


def test_the_drawing_grows_to_the_right_for_a_number_and_undo_shrinks_it(canvas):
    first = fit(DIGITS[1][0], 0.1, 0.1, 0.8)
    second = fit(DIGITS[7][0], 0.6, 0.1, 0.8)  # its top bar runs past the right edge
    draw_strokes(canvas, [*first, *second])
    assert canvas.document.width > 1.5
    drawing = canvas.drawing()
    assert drawing.shape == (RENDER_SIZE, round(RENDER_SIZE * canvas.document.width))
    # The ink past the old edge, clipped while the pen moved, is in the grown drawing.
    assert (drawing[:, RENDER_SIZE + 2 :] < 128).any()
    area = canvas.drawing_rect()
    assert area.width() == pytest.approx(area.height() * canvas.document.width)
    assert area.width() <= canvas.width()
    canvas.undo()
    assert canvas.drawing().shape == (RENDER_SIZE, RENDER_SIZE)


def test_a_grown_drawing_is_what_rendering_it_whole_gives(canvas):
    """Growing copies the narrower rasters and paints only the new part: the prediction raster
    and the screen must still be exactly the whole document rendered at the new width."""
    digits = [DIGITS[d][0] for d in (2, 0, 2, 6)]
    widths = []
    for position, strokes in enumerate(digits):
        draw_strokes(canvas, fit(strokes, 0.05 + 0.62 * position, 0.1, 0.8))
        widths.append(canvas.document.width)
        rendered = render_document(canvas.document, RENDER_SIZE, QImage.Format.Format_Grayscale8)
        np.testing.assert_array_equal(canvas.drawing(), array_from_image(rendered))
        screen = render_document(canvas.document, canvas._screen.height(), QImage.Format.Format_RGB32)
        assert canvas._screen == screen
    assert len(set(widths)) == 4, "the drawing grew at every digit"


def test_a_pen_dragged_off_the_bottom_grows_the_drawing_only_for_the_ink_it_left(canvas):
    """The points below the area, where nothing is drawn, counted as ink: the area grew to its
    widest and the strip scrolled to an empty end, the drawing out of view."""
    draw_strokes(canvas, [[(0.5, 0.5), (0.9, 0.5), (2.4, 2.0), (4.0, 3.0)]])
    columns = np.flatnonzero((canvas.drawing() < 128).any(axis=0))
    ink_end = (columns[-1] + 1) / RENDER_SIZE
    assert 1.3 < ink_end < 1.6  # where the stroke leaves the area at its bottom edge
    assert canvas.document.width == pytest.approx(ink_end + GROW_BY, abs=0.05)


def test_a_long_number_fits_eight_digits(canvas):
    digits = [DIGITS[d][0] for d in (2, 0, 2, 6, 1, 9, 8, 4)]
    for position, strokes in enumerate(digits):
        draw_strokes(canvas, fit(strokes, 0.05 + 0.62 * position, 0.1, 0.8))
    assert canvas.document.width <= 6.0
    drawing = canvas.drawing()
    columns = np.flatnonzero((drawing < 128).any(axis=0))
    assert columns[-1] > 0.62 * 7 * RENDER_SIZE, "the eighth digit is on the drawing, not clipped"
    strokes = canvas.strokes()
    assert len(strokes) == sum(len(s) for s in digits)
    assert all(stroke.shape[1] == 2 for stroke in strokes)
    assert strokes[-1][:, 0].max() == pytest.approx(
        (0.05 + 0.62 * 7 + 0.8 * max(x for x, _ in digits[-1][-1])) * RENDER_SIZE, abs=1
    )


def test_the_strokes_are_given_in_drawing_pixels_unless_they_do_not_tell_where_the_ink_is(canvas):
    draw_strokes(canvas, HORIZONTAL)
    (stroke,) = canvas.strokes()
    assert stroke[0] == pytest.approx([0.1 * RENDER_SIZE, 0.5 * RENDER_SIZE], abs=0.5)
    canvas.set_erasing(True)
    draw_strokes(canvas, VERTICAL)
    assert canvas.strokes() is None
    canvas.clear()
    canvas.set_picture(np.full((28, 84), 255, np.uint8))
    assert canvas.strokes() is None
    assert canvas.drawing().shape == (RENDER_SIZE, 3 * RENDER_SIZE), "a wide picture gets a wide drawing"


def test_clicking_a_digit_tag_chooses_it_without_drawing(canvas, qtbot):
    canvas.set_digit_boxes(
        (DigitBox((20, 60, 100, 160), "1", False, False), DigitBox((150, 60, 100, 160), "7", True, True))
    )
    with qtbot.waitSignal(canvas.digitClicked) as clicked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas.tag_rect(1).center().toPoint())
    assert clicked.args == [1]
    assert canvas.blank
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas_point(canvas, (0.5, 0.9)).toPoint())
    assert not canvas.blank, "a click elsewhere is a dot of ink"


def test_a_stroke_begun_on_a_digit_tag_draws_and_undo_waits_for_it(canvas, qtbot):
    """The tags appear over the ink a moment after a number is read: a stroke that began on one
    was dropped, and an undo pressed meanwhile ran as if the pen were up."""
    canvas.set_digit_boxes((DigitBox((20, 60, 100, 160), "1", False, False),))
    draw_strokes(canvas, HORIZONTAL)
    before = canvas.drawing()
    start = canvas.to_unit(canvas.tag_rect(0).center())
    stroke = [start, (start[0] + 0.2, start[1] + 0.3), (start[0] + 0.3, start[1] + 0.5)]
    clicks = []
    canvas.digitClicked.connect(clicks.append)
    press_and_move(canvas, stroke)
    canvas.undo()  # ignored while the pen is down
    release(canvas, stroke[-1])
    assert clicks == [], "a drag from a tag is a stroke, not a click"
    assert (canvas.drawing() < before).any() and len(canvas.strokes()) == 2
    canvas.undo()
    np.testing.assert_array_equal(canvas.drawing(), before)


def test_the_drawing_returns_to_its_width_when_the_ink_that_needed_the_room_goes(canvas):
    digits = [fit(DIGITS[d][0], 0.05 + 0.62 * i, 0.1, 0.8) for i, d in enumerate((2, 0, 2, 6))]
    for strokes in digits:
        draw_strokes(canvas, strokes)
    grown = canvas.document.width
    assert grown > 2.5
    # The eraser over the last two digits: the area shrinks back to the room the first two need.
    canvas.set_erasing(True)
    canvas.set_brush_width(40)
    draw_strokes(canvas, [[(1.2 + 0.05 * i, 0.05 + 0.9 * (i % 2)) for i in range(30)]])
    assert (canvas.drawing()[:, round(1.25 * RENDER_SIZE) :] > 128).all(), "the two digits are erased"
    assert 1.0 < canvas.document.width <= 1.2 + 0.75, "room for the next digit after the first two"
    canvas.undo()
    assert canvas.document.width == grown
    canvas.set_erasing(False)
    canvas.clear()
    assert canvas.document.width == 1.0 and canvas.drawing().shape == (RENDER_SIZE, RENDER_SIZE)
    canvas.undo()
    assert canvas.document.width == grown
    for _ in digits[2] + digits[3]:
        canvas.undo()
    assert canvas.document.width < grown
    for _ in digits[0] + digits[1]:
        canvas.undo()
    assert canvas.blank and canvas.document.width == 1.0


def test_a_click_leaves_a_round_dot(canvas, qtbot):
    """A stroke of one point (a click, a tap) was in the drawing, undo and all, but painted nothing."""
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=canvas_point(canvas, (0.5, 0.5)).toPoint())
    assert len(canvas.document.strokes) == 1 and len(canvas.document.strokes[0].points) == 1
    radius = canvas.brush_width / 2 / RENDER_SIZE
    assert ink_at(canvas, 0.5, 0.5) == 255 and ink_at(canvas, 0.5 + radius * 0.7, 0.5) > 128
    assert ink_at(canvas, 0.5, 0.5 + radius * 1.5) == 0
    shown = canvas.grab().toImage()
    centre = canvas_point(canvas, (0.5, 0.5)).toPoint()
    assert shown.pixelColor(centre).lightness() < 50, "the screen shows it too"
