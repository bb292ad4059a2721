"""Fixtures for tests that open windows: a main window factory that closes what it made, settings
kept out of the developer's real configuration, and a watchdog on the window's event loop for every
test that uses qtbot. A module, not a conftest, so that the GUI and the reliability tests both
import it (as napari shares its fixtures from utils/_testsupport.py)."""

from __future__ import annotations

import mmap
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication
from stall_watchdog import Stall, StallDetector
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
    """For a test that asks for it: fails it when the window's event loop stands still for more
    than LIMIT seconds while the test waits on it (stall_watchdog.py tells how), unless the test is
    marked allows_stall. A test that calls into the window itself and means the call to return at
    once says so with reset() ... check(): in between, the loop must turn every LIMIT seconds
    whatever runs, the test's own code included.

    It also makes FIFOs for a test to hand the window: an <img src> naming one makes Qt open it on
    the window's thread, which then waits for a writer for good. A process of its own
    (fifo_unblocker.py) opens them for writing once the loop has stood still STALL_FOR seconds, so
    such a test goes on, and fails, rather than hanging the test run."""

    LIMIT = StallDetector.LIMIT
    TICK_MS = StallDetector.TICK_MS
    STALL_FOR = 2.0  # seconds of standstill before the FIFOs are opened for writing

    def __init__(self, folder: Path) -> None:
        self.longest = 0.0  # the longest time between two turns since reset()
        self._last_turn: float | None = None  # None: no reset() ... check() span open
        self._folder = folder
        self._detector = StallDetector(on_turn=self._turned)
        self._unblocker: subprocess.Popen | None = None
        self._heartbeat: mmap.mmap | None = None

    def start(self) -> None:
        self._detector.start()

    def stop(self) -> None:
        self._detector.stop()
        if self._unblocker is not None:
            self._unblocker.terminate()
            self._unblocker.wait()
            self._heartbeat.close()
            self._heartbeat_handle.close()

    @property
    def stalls(self) -> list[Stall]:
        return self._detector.stalls

    @property
    def span_open(self) -> bool:
        return self._last_turn is not None

    def reset(self) -> None:
        """From now until check(), the event loop must turn every LIMIT seconds, whatever runs."""
        self._last_turn = time.monotonic()
        self.longest = 0.0

    def fifo(self, name: str = "a-fifo") -> Path:
        """A new FIFO, for an <img src="..."> in text from outside."""
        if self._unblocker is None:
            self._start_unblocker()
        path = self._fifos / name
        os.mkfifo(path)
        return path

    @property
    def fifos_opened(self) -> list[str]:
        """The FIFOs the window's thread was found waiting on."""
        return self._log.read_text(encoding="utf-8").split() if self._unblocker is not None else []

    def problems(self, stalls_allowed: bool = False) -> list[str]:
        found = [str(stall) for stall in self._detector.stalls] if not stalls_allowed else []
        if opened := self.fifos_opened:
            found.append(f"the window's thread opened {sorted(set(opened))} ({len(opened)} times): rich text read it")
        if self.longest > self.LIMIT:
            found.append(f"the event loop stood still for {self.longest:.2f} s after reset()")
        return found

    def check(self, qtbot) -> None:
        """Let the loop turn a few ticks, then fail if it stood still past LIMIT or opened a FIFO."""
        qtbot.wait(4 * self.TICK_MS)
        self._last_turn = None
        problems = self.problems()
        assert not problems, "; ".join(problems)

    def _start_unblocker(self) -> None:
        self._fifos = self._folder / "fifos"
        self._fifos.mkdir(parents=True)
        self._log = self._folder / "fifos-opened.log"
        self._log.touch()
        heartbeat_file = self._folder / "heartbeat"
        heartbeat_file.write_bytes(struct.pack("d", time.monotonic()))
        self._heartbeat_handle = open(heartbeat_file, "r+b")  # noqa: SIM115  (closed in stop)
        self._heartbeat = mmap.mmap(self._heartbeat_handle.fileno(), 8)
        script = Path(__file__).with_name("fifo_unblocker.py")
        arguments = (heartbeat_file, self._fifos, self._log, self.STALL_FOR)
        self._unblocker = subprocess.Popen([sys.executable, str(script), *map(str, arguments)])

    def _turned(self) -> None:
        now = time.monotonic()
        if self._last_turn is not None:
            self.longest, self._last_turn = max(self.longest, now - self._last_turn), now
        if self._heartbeat is not None:
            struct.pack_into("d", self._heartbeat, 0, now)


# Asked for by the tests of the window's freezes, not on for every test: in one of two runs of the whole
# quick suite with it on for every qtbot test, the process ended in a segmentation fault while a window was
# being shown (not seen with any file run alone); until that is understood it watches the tests that ask.
@pytest.fixture
def event_loop_watchdog(request, tmp_path):
    """Watches the event loop of a test that uses qtbot (None for the others): the test fails
    when the loop stands still for more than half a second while the test waits on it, or between
    `event_loop_watchdog.reset()` and `.check(qtbot)` whatever runs; `.fifo()` gives a FIFO to hide
    in outside text. @pytest.mark.allows_stall("why") lets a test's waits stand still."""
    if "qtbot" not in request.fixturenames:
        yield None
        return
    qtbot = request.getfixturevalue("qtbot")
    watchdog = EventLoopWatchdog(tmp_path / "watchdog")
    watchdog.start()
    yield watchdog
    try:
        if watchdog.span_open:
            qtbot.wait(4 * watchdog.TICK_MS)
    finally:
        watchdog.stop()
    if problems := watchdog.problems(stalls_allowed=request.node.get_closest_marker("allows_stall") is not None):
        pytest.fail("\n".join(problems), pytrace=False)
