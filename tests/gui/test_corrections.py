"""Corrections from the window: a digit key or button saves the drawing; the browser edits them."""

import sqlite3

import numpy as np
import pytest
from digit_strokes import DIGITS, render_strokes
from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QVBoxLayout, QWidget

from lenet_desktop.core.history import fingerprint
from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.core.predict import recognise
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store import CorrectionStore, default_store_path
from lenet_desktop.gui.panels.correction_bar import CorrectionBar
from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
from lenet_desktop.gui.services.state import AppState, ObservedCorrections


@pytest.fixture
def store(tmp_path):
    with CorrectionStore(tmp_path / "corrections.db") as opened:
        yield opened


@pytest.fixture
def state(shipped_classifier):
    return AppState(shipped_classifier)


def show_drawing(state, digit, style=0):
    drawing = render_strokes(DIGITS[digit][style])
    state.set_drawing(drawing)
    state.set_prediction(recognise(state.classifier, drawing))
    return drawing


def test_a_button_saves_the_drawing_with_what_the_model_said(qtbot, state, store):
    bar = CorrectionBar(state, ObservedCorrections(store))
    qtbot.addWidget(bar)
    drawing = show_drawing(state, 4)
    with qtbot.waitSignal(bar.correctionSaved) as saved:
        qtbot.mouseClick(bar.buttons[9], Qt.MouseButton.LeftButton)
    correction = store.get(saved.args[0])
    assert correction.label == 9 and correction.predicted == state.prediction.digit
    assert correction.confidence == pytest.approx(state.prediction.confidence)
    assert correction.model_name == "lenet-mnist-shipped" and correction.model_version == fingerprint(state.classifier)
    np.testing.assert_array_equal(correction.drawing(), drawing)
    np.testing.assert_array_equal(correction.frame, preprocess(drawing))
    assert f"Saved correction #{saved.args[0]} as 9" in bar.status.text()


def test_digit_keys_save_but_not_while_typing_in_a_field(qtbot, state, store):
    host = QWidget()
    field, choice = QLineEdit(), QComboBox()
    choice.addItems(["1", "3", "5"])
    bar = CorrectionBar(state, ObservedCorrections(store), shortcut_host=host)
    layout = QVBoxLayout(host)
    layout.addWidget(field)
    layout.addWidget(choice)
    layout.addWidget(bar)
    qtbot.addWidget(host)
    host.show()
    with qtbot.waitActive(host):
        host.activateWindow()
    show_drawing(state, 7)
    host.setFocus()
    qtbot.keyClick(host, Qt.Key.Key_7)
    assert [c.label for c in store.all()] == [7]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_3)
    assert field.text() == "3" and len(store) == 1
    choice.setFocus()
    qtbot.keyClick(choice, Qt.Key.Key_5)
    assert choice.currentText() == "5" and len(store) == 1
    show_drawing(state, 4)  # a second key on the same drawing would be typing a number
    qtbot.keyClick(bar.buttons[0], Qt.Key.Key_4)  # a button does not want digits: it is a correction
    assert [c.label for c in store.all()] == [7, 4]


def test_a_digit_key_on_a_canvas_emptied_before_the_window_took_it_in_says_there_is_nothing_to_save(
    qtbot, state, store
):
    """The canvas is read as it is at the key; the state lags until the next prediction. After a
    key's correction, the next key went on typing a number on no drawing and raised in the key's
    event filter, which PySide turns into a crash of the process."""
    host = QWidget()
    canvas = [show_drawing(state, 2)]
    bar = CorrectionBar(state, ObservedCorrections(store), shortcut_host=host, read_drawing=lambda: canvas[0])
    QVBoxLayout(host).addWidget(bar)
    qtbot.addWidget(host)
    host.show()
    with qtbot.waitActive(host):
        host.activateWindow()
    host.setFocus()
    qtbot.keyClick(host, Qt.Key.Key_2)
    canvas[0] = None  # blank, and the state not yet told
    qtbot.keyClick(host, Qt.Key.Key_3)
    assert [c.label for c in store.all()] == [2]
    assert "draw a digit first" in bar.status.text()


def test_nothing_is_saved_without_a_drawing(qtbot, state, store):
    bar = CorrectionBar(state, ObservedCorrections(store))
    qtbot.addWidget(bar)
    assert not bar.buttons[0].isEnabled()
    assert bar.capture(1) is None and len(store) == 0
    assert "draw a digit first" in bar.status.text()


def test_a_correction_saved_by_the_bar_appears_in_the_browser_through_the_store_wrapper(qtbot, state, store):
    corrections = ObservedCorrections(store)
    bar, browser = CorrectionBar(state, corrections), CorrectionsBrowser(corrections, state)
    qtbot.addWidget(bar)
    qtbot.addWidget(browser)
    show_drawing(state, 3)
    qtbot.mouseClick(bar.buttons[3], Qt.MouseButton.LeftButton)
    assert browser.model.rowCount() == 1 and browser.model.index(0).data().startswith("3")


def test_browser_relabels_deletes_exports_and_imports(qtbot, store, tmp_path):
    for digit in (1, 2, 3):
        store.add(render_strokes(DIGITS[digit][0]), digit, predicted=7, confidence=0.5)
    browser = CorrectionsBrowser(ObservedCorrections(store))
    qtbot.addWidget(browser)
    first = browser.model.index(0)
    assert browser.model.rowCount() == 3 and first.data() == "1 (said 7)"
    assert not first.data(Qt.ItemDataRole.DecorationRole).isNull()

    browser.list.selectionModel().select(first, QItemSelectionModel.SelectionFlag.Select)
    with qtbot.waitSignal(browser.changed):
        browser.relabel_selected(4)
    assert [c.label for c in store.all()] == [4, 2, 3]
    browser.list.selectionModel().select(browser.model.index(1), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    browser.delete_selected()
    assert [c.label for c in store.all()] == [4, 3] and browser.model.rowCount() == 2

    with qtbot.waitSignal(browser.exportEnded):
        assert browser.export_to(tmp_path / "out")
    assert "Exported 2" in browser.summary.text()
    with CorrectionStore(tmp_path / "other.db") as other:
        other_browser = CorrectionsBrowser(ObservedCorrections(other))
        qtbot.addWidget(other_browser)
        with qtbot.waitSignal(other_browser.importEnded):
            other_browser.import_from(tmp_path / "out")
        assert other_browser.model.rowCount() == 2 and "Imported 2" in other_browser.summary.text()
    with qtbot.waitSignal(browser.importEnded):
        browser.import_from(tmp_path / "missing")
    assert "Import failed" in browser.summary.text()


def test_an_import_runs_off_the_window_s_thread(qtbot, store, tmp_path):
    """Each drawing is read, prepared and committed: a thousand took 15 s, with the window frozen.
    Here another connection holds the database's write lock, so the import cannot end before the
    lock is let go; the browser must come back at once, saying it is importing, and finish later."""
    folder = tmp_path / "export"
    with CorrectionStore(tmp_path / "other.db") as other:
        for digit in (1, 2):
            other.add(render_strokes(DIGITS[digit][0]), digit)
        other.export(folder)
    browser = CorrectionsBrowser(ObservedCorrections(store))
    qtbot.addWidget(browser)
    blocker = sqlite3.connect(store.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        assert browser.import_from(folder)
        assert browser.summary.text() == f"Importing corrections from {folder}…"
        assert not browser.import_button.isEnabled() and not browser.import_from(folder), "one import at a time"
    finally:
        blocker.rollback()
        blocker.close()
    with qtbot.waitSignal(browser.importEnded, timeout=60_000):
        pass
    assert browser.model.rowCount() == 2 and browser.summary.text() == "Imported 2 corrections (0 already there)"
    assert browser.import_button.isEnabled() and [c.label for c in store.all()] == [1, 2]


def test_an_export_that_cannot_be_made_says_why_and_where_in_the_browser(qtbot, store, tmp_path):
    store.add(render_strokes(DIGITS[1][0]), 1)
    browser = CorrectionsBrowser(ObservedCorrections(store))
    qtbot.addWidget(browser)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    with qtbot.waitSignal(browser.exportEnded):
        browser.export_to(tmp_path / "full")  # the store refuses: it would mix with what is there
    assert browser.summary.text() == f"Export failed: {tmp_path / 'full'}: not empty; export into a new or empty folder"
    (tmp_path / "file.txt").write_text("not a folder")
    with qtbot.waitSignal(browser.exportEnded):
        browser.export_to(tmp_path / "file.txt" / "out")  # the system refuses
    assert browser.summary.text().startswith(f"Export failed: {tmp_path / 'file.txt'}")
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


def test_in_the_main_window_a_key_press_after_drawing_is_saved(qtbot, make_main_window):
    from window_helpers import draw

    window = make_main_window()
    draw(qtbot, window, DIGITS[2][0])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_2)
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        assert [(c.label, c.predicted) for c in store.all()] == [(2, window.state.prediction.digit)]
    assert {window.tabs.tabText(i) for i in range(window.tabs.count())} >= {"Corrections", "Training", "Models"}


@pytest.mark.parametrize("edit", ["delete", "relabel"])
def test_a_key_after_its_correction_was_deleted_or_relabelled_in_the_tab_saves_at_once(qtbot, make_main_window, edit):
    """3 pressed for a 5 by mistake, deleted (or relabelled) in the Corrections tab, then 5: the 5 went on
    typing the number "35" and saved nothing (and a relabelled correction was taken back, deleted)."""
    from window_helpers import draw

    window = make_main_window()
    draw(qtbot, window, DIGITS[5][0])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_3)
    browser = window.findChild(CorrectionsBrowser)
    (mistake,) = browser.store.all()
    window.tabs.setCurrentWidget(browser.parentWidget())
    browser.list.selectionModel().select(browser.model.index(0), QItemSelectionModel.SelectionFlag.Select)
    if edit == "delete":
        qtbot.mouseClick(browser.delete_button, Qt.MouseButton.LeftButton)
        kept = []
    else:
        browser.label_box.setCurrentIndex(8)
        qtbot.mouseClick(browser.relabel_button, Qt.MouseButton.LeftButton)
        kept = [(mistake.id, 8)]
    qtbot.keyClick(browser.relabel_button, Qt.Key.Key_5)  # a button does not want digits: the window takes it
    saved = [(c.id, c.label) for c in browser.store.all()]
    assert saved[:-1] == kept and saved[-1][1] == 5 and saved[-1][0] != mistake.id
    assert window.statusBar().currentMessage().startswith(f"Saved correction #{saved[-1][0]} as 5")


def test_a_key_pressed_before_the_live_answer_arrives_saves_the_canvas_and_its_own_answer(qtbot, make_main_window):
    """The window still shows the answer for the first stroke of a 4; the canvas already holds
    the whole 4, whose answer is on its way (no event has been processed since the pen was lifted)."""
    from window_helpers import draw

    from lenet_desktop.gui.devtools.replay import draw_strokes

    window = make_main_window()
    first, *rest = DIGITS[4][1]
    draw(qtbot, window, [first])
    draw_strokes(window.canvas, rest)
    canvas_now = window.canvas.drawing()
    shown = window.state.prediction
    assert shown is not None and not np.array_equal(shown.frame, preprocess(canvas_now)), (
        "the live answer for the whole 4 has not arrived"
    )
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_4)
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        (correction,) = store.all()
    np.testing.assert_array_equal(correction.drawing(), canvas_now)
    assert correction.label == 4 and correction.predicted == recognise(window.state.classifier, canvas_now).digit == 4


def test_a_digit_key_says_what_it_saved_in_the_status_bar_whatever_tab_is_open(qtbot, make_main_window):
    """The bar's own line is on the Corrections tab: with another tab open a key seemed to do nothing."""
    from window_helpers import draw

    window = make_main_window()
    window.tabs.setCurrentWidget(window.training_panel)
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_3)
    assert window.statusBar().currentMessage() == "Nothing to save: draw a digit first."
    draw(qtbot, window, DIGITS[7][0])
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    message = window.statusBar().currentMessage()
    assert message.startswith("Saved correction #1 as 7; the model said 7") and message.endswith("1 correction in all.")


def test_a_digit_key_while_the_model_loads_says_so_and_saves_once_it_is_there(qtbot, settings_path):
    """The digit keys answer once the model has arrived; a key pressed before did nothing at all."""
    from PySide6.QtCore import QSettings

    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.core.paths import shipped_weights_path
    from lenet_desktop.gui.devtools.replay import draw_strokes
    from lenet_desktop.gui.main_window import MainWindow

    state = AppState(None)
    window = MainWindow(state, QSettings(str(settings_path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    draw_strokes(window.canvas, DIGITS[7][0])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert window.statusBar().currentMessage() == "The model is still loading: press the key again in a moment."
    with qtbot.waitSignal(window.engineReady, timeout=10_000):
        state.set_classifier(load_checkpoint(shipped_weights_path()), None)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert window.statusBar().currentMessage().startswith("Saved correction #1 as 7")
    window.close_without_asking()


def key_event(kind: QEvent.Type, key: Qt.Key, text: str, repeat: bool = False, timestamp: int = 0) -> QKeyEvent:
    """A key event as the keyboard sends it; `repeat`: one of those it repeats while the key is held
    (QTest has no such flag)."""
    event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text, repeat)
    event.setTimestamp(timestamp)
    return event


@pytest.mark.parametrize("repeats", ["marked", "as X11 sends them"])
def test_a_held_digit_key_saves_one_correction_and_keeps_it(qtbot, make_main_window, repeats):
    """Held 1.5 s, a 1 repeats: the repeats counted as more keys, turned the saved correction back
    into a number typed, and after Esc nothing was stored, though the window had said "Saved". Qt
    marks a repeat isAutoRepeat, but on X11 only when it finds X's release and press queued together:
    else a repeat is a release and a press of the key at one and the same time."""
    from window_helpers import draw

    window = make_main_window()
    draw(qtbot, window, DIGITS[1][0])
    window.canvas.setFocus()
    sent = [key_event(QEvent.Type.KeyPress, Qt.Key.Key_1, "1", timestamp=1000)]
    for time in range(1500, 2500, 50):
        if repeats == "marked":
            sent.append(key_event(QEvent.Type.KeyPress, Qt.Key.Key_1, "1", repeat=True, timestamp=time))
        else:
            sent.append(key_event(QEvent.Type.KeyRelease, Qt.Key.Key_1, "1", timestamp=time))
            sent.append(key_event(QEvent.Type.KeyPress, Qt.Key.Key_1, "1", timestamp=time))
    sent.append(key_event(QEvent.Type.KeyRelease, Qt.Key.Key_1, "1", timestamp=2520))
    for event in sent:
        QApplication.sendEvent(window.canvas, event)
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        (saved,) = store.all()
    assert saved.label == 1
    assert window.statusBar().currentMessage().startswith(f"Saved correction #{saved.id} as 1")


def test_a_digit_key_pressed_twice_keeps_the_correction_the_first_press_saved(qtbot, make_main_window):
    """The second press turned the saved correction into the number "11" typed, and Esc lost it."""
    from window_helpers import draw

    window = make_main_window()
    draw(qtbot, window, DIGITS[1][0])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_1)
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        (saved,) = store.all()
    qtbot.keyClick(window.canvas, Qt.Key.Key_1)
    assert f"in place of correction #{saved.id}, which stays saved until then" in window.statusBar().currentMessage()
    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)
    window.canvas.clear()  # the drawing goes: what was typed for it goes too
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        assert [(c.id, c.label) for c in store.all()] == [(saved.id, 1)]
