"""What a new user meets first: the wheel scrolls a tab rather than changing its settings, and the
window never gets so small that its parts draw over each other or cut their words short."""

from __future__ import annotations

from layout_faults import clipped_texts, overlaps
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


def test_at_its_least_size_no_part_of_the_window_covers_another_or_cuts_its_text(qtbot, make_main_window):
    """At 600x400 the ten probability rows drew over each other, the network input covered "Show
    saliency" and Device the status text; at 900x600 "Eraser" showed as "E…r"."""
    window = make_main_window()
    least = window.minimumSize()
    assert least.width() <= 1280 and least.height() <= 720, "it still fits a small laptop's screen"
    window.resize(600, 400)
    qtbot.waitUntil(lambda: window.size() == least)
    bar = window.statusBar()
    assert not window.model_label.geometry().intersects(window.device_title.geometry())
    assert bar.layout() is not None, "the status bar's widgets are checked with the rest"
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert overlaps(window) == [], window.tabs.tabText(index)
        assert clipped_texts(window) == [], window.tabs.tabText(index)
