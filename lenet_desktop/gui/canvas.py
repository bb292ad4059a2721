"""The drawing canvas: vector strokes with pressure, rendered for the screen and for prediction.

A drawing is a `Document`: an optional background picture (an opened or pasted image) and the
strokes drawn over it, in unit coordinates of the square drawing area. Every change (a stroke,
clear, open) replaces the document and pushes the old one on the undo stack, so undo and redo
re-render exactly what was there. Two rasters are kept up to date segment by segment while the
pen moves: one at screen resolution, one of RENDER_SIZE pixels in Format_Grayscale8 (dark ink on
white), which is what prediction reads. Each segment is painted by a painter that ends before the
event returns, so a raster can be replaced at any moment, even mid-stroke, without destroying an
image that is being painted (which crashed the process).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

# Side of the prediction raster; brush widths are given in its pixels (18 px at 280 is close to
# MNIST's stroke-to-digit ratio once the digit is scaled to 20 px).
RENDER_SIZE = 280
DEFAULT_BRUSH_WIDTH = 18
BRUSH_WIDTH_RANGE = (4, 40)
# A stylus barely touching the glass still leaves a visible line.
MIN_PRESSURE_SCALE = 0.25
INK = QColor(0, 0, 0)
PAPER = QColor(255, 255, 255)


@dataclass(frozen=True)
class Stroke:
    points: tuple[tuple[float, float, float], ...]  # (x, y, pressure) in unit coordinates
    width: float  # brush width in RENDER_SIZE pixels at full pressure
    erase: bool = False


@dataclass(frozen=True)
class Document:
    background: QImage | None = None  # Grayscale8, dark ink on white, any size
    strokes: tuple[Stroke, ...] = field(default_factory=tuple)

    @property
    def blank(self) -> bool:
        return self.background is None and not any(not s.erase for s in self.strokes)


def pressure_width(width: float, pressure: float) -> float:
    return width * (MIN_PRESSURE_SCALE + (1.0 - MIN_PRESSURE_SCALE) * min(max(pressure, 0.0), 1.0))


def _paint_segment(painter: QPainter, scale: float, stroke: Stroke, start: int) -> None:
    """Paint stroke.points[start-1 .. start] (a dot when start == 0) at `scale` pixels per unit."""
    x1, y1, p1 = stroke.points[start]
    x0, y0, p0 = stroke.points[start - 1] if start > 0 else stroke.points[start]
    pen = QPen(PAPER if stroke.erase else INK)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setWidthF(max(1.0, pressure_width(stroke.width, (p0 + p1) / 2) * scale / RENDER_SIZE))
    painter.setPen(pen)
    painter.drawLine(QPointF(x0 * scale, y0 * scale), QPointF(x1 * scale, y1 * scale))


def render_document(document: Document, side: int, image_format: QImage.Format) -> QImage:
    image = QImage(side, side, image_format)
    image.fill(PAPER)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    if document.background is not None:
        painter.drawImage(_fitted_rect(document.background, side), document.background)
    for stroke in document.strokes:
        for index in range(len(stroke.points)):
            _paint_segment(painter, side, stroke, index)
    painter.end()
    return image


def _fitted_rect(image: QImage, side: int) -> QRectF:
    """The largest centred rectangle of the image's aspect ratio inside a side x side square."""
    scale = side / max(image.width(), image.height())
    width, height = image.width() * scale, image.height() * scale
    return QRectF((side - width) / 2, (side - height) / 2, width, height)


def array_from_image(image: QImage) -> np.ndarray:
    """A Grayscale8 QImage as an (H, W) uint8 array (a copy, so the image may change after)."""
    pointer = image.constBits()
    rows = np.frombuffer(pointer, dtype=np.uint8, count=image.bytesPerLine() * image.height())
    return rows.reshape(image.height(), image.bytesPerLine())[:, : image.width()].copy()


def image_from_array(pixels: np.ndarray) -> QImage:
    """An (H, W) uint8 array as a Grayscale8 QImage owning its pixels."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    height, width = pixels.shape
    return QImage(pixels.data, width, height, width, QImage.Format.Format_Grayscale8).copy()


class DrawingCanvas(QWidget):
    """Square drawing area; emits drawingChanged while drawing and strokeFinished at the end."""

    drawingChanged = Signal()  # the picture changed (a segment, undo, clear, open)
    strokeFinished = Signal()  # the pen was lifted, or a whole-document change happened
    historyChanged = Signal()  # can_undo / can_redo may differ

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking, False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._document = Document()
        self._undo: list[Document] = []
        self._redo: list[Document] = []
        # The stroke being drawn keeps the tool it began with: a pen/eraser or width change applies
        # from the next stroke, so what is shown always equals what the history replays.
        self._stroke: Stroke | None = None
        self._brush_width: float = DEFAULT_BRUSH_WIDTH
        self._erasing = False
        self._render = render_document(self._document, RENDER_SIZE, QImage.Format.Format_Grayscale8)
        self._screen = QImage()

    # --- what the rest of the window reads -------------------------------------------------

    @property
    def document(self) -> Document:
        return self._document

    @property
    def shown_document(self) -> Document:
        """The document with the stroke in progress, if any: exactly what the rasters show."""
        if self._stroke is None:
            return self._document
        return Document(self._document.background, self._document.strokes + (self._stroke,))

    @property
    def blank(self) -> bool:
        return self.shown_document.blank

    def drawing(self) -> np.ndarray:
        """The picture as prediction sees it: (RENDER_SIZE, RENDER_SIZE) uint8, dark ink on white."""
        return array_from_image(self._render)

    def drawing_image(self) -> QImage:
        return self._render.copy()

    @property
    def brush_width(self) -> float:
        return self._brush_width

    def set_brush_width(self, width: float) -> None:
        self._brush_width = float(min(max(width, BRUSH_WIDTH_RANGE[0]), BRUSH_WIDTH_RANGE[1]))

    @property
    def erasing(self) -> bool:
        return self._erasing

    def set_erasing(self, erasing: bool) -> None:
        self._erasing = erasing

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # --- whole-document changes --------------------------------------------------------------

    def undo(self) -> None:
        if self._undo and self._stroke is None:
            self._redo.append(self._document)
            self._show(self._undo.pop())

    def redo(self) -> None:
        if self._redo and self._stroke is None:
            self._undo.append(self._document)
            self._show(self._redo.pop())

    def clear(self) -> None:
        self._end_stroke()
        if not self._document.blank or self._document.strokes:
            self._commit(Document())

    def set_picture(self, ink_on_white: np.ndarray) -> None:
        """Replace the drawing with a picture, (H, W) uint8 dark ink on white (undoable)."""
        self._commit(Document(background=image_from_array(ink_on_white)))

    def _commit(self, document: Document) -> None:
        self._end_stroke()  # a clear, open or paste mid-stroke comes after the stroke in the history
        self._undo.append(self._document)
        self._redo.clear()
        self._show(document)

    def _show(self, document: Document) -> None:
        self._document = document
        self._render = render_document(document, RENDER_SIZE, QImage.Format.Format_Grayscale8)
        self._rerender_screen()
        self.update()
        self.historyChanged.emit()
        self.drawingChanged.emit()
        self.strokeFinished.emit()

    # --- geometry ---------------------------------------------------------------------------

    def drawing_rect(self) -> QRectF:
        """The square area drawn on, centred in the widget, in widget coordinates."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_unit(self, position: QPointF) -> tuple[float, float]:
        area = self.drawing_rect()
        return ((position.x() - area.x()) / area.width(), (position.y() - area.y()) / area.height())

    def _screen_side(self) -> int:
        return max(1, round(self.drawing_rect().width() * self.devicePixelRatioF()))

    def _rerender_screen(self) -> None:
        # Resized mid-stroke: what the pen has drawn so far is part of the shown document.
        self._screen = render_document(self.shown_document, self._screen_side(), QImage.Format.Format_RGB32)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._rerender_screen()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        area = self.drawing_rect()
        painter.drawImage(area, self._screen)  # a plain blit unless the screen is high-DPI
        painter.setPen(QPen(QColor(0, 0, 0, 40), 1))
        painter.drawRect(area.adjusted(0, 0, -1, -1))
        painter.end()

    # --- strokes: mouse and tablet feed the same three steps -----------------------------------

    def _begin_stroke(self, position: QPointF, pressure: float) -> None:
        x, y = self.to_unit(position)
        self._stroke = Stroke(((x, y, pressure),), self._brush_width, self._erasing)
        self._paint_last_segment()

    def _extend_stroke(self, position: QPointF, pressure: float) -> None:
        if self._stroke is None:
            return
        x, y = self.to_unit(position)
        if (x, y) == self._stroke.points[-1][:2]:
            return
        self._stroke = replace(self._stroke, points=self._stroke.points + ((x, y, pressure),))
        self._paint_last_segment()

    def _end_stroke(self) -> None:
        if self._stroke is None:
            return
        stroke, self._stroke = self._stroke, None
        self._undo.append(self._document)
        self._redo.clear()
        self._document = Document(self._document.background, self._document.strokes + (stroke,))
        self.historyChanged.emit()
        self.strokeFinished.emit()

    def _paint_last_segment(self) -> None:
        stroke = replace(self._stroke, points=self._stroke.points[-2:])
        last = len(stroke.points) - 1
        for image, side in ((self._render, RENDER_SIZE), (self._screen, self._screen.width())):
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            _paint_segment(painter, side, stroke, last)
            painter.end()
        area = self.drawing_rect()
        xs = [p[0] for p in stroke.points]
        ys = [p[1] for p in stroke.points]
        margin = stroke.width * area.width() / RENDER_SIZE + 2
        self.update(
            QRectF(
                area.x() + min(xs) * area.width() - margin, area.y() + min(ys) * area.height() - margin,
                (max(xs) - min(xs)) * area.width() + 2 * margin, (max(ys) - min(ys)) * area.height() + 2 * margin,
            ).toAlignedRect()
        )
        self.drawingChanged.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._stroke is None:
            self._begin_stroke(event.position(), 1.0)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend_stroke(event.position(), 1.0)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end_stroke()
        event.accept()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TabletPress and self._stroke is None:
            self._begin_stroke(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletMove:
            self._extend_stroke(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletRelease:
            self._end_stroke()
        event.accept()  # no synthesized mouse events: the stroke keeps its pressure
