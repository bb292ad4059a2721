"""Many corrections: the window's longest event-loop stall while it starts, relabels one, deletes one,
goes back to the shipped weights and exports, with N corrections stored (each of these once re-read and
re-scored every correction on the window's thread).

Fills a real corrections database in a temporary user folder through CorrectionStore, opens the real
MainWindow offscreen with the Corrections tab in view, and times the gaps between the ticks of a
20 ms QTimer from just before each action until the window has settled.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_many_corrections.py [--corrections 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

TICK_MS = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corrections", type=int, default=10_000)
    parser.add_argument("--settle", type=float, default=4.0, help="seconds to watch after each action")
    args = parser.parse_args()
    user_dir = tempfile.mkdtemp(dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
    os.environ["LENET_USER_DIR"] = user_dir

    from digit_strokes import DIGITS, render_strokes
    from PySide6.QtCore import QItemSelectionModel, QSettings, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.core.paths import shipped_weights_path, user_data_dir
    from lenet_desktop.core.preprocess import preprocess
    from lenet_desktop.core.store import CorrectionStore, default_store_path
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
    from lenet_desktop.gui.services.state import AppState

    # Several drawings, some saved under a label the model is sure they are not (flagged).
    drawings = [(render_strokes(DIGITS[d][0]), d) for d in range(10)]
    drawings = [(drawing, label, preprocess(drawing)) for drawing, label in drawings]
    started = time.perf_counter()
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        for i in range(args.corrections):
            drawing, label, frame = drawings[i % len(drawings)]
            store.add(drawing, label if i % 7 else (label + 5) % 10, predicted=label, confidence=0.9, frame=frame)
    print(f"filled {args.corrections} corrections in {time.perf_counter() - started:.1f} s")

    _app = QApplication([])  # kept: the window needs it alive
    longest = [0.0]
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        longest[0], last[0] = max(longest[0], now - last[0]), now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()

    def stall(action) -> float:
        """The longest gap between ticks from just before `action` until `args.settle` s later."""
        QTest.qWait(200)
        last[0], longest[0] = time.monotonic(), 0.0
        QTimer.singleShot(0, action)
        QTest.qWait(int(args.settle * 1000))
        return longest[0]

    made = {}

    def start() -> None:
        window = made["window"] = MainWindow(
            AppState(load_checkpoint(shipped_weights_path())),
            QSettings(str(Path(user_dir) / "s.ini"), QSettings.Format.IniFormat),
        )
        window.show()
        window.tabs.setCurrentWidget(window.findChild(CorrectionsBrowser).parentWidget())

    results = {"start": stall(start)}
    window = made["window"]
    browser = window.findChild(CorrectionsBrowser)
    rows = browser.model.rowCount()

    def select_first() -> None:
        browser.list.selectionModel().select(browser.model.index(0), QItemSelectionModel.SelectionFlag.ClearAndSelect)

    select_first()
    results["relabel"] = stall(lambda: browser.relabel_selected(3))
    select_first()
    results["delete"] = stall(browser.delete_selected)
    results["Back to the shipped weights"] = stall(window.use_shipped_weights)
    results["export"] = stall(lambda: browser.export_to(Path(user_dir) / "export"))
    exported = browser.summary.text()
    window.close_without_asking()
    shutil.rmtree(user_dir, ignore_errors=True)
    print(f"{rows} corrections listed; after export: {exported[:80]}")
    for name, seconds in results.items():
        print(f"{name:>28}: longest stall {seconds:.2f} s")


if __name__ == "__main__":
    main()
