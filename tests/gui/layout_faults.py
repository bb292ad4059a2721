"""Where a laid-out window's parts draw over each other or cut their words short, found from the
widgets' own geometry: what a user sees as rows drawn over each other or "E…r" for "Eraser"."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLayout, QPushButton, QWidget

TEXT_MARGIN = 8  # px a push button's frame takes beside its text, at the least


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _laid_out(layout: QLayout) -> list[QWidget]:
    """The widgets a layout places, through its nested layouts."""
    widgets = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None:
            widgets += _laid_out(item.layout())
    return widgets


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return f"{type(widget).__name__}({text[:30]!r})"


def _placed(root: QWidget) -> list[list[QWidget]]:
    """The shown widgets of each shown layout in `root`, one list a layout."""
    groups = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.layout() is not None and _shown(widget):
            groups.append([w for w in _laid_out(widget.layout()) if _shown(w)])
    return groups


def _least(widget: QWidget) -> tuple[int, int]:
    """The size a layout must give the widget at least (Qt's qSmartMinSize, less its size policies)."""
    hint, explicit = widget.minimumSizeHint(), widget.minimumSize()
    return (explicit.width() or hint.width(), explicit.height() or hint.height())


def overlaps(root: QWidget) -> list[str]:
    """Shown widgets one layout places that intersect, or that it made smaller than their minimum."""
    found = []
    for placed in _placed(root):
        for i, first in enumerate(placed):
            for second in placed[i + 1 :]:
                if first.geometry().intersects(second.geometry()):
                    found.append(f"{_name(first)} {first.geometry()} over {_name(second)} {second.geometry()}")
            width, height = _least(first)
            if first.width() < width or first.height() < height:
                found.append(f"{_name(first)} {first.size()} below its minimum {width}x{height}")
    return found


def clipped_texts(root: QWidget) -> list[str]:
    """Labels and buttons a layout places narrower (or, wrapped, shorter) than their text needs."""
    found = []
    for placed in _placed(root):
        for widget in placed:
            if not isinstance(widget, (QLabel, QAbstractButton)) or not widget.text():
                continue
            if isinstance(widget, QLabel) and widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height():
                    found.append(f"{_name(widget)} {widget.size()} needs {needed} px high")
            else:
                needed = widget.sizeHint().width()
                if isinstance(widget, QPushButton):  # its hint is the style's least button width, not its text's
                    needed = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", "")) + TEXT_MARGIN
                if needed > widget.width():
                    found.append(f"{_name(widget)} {widget.size()} needs {needed} px wide")
    return found
