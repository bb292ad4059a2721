"""Many corrections in the Corrections tab: an edit reads and redraws only the rows it touches, the
model's flags come from a worker, and a delete can be undone. With ten thousand corrections each
relabel, delete or model change re-read and re-scored them all, with the window frozen 2-2.7 s."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from digit_strokes import DIGITS, render_strokes
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QWidget

from lenet_desktop.core.model import Net
from lenet_desktop.core.preprocess import preprocess
from lenet_desktop.core.store import CorrectionStore, DigitCorrection
from lenet_desktop.gui.panels.correction_bar import CorrectionBar
from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
from lenet_desktop.gui.panels.corrections_panel import CorrectionsPanel
from lenet_desktop.gui.services.state import AppState, ObservedCorrections


class CountingStore(CorrectionStore):
    """The real store, counting the rows its queries return."""

    rows_read = 0

    def _read(self, query, parameters=()):
        rows = super()._read(query, parameters)
        self.rows_read += len(rows)
        return rows


def fill(store: CorrectionStore, count: int) -> None:
    """`count` corrections of a drawn 3, first one saved as an 8 (which the shipped model flags), the rest
    as 3; stored as numbers of up to 500 digits, each number one commit."""
    drawing = render_strokes(DIGITS[3][0])
    frame = preprocess(drawing)
    box = (0, 0, drawing.shape[1], drawing.shape[0])
    labels = [8] + [3] * (count - 1)
    for start in range(0, count, 500):
        store.add_number(
            drawing, [DigitCorrection(label, frame, box, 3, 0.99) for label in labels[start : start + 500]]
        )


@pytest.fixture
def counting_store(tmp_path):
    with CountingStore(tmp_path / "corrections.db") as opened:
        yield opened


def select(browser: CorrectionsBrowser, row: int) -> None:
    browser.list.selectionModel().select(browser.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_a_relabel_or_a_delete_reads_only_the_row_it_touches(qtbot, counting_store, shipped_classifier):
    fill(counting_store, 300)
    browser = CorrectionsBrowser(ObservedCorrections(counting_store), AppState(shipped_classifier))
    qtbot.addWidget(browser)
    qtbot.waitUntil(lambda: not browser.scoring)
    assert browser.model.rowCount() == 300 and browser.flagged == [1]

    counting_store.rows_read = 0
    select(browser, 10)
    browser.relabel_selected(5)
    assert counting_store.rows_read == 1, "the relabelled row alone is read again"
    assert browser.model.index(10).data() == "5 (said 3)" and counting_store.get(11).label == 5

    counting_store.rows_read = 0
    select(browser, 20)
    browser.delete_selected()
    assert counting_store.rows_read <= 1 and browser.model.rowCount() == 299
    assert 21 not in [c.id for c in counting_store.all()]
    assert browser.summary.text().startswith("299 corrections in ")
    assert browser.summary.text().endswith("Deleted correction #21: Undo puts it back.")


def test_a_model_change_scores_the_corrections_off_the_window_s_thread(
    qtbot, tmp_path, shipped_classifier, event_loop_watchdog
):
    """Scored on the window's thread, 4000 corrections held it well over the watchdog's half second."""
    with CorrectionStore(tmp_path / "corrections.db") as store:
        fill(store, 4000)
        state = AppState(shipped_classifier)
        browser = CorrectionsBrowser(ObservedCorrections(store), state)
        qtbot.addWidget(browser)
        qtbot.waitUntil(lambda: not browser.scoring, timeout=60_000)
        assert browser.flagged == [1] and "1 flagged" in browser.summary.text()

        torch.manual_seed(0)
        untrained = replace(shipped_classifier, net=Net().eval(), metadata={"name": "untrained"})
        event_loop_watchdog.reset()
        state.set_classifier(untrained, None)
        assert browser.scoring and browser.flagged == [1], "the flags come later, from the worker"
        qtbot.waitUntil(lambda: not browser.scoring, timeout=60_000)
        assert browser.flagged == [] and "flagged" not in browser.summary.text()
        event_loop_watchdog.check(qtbot)


def test_a_delete_can_be_undone_and_both_counts_follow_it(qtbot, tmp_path, shipped_classifier):
    host = QWidget()
    qtbot.addWidget(host)
    state = AppState(shipped_classifier)
    with CorrectionStore(tmp_path / "corrections.db") as store:
        for digit in (1, 7):
            store.add(render_strokes(DIGITS[digit][0]), digit, predicted=digit, confidence=0.9)
        panel = CorrectionsPanel(state, lambda: store, host, lambda: state.drawing, lambda: None, parent=host)
        browser = panel.browser
        bar = panel.findChild(CorrectionBar)
        drawing = render_strokes(DIGITS[4][0])
        state.set_drawing(drawing)
        qtbot.mouseClick(bar.buttons[4], Qt.MouseButton.LeftButton)
        assert "3 corrections in all" in bar.status.text() and browser.model.rowCount() == 3
        kept = store.get(3)

        select(browser, 1)
        assert browser.label_box.currentText() == "7", "the relabel box starts at the selected label"
        select(browser, 2)
        assert browser.label_box.currentText() == "4"
        qtbot.mouseClick(browser.delete_button, Qt.MouseButton.LeftButton)
        assert [c.id for c in store.all()] == [1, 2] and browser.model.rowCount() == 2
        assert "2 corrections in all" in bar.status.text(), "the header counts the delete too"
        assert browser.summary.text().endswith(". Deleted correction #3: Undo puts it back.")
        assert browser.undo_button.isVisibleTo(browser)

        qtbot.mouseClick(browser.undo_button, Qt.MouseButton.LeftButton)
        back = store.get(3)
        assert back == replace(kept, frame=back.frame) and np.array_equal(back.frame, kept.frame)
        assert (
            browser.summary.text().startswith("3 corrections in ")
            and "Put back 1 correction." in browser.summary.text()
        )
        assert [browser.model.index(i).data(Qt.ItemDataRole.UserRole) for i in range(3)] == [1, 2, 3]
        assert "3 corrections in all" in bar.status.text() and not browser.undo_button.isVisibleTo(browser)
        browser.shutdown()


def test_a_number_s_digit_is_shown_without_its_neighbour_s_ink(qtbot, tmp_path):
    """A digit's box cut from the number holds whatever ink of the next digit reaches into it."""
    drawing = np.full((60, 100), 255, np.uint8)
    drawing[10:50, 10:14] = 0  # a 1
    drawing[10:50, 26:40] = 0  # the next digit, whose ink reaches into the 1's box
    frame = np.zeros((32, 32), np.float32)
    frame[4:28, 15:17] = 1.0  # what the network saw of the 1: its own ink only
    with CorrectionStore(tmp_path / "corrections.db") as store:
        store.add_number(
            drawing, [DigitCorrection(1, frame, (5, 5, 30, 50)), DigitCorrection(7, frame, (26, 5, 20, 50))]
        )
        browser = CorrectionsBrowser(ObservedCorrections(store))
        qtbot.addWidget(browser)
        icon = browser.model.index(0).data(Qt.ItemDataRole.DecorationRole)
        image = icon.pixmap(56, 56).toImage()
        right = [
            image.pixelColor(x, y).lightness()
            for x in range(image.width() * 3 // 4, image.width())
            for y in range(image.height())
        ]
        assert min(right) > 200, "no ink at the right of the 1's thumbnail"
