"""The Training tab: retrain on MNIST, the corrections, or both, with a chosen optimizer.

The run happens in a TrainWorker thread on a copy of the active model, so the window keeps
drawing and predicting; the live curves come from the worker's signals. When it ends, the old
and the new model are compared side by side, and Keep makes the new one active (and saves it
into the model history) while Discard drops it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.data import LabelledImages, MnistError, load_mnist
from lenet_desktop.core.device import DeviceError, available_devices, resolve_device
from lenet_desktop.core.history import ModelHistory
from lenet_desktop.core.mixing import DEFAULT_REPLAY, build_mix, split_held_out
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.optimizers import OPTIMIZERS, SCHEDULES
from lenet_desktop.core.personalise import Recipe, fallen_digits, personalise
from lenet_desktop.core.paths import mnist_root, user_data_dir
from lenet_desktop.core.store import CorrectionStore, StoreError, default_store_path
from lenet_desktop.core.train import LOSS_LABELS, LOSSES, Evaluation, ModelScores, TrainConfig, TrainedRun, compare_optimizers, score_classifier
from lenet_desktop.gui.charts import CurveChart
from lenet_desktop.gui.corrections_browser import CorrectionBar, CorrectionsBrowser, DigitKeys
from lenet_desktop.gui.model_history import ModelHistoryPanel
from lenet_desktop.gui.state import AppState
from lenet_desktop.gui.workers import JobContext, TrainWorker, start_worker

if TYPE_CHECKING:  # main_window imports this module
    from lenet_desktop.gui.main_window import MainWindow

DATA_CHOICES = {"mnist": "MNIST", "corrections": "My corrections", "mix": "My corrections (personalise)"}
SCHEDULE_LABELS = {"none": "Constant", "step": "Step (x0.1 twice)", "cosine": "Cosine", "onecycle": "One-cycle"}
HYPERPARAMETER_LABELS = {"lr": "Learning rate", "momentum": "Momentum", "alpha": "Alpha (smoothing)", "weight_decay": "Weight decay", "betas": "Betas"}
ERROR_STYLE = "color: #b91c1c;"
COMPARE_COLUMNS = 3  # optimizer tick boxes per row; five in one row overflow the tab


@dataclass(frozen=True)
class RunResult:
    runs: list[TrainedRun]
    before: ModelScores  # the active model when the run started
    after: list[ModelScores]  # one per run, same order
    data: str  # what it trained on, in words
    held_out: int  # corrections set aside for the before/after comparison

    @property
    def best(self) -> int:
        """Index of the run with the best final evaluation accuracy (the first when none has one)."""
        scored = [(run.report.final_eval_accuracy or 0.0, -i) for i, run in enumerate(self.runs)]
        return -max(scored)[1]


class HyperparameterForm(QWidget):
    """Spin boxes for one optimizer's hyperparameters, starting at its defaults."""

    def __init__(self, optimizer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, list[QDoubleSpinBox]] = {}
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, default in OPTIMIZERS[optimizer].defaults.items():
            values = default if isinstance(default, tuple) else (default,)
            boxes = [_spin_for(key, value) for value in values]
            row = QHBoxLayout()
            for box in boxes:
                row.addWidget(box)
            form.addRow(HYPERPARAMETER_LABELS.get(key, key), row)
            self.fields[key] = boxes

    def values(self) -> dict:
        return {key: tuple(b.value() for b in boxes) if len(boxes) > 1 else boxes[0].value() for key, boxes in self.fields.items()}


def _spin_for(key: str, value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(6)
    box.setRange(1e-6 if key == "lr" else 0.0, 1e6 if key == "lr" else 0.9999)
    box.setSingleStep(value / 10 if key == "lr" and value else 0.01)
    box.setValue(value)
    return box


class TrainingPanel(QWidget):
    runFinished = Signal(object)  # RunResult, after the results are shown
    runFailed = Signal(str)
    modelKept = Signal(object)  # the HistoryEntry of the model made active

    def __init__(
        self,
        state: AppState,
        store: CorrectionStore | None,
        history: ModelHistory,
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
        self.result: RunResult | None = None
        self.quit_box: QMessageBox | None = None
        self.fallen: list = []  # FallenDigit of the result shown
        self.worker: TrainWorker | None = None
        self.thread = None
        self._mnist: dict[str, LabelledImages] = {}  # loaded once, in the worker, reused by later runs

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
        self._set_running(False)

    # --- construction ----------------------------------------------------------------------

    def _build_options(self) -> None:
        self.data_box = _combo(DATA_CHOICES)
        self.data_box.setToolTip(self.tr(
            "To teach the active model your handwriting, choose My corrections (personalise): a measured recipe "
            "(MNIST replay, distillation, the step chosen so that no MNIST digit falls past its limit) picks the other settings"
        ))
        self.replay_box = QSpinBox()
        self.replay_box.setRange(100, 60000)
        self.replay_box.setSingleStep(500)
        self.replay_box.setValue(DEFAULT_REPLAY)
        self.replay_box.setToolTip("MNIST images mixed into every epoch so the model does not forget MNIST")
        self.optimizer_box = _combo({name: spec.label for name, spec in OPTIMIZERS.items()})
        self.optimizer_box.setCurrentIndex(list(OPTIMIZERS).index("adam"))
        self.hyperparameter_stack = QStackedWidget()
        self.hyperparameter_forms = {name: HyperparameterForm(name) for name in OPTIMIZERS}
        for form in self.hyperparameter_forms.values():
            self.hyperparameter_stack.addWidget(form)
        self.schedule_box = _combo({name: SCHEDULE_LABELS[name] for name in SCHEDULES})
        self.loss_box = _combo({name: LOSS_LABELS[name] for name in LOSSES})
        self.epochs_box = _int_box(1, 100, 1)
        self.batch_box = _int_box(1, 4096, 128)
        self.batch_limit_box = _int_box(0, 100000, 0)
        self.batch_limit_box.setSpecialValueText("all")
        self.batch_limit_box.setToolTip("Stop each epoch after this many batches, for a quick try")
        self.augment_box = QCheckBox("Augment (rotate, scale, shear, shift, stroke width)")
        self.augment_box.setChecked(True)
        self.seed_box = _int_box(0, 2**31 - 1, 0)
        self.start_box = _combo({"current": "The active model", "fresh": "Fresh random weights"})
        self.device_box = QComboBox()
        self.device_box.addItem("Automatic", "auto")
        for option in available_devices():
            self.device_box.addItem(option.label, option.spec)
        self.compare_boxes = {name: QCheckBox(spec.label) for name, spec in OPTIMIZERS.items()}
        for name in ("sgd", "adam"):
            self.compare_boxes[name].setChecked(True)

        form = QFormLayout()
        form.addRow("Data", self.data_box)
        form.addRow("MNIST replay per epoch", self.replay_box)
        form.addRow("Optimizer", self.optimizer_box)
        form.addRow(self.hyperparameter_stack)
        form.addRow("Learning-rate schedule", self.schedule_box)
        form.addRow("Loss", self.loss_box)
        form.addRow("Epochs", self.epochs_box)
        form.addRow("Batch size", self.batch_box)
        form.addRow("Batches per epoch", self.batch_limit_box)
        form.addRow(self.augment_box)
        form.addRow("Seed", self.seed_box)
        form.addRow("Start from", self.start_box)
        form.addRow("Train on", self.device_box)
        compare_grid = QGridLayout()
        for index, box in enumerate(self.compare_boxes.values()):
            compare_grid.addWidget(box, index // COMPARE_COLUMNS, index % COMPARE_COLUMNS)
        form.addRow("Compare", compare_grid)
        self.options_box = QGroupBox("What to train")
        self.options_box.setLayout(form)

        self.optimizer_box.currentIndexChanged.connect(self.hyperparameter_stack.setCurrentIndex)
        self.hyperparameter_stack.setCurrentIndex(self.optimizer_box.currentIndex())
        self.data_box.currentIndexChanged.connect(self._on_data_box_changed)  # first applied by _set_running

    def _build_controls(self) -> None:
        self.train_button = QPushButton("Train")
        self.compare_button = QPushButton("Compare optimizers")
        self.compare_button.setToolTip("Train each ticked optimizer with its default settings, the same seed and data, one after another")
        self.cancel_button = QPushButton("Cancel")
        self.buttons_row = QHBoxLayout()
        for button in (self.train_button, self.compare_button, self.cancel_button):
            self.buttons_row.addWidget(button)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.status = QLabel("Choose what to train, then press Train.")
        self.status.setWordWrap(True)
        self.loss_chart = CurveChart("Training loss", "epoch", "loss")
        self.accuracy_chart = CurveChart("Accuracy", "epoch", "accuracy", y_range=(0.0, 1.0))
        self.train_button.clicked.connect(self.start_training)
        self.compare_button.clicked.connect(self.start_comparison)
        self.cancel_button.clicked.connect(self.cancel)

    def _build_results(self) -> None:
        self.run_box = QComboBox()
        self.scores_table = QTableWidget(2, 2)
        self.scores_table.setHorizontalHeaderLabels(["Before", "After"])
        self.scores_table.setVerticalHeaderLabels(["MNIST test", "Held-out corrections"])
        self.scores_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scores_table.setMaximumHeight(90)
        self.confusion_table = QTableWidget(10, 10)
        self.confusion_table.setHorizontalHeaderLabels([str(d) for d in range(10)])
        self.confusion_table.setVerticalHeaderLabels([str(d) for d in range(10)])
        self.confusion_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.setToolTip("After the run, MNIST test: rows are the true digit, columns the answer; the tooltip gives the count before")
        for table in (self.scores_table, self.confusion_table):  # results, not a form
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.keep_button = QPushButton("Keep")
        self.keep_button.setToolTip("Make the new model active and save it into the model history")
        self.discard_button = QPushButton("Discard")
        decision = QHBoxLayout()
        decision.addWidget(QLabel("Result of"))
        decision.addWidget(self.run_box, 1)
        decision.addWidget(self.keep_button)
        decision.addWidget(self.discard_button)
        layout = QVBoxLayout()
        layout.addLayout(decision)
        layout.addWidget(self.scores_table)
        self.fallen_label = QLabel()
        self.fallen_label.setWordWrap(True)
        layout.addWidget(self.fallen_label)
        layout.addWidget(QLabel("Confusion matrix after the run (MNIST test; rows: true digit, columns: answer)"))
        layout.addWidget(self.confusion_table)
        self.results_box = QGroupBox("Before and after")
        self.results_box.setLayout(layout)
        self.results_box.setEnabled(False)
        self.keep_button.clicked.connect(self.keep)
        self.discard_button.clicked.connect(self.discard)
        self.run_box.currentIndexChanged.connect(self._on_run_box_changed)

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
            self._say("Tick at least two optimizers to compare.", error=True)
            return False
        return self._start([self.config(name) for name in chosen])

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self._say("Cancelling: the run stops after the current batch…")

    def shutdown(self) -> None:
        """Stop a run and wait for its thread: called when the window closes."""
        if self.worker is not None:
            self.worker.cancel()
        if self.thread is not None:
            self.thread.wait()

    @property
    def running(self) -> bool:
        return self.worker is not None

    def _start(self, configs: list[TrainConfig]) -> bool:
        if self.running:
            return False
        data_choice = self.data_box.currentData()
        try:
            device = resolve_device(self.device_box.currentData())
            corrections = self.store.images() if self.store is not None else None
        except (DeviceError, StoreError) as error:
            self._say(str(error), error=True)
            return False
        if data_choice != "mnist" and (corrections is None or len(corrections) == 0):
            self._say("There are no corrections to train on yet: draw a digit and press its key (0-9).", error=True)
            return False
        snapshot = copy.deepcopy(self.state.classifier)  # the worker never touches the live model
        start = snapshot if self.start_box.currentData() == "current" else None
        replay, seed = self.replay_box.value(), configs[0].seed

        def job(context: JobContext) -> RunResult:
            test = self._load_mnist("test")
            if data_choice == "mnist":
                data, described = self._load_mnist("train"), "MNIST train"
                held_out = corrections
            elif data_choice == "mix":
                train_part, held_out = split_held_out(corrections, seed=seed)
                recipe = Recipe(replay=replay, seed=seed, max_batches=configs[0].max_batches)
                done = personalise(
                    snapshot, train_part, self._load_mnist("train"), device, recipe, evaluation=test,
                    on_progress=lambda progress: context.progress(recipe.optimizer, progress),
                    on_epoch=lambda result: context.epoch(recipe.optimizer, result), should_stop=context.should_stop,
                )
                done.classifier.metadata["name"] = f"personalised on {len(train_part)} corrections"
                run = TrainedRun(done.classifier, done.report)
                if context.should_stop():
                    return RunResult([run], ModelScores(None, None), [ModelScores(None, None)], done.describe(), 0)
                after = [score_classifier(run.classifier, test, held_out)]
                return RunResult([run], score_classifier(snapshot, test, held_out), after, done.describe(), len(held_out))
            else:
                train_part, held_out = split_held_out(corrections, seed=seed)
                mix = build_mix(train_part, None, seed=seed)
                data, described = mix.data, mix.describe()
            runs = compare_optimizers(
                start, data, configs, device, evaluation=test,
                on_progress=context.progress, on_epoch=context.epoch, should_stop=context.should_stop,
            )
            for run in runs:
                run.classifier.metadata["name"] = f"{run.report.config.optimizer} on {DATA_CHOICES[data_choice].lower()}"
            if context.should_stop():
                return RunResult(runs, ModelScores(None, None), [ModelScores(None, None) for _ in runs], described, 0)
            after = [score_classifier(run.classifier, test, held_out) for run in runs]
            held = len(held_out) if held_out is not None else 0
            return RunResult(runs, score_classifier(snapshot, test, held_out), after, described, held)

        self._clear_results()
        self.loss_chart.clear()
        self.accuracy_chart.clear()
        self.worker = TrainWorker(job, expected_errors=(MnistError, ValueError, RuntimeError))
        self.worker.progress.connect(self._on_worker_progress)
        self.worker.epochDone.connect(self._on_worker_epoch_done)
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.failed.connect(self._on_worker_failed)
        self.thread = start_worker(self.worker)
        self._set_running(True)
        names = ", ".join(OPTIMIZERS[c.optimizer].label for c in configs)
        self._say(f"Training with {names} on {device}… (loading data)")
        return True

    def _load_mnist(self, split: str) -> LabelledImages:
        if split not in self._mnist:
            images = load_mnist(mnist_root(self.mnist_dir), split, download=True)
            if split == "test" and self.mnist_test_size is not None:
                images = images.subset(slice(0, self.mnist_test_size))
            self._mnist[split] = images
        return self._mnist[split]

    # --- worker signals ------------------------------------------------------------------------

    def _on_worker_progress(self, message) -> None:
        run, progress = message
        label = OPTIMIZERS[run].label
        x = progress.epoch - 1 + progress.batch / progress.batches
        self.loss_chart.add_point(label, x, progress.loss)
        self.accuracy_chart.add_point(f"{label} train", x, progress.accuracy)
        self.progress_bar.setValue(round(1000 * progress.fraction))
        self._say(
            f"{label}: epoch {progress.epoch}/{progress.epochs}, batch {progress.batch}/{progress.batches}, "
            f"loss {progress.loss:.4f} · {progress.images_per_second:,.0f} images/s · {_duration(progress.seconds_left)} left"
        )

    def _on_worker_epoch_done(self, message) -> None:
        run, result = message
        if result.eval_accuracy is not None:
            self.accuracy_chart.add_point(f"{OPTIMIZERS[run].label} MNIST test", result.epoch, result.eval_accuracy)

    def _on_worker_finished(self, result: RunResult) -> None:
        self._finish_thread()
        self.result = result
        reports = [run.report for run in result.runs]
        lines = [f"{OPTIMIZERS[r.config.optimizer].label}: {r.message} ({r.images_per_second:,.0f} images/s)" for r in reports]
        self._say(f"Trained on {result.data}. " + " ".join(lines), error=any(r.outcome == "diverged" for r in reports))
        self.run_box.blockSignals(True)
        self.run_box.clear()
        for run in result.runs:
            self.run_box.addItem(f"{OPTIMIZERS[run.report.config.optimizer].label} ({run.report.outcome})")
        self.run_box.setCurrentIndex(result.best)
        self.run_box.blockSignals(False)
        self._show_result(result.best)
        self.results_box.setEnabled(True)
        self.runFinished.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self._finish_thread()
        self._say(message, error=True)
        self.runFailed.emit(message)

    def _finish_thread(self) -> None:
        self.thread.wait()
        self.worker = None
        self._set_running(False)
        self.progress_bar.setValue(self.progress_bar.maximum())

    # --- results -------------------------------------------------------------------------------

    def _show_result(self, index: int) -> None:
        before, after = self.result.before, self.result.after[index]
        rows = [(before.mnist, after.mnist, ""), (before.corrections, after.corrections, f" of {self.result.held_out}")]
        for row, (old, new, suffix) in enumerate(rows):
            for column, evaluation in enumerate((old, new)):
                text = f"{evaluation.accuracy:.2%}{suffix}" if evaluation is not None else "not measured"
                self.scores_table.setItem(row, column, QTableWidgetItem(text))
        _fill_confusion(self.confusion_table, after.mnist, before.mnist)
        self._show_fallen(before.mnist, after.mnist)

    def _show_fallen(self, before: Evaluation | None, after: Evaluation | None) -> None:
        """Every MNIST digit that fell by more than half a point, in words, so a drop hidden in the
        overall figure (sevens read as ones after learning continental ones) is seen before Keep."""
        self.fallen = fallen_digits(before, after) if before is not None and after is not None else []
        lines = [
            self.tr("{digits}: {before} → {after}, {count} now read as {answer}").format(
                digits=self._digit_names()[f.digit], before=_percent(f.before), after=_percent(f.after),
                count=f.count, answer=f.read_as,
            )
            for f in self.fallen
        ]
        if lines:
            self.fallen_label.setText(self.tr("MNIST digits that fell by more than 0.5 points:") + "\n" + "\n".join(lines))
            self.fallen_label.setStyleSheet(ERROR_STYLE if any(f.past_limit for f in self.fallen) else "")
        else:
            self.fallen_label.setText(self.tr("No MNIST digit fell by more than 0.5 points."))
            self.fallen_label.setStyleSheet("")

    def _digit_names(self) -> list[str]:
        return [
            self.tr("zeros"), self.tr("ones"), self.tr("twos"), self.tr("threes"), self.tr("fours"),
            self.tr("fives"), self.tr("sixes"), self.tr("sevens"), self.tr("eights"), self.tr("nines"),
        ]

    def _clear_results(self) -> None:
        self.result = None
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
                self, self.tr("Keep this model?"),
                self.tr("On MNIST, {digits} fell by more than 1 point. Keep the new model anyway?").format(
                    digits=", ".join(names[f.digit] for f in past)
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._say(self.tr("Not kept; the active model is unchanged."))
                return None
        classifier: Classifier = self.result.runs[self.run_box.currentIndex()].classifier
        classifier.to(self.state.classifier.device)
        try:
            entry = self.history.keep(classifier)
        except OSError as error:
            self._say(f"Could not save the model: {error.strerror or error}", error=True)
            return None
        self.state.set_classifier(classifier, entry.path)
        self._clear_results()
        self._say(f"Kept {entry.name}: it is now the active model (saved as {entry.path.name}).")
        self.modelKept.emit(entry)
        return entry

    def discard(self) -> None:
        if self.result is not None:
            self._clear_results()
            self._say("Discarded; the active model is unchanged.")

    def ask_before_closing(self, window: QWidget) -> None:
        """The window is closing with a result neither kept nor discarded: ask which, without
        blocking, then close the window again (or stay open on Cancel or a failed keep)."""
        if self.quit_box is not None and self.quit_box.isVisible():
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Keep the trained model?"),
            self.tr("The model of the last training run is neither kept nor discarded."), parent=window,
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

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _on_data_box_changed(self, _index: int = 0) -> None:
        personalising = self.data_box.currentData() == "mix"
        self.replay_box.setEnabled(personalising)
        # The personalisation recipe (core.personalise) chooses these; seed, batch limit, replay and device still apply.
        for widget in (
            self.optimizer_box, self.hyperparameter_stack, self.schedule_box, self.loss_box, self.epochs_box,
            self.batch_box, self.augment_box, self.start_box, self.compare_button,
        ):
            widget.setEnabled(not personalising)

    def _on_run_box_changed(self, index: int) -> None:
        if self.result is not None and index >= 0:
            self._show_result(index)


def _combo(choices: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for key, label in choices.items():
        box.addItem(label, key)
    return box


def _int_box(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    return box


def _percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def _fill_confusion(table: QTableWidget, after: Evaluation | None, before: Evaluation | None) -> None:
    table.clearContents()
    if after is None:
        return
    counts = after.confusion.tolist()
    for true, row in enumerate(counts):
        total = max(1, sum(row))
        for answer, count in enumerate(row):
            item = QTableWidgetItem(str(count))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            share = count / total
            if true == answer:
                item.setBackground(QColor.fromRgbF(0.85 - 0.5 * share, 0.95, 0.85 - 0.5 * share))
            elif count:
                item.setBackground(QColor.fromRgbF(1.0, 1.0 - min(1.0, 20 * share) * 0.6, 1.0 - min(1.0, 20 * share) * 0.6))
            if before is not None:
                item.setToolTip(f"before: {int(before.confusion[true, answer])}")
            table.setItem(true, answer, item)


class _WindowCloseWatcher(QObject):
    """Asks before an unkept result is lost, and stops a run when the window closes (STYLE:
    cancel, then wait for the thread)."""

    def __init__(self, panel: TrainingPanel, window: MainWindow) -> None:
        super().__init__(window)
        self.panel = panel
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            if self.panel.result is not None and self.window.ask_before_closing:
                self.panel.ask_before_closing(self.window)
                event.ignore()
                return True
            self.panel.shutdown()
        return False


def add_training_tabs(tabs: QTabWidget, state: AppState, window: MainWindow, history: ModelHistory) -> TrainingPanel:
    """The Corrections, Training and Models tabs, with the digit keys active in all of `window`."""
    corrections_tab = QWidget()
    corrections_layout = QVBoxLayout(corrections_tab)
    try:
        store: CorrectionStore | None = CorrectionStore(default_store_path(user_data_dir()))
    except StoreError as error:
        store = None
        reason = QCoreApplication.translate("CorrectionBar", "Corrections cannot be saved: {error}").format(error=error)
        problem = QLabel(reason)
        problem.setWordWrap(True)
        problem.setStyleSheet(ERROR_STYLE)
        corrections_layout.addWidget(problem)
        # The digit keys still answer, with the reason, rather than doing nothing at all.
        DigitKeys(problem, window, lambda _digit: window.statusBar().showMessage(reason, 10000))
    if store is not None and store.recovered:  # said where the window opens, and kept on this tab
        window.statusBar().showMessage(store.recovered)
        recovered = QLabel(store.recovered)
        recovered.setWordWrap(True)
        corrections_layout.addWidget(recovered)
    if store is not None:
        bar = CorrectionBar(state, store, shortcut_host=window, read_drawing=window.current_drawing)
        browser = CorrectionsBrowser(store, state)
        bar.correctionSaved.connect(browser.add)
        corrections_layout.addWidget(bar)
        corrections_layout.addWidget(browser, 1)
    panel = TrainingPanel(state, store, history)
    history_panel = ModelHistoryPanel(state, history)
    panel.modelKept.connect(lambda _entry: history_panel.refresh())
    window.inspector_panel.modelKept.connect(lambda _entry: history_panel.refresh())
    tabs.addTab(corrections_tab, "Corrections")
    tabs.addTab(panel, "Training")
    tabs.addTab(history_panel, "Models")
    window.installEventFilter(_WindowCloseWatcher(panel, window))
    return panel
