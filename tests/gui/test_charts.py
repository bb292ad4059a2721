"""The training curves' axes: fitted to the points, with ticks at round steps."""

from __future__ import annotations

import math

import pytest

from lenet_desktop.gui.widgets.charts import CurveChart


def round_step(step: float) -> bool:
    mantissa = step / 10.0 ** math.floor(math.log10(step) + 1e-9)
    return any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5))


@pytest.fixture
def accuracy_chart(qtbot):
    chart = CurveChart(y_range=(0.0, 1.0))  # as the Training tab's accuracy chart
    qtbot.addWidget(chart)
    chart.show()
    return chart


def test_accuracy_curves_fill_the_chart_with_round_ticks(accuracy_chart):
    """The 0-1 axis pressed curves of 0.95-0.99 against the top, ticked at 0.28, 0.56, 0.83, 1.11."""
    for x, (train, test) in enumerate([(0.95, 0.96), (0.975, 0.98), (0.985, 0.99)], start=1):
        accuracy_chart.add_point("train", x * 100, train)
        accuracy_chart.add_point("test", x * 100, test)
    for axis in (accuracy_chart.y_axis, accuracy_chart.x_axis):
        assert axis.tickType() == axis.TickType.TicksDynamic and round_step(axis.tickInterval())
        assert math.isclose(axis.min() / axis.tickInterval(), round(axis.min() / axis.tickInterval()), abs_tol=1e-6)
    y = accuracy_chart.y_axis
    assert 0.9 <= y.min() <= 0.95 and 0.99 <= y.max() <= 1.0, (y.min(), y.max())
    assert (y.max() - y.min()) / y.tickInterval() <= 10
    assert accuracy_chart.x_axis.max() == 300


def test_an_accuracy_axis_stays_within_0_and_1(accuracy_chart):
    accuracy_chart.add_point("train", 1, 0.05)
    accuracy_chart.add_point("train", 2, 1.0)
    assert accuracy_chart.y_axis.min() == 0.0 and accuracy_chart.y_axis.max() == 1.0
    assert round_step(accuracy_chart.y_axis.tickInterval())
