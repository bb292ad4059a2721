"""Fixtures for tests that open windows: a main window factory that closes what it made, settings
kept out of the developer's real configuration, and a watchdog on the window's event loop. A module,
not a conftest, so that the GUI and the reliability tests both import it (as napari shares its
fixtures from utils/_testsupport.py)."""

from __future__ import annotations

import mmap
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from window_helpers import wait_for_prediction

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path, qapp):
    """Any QSettings() made during a test writes an INI file under tmp_path, never the real one."""
    QCoreApplication.setOrganizationName("lenet-desktop-tests")
    QCoreApplication.setApplicationName("LeNet Desktop tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture(autouse=True)
def _clipboard_emptied(qapp):
    """Empty the clipboard after each test. A test that pastes hands the clipboard a QMimeData made in
    Python; Qt takes it over but Python's wrapper still owns it too, so whichever of the two is freed
    second at exit frees it again and the interpreter crashes (exit 139) after every test passed.
    Clearing it here lets Qt delete it while the wrapper is alive, which then knows it is gone."""
    yield
    QApplication.clipboard().clear()


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def make_main_window(qtbot, settings_path):
    """Factory: make_main_window(classifier=None, settings=None) -> shown MainWindow."""
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.services.state import AppState

    made = []

    def make(classifier=None, settings=None, model_path=None):
        classifier = classifier or load_checkpoint(shipped_weights_path())
        settings = settings or QSettings(str(settings_path), QSettings.Format.IniFormat)
        window = MainWindow(AppState(classifier, model_path), settings)
        with qtbot.waitExposed(window):
            window.show()
        with qtbot.waitActive(window):  # keyboard shortcuts reach only the active window
            window.activateWindow()
        made.append(window)
        wait_for_prediction(qtbot, window)
        return window

    yield make
    for window in made:
        if window.error_box is not None:
            window.error_box.close()
        window.close_without_asking()
        window.deleteLater()


class EventLoopWatchdog:
    """Watches the window's thread turn its event loop: a 50 ms timer notes the longest time between
    two of its ticks. It also makes FIFOs for a test to hand the window: an <img src> naming one
    makes Qt open it on the window's thread, which then waits for a writer for good. A process of
    its own (fifo_unblocker.py) opens them for writing once the loop has stood still STALL_FOR
    seconds, so such a test goes on, and fails, rather than hanging the test run."""

    TICK_MS = 50
    LIMIT = 0.5  # seconds the event loop may stand still
    STALL_FOR = 2.0  # seconds of standstill before the FIFOs are opened for writing

    def __init__(self, folder: Path) -> None:
        self.longest = 0.0
        self.checked = False  # the test called check(): the end of the test need not again
        self._fifos = folder / "fifos"
        self._fifos.mkdir(parents=True)
        self._log = folder / "fifos-opened.log"
        self._log.touch()
        self._heartbeat_file = folder / "heartbeat"
        self._heartbeat_file.write_bytes(struct.pack("d", time.monotonic()))
        self._heartbeat_handle = open(self._heartbeat_file, "r+b")  # noqa: SIM115  (closed in stop)
        self._heartbeat = mmap.mmap(self._heartbeat_handle.fileno(), 8)
        self._last = time.monotonic()
        self._timer = QTimer()
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._unblocker: subprocess.Popen | None = None

    def start(self) -> None:
        script = Path(__file__).with_name("fifo_unblocker.py")
        arguments = (self._heartbeat_file, self._fifos, self._log, self.STALL_FOR)
        self._unblocker = subprocess.Popen([sys.executable, str(script), *map(str, arguments)])
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._unblocker.terminate()
        self._unblocker.wait()
        self._heartbeat.close()
        self._heartbeat_handle.close()

    def reset(self) -> None:
        """Forget the gaps so far: for a test's own set-up, which may keep the loop waiting."""
        self._tick()
        self.longest = 0.0

    def fifo(self, name: str = "a-fifo") -> Path:
        """A new FIFO, for an <img src="..."> in text from outside."""
        path = self._fifos / name
        os.mkfifo(path)
        return path

    @property
    def fifos_opened(self) -> list[str]:
        """The FIFOs the window's thread was found waiting on."""
        return self._log.read_text(encoding="utf-8").split()

    def check(self, qtbot) -> None:
        """Let the loop turn a few ticks, then fail if it stood still past LIMIT or opened a FIFO."""
        self.checked = True
        qtbot.wait(4 * self.TICK_MS)
        opened = self.fifos_opened
        assert not opened, f"the window's thread opened {sorted(set(opened))} ({len(opened)} times): rich text read it"
        assert self.longest <= self.LIMIT, f"the event loop stood still for {self.longest:.2f} s"

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest, self._last = max(self.longest, now - self._last), now
        struct.pack_into("d", self._heartbeat, 0, now)


@pytest.fixture
def event_loop_watchdog(qapp, qtbot, tmp_path):
    """Fails the test when the window's thread stands still for more than half a second, at
    `event_loop_watchdog.check(qtbot)` or else as the test ends; `event_loop_watchdog.fifo()` gives
    a FIFO to hide in outside text."""
    watchdog = EventLoopWatchdog(tmp_path / "watchdog")
    watchdog.start()
    yield watchdog
    try:
        if not watchdog.checked:
            watchdog.check(qtbot)
    finally:
        watchdog.stop()
