"""Run as a child process by test_mid_stroke.py: replace the drawing while the mouse is still pressed,
in every way the window offers (Esc, Ctrl+V, Open, drop). Before the fix this killed the process
(`QPaintDevice: Cannot destroy paint device that is being painted`, exit 139), so it cannot run
inside pytest. Exits 0 only when each way survived and the history is what the user saw."""

from __future__ import annotations

import sys

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.gui.devtools.replay import move, press_and_move, release
from lenet_desktop.gui.main_window import MainWindow
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.widgets.canvas import RENDER_SIZE, array_from_image, render_document


def drop(window: MainWindow, image_path: str) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(image_path)])
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(
        window.canvas, QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    )
    QApplication.sendEvent(
        window.canvas, QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, modifiers)
    )


def main(settings_path: str, image_path: str) -> int:
    app = QApplication([])
    window = MainWindow(
        AppState(load_checkpoint(shipped_weights_path())), QSettings(settings_path, QSettings.Format.IniFormat)
    )
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    QApplication.clipboard().setImage(QImage(image_path))
    canvas = window.canvas
    used = []
    window.imageUsed.connect(used.append)
    ways = {
        "Esc": lambda: QTest.keyClick(window, Qt.Key.Key_Escape),
        "Ctrl+V": lambda: QTest.keyClick(window, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier),
        "open": lambda: window.open_image(image_path),
        "drop": lambda: drop(window, image_path),
    }
    for name, replace_drawing in ways.items():
        canvas.clear()
        press_and_move(canvas, [(0.2, 0.2), (0.5, 0.6)])
        before = len(canvas.document.strokes)
        replace_drawing()
        move(canvas, (0.8, 0.8))  # the pen goes on moving: the stroke has ended, nothing is drawn
        release(canvas, (0.8, 0.8))
        app.processEvents()
        while name != "Esc" and not used:  # the image is read off the window's thread
            app.processEvents()
        used.clear()
        expected = array_from_image(render_document(canvas.document, RENDER_SIZE, QImage.Format.Format_Grayscale8))
        assert np.array_equal(canvas.drawing(), expected), f"{name}: the drawing shown is its document"
        assert (name == "Esc") == canvas.blank, f"{name}: the replacement is shown"
        canvas.undo()  # back to the interrupted stroke, kept in the history
        assert len(canvas.document.strokes) == before + 1 and not canvas.blank, f"{name}: undo brings the stroke back"
        print(f"survived {name}", flush=True)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
