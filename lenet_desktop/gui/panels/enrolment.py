"""Teach it my handwriting: a guided enrolment, then a personalisation run on what was drawn.

The dialog asks for each digit three times in a shuffled order (core.enrolment.prompts), large, with
a progress row. The drawing is done on the window's own DrawingCanvas, so its strokes and its
preprocessing are those of the main canvas; it moves on when the pen has rested PAUSE_MS after
a stroke (a new stroke restarts the wait) or on Enter. Each drawing is stored as a digit key stores a
correction (correction_bar.save_drawing), marked as the enrolment's, the moment it is done: Cancel
keeps what was drawn. After the last one, core.enrolment.enrolment_run personalises the active model
in a JobRunner's thread, as the Training tab's personalise does, and the dialog shows before and after
on the user's own drawings (each held out in turn) and on MNIST test, digit by digit. Keep makes the
result the active model and saves it into the model history, as the Training tab's Keep does.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

import torch
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.data import LabelledImages, MnistError
from lenet_desktop.core.device import DeviceError, resolve_device
from lenet_desktop.core.enrolment import EnrolmentOutcome, StageProgress, enrolment_run, prompts
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.personalise import Recipe, fallen_digits
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store import ENROLMENT, StoreError
from lenet_desktop.gui.panels.correction_bar import save_drawing
from lenet_desktop.gui.services.jobs import JobContext, JobRunner
from lenet_desktop.gui.services.language import Retranslated, duration_text, error_text, fill, percent_text
from lenet_desktop.gui.services.state import AppState, ObservedCorrections, ObservedHistory
from lenet_desktop.gui.widgets.canvas import DrawingCanvas
from lenet_desktop.gui.widgets.status_label import ERROR_STYLE, StatusLabel

PAUSE_MS = 800  # the pen at rest this long after a stroke: the digit is done
PROMPT_POINTS = 96
DONE, SKIPPED, NOW, LATER = "●", "◌", "◉", "○"  # the progress row, one mark a drawing
DRAW_PAGE, RUN_PAGE, RESULT_PAGE = range(3)


class EnrolmentDialog(Retranslated, QDialog):
    """The enrolment, from the first digit asked for to Keep or Discard."""

    modelKept = Signal(object)  # the HistoryEntry of the model made active
    runEnded = Signal(object)  # the EnrolmentOutcome, or the error, once the results (or the reason) are shown

    def __init__(
        self,
        state: AppState,
        corrections: ObservedCorrections,
        history: ObservedHistory,
        mnist: Callable[[], Callable[[str], LabelledImages]],  # MNIST's splits, loaded once (TrainingPanel's)
        parent: QWidget | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.corrections = corrections
        self.history = history
        self.mnist = mnist
        self.recipe = Recipe()  # the Training tab's personalise at its defaults
        self.order = prompts(seed)
        self.index = 0
        self.marks = [LATER] * len(self.order)
        self.saved: list[int] = []
        self.outcome: EnrolmentOutcome | None = None
        self.fallen: list = []
        self.runner = JobRunner(
            QT_TRANSLATE_NOOP("core", "training"), expected_errors=(MnistError, ValueError, RuntimeError), parent=self
        )
        self.runner.progress.connect(self._on_runner_progress)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.pause = QTimer(self, singleShot=True, interval=PAUSE_MS)
        self.pause.timeout.connect(self._on_pause_timeout)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_draw_page())
        self.pages.addWidget(self._build_run_page())
        self.pages.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._retranslate()
        self._show_prompt()

    # --- construction ----------------------------------------------------------------------

    def _build_draw_page(self) -> QWidget:
        self.ask_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.prompt_label = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.prompt_label.font())
        font.setPointSize(PROMPT_POINTS)
        font.setBold(True)
        self.prompt_label.setFont(font)
        self.count_label = QLabel()
        self.dots_label = QLabel()
        self.dots_label.setStyleSheet("color: #2563eb; letter-spacing: 1px;")
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.count_label)
        progress_row.addWidget(self.dots_label, 1)
        self.canvas = DrawingCanvas()
        self.canvas.setFixedSize(280, 280)
        self.canvas.strokeFinished.connect(self._on_canvas_stroke_finished)
        self.canvas.drawingChanged.connect(self._on_canvas_drawing_changed)
        self.hint = StatusLabel()
        self.redo_button = QPushButton()
        self.skip_button = QPushButton()
        self.next_button = QPushButton()
        self.cancel_button = QPushButton()
        buttons = QHBoxLayout()
        for button in (self.redo_button, self.skip_button, self.next_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas keeps the keys: Enter goes on
            buttons.addWidget(button)
        self.redo_button.clicked.connect(self.redo)
        self.skip_button.clicked.connect(self.skip)
        self.next_button.clicked.connect(self.advance)
        self.cancel_button.clicked.connect(self.reject)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.ask_label)
        layout.addWidget(self.prompt_label)
        layout.addLayout(progress_row)
        layout.addWidget(self.canvas, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        return page

    def _build_run_page(self) -> QWidget:
        self.run_title = QLabel()
        self.run_title.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.run_status = StatusLabel()
        self.stop_button = QPushButton()
        self.stop_button.clicked.connect(self.reject)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.run_title)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.run_status)
        layout.addStretch(1)
        layout.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _build_result_page(self) -> QWidget:
        self.result_title = QLabel()
        self.result_title.setWordWrap(True)
        self.scores_table = QTableWidget(12, 2)
        self.scores_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scores_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fallen_label = QLabel()
        self.fallen_label.setWordWrap(True)
        self.keep_button = QPushButton()
        self.discard_button = QPushButton()
        self.keep_button.clicked.connect(self.keep)
        self.discard_button.clicked.connect(self.discard)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.discard_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_title)
        layout.addWidget(self.scores_table, 1)
        layout.addWidget(self.fallen_label)
        layout.addLayout(buttons)
        return page

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Teach it my handwriting"))
        self.ask_label.setText(self.tr("Write this digit:"))
        self.redo_button.setText(self.tr("Redo"))
        self.redo_button.setToolTip(self.tr("Clear this drawing and write the digit again"))
        self.skip_button.setText(self.tr("Skip"))
        self.skip_button.setToolTip(self.tr("Go on to the next digit without saving this one"))
        self.next_button.setText(self.tr("Next"))
        self.next_button.setToolTip(self.tr("Save this drawing and go on (Enter)"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop here: the drawings saved so far stay as corrections"))
        self.stop_button.setText(self.tr("Cancel"))
        self.keep_button.setText(self.tr("Keep"))
        self.keep_button.setToolTip(self.tr("Make the new model active and save it into the model history"))
        self.discard_button.setText(self.tr("Discard"))
        self.scores_table.setHorizontalHeaderLabels([self.tr("Before"), self.tr("After")])
        self.scores_table.setVerticalHeaderLabels(
            [self.tr("Your drawings, each held out in turn"), self.tr("MNIST test")]
            + [fill(self.tr("MNIST test: %1"), digit) for digit in range(10)]
        )
        self._show_progress_row()
        count = len(self.saved)
        self.run_title.setText(self.tr("Personalising the active model on your %n drawing(s)…", "", count))
        if self.outcome is not None:
            self._show_result()

    # --- drawing ---------------------------------------------------------------------------

    @property
    def digit(self) -> int | None:
        """The digit asked for now; None once every one has been asked for."""
        return self.order[self.index] if self.index < len(self.order) else None

    def _show_prompt(self) -> None:
        self.prompt_label.setText(str(self.digit))
        self.marks[self.index] = NOW
        self._show_progress_row()
        self.hint.say(
            lambda: self.tr("Write it once, as you usually do; it goes on when you lift the pen, or on Enter.")
        )
        self.canvas.clear()
        self.canvas.setFocus()

    def _show_progress_row(self) -> None:
        self.count_label.setText(fill(self.tr("%1/%2"), min(self.index + 1, len(self.order)), len(self.order)))
        self.dots_label.setText("".join(self.marks))

    def _on_canvas_drawing_changed(self) -> None:
        if self.canvas.pen_down:  # new ink: the digit is not done yet
            self.pause.stop()

    def _on_canvas_stroke_finished(self) -> None:
        if not self.canvas.blank and self.pages.currentIndex() == DRAW_PAGE:
            self.pause.start()

    def _on_pause_timeout(self) -> None:
        if not self.canvas.pen_down and not self.canvas.blank:
            self.advance()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.pages.currentIndex() == DRAW_PAGE:
            self.advance()
            event.accept()
            return
        super().keyPressEvent(event)

    def advance(self) -> bool:
        """Save the drawing as the digit asked for, then ask for the next one."""
        self.pause.stop()
        if self.digit is None:
            return False
        frame = None if self.canvas.blank else preprocess(self.canvas.drawing())
        if frame is None:
            self.hint.say(lambda: self.tr("Nothing to save: write the digit first, or press Skip."), error=True)
            return False
        try:
            identifier, _ = save_drawing(
                self.corrections, self.state.classifier, self.canvas.drawing(), self.digit, frame, source=ENROLMENT
            )
        except (StoreError, OSError) as error:
            failure = error  # told when shown, and again in a new language
            self.hint.say(lambda: fill(self.tr("Not saved: %1"), error_text(failure)), error=True)
            return False
        self.saved.append(identifier)
        self._next(DONE)
        return True

    def skip(self) -> None:
        self.pause.stop()
        if self.digit is not None:
            self._next(SKIPPED)

    def redo(self) -> None:
        self.pause.stop()
        self.canvas.clear()
        self.canvas.setFocus()

    def _next(self, mark: str) -> None:
        self.marks[self.index] = mark
        self.index += 1
        if self.digit is not None:
            self._show_prompt()
        elif self.saved:
            self.canvas.clear()
            self.personalise()
        else:
            super().reject()  # nothing drawn: nothing to learn

    # --- the run ---------------------------------------------------------------------------

    def personalise(self) -> bool:
        """Personalise the active model on every correction, in a worker."""
        saved = set(self.saved)
        try:
            device = resolve_device("auto")
            corrections, confirmed = self.corrections.store.images_and_confirmations()
            enrolled = torch.tensor([c.id in saved for c in self.corrections.store.all()], dtype=torch.bool)
        except (DeviceError, StoreError) as error:
            self._on_runner_failed(error)
            return False
        snapshot = copy.deepcopy(self.state.classifier)  # the worker never touches the live model
        mnist, recipe = self.mnist(), self.recipe

        def job(context: JobContext) -> EnrolmentOutcome:  # plain values only: it runs in the worker's thread
            outcome = enrolment_run(snapshot, corrections, confirmed, enrolled, mnist, device, context, recipe)
            if outcome.training is not None:
                training = outcome.training
                trained = len(corrections) - training.held_out - training.set_aside
                training.runs[0].classifier.metadata["name"] = f"personalised on {trained} corrections"
            return outcome

        self.pages.setCurrentIndex(RUN_PAGE)
        self._retranslate()
        self.progress_bar.setValue(0)
        self.run_status.say(lambda: self.tr("Loading MNIST…"))
        self.stop_button.setEnabled(True)
        return self.runner.start(job)

    def _on_runner_progress(self, message) -> None:
        _, progress = message
        if not isinstance(progress, StageProgress):
            return
        self.progress_bar.setValue(round(1000 * progress.fraction))
        self.run_status.say(
            lambda: fill(
                self.tr("Run %1 of %2 · %3 left"), progress.stage, progress.stages, duration_text(progress.seconds_left)
            )
        )

    def _on_runner_finished(self, outcome: EnrolmentOutcome) -> None:
        if outcome.cancelled:
            self.runEnded.emit(outcome)
            super().reject()
            return
        self.outcome = outcome
        self.pages.setCurrentIndex(RESULT_PAGE)
        self._show_result()
        self.keep_button.setDefault(True)
        self.runEnded.emit(outcome)

    def _on_runner_failed(self, failure: BaseException) -> None:
        self.pages.setCurrentIndex(RUN_PAGE)
        self.run_status.say(lambda: fill(self.tr("Not personalised: %1"), error_text(failure)), error=True)
        self.stop_button.setText(self.tr("Close"))
        self.runEnded.emit(failure)

    # --- results ---------------------------------------------------------------------------

    def _show_result(self) -> None:
        outcome = self.outcome
        training = outcome.training
        before, after = training.before.mnist, training.after[0].mnist
        self.result_title.setText(
            self.tr(
                "Before → after. Your drawings are each read by a model trained without them, so the figure "
                "says how it will read your next ones."
            )
        )
        cells = []
        if outcome.own_before is not None:
            total = len(outcome.own_before)
            cells.append(
                [
                    fill(self.tr("%1 of %2 read right"), int(right.sum()), total)
                    for right in (outcome.own_before, outcome.own_after)
                ]
            )
        else:
            cells.append([self.tr("not measured")] * 2)
        cells.append(
            [percent_text(e.accuracy, 2) if e is not None else self.tr("not measured") for e in (before, after)]
        )
        for digit in range(10):
            cells.append(
                [percent_text(e.per_class_accuracy[digit], 1) if e is not None else "" for e in (before, after)]
            )
        for row, pair in enumerate(cells):
            for column, text in enumerate(pair):
                self.scores_table.setItem(row, column, QTableWidgetItem(text))
        self.fallen = fallen_digits(before, after) if before is not None and after is not None else []
        if self.fallen:
            self.fallen_label.setText(
                fill(
                    self.tr("On MNIST, these digits fell by more than 0.5 points: %1"),
                    ", ".join(str(f.digit) for f in self.fallen),
                )
            )
            self.fallen_label.setStyleSheet(ERROR_STYLE if any(f.past_limit for f in self.fallen) else "")
        else:
            self.fallen_label.setText(self.tr("No MNIST digit fell by more than 0.5 points."))
            self.fallen_label.setStyleSheet("")

    def keep(self):
        """Make the new model active and save it into the history, as the Training tab's Keep; returns its entry."""
        if self.outcome is None:
            return None
        past = [str(f.digit) for f in self.fallen if f.past_limit]
        if past:
            answer = QMessageBox.question(
                self,
                self.tr("Keep this model?"),
                fill(self.tr("On MNIST, %1 fell by more than 1 point. Keep the new model anyway?"), ", ".join(past)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        classifier = self.outcome.training.runs[0].classifier
        classifier.to(self.state.classifier.device)
        try:
            entry = self.history.keep(classifier)
        except OSError as error:
            failure = error  # told when shown, and again in a new language
            self.fallen_label.setText(fill(self.tr("Could not save the model: %1"), error_text(failure)))
            self.fallen_label.setStyleSheet(ERROR_STYLE)
            return None
        self.state.set_classifier(classifier, entry.path)
        self.outcome = None
        self.modelKept.emit(entry)
        self.accept()
        return entry

    def discard(self) -> None:
        self.outcome = None
        super().reject()

    # --- closing ---------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel, Esc or the window's close: the drawings saved stay; a run is cancelled first
        and the dialog closes when it has stopped."""
        self.pause.stop()
        if self.runner.running:
            self.runner.cancel()
            self.stop_button.setEnabled(False)
            self.run_status.say(lambda: self.tr("Cancelling: the run stops after the current batch…"))
            return
        self.outcome = None
        super().reject()

    def shutdown(self) -> None:
        """Stop a run and wait for its thread: the main window is closing."""
        self.runner.stop()
