"""The stall watchdog the tests of the window's freezes run under: a call the event loop makes that holds the
window's thread for a second while the test waits is a stall, whether it sleeps or holds the GIL;
the test's own code between its waits, the test's own callbacks, and a modal box that keeps the
loop turning are not."""

from __future__ import annotations

import ctypes
import time
from functools import partial

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from stall_watchdog import StallDetector

HOLDING_THE_GIL = ctypes.PyDLL(None).sleep  # libc's sleep(3), called without letting go of the GIL
HOLDS = {"sleeping": partial(time.sleep, 1.0), "holding the GIL": partial(HOLDING_THE_GIL, 1)}


@pytest.mark.allows_stall("the stall is what this test makes")
@pytest.mark.parametrize("hold", HOLDS.values(), ids=HOLDS.keys())
def test_a_second_held_by_a_call_of_the_event_loop_during_a_wait_is_a_stall(qtbot, event_loop_watchdog, hold):
    QTimer.singleShot(100, hold)  # once the wait is under way: see stall_watchdog.py on the GIL
    qtbot.wait(1600)
    stalls = event_loop_watchdog.stalls
    assert len(stalls) == 1
    assert stalls[0].seconds > StallDetector.LIMIT
    assert stalls[0].waiting.startswith("tests/gui/test_stall_watchdog.py:")


def test_a_second_of_the_test_s_own_code_between_waits_is_no_stall(qtbot, event_loop_watchdog):
    qtbot.wait(50)
    time.sleep(1.0)
    qtbot.wait(50)
    HOLDING_THE_GIL(1)
    qtbot.wait(50)
    assert event_loop_watchdog.stalls == []


def test_a_callback_of_the_test_run_by_the_event_loop_is_the_test_s_own_code(qtbot, event_loop_watchdog):
    QTimer.singleShot(0, lambda: time.sleep(1.0))
    qtbot.wait(1500)
    assert event_loop_watchdog.stalls == []


def test_a_modal_box_open_for_a_second_during_a_wait_keeps_the_loop_turning(qtbot, event_loop_watchdog):
    box = QMessageBox(QMessageBox.Icon.Information, "Modal", "Open for a second")
    QTimer.singleShot(1000, box.accept)
    with qtbot.waitSignal(box.finished, timeout=5000):
        QTimer.singleShot(0, box.exec)
    assert event_loop_watchdog.stalls == []
