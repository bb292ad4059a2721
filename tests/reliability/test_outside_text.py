"""Text from outside shown as text: a weights file's name, a corrections.csv's fields, an image
file's own name, an evaluated folder's listing. Shown as Qt rich text, an <img src="..."> in it made Qt read that file on the
window's thread: a FIFO froze the window for good. Each way in hides a real FIFO in such a tag, and
the event-loop watchdog fails the test when the window's thread opens it or stands still."""

from __future__ import annotations

import html
import re

from digit_strokes import DIGITS, render_strokes
from labelled_folders import write_labelled_folder
from PIL import Image
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtGui import Qt as QtText
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip
from window_helpers import image_used

from lenet_desktop.core.checkpoint import load_checkpoint, save_checkpoint
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.core.store import CorrectionStore
from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
from lenet_desktop.gui.services.state import ObservedCorrections


def shown(text: str, plain: bool) -> str:
    """What a label or box shows of `text`: itself as plain text, else the markup's text."""
    return text if plain else html.unescape(re.sub(r"<[^>]*>", "", text))


def browser_for(qtbot, tmp_path) -> CorrectionsBrowser:
    store = CorrectionStore(tmp_path / "corrections.db")
    browser = CorrectionsBrowser(ObservedCorrections(store))
    qtbot.addWidget(browser)
    with qtbot.waitExposed(browser):
        browser.show()
    return browser


def import_listing(qtbot, browser, folder, listing: str) -> None:
    (folder / "corrections.csv").write_text(listing, encoding="utf-8")
    with qtbot.waitSignal(browser.importEnded, timeout=20_000):
        assert browser.import_from(folder)


def test_a_weights_file_named_with_an_img_tag_is_named_as_text(qtbot, make_main_window, event_loop_watchdog, tmp_path):
    """The status bar said `Model <b>%1</b>` with the metadata's name as markup, as did the Inspector."""
    window = make_main_window()
    tag = f'<img src="{event_loop_watchdog.fifo()}">'
    hostile = load_checkpoint(shipped_weights_path())
    hostile.metadata["name"] = tag
    save_checkpoint(tmp_path / "hostile.pt", hostile)
    event_loop_watchdog.reset()
    assert window.open_weights(tmp_path / "hostile.pt")
    for index in range(window.tabs.count()):  # each tab that names the model lays its text out when shown
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    event_loop_watchdog.check(qtbot)
    label = window.model_label
    assert shown(label.text(), label.textFormat() == Qt.TextFormat.PlainText).startswith(f"Model {tag} · ")


def test_a_corrections_listing_whose_file_is_an_img_tag_is_refused_as_text(qtbot, event_loop_watchdog, tmp_path):
    browser = browser_for(qtbot, tmp_path)
    tag = f'<img src="{event_loop_watchdog.fifo()}">'
    folder = tmp_path / "import"
    folder.mkdir()
    event_loop_watchdog.reset()
    import_listing(qtbot, browser, folder, f'file,label\n"{tag.replace(chr(34), chr(34) * 2)}",3\n')
    event_loop_watchdog.check(qtbot)
    assert browser.summary.textFormat() == Qt.TextFormat.PlainText
    assert tag in browser.summary.text() and "could not read" in browser.summary.text()


def test_an_imported_model_name_that_is_an_img_tag_shows_as_text_in_the_thumbnail_s_tooltip(
    qtbot, event_loop_watchdog, tmp_path
):
    browser = browser_for(qtbot, tmp_path)
    tag = f'<img src="{event_loop_watchdog.fifo()}">'
    folder = tmp_path / "import"
    folder.mkdir()
    Image.fromarray(render_strokes(DIGITS[3][0]), "L").save(folder / "three.png")
    import_listing(
        qtbot, browser, folder, f'file,label,model_name\nthree.png,3,"{tag.replace(chr(34), chr(34) * 2)}"\n'
    )
    assert browser.model.rowCount() == 1
    event_loop_watchdog.reset()
    view = browser.list
    where = view.visualRect(browser.model.index(0)).center()
    hover = QHelpEvent(QEvent.Type.ToolTip, where, view.viewport().mapToGlobal(where))
    QApplication.sendEvent(view.viewport(), hover)  # as the mouse resting on the thumbnail sends
    qtbot.waitUntil(QToolTip.isVisible)
    event_loop_watchdog.check(qtbot)
    tip = QToolTip.text()
    QToolTip.hideText()
    assert tag in shown(tip, not QtText.mightBeRichText(tip))


def test_an_image_whose_file_name_holds_an_img_tag_is_refused_as_text(
    qtbot, make_main_window, event_loop_watchdog, tmp_path
):
    """A file name cannot hold "/", but rich text reads &#47; as one: the refusal's box opened the FIFO."""
    window = make_main_window()
    fifo = event_loop_watchdog.fifo()
    name = f"<img src={str(fifo).replace('/', '&#47;')}>.png"
    (tmp_path / name).write_bytes(b"not an image")
    event_loop_watchdog.reset()
    assert not image_used(qtbot, window, lambda: window.open_image(tmp_path / name))
    box = window.error_box
    qtbot.waitUntil(box.isVisible)
    event_loop_watchdog.check(qtbot)
    assert box.icon() == QMessageBox.Icon.Warning and box.textFormat() == Qt.TextFormat.PlainText
    assert name in box.text()


def test_an_evaluated_folder_s_file_names_that_hold_img_tags_are_shown_as_text(
    qtbot, make_main_window, event_loop_watchdog, tmp_path
):
    """A folder's listing names a file as a tag (refused, and named among the failures), and an image
    whose own name holds one (named in the errors gallery's details and tooltip)."""
    folder = tmp_path / "set"
    write_labelled_folder(folder)
    fifo = event_loop_watchdog.fifo()
    name = f"<img src={str(fifo).replace('/', '&#47;')}>.png"
    (folder / name).write_bytes((folder / "digit_4_0.png").read_bytes())
    tag = f'<img src="{fifo}">'
    with open(folder / "labels.csv", "a", encoding="utf-8") as listing:
        listing.write(f'{name},4\n"{tag.replace(chr(34), chr(34) * 2)}",4\n')
    window = make_main_window()
    evaluation = window.evaluation
    event_loop_watchdog.reset()
    with qtbot.waitSignal(evaluation.finished, timeout=120_000):
        assert evaluation.start_folder(folder)
    qtbot.waitUntil(evaluation.isVisible)
    image = evaluation.result.images.names.index(name)
    answer = int(evaluation.result.predicted[image])
    table = evaluation.confusion_table
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(4, answer)).center()
    )
    gallery = evaluation.gallery
    row = gallery.model.indices.index(image)
    gallery.view.setCurrentIndex(gallery.model.index(row))
    where = gallery.view.visualRect(gallery.model.index(row)).center()
    hover = QHelpEvent(QEvent.Type.ToolTip, where, gallery.view.viewport().mapToGlobal(where))
    QApplication.sendEvent(gallery.view.viewport(), hover)
    qtbot.waitUntil(QToolTip.isVisible)
    event_loop_watchdog.check(qtbot)
    QToolTip.hideText()
    assert tag in evaluation.failures.text() and gallery.details.text().startswith(name)
