"""Replaying a drawing as real mouse events: the screenshot, the latency benchmark and the tests
draw through exactly the path a person's mouse takes (press, moves, release on the canvas)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from lenet_desktop.gui.widgets.canvas import DrawingCanvas

Point = tuple[float, float]


def _send(
    canvas: DrawingCanvas, kind: QEvent.Type, position: QPointF, button: Qt.MouseButton, buttons: Qt.MouseButton
) -> None:
    event = QMouseEvent(kind, position, canvas.mapToGlobal(position), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, event)


def canvas_point(canvas: DrawingCanvas, point: Point) -> QPointF:
    """A point in heights of the drawing area (the canvas's own units), in the widget's coordinates."""
    area = canvas.drawing_rect()
    return QPointF(area.x() + point[0] * area.height(), area.y() + point[1] * area.height())


def press(canvas: DrawingCanvas, point: Point) -> None:
    left = Qt.MouseButton.LeftButton
    _send(canvas, QEvent.Type.MouseButtonPress, canvas_point(canvas, point), left, left)


def move(canvas: DrawingCanvas, point: Point) -> None:
    _send(
        canvas, QEvent.Type.MouseMove, canvas_point(canvas, point), Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton
    )


def release(canvas: DrawingCanvas, point: Point) -> None:
    _send(
        canvas,
        QEvent.Type.MouseButtonRelease,
        canvas_point(canvas, point),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
    )


def press_and_move(canvas: DrawingCanvas, stroke: Sequence[Point]) -> None:
    """Everything of a stroke but the release."""
    press(canvas, stroke[0])
    for point in stroke[1:]:
        move(canvas, point)


def draw_strokes(canvas: DrawingCanvas, strokes: Iterable[Sequence[Point]]) -> None:
    for stroke in strokes:
        press_and_move(canvas, stroke)
        release(canvas, stroke[-1])
