"""Personalisation in the real window: the before/after view names each MNIST digit that fell, in
words, and Keep asks first when one fell past its limit; the Corrections tab flags a doubtful label."""

import pytest
from digit_strokes import DIGITS, render_strokes
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from window_helpers import set_up_a_run_that_unlearns_sevens

from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser

RUN_TIMEOUT = 180_000  # ms; the machine may be busy, the run itself takes seconds


def answer_next_question(qtbot, button: QMessageBox.StandardButton, seen: list[str]) -> None:
    """Click `button` of the next modal message box as soon as it is shown; note its text."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


@pytest.mark.slow
@pytest.mark.mnist
def test_a_digit_that_fell_is_named_and_keep_asks_before_making_it_active(qtbot, make_main_window, mnist_train):
    window = make_main_window()
    panel = window.training_panel
    window.tabs.setCurrentWidget(panel)
    set_up_a_run_that_unlearns_sevens(panel, mnist_train)
    before = window.state.classifier

    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    report = panel.fallen_label.text()
    assert "sevens: " in report and "now read as 1" in report, report

    questions: list[str] = []
    answer_next_question(qtbot, QMessageBox.StandardButton.No, questions)
    qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    assert questions and "sevens" in questions[0]
    assert window.state.classifier is before and panel.history.entries() == [], "No keeps the old model"
    assert panel.results_box.isEnabled(), "the result can still be kept"

    answer_next_question(qtbot, QMessageBox.StandardButton.Yes, questions)
    with qtbot.waitSignal(window.state.modelChanged):
        qtbot.mouseClick(panel.keep_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 2 and len(panel.history.entries()) == 1 and window.state.classifier is not before


@pytest.mark.slow
@pytest.mark.mnist
def test_the_personalise_choice_runs_the_recipe_from_the_active_model(qtbot, make_main_window):
    window = make_main_window()
    panel = window.training_panel
    for digit in range(10):
        panel.store.add(render_strokes(DIGITS[digit][1]), digit)
    panel.data_box.setCurrentIndex(panel.data_box.findData("mix"))
    assert not panel.optimizer_box.isEnabled() and not panel.compare_button.isEnabled(), "the recipe chooses these"
    panel.batch_limit_box.setValue(3)
    panel.share_box.setValue(0.5)  # the corrections' share, as the CLI's --corrections-share
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    assert result.runs[0].report.outcome == "completed" and "kept step" in panel.status.text()
    assert "(50% corrections)" in panel.status.text()
    assert result.runs[0].classifier.metadata["parent"] == window.state.classifier.name
    assert "personalisation" in result.runs[0].classifier.metadata["training"]
    assert not panel.optimizer_box.isEnabled() and panel.train_button.isEnabled()


def _save_a_three_as_8_and_a_two(qtbot, window) -> None:
    """A 3 saved under the wrong key, then a 2 under its own, with the digit keys."""
    from window_helpers import draw

    for digit, key in ((3, Qt.Key.Key_8), (2, Qt.Key.Key_2)):
        window.canvas.clear()
        draw(qtbot, window, DIGITS[digit][0])
        window.canvas.setFocus()
        qtbot.keyClick(window.canvas, key)


def test_a_correction_whose_label_the_model_finds_impossible_is_flagged(qtbot, make_main_window):

    window = make_main_window()
    browser = window.findChild(CorrectionsBrowser)
    _save_a_three_as_8_and_a_two(qtbot, window)
    qtbot.waitUntil(lambda: not browser.scoring)  # the model reads the corrections in a worker
    captions = [browser.model.index(i).data() for i in range(browser.model.rowCount())]
    assert captions[0].startswith("⚠ 8") and captions[1] == "2 (said 2)", captions
    assert "Check this label" in browser.model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "1 flagged" in browser.summary.text()


def test_a_flagged_label_is_confirmed_by_the_user_and_stays_confirmed_in_the_store(qtbot, make_main_window):

    from lenet_desktop.core.store import CorrectionStore

    window = make_main_window()
    browser = window.findChild(CorrectionsBrowser)
    _save_a_three_as_8_and_a_two(qtbot, window)
    qtbot.waitUntil(lambda: not browser.scoring)
    window.tabs.setCurrentWidget(browser.parentWidget())
    assert "not trained on until then" in browser.summary.text()
    assert "until then it is not trained on" in browser.model.index(0).data(Qt.ItemDataRole.ToolTipRole)

    def click_row(row: int) -> None:
        rect = browser.list.visualRect(browser.model.index(row))
        qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    click_row(1)
    assert browser.selected_ids() == [2] and not browser.confirm_button.isEnabled(), "only a flagged label"
    click_row(0)
    assert browser.confirm_button.isEnabled()
    qtbot.mouseClick(browser.confirm_button, Qt.MouseButton.LeftButton)
    assert browser.model.index(0).data() == "8 (said 3)" and browser.flagged == []
    assert "flagged" not in browser.summary.text()
    with CorrectionStore(browser.store.path) as store:  # the real file, opened anew
        assert [(c.label, c.confirmed) for c in store.all()] == [(8, True), (2, False)]


@pytest.mark.slow
@pytest.mark.mnist
def test_the_training_report_says_a_flagged_label_was_not_trained_on(qtbot, make_main_window):
    window = make_main_window()
    panel = window.training_panel
    panel.store.add(render_strokes(DIGITS[3][0]), 8)  # flagged, never confirmed
    for digit in range(10):
        panel.store.add(render_strokes(DIGITS[digit][1]), digit)
    panel.data_box.setCurrentIndex(panel.data_box.findData("corrections"))
    panel.batch_limit_box.setValue(2)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT) as finished:
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    assert finished.args[0].set_aside == 1
    said = panel.status.text()
    assert "1 flagged correction" in said and "not trained on: confirm or fix" in said, said
