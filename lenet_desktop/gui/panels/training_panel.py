"""The Training tab: retrain on MNIST, the corrections, or both, with a chosen optimizer.

The run happens in a JobRunner's thread on a copy of the active model, so the window keeps
drawing and predicting; the live curves come from its signals. When it ends, the old
and the new model are compared side by side, and Keep makes the new one active (and saves it
into the model history) while Discard drops it.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.checkpoint import MAX_WEIGHT
from lenet_desktop.core.data import MnistError
from lenet_desktop.core.device import DeviceError, available_devices, resolve_device
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.evaluation import EvaluationResult, LabelledSet, mnist_set
from lenet_desktop.core.mixing import DEFAULT_REPLAY
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.optimizers import MAX_HYPERPARAMETER, OPTIMIZERS, SCHEDULES
from lenet_desktop.core.paths import mnist_root
from lenet_desktop.core.personalise import Recipe, fallen_digits
from lenet_desktop.core.store import CorrectionStore, StoreError
from lenet_desktop.core.train import LOSSES, Evaluation, TrainConfig, TrainedRun, TrainReport
from lenet_desktop.core.training_run import DATA_CHOICES, MnistSplits, TrainingOutcome, TrainingPlan, run_training
from lenet_desktop.gui.services.jobs import JobContext, JobRunner
from lenet_desktop.gui.services.labels import (
    data_label,
    hyperparameter_label,
    loss_label,
    outcome_label,
    schedule_label,
    start_label,
)
from lenet_desktop.gui.services.language import (
    Retranslated,
    duration_text,
    error_text,
    fill,
    number_text,
    percent_text,
)
from lenet_desktop.gui.services.state import AppState, ObservedHistory
from lenet_desktop.gui.widgets.charts import CurveChart
from lenet_desktop.gui.widgets.misread_gallery import AnswersOnDemand, ConfusionTable
from lenet_desktop.gui.widgets.status_label import ERROR_STYLE, StatusLabel

DATA_NAMES = {"mnist": "mnist", "corrections": "my corrections", "mix": "my corrections"}  # in a kept model's name
START_CHOICES = ("current", "fresh")
COMPARE_COLUMNS = 3  # optimizer tick boxes per row; five in one row overflow the tab


def data_text(outcome: TrainingOutcome) -> str:
    """What a run trained on, in words."""
    if outcome.personalised is not None:
        return outcome.personalised.describe()  # the recipe's own account, in English as the CLI prints it
    mix = outcome.mix
    if mix is None:
        return QCoreApplication.translate("TrainingPanel", "MNIST train")
    share = percent_text(mix.corrections * mix.copies / len(mix.data) if len(mix.data) else 0.0, 0)
    return fill(
        QCoreApplication.translate(
            "TrainingPanel", "%1 corrections × %2 + %3 MNIST replay = %4 images per epoch (%5 corrections)"
        ),
        number_text(mix.corrections),
        mix.copies,
        number_text(mix.replay),
        number_text(len(mix.data)),
        share,
    )


class HyperparameterForm(Retranslated, QWidget):
    """Spin boxes for one optimizer's hyperparameters, starting at its defaults."""

    def __init__(self, optimizer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, list[QDoubleSpinBox]] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, default in OPTIMIZERS[optimizer].defaults.items():
            values = default if isinstance(default, tuple) else (default,)
            boxes = [_spin_for(key, value) for value in values]
            row = QHBoxLayout()
            for box in boxes:
                row.addWidget(box)
            self.labels[key] = QLabel(hyperparameter_label(key))
            form.addRow(self.labels[key], row)
            self.fields[key] = boxes

    def _retranslate(self) -> None:
        for key, label in self.labels.items():
            label.setText(hyperparameter_label(key))

    def values(self) -> dict:
        return {
            key: tuple(b.value() for b in boxes) if len(boxes) > 1 else boxes[0].value()
            for key, boxes in self.fields.items()
        }


def _spin_for(key: str, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(6)
    box.setRange(1e-6 if key == "lr" else 0.0, MAX_HYPERPARAMETER if key == "lr" else 0.9999)
    box.setSingleStep(value / 10 if key == "lr" and value else 0.01)
    box.setValue(value)
    return box


class TrainingPanel(Retranslated, QWidget):
    runFinished = Signal(object)  # TrainingOutcome, after the results are shown
    runFailed = Signal(str)
    modelKept = Signal(object)  # the HistoryEntry of the model made active
    galleryRequested = Signal(object, object, object)  # the EvaluationResult, the images' indices, their title()
    enrolmentRequested = Signal()  # "Teach it my handwriting…": the window opens the enrolment

    def __init__(
        self,
        state: AppState,
        store: CorrectionStore | None,
        history: ObservedHistory,
        mnist_dir: Path | None = None,
        mnist_test_size: int | None = None,  # evaluate on the first N test images (quick runs); None = all
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.store = store
        self.history = history
        self.mnist_dir = mnist_dir
        self.mnist_test_size = mnist_test_size
        self.result: TrainingOutcome | None = None
        self.quit_box: QMessageBox | None = None
        self.fallen: list = []  # FallenDigit of the result shown
        self.runner = JobRunner(
            QT_TRANSLATE_NOOP("core", "training"), expected_errors=(MnistError, ValueError, RuntimeError), parent=self
        )
        self.runner.progress.connect(self._on_runner_progress)
        self.runner.epochDone.connect(self._on_runner_epoch_done)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self._mnist: MnistSplits | None = None
        self.gallery_requests = AnswersOnDemand(self)  # per run of the result shown
        self.gallery_requests.requested.connect(self.galleryRequested)

        self._build_options()
        self._build_controls()
        self._build_results()
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.options_box)
        layout.addLayout(self.buttons_row)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status)
        layout.addWidget(self.loss_chart)
        layout.addWidget(self.accuracy_chart)
        layout.addWidget(self.results_box)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.status.say(lambda: self.tr("Choose what to train, then press Train."))
        self._keeping = False
        state.modelChanged.connect(self._on_state_model_changed)
        self._retranslate()
        self._set_running(False)

    def _retranslate(self) -> None:
        for box, label in (
            (self.data_box, data_label),
            (self.schedule_box, schedule_label),
            (self.loss_box, loss_label),
            (self.start_box, start_label),
        ):
            for index in range(box.count()):
                box.setItemText(index, label(box.itemData(index)))
        self.device_box.setItemText(0, self.tr("Automatic"))
        self.data_box.setToolTip(
            self.tr(
                "To teach the active model your handwriting, choose My corrections (personalise): a measured recipe "
                "(MNIST replay, distillation, the step chosen so that no MNIST digit falls past its limit) picks the other settings"
            )
        )
        self.replay_box.setToolTip(self.tr("MNIST images mixed into every epoch so the model does not forget MNIST"))
        self.share_box.setToolTip(
            self.tr("The share of each epoch's images that are your corrections (repeated to reach it)")
        )
        self.batch_limit_box.setSpecialValueText(self.tr("all"))
        self.batch_limit_box.setToolTip(self.tr("Stop each epoch after this many batches, for a quick try"))
        self.augment_box.setText(self.tr("Augment (rotate, scale, shear, shift, stroke width)"))
        recipe = Recipe()
        self.recipe_label.setText(
            fill(
                self.tr(
                    "The personalisation recipe chooses the rest: %1 at a learning rate of %2, up to %n epochs "
                    "in batches of %3, augmented, starting from the active model; it keeps the step at which no "
                    "MNIST digit has fallen past its limit.",
                    "",
                    recipe.epochs,
                ),
                OPTIMIZERS[recipe.optimizer].label,
                number_text(recipe.lr, 4),
                recipe.batch_size,
            )
        )
        for key, text in (
            ("data", self.tr("Data")),
            ("replay", self.tr("MNIST replay per epoch")),
            ("share", self.tr("Corrections share per epoch")),
            ("optimizer", self.tr("Optimizer")),
            ("schedule", self.tr("Learning-rate schedule")),
            ("loss", self.tr("Loss")),
            ("epochs", self.tr("Epochs")),
            ("batch", self.tr("Batch size")),
            ("batches", self.tr("Batches per epoch")),
            ("seed", self.tr("Seed")),
            ("start", self.tr("Start from")),
            ("device", self.tr("Train on")),
            ("compare", self.tr("Compare")),
        ):
            self.form_labels[key].setText(text)
        self.options_box.setTitle(self.tr("What to train"))
        self.train_button.setText(self.tr("Train"))
        self.compare_button.setText(self.tr("Compare optimizers"))
        self.compare_button.setToolTip(
            self.tr("Train each ticked optimizer with its default settings, the same seed and data, one after another")
        )
        self.cancel_button.setText(self.tr("Cancel"))
        self.enrol_button.setText(self.tr("Teach it my handwriting…"))
        self.enrol_button.setToolTip(
            self.tr("Write each digit three times when asked, then personalise the active model on them")
        )
        self.loss_chart.set_titles(self.tr("Training loss"), self.tr("epoch"), self.tr("loss"), self._series_name)
        self.accuracy_chart.set_titles(self.tr("Accuracy"), self.tr("epoch"), self.tr("accuracy"), self._series_name)
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
        self.results_box.setTitle(self.tr("Before and after"))
        if self.result is not None:
            for index, run in enumerate(self.result.runs):
                self.run_box.setItemText(index, self._run_text(run))
            self._show_result(self.run_box.currentIndex())

    def _series_name(self, key: tuple[str, str]) -> str:
        """A curve's name in the legend: the optimizer, and for accuracy which data it is measured on."""
        optimizer, kind = key
        label = OPTIMIZERS[optimizer].label
        if kind == "train":
            return fill(self.tr("%1 train"), label)
        if kind == "test":
            return fill(self.tr("%1 MNIST test"), label)
        return label

    def _report_text(self, report: TrainReport) -> str:
        """How a run ended, from the report's facts (its `message` is the CLI's English)."""
        if report.outcome == "completed":
            return self.tr("trained %n epochs", "", report.config.epochs)
        if report.stopped_at is None:  # cancelled after a batch, while the run was measured
            return self.tr("cancelled while measuring")
        epoch, batch = report.stopped_at
        if report.outcome == "cancelled":
            return fill(self.tr("cancelled in epoch %1, batch %2"), epoch, batch)
        if report.stopped_loss is None:
            return fill(
                self.tr(
                    "stopped: the weights grew past ±%1 in epoch %2, batch %3; the weights before that step were kept (try a smaller learning rate)"
                ),
                number_text(MAX_WEIGHT),
                epoch,
                batch,
            )
        return fill(
            self.tr(
                "stopped: the loss became %1 in epoch %2, batch %3; the weights of the last finite step were kept (try a smaller learning rate)"
            ),
            report.stopped_loss,
            epoch,
            batch,
        )

    def _run_text(self, run: TrainedRun) -> str:
        return fill(
            self.tr("%1 (%2)"), OPTIMIZERS[run.report.config.optimizer].label, outcome_label(run.report.outcome)
        )

    # --- construction ----------------------------------------------------------------------

    def _build_options(self) -> None:
        self.data_box = _combo(DATA_CHOICES)
        self.replay_box = QSpinBox()
        self.replay_box.setRange(100, 60000)
        self.replay_box.setSingleStep(500)
        self.replay_box.setValue(DEFAULT_REPLAY)
        self.share_box = QDoubleSpinBox()
        self.share_box.setRange(0.01, 0.99)
        self.share_box.setSingleStep(0.05)
        self.share_box.setValue(Recipe().correction_share)
        self.optimizer_box = _combo(OPTIMIZERS)
        for index, spec in enumerate(OPTIMIZERS.values()):
            self.optimizer_box.setItemText(index, spec.label)  # a name, the same in every language
        self.optimizer_box.setCurrentIndex(list(OPTIMIZERS).index("adam"))
        self.hyperparameter_stack = QStackedWidget()
        self.hyperparameter_forms = {name: HyperparameterForm(name) for name in OPTIMIZERS}
        for form in self.hyperparameter_forms.values():
            self.hyperparameter_stack.addWidget(form)
        self.schedule_box = _combo(SCHEDULES)
        self.loss_box = _combo(LOSSES)
        self.epochs_box = _int_box(1, 100, 1)
        self.batch_box = _int_box(1, 4096, 128)
        self.batch_limit_box = _int_box(0, 100000, 0)
        self.augment_box = QCheckBox()
        self.augment_box.setChecked(True)
        self.seed_box = _int_box(0, 2**31 - 1, 0)
        self.start_box = _combo(START_CHOICES)
        self.device_box = QComboBox()
        self.device_box.addItem("", "auto")
        for option in available_devices():
            self.device_box.addItem(option.label, option.spec)
        self.compare_boxes = {name: QCheckBox(spec.label) for name, spec in OPTIMIZERS.items()}
        for name in ("sgd", "adam"):
            self.compare_boxes[name].setChecked(True)

        compare_grid = QGridLayout()
        for index, box in enumerate(self.compare_boxes.values()):
            compare_grid.addWidget(box, index // COMPARE_COLUMNS, index % COMPARE_COLUMNS)
        self.compare_grid = QWidget()  # a widget, so that its row can be hidden and greyed like the others
        self.compare_grid.setLayout(compare_grid)
        compare_grid.setContentsMargins(0, 0, 0, 0)
        # Shown instead of the settings the personalisation recipe chooses itself.
        self.recipe_label = QLabel()
        self.recipe_label.setWordWrap(True)
        self.recipe_label.setStyleSheet("color: #64748b;")
        form = QFormLayout()
        self.options_form = form
        self.form_labels: dict[str, QLabel] = {}
        for key, field in (
            ("data", self.data_box),
            ("replay", self.replay_box),
            ("share", self.share_box),
            ("recipe", self.recipe_label),
            ("optimizer", self.optimizer_box),
            ("hyperparameters", self.hyperparameter_stack),
            ("schedule", self.schedule_box),
            ("loss", self.loss_box),
            ("epochs", self.epochs_box),
            ("batch", self.batch_box),
            ("batches", self.batch_limit_box),
            ("augment", self.augment_box),
            ("seed", self.seed_box),
            ("start", self.start_box),
            ("device", self.device_box),
            ("compare", self.compare_grid),
        ):
            if key in ("hyperparameters", "augment", "recipe"):  # a row of its own, with no label
                form.addRow(field)
            else:
                self.form_labels[key] = QLabel()
                form.addRow(self.form_labels[key], field)
        self.options_box = QGroupBox()
        self.options_box.setLayout(form)

        self.optimizer_box.currentIndexChanged.connect(self.hyperparameter_stack.setCurrentIndex)
        self.hyperparameter_stack.setCurrentIndex(self.optimizer_box.currentIndex())
        self.data_box.currentIndexChanged.connect(self._on_data_box_changed)  # first applied by _set_running

    def _build_controls(self) -> None:
        self.train_button = QPushButton()
        self.compare_button = QPushButton()
        self.cancel_button = QPushButton()
        self.enrol_button = QPushButton()
        self.buttons_row = QHBoxLayout()
        for button in (self.train_button, self.compare_button, self.cancel_button, self.enrol_button):
            self.buttons_row.addWidget(button)
        self.enrol_button.clicked.connect(self.enrolmentRequested)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.status = StatusLabel()
        self.loss_chart = CurveChart()
        self.accuracy_chart = CurveChart(y_range=(0.0, 1.0))
        self.train_button.clicked.connect(self.start_training)
        self.compare_button.clicked.connect(self.start_comparison)
        self.cancel_button.clicked.connect(self.cancel)

    def _build_results(self) -> None:
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
        self.fallen_label.linkActivated.connect(self._on_fallen_label_link_activated)
        layout.addWidget(self.fallen_label)
        layout.addWidget(self.confusion_label)
        layout.addWidget(self.confusion_table)
        self.results_box = QGroupBox()
        self.results_box.setLayout(layout)
        self.results_box.setEnabled(False)
        self.keep_button.clicked.connect(self.keep)
        self.discard_button.clicked.connect(self.discard)
        self.run_box.currentIndexChanged.connect(self._on_run_box_changed)
        self.confusion_table.cellChosen.connect(self._on_confusion_table_cell_chosen)

    # --- what the controls say -------------------------------------------------------------

    def config(self, optimizer: str | None = None) -> TrainConfig:
        """The run the controls describe; with `optimizer`, that optimizer at its defaults."""
        chosen = optimizer or self.optimizer_box.currentData()
        limit = self.batch_limit_box.value()
        return TrainConfig(
            optimizer=chosen,
            hyperparameters={} if optimizer else self.hyperparameter_forms[chosen].values(),
            schedule=self.schedule_box.currentData(),
            loss=self.loss_box.currentData(),
            epochs=self.epochs_box.value(),
            batch_size=self.batch_box.value(),
            augment=self.augment_box.isChecked(),
            seed=self.seed_box.value(),
            max_batches=limit or None,
        )

    # --- running -----------------------------------------------------------------------------

    def start_training(self) -> bool:
        return self._start([self.config()])

    def start_comparison(self) -> bool:
        chosen = [name for name, box in self.compare_boxes.items() if box.isChecked()]
        if len(chosen) < 2:
            self.status.say(lambda: self.tr("Tick at least two optimizers to compare."), error=True)
            return False
        return self._start([self.config(name) for name in chosen])

    def cancel(self) -> None:
        if self.running:
            self.runner.cancel()
            self.status.say(lambda: self.tr("Cancelling: the run stops after the current batch…"))

    def shutdown(self) -> None:
        """Stop a run and wait for its thread: called when the window closes."""
        self.runner.stop()

    @property
    def running(self) -> bool:
        return self.runner.running

    def _start(self, configs: list[TrainConfig]) -> bool:
        if self.running:
            return False
        data_choice = self.data_box.currentData()
        try:
            device = resolve_device(self.device_box.currentData())
            corrections, confirmed = self.store.images_and_confirmations() if self.store is not None else (None, None)
        except (DeviceError, StoreError) as error:
            failure = error  # told when shown, and again in a new language
            self.status.say(lambda: error_text(failure), error=True)
            return False
        if data_choice != "mnist" and (corrections is None or len(corrections) == 0):
            self.status.say(
                lambda: self.tr("There are no corrections to train on yet: draw a digit and press its key (0-9)."),
                error=True,
            )
            return False
        snapshot = copy.deepcopy(self.state.classifier)  # the worker never touches the live model
        if data_choice == "mix":
            recipe = Recipe(
                replay=self.replay_box.value(),
                correction_share=self.share_box.value(),
                seed=configs[0].seed,
                max_batches=configs[0].max_batches,
            )
            plan = TrainingPlan("mix", recipe=recipe)
        else:
            plan = TrainingPlan(data_choice, tuple(configs), fresh=self.start_box.currentData() == "fresh")
        mnist = self.mnist_splits()

        def job(context: JobContext) -> TrainingOutcome:  # plain values only: it runs in the worker's thread
            outcome = run_training(plan, snapshot, corrections, mnist, device, context, confirmed=confirmed)
            for run in outcome.runs:
                run.classifier.metadata["name"] = (
                    f"personalised on {len(corrections) - outcome.held_out - outcome.set_aside} corrections"
                    if data_choice == "mix"
                    else f"{run.report.config.optimizer} on {DATA_NAMES[data_choice]}"
                )
            return outcome

        self._clear_results()
        self._clear_charts()
        self.runner.start(job)
        self._set_running(True)
        names = ", ".join(OPTIMIZERS[c.optimizer].label for c in configs)
        self.status.say(lambda: fill(self.tr("Training with %1 on %2… (loading data)"), names, device))
        return True

    def mnist_splits(self) -> MnistSplits:
        """MNIST as `mnist_dir` and `mnist_test_size` say now, loaded once and reused by later runs."""
        root = mnist_root(self.mnist_dir)
        if self._mnist is None or (self._mnist.root, self._mnist.test_size) != (root, self.mnist_test_size):
            self._mnist = MnistSplits(root, download=True, test_size=self.mnist_test_size)
        return self._mnist

    # --- runner signals ------------------------------------------------------------------------

    def _on_runner_progress(self, message) -> None:
        run, progress = message
        x = progress.epoch - 1 + progress.batch / progress.batches
        self.loss_chart.add_point((run, "loss"), x, progress.loss)
        self.accuracy_chart.add_point((run, "train"), x, progress.accuracy)
        self.progress_bar.setValue(round(1000 * progress.fraction))
        self.status.say(
            lambda: fill(
                self.tr("%1: epoch %2/%3, batch %4/%5, loss %6 · %7 images/s · %8 left"),
                OPTIMIZERS[run].label,
                progress.epoch,
                progress.epochs,
                progress.batch,
                progress.batches,
                number_text(progress.loss, 4),
                number_text(progress.images_per_second),
                duration_text(progress.seconds_left),
            )
        )

    def _on_runner_epoch_done(self, message) -> None:
        run, result = message
        if result.eval_accuracy is not None:
            self.accuracy_chart.add_point((run, "test"), result.epoch, result.eval_accuracy)

    def _on_runner_finished(self, result: TrainingOutcome) -> None:
        # A cancel skips the measurement: a result nobody measured is neither compared nor offered to Keep.
        measured = any(scores.mnist is not None for scores in result.after)
        self._run_ended(finished=measured)
        reports = [run.report for run in result.runs]

        def said() -> str:
            lines = [
                fill(
                    self.tr("%1: %2 (%3 images/s)"),
                    OPTIMIZERS[r.config.optimizer].label,
                    self._report_text(r),
                    number_text(r.images_per_second),
                )
                for r in reports
            ]
            text = fill(self.tr("Trained on %1."), data_text(result)) + " " + " ".join(lines)
            if result.set_aside:
                text += " " + self.tr(
                    "%n flagged correction(s) not trained on: confirm or fix them in the Corrections tab.",
                    "",
                    result.set_aside,
                )
            if not measured:
                text += " " + self.tr(
                    "Nothing was measured, so there is nothing to keep: the active model is unchanged."
                )
            return text

        self.status.say(said, error=any(r.outcome == "diverged" for r in reports))
        if not measured:
            self.runFinished.emit(result)
            return
        self.result = result
        self.run_box.blockSignals(True)
        self.run_box.clear()
        for run in result.runs:
            self.run_box.addItem(self._run_text(run))
        self.run_box.setCurrentIndex(result.best)
        self.run_box.blockSignals(False)
        self._show_result(result.best)
        self.results_box.setEnabled(True)
        self.runFinished.emit(result)

    def _on_runner_failed(self, failure: BaseException) -> None:
        self._run_ended(finished=False)
        self.status.say(lambda: error_text(failure), error=True)
        self.runFailed.emit(error_text(failure))

    def _run_ended(self, finished: bool) -> None:
        """The bar fills only for a run that went to its end; a cancelled or failed one stays where it stopped."""
        self._set_running(False)
        if finished:
            self.progress_bar.setValue(self.progress_bar.maximum())

    # --- results -------------------------------------------------------------------------------

    def _show_result(self, index: int) -> None:
        before, after = self.result.before, self.result.after[index]
        rows = [(before.mnist, after.mnist, "%1"), (before.corrections, after.corrections, self.tr("%1 of %2"))]
        for row, (old, new, form) in enumerate(rows):
            for column, evaluation in enumerate((old, new)):
                text = (
                    fill(form, percent_text(evaluation.accuracy, 2), self.result.held_out)
                    if evaluation is not None
                    else self.tr("not measured")
                )
                self.scores_table.setItem(row, column, QTableWidgetItem(text))
        self.confusion_table.show_counts(
            after.mnist.confusion if after.mnist is not None else None,
            before.mnist.confusion if before.mnist is not None else None,
        )
        self._show_fallen(before.mnist, after.mnist)

    def _show_fallen(self, before: Evaluation | None, after: Evaluation | None) -> None:
        """Every MNIST digit that fell by more than half a point, in words, so a drop hidden in the
        overall figure (sevens read as ones after learning continental ones) is seen before Keep."""
        self.fallen = fallen_digits(before, after) if before is not None and after is not None else []
        lines = [
            f'<a href="{f.digit}">'
            + html.escape(
                self.tr("{digits}: {before} → {after}, {count} now read as {answer}").format(
                    digits=self._digit_names()[f.digit],
                    before=percent_text(f.before),
                    after=percent_text(f.after),
                    count=f.count,
                    answer=f.read_as,
                )
            )
            + "</a>"
            for f in self.fallen
        ]
        if lines:
            self.fallen_label.setText(
                html.escape(
                    self.tr("MNIST digits that fell by more than 0.5 points (click one to see its misread images):")
                )
                + "<br>"
                + "<br>".join(lines)
            )
            self.fallen_label.setStyleSheet(ERROR_STYLE if any(f.past_limit for f in self.fallen) else "")
        else:
            self.fallen_label.setText(self.tr("No MNIST digit fell by more than 0.5 points."))
            self.fallen_label.setStyleSheet("")

    def _request_gallery(self, indices_of: Callable[[EvaluationResult], list[int]], title: Callable[[], str]) -> None:
        """The errors gallery on some of the chosen run's answers on MNIST test."""
        index = self.run_box.currentIndex()
        if self.result is not None and index >= 0:
            self.gallery_requests.request(
                index, self.result.runs[index].classifier, self._mnist_test, indices_of, title
            )

    def _mnist_test(self) -> LabelledSet:
        return mnist_set(self.mnist_splits()("test"))  # loaded already by the run

    def _on_confusion_table_cell_chosen(self, true: int, answer: int) -> None:
        self._request_gallery(
            lambda answers: answers.cell(true, answer),
            lambda: fill(self.tr("After the run, MNIST test: %1 read as %2"), true, answer),
        )

    def _on_fallen_label_link_activated(self, link: str) -> None:
        digit = int(link)
        self._request_gallery(
            lambda answers: answers.misread(digit),
            lambda: fill(self.tr("After the run, MNIST test: misread %1"), self._digit_names()[digit]),
        )

    def _digit_names(self) -> list[str]:
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

    def _clear_results(self) -> None:
        self.result = None
        self.gallery_requests.forget()
        self.fallen = []
        self.fallen_label.clear()
        self.run_box.clear()
        self.scores_table.clearContents()
        self.confusion_table.clearContents()
        self.results_box.setEnabled(False)

    def keep(self):
        """Make the chosen run's model active and save it into the history; returns its entry."""
        if self.result is None:
            return None
        past = [f for f in self.fallen if f.past_limit]
        if past:
            names = self._digit_names()
            answer = QMessageBox.question(
                self,
                self.tr("Keep this model?"),
                self.tr("On MNIST, {digits} fell by more than 1 point. Keep the new model anyway?").format(
                    digits=", ".join(names[f.digit] for f in past)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.status.say(lambda: self.tr("Not kept; the active model is unchanged."))
                return None
        classifier: Classifier = self.result.runs[self.run_box.currentIndex()].classifier
        classifier.to(self.state.classifier.device)
        try:
            entry = self.history.keep(classifier)
        except OSError as error:
            failure = error  # told when shown, and again in a new language
            self.status.say(lambda: fill(self.tr("Could not save the model: %1"), error_text(failure)), error=True)
            return None
        self._keeping = True  # the model made active is this run's: its curves stay
        try:
            self.state.set_classifier(classifier, entry.path)
        finally:
            self._keeping = False
        self._clear_results()
        self.status.say(
            lambda: fill(self.tr("Kept %1: it is now the active model (saved as %2)."), entry.name, entry.path.name)
        )
        self.modelKept.emit(entry)
        return entry

    def discard(self) -> None:
        if self.result is not None:
            self._clear_results()
            self._clear_charts()  # the run is gone, and its curves with it
            self.status.say(lambda: self.tr("Discarded; the active model is unchanged."))

    def _clear_charts(self) -> None:
        self.loss_chart.clear()
        self.accuracy_chart.clear()

    def _on_state_model_changed(self, _classifier) -> None:
        """Another model made active elsewhere (a file, the Models tab, the Inspector): what the tab said of
        an earlier run, and its curves, no longer describe it. A run or a result waiting for Keep stays."""
        if not self.running and self.result is None and not self._keeping:
            self._clear_charts()
            self.status.say(lambda: self.tr("Choose what to train, then press Train."))

    def ask_before_closing(self, window: QWidget) -> None:
        """The window is closing with a result neither kept nor discarded: ask which, without
        blocking, then close the window again (or stay open on Cancel or a failed keep)."""
        if self.quit_box is not None and self.quit_box.isVisible():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Keep the trained model?"),
            self.tr("The model of the last training run is neither kept nor discarded."),
            parent=window,
        )
        keep = box.addButton(self.tr("Keep and quit"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(self.tr("Quit without keeping"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)

        def on_answer() -> None:
            answer = box.clickedButton()
            if answer is keep and self.keep() is not None or answer is discard:
                self.discard()
                window.close()

        box.finished.connect(on_answer)
        self.quit_box = box
        box.open()

    # --- small things --------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.train_button.setEnabled(not running)
        self.compare_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.options_box.setEnabled(not running)
        if running:
            self.progress_bar.setValue(0)
        else:
            self._on_data_box_changed()

    def _on_data_box_changed(self, _index: int = 0) -> None:
        personalising = self.data_box.currentData() == "mix"
        self.replay_box.setEnabled(personalising)
        self.share_box.setEnabled(personalising)
        # The personalisation recipe (core.personalise) chooses these; seed, batch limit, replay, share and device
        # still apply. Hidden, not only greyed: their values (Adam at 0.001, 1 epoch) are not the recipe's.
        self.options_form.setRowVisible(self.recipe_label, personalising)
        for widget in (
            self.optimizer_box,
            self.hyperparameter_stack,
            self.schedule_box,
            self.loss_box,
            self.epochs_box,
            self.batch_box,
            self.augment_box,
            self.start_box,
            self.compare_grid,
        ):
            widget.setEnabled(not personalising)
            self.options_form.setRowVisible(widget, not personalising)
        self.compare_button.setEnabled(not personalising)

    def _on_run_box_changed(self, index: int) -> None:
        if self.result is not None and index >= 0:
            self._show_result(index)


def _combo(choices) -> QComboBox:
    """A combo box of `choices` (keys, as its items' data); the panel names them in its language."""
    box = QComboBox()
    for key in choices:
        box.addItem("", key)
    return box


def _int_box(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box
