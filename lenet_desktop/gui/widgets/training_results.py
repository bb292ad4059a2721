"""The Training tab's before/after view: a run's scores beside the old model's, the MNIST digits that fell,
and its confusion matrix, with Keep and Discard."""

from __future__ import annotations

import html

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.personalise import FallenDigit
from lenet_desktop.core.train import ModelScores
from lenet_desktop.gui.services.language import Retranslated, fill, percent_text
from lenet_desktop.gui.widgets.misread_gallery import ConfusionTable
from lenet_desktop.gui.widgets.status_label import ERROR_STYLE


class TrainingResults(Retranslated, QGroupBox):
    """The runs of a result to choose from (`run_box`), and what the chosen one scores; the owner
    connects the buttons, the run box, the confusion table's cells and the fallen digits' links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_box = QComboBox()
        self.scores_table = QTableWidget(2, 2)
        self.scores_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scores_table.setMaximumHeight(90)
        self.confusion_table = ConfusionTable()
        for table in (self.scores_table, self.confusion_table):  # results, not a form
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keep_button = QPushButton()
        self.discard_button = QPushButton()
        self.result_of_label = QLabel()
        self.confusion_label = QLabel()
        decision = QHBoxLayout()
        decision.addWidget(self.result_of_label)
        decision.addWidget(self.run_box, 1)
        decision.addWidget(self.keep_button)
        decision.addWidget(self.discard_button)
        layout = QVBoxLayout()
        layout.addLayout(decision)
        layout.addWidget(self.scores_table)
        self.fallen_label = QLabel()
        self.fallen_label.setWordWrap(True)
        layout.addWidget(self.fallen_label)
        layout.addWidget(self.confusion_label)
        layout.addWidget(self.confusion_table)
        self.setLayout(layout)
        self.setEnabled(False)
        self._retranslate()

    def _retranslate(self) -> None:
        self.scores_table.setHorizontalHeaderLabels([self.tr("Before"), self.tr("After")])
        self.scores_table.setVerticalHeaderLabels([self.tr("MNIST test"), self.tr("Held-out corrections")])
        self.confusion_table.setToolTip(
            self.tr(
                "After the run, MNIST test: rows are the true digit, columns the answer; the tooltip gives the count before"
            )
        )
        self.keep_button.setText(self.tr("Keep"))
        self.keep_button.setToolTip(self.tr("Make the new model active and save it into the model history"))
        self.discard_button.setText(self.tr("Discard"))
        self.result_of_label.setText(self.tr("Result of"))
        self.confusion_label.setText(
            self.tr("Confusion matrix after the run (MNIST test; rows: true digit, columns: answer)")
        )
        self.setTitle(self.tr("Before and after"))

    def show_scores(self, before: ModelScores, after: ModelScores, held_out: int) -> None:
        """The old and the new model's accuracy on MNIST test and the held-out corrections, and the new confusion matrix."""
        rows = [(before.mnist, after.mnist, "%1"), (before.corrections, after.corrections, self.tr("%1 of %2"))]
        for row, (old, new, form) in enumerate(rows):
            for column, evaluation in enumerate((old, new)):
                text = (
                    fill(form, percent_text(evaluation.accuracy, 2), held_out)
                    if evaluation is not None
                    else self.tr("not measured")
                )
                self.scores_table.setItem(row, column, QTableWidgetItem(text))
        self.confusion_table.show_counts(
            after.mnist.confusion if after.mnist is not None else None,
            before.mnist.confusion if before.mnist is not None else None,
        )

    def show_fallen(self, fallen: list[FallenDigit]) -> None:
        """Every MNIST digit that fell by more than half a point, in words, so a drop hidden in the
        overall figure (sevens read as ones after learning continental ones) is seen before Keep."""
        lines = [
            f'<a href="{f.digit}">'
            + html.escape(
                self.tr("{digits}: {before} → {after}, {count} now read as {answer}").format(
                    digits=self.digit_names()[f.digit],
                    before=percent_text(f.before),
                    after=percent_text(f.after),
                    count=f.count,
                    answer=f.read_as,
                )
            )
            + "</a>"
            for f in fallen
        ]
        if lines:
            self.fallen_label.setText(
                html.escape(
                    self.tr("MNIST digits that fell by more than 0.5 points (click one to see its misread images):")
                )
                + "<br>"
                + "<br>".join(lines)
            )
            self.fallen_label.setStyleSheet(ERROR_STYLE if any(f.past_limit for f in fallen) else "")
        else:
            self.fallen_label.setText(self.tr("No MNIST digit fell by more than 0.5 points."))
            self.fallen_label.setStyleSheet("")

    def digit_names(self) -> list[str]:
        return [
            self.tr("zeros"),
            self.tr("ones"),
            self.tr("twos"),
            self.tr("threes"),
            self.tr("fours"),
            self.tr("fives"),
            self.tr("sixes"),
            self.tr("sevens"),
            self.tr("eights"),
            self.tr("nines"),
        ]

    def clear(self) -> None:
        """No result: the view empty and greyed."""
        self.fallen_label.clear()
        self.run_box.clear()
        self.scores_table.clearContents()
        self.confusion_table.clearContents()
        self.setEnabled(False)
