"""Drawing to painted probabilities: from a stroke's last mouse event (the release) to the moment
the probability bars and every feature-map view have painted the prediction of that drawing.

Runs the real MainWindow on the offscreen platform and draws through real mouse events
(lenet_desktop.gui.devtools.replay), cycling through the hand-made digits of tests/digit_strokes.py, then
through 4-digit numbers written with them side by side (the drawing grows to the right, and every
stroke is read as a number; the views show the digit written last).
Two cases per drawing:
  settled - the live predictions made while the pen moved have finished before the release;
  busy    - the last stroke is drawn as a hand does, one move every MOVE_INTERVAL_MS with the
            event loop running, so live predictions are made on the way; the release comes right
            after the last move, often while one is still in flight, and the final prediction
            queues behind it (the newest-drawing-wins path).
The clock stops when the views have painted the prediction of the finished drawing (its 32x32
frame equals that of the digit written last in read_number() of the canvas), not an earlier live one,
or, where the window reads that digit again unchanged (the views already show it, and are not
painted again), when that reading arrives. The times are recorded as the events come; which
prediction was the finished drawing's is worked out once the window is idle.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=tests:tests/gui .venv/bin/python bench/bench_gui_latency.py [--drawings 240] [--numbers 120]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from digit_strokes import DIGITS, all_drawings  # noqa: E402
from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402

import lenet_desktop.gui.services.live_prediction as live_prediction  # noqa: E402
from lenet_desktop.core.checkpoint import load_checkpoint  # noqa: E402
from lenet_desktop.core.numbers import read_number  # noqa: E402
from lenet_desktop.core.paths import shipped_weights_path  # noqa: E402
from lenet_desktop.gui.devtools.replay import move, press, press_and_move, release  # noqa: E402
from lenet_desktop.gui.main_window import MainWindow  # noqa: E402
from lenet_desktop.gui.services.live_prediction import last_written  # noqa: E402
from lenet_desktop.gui.startup.app import application  # noqa: E402

MOVE_INTERVAL_MS = 8  # a 125 Hz mouse
from lenet_desktop.gui.services.state import AppState  # noqa: E402


class PaintWatch:
    """Records, from the release on, each prediction the state announces, when it came and when
    every watched view had painted after it; which of them was the finished drawing's is worked out
    once the window is idle, so that the bench's own reading does not take a core from the window's."""

    def __init__(self, window: MainWindow) -> None:
        self.views = [window.probability_bars, *window.layers_panel.views()]
        self.state = window.state
        self._events: list[list] = []  # [announced at, frame, views yet to paint, all painted at]
        self._recording = False
        window.state.predictionChanged.connect(self._on_prediction)
        window.state.selectedDigitChanged.connect(self._on_selected)
        for index, view in enumerate(self.views):
            view.painted.connect(lambda index=index: self._on_painted(index))

    def start(self) -> None:
        self._events, self._recording = [], True

    def times(self, final_frame: np.ndarray) -> tuple[float, float] | None:
        """(announced, painted) for the first prediction of `final_frame` all views painted; None yet."""
        for announced, frame, _, painted in self._events:
            if painted is not None and np.array_equal(frame, final_frame):
                return announced, painted
        return None

    def stop(self) -> None:
        self._recording = False

    def _on_prediction(self, prediction) -> None:
        if self._recording and prediction is not None:
            self._events.append([time.perf_counter(), prediction.frame, set(range(len(self.views))), None])

    def _on_selected(self, index: int) -> None:
        # The digit chosen is the very reading the views show (the window read it before and its ink
        # did not change since): there is nothing to paint, the answer is on screen as it arrives.
        shown, reading = self.state.prediction, self.state.reading
        if (
            self._recording
            and reading is not None
            and 0 <= index < len(reading.digits)
            and reading.digits[index] is shown
        ):
            now = time.perf_counter()
            self._events.append([now, shown.frame, set(), now])

    def _on_painted(self, index: int) -> None:
        if self._recording and self._events and self._events[-1][3] is None:
            waiting = self._events[-1][2]
            waiting.discard(index)
            if not waiting:
                self._events[-1][3] = time.perf_counter()


class ReadingClock:
    """The CPU time of each of the window's readings, on the prediction thread (thread_time): on a
    shared machine the wall time also counts waiting for a core. Wraps the read_number the worker calls."""

    def __init__(self) -> None:
        self.times: list[float] = []
        read = live_prediction.read_number

        def timed(*args, **kwargs):
            start = time.thread_time()
            try:
                return read(*args, **kwargs)
            finally:
                self.times.append((time.thread_time() - start) * 1000)

        live_prediction.read_number = timed


def numbers(count: int, seed: int = 0) -> list[tuple[str, list]]:
    """4-digit numbers of the hand-made digits, each 0.8 of the area's height, 0.62 heights apart."""
    rng = np.random.default_rng(seed)
    made = []
    for _ in range(count):
        digits = rng.integers(0, 10, 4)
        strokes = [
            [
                [(0.05 + 0.62 * i + 0.8 * x, 0.1 + 0.8 * y) for x, y in stroke]
                for stroke in DIGITS[int(d)][int(rng.integers(0, 3))]
            ]
            for i, d in enumerate(digits)
        ]
        made.append(("".join(map(str, digits)), [stroke for digit in strokes for stroke in digit]))
    return made


def final_frame(window: MainWindow) -> np.ndarray:
    """The frame the views will show for the canvas as it is: that of the digit written last."""
    strokes = window.canvas.strokes()
    reading = read_number(window.state.classifier, window.current_drawing(), strokes)
    return reading.digits[last_written(reading, strokes)].frame


def wait_idle(app, window: MainWindow) -> None:
    while window.predictor.busy:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    app.processEvents()


def measure(
    app, window: MainWindow, watch: PaintWatch, drawings, count: int, settle: bool
) -> tuple[list[float], list[float], int, int]:
    latencies, to_prediction, right, pending = [], [], 0, 0
    for n in range(count):
        label, strokes = drawings[n % len(drawings)]
        window.canvas.clear()
        wait_idle(app, window)
        for stroke in strokes[:-1]:
            press_and_move(window.canvas, stroke)
            release(window.canvas, stroke[-1])
        if settle:
            press_and_move(window.canvas, strokes[-1])
            wait_idle(app, window)
        else:
            press(window.canvas, strokes[-1][0])
            for point in strokes[-1][1:]:
                move(window.canvas, point)
                pause_until = time.perf_counter() + MOVE_INTERVAL_MS / 1000
                while time.perf_counter() < pause_until:
                    app.processEvents()
        pending += window.predictor.busy  # a live prediction in flight or about to be made
        watch.start()
        started = time.perf_counter()
        release(window.canvas, strokes[-1][-1])
        wait_idle(app, window)
        # The finished drawing's frame, worked out once the window is idle (the release makes the
        # drawing final: a number's drawing may grow, showing ink the edge clipped).
        final = final_frame(window)
        deadline = time.perf_counter() + 5
        while (times := watch.times(final)) is None:
            if time.perf_counter() > deadline:
                raise RuntimeError("the views never painted the finished drawing's prediction")
            app.processEvents()
        watch.stop()
        latencies.append((times[1] - started) * 1000)
        to_prediction.append((times[0] - started) * 1000)
        wait_idle(app, window)
        right += window.readout.number == label
    return latencies, to_prediction, right, pending


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def summary(
    name: str, latencies: list[float], to_prediction: list[float], right: int, pending: int, reading: list[float]
) -> str:
    return (
        f"{name:15s} n={len(latencies)}  release to painted: median {statistics.median(latencies):.1f} ms, "
        f"p95 {p95(latencies):.1f} ms, max {max(latencies):.1f} ms;  of which release to prediction in the state: "
        f"median {statistics.median(to_prediction):.1f} ms, p95 {p95(to_prediction):.1f} ms  ({right}/{len(latencies)} recognised; "
        f"live prediction pending at release: {pending});  each reading's CPU time (live ones too): median "
        f"{statistics.median(reading):.1f} ms, p95 {p95(reading):.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=240)
    parser.add_argument("--numbers", type=int, default=120)
    args = parser.parse_args()
    app = application()
    clock = ReadingClock()
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(AppState(load_checkpoint(shipped_weights_path())), settings)
        window.resize(1440, 860)
        window.show()
        wait_idle(app, window)
        watch = PaintWatch(window)
        drawings = [(str(digit), strokes) for digit, strokes in all_drawings()]
        measure(app, window, watch, drawings, 20, settle=True)  # warm-up: first-call costs in torch and Qt
        print(
            f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, torch {torch.__version__}, "
            f"Qt platform {app.platformName()}, window 1440x860"
        )
        written = numbers(args.numbers)
        for name, shown, count, settle in (
            ("settled", drawings, args.drawings, True),
            ("busy", drawings, args.drawings, False),
            ("number settled", written, args.numbers, True),
            ("number busy", written, args.numbers, False),
        ):
            clock.times = []
            print(summary(name, *measure(app, window, watch, shown, count, settle), clock.times))
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
