"""The window in Vietnamese: the catalogues are complete and current, the language switches at once
and back again, numbers follow it, and the choice is remembered."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from digit_strokes import DIGITS, render_strokes
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from visible_texts import visible_texts
from window_helpers import draw, image_used

from lenet_desktop.core.history import ModelHistory
from lenet_desktop.core.predict import recognise
from lenet_desktop.gui.main_window import MainWindow
from lenet_desktop.gui.panels.correction_bar import CorrectionBar
from lenet_desktop.gui.panels.inspector_panel import InspectorPanel
from lenet_desktop.gui.services.language import (
    ENGLISH,
    LANGUAGE,
    VIETNAMESE,
    LanguageMenu,
    apply_language,
    number_text,
    percent_text,
    resolved_language,
)
from lenet_desktop.gui.services.state import AppState

REPO = Path(__file__).resolve().parents[2]
CATALOGUES = REPO / "resources" / "i18n"
VIETNAMESE_TS = CATALOGUES / "lenet_desktop_vi.ts"


# Qt's %1 and %n, and the core's {name} fields (core.errors.TranslatableError)
PLACEHOLDER = r"%[1-9n]|\{[^}]*\}"


def english_left(texts: list[str]) -> set[str]:
    """The English source strings of the Vietnamese catalogue found in `texts`, placeholders standing
    for any text. A source translated as itself (code such as "gradient") is not English left over."""
    found = set()
    for message in ET.parse(VIETNAMESE_TS).getroot().iter("message"):
        source = message.findtext("source")
        translation = message.find("translation")
        forms = [form.text for form in translation.iter("numerusform")] or [translation.text]
        if all(form == source for form in forms):
            continue
        parts = re.split(PLACEHOLDER, source)
        if not re.search(
            r"[A-Za-z]", "".join(parts)
        ):  # a number format such as "%1%": test_numbers_follow_the_language
            continue
        pattern = ".+?".join(re.escape(part) for part in parts)
        pattern = (r"(?<!\w)" if source[0].isalnum() else "") + pattern + (r"(?!\w)" if source[-1].isalnum() else "")
        if any(re.search(pattern, text) for text in texts):
            found.add(source)
    return found


@pytest.fixture
def switch_language(qapp):
    """switch_language("vi"): as the View > Language menu does. English, with its plural forms,
    before and after the test."""

    def switch(language: str) -> None:
        apply_language(language)
        for _ in range(3):  # LanguageChange is posted to the application, which posts it to each window
            QCoreApplication.sendPostedEvents()
            QCoreApplication.processEvents()

    switch(ENGLISH)
    yield switch
    switch(ENGLISH)


@pytest.fixture
def stepped_panel(qtbot, shipped_classifier, switch_language, tmp_path):
    """The Inspector after a whole step on a drawn 4: every one of its views has something to say."""
    state = AppState(shipped_classifier)
    image = render_strokes(DIGITS[4][0])
    state.set_drawing(image)
    state.set_prediction(recognise(shipped_classifier, image))
    panel = InspectorPanel(state, ModelHistory(tmp_path / "models"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.step_button, Qt.MouseButton.LeftButton)
    return panel


def test_the_catalogues_are_complete_and_current(tmp_path):
    for catalogue in CATALOGUES.glob("*.ts"):
        text = catalogue.read_text(encoding="utf-8")
        for state in ("unfinished", "obsolete", "vanished"):
            assert f'type="{state}"' not in text, (
                f"{catalogue.name} has {state} entries: run `make i18n` and translate them"
            )
    # `make i18n` into a scratch folder, from the committed files: neither the .ts nor the .qm may change.
    for catalogue in CATALOGUES.glob("*.ts"):
        (tmp_path / catalogue.name).write_bytes(catalogue.read_bytes())
    venv = Path(sys.prefix)
    subprocess.run(
        ["make", "-s", "-o", f"{venv}/.installed", "i18n", f"VENV={venv}", f"I18N={tmp_path}/lenet_desktop"],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    for made in sorted(tmp_path.iterdir()):
        assert made.read_bytes() == (CATALOGUES / made.name).read_bytes(), (
            f"{made.name} is not up to date: run `make i18n`"
        )
    assert {made.name for made in tmp_path.iterdir()} == {
        "lenet_desktop_vi.ts",
        "lenet_desktop_vi.qm",
        "lenet_desktop_en.ts",
        "lenet_desktop_en.qm",
    }


def test_the_core_reasons_keep_their_fields_in_vietnamese():
    """The window fills a translated core reason with the error's own fields: a field renamed or
    lost in the translation would fail where the error is shown."""
    reasons = [
        context for context in ET.parse(VIETNAMESE_TS).getroot().iter("context") if context.findtext("name") == "core"
    ]
    assert len(reasons) == 1
    messages = reasons[0].findall("message")
    assert len(messages) > 50  # every error the core tells a person
    for message in messages:
        source, translation = message.findtext("source"), message.findtext("translation")
        assert sorted(re.findall(r"\{[^}]*\}", translation)) == sorted(re.findall(r"\{[^}]*\}", source)), source


@pytest.mark.parametrize(
    ("system_language", "expected"), [("vi_VN.UTF-8", VIETNAMESE), ("de_DE.UTF-8", ENGLISH), ("C.UTF-8", ENGLISH)]
)
def test_system_default_follows_the_system_locale(system_language, expected):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    environment["LANG"] = system_language
    script = (
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from lenet_desktop.gui.services.language import resolved_language\n"
        "print(resolved_language('system'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == expected


def test_an_explicit_choice_wins_over_the_system():
    assert resolved_language(ENGLISH, QLocale(QLocale.Language.Vietnamese)) == ENGLISH
    assert resolved_language(VIETNAMESE, QLocale(QLocale.Language.German)) == VIETNAMESE


def test_numbers_follow_the_language(switch_language):
    switch_language(VIETNAMESE)
    assert percent_text(0.9951, 2) == "99,51\u00a0%" and number_text(61_706) == "61.706"
    switch_language(ENGLISH)
    assert percent_text(0.9951, 2) == "99.51%" and number_text(61_706) == "61,706"


def test_the_inspector_speaks_vietnamese_and_english_again(stepped_panel, switch_language):
    panel = stepped_panel
    english = visible_texts(panel)
    assert english_left(english), "the check must see the English it looks for"

    switch_language(VIETNAMESE)
    vietnamese = visible_texts(panel)
    assert english_left(vietnamese) == set()
    assert "Chạy cả năm bước" in vietnamese
    assert "# hình vẽ 32x32 dưới dạng một batch (1, 1, 32, 32)" in panel.transcript.toPlainText()
    table = panel.probability_table
    assert all(re.fullmatch(r"[+-]?\d+,\d+\u00a0%|\d,\de[-+]\d+", table.item(digit, 1).text()) for digit in range(10))
    assert re.search(r"\d+\.\d{3}", panel.parameter_total.text())  # 61.706: the Vietnamese thousands separator

    switch_language(ENGLISH)
    assert visible_texts(panel) == english


def test_the_language_menu_switches_at_once_and_is_remembered(qtbot, make_main_window, settings_path, switch_language):
    window = make_main_window()
    language_menu = window.findChild(LanguageMenu)
    language_menu.choice_actions[VIETNAMESE].trigger()
    qtbot.waitUntil(lambda: language_menu.title() == "&Ngôn ngữ")
    assert [action.text() for action in window.menuBar().actions()][-1] == "&Xem"
    assert window.layers_panel.titles["C1"].text().startswith("<b>C1 · Lớp tích chập conv1")
    assert QSettings(str(settings_path), QSettings.Format.IniFormat).value(LANGUAGE) == VIETNAMESE
    window.close()

    switch_language(ENGLISH)  # as a new start is, before the window reads the remembered choice
    again = make_main_window()
    qtbot.waitUntil(lambda: again.findChild(LanguageMenu).title() == "&Ngôn ngữ")
    assert again.findChild(LanguageMenu).choice_actions[VIETNAMESE].isChecked()


def test_the_window_waiting_for_its_model_speaks_vietnamese_too(qtbot, settings_path, switch_language):
    """The language switched in the first seconds, while the model loads: the Loading tab and its page
    stayed English."""
    window = MainWindow(AppState(None), QSettings(str(settings_path), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    switch_language(VIETNAMESE)
    vietnamese = visible_texts(window)
    assert english_left(vietnamese) == set() and "Đang nạp" in vietnamese


def test_qt_standard_buttons_speak_vietnamese_too(qtbot, switch_language):
    """PySide6 ships no Qt translation for Vietnamese; ours carries the standard buttons' words."""
    switch_language(VIETNAMESE)
    box = QMessageBox(
        QMessageBox.Icon.Warning, "", "", QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    assert sorted(button.text() for button in box.buttons()) == ["Hủy", "Đồng ý"]
    switch_language(ENGLISH)
    english = QMessageBox(
        QMessageBox.Icon.Warning, "", "", QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
    )
    qtbot.addWidget(english)
    assert sorted(button.text() for button in english.buttons()) == ["Cancel", "OK"]


def _all_through(qtbot, window) -> None:
    """Give every part of the window something to say: a drawing and its answer, a correction, a
    whole Inspector step and a short training run with its results."""
    draw(qtbot, window, DIGITS[4][0])
    window.findChild(CorrectionBar).capture(4)
    inspector = window.findChild(InspectorPanel)
    qtbot.mouseClick(inspector.step_button, Qt.MouseButton.LeftButton)
    panel = window.training_panel
    panel.mnist_test_size = 500  # a quick evaluation: the texts, not the numbers, are under test
    panel.epochs_box.setValue(1)
    panel.batch_limit_box.setValue(2)
    with qtbot.waitSignal(panel.runFinished, timeout=180_000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)


def test_the_whole_window_speaks_vietnamese_and_english_again(qtbot, make_main_window, switch_language, mnist_root):
    window = make_main_window()
    _all_through(qtbot, window)
    english = visible_texts(window)
    assert "Before and after" in english and "Inside the network" in english

    switch_language(VIETNAMESE)
    vietnamese = visible_texts(window)
    assert english_left(vietnamese) == set()
    assert "Bên trong mạng" in vietnamese and "Trước và sau" in vietnamese
    # The locale's decimal comma: probability bars, the readout, the accuracy texts.
    assert all(re.fullmatch(r"\d+,\d\u00a0%", text) for text in window.probability_bars.value_texts())
    assert re.search(r"\d,\d\u00a0%", window.readout.text)
    assert re.search(r"\d\d,\d\d\u00a0%", window.model_label.text())
    scores = window.training_panel.scores_table
    assert re.fullmatch(r"\d+,\d\d\u00a0%", scores.item(0, 0).text()) and re.fullmatch(
        r"\d+,\d\d\u00a0%", scores.item(0, 1).text()
    )

    switch_language(ENGLISH)
    assert visible_texts(window) == english


def test_dialogs_opened_in_vietnamese_speak_it(qtbot, make_main_window, switch_language, tmp_path):
    window = make_main_window()
    draw(qtbot, window, DIGITS[4][0])
    switch_language(VIETNAMESE)
    dialog = window.layers_panel.show_map("C1", 0)
    assert english_left(visible_texts(dialog)) == set() and dialog.windowTitle().startswith("C1 · Lớp tích chập")
    dialog.close()
    broken = tmp_path / "not-an-image.png"
    broken.write_bytes(b"not an image")
    assert not image_used(qtbot, window, lambda: window.open_image(broken))
    box = window.error_box
    assert box.windowTitle() == "Không mở được ảnh" and [button.text() for button in box.buttons()] == ["Đồng ý"]
    # The core's reason too, with its field (the file's name) filled in.
    assert "not-an-image.png: không phải ảnh mà ứng dụng này đọc được" in box.text()
    assert english_left(visible_texts(box)) == set()
    box.close()
    weights = tmp_path / "empty.pt"
    weights.write_bytes(b"")
    assert not window.open_weights(weights)
    box = window.error_box
    assert "empty.pt: không đọc được tệp trọng số: tệp rỗng" in box.text(), box.text()
    box.close()


def test_a_reason_shown_before_the_switch_is_told_in_the_new_language(
    qtbot, make_main_window, switch_language, _isolated_user_dir, tmp_path
):
    """The core's reasons on the window (a damaged store's notice, a refused export) are made again
    when the language changes, as the sentences around them are: they stayed in the old language."""
    from lenet_desktop.core.store import DATABASE_NAME
    from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser

    (_isolated_user_dir / DATABASE_NAME).write_bytes(b"not a database " * 1000)
    window = make_main_window()
    browser = window.findChild(CorrectionsBrowser)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "something").write_text("")
    with qtbot.waitSignal(browser.exportEnded):
        browser.export_to(taken)
    english = visible_texts(window)
    assert any("was damaged" in text for text in english)
    assert any(text.startswith("Export failed: ") for text in english)

    switch_language(VIETNAMESE)
    assert english_left(visible_texts(window)) == set()
    switch_language(ENGLISH)
    assert visible_texts(window) == english

    bad_rows = tmp_path / "bad rows"
    bad_rows.mkdir()
    (bad_rows / "corrections.csv").write_text("file,label\nmissing.png,4\nmissing.png,x\n", encoding="utf-8")
    with qtbot.waitSignal(browser.importEnded, timeout=60_000):
        assert browser.import_from(bad_rows)
    assert "could not read: corrections.csv line 2" in browser.summary.text()
    switch_language(VIETNAMESE)
    assert english_left(visible_texts(window)) == set()


def test_a_reason_from_a_worker_is_told_in_the_new_language_too(qtbot, make_main_window, switch_language, tmp_path):
    """A run that failed in its thread (here an evaluation's unreadable listing): its reason was told
    once, in the language of the moment, and stayed so after a switch."""
    window = make_main_window()
    evaluation = window.evaluation
    folder = tmp_path / "unreadable"
    folder.mkdir()
    (folder / "labels.csv").write_bytes(b"\xff\xfe not UTF-8")
    with qtbot.waitSignal(evaluation.failed, timeout=60_000):
        assert evaluation.start_folder(folder)
    english = visible_texts(evaluation)
    assert any("labels.csv: not a readable UTF-8 CSV file" in text for text in english)

    switch_language(VIETNAMESE)
    assert english_left(visible_texts(evaluation)) == set()
    switch_language(ENGLISH)
    assert visible_texts(evaluation) == english
