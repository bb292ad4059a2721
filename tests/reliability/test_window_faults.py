"""Window faults: read-only result tables, an unkept result on quit, a store from a newer
app, paste and drop through the one image reader, and a corrections list that grows."""

from __future__ import annotations

import sqlite3

import numpy as np
from bad_files import png_with_header, save_image
from digit_strokes import DIGITS, render_strokes
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from test_gui_faults import error_text
from window_helpers import draw, image_used, wait_for_prediction

from lenet_desktop.core.active_model import remembered_model
from lenet_desktop.core.history import HISTORY_FOLDER, ModelHistory
from lenet_desktop.core.images import MAX_SIDE
from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.core.store import CorrectionStore, default_store_path
from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
from lenet_desktop.gui.panels.inspector_panel import InspectorPanel
from lenet_desktop.gui.panels.model_history import ModelHistoryPanel
from lenet_desktop.gui.startup.app import load_startup_model

RUN_TIMEOUT = 180_000


def short_run(qtbot, window):
    panel = window.training_panel
    panel.mnist_test_size = 200
    panel.epochs_box.setValue(1)
    panel.batch_limit_box.setValue(1)
    panel.batch_box.setValue(32)
    # Steps this small move no MNIST digit past its limit, so Keep does not ask first (test_personalise_window checks that).
    panel.hyperparameter_stack.currentWidget().fields["lr"][0].setValue(1e-6)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    return panel


def type_into_cell(qtbot, table, row, column):
    table.scrollToItem(table.item(row, column))
    where = table.visualItemRect(table.item(row, column)).center()
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.keyClicks(table.viewport(), "9")
    qtbot.keyClick(table.viewport(), Qt.Key.Key_Return)
    qtbot.keyClicks(table, "9")
    qtbot.keyClick(table, Qt.Key.Key_Return)


def test_the_result_tables_are_read_only(qtbot, make_main_window, mnist_root):
    window = make_main_window()
    panel = short_run(qtbot, window)
    window.tabs.setCurrentWidget(panel)
    for table in (panel.scores_table, panel.confusion_table):
        before = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        type_into_cell(qtbot, table, 0, 1)
        after = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
        assert after == before and table.indexWidget(table.model().index(0, 1)) is None


def test_quitting_with_an_unkept_result_asks_and_cancel_keeps_the_window(qtbot, make_main_window, mnist_root):
    window = make_main_window()
    panel = short_run(qtbot, window)
    window.quit_action.trigger()
    box = panel.quit_box
    assert window.isVisible() and box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert window.isVisible() and panel.result is not None, "Cancel: nothing lost, the window stays"
    window.quit_action.trigger()
    keep = next(
        b for b in panel.quit_box.buttons() if panel.quit_box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    )
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    kept = ModelHistory(user_data_dir() / HISTORY_FOLDER).entries()
    assert len(kept) == 1 and remembered_model() == kept[0].path.resolve(), "kept, and the next start uses it"


def test_digit_keys_say_why_nothing_is_saved_when_the_store_is_from_a_newer_app(qtbot, make_main_window):
    path = default_store_path(user_data_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    window = make_main_window()
    draw(qtbot, window, DIGITS[7][0])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    message = window.statusBar().currentMessage()
    assert "newer" in message and "\n" not in message


def paste(qtbot, window, mime) -> bool:
    """Paste with Ctrl+V and wait until the image is read: True when it became the drawing."""
    QApplication.clipboard().setMimeData(mime)
    return image_used(qtbot, window, lambda: qtbot.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier))


def drop(qtbot, window, mime) -> bool:
    """Drag `mime` over the canvas and drop it; True when it became the drawing."""
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(
        window.canvas, QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    )
    return image_used(
        qtbot,
        window,
        lambda: QApplication.sendEvent(
            window.canvas, QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, buttons, modifiers)
        ),
    )


def encoded(path) -> QMimeData:
    mime = QMimeData()
    mime.setData("image/png", path.read_bytes())
    return mime


def test_a_pasted_image_over_the_limit_is_refused_from_its_header(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    draw(qtbot, window, DIGITS[2][0])
    shown = window.canvas.drawing()
    png_with_header(tmp_path / "huge.png", 20000, 20000)
    paste(qtbot, window, encoded(tmp_path / "huge.png"))
    assert "the limit is 50 MP" in error_text(window)
    assert np.array_equal(window.canvas.drawing(), shown), "the drawing stays"


def test_a_pasted_qimage_over_the_limit_is_refused_like_an_opened_file(qtbot, make_main_window):
    window = make_main_window()
    big = QImage(7500, 7500, QImage.Format.Format_Grayscale8)
    big.fill(255)
    mime = QMimeData()
    mime.setImageData(big)
    paste(qtbot, window, mime)
    assert "too large (56 MP, the limit is 50 MP)" in error_text(window)
    assert window.canvas.blank


def test_a_large_pasted_or_dropped_image_is_shrunk_as_open_shrinks_it(qtbot, make_main_window, tmp_path):
    window = make_main_window()
    picture = np.full((4100, 4100), 255, np.uint8)
    picture[1000:3100, 1900:2200] = 0  # a 1
    path = save_image(tmp_path / "large.png", picture, "L")
    paste(qtbot, window, encoded(path))
    assert max(window.canvas.document.background.width(), window.canvas.document.background.height()) <= MAX_SIDE
    window.canvas.clear()
    mime = QMimeData()
    mime.setImageData(QImage(str(path)))
    assert drop(qtbot, window, mime)
    assert max(window.canvas.document.background.width(), window.canvas.document.background.height()) <= MAX_SIDE
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == 1


def test_a_large_image_is_read_while_the_window_goes_on(qtbot, make_main_window, event_loop_watchdog, tmp_path):
    """A 7000x7000 RGBA PNG (200 KB on disk, 196 MB decoded) opened or pasted: read on the window's
    thread, it held the window for seconds; read off it, the event loop keeps turning."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (7000, 7000), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(3500, 1000), (3500, 6000)], fill=(0, 0, 0, 255), width=600)  # a 1
    path = tmp_path / "large.png"
    image.save(path)
    del image
    window = make_main_window()
    QApplication.clipboard().setMimeData(encoded(path))
    ctrl_v = (Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    for start in (lambda: window.open_image(path), lambda: qtbot.keyClick(window, *ctrl_v)):
        window.canvas.clear()
        event_loop_watchdog.reset()
        assert image_used(qtbot, window, start)
        event_loop_watchdog.check(qtbot)
        assert max(window.canvas.document.background.width(), window.canvas.document.background.height()) <= MAX_SIDE
        wait_for_prediction(qtbot, window)
        assert window.state.prediction.digit == 1


def test_a_digit_key_adds_one_row_and_thumbnails_are_decoded_only_when_shown(qtbot, make_main_window):
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        drawing = render_strokes(DIGITS[4][0])
        for _ in range(300):
            store.add(drawing, 4, predicted=9, confidence=0.5)
    window = make_main_window()
    browser = window.findChild(CorrectionsBrowser)
    window.tabs.setCurrentWidget(browser.parentWidget())
    qtbot.waitUntil(lambda: browser.model.decoded > 0)
    qtbot.wait(200)  # the whole view painted
    assert browser.model.rowCount() == 300 and browser.model.decoded < 150, "only the rows in view are decoded"
    statements = []
    window.training_panel.store._db.set_trace_callback(statements.append)
    decoded = browser.model.decoded
    draw(qtbot, window, DIGITS[7][0])
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    qtbot.wait(50)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and "drawing_png" in s]
    assert reads and all("WHERE id" in s for s in reads), f"a save reads back its own row only: {reads}"
    assert browser.model.rowCount() == 301 and browser.model.decoded <= decoded + 1
    assert browser.model.index(300).data() == "7 (said 7)"


def test_a_model_kept_from_the_inspector_is_the_one_the_next_start_uses(qtbot, make_main_window):
    window = make_main_window()
    draw(qtbot, window, DIGITS[3][0])
    inspector = window.findChild(InspectorPanel)
    window.tabs.setCurrentWidget(inspector)
    qtbot.mouseClick(inspector.step_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.state.modelChanged):
        qtbot.mouseClick(inspector.keep_button, Qt.MouseButton.LeftButton)
    kept = window.state.classifier
    window.close_without_asking()
    startup = load_startup_model(None, None, window.settings)
    assert startup.path is not None and startup.classifier.name == kept.name
    assert window.findChild(ModelHistoryPanel).entries[-1].path == startup.path, "listed in the Models tab"


def test_weights_the_inspector_grew_past_what_a_weights_file_holds_are_not_kept(qtbot, make_main_window):
    """The by-hand update at rate 10, twice, left a largest weight of 3e21, finite: Keep said it was active,
    the Models tab did not list it, and the next start fell back to the shipped weights."""
    window = make_main_window()
    draw(qtbot, window, DIGITS[4][0])
    inspector = window.findChild(InspectorPanel)
    window.tabs.setCurrentWidget(inspector)
    inspector.loss_box.setCurrentIndex(inspector.loss_box.findData("mse"))
    inspector.target_box.setCurrentIndex(9)
    inspector.rate_box.setValue(10.0)
    for _ in range(2):
        qtbot.mouseClick(inspector.step_button, Qt.MouseButton.LeftButton)
    assert not inspector.inspector.diverged, "finite weights, only too large"
    active, listed = window.state.classifier, list(window.findChild(ModelHistoryPanel).entries)
    qtbot.mouseClick(inspector.keep_button, Qt.MouseButton.LeftButton)
    assert "grew past ±1000" in inspector.change_label.text()
    assert window.state.classifier is active and window.findChild(ModelHistoryPanel).entries == listed
    assert ModelHistory(user_data_dir() / HISTORY_FOLDER).entries() == []
    window.close_without_asking()
    assert load_startup_model(None, None, window.settings).warnings == [], "the next start uses the model it had"
