"""The Inspector's Update tab: what one update did to the chosen parameter's values and to the
drawing's probabilities, and how a probability and its change are written."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from lenet_desktop.core.inspector import UpdateResult
from lenet_desktop.gui.services.language import (
    Retranslated,
    fill,
    number_text,
    percent_text,
    significant_text,
    ui_locale,
)
from lenet_desktop.gui.widgets.code_views import fill_table, monospace, value_table
from lenet_desktop.gui.widgets.prediction_views import ACCENT

SHOWN_VALUES = 8  # of the chosen parameter, in the before/after table


def probability_text(probability: float) -> str:
    """Percent with two decimals, unless that would round a tiny or near-certain value away."""
    if probability < 1e-4:
        return ui_locale().toString(float(probability), "e", 1)
    return percent_text(probability, 2) if probability <= 0.9999 else percent_text(probability, 5)


# The finest change of a probability worth naming, in percentage points; anything smaller reads as 0.
FINEST_CHANGE_DECIMALS = 8


def change_text(change: float) -> str:
    """A probability's change in percentage points, like the column's others ("-0.0079%", never
    "-7.9e-05", a fraction beside percentages): two decimals, or two significant digits when smaller."""
    sign = "+" if change >= 0 else ""
    points = abs(change) * 100
    fine = 0 < points < 0.01  # not NaN either: a step that diverged says so in its own words
    decimals = 2 if not fine else min(FINEST_CHANGE_DECIMALS, 1 - math.floor(math.log10(points)))
    return sign + percent_text(change, decimals)


def signed_text(value: float, decimals: int) -> str:
    return ("+" if value >= 0 else "") + number_text(value, decimals)


class StepUpdateView(Retranslated, QWidget):
    """The code of the last update, its one-line summary, and two tables: the first values of the
    parameter shown before and after it, and the ten probabilities before and after it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.update_code = QLabel()
        self.update_code.setFont(monospace())
        self.update_code.setWordWrap(True)
        self.update_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.target_change = QLabel()
        self.target_change.setTextFormat(Qt.TextFormat.RichText)
        self.target_change.setWordWrap(True)
        self.values_title = QLabel()
        self.values_table = value_table(5)
        self.probability_table = value_table(4)
        tables = QSplitter(Qt.Orientation.Vertical)  # one above the other: side by side they overflow the tab
        values = QWidget()
        column = QVBoxLayout(values)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.values_title)
        column.addWidget(self.values_table, 1)
        probabilities = QWidget()
        column = QVBoxLayout(probabilities)
        column.setContentsMargins(0, 0, 0, 0)
        self.probabilities_title = QLabel()
        column.addWidget(self.probabilities_title)
        column.addWidget(self.probability_table, 1)
        tables.addWidget(values)
        tables.addWidget(probabilities)
        column = QVBoxLayout(self)
        column.addWidget(self.update_code)
        column.addWidget(self.target_change)
        column.addWidget(tables, 1)
        self._retranslate()

    def _retranslate(self) -> None:
        self.values_table.setHorizontalHeaderLabels(
            [self.tr("index"), self.tr("before"), self.tr("gradient"), self.tr("after"), self.tr("change")]
        )
        self.probability_table.setHorizontalHeaderLabels(
            [self.tr("digit"), self.tr("before"), self.tr("after"), self.tr("change")]
        )
        self.probabilities_title.setText(self.tr("<b>Probabilities for the drawing</b>"))

    def show_update(self, result: UpdateResult | None, name: str) -> None:
        """What `result` did to the parameter `name` and to the probabilities; before any update, how to make one."""
        if result is None:
            self.update_code.setText(self.tr("Press 5 (update) after backward() to apply the gradients."))
            self.target_change.setText("")
            self.values_title.setText(f"<b>{name}</b>")
            fill_table(self.values_table, [])
            fill_table(self.probability_table, [])
            return
        self.update_code.setText(result.transcript.code)
        self.target_change.setText(self.summary(result))
        before, gradient, after = (
            values[name].ravel()[:SHOWN_VALUES].astype(np.float64)
            for values in (result.before, result.gradients, result.after)
        )
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged step shows inf and nan as they are
            change = after - before
        total = result.before[name].size
        self.values_title.setText(
            fill(self.tr("<b>%1</b>, its first %2 of %3 values"), name, before.size, number_text(total))
        )
        fill_table(
            self.values_table,
            [
                [
                    str(i),
                    number_text(before[i], 6),
                    number_text(gradient[i], 6),
                    number_text(after[i], 6),
                    signed_text(change[i], 6),
                ]
                for i in range(before.size)
            ],
        )
        was, now = result.probabilities_before, result.prediction.probabilities
        fill_table(
            self.probability_table,
            [
                [
                    str(d),
                    probability_text(float(was[d])),
                    probability_text(float(now[d])),
                    change_text(float(now[d] - was[d])),
                ]
                for d in range(10)
            ],
            highlighted=result.target,
        )

    def summary(self, result: UpdateResult) -> str:
        """The update in one line: the target's probability before and after, the new answer, the largest change."""
        if not result.finite:
            return self.tr(
                "The step diverged: weights or probabilities are no longer numbers. Reset and use a smaller learning rate."
            )
        change = result.target_probability_after - result.target_probability_before
        colour = ACCENT.name() if change >= 0 else "#b91c1c"
        return fill(
            self.tr("P(digit %1): %2 → <b style='color:%3'>%4</b> (%5) · now predicts %6 · largest weight change %7"),
            result.target,
            probability_text(result.target_probability_before),
            colour,
            probability_text(result.target_probability_after),
            change_text(change),
            result.prediction.digit,
            significant_text(result.largest_change, 3),
        )
