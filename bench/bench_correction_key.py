"""A digit key with many corrections stored: how long the window is blocked from the key press to
the Corrections tab showing the new row (each save once reloaded and decoded every thumbnail on the
GUI thread; the row is now added alone).

Builds a corrections database of N drawings in a temporary user folder, opens the real MainWindow
offscreen with the Corrections tab in view, draws a digit with real mouse events and presses its key
through Qt's event system, REPEATS times; prints the median and the worst.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_correction_key.py [--corrections 2000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corrections", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    user_dir = tempfile.mkdtemp(dir="/dev/shm" if Path("/dev/shm").is_dir() else None)
    os.environ["LENET_USER_DIR"] = user_dir

    from digit_strokes import DIGITS, render_strokes
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.core.paths import shipped_weights_path, user_data_dir
    from lenet_desktop.core.store import CorrectionStore, default_store_path
    from lenet_desktop.gui.devtools.replay import draw_strokes
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
    from lenet_desktop.gui.services.state import AppState

    with CorrectionStore(default_store_path(user_data_dir())) as store:
        drawing = render_strokes(DIGITS[4][0])
        for _ in range(args.corrections):
            store.add(drawing, 4, predicted=9, confidence=0.5)
    app = QApplication([])
    window = MainWindow(
        AppState(load_checkpoint(shipped_weights_path())),
        QSettings(str(Path(user_dir) / "s.ini"), QSettings.Format.IniFormat),
    )
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.tabs.setCurrentWidget(window.findChild(CorrectionsBrowser).parentWidget())
    times = []
    for _ in range(args.repeats):
        window.canvas.clear()
        draw_strokes(window.canvas, DIGITS[7][0])
        QTest.qWait(50)
        start = time.perf_counter()
        QTest.keyClick(window.canvas, Qt.Key.Key_7)
        app.processEvents()  # the new row laid out and painted
        times.append(time.perf_counter() - start)
    window.close_without_asking()
    print(
        f"{args.corrections} corrections: digit key blocks the window for median {statistics.median(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms ({args.repeats} presses)"
    )


if __name__ == "__main__":
    main()
