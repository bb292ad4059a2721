"""The errors gallery and evaluation from the window: lazy icons over all of MNIST test, a click on a
confusion-matrix cell shows that cell's images, and a double-click opens one on the canvas."""

import numpy as np
import pytest
from labelled_folders import write_labelled_folder
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextDocument
from test_language import english_left, switch_language  # noqa: F401  (a fixture)
from visible_texts import visible_texts
from window_helpers import draw, set_up_a_run_that_unlearns_sevens, wait_for_prediction

from lenet_desktop.core.evaluation import (
    NOT_A_DIGIT,
    evaluate_set,
    mnist_set,
    read_folder,
)
from lenet_desktop.gui.services.language import ENGLISH, VIETNAMESE
from lenet_desktop.gui.widgets.misread_gallery import MisreadGallery

RUN_TIMEOUT = 180_000  # ms; the machine may be busy


def items_in_sight(gallery: MisreadGallery) -> int:
    viewport = gallery.view.viewport().rect()
    return sum(
        gallery.view.visualRect(gallery.model.index(row)).intersects(viewport)
        for row in range(gallery.model.rowCount())
    )


def double_click(qtbot, gallery: MisreadGallery, row: int) -> None:
    index = gallery.model.index(row)
    qtbot.waitUntil(lambda: gallery.view.visualRect(index).isValid())  # laid out once the window shows
    gallery.view.scrollTo(index)
    centre = gallery.view.visualRect(index).center()
    qtbot.mouseClick(gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(gallery.view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def click_cell(qtbot, table, row: int, column: int) -> None:
    centre = table.visualItemRect(table.item(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


@pytest.mark.mnist
def test_ten_thousand_mnist_images_make_icons_only_for_those_in_sight(qtbot, mnist_test, shipped_classifier):
    result = evaluate_set(shipped_classifier, mnist_set(mnist_test))
    gallery = MisreadGallery()
    qtbot.addWidget(gallery)
    gallery.resize(900, 600)
    gallery.show_images(result, range(len(mnist_test)), lambda: "MNIST test")
    with qtbot.waitExposed(gallery):
        gallery.show()
    qtbot.wait(200)  # the view's layout and first paint
    shown = items_in_sight(gallery)
    assert 0 < shown < 200 and gallery.model.rowCount() == 10_000
    assert shown <= gallery.model.icons_made <= 2 * shown

    last = gallery.model.index(9_999)
    qtbot.waitUntil(lambda: gallery.view.visualRect(last).isValid())
    gallery.view.scrollToBottom()
    qtbot.wait(200)
    assert gallery.view.visualRect(last).intersects(gallery.view.viewport().rect())
    assert gallery.model.icons_made <= 4 * shown, "scrolling to the end draws the end, not everything between"
    label = int(mnist_test.labels[9_999])
    assert f"MNIST test #9999\nlabel {label}, read as {label}" in gallery.model.data(last, Qt.ItemDataRole.ToolTipRole)


def test_a_cell_shows_its_images_and_a_double_click_opens_one_on_the_canvas(qtbot, make_main_window, tmp_path):
    folder = tmp_path / "mine"
    write_labelled_folder(folder, extra_rows=["gone.png,4"])
    window = make_main_window()
    evaluation = window.evaluation
    with qtbot.waitSignal(evaluation.finished, timeout=RUN_TIMEOUT) as finished:
        assert evaluation.start_folder(folder)
    result = finished.args[0]
    assert evaluation.progress_bar.value() == evaluation.progress_bar.maximum()
    assert "Not a digit:" in evaluation.summary.text() and "of 2 refused" in evaluation.summary.text()
    assert "gone.png: no such file" in evaluation.failures.text()

    table = evaluation.confusion_table
    assert table.rowCount() == 11, "a row for the images that are no digit"
    click_cell(qtbot, table, 3, 3)
    gallery = evaluation.gallery
    assert gallery.model.indices == result.cell(3, 3) and len(gallery.model.indices) == 2
    answer = int(table.item(10, int(result.predicted[result.cell(NOT_A_DIGIT, int(result.predicted[-1]))[0]])).text())
    assert answer >= 1
    letter = result.images.names.index("letter_X.png")
    read_as = int(result.predicted[letter])
    click_cell(qtbot, table, 10, read_as)
    assert letter in gallery.model.indices and "3 read as 3" not in gallery.title.text()

    double_click(qtbot, gallery, gallery.model.indices.index(letter))
    wait_for_prediction(qtbot, window)
    assert not window.canvas.blank and window.state.prediction.digit == read_as


@pytest.mark.mnist
def test_an_mnist_image_opens_on_the_canvas_from_the_menu_evaluation(qtbot, make_main_window, mnist_root, monkeypatch):
    monkeypatch.setenv("LENET_DATA_DIR", str(mnist_root))
    window = make_main_window()
    evaluation = window.evaluation
    with qtbot.waitSignal(evaluation.finished, timeout=RUN_TIMEOUT) as finished:
        window.evaluation.mnist_action.trigger()
    result = finished.args[0]
    assert f"Accuracy {result.accuracy:.2%} on 10,000 digits" in evaluation.summary.text()
    gallery = evaluation.gallery
    assert sorted(gallery.model.indices) == sorted(i for d in range(10) for i in result.misread(d)), (
        "it opens on every mistake"
    )
    confidence = result.probabilities[gallery.model.indices].max(dim=1).values
    assert (confidence[:-1] >= confidence[1:]).all(), "the most confident mistakes first"
    click_cell(qtbot, evaluation.confusion_table, 7, 7)
    assert len(gallery.model.indices) == int(result.confusion[7, 7])
    double_click(qtbot, gallery, 0)
    wait_for_prediction(qtbot, window)
    assert window.state.prediction.digit == 7


def link_position(label, text: str) -> QPoint:
    """Where `text` is drawn inside a rich-text label (Qt has no call for a link's position)."""
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setDocumentMargin(0)
    document.setHtml(label.text())
    document.setTextWidth(label.contentsRect().width())
    document.size()  # lays the document out
    cursor = document.find(text)
    assert not cursor.isNull(), f"{text!r} is not in {label.text()!r}"
    block = cursor.block()
    layout = block.layout()
    line = layout.lineForTextPosition(cursor.positionInBlock())
    x = layout.position().x() + line.cursorToX(cursor.positionInBlock())[0] + 4
    y = layout.position().y() + line.y() + line.height() / 2
    return label.contentsRect().topLeft() + QPoint(round(x), round(y))


@pytest.mark.slow
@pytest.mark.mnist
def test_the_training_tab_opens_a_cell_and_a_fallen_digit_in_the_gallery(qtbot, make_main_window, mnist_train):
    window = make_main_window()
    panel = window.training_panel
    window.tabs.setCurrentWidget(panel)
    set_up_a_run_that_unlearns_sevens(panel, mnist_train)
    with qtbot.waitSignal(panel.runFinished, timeout=RUN_TIMEOUT):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    confusion = panel.result.after[0].mnist.confusion

    with qtbot.waitSignal(panel.gallery_requests.requested, timeout=RUN_TIMEOUT):  # the answers come from a worker
        click_cell(qtbot, panel.confusion_table, 7, 1)
    gallery = window.gallery
    assert gallery.isVisible() and len(gallery.model.indices) == int(confusion[7, 1]) > 0
    assert all(
        gallery.model.result.images.labels[i] == 7 and gallery.model.result.predicted[i] == 1
        for i in gallery.model.indices
    )

    qtbot.mouseClick(panel.fallen_label, Qt.MouseButton.LeftButton, pos=link_position(panel.fallen_label, "sevens"))
    assert len(gallery.model.indices) == int(confusion[7].sum() - confusion[7, 7])
    assert "misread sevens" in gallery.title.text()

    double_click(qtbot, gallery, 0)
    wait_for_prediction(qtbot, window)
    assert not window.canvas.blank


def test_show_gallery_reuses_the_window_s_gallery(qtbot, make_main_window, tmp_path):
    write_labelled_folder(tmp_path)
    window = make_main_window()
    result = evaluate_set(window.state.classifier, read_folder(tmp_path))
    first = window.show_gallery(result, [0, 1], lambda: "two")
    second = window.show_gallery(result, [2], lambda: "one")
    assert first is second and second.model.indices == [2] and second.title.text().startswith("one · 1 image · ")


def test_the_evaluation_window_speaks_vietnamese(qtbot, make_main_window, switch_language, tmp_path):  # noqa: F811
    write_labelled_folder(tmp_path, extra_rows=["gone.png,4"])
    window = make_main_window()
    evaluation = window.evaluation
    with qtbot.waitSignal(evaluation.finished, timeout=RUN_TIMEOUT):
        evaluation.start_folder(tmp_path)
    click_cell(qtbot, evaluation.confusion_table, 10, 1)
    english = visible_texts(evaluation)
    switch_language(VIETNAMESE)
    vietnamese = visible_texts(evaluation)
    assert english_left(vietnamese) == set()
    assert "Đánh giá" in vietnamese and any("Không phải chữ số: từ chối" in text for text in vietnamese)
    assert any(action.text() == "Đánh giá trên một &thư mục…" for action in window.model_menu.actions())
    switch_language(ENGLISH)
    assert visible_texts(evaluation) == english


def test_cancel_stops_an_evaluation_and_shows_nothing(qtbot, make_main_window, tmp_path):
    written = write_labelled_folder(tmp_path)
    many = [f"{name},{label}" for name, label in written] * 100  # long enough to be cancelled on the way
    (tmp_path / "labels.csv").write_text("file,label\n" + "\n".join(many) + "\n")
    window = make_main_window()
    evaluation = window.evaluation
    with qtbot.waitSignal(evaluation.cancelled, timeout=RUN_TIMEOUT):
        assert evaluation.start_folder(tmp_path)
        qtbot.mouseClick(evaluation.cancel_button, Qt.MouseButton.LeftButton)
    assert evaluation.result is None and evaluation.status.text() == "Evaluation cancelled."
    assert not evaluation.cancel_button.isEnabled() and evaluation.confusion_table.item(0, 0) is None


def test_a_new_evaluation_shows_no_images_of_the_one_before_even_when_it_fails(qtbot, make_main_window, tmp_path):
    """The gallery held the earlier result's images under its title while the next evaluation ran,
    and after it failed (a listing of no images), beside the failure; before any, it said " · 0 images"."""
    write_labelled_folder(tmp_path / "good")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "labels.csv").write_text("file,label\n")
    window = make_main_window()
    evaluation = window.evaluation
    gallery = evaluation.gallery
    assert gallery.title.text() == "" and gallery.details.text() == "No image chosen."
    with qtbot.waitSignal(evaluation.finished, timeout=RUN_TIMEOUT):
        assert evaluation.start_folder(tmp_path / "good")
    click_cell(qtbot, evaluation.confusion_table, 3, 3)
    assert gallery.model.rowCount() == 2 and "3 read as 3" in gallery.title.text()

    with qtbot.waitSignal(evaluation.failed, timeout=RUN_TIMEOUT):
        assert evaluation.start_folder(tmp_path / "empty")
    assert "lists no images" in evaluation.status.text()
    assert gallery.view.model() is None or gallery.view.model().rowCount() == 0
    assert gallery.title.text() == "" and gallery.details.text() == "No image chosen."


@pytest.mark.mnist
def test_an_image_opened_from_the_gallery_reads_on_the_canvas_as_the_gallery_said(qtbot, make_main_window, mnist_test):
    """MNIST test #2130 was "label 4, read as 9 (99.8 %)" in the gallery and "9 72.5 %" on the canvas: the
    canvas made a picture of its network input and prepared that again. Drawn on, it is a drawing again."""
    window = make_main_window()
    chosen = [2130, 0, 1, 18, 247, 9999]
    result = evaluate_set(window.state.classifier, mnist_set(mnist_test))
    gallery = window.show_gallery(result, chosen, lambda: "chosen")
    qtbot.waitExposed(gallery)
    for row, image in enumerate(chosen):
        double_click(qtbot, gallery, row)
        wait_for_prediction(qtbot, window)
        (prediction,) = window.state.reading.digits
        assert np.allclose(prediction.probabilities, result.probabilities[image].numpy(), atol=1e-5), image
        assert np.array_equal(prediction.frame, result.images.frames[image][0].numpy())
        shown, said = window.readout.text, gallery.model.describe(image)
        if prediction.not_a_digit:  # said once, not beside a digit "read"
            assert shown == "? not a digit" and "answered: not a digit (likeliest" in said and "read as" not in said
            assert gallery.model.data(gallery.model.index(row)).split("\n")[0].endswith("→ ?")
        else:
            assert f"read as {shown.split()[0]} ({shown.split()[1]})" in said, (shown, said)

    window.canvas.set_brush_width(4)
    draw(qtbot, window, [[(0.02, 0.02), (0.05, 0.05)]])
    assert window.canvas.known_input() is None
    assert not np.array_equal(window.state.reading.digits[0].frame, result.images.frames[9999][0].numpy())
