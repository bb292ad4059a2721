"""`python -m lenet_desktop.gui.devtools.screenshot docs/screenshot.png [LANGUAGE] [number|enrolment]`: the real
window on the offscreen platform, in English or another language (vi), a digit (or with `number`, the
number 2026) drawn through the same mouse events a person's hand makes, saved as a PNG. With `enrolment`,
the "Teach it my handwriting" dialog instead, the 5 it asks for first written on its canvas."""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from pathlib import Path

WINDOW_SIZE = (1440, 860)
ENROLMENT_SEED = 3  # its shuffled order asks for a 5 first


def _handwritten_five() -> list[list[tuple[float, float]]]:
    """A slightly slanted 5: the down stroke and belly in one go, then the flag."""
    down = [(0.36 + 0.02 * t, 0.2 + 0.26 * t) for t in (i / 10 for i in range(11))]
    belly = [
        (0.5 + 0.22 * math.cos(a), 0.62 + 0.2 * math.sin(a))
        for a in (math.radians(-130 + 270 * i / 30) for i in range(31))
    ]
    flag = [(0.37 + 0.34 * t, 0.2 - 0.02 * t) for t in (i / 8 for i in range(9))]
    return [down + belly, flag]


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, end: float, steps: int = 24
) -> list[tuple[float, float]]:
    return [
        (
            cx + rx * math.cos(math.radians(start + (end - start) * i / steps)),
            cy + ry * math.sin(math.radians(start + (end - start) * i / steps)),
        )
        for i in range(steps + 1)
    ]


def _handwritten_2026() -> list[list[tuple[float, float]]]:
    """2026 written left to right, each digit about a third of the area's height (x, y in heights)."""

    def two(left: float) -> list[tuple[float, float]]:
        return (
            _arc(left + 0.22, 0.33, 0.17, 0.15, 200, 365, 16)
            + [(left + 0.1 + 0.28 * (1 - t), 0.42 + 0.4 * t) for t in (i / 8 for i in range(1, 9))]
            + [(left + 0.1 + 0.32 * t, 0.82 - 0.01 * t) for t in (i / 6 for i in range(1, 7))]
        )

    zero = _arc(0.77, 0.5, 0.16, 0.32, -95, 268, 40)
    six = [(1.9 - 0.22 * t, 0.17 + 0.42 * t) for t in (i / 10 for i in range(11))] + _arc(
        1.82, 0.66, 0.15, 0.16, 180, 530, 30
    )
    # Written at less than half that size (with a thinner pen), the number fits the square the window opens with.
    return [[(0.03 + 0.44 * x, 0.27 + 0.44 * y) for x, y in stroke] for stroke in (two(0.0), zero, two(0.98), six)]


def take_screenshot(path: Path, language: str = "en", shot: str = "digit") -> None:
    """`shot`: "digit", "number" or "enrolment"."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.core.paths import USER_DIR_VARIABLE, shipped_weights_path
    from lenet_desktop.gui.devtools.replay import draw_strokes
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.services.language import LANGUAGE
    from lenet_desktop.gui.services.state import AppState
    from lenet_desktop.gui.startup.app import application

    app = application()
    with tempfile.TemporaryDirectory() as scratch:  # the developer's settings and corrections stay untouched
        os.environ[USER_DIR_VARIABLE] = scratch
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue(LANGUAGE, language)
        window = MainWindow(AppState(load_checkpoint(shipped_weights_path())), settings)
        window.resize(*WINDOW_SIZE)
        window.show()
        app.processEvents()
        shown = window
        if shot == "enrolment":
            from lenet_desktop.gui.panels.enrolment import EnrolmentDialog

            panel = window.training_panel
            shown = EnrolmentDialog(
                window.state,
                window.corrections_panel.corrections,
                panel.history,
                panel.mnist_splits,
                window,
                ENROLMENT_SEED,
            )
            shown.show()
            app.processEvents()
            draw_strokes(shown.canvas, _handwritten_five())  # grabbed long before the pause moves it on
        else:
            if shot == "number":
                window.width_slider.setValue(10)
            draw_strokes(window.canvas, _handwritten_2026() if shot == "number" else _handwritten_five())
            deadline = time.monotonic() + 10
            while window.predictor.busy and time.monotonic() < deadline:
                app.processEvents()
        app.processEvents()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not shown.grab().save(str(path)):
            raise OSError(f"could not write {path}")
        window.close_without_asking()


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("docs/screenshot.png")
    take_screenshot(path, *argv[1:2], *argv[2:3])
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
