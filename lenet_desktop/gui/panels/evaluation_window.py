"""Evaluate the active model from the window, on MNIST test or a folder of drawings with labels.csv.

The evaluation runs in a JobRunner's thread on a copy of the model, with a progress bar and the time
left; then its figures, a confusion matrix whose cells open their images in the errors gallery below,
and the images that could not be used. Its two actions start it; the window puts them in its Model menu.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.data import MnistError, load_mnist
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.evaluation import (
    NOT_A_DIGIT,
    EvaluationError,
    EvaluationResult,
    evaluate_set,
    mnist_set,
    read_folder,
)
from lenet_desktop.core.paths import mnist_root
from lenet_desktop.gui.services.jobs import JobContext, JobRunner
from lenet_desktop.gui.services.language import Retranslated, error_text, fill, number_text, percent_text
from lenet_desktop.gui.services.plain_text import plain_label
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.widgets.misread_gallery import ConfusionTable, MisreadGallery

ERROR_STYLE = "color: #b91c1c;"
READING, PREDICTING = "reading", "predicting"


class _Done(NamedTuple):
    """How far a phase is; named as train.Progress's fields, so the worker's pacing applies to it."""

    batch: int
    batches: int


class EvaluationWindow(Retranslated, QWidget):
    """One evaluation at a time, in a window of its own beside the main window."""

    finished = Signal(object)  # the EvaluationResult shown
    failed = Signal(str)
    cancelled = Signal()
    imageChosen = Signal(object, int)  # the EvaluationResult and the index of the image to open

    def __init__(self, state: AppState, parent: QWidget | None = None, mnist_dir: Path | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.state = state
        self.mnist_dir = mnist_dir
        self.result: EvaluationResult | None = None
        self.runner = JobRunner(
            QT_TRANSLATE_NOOP("core", "evaluation"), expected_errors=(EvaluationError, MnistError, OSError), parent=self
        )
        self.runner.progress.connect(self._on_runner_progress)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self._what = lambda: ""  # what is evaluated, in the window's language
        self._said = lambda: ""
        self._phase_started = (None, 0.0)

        self.status = plain_label()  # the model's and the folder's names, the reasons quoting files
        self.status.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.failures = plain_label()
        self.failures.setWordWrap(True)
        self.failures.setStyleSheet(ERROR_STYLE)
        self.failures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confusion_title = QLabel()
        self.confusion_table = ConfusionTable()
        self.confusion_table.cellChosen.connect(self._on_confusion_table_cell_chosen)
        self.gallery = MisreadGallery()
        self.gallery.imageChosen.connect(self.imageChosen)
        self.mnist_action = QAction(self)  # Evaluate on MNIST test…
        self.folder_action = QAction(self)  # Evaluate on a folder…
        self.mnist_action.triggered.connect(self.start_mnist)
        self.folder_action.triggered.connect(self._on_folder_action_triggered)

        top = QHBoxLayout()
        top.addWidget(self.progress_bar, 1)
        top.addWidget(self.cancel_button)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addWidget(self.summary)
        figures_layout.addWidget(self.confusion_title)
        figures_layout.addWidget(self.confusion_table, 1)
        figures_layout.addWidget(self.failures)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(figures)
        splitter.addWidget(self.gallery)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.resize(900, 900)
        self._retranslate()
        self._set_running(False)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Evaluation"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.confusion_title.setText(
            self.tr("Confusion matrix (rows: true label, columns: answer); click a cell to see its images")
        )
        self.status.setText(self._said())
        self._show_summary()
        self.mnist_action.setText(self.tr("Evaluate on &MNIST test…"))
        self.mnist_action.setStatusTip(
            self.tr("Measure the active model on the 10,000 MNIST test digits and see its mistakes")
        )
        self.folder_action.setText(self.tr("Evaluate on a &folder…"))
        self.folder_action.setStatusTip(
            self.tr("Measure the active model on a folder of images listed in labels.csv (file,label)")
        )

    # --- running -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.runner.running

    def start_mnist(self) -> bool:
        mnist_dir = self.mnist_dir

        def read(context: JobContext):
            return mnist_set(load_mnist(mnist_root(mnist_dir), "test", download=True))

        return self._start(read, lambda: self.tr("MNIST test"))

    def start_folder(self, folder: Path) -> bool:
        def read(context: JobContext):
            return read_folder(
                folder, lambda done, total: context.progress(READING, _Done(done, total)), context.should_stop
            )

        return self._start(read, lambda: str(folder))

    def _start(self, read, what) -> bool:
        if self.running:
            return False
        classifier = copy.deepcopy(self.state.classifier)  # the worker never touches the live model

        def job(context: JobContext) -> EvaluationResult | None:
            images = read(context)
            if images is None:
                return None
            return evaluate_set(
                classifier,
                images,
                lambda done, total: context.progress(PREDICTING, _Done(done, total)),
                context.should_stop,
            )

        self._what = what
        self.result = None
        self.confusion_table.show_counts(None)
        self.gallery.clear()  # the images of the evaluation before, even if this one fails
        self._phase_started = (None, 0.0)
        self.runner.start(job)
        self._set_running(True)
        self._say(lambda: fill(self.tr("Evaluating %1 on %2…"), classifier.name, self._what()))
        self._show_summary()
        self.show()
        self.raise_()
        return True

    def cancel(self) -> None:
        self.runner.cancel()

    def shutdown(self) -> None:
        """Stop an evaluation and wait for its thread: called when the main window closes."""
        self.runner.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel()  # nobody is looking any more; the runner's end tidies up
        super().closeEvent(event)

    def _on_runner_progress(self, message) -> None:
        phase, done = message
        now = time.perf_counter()
        if self._phase_started[0] != phase:
            self._phase_started = (phase, now)
        elapsed = now - self._phase_started[1]
        left = elapsed / done.batch * (done.batches - done.batch) if done.batch else None
        self.progress_bar.setValue(round(1000 * done.batch / max(1, done.batches)))
        action = self.tr("Reading images") if phase == READING else self.tr("Predicting")
        remaining = self.tr("time left unknown") if left is None else fill(self.tr("%1 s left"), number_text(left))
        self._say(
            lambda: fill(
                self.tr("%1: %2 of %3 · %4"), action, number_text(done.batch), number_text(done.batches), remaining
            )
        )

    def _on_runner_finished(self, result: EvaluationResult | None) -> None:
        self._set_running(False)
        if result is None:
            self._say(lambda: self.tr("Evaluation cancelled."))
            self.cancelled.emit()
            return
        self.result = result
        not_a_digit = None
        if result.should_refuse:
            not_a_digit = [len(result.cell(NOT_A_DIGIT, d)) for d in range(10)]
        self.confusion_table.show_counts(result.confusion, not_a_digit=not_a_digit)
        self._say(lambda: fill(self.tr("Evaluated %1."), self._what()))
        self._show_summary()
        self.gallery.show_images(
            result, result.mistakes(), lambda: self.tr("Every misread digit, the most confident first")
        )
        self.finished.emit(result)

    def _on_runner_failed(self, failure: BaseException) -> None:
        self._set_running(False)
        self._say(lambda: error_text(failure), error=True)
        self.failed.emit(error_text(failure))

    # --- results -------------------------------------------------------------------------------

    def _show_summary(self) -> None:
        result = self.result
        if result is None:
            self.summary.clear()
            self.failures.clear()
            return
        lines = [] if len(result.images) else [self.tr("None of the listed images could be used.")]
        if result.digit_count:
            lines.append(
                fill(
                    self.tr("Accuracy %1 on %2 digits"),
                    percent_text(result.accuracy, 2),
                    number_text(result.digit_count),
                )
            )
            lines.append(
                " ".join(
                    fill(self.tr("%1: %2"), d, "–" if a is None else percent_text(a))
                    for d, a in enumerate(result.per_class_accuracy)
                )
            )
        if result.refusal_rate is not None:
            lines.append(
                fill(
                    self.tr("Not a digit: %1 of %2 refused (unsure or not a digit)"),
                    percent_text(result.refusal_rate),
                    number_text(result.should_refuse),
                )
            )
        confusions = result.top_confusions()
        if confusions:
            lines.append(
                self.tr("Most common confusions: ")
                + ", ".join(fill(self.tr("%1 read as %2 (%3)"), c.true, c.predicted, c.count) for c in confusions)
            )
        self.summary.setText("\n".join(lines))
        failures = result.images.failures
        self.failures.setText(
            fill(self.tr("%n images could not be used:", "", len(failures)), len(failures))
            + "\n"
            + "\n".join(error_text(failure) for failure in failures)
            if failures
            else ""
        )

    def _on_confusion_table_cell_chosen(self, true: int, answer: int) -> None:
        if self.result is None:
            return
        indices = self.result.cell(true, answer)
        if true == NOT_A_DIGIT:
            self.gallery.show_images(self.result, indices, lambda: fill(self.tr("Not a digit, read as %1"), answer))
        else:
            self.gallery.show_images(self.result, indices, lambda: fill(self.tr("%1 read as %2"), true, answer))

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        if running:
            self.progress_bar.setValue(0)

    def _say(self, text, error: bool = False) -> None:
        """Show `text()`; a function, so that a language change can say it again in the new language."""
        self._said = text
        self.status.setText(text())
        self.status.setStyleSheet(ERROR_STYLE if error else "")

    def _on_folder_action_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self.parentWidget() or self, self.tr("Evaluate on a folder with labels.csv")
        )
        if folder:
            self.start_folder(Path(folder))
