"""Corrections: say what the drawing really is in one key press.

`CorrectionBar` stores the current drawing with its true digit (keys 0-9 anywhere in the window,
or its row of buttons); it says "saved" only after the store has committed the row. For a number,
the keys type the whole number and Enter stores one correction per digit (one digit and Enter, or
a button, corrects the chosen digit). `DigitKeys` gives the digit keys of all of the window to it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from lenet_desktop.core.history import fingerprint
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.numbers import NumberReading, read_number
from lenet_desktop.core.predict import Prediction, predict_frame
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store import CORRECTION, DigitCorrection, StoreError
from lenet_desktop.gui.services.language import Retranslated, error_text, fill, percent_text
from lenet_desktop.gui.services.state import AppState, ObservedCorrections
from lenet_desktop.gui.widgets.status_label import StatusLabel


def save_drawing(
    corrections: ObservedCorrections,
    classifier: Classifier,
    drawing: np.ndarray,
    label: int,
    frame: np.ndarray,
    prediction: Prediction | None = None,
    source: str = CORRECTION,
) -> tuple[int, Prediction]:
    """Store one digit's drawing as `label`, with what `classifier` reads in `frame` (`prediction`,
    unless it was for another drawing); returns the correction's id and that reading. Raises
    StoreError or OSError when it cannot be saved."""
    if prediction is None or not np.array_equal(prediction.frame, frame):
        prediction = predict_frame(classifier, frame)  # the live answer was for an older drawing
    identifier = corrections.add(
        drawing,
        label,
        predicted=prediction.digit,
        confidence=prediction.confidence,
        model_name=classifier.name,
        model_version=classifier.metadata.get("version") or fingerprint(classifier),
        frame=frame,
        source=source,
    )
    return identifier, prediction


class DigitKeys(QObject):
    """Digit keys that reach `host` unclaimed (the canvas, buttons and tabs ignore them; spin boxes,
    text fields and combo boxes keep theirs, so typing a value never saves a correction); other keys
    go to `on_key`, which says whether it used them.

    A held digit key counts once: the repeats the keyboard sends while it is down are taken and
    dropped (as more keys they took the correction the first had saved back into a number typed).
    Qt marks a repeat with isAutoRepeat, but on X11 only when it finds X's release and press of it
    queued together; otherwise the repeat comes as a release and a press of the key with one and
    the same timestamp, which no person's second press has."""

    def __init__(
        self,
        parent: QObject,
        host: QWidget,
        on_digit: Callable[[int], object],
        on_key: Callable[[int], bool] = lambda _key: False,
    ) -> None:
        super().__init__(parent)
        self.on_digit = on_digit
        self.on_key = on_key
        self._released: tuple[int, int] | None = None  # the last digit key released, and when (ms)
        host.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) or event.modifiers() not in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        ):
            return False
        digit = Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_9
        if event.type() == QEvent.Type.KeyRelease:
            if digit:
                self._released = (event.key(), event.timestamp())
            return False
        if not digit:
            return self.on_key(event.key())
        repeat = event.isAutoRepeat() or (event.timestamp() != 0 and self._released == (event.key(), event.timestamp()))
        if not repeat:
            self.on_digit(event.key() - Qt.Key.Key_0)
        return True


class CorrectionBar(Retranslated, QWidget):
    """ "This drawing is: 0 ... 9". The digit keys do the same when they reach `shortcut_host`."""

    correctionSaved = Signal(int)  # the new correction's id
    # What a key or button did (saved, or why not), for the window to show whatever tab is open:
    # the bar's own line is on the Corrections tab only.
    said = Signal(str)

    def __init__(
        self,
        state: AppState,
        corrections: ObservedCorrections,
        shortcut_host: QWidget | None = None,
        read_drawing: Callable[[], np.ndarray | None] | None = None,  # the canvas as it is now
        read_strokes: Callable[[], list[np.ndarray] | None] = lambda: None,  # its strokes, for reading a number
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.state = state
        self.corrections = corrections  # adds through it, so that the browser hears of each new one
        self.store = corrections.store
        # The state's drawing is the one last sent to the predictor; a key pressed right after a
        # stroke must save the canvas as the user sees it.
        self._read_drawing = read_drawing or (lambda: state.drawing)
        self._read_strokes = read_strokes
        self._typed = ""  # the number typed so far, saved by Enter
        # What a digit key saved for the drawing shown, read as one digit: (id, digit). A second key
        # before the drawing changes means a number is being typed (the reader found fewer digits
        # than there are), starting with the first key's digit. The first key's correction stays
        # saved: only the typed number, once it is saved itself, replaces it.
        self._saved_by_key: tuple[int, str] | None = None
        self.buttons: list[QPushButton] = []
        self.status = StatusLabel()
        self._about_drawing = False  # the status describes the drawing shown: it goes when that changes
        self._say_hint()
        self.heading = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.heading)
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(30)
            button.clicked.connect(lambda _=False, digit=digit: self.capture(digit))
            row.addWidget(button)
            self.buttons.append(button)
        self._digit_keys = DigitKeys(self, shortcut_host or self, self._on_digit_key, self._on_other_key)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        state.drawingChanged.connect(self._on_state_drawing_changed)
        corrections.removed.connect(lambda _identifier: self.recount())
        self._on_state_drawing_changed(state.drawing)
        self._retranslate()

    def _retranslate(self) -> None:
        self.heading.setText(self.tr("This drawing is:"))
        for digit, button in enumerate(self.buttons):
            button.setToolTip(fill(self.tr("Save the drawing as a %1 (key %1)"), digit))

    def recount(self) -> None:
        """Say the line again: "N corrections in all" after a delete, an import or an undo."""
        self.status.refresh()

    def _current(self) -> tuple[np.ndarray, NumberReading] | None:
        """The canvas as it is now and the number read in it: the live reading, unless the key came
        before the reading of the last stroke did."""
        drawing = self._read_drawing()
        if drawing is None:
            return None
        reading, shown = self.state.reading, self.state.drawing
        if reading is None or shown is None or shown.shape != drawing.shape or not np.array_equal(shown, drawing):
            reading = read_number(self.state.classifier, drawing, self._read_strokes())
        return drawing, reading

    def _on_digit_key(self, digit: int) -> None:
        current = self._current()
        # A number already being typed goes on, however many digits the drawing was read as.
        if current is None or (len(current[1].digits) < 2 and not self._typed):
            # No drawing (cleared, and the state not told yet): nothing to type a number for.
            if current is None or self._saved_by_key is None or not self._as_saved(*self._saved_by_key):
                self._typed = ""
                identifier = self.capture(digit)
                self._saved_by_key = None if identifier is None else (identifier, str(digit))
                return
            self._typed = self._saved_by_key[1]
        self._typed += str(digit)
        self._show_typed(len(current[1].digits))

    def _as_saved(self, identifier: int, label: str) -> bool:
        """Whether the correction a key saved is still there as it saved it. Deleted or relabelled
        in the Corrections tab since, the user has dealt with it: the next key is a first key again
        (it went on typing a number, and saved nothing), and a number typed does not replace it."""
        try:
            correction = self.store.get(identifier)
        except StoreError:
            return False
        return str(correction.label) == label and not correction.confirmed

    def _on_other_key(self, key: int) -> bool:
        """Enter saves the number typed, Backspace takes back its last digit; other keys pass."""
        if not self._typed:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_number(self._typed)
            return True
        if key == Qt.Key.Key_Backspace:
            self._typed = self._typed[:-1]
            current = self._current()
            self._show_typed(len(current[1].digits) if current is not None else 0)
            return True
        return False

    def _say(self, text: Callable[[], str], error: bool = False) -> None:
        self.status.say(text, error)
        self.said.emit(text())

    def _say_hint(self) -> None:
        self._about_drawing = False
        self.status.say(lambda: self.tr("Draw a digit, then press its key (0-9) or button to save it as a correction."))

    def _show_typed(self, count: int) -> None:
        typed, replaced = self._typed, self._replaced()
        self._about_drawing = True
        if replaced is not None:
            self._say(
                lambda: fill(
                    self.tr(
                        "Typed %1 of a number of %2 digits: press Enter to save it, one correction per digit, in place of correction #%3, which stays saved until then."
                    ),
                    typed or "–",
                    count,
                    replaced,
                )
            )
            return
        self._say(
            lambda: fill(
                self.tr(
                    "Typed %1 of a number of %2 digits: press Enter to save one correction per digit (one digit and Enter corrects the chosen digit)."
                ),
                typed or "–",
                count,
            )
        )

    def _replaced(self) -> int | None:
        """The id of the correction a digit key saved for this drawing, which the number typed replaces
        once it is saved; None when there is none, or the user has deleted or edited it since."""
        if self._saved_by_key is None or not self._as_saved(*self._saved_by_key):
            return None
        return self._saved_by_key[0]

    def _remove_replaced(self, replaced: int | None) -> StoreError | None:
        """The number typed is saved: the correction it replaces goes. Should that fail, both stay,
        and the failure is returned for `_say_still_there`."""
        self._saved_by_key = None
        if replaced is None:
            return None
        try:
            self.corrections.remove(replaced)
        except StoreError as error:
            return error
        return None

    def _say_still_there(self, replaced: int | None, failure: StoreError | None) -> None:
        if failure is not None:
            self._say(
                lambda: fill(
                    self.tr("Saved, but correction #%1, which the number replaces, is still there: %2"),
                    replaced,
                    error_text(failure),
                ),
                error=True,
            )

    def save_number(self, typed: str) -> list[int]:
        """Store the number `typed` for the drawing, one correction per digit; a single digit typed
        corrects the chosen digit; it replaces the correction a digit key saved for the drawing.
        Returns the ids, or [] with the reason shown (and the correction it would replace kept)."""
        self._typed = ""
        replaced = self._replaced()
        current = self._current()
        if current is None or not current[1].digits:
            self._say(lambda: self.tr("Nothing to save: draw a digit first."), error=True)
            return []
        drawing, reading = current
        if len(typed) == 1:
            identifier = self.capture(int(typed), replaced)
            return [] if identifier is None else [identifier]
        if len(typed) > len(reading.digits):
            # Read again as the number of digits typed: the reader joined digits the person tells apart.
            # Fewer typed than found is refused below: a digit left out, or a typo, would otherwise
            # join two digits the reader told apart into one wrongly labelled correction.
            reading = read_number(self.state.classifier, drawing, self._read_strokes(), count=len(typed)) or reading
        if len(typed) != len(reading.digits):
            count = len(reading.digits)
            self._about_drawing = True
            self._say(
                lambda: fill(
                    self.tr(
                        "Not saved: %1 digits typed, but the drawing has %2; type the whole number, or one digit for the chosen digit."
                    ),
                    len(typed),
                    count,
                ),
                error=True,
            )
            return []
        chosen = range(len(reading.digits))
        return self._save_digits(drawing, reading, chosen, [int(c) for c in typed], replaced)

    def _save_digits(
        self, drawing: np.ndarray, reading: NumberReading, indices, labels: list[int], replaced: int | None = None
    ) -> list[int]:
        classifier = self.state.classifier
        digits = [
            DigitCorrection(
                label, reading.digits[i].frame, reading.boxes[i], reading.digits[i].digit, reading.digits[i].confidence
            )
            for i, label in zip(indices, labels)
        ]
        try:
            ids = self.corrections.add_number(
                drawing,
                digits,
                model_name=classifier.name,
                model_version=classifier.metadata.get("version") or fingerprint(classifier),
            )
        except (StoreError, OSError) as error:
            failure = error  # told when shown, and again in a new language
            self._say(lambda: fill(self.tr("Not saved: %1"), error_text(failure)), error=True)
            return []
        not_removed = self._remove_replaced(replaced)
        typed = "".join(str(label) for label in labels)
        said = "".join(str(digit.predicted) for digit in digits)
        self._say(
            lambda: (
                fill(
                    self.tr(
                        "Saved %1 as %2 corrections, one per digit; the model said %3. %n corrections in all.",
                        "",
                        len(self.store),  # counted whenever it is said: a delete since changes it
                    ),
                    typed,
                    len(ids),
                    said,
                )
                if len(ids) > 1
                else fill(
                    self.tr(
                        "Saved correction #%1 as %2; the model said %3 (%4). %n corrections in all.",
                        "",
                        len(self.store),
                    ),
                    ids[0],
                    typed,
                    said,
                    percent_text(digits[0].confidence, 0),
                )
            )
        )
        self._say_still_there(replaced, not_removed)
        for identifier in ids:
            self.correctionSaved.emit(identifier)
        return ids

    def capture(self, label: int, replaced: int | None = None) -> int | None:
        """Store the current drawing as `label` (for a number: its chosen digit), in place of the
        correction `replaced` if one is given; returns the correction's id, or None with a reason shown."""
        current = self._current()
        if current is not None and len(current[1].digits) > 1:
            drawing, reading = current
            chosen = min(max(self.state.selected_digit, 0), len(reading.digits) - 1)
            ids = self._save_digits(drawing, reading, [chosen], [label], replaced)
            return ids[0] if ids else None
        drawing = current[0] if current is not None else None
        frame = preprocess(drawing) if drawing is not None else None
        if frame is None:
            self._say(lambda: self.tr("Nothing to save: draw a digit first."), error=True)
            return None
        try:
            identifier, prediction = save_drawing(
                self.corrections, self.state.classifier, drawing, label, frame, self.state.prediction
            )
        except (StoreError, OSError) as error:
            failure = error  # told when shown, and again in a new language
            self._say(lambda: fill(self.tr("Not saved: %1"), error_text(failure)), error=True)
            return None
        not_removed = self._remove_replaced(replaced)
        digit, confidence = prediction.digit, prediction.confidence
        self._say(
            lambda: fill(
                self.tr(
                    "Saved correction #%1 as %2; the model said %3 (%4). %n corrections in all.", "", len(self.store)
                ),
                identifier,
                label,
                digit,
                percent_text(confidence, 0),
            )
        )
        self._say_still_there(replaced, not_removed)
        self.correctionSaved.emit(identifier)
        return identifier

    def _on_state_drawing_changed(self, drawing) -> None:
        self._typed = ""  # typed for the drawing before
        self._saved_by_key = None
        if self._about_drawing:
            self._say_hint()
        for button in self.buttons:
            button.setEnabled(drawing is not None)
