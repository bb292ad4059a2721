"""Every mouse move X delivered is in the stroke, even while another thread holds the GIL.

In the window's first seconds the engine loader imports torch and holds the GIL for long stretches;
the GUI thread waits, X queues the moves, and Qt on X11 merged the queued moves into the last one, so a
stroke drawn then came out as a few straight segments. Offscreen events arrive one by one and never
merge: this runs a real process on Xvfb (Qt's xcb platform), drags with real X input (xdotool), and
keeps a thread busy holding the GIL meanwhile.
"""

import textwrap

import pytest
from real_display import run_child_on_xvfb

pytestmark = pytest.mark.display

DRAG = textwrap.dedent(
    """
    import json, subprocess, sys, threading
    from PySide6.QtCore import QTimer
    from lenet_desktop.gui.startup.app import application
    from lenet_desktop.gui.widgets.canvas import DrawingCanvas

    app = application()
    canvas = DrawingCanvas()
    canvas.resize(400, 400)
    canvas.show()
    done = threading.Event()

    def hold_the_gil():
        while not done.is_set():
            sum(range(3_000_000))  # one C call of tens of ms: the GIL is handed over only between calls

    # A zigzag of distinct points 4 px apart, in the canvas's own pixels.
    sent = [(40 + 4 * i, 150 + 60 * (i % 2)) for i in range(80)]

    def drag():
        threading.Thread(target=hold_the_gil, daemon=True).start()
        command = ["xdotool"]
        for index, (x, y) in enumerate(sent):
            where = canvas.mapToGlobal(canvas.rect().topLeft())
            command += ["mousemove", str(where.x() + x), str(where.y() + y)]
            command += ["mousedown", "1"] if index == 0 else ["sleep", "0.005"]
        subprocess.Popen(command + ["mouseup", "1"])

    def finished():
        done.set()
        area = canvas.drawing_rect()
        stroke = canvas.document.strokes[-1]
        got = [(round(area.x() + x * area.height()), round(area.y() + y * area.height())) for x, y, _ in stroke.points]
        print(json.dumps({"sent": sent, "got": got}))
        app.quit()

    canvas.strokeFinished.connect(finished)
    QTimer.singleShot(500, drag)  # once the window is mapped
    QTimer.singleShot(60_000, lambda: app.exit(3))
    sys.exit(app.exec())
    """
)


def test_a_stroke_drawn_while_a_thread_holds_the_gil_keeps_every_point(tmp_path):
    drawn = run_child_on_xvfb(DRAG, tmp_path)
    assert drawn["got"] == drawn["sent"]
