"""What the network answered: the number read (a single digit as ever), and for the chosen digit
all ten probabilities and the 32x32 input it saw. Each view listens to the AppState."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from lenet_desktop.gui.services.language import Retranslated, fill, percent_text
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.widgets.colormaps import DIVERGING_RGB

if TYPE_CHECKING:  # imports torch, which the window shows before (see app.py)
    from lenet_desktop.core.numbers import NumberReading
    from lenet_desktop.core.predict import Prediction

ACCENT = QColor(37, 99, 235)
UNSURE = QColor(217, 119, 6)
MUTED = QColor(148, 163, 184)
TRACK = QColor(226, 232, 240)
# Saliency over the input: each pixel takes the colour of its sign (red raises the answer, blue lowers
# it), mixed in by up to SALIENCY_OPACITY as its influence nears the SALIENCY_SCALE percentile of all
# the pixels' (scaled to the largest alone, most pixels were left almost uncoloured).
SALIENCY_OPACITY = 0.9
SALIENCY_SCALE = 95
RAISES, LOWERS = DIVERGING_RGB[-1].astype(np.float32), DIVERGING_RGB[0].astype(np.float32)


class DigitReadout(Retranslated, QWidget):
    """The number read, large, with its confidence and a word on how sure the network is. A single
    digit shows as it always has; in a number the unsure digits take the unsure colour and the
    chosen digit is underlined, and a long number is set smaller only as far as it must to fit.
    A click on a digit of a number chooses it, as ←/→ do."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.digit_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        # Its clicks come to mousePressEvent, which finds the digit under the pointer.
        self.digit_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self._font = QFont(self.font())
        self._font.setPointSizeF(self._font.pointSizeF() * 5.5)
        self._font.setBold(True)
        self.digit_label.setFont(self._font)
        self.verdict_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        verdict_font = QFont(self.font())
        verdict_font.setPointSizeF(verdict_font.pointSizeF() * 1.15)
        self.verdict_label.setFont(verdict_font)
        # As high as the font, as wide as the column: a new answer repaints the label without
        # relaying out the window, whatever the number's length.
        self.digit_label.setMinimumWidth(self.digit_label.fontMetrics().horizontalAdvance("00") + 16)
        self.digit_label.setFixedHeight(self.digit_label.fontMetrics().height())
        self.digit_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.digit_label)
        layout.addWidget(self.verdict_label, 0, Qt.AlignmentFlag.AlignHCenter)
        self._colour: QColor | None = None
        self._shown = "–"
        self._reading: NumberReading | None = None
        self._selected = -1
        self._loading = False
        self._retranslate()
        state.readingChanged.connect(self._on_state_reading_changed)
        state.selectedDigitChanged.connect(self._on_state_selected_digit_changed)

    @property
    def number(self) -> str | None:
        """The digits shown, "?" for each the weights call not a digit, or None for "no digit" (and
        while loading)."""
        if self._loading or self._reading is None or not self._reading.digits:
            return None
        return self._shown

    def _on_state_reading_changed(self, reading: NumberReading | None) -> None:
        self._reading = reading  # shown when the chosen digit follows, at once

    def _on_state_selected_digit_changed(self, index: int) -> None:
        self.set_reading(self._reading, index)

    def set_reading(self, reading: NumberReading | None, selected: int = -1) -> None:
        self._reading, self._selected, self._loading = reading, selected, False
        digits = () if reading is None else reading.digits
        if not digits:
            self._show("–", self.tr("no digit"), MUTED)
            return
        confidence = reading.confidence
        verdict = (
            fill(self.tr("unsure · %1"), percent_text(confidence))
            if reading.unsure
            else fill(self.tr("%1 confident"), percent_text(confidence))
        )
        colour = UNSURE if reading.unsure else ACCENT
        if len(digits) == 1:
            if digits[0].not_a_digit:
                self._show("?", self.tr("not a digit"), UNSURE)
            else:
                self._show(str(digits[0].digit), verdict, colour)
            return
        spans = []
        for index, (prediction, text) in enumerate(zip(digits, reading.shown_digits)):  # the canvas's tags say the same
            style = f"color: {(UNSURE if prediction.unsure or prediction.not_a_digit else ACCENT).name()};"
            if index == selected:
                style += " text-decoration: underline;"
            spans.append(f"<span style='{style}'>{text}</span>")
        self._show("".join(spans), verdict, colour, plain=reading.number or "?" * len(digits))

    def _retranslate(self) -> None:
        # A fixed size, as wide as the longest verdict: a new answer then repaints the labels
        # without relaying out the whole window.
        metrics = self.verdict_label.fontMetrics()
        verdicts = [
            fill(verdict, percent_text(1.0))
            for verdict in (self.tr("unsure · %1"), self.tr("%1 confident"), self.tr("not a digit"))
        ]
        widest = max(metrics.horizontalAdvance(text) for text in (*verdicts, self.loading_text()))
        self.verdict_label.setFixedSize(widest + 16, metrics.height() + 4)
        if self._loading:
            self.set_loading()
        else:
            self.set_reading(self._reading, self._selected)

    def loading_text(self) -> str:
        return self.tr("loading the model…")

    def set_loading(self) -> None:
        """Until the model has loaded (the window shows before it): say so; the canvas takes ink meanwhile."""
        self._loading = True
        self._show("…", self.loading_text(), MUTED)

    def _show(self, digit: str, verdict: str, colour: QColor, plain: str | None = None) -> None:
        """`digit` is the label's text; `plain`, when given, the same without its markup."""
        shown = plain if plain is not None else digit
        self._shown = shown
        font = QFont(self._font)
        wide = QFontMetrics(font).horizontalAdvance(shown) + 16
        if self.digit_label.width() > 0 and wide > self.digit_label.width():
            font.setPointSizeF(font.pointSizeF() * self.digit_label.width() / wide)
        if font != self.digit_label.font():
            self.digit_label.setFont(font)
        self.digit_label.setTextFormat(Qt.TextFormat.PlainText if plain is None else Qt.TextFormat.RichText)
        self.digit_label.setText(digit)
        self.verdict_label.setText(verdict)
        if colour != self._colour:  # restyling costs a millisecond; the colour rarely changes
            self._colour = colour
            for label in (self.digit_label, self.verdict_label):
                label.setStyleSheet(f"color: {colour.name()};")

    def digit_rect(self, index: int) -> QRect:
        """Where digit `index` of a number is drawn, in the digit label's coordinates."""
        metrics = QFontMetrics(self.digit_label.font())
        left = (self.digit_label.width() - metrics.horizontalAdvance(self._shown)) // 2
        start = left + metrics.horizontalAdvance(self._shown[:index])
        return QRect(
            start, 0, left + metrics.horizontalAdvance(self._shown[: index + 1]) - start, self.digit_label.height()
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        count = 0 if self._loading or self._reading is None else len(self._reading.digits)
        position = self.digit_label.mapFrom(self, event.position().toPoint())
        chosen = next((i for i in range(count) if self.digit_rect(i).contains(position)), None)
        if count > 1 and chosen is not None:
            self._state.select_digit(chosen)
        super().mousePressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self._loading:
            self.set_reading(self._reading, self._selected)  # a long number set to fit the new width

    @property
    def text(self) -> str:
        return f"{self._shown} {self.verdict_label.text()}"


class ProbabilityBars(QWidget):
    """One row per digit: the digit, a bar as long as its probability, the value in percent."""

    painted = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probabilities = np.zeros(10, dtype=np.float32)
        self._top: int | None = None
        self._unsure = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        state.predictionChanged.connect(self.set_prediction)

    @property
    def probabilities(self) -> np.ndarray:
        return self._probabilities.copy()

    def set_prediction(self, prediction: Prediction | None) -> None:
        if prediction is None:
            self._probabilities = np.zeros(10, dtype=np.float32)
            self._top = None
        else:
            self._probabilities = prediction.probabilities.astype(np.float32)
            self._top = prediction.digit
            self._unsure = prediction.unsure or prediction.not_a_digit
        self.update()

    def value_texts(self) -> list[str]:
        return [percent_text(float(p)) for p in self._probabilities]

    def sizeHint(self) -> QSize:
        return QSize(240, 10 * (self.fontMetrics().height() + 8))

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 10 * (self.fontMetrics().height() + 2))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        label_width = metrics.horizontalAdvance("0") + 10
        value_width = metrics.horizontalAdvance(percent_text(1.0)) + 8
        row_height = self.height() / 10
        bar_height = min(row_height * 0.62, metrics.height() + 4)
        track_width = max(1.0, self.width() - label_width - value_width)
        texts = self.value_texts()
        for digit in range(10):
            top = digit * row_height
            text_rect = QRectF(0, top, label_width - 6, row_height)
            is_top = digit == self._top
            colour = (UNSURE if self._unsure else ACCENT) if is_top else QColor(100, 116, 139)
            font = painter.font()
            font.setBold(is_top)
            painter.setFont(font)
            painter.setPen(self.palette().windowText().color() if is_top else QColor(71, 85, 105))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(digit))
            track = QRectF(label_width, top + (row_height - bar_height) / 2, track_width, bar_height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(track, 3, 3)
            filled = float(self._probabilities[digit]) * track_width
            if filled >= 0.5:
                painter.setBrush(colour)
                painter.drawRoundedRect(QRectF(track.x(), track.y(), filled, bar_height), 3, 3)
            painter.setPen(self.palette().windowText().color() if is_top else QColor(71, 85, 105))
            painter.drawText(
                QRectF(label_width + track_width, top, value_width, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                texts[digit],
            )
        painter.end()
        self.painted.emit()


class NetworkInputView(Retranslated, QWidget):
    """The 32x32 frame the network receives, enlarged with square pixels, optionally with the
    saliency of the top digit laid over it (red: more ink here raises it, blue: lowers it; the
    stronger the colour, the more influence), and then a legend under it saying so."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prediction: Prediction | None = None
        self._show_saliency = False
        self._image = QImage()
        # Square as painted, whatever its shape: a height for its width squeezed the probability rows
        # above it into each other and drew it over "Show saliency" in a short window.
        self.setMinimumSize(96, 96)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        state.predictionChanged.connect(self.set_prediction)
        self._retranslate()

    def _retranslate(self) -> None:
        self.legend_texts = (self.tr("lowers it"), self.tr("stronger: more influence"), self.tr("raises it"))
        self.setToolTip(
            self.tr(
                "With saliency shown: red where more ink would raise the answer, blue where it would lower it; "
                "the stronger the colour, the more influence"
            )
        )
        self.update()

    def set_prediction(self, prediction: Prediction | None) -> None:
        self._prediction = prediction
        self._image = self._compose()
        self.update()

    def set_show_saliency(self, show: bool) -> None:
        self._show_saliency = show
        self._image = self._compose()
        self.update()

    @property
    def saliency_visible(self) -> bool:
        return self._show_saliency and self._prediction is not None and self._prediction.saliency is not None

    def image(self) -> QImage:
        """What is shown, at 32x32: the frame, white ink on black as in MNIST, maybe with saliency."""
        return self._image

    def _compose(self) -> QImage:
        if self._prediction is None:
            blank = QImage(32, 32, QImage.Format.Format_RGB32)
            blank.fill(QColor(0, 0, 0))
            return blank
        frame = self._prediction.frame
        grey = np.repeat((frame * 255).astype(np.float32)[..., None], 3, axis=2)
        if self.saliency_visible:
            saliency = self._prediction.saliency
            grey = _with_saliency(grey, saliency, float(np.percentile(np.abs(saliency), SALIENCY_SCALE)))
        pixels = np.ascontiguousarray(np.clip(grey, 0, 255).astype(np.uint8))
        return QImage(pixels.data, 32, 32, 96, QImage.Format.Format_RGB888).copy()

    def sizeHint(self) -> QSize:
        return QSize(192, 192)

    def _legend_height(self) -> int:
        return 3 * self.fontMetrics().height() + 6 if self.saliency_visible else 0

    def legend_rect(self) -> QRect:
        """Where the legend is painted (empty while saliency is not shown)."""
        height = self._legend_height()
        return QRect(0, self.height() - height, self.width(), height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        legend = self.legend_rect()
        side = min(self.width(), self.height() - legend.height())
        side -= side % 32  # whole screen pixels per network pixel: every one is the same size
        target = QRectF((self.width() - side) / 2, (self.height() - legend.height() - side) / 2, side, side)
        painter.drawImage(target, self._image)  # no SmoothPixmapTransform: nearest neighbour
        painter.setPen(QColor(148, 163, 184))
        painter.drawRect(target.adjusted(-0.5, -0.5, 0.5, 0.5))
        if legend.height():
            self._paint_legend(painter, legend.adjusted(0, 4, 0, 0))
        painter.end()

    def _paint_legend(self, painter: QPainter, area: QRect) -> None:
        """A bar from blue through black to red, coloured as the overlay is; under it what each end
        means, and under those that a stronger colour means more influence."""
        bar_height = self.fontMetrics().height()
        width = max(2, min(area.width(), 192))
        left = area.x() + (area.width() - width) // 2
        influence = np.linspace(-1.0, 1.0, width, dtype=np.float32)[None, :]
        row = _with_saliency(np.zeros((1, width, 3), np.float32), influence, 1.0)
        pixels = np.ascontiguousarray(np.clip(row, 0, 255).astype(np.uint8))
        bar = QImage(pixels.data, width, 1, width * 3, QImage.Format.Format_RGB888).copy()
        painter.drawImage(QRect(left, area.y(), width, bar_height // 2), bar)
        painter.setPen(self.palette().windowText().color())
        lowers, influence, raises = self.legend_texts
        words = QRect(left, area.y() + bar_height // 2 + 2, width, bar_height)
        painter.drawText(words, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, lowers)
        painter.drawText(words, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, raises)
        painter.drawText(
            words.translated(0, bar_height), Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, influence
        )


def _with_saliency(grey: np.ndarray, saliency: np.ndarray, scale: float) -> np.ndarray:
    """(H, W, 3) pixels with the colour of each saliency's sign mixed in by its influence: up to
    SALIENCY_OPACITY at `scale` and beyond, the square root lifting the middle ones."""
    influence = np.sqrt(np.clip(np.abs(saliency) / scale, 0.0, 1.0)) if scale > 0 else np.zeros_like(saliency)
    colour = np.where((saliency >= 0)[..., None], RAISES, LOWERS)
    weight = SALIENCY_OPACITY * influence[..., None]
    return grey * (1 - weight) + colour * weight
