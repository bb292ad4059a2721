"""The window's drawing side: the pen, eraser, brush width, undo, redo and clear tools above the canvas,
and the hint below it; the brush width chosen is remembered for the next start."""

from __future__ import annotations

import math

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QSlider, QToolButton, QVBoxLayout, QWidget

from lenet_desktop.gui.services.language import Retranslated
from lenet_desktop.gui.widgets.canvas import BRUSH_WIDTH_RANGE, DEFAULT_BRUSH_WIDTH, CanvasStrip, DrawingCanvas

BRUSH_WIDTH = "canvas/brush_width"  # its QSettings key


def remembered_brush_width(settings: QSettings) -> float:
    """The width remembered; the default where the settings file holds no number there (edited by hand,
    cut short): the window must still open."""
    try:
        width = float(settings.value(BRUSH_WIDTH, DEFAULT_BRUSH_WIDTH))
    except (TypeError, ValueError):
        return DEFAULT_BRUSH_WIDTH
    return width if not math.isnan(width) else DEFAULT_BRUSH_WIDTH


def _tool_button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class DrawingSide(Retranslated, QWidget):
    """The canvas with its tools; the buttons trigger the window's actions (their shortcuts are the window's)."""

    def __init__(
        self,
        canvas: DrawingCanvas,
        settings: QSettings,
        *,
        pen: QAction,
        eraser: QAction,
        undo: QAction,
        redo: QAction,
        clear: QAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.settings = settings
        tools = QHBoxLayout()
        tools.setSpacing(4)
        self.pen_button = _tool_button(pen)
        self.eraser_button = _tool_button(eraser)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.pen_button)
        group.addButton(self.eraser_button)
        tools.addWidget(self.pen_button)
        tools.addWidget(self.eraser_button)
        tools.addSpacing(10)
        self.width_title = QLabel()
        tools.addWidget(self.width_title)
        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider.setRange(*BRUSH_WIDTH_RANGE)
        self.width_slider.setValue(round(self.canvas.brush_width))
        self.width_slider.setMinimumWidth(90)
        self.width_label = QLabel()
        self.width_label.setMinimumWidth(self.width_label.fontMetrics().horizontalAdvance("40 px"))
        self.width_slider.valueChanged.connect(self._on_width_slider_changed)
        self._on_width_slider_changed(self.width_slider.value())
        tools.addWidget(self.width_slider, 1)
        tools.addWidget(self.width_label)
        tools.addSpacing(10)
        self.undo_button = _tool_button(undo)
        self.redo_button = _tool_button(redo)
        self.clear_button = _tool_button(clear)
        for button in (self.undo_button, self.redo_button, self.clear_button):
            tools.addWidget(button)

        self.hint = QLabel()
        self.hint.setStyleSheet("color: #64748b;")
        self.hint.setWordWrap(True)
        drawing_layout = QVBoxLayout(self)
        drawing_layout.setContentsMargins(8, 8, 4, 8)
        drawing_layout.addLayout(tools)
        drawing_layout.addWidget(CanvasStrip(self.canvas), 1)
        drawing_layout.addWidget(self.hint)
        self._retranslate()

    def _retranslate(self) -> None:
        self.width_title.setText(self.tr("Width"))
        self.width_slider.setToolTip(self.tr("Brush width in pixels of the 280×280 drawing"))
        self.hint.setText(self.tr("Draw a digit with the mouse or a pen · drop or paste an image to use it"))

    def _on_width_slider_changed(self, value: int) -> None:
        self.canvas.set_brush_width(value)
        self.width_label.setText(f"{value} px")
        self.settings.setValue(BRUSH_WIDTH, value)
