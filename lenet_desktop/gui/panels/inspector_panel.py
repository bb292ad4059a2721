"""The Inspector: the seed tutorial's steps, one button each, on the user's own drawing.

It works on a StepInspector's scratch copy of the active model; only "Keep" makes the result
active. A stage on one 32x32 drawing takes milliseconds, so it runs on the GUI thread. The
exception is a process's first torch.optim optimizer: torch imports torch._dynamo then (a second
or two, once). It is not imported in a background thread because torch's lazy imports are not
safe to run alongside another thread's (seen here: a half-registered `prims` namespace).
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.inspector import (
    SHOWN_PARAMETER,
    UPDATE_METHODS,
    LossResult,
    Stage,
    StepInspector,
    Transcript,
    UpdateResult,
    default_learning_rate,
    walk_expression,
)
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.predict import Prediction
from lenet_desktop.core.train import LOSSES
from lenet_desktop.gui.services.labels import loss_label, update_method_label
from lenet_desktop.gui.services.language import (
    Retranslated,
    error_text,
    fill,
    markup_fill,
    number_text,
    significant_text,
)
from lenet_desktop.gui.services.plain_text import escaped
from lenet_desktop.gui.services.state import AppState, ObservedHistory
from lenet_desktop.gui.widgets.autograd_graph_view import AutogradGraphView
from lenet_desktop.gui.widgets.code_views import fill_table, monospace, read_only_text, value_table
from lenet_desktop.gui.widgets.network_views import MapGrid, shape_text
from lenet_desktop.gui.widgets.status_label import StatusLabel
from lenet_desktop.gui.widgets.step_update_view import StepUpdateView, probability_text

STAGES = (Stage.ZERO_GRAD, Stage.FORWARD, Stage.LOSS, Stage.BACKWARD, Stage.UPDATE)
KERNEL_COLUMNS = 6


def stage_button_text(stage: Stage) -> str:
    """The stage's number and what the tutorial calls it; calls are code and stay as they are."""
    return {
        Stage.ZERO_GRAD: "1  zero_grad()",
        Stage.FORWARD: "2  forward",
        Stage.LOSS: "3  loss",
        Stage.BACKWARD: "4  backward()",
        Stage.UPDATE: QCoreApplication.translate("InspectorPanel", "5  update"),
    }[stage]


def stage_name(stage: Stage) -> str:
    return {
        Stage.ZERO_GRAD: "net.zero_grad()",
        Stage.FORWARD: QCoreApplication.translate("InspectorPanel", "the forward pass"),
        Stage.LOSS: QCoreApplication.translate("InspectorPanel", "the loss"),
        Stage.BACKWARD: "loss.backward()",
        Stage.UPDATE: QCoreApplication.translate("InspectorPanel", "the update"),
    }[stage]


def array_text(values: np.ndarray) -> str:
    return np.array2string(values, precision=4, threshold=120, edgeitems=3, max_line_width=90)


# The core writes its transcripts' few words of English (a comment, a printed line) for the CLI's
# reader; the window shows them in its language. Everything else in a transcript is code and output.
TRANSCRIPT_WORDS = (
    (
        re.compile(r"# the 32x32 drawing as a \(1, 1, 32, 32\) batch$", re.M),
        lambda match: QCoreApplication.translate("InspectorPanel", "# the 32x32 drawing as a (1, 1, 32, 32) batch"),
    ),
    (
        re.compile(r"# digit (\d), one-hot$", re.M),
        lambda match: fill(QCoreApplication.translate("InspectorPanel", "# digit %1, one-hot"), match[1]),
    ),
    (
        re.compile(r"^P\(digit (\d)\): (\S+) -> (\S+)$", re.M),
        lambda match: fill(QCoreApplication.translate("InspectorPanel", "P(digit %1): %2 -> %3"), *match.groups()),
    ),
)


def notebook_text(transcript: Transcript) -> str:
    """The stage as notebook input and output: `>>>` before each line of code."""
    code = "\n".join(
        (">>> " if i == 0 or not line.startswith(" ") else "... ") + line
        for i, line in enumerate(transcript.code.splitlines())
    )
    text = f"{code}\n{transcript.output}\n"
    for pattern, translated in TRANSCRIPT_WORDS:
        text = pattern.sub(translated, text)
    return text


class InspectorPanel(Retranslated, QWidget):
    """One training step taken apart, stage by stage, on the current drawing and a chosen digit."""

    modelKept = Signal(object)  # the HistoryEntry of the model made active

    def __init__(self, state: AppState, history: ObservedHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.history = history
        self.inspector = StepInspector(state.classifier)
        self._frame: np.ndarray | None = None
        self._target_chosen = False  # until the user picks a target, it follows the predicted digit
        self._gradients: dict[str, np.ndarray] | None = None
        self._last_update: UpdateResult | None = None
        self._transcripts: list[Transcript] = []

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.target_box = QComboBox()
        self.target_box.addItems([str(digit) for digit in range(10)])
        self.loss_box = QComboBox()
        for name in LOSSES:
            self.loss_box.addItem("", name)
        self.update_box = QComboBox()
        for method in UPDATE_METHODS:
            self.update_box.addItem("", method)
        self.rate_box = QDoubleSpinBox()
        self.rate_box.setDecimals(6)
        self.rate_box.setRange(1e-6, 10.0)
        self.rate_box.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.rate_box.setValue(default_learning_rate(self.method))
        self.parameter_box = QComboBox()
        self.parameter_box.addItems([row.name for row in self.inspector.parameters()])
        self.parameter_box.setCurrentText(SHOWN_PARAMETER)
        for box in (self.loss_box, self.update_box):  # long labels must not widen the window
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(12)

        self.stage_buttons = {stage: QPushButton() for stage in STAGES}
        for stage, button in self.stage_buttons.items():
            button.clicked.connect(lambda _=False, s=stage: self.run_stage(s))
        self.step_button = QPushButton()
        self.reset_button = QPushButton()
        self.keep_button = QPushButton()
        self.change_label = StatusLabel()
        self.change_label.setTextFormat(Qt.TextFormat.RichText)

        self.tabs = QTabWidget()
        self.update_view = StepUpdateView()
        view = self.update_view  # its parts, as the panel's own
        self.update_code, self.target_change = view.update_code, view.target_change
        self.values_table, self.probability_table = view.values_table, view.probability_table
        self.transcript = read_only_text()
        self.pages = {
            "transcript": self.transcript,
            "model": self._build_model_tab(),
            "graph": self._build_graph_tab(),
            "gradients": self._build_gradient_tab(),
            "update": self.update_view,
        }
        for page in self.pages.values():
            self.tabs.addTab(page, "")

        settings = QGridLayout()
        self.setting_labels = {}
        for row, column, key, box in (
            (0, 0, "target", self.target_box),
            (0, 2, "loss", self.loss_box),
            (1, 0, "rate", self.rate_box),
            (1, 2, "update", self.update_box),
            (2, 0, "parameter", self.parameter_box),
        ):
            self.setting_labels[key] = QLabel()
            settings.addWidget(self.setting_labels[key], row, column)
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
        self._retranslate_fixed()
        self._on_state_model_changed(state.classifier)
        self._on_state_prediction_changed(state.prediction)

    def _retranslate(self) -> None:
        self._retranslate_fixed()
        self._show_model()
        self._show_transcript()
        if self._graph_result is not None:
            self._show_graph(self._graph_result)
        self._show_gradient()
        self._show_update()
        self._refresh()

    def _retranslate_fixed(self) -> None:
        """The texts that do not depend on the step: labels, buttons, tooltips, tab and table titles."""
        for key, text in (
            ("target", self.tr("Target digit")),
            ("loss", self.tr("Loss")),
            ("rate", self.tr("Learning rate")),
            ("update", self.tr("Update")),
            ("parameter", self.tr("Parameter shown")),
        ):
            self.setting_labels[key].setText(text)
        self.target_box.setToolTip(self.tr("The digit the step teaches the network: the loss's target"))
        self.parameter_box.setToolTip(self.tr("The parameter whose gradient and before/after values are shown"))
        for index in range(self.loss_box.count()):
            self.loss_box.setItemText(index, loss_label(self.loss_box.itemData(index)))
        for index in range(self.update_box.count()):
            self.update_box.setItemText(index, update_method_label(self.update_box.itemData(index)))
        for stage, button in self.stage_buttons.items():
            button.setText(stage_button_text(stage))
            button.setToolTip(fill(self.tr("Run %1 on the scratch copy"), stage_name(stage)))
        self.step_button.setText(self.tr("Run all five"))
        self.step_button.setToolTip(self.tr("zero_grad, forward, loss, backward and update in one go"))
        self.reset_button.setText(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Throw the scratch copy away and start again from the active model"))
        self.keep_button.setText(self.tr("Keep as active model"))
        self.keep_button.setToolTip(self.tr("Make the scratch weights the model that predicts your drawings"))
        for key, title in (
            ("transcript", self.tr("Transcript")),
            ("model", self.tr("Model")),
            ("graph", self.tr("Graph")),
            ("gradients", self.tr("Gradients")),
            ("update", self.tr("Update")),
        ):
            self.tabs.setTabText(self.tabs.indexOf(self.pages[key]), title)
        self.parameter_table.setHorizontalHeaderLabels([self.tr("name"), self.tr("shape"), self.tr("count")])
        self.gradient_image_title.setText(
            self.tr("As an image: one 5×5 square per kernel, a row per output map · red positive, blue negative")
        )

    # --- construction ----------------------------------------------------------------------

    def _build_model_tab(self) -> QWidget:
        self.model_text = read_only_text()
        self.parameter_table = value_table(3)
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
        self.graph_summary.setFont(monospace())
        self.graph_view = AutogradGraphView()
        self._graph_result: LossResult | None = None
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(self.graph_summary)
        column.addWidget(self.graph_view, 1)
        return tab

    def _build_gradient_tab(self) -> QWidget:
        self.gradient_title = QLabel()
        self.gradient_text = read_only_text()
        self.gradient_image_title = QLabel()
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

    def _on_target_box_activated(self, _index: int) -> None:
        self._target_chosen = True
        self._on_step_setting_changed()

    def _on_step_setting_changed(self) -> None:
        """A new target or loss makes the recorded loss and graph stale: start the step again."""
        if self.inspector.stage != Stage.NONE:
            self.inspector.restart_step()
            self._say(lambda: self.tr("The target or loss changed: the step starts again at zero_grad()."))
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
        self._show_model()
        self._clear_step_views()
        self._say(lambda: markup_fill(self.tr("A fresh scratch copy of <b>%1</b>."), classifier.name))
        self._refresh()

    def _show_model(self) -> None:
        rows = self.inspector.parameters()
        fill_table(
            self.parameter_table, [[row.name, f"torch.Size({list(row.shape)})", number_text(row.count)] for row in rows]
        )
        total = number_text(sum(row.count for row in rows))
        self.parameter_total.setText(fill(self.tr("%n tensors, %1 numbers in all", "", len(rows)), total))

    def _on_state_prediction_changed(self, prediction: Prediction | None) -> None:
        self._frame = None if prediction is None else prediction.frame
        if prediction is None:
            self._target_chosen = False
        elif not self._target_chosen:
            self.target_box.setCurrentIndex(prediction.digit)
        if self.inspector.stage != Stage.NONE:
            self.inspector.restart_step()
            self._say(lambda: self.tr("The drawing changed: the step starts again at zero_grad()."))
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
                self._say(
                    lambda: fill(
                        self.tr("Every <code>.grad</code> is cleared: <code>%1.grad</code> is <b>None</b>."),
                        SHOWN_PARAMETER,
                    ),
                    "gradients",
                )
            elif stage == Stage.FORWARD:
                result = self.inspector.forward(self._frame)
                target, probability = self.target, float(result.probabilities[self.target])
                self._say(
                    lambda: fill(
                        self.tr("The output carries <code>grad_fn</code>; P(digit %1) = <b>%2</b>."),
                        target,
                        probability_text(probability),
                    ),
                    "transcript",
                )
            elif stage == Stage.LOSS:
                result = self.inspector.compute_loss(self.target, self.loss)
                self._show_graph(result)
                value, nodes = result.value, len(result.graph.nodes)
                self._say(
                    lambda: fill(
                        self.tr("loss = <b>%1</b>; autograd recorded %n nodes for backward.", "", nodes),
                        significant_text(value, 6),
                    ),
                    "graph",
                )
            elif stage == Stage.BACKWARD:
                result = self.inspector.backward()
                self._gradients = result.gradients
                self._show_gradient()
                count, shown = len(result.gradients), array_text(result.shown_gradient)
                self._say(
                    lambda: fill(
                        self.tr("%n gradients filled; <code>%1.grad</code> = %2", "", count), SHOWN_PARAMETER, shown
                    ),
                    "gradients",
                )
            else:
                result = self.inspector.update(self.method, self.rate_box.value())
                self._last_update = result
                self._show_update()
                self._say(lambda: self.update_view.summary(result), "update")
        except ValueError as error:  # a refused setting or stage: one line, never a traceback
            failure = error  # told when shown, and again in a new language
            self._say(lambda: escaped(error_text(failure)), error=True)
            self._refresh()
            return
        self._transcripts.append(result.transcript)
        self.transcript.appendPlainText(notebook_text(result.transcript))
        self._refresh()

    def run_whole_step(self) -> None:
        for stage in STAGES:
            self.run_stage(stage)

    def reset(self) -> None:
        self._on_state_model_changed(self.state.classifier)

    def keep(self) -> None:
        try:
            kept = self.inspector.keep()
        except ValueError as error:
            failure = error  # told when shown, and again in a new language
            self._say(lambda: escaped(error_text(failure)), error=True)
            return
        try:  # into the model history, as a kept training run goes: the next start uses it too
            entry = self.history.keep(kept)
        except OSError as error:
            failure = error  # told when shown, and again in a new language
            self._say(lambda: markup_fill(self.tr("Could not save the model: %1"), error_text(failure)), error=True)
            return
        self.state.set_classifier(kept, entry.path)
        self.modelKept.emit(entry)
        self._say(
            lambda: markup_fill(
                self.tr("<b>%1</b> is now the active model; this is a fresh scratch copy of it."), kept.name
            )
        )

    # --- views ------------------------------------------------------------------------------

    def _say(self, html, tab: str | None = None, error: bool = False) -> None:
        """Show `html()` (made again in a new language), and the tab it is about."""
        self.change_label.say(html, error)
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
        copy = self.tr("Scratch copy of <b>%1</b> · %n updates taken", "", steps)
        active = (
            self.tr("active model unchanged until you keep the result") if steps else self.tr("active model unchanged")
        )
        if ready:
            where = fill(self.tr("next: %1"), stage_name(Stage(stage % Stage.UPDATE + 1)))
        else:
            where = self.tr("draw a digit to inspect a training step on it")
        self.status_label.setText(" · ".join((markup_fill(copy, self.inspector.source.name), active, where)))

    def _clear_step_views(self) -> None:
        self._transcripts.clear()
        self._show_transcript()
        self._gradients = None
        self._last_update = None
        self._graph_result = None
        self.graph_view.set_graph(None)
        self.graph_summary.setText("")
        self._show_gradient()
        self._show_update()

    def _show_transcript(self) -> None:
        # As appendPlainText writes it, stage after stage, and scrolled to the latest stage.
        self.transcript.setPlainText("\n".join(notebook_text(transcript) for transcript in self._transcripts))
        self.transcript.moveCursor(QTextCursor.MoveOperation.End)

    def _show_graph(self, result: LossResult) -> None:
        self._graph_result = result
        self.graph_view.set_graph(result.graph)
        walk = "\n".join(f"{walk_expression(i)} = {name}" for i, name in enumerate(result.first_functions))
        nodes = self.tr("%n nodes", "", len(result.graph.nodes))
        edges = self.tr("%n edges", "", len(result.graph.edges))
        self.graph_summary.setText(
            fill(self.tr("%1, %2, read from loss.grad_fn and next_functions"), nodes, edges) + "\n" + walk
        )

    def _show_gradient(self) -> None:
        name = self.parameter_box.currentText()
        gradient = None if self._gradients is None else self._gradients[name]
        self.gradient_title.setText(
            f"<b>{name}.grad</b>" + ("" if gradient is None else f" · {shape_text(gradient.shape)}")
        )
        self.gradient_text.setPlainText("None" if gradient is None else array_text(gradient))
        kernels = gradient is not None and gradient.ndim == 4
        self.gradient_image.set_maps(gradient.reshape(-1, *gradient.shape[2:]) if kernels else None)
        self.gradient_image.setVisible(kernels)
        self.gradient_image_title.setVisible(kernels)

    def _show_update(self) -> None:
        self.update_view.show_update(self._last_update, self.parameter_box.currentText())
