"""The window while the Training tab trains: the longest gap between ticks of a 20 ms timer on the GUI
thread, from pressing Train to the results shown (MNIST loading, batches, per-epoch evaluation,
before/after scores). Goal: no gap of a second or more, so the window never looks frozen.

Runs the real TrainingPanel offscreen on MNIST from $LENET_DATA_DIR, evaluating on all of MNIST test
as the window does. The first run also loads MNIST in the worker; later runs reuse it.

    QT_QPA_PLATFORM=offscreen LENET_DATA_DIR=/path/to/data .venv/bin/python bench/bench_training_responsiveness.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from lenet_desktop.core.checkpoint import load_checkpoint  # noqa: E402
from lenet_desktop.core.history import ModelHistory  # noqa: E402
from lenet_desktop.core.paths import mnist_root, shipped_weights_path  # noqa: E402
from lenet_desktop.core.store import CorrectionStore  # noqa: E402
from lenet_desktop.gui.panels.training_panel import TrainingPanel  # noqa: E402
from lenet_desktop.gui.services.state import AppState  # noqa: E402
from lenet_desktop.gui.startup.app import application  # noqa: E402

TICK_MS = 20


def one_run(app, panel: TrainingPanel) -> tuple[float, int, float]:
    """(longest gap in s, ticks, run length in s) of one Train press."""
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    ended: list[object] = []
    panel.runFinished.connect(ended.append)
    panel.runFailed.connect(ended.append)
    started = time.perf_counter()
    timer.start(TICK_MS)
    if not panel.start_training():
        raise SystemExit(panel.status.text())
    while not ended:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    finished = time.perf_counter()
    timer.stop()
    panel.runFinished.disconnect(ended.append)
    panel.runFailed.disconnect(ended.append)
    moments = [started, *ticks, finished]
    return max(b - a for a, b in zip(moments, moments[1:])), len(ticks), finished - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batches", type=int, default=20, help="per epoch")
    args = parser.parse_args()
    app = application()
    with tempfile.TemporaryDirectory() as scratch:
        store = CorrectionStore(Path(scratch) / "corrections.db")
        state = AppState(load_checkpoint(shipped_weights_path()))
        panel = TrainingPanel(state, store, ModelHistory(Path(scratch) / "models"), mnist_dir=mnist_root())
        panel.show()
        panel.epochs_box.setValue(args.epochs)
        panel.batch_limit_box.setValue(args.batches)
        print(
            f"{platform.machine()}, {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.1f}, "
            f"torch {torch.__version__}, Qt platform {app.platformName()}; "
            f"{args.epochs} epochs x {args.batches} batches of {panel.batch_box.value()}, timer every {TICK_MS} ms"
        )
        for run in range(1, args.runs + 1):
            gap, ticks, seconds = one_run(app, panel)
            print(
                f"run {run}{' (loads MNIST)' if run == 1 else ''}: {seconds:.1f} s, {ticks} ticks, longest gap {gap * 1000:.0f} ms"
            )
        panel.shutdown()
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
