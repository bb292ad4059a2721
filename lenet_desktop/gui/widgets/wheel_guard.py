"""The mouse wheel scrolls a panel, not the settings in it: spin boxes, combo boxes and sliders take the
wheel only once they have the keyboard focus (a click or Tab gives it). Scrolling the Training tab over
its seed box turned the seed from 0 to 22 unnoticed.

One filter on the application covers every such widget, those of tabs and windows built later too."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class WheelGuard(QObject):
    """Installed on the application: a wheel over an unfocused guarded widget goes on to its parent
    (the scroll area around it) instead of changing the value."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(watched, GUARDED) and not watched.hasFocus():
            event.ignore()  # not accepted: Qt offers it to the parent, which scrolls
            return True
        if (
            kind == QEvent.Type.Polish
            and isinstance(watched, GUARDED)
            and watched.focusPolicy() == Qt.FocusPolicy.WheelFocus
        ):
            # Qt gives a WheelFocus widget the focus on a wheel event before any filter sees it.
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return False


def guard_wheel(owner: QWidget) -> WheelGuard:
    """Install the guard on the application for as long as `owner` lives."""
    guard = WheelGuard(owner)
    QApplication.instance().installEventFilter(guard)
    return guard
