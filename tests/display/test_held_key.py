"""A digit key held down on a real X server saves one correction, and keeps it.

X repeats a held key: held 1.5 s, a 1 arrived as a press and some twenty repeats, which counted as
more keys and turned the correction the first had saved back into a number typed; after Esc nothing
was stored, though the window had said "Saved correction #1". Offscreen, Qt sends no repeats: this
runs the window on Xvfb (Qt's xcb platform) and holds the key with real X input (xdotool).
"""

import textwrap
from pathlib import Path

import pytest
from real_display import run_child_on_xvfb

pytestmark = pytest.mark.display

HOLD = textwrap.dedent(
    """
    import json, subprocess, sys
    sys.path.insert(0, sys.argv[2])  # the tests' folder, for digit_strokes
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from digit_strokes import DIGITS
    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.core.paths import shipped_weights_path, user_data_dir
    from lenet_desktop.core.store import CorrectionStore, default_store_path
    from lenet_desktop.gui.devtools.replay import draw_strokes
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.services.state import AppState
    from lenet_desktop.gui.startup.app import application

    app = application()
    window = MainWindow(AppState(load_checkpoint(shipped_weights_path())), QSettings(sys.argv[1], QSettings.Format.IniFormat))
    window.show()
    window.activateWindow()
    repeats = []

    class Repeats(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.KeyPress and event.isAutoRepeat() and watched is window.canvas:
                repeats.append(event.key())
            return False

    counter = Repeats()
    app.installEventFilter(counter)
    keys = None

    def hold():
        global keys
        draw_strokes(window.canvas, DIGITS[1][0])
        window.canvas.setFocus()
        keys = subprocess.Popen(["xdotool", "keydown", "1", "sleep", "1.5", "keyup", "1", "sleep", "0.3", "key", "Escape"])
        QTimer.singleShot(100, finished)

    def finished():
        if keys.poll() is None:
            QTimer.singleShot(100, finished)
            return
        QTimer.singleShot(500, report)  # the last keys X delivered are handled

    def report():
        with CorrectionStore(default_store_path(user_data_dir())) as store:
            labels = [c.label for c in store.all()]
        print(json.dumps({"labels": labels, "repeats": len(repeats), "said": window.statusBar().currentMessage()}))
        window.close_without_asking()
        app.quit()

    QTimer.singleShot(1500, hold)  # once the window is mapped and the model has answered
    QTimer.singleShot(60_000, lambda: app.exit(3))
    sys.exit(app.exec())
    """
)


def test_a_digit_key_held_on_a_real_display_saves_one_correction_that_stays(tmp_path):
    held = run_child_on_xvfb(HOLD, tmp_path, str(tmp_path / "settings.ini"), str(Path(__file__).parents[1]))
    assert held["repeats"] > 0, "X repeated the held key"
    assert held["labels"] == [1], held
    assert held["said"].startswith("Saved correction #1 as 1"), held
