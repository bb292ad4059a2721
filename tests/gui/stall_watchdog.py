"""A watch on the window's thread for the GUI tests: it finds the event loop standing still while
the test waits on it (qtbot.wait, waitUntil, waitSignal(s), waitCallback, waitExposed, waitActive).

Two witnesses, neither of which can be fooled by the test's own code between its waits:
- a 20 ms QTimer on the window's thread counts the loop's turns; it fires in any event loop there,
  a modal box's nested one included, so while it counts the loop is turning;
- a thread of its own looks at the window's thread's Python stack every 20 ms. Time counts only
  while that stack holds one and the same pytest-qt wait (the same frame object: one call, which
  cannot end and begin again unseen) and the timer has not fired since. Time when the sampler
  could not run at all (the window's thread held the GIL in C++) counts too: the next sample still
  finds the same wait and no turn. Such a hold is counted from the last sample that saw the wait,
  so one that begins before the sampler has seen the wait (its first 20 ms) goes unseen. The timer
  backs that up: two of its turns in the same wait, further apart than the limit with no test code
  seen between them, are a stall too (when the GIL is let go another thread may take it first and
  hand it back to the window's thread before the sampler gets it).
A sample that finds the test's own code above the wait (a callback of the test run by the loop)
starts the count again: that is the test's doing.
Seconds the window's thread spent ready to run but waiting for a CPU (a loaded machine) are taken
off, from the kernel's /proc/self/task/<id>/schedstat: a stall is time the thread spent working or
blocked, not time it was kept from running."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from PySide6.QtCore import QTimer
from pytestqt.qt_compat import qt_api
from pytestqt.qtbot import _WaitWidgetContextManager

import lenet_desktop

ROOT = Path(lenet_desktop.__file__).resolve().parents[1]
APP = str(Path(lenet_desktop.__file__).resolve().parent)
TESTS = str(Path(__file__).resolve().parents[1])

# The frames in which pytest-qt hands the thread to Qt's event loop: every blocker's wait (wait,
# waitUntil's pauses, waitSignal(s), waitCallback) runs qt_api.exec; waitExposed and waitActive
# run QTest's qWaitForWindow... from the context manager's __exit__.
LOOP_ENTRIES = frozenset({type(qt_api).exec.__code__, _WaitWidgetContextManager.__exit__.__code__})


@dataclass
class Stall:
    seconds: float
    running: str  # what the window's thread was running
    waiting: str  # the test's line that waited

    def __str__(self) -> str:
        return (
            f"the event loop stood still for {self.seconds:.2f} s running {self.running}, while {self.waiting} waited"
        )


@dataclass
class _Standstill:
    entry: FrameType  # the wait's frame
    turns: int  # the loop's turns when it was first seen
    since: float
    queued: float  # the window's thread's seconds on the run queue by then
    stall: Stall | None = None


def _where(frame: FrameType) -> str:
    path = Path(frame.f_code.co_filename)
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return f"{shown}:{frame.f_lineno} in {frame.f_code.co_name}"


class StallDetector:
    """Made, started and stopped on the window's thread; `stalls` lists what it found."""

    LIMIT = 0.5  # seconds the event loop may stand still while waited on
    TICK_MS = 20
    SAMPLE_S = 0.02

    def __init__(self, on_turn: Callable[[], None] | None = None) -> None:
        self.stalls: list[Stall] = []
        self.turns = 0
        self._on_turn = on_turn
        self._ident = threading.get_ident()
        self._schedstat = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
        self._timer = QTimer()
        self._timer.setInterval(self.TICK_MS)
        self._timer.timeout.connect(self._turn)
        self._stopped = threading.Event()
        self._sampler = threading.Thread(target=self._sample_until_stopped, name="stall sampler", daemon=True)
        self._standstill: _Standstill | None = None
        self._lock = threading.Lock()  # the state the timer and the sampler share
        self._last_turn: tuple[FrameType | None, float, float] | None = None  # its wait, time, queued
        self._test_code_seen = False  # by the sampler since the last turn
        # The frames the sampler let go of, for the window's thread to drop: the last reference to a
        # frame that has returned holds its locals, and a Qt object among them must not be freed on
        # the sampler's thread (that crashes).
        self._graveyard: list[object] = []

    def start(self) -> None:
        self._timer.start()
        self._sampler.start()

    def stop(self) -> None:
        self._timer.stop()
        self._stopped.set()
        self._sampler.join()
        self._standstill = self._last_turn = None
        self._graveyard.clear()

    def _turn(self) -> None:
        now, queued = time.monotonic(), self._queued()
        entry = sys._getframe(1)  # the frame that handed the thread to the event loop
        entry = entry if entry.f_code in LOOP_ENTRIES else None
        with self._lock:
            self.turns += 1
            last, self._last_turn = self._last_turn, (entry, now, queued)
            if entry is not None and last is not None and last[0] is entry and not self._test_code_seen:
                seconds = now - last[1] - (queued - last[2])
                if seconds > self.LIMIT:
                    self._note(entry, seconds, "what the sampler could not see (the GIL was held)")
            self._test_code_seen = False
        self._graveyard.clear()
        if self._on_turn is not None:
            self._on_turn()

    def _sample_until_stopped(self) -> None:
        while not self._stopped.wait(self.SAMPLE_S):
            self._sample()

    def _queued(self) -> float:
        """Seconds the window's thread has been ready to run but not running (0 without schedstat)."""
        try:
            return int(self._schedstat.read_text().split()[1]) / 1e9
        except OSError:
            return 0.0

    def _sample(self) -> None:
        frames = sys._current_frames()
        walked: list[FrameType | None] = []  # the frames above the wait, innermost first, then the wait
        self._graveyard.append((frames, walked, self._standstill))
        entry = frames.get(self._ident)
        while entry is not None and entry.f_code not in LOOP_ENTRIES:
            walked.append(entry)
            entry = entry.f_back
        walked.append(entry)
        above = walked[:-1]
        now, queued = time.monotonic(), self._queued()
        with self._lock:
            if entry is None or any(frame.f_code.co_filename.startswith(TESTS) for frame in above):
                self._test_code_seen = self._test_code_seen or entry is not None
                self._standstill = None
                return
            standstill = self._standstill
            if standstill is None or standstill.entry is not entry or standstill.turns != self.turns:
                self._standstill = _Standstill(entry, self.turns, now, queued)
                return
            seconds = now - standstill.since - (queued - standstill.queued)
            if seconds > self.LIMIT:
                self._note(entry, seconds, self._running(above))

    def _note(self, entry: FrameType, seconds: float, running: str) -> None:
        """A stall in the wait `entry`: a new one, or the one under way there grown longer."""
        standstill = self._standstill
        if standstill is not None and standstill.entry is entry and standstill.stall is not None:
            standstill.stall.seconds = max(standstill.stall.seconds, seconds)
            return
        stall = Stall(seconds, running, self._waiting(entry))
        self.stalls.append(stall)
        if standstill is not None and standstill.entry is entry:
            standstill.stall = stall

    @staticmethod
    def _running(above: list[FrameType]) -> str:
        if not above:
            return "Qt's own code (no Python frame above the wait)"
        ours = [frame for frame in above if frame.f_code.co_filename.startswith(APP)]
        handler = (ours or above)[-1]  # the outermost: what the loop called
        return _where(handler) if handler is above[0] else f"{_where(handler)}, at {_where(above[0])}"

    def _waiting(self, entry: FrameType) -> str:
        walked = [entry.f_back]
        self._graveyard.append(walked)
        while walked[-1] is not None and not walked[-1].f_code.co_filename.startswith(TESTS):
            walked.append(walked[-1].f_back)
        return _where(walked[-1]) if walked[-1] is not None else _where(entry)
