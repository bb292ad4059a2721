"""Inside the network: every layer's output from the prediction's one forward pass, and the
learned convolution kernels. Maps are drawn with square pixels (no smoothing)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.model import LAYER_SHAPES, Classifier
from lenet_desktop.core.predict import Prediction
from lenet_desktop.gui.services.language import Retranslated, fill, significant_text
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.widgets.colormaps import (
    DIVERGING,
    SEQUENTIAL,
    colour_image,
    diverging_levels,
    sequential_levels,
)
from lenet_desktop.gui.widgets.prediction_views import ACCENT, MUTED, TRACK


def layer_title(name: str) -> str:
    """A layer's title in the window's language, with the tutorial's name for its kind of layer."""
    return {
        "C1": QCoreApplication.translate("LayersPanel", "C1 · conv1 5×5 + ReLU"),
        "S2": QCoreApplication.translate("LayersPanel", "S2 · 2×2 max-pool"),
        "C3": QCoreApplication.translate("LayersPanel", "C3 · conv2 5×5 + ReLU"),
        "S4": QCoreApplication.translate("LayersPanel", "S4 · 2×2 max-pool"),
        "F5": QCoreApplication.translate("LayersPanel", "F5 · fc1 + ReLU"),
        "F6": QCoreApplication.translate("LayersPanel", "F6 · fc2 + ReLU"),
        "logits": QCoreApplication.translate("LayersPanel", "Output · fc3 logits"),
    }[name]


GRID_COLUMNS = {"C1": 6, "S2": 6, "C3": 8, "S4": 8}
CELL_GAP = 4


def shape_text(shape: tuple[int, ...]) -> str:
    return "×".join(str(n) for n in shape)


class MapGrid(QWidget):
    """A grid of same-sized 2-D maps, each scaled to whole pixels; clicking one emits its index."""

    mapClicked = Signal(int)
    painted = Signal()

    def __init__(self, columns: int, diverging: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._diverging = diverging
        self._maps = np.zeros((0, 1, 1), dtype=np.float32)
        self._images: list[QImage] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    @property
    def maps(self) -> np.ndarray:
        return self._maps

    @property
    def map_count(self) -> int:
        return len(self._images)

    @property
    def map_size(self) -> tuple[int, int] | None:
        return (self._images[0].height(), self._images[0].width()) if self._images else None

    def set_maps(self, maps: np.ndarray | None, scale: float | None = None) -> None:
        """Show `maps` (N, H, W); colours span 0..scale (or -scale..scale when diverging),
        by default the largest magnitude among them, so maps of one layer compare fairly."""
        old_shape = self._maps.shape
        if maps is None:
            self._maps = np.zeros((0, 1, 1), dtype=np.float32)
            self._images = []
        else:
            self._maps = np.asarray(maps, dtype=np.float32)
            extent = float(np.abs(self._maps).max()) if scale is None else scale
            if self._diverging:
                levels, table = diverging_levels(self._maps, extent), DIVERGING
            else:
                levels, table = sequential_levels(self._maps, extent), SEQUENTIAL
            self._images = [colour_image(level, table) for level in levels]
        if self._maps.shape != old_shape:  # a relayout per prediction would cost more than the paint
            self.updateGeometry()
        self.update()

    def _cell_side(self, width: int) -> int:
        if not self._images:
            return 0
        return max(1, (width - CELL_GAP * (self._columns - 1)) // self._columns)

    def _rows(self) -> int:
        return -(-len(self._images) // self._columns)

    def cell_rect(self, index: int) -> QRectF:
        side = self._cell_side(self.width())
        row, column = divmod(index, self._columns)
        map_height, map_width = self.map_size
        pixel = max(1, side // max(map_height, map_width))  # whole screen pixels per map pixel
        width, height = pixel * map_width, pixel * map_height
        return QRectF(column * (side + CELL_GAP), row * (side + CELL_GAP), width, height)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        side = self._cell_side(width)
        return max(0, self._rows() * (side + CELL_GAP) - CELL_GAP) if self._images else 24

    def sizeHint(self) -> QSize:
        return QSize(360, self.heightForWidth(360))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.heightForWidth(120))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if not self._images:
            painter.setPen(MUTED)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.tr("draw a digit")
            )
        for index, image in enumerate(self._images):
            painter.drawImage(self.cell_rect(index), image)
        painter.end()
        self.painted.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for index in range(len(self._images)):
            if self.cell_rect(index).contains(QPointF(event.position())):
                self.mapClicked.emit(index)
                return
        super().mousePressEvent(event)


class ActivationBars(QWidget):
    """A vector as a row of bars from a zero line; logits are labelled with their digit."""

    painted = Signal()

    def __init__(self, labelled: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._labelled = labelled
        self._values = np.zeros(0, dtype=np.float32)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(58 if labelled else 36)

    @property
    def values(self) -> np.ndarray:
        return self._values

    def set_values(self, values: np.ndarray | None) -> None:
        self._values = np.zeros(0, dtype=np.float32) if values is None else np.asarray(values, dtype=np.float32)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        label_height = self.fontMetrics().height() if self._labelled else 0
        area = QRectF(0, 0, self.width(), self.height() - label_height)
        painter.fillRect(area, QColor(248, 250, 252))
        count = len(self._values)
        if count:
            low, high = min(0.0, float(self._values.min())), max(0.0, float(self._values.max()))
            span = (high - low) or 1.0
            zero = area.bottom() - (0 - low) / span * area.height()
            step = area.width() / count
            bar = max(1.0, step * (0.7 if self._labelled else 0.8))
            top_index = int(self._values.argmax())
            for index, value in enumerate(self._values):
                height = value / span * area.height()
                colour = (
                    ACCENT
                    if (self._labelled and index == top_index)
                    else (QColor(100, 116, 139) if value >= 0 else QColor(239, 68, 68))
                )
                painter.fillRect(
                    QRectF(index * step + (step - bar) / 2, zero - max(height, 0), bar, abs(height)), colour
                )
                if self._labelled:
                    painter.setPen(self.palette().windowText().color())
                    painter.drawText(
                        QRectF(index * step, area.bottom(), step, label_height),
                        Qt.AlignmentFlag.AlignCenter,
                        str(index),
                    )
            painter.setPen(TRACK.darker(130))
            painter.drawLine(QPointF(0, zero), QPointF(self.width(), zero))
        painter.end()
        self.painted.emit()


class MapDialog(QDialog):
    """One map, large, with the range of its values and the colour scale.

    Its texts are set once: it is window-modal, so the language cannot change while it is open."""

    def __init__(self, title: str, values: np.ndarray, diverging: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.values = np.asarray(values, dtype=np.float32)
        low, high = float(self.values.min()), float(self.values.max())
        grid = MapGrid(columns=1, diverging=diverging)
        grid.setCursor(Qt.CursorShape.ArrowCursor)
        grid.set_maps(self.values[None], scale=float(np.abs(self.values).max()) if diverging else max(high, 0.0))
        grid.setMinimumSize(280, 280)
        self.range_label = QLabel(
            fill(
                self.tr("%1 · values from %2 to %3"),
                shape_text(self.values.shape),
                significant_text(low),
                significant_text(high),
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{title}</b>"))
        layout.addWidget(grid, 1)
        layout.addWidget(self.range_label)
        layout.addWidget(buttons)


def _section_title() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _set_section_title(label: QLabel, text: str, detail: str) -> None:
    label.setText(f"<b>{text}</b> <span style='color:#64748b'>{detail}</span>")


def _scrolling_column(area: QScrollArea) -> QVBoxLayout:
    """The layout of a frameless scroll area's content, which grows with the area's width."""
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    content = QWidget()
    area.setWidget(content)
    return QVBoxLayout(content)


class LayersPanel(Retranslated, QScrollArea):
    """Every layer's output for the current prediction: grids for C1-S4, bars for F5, F6, logits."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _scrolling_column(self)
        layout.setSpacing(4)
        self.grids: dict[str, MapGrid] = {}
        self.bars: dict[str, ActivationBars] = {}
        self.titles: dict[str, QLabel] = {}
        for name, shape in LAYER_SHAPES.items():
            self.titles[name] = _section_title()
            layout.addWidget(self.titles[name])
            if len(shape) == 3:
                grid = MapGrid(GRID_COLUMNS[name])
                grid.mapClicked.connect(lambda index, layer=name: self.show_map(layer, index))
                self.grids[name] = grid
                layout.addWidget(grid)
            else:
                self.bars[name] = ActivationBars(labelled=name == "logits")
                layout.addWidget(self.bars[name])
            layout.addSpacing(2)
        layout.addStretch(1)
        self._prediction: Prediction | None = None
        self.dialog: MapDialog | None = None
        self._retranslate()
        state.predictionChanged.connect(self._on_state_prediction_changed)
        self._on_state_prediction_changed(state.prediction)

    def _retranslate(self) -> None:
        for name, label in self.titles.items():
            _set_section_title(label, layer_title(name), shape_text(LAYER_SHAPES[name]))

    def views(self) -> list[QWidget]:
        return [*self.grids.values(), *self.bars.values()]

    def _on_state_prediction_changed(self, prediction: Prediction | None) -> None:
        self._prediction = prediction
        for name, grid in self.grids.items():
            grid.set_maps(None if prediction is None else prediction.activations[name])
        for name, bars in self.bars.items():
            bars.set_values(None if prediction is None else prediction.activations[name])

    def show_map(self, layer: str, index: int) -> MapDialog | None:
        if self._prediction is None:
            return None
        title = fill(self.tr("%1 · map %2 of %3"), layer_title(layer), index + 1, LAYER_SHAPES[layer][0])
        self.dialog = MapDialog(title, self._prediction.activations[layer][index], diverging=False, parent=self)
        self.dialog.open()
        return self.dialog


class KernelsPanel(Retranslated, QScrollArea):
    """The learned 5x5 kernels: conv1's 6 (one input channel) and conv2's 16 rows of 6."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = _scrolling_column(self)
        self.conv1 = MapGrid(columns=6, diverging=True)
        self.conv2 = MapGrid(columns=6, diverging=True)
        self._weights: dict[str, np.ndarray] = {}
        self.conv1.mapClicked.connect(lambda index: self.show_kernel("conv1", index))
        self.conv2.mapClicked.connect(lambda index: self.show_kernel("conv2", index))
        self.conv1_title = _section_title()
        self.conv2_title = _section_title()
        self.conv2_title.setWordWrap(True)
        layout.addWidget(self.conv1_title)
        layout.addWidget(self.conv1)
        layout.addSpacing(8)
        layout.addWidget(self.conv2_title)
        layout.addWidget(self.conv2)
        layout.addStretch(1)
        self.dialog: MapDialog | None = None
        self._retranslate()
        state.modelChanged.connect(self._on_state_model_changed)
        self._on_state_model_changed(state.classifier)

    def _retranslate(self) -> None:
        _set_section_title(
            self.conv1_title, self.tr("conv1 kernels"), self.tr("6 × 1×5×5 · red positive, blue negative")
        )
        _set_section_title(
            self.conv2_title,
            self.tr("conv2 kernels"),
            self.tr("16 × 6×5×5 · one row per output map, one column per input map"),
        )

    def _on_state_model_changed(self, classifier: Classifier) -> None:
        self._weights = {
            "conv1": classifier.net.conv1.weight.detach().cpu().numpy().reshape(6, 5, 5),
            "conv2": classifier.net.conv2.weight.detach().cpu().numpy().reshape(16 * 6, 5, 5),
        }
        for name, grid in (("conv1", self.conv1), ("conv2", self.conv2)):
            grid.set_maps(self._weights[name])

    def show_kernel(self, layer: str, index: int) -> MapDialog:
        if layer == "conv1":
            title = fill(self.tr("conv1 kernel %1 of 6"), index + 1)
        else:
            title = fill(self.tr("conv2 kernel: output map %1, input map %2"), index // 6 + 1, index % 6 + 1)
        self.dialog = MapDialog(title, self._weights[layer][index], diverging=True, parent=self)
        self.dialog.open()
        return self.dialog
