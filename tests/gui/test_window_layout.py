"""What a new user meets first: the wheel scrolls a tab rather than changing its settings, and the
window never gets so small that its parts draw over each other or cut their words short."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication


def wheel(widget, steps: int = 3) -> QWheelEvent:
    """A real wheel turn over the middle of `widget`, sent to it as Qt delivers it; returns the event."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)
    return event


def test_the_wheel_over_an_unfocused_setting_leaves_it_and_scrolls_the_tab(qtbot, make_main_window):
    window = make_main_window()
    panel = window.training_panel
    window.tabs.setCurrentWidget(panel)
    seed, optimizer = panel.seed_box, panel.optimizer_box
    qtbot.waitExposed(seed)
    window.canvas.setFocus()
    chosen = optimizer.currentIndex()

    turned = wheel(seed)
    wheel(optimizer)
    assert seed.value() == 0 and optimizer.currentIndex() == chosen
    assert not turned.isAccepted(), "left for the scroll area around the tab"
    assert seed.focusPolicy() == Qt.FocusPolicy.StrongFocus, "the wheel does not give it the focus either"
    assert window.width_slider.focusPolicy() != Qt.FocusPolicy.WheelFocus

    seed.setFocus()
    qtbot.waitUntil(seed.hasFocus)
    wheel(seed)
    assert seed.value() == 3, "once focused, the wheel sets it"
