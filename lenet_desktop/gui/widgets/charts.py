"""Line charts for training curves, on QtCharts.

QtCharts ships inside PySide6, which the app needs anyway, so the curves cost no extra
dependency and no extra size in the PyInstaller bundle (pyqtgraph would add a package and pull
its own numpy-based rendering); its QLineSeries take appended points cheaply, enough for a few
points per second per run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from lenet_desktop.gui.services.language import ui_locale

# About this many ticks on an axis, at a step of 1, 2 or 5 times a power of ten.
TICKS = 5


def nice_axis(low: float, high: float, bounds: tuple[float, float] | None = None) -> tuple[float, float, float]:
    """(start, end, step) of an axis that shows low..high: the ends on whole steps, the step 1, 2 or 5
    times a power of ten, the ends kept within `bounds` (0..1 for an accuracy)."""
    if high - low < 1e-9:
        low, high = low - 5e-4, high + 5e-4
    raw = (high - low) / TICKS
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m for m in (1, 2, 5, 10) if raw <= m * power * (1 + 1e-9)) * power
    start, end = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    if bounds is not None:
        start, end = max(start, bounds[0]), min(end, bounds[1])
    return start, end, step


def set_nice_axis(axis: QValueAxis, low: float, high: float, bounds: tuple[float, float] | None = None) -> None:
    start, end, step = nice_axis(low, high, bounds)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    # Each call lays the ticks out at once: the new range under the old step (or the other way round) can
    # mean thousands of ticks for a moment, which held the window a second at a run's first points.
    axis.setTickInterval(max(step, end - start, axis.max() - axis.min()))
    axis.setRange(start, end)
    axis.setTickAnchor(start)
    axis.setTickInterval(step)
    axis.setLabelFormat(f"%.{max(0, -math.floor(math.log10(step) + 1e-9))}f")


class CurveChart(QChartView):
    """Line series on shared axes that grow to fit the points added, with ticks at round steps. A series
    is found by its key; its name in the legend is `series_name(key)`, given again with each language.
    `y_range`: the bounds the y axis stays within (0..1 for an accuracy); inside them it fits the points,
    so that curves close together are told apart rather than pressed against the top."""

    def __init__(
        self,
        title: str = "",
        x_title: str = "",
        y_title: str = "",
        y_range: tuple[float, float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._y_bounds = y_range
        self._series_name: Callable[[Hashable], str] = str
        self._series: dict[Hashable, QLineSeries] = {}
        self.chart_ = QChart()
        self.chart_.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_.setLocalizeNumbers(True)  # the axes' numbers with the language's decimal sign
        self.x_axis, self.y_axis = QValueAxis(), QValueAxis()
        self.set_titles(title, x_title, y_title)
        self.chart_.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart_.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        self.setChart(self.chart_)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(180)
        self.clear()

    def set_titles(self, title: str, x_title: str, y_title: str, series_name: Callable[[Hashable], str] = str) -> None:
        """The chart's, its axes' and its series' names, in the language the owner translates to."""
        self.chart_.setLocale(ui_locale())
        self.chart_.setTitle(title)
        self.x_axis.setTitleText(x_title)
        self.y_axis.setTitleText(y_title)
        self._series_name = series_name
        for key, series in self._series.items():
            series.setName(series_name(key))

    def clear(self) -> None:
        self.chart_.removeAllSeries()
        self._series.clear()
        self._x_max, self._y_min, self._y_max = 1.0, None, None
        set_nice_axis(self.x_axis, 0, 1)
        set_nice_axis(self.y_axis, *(self._y_bounds or (0, 1)))

    def series(self, key: Hashable) -> QLineSeries:
        if key not in self._series:
            series = QLineSeries()
            series.setName(self._series_name(key))
            self.chart_.addSeries(series)
            series.attachAxis(self.x_axis)
            series.attachAxis(self.y_axis)
            self._series[key] = series
        return self._series[key]

    def series_names(self) -> list[str]:
        return [series.name() for series in self._series.values()]

    def add_point(self, key: Hashable, x: float, y: float) -> None:
        self.series(key).append(QPointF(x, y))
        if x > self._x_max:
            self._x_max = x
            set_nice_axis(self.x_axis, 0, x)
        self._y_min = y if self._y_min is None else min(self._y_min, y)
        self._y_max = y if self._y_max is None else max(self._y_max, y)
        pad = max(1e-3, 0.05 * (self._y_max - self._y_min))
        set_nice_axis(self.y_axis, max(0.0, self._y_min - pad), self._y_max + pad, self._y_bounds)
