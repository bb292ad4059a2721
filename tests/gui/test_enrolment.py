"""Teach it my handwriting, in the real window: drawn with real mouse events on the enrolment's canvas,
each drawing saved as an enrolment correction, personalised, kept; cancelled, it keeps what was drawn
and nothing else; and in Vietnamese."""

from __future__ import annotations

import pytest
from digit_strokes import DIGITS
from PySide6.QtCore import Qt
from test_language import english_left, switch_language  # noqa: F401  (a fixture)
from visible_texts import visible_texts

from lenet_desktop.core.enrolment import REPEATS
from lenet_desktop.core.personalise import Recipe
from lenet_desktop.core.store import CORRECTION, ENROLMENT, CorrectionStore
from lenet_desktop.gui.devtools.replay import draw_strokes
from lenet_desktop.gui.panels.enrolment import DONE, NOW, SKIPPED, EnrolmentDialog
from lenet_desktop.gui.services.language import VIETNAMESE

RUN_TIMEOUT = 300_000  # ms; the machine may be busy, the run itself takes seconds


def open_from_the_training_tab(qtbot, window) -> EnrolmentDialog:
    window.tabs.setCurrentWidget(window.training_panel)
    qtbot.mouseClick(window.training_panel.enrol_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(EnrolmentDialog)
    qtbot.waitExposed(dialog)
    return dialog


def write_asked_digit(dialog: EnrolmentDialog, seen: dict[int, int]) -> int:
    """Draw the digit asked for with real mouse events, in the next of its hand-made styles."""
    digit = dialog.digit
    style = seen.get(digit, 0)
    seen[digit] = style + 1
    draw_strokes(dialog.canvas, DIGITS[digit][style % len(DIGITS[digit])])
    return digit


def stored(window) -> list[tuple[int, str]]:
    with CorrectionStore(window.corrections_panel.store.path) as store:  # the real file, opened anew
        return [(c.label, c.source) for c in store.all()]


def test_it_asks_for_each_digit_three_times_in_a_shuffled_order(qtbot, make_main_window):
    window = make_main_window()
    dialog = open_from_the_training_tab(qtbot, window)
    assert sorted(dialog.order) == sorted(list(range(10)) * REPEATS)
    assert dialog.order != sorted(dialog.order)
    assert all(a != b for a, b in zip(dialog.order, dialog.order[1:])), "never the same digit twice in a row"
    assert dialog.prompt_label.text() == str(dialog.order[0])
    assert dialog.count_label.text() == "1/30" and dialog.dots_label.text() == NOW + "○" * 29
    assert dialog.canvas.isVisible() and dialog.canvas.blank


def test_cancel_in_the_middle_keeps_what_was_drawn_as_corrections_and_nothing_else(qtbot, make_main_window):
    window = make_main_window()
    window.corrections_panel.corrections.add(_a_four(), 4)  # a correction from before
    before, entries = window.state.classifier, window.training_panel.history.entries()
    dialog = open_from_the_training_tab(qtbot, window)
    seen: dict[int, int] = {}
    asked = []

    asked.append(write_asked_digit(dialog, seen))  # Enter moves on
    qtbot.keyClick(dialog.canvas, Qt.Key.Key_Return)
    assert dialog.index == 1 and dialog.canvas.blank

    asked.append(write_asked_digit(dialog, seen))  # the pen lifted, then a pause: it moves on by itself
    qtbot.waitUntil(lambda: dialog.index == 2, timeout=10_000)

    draw_strokes(dialog.canvas, DIGITS[1][0])  # Redo clears what was written for this digit ...
    qtbot.mouseClick(dialog.redo_button, Qt.MouseButton.LeftButton)
    assert dialog.canvas.blank and dialog.index == 2
    asked.append(write_asked_digit(dialog, seen))  # ... and the digit is written again
    qtbot.keyClick(dialog.canvas, Qt.Key.Key_Enter)

    qtbot.mouseClick(dialog.skip_button, Qt.MouseButton.LeftButton)  # Skip saves nothing
    assert dialog.index == 4 and dialog.count_label.text() == "5/30"
    assert dialog.dots_label.text()[:5] == DONE * 3 + SKIPPED + NOW

    asked.append(write_asked_digit(dialog, seen))
    qtbot.keyClick(dialog.canvas, Qt.Key.Key_Return)
    assert dialog.order[:5] == [*asked[:3], dialog.order[3], asked[3]]

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(EnrolmentDialog) is None)
    assert stored(window) == [(4, CORRECTION)] + [(digit, ENROLMENT) for digit in asked]
    assert window.state.classifier is before and window.training_panel.history.entries() == entries
    assert window.corrections_panel.browser.model.rowCount() == 5, "the Corrections tab lists them at once"


def _a_four():
    from digit_strokes import render_strokes

    return render_strokes(DIGITS[4][0])


def test_the_enrolment_speaks_vietnamese_and_english_again(qtbot, make_main_window, switch_language):  # noqa: F811
    window = make_main_window()
    window.enrol_action.trigger()  # from the Model menu
    dialog = window.findChild(EnrolmentDialog)
    english = visible_texts(dialog)
    assert "Teach it my handwriting" in english and english_left(english)

    switch_language(VIETNAMESE)
    assert english_left(visible_texts(dialog)) == set()
    assert dialog.windowTitle() != "Teach it my handwriting"

    switch_language("en")
    assert visible_texts(dialog) == english


@pytest.mark.slow
@pytest.mark.mnist
def test_thirty_drawings_personalise_and_keep_makes_the_new_model_active(
    qtbot,
    make_main_window,
    mnist_root,
    switch_language,  # noqa: F811
):
    window = make_main_window()
    window.training_panel.mnist_dir = mnist_root
    before = window.state.classifier
    dialog = open_from_the_training_tab(qtbot, window)
    dialog.recipe = Recipe(max_batches=2)  # a small case: the texts and the wiring are under test
    seen: dict[int, int] = {}
    asked = []
    for _ in range(30):
        asked.append(write_asked_digit(dialog, seen))
        qtbot.keyClick(dialog.canvas, Qt.Key.Key_Return)
    assert dialog.pages.currentIndex() == 1 and dialog.progress_bar.isVisible()
    with qtbot.waitSignal(dialog.runEnded, timeout=RUN_TIMEOUT) as ended:
        pass
    outcome = ended.args[0]
    assert not isinstance(outcome, BaseException), outcome
    assert stored(window) == [(digit, ENROLMENT) for digit in asked]
    measured = len(outcome.own_before)
    assert measured >= 25, "every drawing the model does not flag is read once, held out"
    own = dialog.scores_table.item(0, 1).text()
    assert own.endswith(f"of {measured} read right"), own
    assert all(dialog.scores_table.item(row, 1).text().endswith("%") for row in range(1, 12))

    english = visible_texts(dialog)
    switch_language(VIETNAMESE)
    assert english_left(visible_texts(dialog)) == set()
    switch_language("en")
    assert visible_texts(dialog) == english

    with qtbot.waitSignal(window.state.modelChanged):
        qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    (entry,) = window.training_panel.history.entries()
    assert window.state.classifier is not before and window.state.model_path == entry.path
    assert "personalisation" in window.state.classifier.metadata["training"]
    listed = window.history_panel.list
    assert listed.item(listed.count() - 1).text().startswith("● " + entry.name), "listed in the Models tab, active"
