"""Drawing to painted probabilities: from a stroke's last mouse event (the release) to the moment
the probability bars and every feature-map view have painted the prediction of that drawing.

Runs the real MainWindow on the offscreen platform and draws through real mouse events
(lenet_desktop.gui.replay), cycling through the hand-made digits of tests/digit_strokes.py, then
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
painted again), when that reading arrives.

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

from lenet_desktop.core.checkpoint import load_checkpoint  # noqa: E402
from lenet_desktop.core.numbers import read_number  # noqa: E402
from lenet_desktop.core.paths import shipped_weights_path  # noqa: E402
from lenet_desktop.gui.app import application  # noqa: E402
from lenet_desktop.gui.live_prediction import last_written  # noqa: E402
from lenet_desktop.gui.main_window import MainWindow  # noqa: E402
from lenet_desktop.gui.replay import move, press, press_and_move, release  # noqa: E402

MOVE_INTERVAL_MS = 8  # a 125 Hz mouse
from lenet_desktop.gui.state import AppState  # noqa: E402


class PaintWatch:
    """Records when every watched view has painted after the next prediction arrives."""

    def __init__(self, window: MainWindow) -> None:
        self.views = [window.probability_bars, *window.layers_panel.views()]
        self.finished_at: float | None = None
        self.predicted_at: float | None = None
        self._waiting: set[int] = set()
        self._armed = False
        self.state = window.state
        window.state.predictionChanged.connect(self._on_prediction)
        window.state.selectedDigitChanged.connect(self._on_selected)
        for index, view in enumerate(self.views):
            view.painted.connect(lambda index=index: self._on_painted(index))

    def arm(self, final_frame: np.ndarray) -> None:
        self.finished_at, self.predicted_at, self._waiting, self._armed = None, None, set(), True
        self._final_frame = final_frame

    def _on_prediction(self, prediction) -> None:
        if self._armed and prediction is not None and np.array_equal(prediction.frame, self._final_frame):
            self.predicted_at = time.perf_counter()
            self._waiting = set(range(len(self.views)))

    def _on_selected(self, index: int) -> None:
        # The digit chosen is the very reading the views show (the window read it before and its ink
        # did not change since): there is nothing to paint, the final answer is on screen now.
        shown, reading = self.state.prediction, self.state.reading
        if self._armed and reading is not None and 0 <= index < len(reading.digits) and reading.digits[index] is shown:
            if np.array_equal(shown.frame, self._final_frame):
                self.predicted_at = self.finished_at = time.perf_counter()
                self._armed = False

    def _on_painted(self, index: int) -> None:
        if self._armed and self._waiting:
            self._waiting.discard(index)
            if not self._waiting:
                self.finished_at = time.perf_counter()
                self._armed = False


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
        started = time.perf_counter()
        release(window.canvas, strokes[-1][-1])
        # The finished drawing's frame, worked out once the release has made the drawing final (a
        # number's drawing may grow, showing ink the edge clipped), before the event loop can deliver
        # any answer; the time it takes here is left out of the latency.
        worked_out = time.perf_counter()
        watch.arm(final_frame(window))
        bookkeeping = time.perf_counter() - worked_out
        while watch.finished_at is None:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        latencies.append((watch.finished_at - started - bookkeeping) * 1000)
        to_prediction.append((watch.predicted_at - started - bookkeeping) * 1000)
        wait_idle(app, window)
        right += window.readout.number == label
    return latencies, to_prediction, right, pending


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def summary(name: str, latencies: list[float], to_prediction: list[float], right: int, pending: int) -> str:
    return (
        f"{name:15s} n={len(latencies)}  release to painted: median {statistics.median(latencies):.1f} ms, "
        f"p95 {p95(latencies):.1f} ms, max {max(latencies):.1f} ms;  of which release to prediction in the state: "
        f"median {statistics.median(to_prediction):.1f} ms, p95 {p95(to_prediction):.1f} ms  ({right}/{len(latencies)} recognised; "
        f"live prediction pending at release: {pending})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=240)
    parser.add_argument("--numbers", type=int, default=120)
    args = parser.parse_args()
    app = application()
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
        for name, settle in (("settled", True), ("busy", False)):
            print(summary(name, *measure(app, window, watch, drawings, args.drawings, settle)))
        written = numbers(args.numbers)
        for name, settle in (("number settled", True), ("number busy", False)):
            print(summary(name, *measure(app, window, watch, written, args.numbers, settle)))
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
