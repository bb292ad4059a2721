"""The drawing canvas: vector strokes with pressure, rendered for the screen and for prediction.

A drawing is a `Document`: an optional background picture (an opened or pasted image) and the
strokes drawn over it, in units of the drawing area's height. The area starts square, as wide as
it is high, which is all a single digit needs; when a stroke ends near its right edge it grows to
the right (up to MAX_WIDTH heights), so that a number of several digits fits at a natural size, and
shrinks back when the eraser removes the ink that needed the room (clear and undo bring back the
width of the document they restore); in the window it sits in a CanvasStrip, which keeps the area's
height and scrolls. Every change (a stroke, clear, open) replaces the document and pushes the old
one on the undo stack, so undo and redo re-render exactly what was there. Two rasters are kept up
to date segment by segment while the pen moves: one at screen resolution, one of RENDER_SIZE pixels
in Format_Grayscale8 (dark ink on white), which is what prediction reads.
Over the drawing the canvas shows the digits read in it (set_digit_boxes): a light box around each
with its digit on a tag; a click on a tag emits digitClicked, while a stroke begun on a tag draws.
Each segment is painted by a painter that ends before the event returns, so a raster can be
replaced at any moment, even mid-stroke, without destroying an image that is being painted (which
crashed the process).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTabletEvent,
)
from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy, QWidget

# Side of the prediction raster; brush widths are given in its pixels (18 px at 280 is close to
# MNIST's stroke-to-digit ratio once the digit is scaled to 20 px).
RENDER_SIZE = 280
DEFAULT_BRUSH_WIDTH = 18
BRUSH_WIDTH_RANGE = (4, 40)
# A stylus barely touching the glass still leaves a visible line.
MIN_PRESSURE_SCALE = 0.25
INK = QColor(0, 0, 0)
PAPER = QColor(255, 255, 255)
# The drawing area grows when a stroke ends with ink this close to its right edge (in heights: 14 px
# of 280, so a single digit drawn anywhere short of the edge keeps today's square), to GROW_BY
# heights beyond the ink: room for the next digit, written at the area's height. Once it is wider
# than the square, it keeps that room beyond the ink after every stroke.
GROW_MARGIN = 0.05
GROW_BY = 0.75
# The strip scrolls once the pen has rested this long (the strokes of one digit come faster, and the
# view must not move between them), when the ink's end is past SCROLL_PAST of the view, so that it
# sits at SCROLL_TO: what is written stays in view on the left, the room for the next digit on the right.
SCROLL_AFTER_MS = 600
SCROLL_PAST, SCROLL_TO = 0.6, 0.4
# At least 8 digits at a natural size (a digit and its gap take about 0.6 heights).
MAX_WIDTH = 6.0
# An eraser stroke that frees at least this much room (in heights) on the right gives it back, down
# to the room the ink left needs; less leaves the area as it is, so it does not jump at each stroke.
SHRINK_BY = GROW_BY / 2
BOX = QColor(37, 99, 235, 90)
BOX_UNSURE = QColor(217, 119, 6, 140)
BOX_SELECTED = QColor(37, 99, 235, 200)


@dataclass(frozen=True)
class Stroke:
    points: tuple[tuple[float, float, float], ...]  # (x, y, pressure) in heights of the drawing area
    width: float  # brush width in RENDER_SIZE pixels at full pressure
    erase: bool = False


@dataclass(frozen=True)
class Document:
    background: QImage | None = None  # Grayscale8, dark ink on white, any size
    strokes: tuple[Stroke, ...] = field(default_factory=tuple)
    width: float = 1.0  # in heights: 1 is the square a single digit is drawn in
    # The 32x32 network input the background was made from (an evaluated image), read as it is while no
    # stroke is added: made into a picture and prepared again, it read otherwise than where it was chosen.
    frame: np.ndarray | None = field(default=None, compare=False)

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
    if (x0, y0) == (x1, y1):  # a click or a tap: Qt draws no line of length 0, but a point takes the round cap
        painter.drawPoint(QPointF(x1 * scale, y1 * scale))
    else:
        painter.drawLine(QPointF(x0 * scale, y0 * scale), QPointF(x1 * scale, y1 * scale))


def render_document(document: Document, height: int, image_format: QImage.Format) -> QImage:
    """The document `height` pixels high (and document.width times that wide)."""
    image = QImage(max(1, round(height * document.width)), height, image_format)
    image.fill(PAPER)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    if document.background is not None:
        painter.drawImage(_fitted_rect(document.background, image.width(), height), document.background)
    for stroke in document.strokes:
        for index in range(len(stroke.points)):
            _paint_segment(painter, height, stroke, index)
    painter.end()
    return image


def widen(image: QImage, document: Document) -> QImage:
    """render_document(document) at `image`'s height, made from `image`, the same strokes rendered
    narrower: a drawing grown to the right keeps its pixels, so they are copied, and only the new
    part is painted, by the strokes whose ink reaches it (the last one, whose ink past the old edge
    was clipped); re-rendering every stroke cost about 10 ms in the window for a number."""
    if image.isNull():  # a screen raster not made yet (the canvas never shown)
        return image
    height, old = image.height(), image.width()
    wide = image.copy(0, 0, max(1, round(height * document.width)), height)
    painter = QPainter(wide)
    painter.fillRect(old, 0, wide.width() - old, height, PAPER)
    painter.setClipRect(old, 0, wide.width() - old, height)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for stroke in document.strokes:
        if ink_right(stroke) * height > old - 1:
            for index in range(len(stroke.points)):
                _paint_segment(painter, height, stroke, index)
    painter.end()
    return wide


def _fitted_rect(image: QImage, width: float, height: float) -> QRectF:
    """The largest centred rectangle of the image's aspect ratio inside a width x height one."""
    scale = min(width / image.width(), height / image.height())
    fitted_width, fitted_height = image.width() * scale, image.height() * scale
    return QRectF((width - fitted_width) / 2, (height - fitted_height) / 2, fitted_width, fitted_height)


def ink_right(stroke: Stroke) -> float:
    """Where the stroke's ink ends on the right, in heights (its widest point, full pressure). A pen
    dragged past the top or bottom of the area leaves no ink there: only the parts of the segments
    within reach of the area count (the area grew for ink nobody saw, and scrolled the drawing away)."""
    radius = stroke.width / RENDER_SIZE / 2
    low, high = -radius, 1.0 + radius
    points = [(x, y) for x, y, _ in stroke.points]
    right = -math.inf
    for (x0, y0), (x1, y1) in zip(points, points[1:] or points):
        if y0 == y1:
            if low <= y0 <= high:
                right = max(right, x0, x1)
            continue
        start, end = sorted(((low - y0) / (y1 - y0), (high - y0) / (y1 - y0)))
        start, end = max(start, 0.0), min(end, 1.0)
        if start <= end:
            right = max(right, x0 + (x1 - x0) * start, x0 + (x1 - x0) * end)
    return right + radius


def _room_for(drawing: np.ndarray) -> float:
    """The width (in heights) the ink of a drawing (RENDER_SIZE high) needs, by the rule it grew by."""
    columns = np.flatnonzero((drawing < 128).any(axis=0))
    right = (columns[-1] + 1) / RENDER_SIZE if len(columns) else 0.0
    return 1.0 if right <= 1.0 - GROW_MARGIN else min(right + GROW_BY, MAX_WIDTH)


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


@dataclass(frozen=True)
class DigitBox:
    """A digit read in the drawing, as the canvas shows it."""

    box: tuple[int, int, int, int]  # (x, y, width, height) in pixels of the prediction raster
    text: str
    unsure: bool
    selected: bool


class DrawingCanvas(QWidget):
    """A drawing area, square until a number needs more room; emits drawingChanged while drawing
    and strokeFinished at the end."""

    drawingChanged = Signal()  # the picture changed (a segment, undo, clear, open)
    strokeFinished = Signal()  # the pen was lifted, or a whole-document change happened
    historyChanged = Signal()  # can_undo / can_redo may differ
    digitClicked = Signal(int)  # the index of the digit whose tag was clicked
    digitChosen = Signal(int)  # the index of the digit chosen in the boxes shown
    areaWidthChanged = Signal()

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
        self._digit_boxes: tuple[DigitBox, ...] = ()
        self._area_height: float | None = None  # None: as large as fits the widget
        # A press on a digit's tag: (the tag, where) until the pen moves (a stroke) or lifts (a click).
        self._tag_press: tuple[int, QPointF] | None = None

    # --- what the rest of the window reads -------------------------------------------------

    @property
    def document(self) -> Document:
        return self._document

    @property
    def shown_document(self) -> Document:
        """The document with the stroke in progress, if any: exactly what the rasters show."""
        if self._stroke is None:
            return self._document
        return replace(self._document, strokes=self._document.strokes + (self._stroke,))

    @property
    def blank(self) -> bool:
        return self.shown_document.blank

    def drawing(self) -> np.ndarray:
        """The picture as prediction sees it: (RENDER_SIZE, width) uint8, dark ink on white; a
        square RENDER_SIZE wide until the drawing grows for a number."""
        return array_from_image(self._render)

    def known_input(self) -> np.ndarray | None:
        """The network input of the picture shown, when it came with one (set_picture's `frame`) and
        nothing has been drawn on it since; None otherwise, and the drawing is prepared as always."""
        document = self.shown_document
        return document.frame if not document.strokes else None

    def strokes(self) -> list[np.ndarray] | None:
        """The pen strokes, each (k, 2) x, y in pixels of drawing(); None when they do not tell
        where all the ink is (a background picture, the eraser)."""
        document = self.shown_document
        if document.background is not None or any(stroke.erase for stroke in document.strokes):
            return None
        return [
            np.array([(x, y) for x, y, _ in stroke.points], dtype=np.float32) * RENDER_SIZE
            for stroke in document.strokes
        ]

    def set_digit_boxes(self, boxes: tuple[DigitBox, ...]) -> None:
        """Show these boxes; the same boxes again, with another digit chosen (←/→, a click), emit digitChosen."""
        old, self._digit_boxes = self._digit_boxes, tuple(boxes)
        if self._digit_boxes != old:  # a single digit's answers repaint nothing here
            self.update()
            chosen = [digit.selected for digit in self._digit_boxes]
            if [d.box for d in old] == [d.box for d in self._digit_boxes] and True in chosen:
                self.digitChosen.emit(chosen.index(True))

    def box_rect(self, index: int) -> QRectF:
        """The box around digit `index`, in widget coordinates."""
        (x, y, width, height), area = self._digit_boxes[index].box, self.drawing_rect()
        scale = area.height() / RENDER_SIZE
        return QRectF(area.x() + x * scale, area.y() + y * scale, width * scale, height * scale)

    def tag_rect(self, index: int) -> QRectF:
        """The clickable tag of digit `index`, in widget coordinates: its box's top left corner."""
        box, side = self.box_rect(index), self.fontMetrics().height() + 4
        return QRectF(box.x(), max(self.drawing_rect().y(), box.y() - side), side, side)

    def tag_at(self, position: QPointF) -> int | None:
        """The digit whose tag is at `position` (widget coordinates), if any."""
        return next((i for i in range(len(self._digit_boxes)) if self.tag_rect(i).contains(position)), None)

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
    def pen_down(self) -> bool:
        return self._stroke is not None or self._tag_press is not None

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

    def set_picture(self, ink_on_white: np.ndarray, frame: np.ndarray | None = None) -> None:
        """Replace the drawing with a picture, (H, W) uint8 dark ink on white (undoable); a wide
        picture (a number) gets a drawing area as wide. `frame`: the network input it shows, read as it
        is until a stroke is drawn (known_input)."""
        height, width = ink_on_white.shape
        self._commit(
            Document(
                background=image_from_array(ink_on_white),
                width=min(max(width / height, 1.0), MAX_WIDTH),
                frame=frame,
            )
        )

    def _commit(self, document: Document) -> None:
        self._end_stroke()  # a clear, open or paste mid-stroke comes after the stroke in the history
        self._undo.append(self._document)
        self._redo.clear()
        self._show(document)

    def _show(self, document: Document, widened: bool = False) -> None:
        """Show a new document; `widened`: the same strokes as shown, on a wider area without a picture.
        The change is announced once the prediction raster is made, so the reading starts on its
        thread while the screen raster, several times larger, is made."""
        old_width, self._document = self._document.width, document
        if widened:
            self._render = widen(self._render, document)
        else:
            self._render = render_document(document, RENDER_SIZE, QImage.Format.Format_Grayscale8)
        self.historyChanged.emit()
        self.drawingChanged.emit()
        self.strokeFinished.emit()
        if widened:
            self._screen = widen(self._screen, document)
        if document.width != old_width:
            self.areaWidthChanged.emit()  # the strip lays the canvas out again: resizeEvent
        if widened:
            self._fit_screen()
        else:
            self._rerender_screen()
        self.update()

    # --- geometry ---------------------------------------------------------------------------

    def drawing_rect(self) -> QRectF:
        """The area drawn on, in widget coordinates: of the height set_area_height gave, or else as
        large as fits; centred in the widget."""
        aspect = self._document.width
        height = self._area_height or min(self.height(), self.width() / aspect)
        width = height * aspect
        return QRectF(max(0.0, (self.width() - width) / 2), (self.height() - height) / 2, width, height)

    def set_area_height(self, height: float) -> None:
        if height != self._area_height:
            self._area_height = height
            self._rerender_screen()
            self.update()

    def to_unit(self, position: QPointF) -> tuple[float, float]:
        """A widget position in heights of the drawing area from its top left corner."""
        area = self.drawing_rect()
        return ((position.x() - area.x()) / area.height(), (position.y() - area.y()) / area.height())

    def _screen_height(self) -> int:
        return max(1, round(self.drawing_rect().height() * self.devicePixelRatioF()))

    def _rerender_screen(self) -> None:
        # Resized mid-stroke: what the pen has drawn so far is part of the shown document.
        self._screen = render_document(self.shown_document, self._screen_height(), QImage.Format.Format_RGB32)

    def _fit_screen(self) -> None:
        """Render the screen raster again where the area's size on screen changed (a resize)."""
        height = self._screen_height()
        if self._screen.size() != QSize(max(1, round(height * self.shown_document.width)), height):
            self._rerender_screen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_screen()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        area = self.drawing_rect()
        painter.drawImage(area, self._screen)  # a plain blit unless the screen is high-DPI
        painter.setPen(QPen(QColor(0, 0, 0, 40), 1))
        painter.drawRect(area.adjusted(0, 0, -1, -1))
        if self._digit_boxes:
            self._paint_digit_boxes(painter)
        painter.end()

    def _paint_digit_boxes(self, painter: QPainter) -> None:
        for index, digit in enumerate(self._digit_boxes):
            colour = BOX_SELECTED if digit.selected else BOX_UNSURE if digit.unsure else BOX
            painter.setPen(QPen(colour, 2 if digit.selected else 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.box_rect(index))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(tag := self.tag_rect(index))
            painter.setPen(PAPER)
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, digit.text)

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
        document = replace(self._document, strokes=self._document.strokes + (stroke,))
        right = ink_right(stroke)
        room = GROW_BY if document.width > 1.0 else GROW_MARGIN
        if not stroke.erase and right > document.width - room and document.width < MAX_WIDTH:
            # Ink past the edge was clipped while the pen moved; on the wider area all of it shows.
            grown = replace(document, width=min(right + GROW_BY, MAX_WIDTH))
            self._show(grown, widened=document.background is None)
            return
        if stroke.erase and document.width > 1.0 and document.background is None:
            width = _room_for(array_from_image(self._render))  # the raster shows the document as it now is
            if width <= document.width - SHRINK_BY:
                self._show(replace(document, width=width))
                return
        self._document = document
        self.historyChanged.emit()
        self.strokeFinished.emit()

    def _paint_last_segment(self) -> None:
        stroke = replace(self._stroke, points=self._stroke.points[-2:])
        last = len(stroke.points) - 1
        for image, height in ((self._render, RENDER_SIZE), (self._screen, self._screen.height())):
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            _paint_segment(painter, height, stroke, last)
            painter.end()
        area = self.drawing_rect()
        scale = area.height()
        xs = [p[0] for p in stroke.points]
        ys = [p[1] for p in stroke.points]
        margin = stroke.width * scale / RENDER_SIZE + 2
        self.update(
            QRectF(
                area.x() + min(xs) * scale - margin,
                area.y() + min(ys) * scale - margin,
                (max(xs) - min(xs)) * scale + 2 * margin,
                (max(ys) - min(ys)) * scale + 2 * margin,
            ).toAlignedRect()
        )
        self.drawingChanged.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._stroke is None and self._tag_press is None:
            tag = self.tag_at(event.position())
            if tag is None:
                self._begin_stroke(event.position(), 1.0)
            else:
                # The tags appear over the ink when a number is read, a moment after the pen lifts:
                # a stroke begun on one must still draw (it was lost, undo and all).
                self._tag_press = (tag, QPointF(event.position()))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            if self._tag_press is not None and event.position() != self._tag_press[1]:
                start, self._tag_press = self._tag_press[1], None
                self._begin_stroke(start, 1.0)
            self._extend_stroke(event.position(), 1.0)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            if self._tag_press is not None:
                tag, self._tag_press = self._tag_press[0], None
                if tag < len(self._digit_boxes):  # the tags may have changed since the press
                    self.digitClicked.emit(tag)
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


class CanvasStrip(QScrollArea):
    """The canvas in a strip that scrolls sideways. The drawing area keeps the height of the square
    a single digit is drawn in, however wide a number makes it: were the whole drawing fitted into
    view instead, every growth would shrink the digits already written and move the ink under the
    pen. When the pen rests with the ink's end far to the right, the strip scrolls to the room made
    for the next digit; when a digit is chosen (digitChosen: ←/→, a click), to its box if it is off screen."""

    def __init__(self, canvas: DrawingCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.setWidget(canvas)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 200)
        self._rest = QTimer(self, singleShot=True, interval=SCROLL_AFTER_MS)
        self._rest.timeout.connect(self._scroll_to_the_room)
        canvas.areaWidthChanged.connect(self._lay_out)
        canvas.strokeFinished.connect(self._rest.start)
        canvas.digitChosen.connect(self._show_digit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._lay_out()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.ignore()  # the canvas's unclaimed keys go on to the window (←/→ choose a digit); the bar and wheel scroll

    def _lay_out(self) -> None:
        # The scroll bar's room is kept even while it is hidden, so the drawing keeps its scale when it shows.
        height = max(1, self.height() - self.horizontalScrollBar().sizeHint().height())
        side = min(self.width(), height)
        self.canvas.set_area_height(side)
        self.canvas.resize(max(self.width(), math.ceil(side * self.canvas.document.width)), height)

    def _show_digit(self, index: int) -> None:
        box = self.canvas.box_rect(index)
        self.ensureVisible(round(box.center().x()), round(box.center().y()), round(box.width() / 2) + 8, 0)

    def _scroll_to_the_room(self) -> None:
        strokes = [stroke for stroke in self.canvas.document.strokes if not stroke.erase]
        if self.canvas.pen_down or not strokes:
            return
        area = self.canvas.drawing_rect()
        end = area.x() + ink_right(strokes[-1]) * area.height()
        bar = self.horizontalScrollBar()
        if end - bar.value() > SCROLL_PAST * self.width():
            bar.setValue(round(end - SCROLL_TO * self.width()))
