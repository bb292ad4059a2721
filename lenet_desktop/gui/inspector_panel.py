"""The Inspector: the seed tutorial's steps, one button each, on the user's own drawing.

It works on a StepInspector's scratch copy of the active model; only "Keep" makes the result
active. A stage on one 32x32 drawing takes milliseconds, so it runs on the GUI thread. The
exception is a process's first torch.optim optimizer: torch imports torch._dynamo then (a second
or two, once). It is not imported in a background thread because torch's lazy imports are not
safe to run alongside another thread's (seen here: a half-registered `prims` namespace).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.history import ModelHistory
from lenet_desktop.core.inspector import (
    SHOWN_PARAMETER,
    STAGE_LABELS,
    UPDATE_METHODS,
    LossResult,
    Stage,
    StepInspector,
    Transcript,
    UpdateResult,
    default_learning_rate,
    method_label,
    walk_expression,
)
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import Prediction
from lenet_desktop.core.train import LOSS_LABELS
from lenet_desktop.gui.autograd_graph_view import AutogradGraphView
from lenet_desktop.gui.network_views import MapGrid, shape_text
from lenet_desktop.gui.prediction_views import ACCENT
from lenet_desktop.gui.state import AppState

BUTTON_TEXT = {
    Stage.ZERO_GRAD: "1  zero_grad()",
    Stage.FORWARD: "2  forward",
    Stage.LOSS: "3  loss",
    Stage.BACKWARD: "4  backward()",
    Stage.UPDATE: "5  update",
}
SHOWN_VALUES = 8  # of the chosen parameter, in the before/after table
ERROR_STYLE = "color: #b91c1c;"
KERNEL_COLUMNS = 6


def probability_text(probability: float) -> str:
    """Percent with two decimals, unless that would round a tiny or near-certain value away."""
    if probability < 1e-4:
        return f"{probability:.1e}"
    return f"{probability:.2%}" if probability <= 0.9999 else f"{probability:.5%}"


def change_text(change: float) -> str:
    return f"{change:+.2%}" if abs(change) >= 1e-4 or change == 0 else f"{change:+.1e}"


def array_text(values: np.ndarray) -> str:
    return np.array2string(values, precision=4, threshold=120, edgeitems=3, max_line_width=90)


def notebook_text(transcript: Transcript) -> str:
    """The stage as notebook input and output: `>>>` before each line of code."""
    code = "\n".join((">>> " if i == 0 or not line.startswith(" ") else "... ") + line for i, line in enumerate(transcript.code.splitlines()))
    return f"{code}\n{transcript.output}\n"


def _monospace() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def _read_only_text() -> QPlainTextEdit:
    text = QPlainTextEdit()
    text.setReadOnly(True)
    text.setFont(_monospace())
    text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return text


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], highlighted: int | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter if c else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if r == highlighted:
                item.setBackground(QBrush(QColor(219, 234, 254)))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)


class InspectorPanel(QWidget):
    """One training step taken apart, stage by stage, on the current drawing and a chosen digit."""

    modelKept = Signal(object)  # the HistoryEntry of the model made active

    def __init__(self, state: AppState, history: ModelHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.history = history
        self.inspector = StepInspector(state.classifier)
        self._frame: np.ndarray | None = None
        self._target_chosen = False  # until the user picks a target, it follows the predicted digit
        self._gradients: dict[str, np.ndarray] | None = None
        self._last_update: UpdateResult | None = None

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.target_box = QComboBox()
        self.target_box.addItems([str(digit) for digit in range(10)])
        self.target_box.setToolTip("The digit the step teaches the network: the loss's target")
        self.loss_box = QComboBox()
        for name, label in LOSS_LABELS.items():
            self.loss_box.addItem(label, name)
        self.update_box = QComboBox()
        for method in UPDATE_METHODS:
            self.update_box.addItem(method_label(method), method)
        self.rate_box = QDoubleSpinBox()
        self.rate_box.setDecimals(6)
        self.rate_box.setRange(1e-6, 10.0)
        self.rate_box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate_box.setValue(default_learning_rate(self.method))
        self.parameter_box = QComboBox()
        self.parameter_box.addItems([row.name for row in self.inspector.parameters()])
        self.parameter_box.setCurrentText(SHOWN_PARAMETER)
        self.parameter_box.setToolTip("The parameter whose gradient and before/after values are shown")
        for box in (self.loss_box, self.update_box):  # long labels must not widen the window
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)

        self.stage_buttons = {stage: QPushButton(text) for stage, text in BUTTON_TEXT.items()}
        for stage, button in self.stage_buttons.items():
            button.setToolTip(f"Run {STAGE_LABELS[stage]} on the scratch copy")
            button.clicked.connect(lambda _=False, s=stage: self.run_stage(s))
        self.step_button = QPushButton("Run all five")
        self.step_button.setToolTip("zero_grad, forward, loss, backward and update in one go")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Throw the scratch copy away and start again from the active model")
        self.keep_button = QPushButton("Keep as active model")
        self.keep_button.setToolTip("Make the scratch weights the model that predicts your drawings")
        self.change_label = QLabel()
        self.change_label.setWordWrap(True)
        self.change_label.setTextFormat(Qt.TextFormat.RichText)

        self.tabs = QTabWidget()
        self.transcript = _read_only_text()
        self.pages = {
            "Transcript": self.transcript,
            "Model": self._build_model_tab(),
            "Graph": self._build_graph_tab(),
            "Gradients": self._build_gradient_tab(),
            "Update": self._build_update_tab(),
        }
        for title, page in self.pages.items():
            self.tabs.addTab(page, title)

        settings = QGridLayout()
        for row, column, label, box in (
            (0, 0, "Target digit", self.target_box),
            (0, 2, "Loss", self.loss_box),
            (1, 0, "Learning rate", self.rate_box),
            (1, 2, "Update", self.update_box),
            (2, 0, "Parameter shown", self.parameter_box),
        ):
            settings.addWidget(QLabel(label), row, column)
            settings.addWidget(box, row, column + 1)
        settings.setColumnStretch(3, 1)
        stages = QHBoxLayout()
        for button in self.stage_buttons.values():
            stages.addWidget(button)
        actions = QHBoxLayout()
        actions.addWidget(self.step_button)
        actions.addWidget(self.reset_button)
        actions.addStretch(1)
        actions.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(settings)
        layout.addLayout(stages)
        layout.addLayout(actions)
        layout.addWidget(self.change_label)
        layout.addWidget(self.tabs, 1)

        self.step_button.clicked.connect(self.run_whole_step)
        self.reset_button.clicked.connect(self.reset)
        self.keep_button.clicked.connect(self.keep)
        self.target_box.activated.connect(self._on_target_box_activated)
        self.loss_box.currentIndexChanged.connect(self._on_step_setting_changed)
        self.update_box.currentIndexChanged.connect(self._on_update_box_changed)
        self.parameter_box.currentTextChanged.connect(self._on_parameter_box_changed)
        state.modelChanged.connect(self._on_state_model_changed)
        state.predictionChanged.connect(self._on_state_prediction_changed)
        self._on_state_model_changed(state.classifier)
        self._on_state_prediction_changed(state.prediction)

    # --- construction ----------------------------------------------------------------------

    def _build_model_tab(self) -> QWidget:
        self.model_text = _read_only_text()
        self.parameter_table = _table(["name", "shape", "count"])
        self.parameter_total = QLabel()
        parameters = QWidget()
        column = QVBoxLayout(parameters)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>net.parameters()</b>"))
        column.addWidget(self.parameter_table, 1)
        column.addWidget(self.parameter_total)
        printed = QWidget()
        column = QVBoxLayout(printed)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>print(net)</b>"))
        column.addWidget(self.model_text, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(printed)
        splitter.addWidget(parameters)
        splitter.setSizes([150, 400])
        return splitter

    def _build_graph_tab(self) -> QWidget:
        self.graph_summary = QLabel()
        self.graph_summary.setWordWrap(True)
        self.graph_summary.setFont(_monospace())
        self.graph_view = AutogradGraphView()
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(self.graph_summary)
        column.addWidget(self.graph_view, 1)
        return tab

    def _build_gradient_tab(self) -> QWidget:
        self.gradient_title = QLabel()
        self.gradient_text = _read_only_text()
        self.gradient_image_title = QLabel("As an image: one 5×5 square per kernel, a row per output map · red positive, blue negative")
        self.gradient_image_title.setWordWrap(True)
        self.gradient_image = MapGrid(columns=KERNEL_COLUMNS, diverging=True)
        self.gradient_image.setCursor(Qt.CursorShape.ArrowCursor)
        image = QWidget()
        column = QVBoxLayout(image)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.gradient_image_title)
        column.addWidget(self.gradient_image)
        column.addStretch(1)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setWidget(image)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.gradient_text)
        splitter.addWidget(scroller)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([160, 400])
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(self.gradient_title)
        column.addWidget(splitter, 1)
        return tab

    def _build_update_tab(self) -> QWidget:
        self.update_code = QLabel()
        self.update_code.setFont(_monospace())
        self.update_code.setWordWrap(True)
        self.update_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.target_change = QLabel()
        self.target_change.setTextFormat(Qt.TextFormat.RichText)
        self.target_change.setWordWrap(True)
        self.values_title = QLabel()
        self.values_table = _table(["index", "before", "gradient", "after", "change"])
        self.probability_table = _table(["digit", "before", "after", "change"])
        tables = QSplitter(Qt.Orientation.Vertical)  # one above the other: side by side they overflow the tab
        values = QWidget()
        column = QVBoxLayout(values)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.values_title)
        column.addWidget(self.values_table, 1)
        probabilities = QWidget()
        column = QVBoxLayout(probabilities)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>Probabilities for the drawing</b>"))
        column.addWidget(self.probability_table, 1)
        tables.addWidget(values)
        tables.addWidget(probabilities)
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(self.update_code)
        column.addWidget(self.target_change)
        column.addWidget(tables, 1)
        return tab

    # --- settings ---------------------------------------------------------------------------

    @property
    def target(self) -> int:
        return self.target_box.currentIndex()

    @property
    def loss(self) -> str:
        return self.loss_box.currentData()

    @property
    def method(self) -> str:
        return self.update_box.currentData()

    def set_target(self, digit: int) -> None:
        """Choose the digit the step teaches, as picking it in the chooser does."""
        self.target_box.setCurrentIndex(digit)
        self._on_target_box_activated(digit)

    def _on_target_box_activated(self, _index: int) -> None:
        self._target_chosen = True
        self._on_step_setting_changed()

    def _on_step_setting_changed(self) -> None:
        """A new target or loss makes the recorded loss and graph stale: start the step again."""
        if self.inspector.stage != Stage.NONE:
            self.inspector.restart_step()
            self._say("The target or loss changed: the step starts again at zero_grad().")
        self._refresh()

    def _on_update_box_changed(self) -> None:
        self.rate_box.setValue(default_learning_rate(self.method))
        self._refresh()

    def _on_parameter_box_changed(self) -> None:
        self._show_gradient()
        self._show_update()

    # --- the state --------------------------------------------------------------------------

    def _on_state_model_changed(self, classifier: Classifier) -> None:
        self.inspector = StepInspector(classifier)
        self.model_text.setPlainText(self.inspector.model_text())
        rows = self.inspector.parameters()
        _fill(self.parameter_table, [[row.name, f"torch.Size({list(row.shape)})", f"{row.count:,}"] for row in rows])
        self.parameter_total.setText(f"{len(rows)} tensors, {sum(row.count for row in rows):,} numbers in all")
        self._clear_step_views()
        self._say(f"A fresh scratch copy of <b>{classifier.name}</b>.")
        self._refresh()

    def _on_state_prediction_changed(self, prediction: Prediction | None) -> None:
        self._frame = None if prediction is None else prediction.frame
        if prediction is None:
            self._target_chosen = False
        elif not self._target_chosen:
            self.target_box.setCurrentIndex(prediction.digit)
        if self.inspector.stage != Stage.NONE:
            self.inspector.restart_step()
            self._say("The drawing changed: the step starts again at zero_grad().")
        self._refresh()

    # --- the stages -------------------------------------------------------------------------

    def run_stage(self, stage: Stage) -> None:
        """Run one stage on the scratch copy and show what it changed."""
        if self._frame is None:
            return
        try:
            if stage == Stage.ZERO_GRAD:
                result = self.inspector.zero_grad()
                self._gradients = None
                self._show_gradient()
                self._say(f"Every <code>.grad</code> is cleared: <code>{SHOWN_PARAMETER}.grad</code> is <b>None</b>.", "Gradients")
            elif stage == Stage.FORWARD:
                result = self.inspector.forward(self._frame)
                probability = probability_text(float(result.probabilities[self.target]))
                self._say(f"The output carries <code>grad_fn</code>; P(digit {self.target}) = <b>{probability}</b>.", "Transcript")
            elif stage == Stage.LOSS:
                result = self.inspector.compute_loss(self.target, self.loss)
                self._show_graph(result)
                self._say(f"loss = <b>{result.value:.6g}</b>; autograd recorded {len(result.graph.nodes)} nodes for backward.", "Graph")
            elif stage == Stage.BACKWARD:
                result = self.inspector.backward()
                self._gradients = result.gradients
                self._show_gradient()
                self._say(f"{len(result.gradients)} gradients filled; <code>{SHOWN_PARAMETER}.grad</code> = {array_text(result.shown_gradient)}", "Gradients")
            else:
                result = self.inspector.update(self.method, self.rate_box.value())
                self._last_update = result
                self._show_update()
                self._say(self._update_summary(result), "Update")
        except ValueError as error:  # a refused setting or stage: one line, never a traceback
            self._say(str(error), error=True)
            self._refresh()
            return
        self.transcript.appendPlainText(notebook_text(result.transcript))
        self._refresh()

    def run_whole_step(self) -> None:
        for stage in BUTTON_TEXT:
            self.run_stage(stage)

    def reset(self) -> None:
        self._on_state_model_changed(self.state.classifier)

    def keep(self) -> None:
        try:
            kept = self.inspector.keep()
        except ValueError as error:
            self._say(str(error), error=True)
            return
        try:  # into the model history, as a kept training run goes: the next start uses it too
            entry = self.history.keep(kept)
        except OSError as error:
            self._say(self.tr("Could not save the model: {reason}").format(reason=error.strerror or error), error=True)
            return
        self.state.set_classifier(kept, entry.path)
        self.modelKept.emit(entry)
        self._say(f"<b>{kept.name}</b> is now the active model; this is a fresh scratch copy of it.")

    # --- views ------------------------------------------------------------------------------

    def _say(self, html: str, tab: str | None = None, error: bool = False) -> None:
        self.change_label.setStyleSheet(ERROR_STYLE if error else "")
        self.change_label.setText(html)
        if tab is not None:
            self.tabs.setCurrentWidget(self.pages[tab])

    def _refresh(self) -> None:
        """Enable the next stage only, and say where the scratch copy stands."""
        stage, ready = self.inspector.stage, self._frame is not None
        for button_stage, button in self.stage_buttons.items():
            # zero_grad starts a step at any point; every other stage needs the one before it.
            allowed = stage != Stage.ZERO_GRAD if button_stage == Stage.ZERO_GRAD else stage == button_stage - 1
            button.setEnabled(ready and allowed)
        self.step_button.setEnabled(ready)
        steps = self.inspector.steps_taken
        self.keep_button.setEnabled(steps > 0 and not self.inspector.diverged)
        self.reset_button.setEnabled(steps > 0)
        where = "draw a digit to inspect a training step on it" if not ready else f"next: {STAGE_LABELS[Stage(stage % Stage.UPDATE + 1)]}"
        active = "unchanged until you keep the result" if steps else "unchanged"
        self.status_label.setText(
            f"Scratch copy of <b>{self.inspector.source.name}</b> · {steps} update(s) taken · active model {active} · {where}"
        )

    def _clear_step_views(self) -> None:
        self.transcript.clear()
        self._gradients = None
        self._last_update = None
        self.graph_view.set_graph(None)
        self.graph_summary.setText("")
        self._show_gradient()
        self._show_update()

    def _show_graph(self, result: LossResult) -> None:
        self.graph_view.set_graph(result.graph)
        walk = "\n".join(f"{walk_expression(i)} = {name}" for i, name in enumerate(result.first_functions))
        self.graph_summary.setText(
            f"{len(result.graph.nodes)} nodes, {len(result.graph.edges)} edges, read from loss.grad_fn and next_functions\n{walk}"
        )

    def _show_gradient(self) -> None:
        name = self.parameter_box.currentText()
        gradient = None if self._gradients is None else self._gradients[name]
        self.gradient_title.setText(f"<b>{name}.grad</b>" + ("" if gradient is None else f" · {shape_text(gradient.shape)}"))
        self.gradient_text.setPlainText("None" if gradient is None else array_text(gradient))
        kernels = gradient is not None and gradient.ndim == 4
        self.gradient_image.set_maps(gradient.reshape(-1, *gradient.shape[2:]) if kernels else None)
        self.gradient_image.setVisible(kernels)
        self.gradient_image_title.setVisible(kernels)

    def _show_update(self) -> None:
        result, name = self._last_update, self.parameter_box.currentText()
        if result is None:
            self.update_code.setText("Press 5 (update) after backward() to apply the gradients.")
            self.target_change.setText("")
            self.values_title.setText(f"<b>{name}</b>")
            _fill(self.values_table, [])
            _fill(self.probability_table, [])
            return
        self.update_code.setText(result.transcript.code)
        self.target_change.setText(self._update_summary(result))
        before, gradient, after = (values[name].ravel()[:SHOWN_VALUES].astype(np.float64) for values in (result.before, result.gradients, result.after))
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged step shows inf and nan as they are
            change = after - before
        total = result.before[name].size
        self.values_title.setText(f"<b>{name}</b>, its first {before.size} of {total:,} values")
        _fill(
            self.values_table,
            [[str(i), f"{before[i]:.6f}", f"{gradient[i]:.6f}", f"{after[i]:.6f}", f"{change[i]:+.6f}"] for i in range(before.size)],
        )
        was, now = result.probabilities_before, result.prediction.probabilities
        _fill(
            self.probability_table,
            [[str(d), probability_text(float(was[d])), probability_text(float(now[d])), change_text(float(now[d] - was[d]))] for d in range(10)],
            highlighted=result.target,
        )

    @staticmethod
    def _update_summary(result: UpdateResult) -> str:
        if not result.finite:
            return "The step diverged: weights or probabilities are no longer numbers. Reset and use a smaller learning rate."
        change = result.target_probability_after - result.target_probability_before
        colour = ACCENT.name() if change >= 0 else "#b91c1c"
        return (
            f"P(digit {result.target}): {probability_text(result.target_probability_before)} → "
            f"<b style='color:{colour}'>{probability_text(result.target_probability_after)}</b> ({change_text(change)}) · "
            f"now predicts {result.prediction.digit} · largest weight change {result.largest_change:.3g}"
        )
