"""A start-up warning (a remembered device or model that is gone) is said in a window-modal box when
the model arrives, whenever that is. Opened while the user is drawing, it took the mouse: the rest of
the stroke was lost, and its end too, so the stroke stayed open (Undo off) until the next click. Modality
is the window system's: offscreen or with QTest's events it cannot be seen, so this drags with real X
input (xdotool) on Xvfb.
"""

import textwrap

import pytest
from real_display import run_child_on_xvfb

pytestmark = pytest.mark.display

DRAG = textwrap.dedent(
    """
    import json, subprocess, sys
    from PySide6.QtCore import QSettings, QTimer
    from lenet_desktop.core.checkpoint import load_checkpoint
    from lenet_desktop.core.paths import shipped_weights_path
    from lenet_desktop.gui.startup.app import application
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.services.state import AppState

    app = application()
    state = AppState(None)
    window = MainWindow(state, QSettings(sys.argv[1], QSettings.Format.IniFormat), tabs_later=True)
    window.show()
    canvas = window.canvas
    classifier = load_checkpoint(shipped_weights_path())
    sent = [(60 + 5 * i, 150 + 60 * (i % 2)) for i in range(60)]  # in the canvas's own pixels
    drag = []

    def start_dragging():
        where = canvas.mapToGlobal(canvas.rect().topLeft())
        command = ["xdotool"]
        for index, (x, y) in enumerate(sent):
            command += ["mousemove", str(where.x() + x), str(where.y() + y)]
            command += ["mousedown", "1"] if index == 0 else ["sleep", "0.02"]
        drag.append(subprocess.Popen(command + ["mouseup", "1"]))
        QTimer.singleShot(100, wait_for_the_drag)

    def the_model_arrives():  # as app.py's on_loaded does, with a remembered device that is gone
        if state.classifier is None and canvas.pen_down and len(canvas.shown_document.strokes[-1].points) >= 20:
            state.set_classifier(classifier, None)
            window.show_error("Starting with the defaults", "device 'cuda:1' asked for, but CUDA is not available")

    def wait_for_the_drag():
        if drag[0].poll() is None:
            QTimer.singleShot(100, wait_for_the_drag)
            return
        QTimer.singleShot(500, report)  # the last X events handled

    def report():
        strokes = canvas.shown_document.strokes
        area = canvas.drawing_rect()
        x, y, _ = strokes[-1].points[-1]
        print(json.dumps({
            "strokes": len(strokes),
            "end": [round(area.x() + x * area.height()), round(area.y() + y * area.height())] == list(sent[-1]),
            "open": canvas.pen_down,
            "undo": canvas.can_undo,
            "model": state.classifier is not None,
            "box": window.error_box is not None and window.error_box.isVisible(),
        }))
        if window.error_box is not None:
            window.error_box.close()
        window.close()
        app.quit()

    canvas.drawingChanged.connect(the_model_arrives)
    QTimer.singleShot(500, start_dragging)  # once the window is mapped
    QTimer.singleShot(60_000, lambda: app.exit(3))
    sys.exit(app.exec())
    """
)


def test_a_start_up_warning_arriving_mid_stroke_loses_no_ink(tmp_path):
    drawn = run_child_on_xvfb(DRAG, tmp_path, str(tmp_path / "settings.ini"))
    assert drawn == {"strokes": 1, "end": True, "open": False, "undo": True, "model": True, "box": True}
