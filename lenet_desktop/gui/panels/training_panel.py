"""The Training tab: retrain on MNIST, the corrections, or both, with a chosen optimizer.

The run happens in a JobRunner's thread on a copy of the active model, so the window keeps
drawing and predicting; the live curves come from its signals. When it ends, the old
and the new model are compared side by side, and Keep makes the new one active (and saves it
into the model history) while Discard drops it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.checkpoint import MAX_WEIGHT
from lenet_desktop.core.data import MnistError
from lenet_desktop.core.device import DeviceError, resolve_device
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.evaluation import EvaluationResult, LabelledSet, mnist_set
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.optimizers import OPTIMIZERS
from lenet_desktop.core.paths import mnist_root
from lenet_desktop.core.personalise import Recipe, fallen_digits
from lenet_desktop.core.store import CorrectionStore, StoreError
from lenet_desktop.core.train import TrainConfig, TrainedRun, TrainReport
from lenet_desktop.core.training_run import MnistSplits, TrainingOutcome, TrainingPlan, run_training
from lenet_desktop.gui.services.jobs import JobContext, JobRunner
from lenet_desktop.gui.services.labels import outcome_label
from lenet_desktop.gui.services.language import Retranslated, duration_text, error_text, fill, number_text, percent_text
from lenet_desktop.gui.services.state import AppState, ObservedHistory
from lenet_desktop.gui.widgets.charts import CurveChart
from lenet_desktop.gui.widgets.misread_gallery import AnswersOnDemand
from lenet_desktop.gui.widgets.status_label import StatusLabel
from lenet_desktop.gui.widgets.training_options import TrainingOptions
from lenet_desktop.gui.widgets.training_results import TrainingResults

DATA_NAMES = {"mnist": "mnist", "corrections": "my corrections", "mix": "my corrections"}  # in a kept model's name


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

        self.options_box = TrainingOptions()
        options = self.options_box  # its fields, as the panel's own
        self.data_box, self.replay_box, self.share_box = options.data_box, options.replay_box, options.share_box
        self.optimizer_box, self.hyperparameter_stack = options.optimizer_box, options.hyperparameter_stack
        self.hyperparameter_forms, self.compare_boxes = options.hyperparameter_forms, options.compare_boxes
        self.epochs_box, self.batch_box, self.batch_limit_box = (
            options.epochs_box,
            options.batch_box,
            options.batch_limit_box,
        )
        self.seed_box, self.start_box, self.device_box = options.seed_box, options.start_box, options.device_box
        self.recipe_label, self.form_labels = options.recipe_label, options.form_labels
        self.data_box.currentIndexChanged.connect(self._on_data_box_changed)  # first applied by _set_running
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
        self.results_box = TrainingResults()
        self.run_box = self.results_box.run_box
        self.scores_table = self.results_box.scores_table
        self.confusion_table = self.results_box.confusion_table
        self.keep_button, self.discard_button = self.results_box.keep_button, self.results_box.discard_button
        self.fallen_label = self.results_box.fallen_label
        self.keep_button.clicked.connect(self.keep)
        self.discard_button.clicked.connect(self.discard)
        self.run_box.currentIndexChanged.connect(self._on_run_box_changed)
        self.confusion_table.cellChosen.connect(self._on_confusion_table_cell_chosen)
        self.fallen_label.linkActivated.connect(self._on_fallen_label_link_activated)

    # --- what the controls say -------------------------------------------------------------

    def config(self, optimizer: str | None = None) -> TrainConfig:
        return self.options_box.config(optimizer)

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
        self.results_box.show_scores(before, after, self.result.held_out)
        self.fallen = (
            fallen_digits(before.mnist, after.mnist) if before.mnist is not None and after.mnist is not None else []
        )
        self.results_box.show_fallen(self.fallen)

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
            lambda: fill(self.tr("After the run, MNIST test: misread %1"), self.results_box.digit_names()[digit]),
        )

    def _clear_results(self) -> None:
        self.result = None
        self.gallery_requests.forget()
        self.fallen = []
        self.results_box.clear()

    def keep(self):
        """Make the chosen run's model active and save it into the history; returns its entry."""
        if self.result is None:
            return None
        past = [f for f in self.fallen if f.past_limit]
        if past:
            names = self.results_box.digit_names()
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
        self.compare_button.setEnabled(not self.options_box.personalising)  # the recipe trains one optimizer

    def _on_run_box_changed(self, index: int) -> None:
        if self.result is not None and index >= 0:
            self._show_result(index)
