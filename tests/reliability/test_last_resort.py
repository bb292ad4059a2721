"""The last line of defence: an exception nothing caught, in a slot or in a worker thread, shows one
message box and is written to a log file in the user folder."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.gui.startup.crash_report import LOG_NAME, install_crash_reporter


@pytest.fixture
def reporter(monkeypatch, qapp):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    made = install_crash_reporter(user_data_dir())
    yield made
    if made.box is not None:
        made.box.close()


def broken_slot():
    raise ZeroDivisionError("the slot divided by nothing")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_shows_one_box_and_is_logged(qtbot, reporter):
    button = QPushButton("break")
    qtbot.addWidget(button)
    button.clicked.connect(broken_slot)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
    assert reporter.box.icon() == QMessageBox.Icon.Critical
    assert "ZeroDivisionError: the slot divided by nothing" in reporter.box.text()
    assert str(user_data_dir() / LOG_NAME) in reporter.box.text()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1, "one box for two errors"
    log = (user_data_dir() / LOG_NAME).read_text()
    assert log.count("Traceback") == 2 and "in broken_slot" in log


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_worker_thread_is_shown_and_logged(qtbot, reporter):
    worker = threading.Thread(target=broken_slot)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.box is not None and reporter.box.isVisible())
    assert "ZeroDivisionError" in reporter.box.text()
    assert "in broken_slot" in (user_data_dir() / LOG_NAME).read_text()
