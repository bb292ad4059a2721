"""Every text a user can read in a widget tree, gathered the way they would come across it:
labels, buttons, tooltips, menus, tab names, window titles, table headers and cells, list items,
combo box entries, text views, chart titles and axes, and the texts drawn in graphics scenes."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)


def _menu_texts(menu: QMenu) -> list[str]:
    texts = [menu.title()]
    for action in menu.actions():
        texts += [action.text(), action.toolTip(), action.statusTip()]
        if action.menu() is not None:
            texts += _menu_texts(action.menu())
    return texts


def _model_texts(model) -> list[str]:
    """Headers, cells and their tooltips of a list or table, whatever widget shows it."""
    texts = []
    # A list model's columnCount is private in PySide6; a list has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    rows = model.rowCount(QModelIndex())
    for orientation, count in ((Qt.Orientation.Horizontal, columns), (Qt.Orientation.Vertical, rows)):
        for section in range(count):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.headerData(section, orientation, role)
                texts += [value] if isinstance(value, str) else []
    for row in range(rows):
        for column in range(columns):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(model.index(row, column), role)
                texts += [value] if isinstance(value, str) else []
    return texts


def _widget_texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.statusTip(), widget.whatsThis()]
    if widget.isWindow():
        texts.append(widget.windowTitle())
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append(widget.text())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if isinstance(widget, QLineEdit):
        texts += [widget.text(), widget.placeholderText()]
    if isinstance(widget, QPlainTextEdit):
        texts += [widget.toPlainText(), widget.placeholderText()]
    if isinstance(widget, QTextEdit):
        texts += [widget.toPlainText(), widget.placeholderText()]
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
        texts += [widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "" for i in range(widget.count())]
    if isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            texts += [widget.tabText(index), widget.tabToolTip(index)]
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        texts += _model_texts(widget.model())
    if isinstance(widget, QChartView):
        chart = widget.chart()
        texts.append(chart.title())
        texts += [axis.titleText() for axis in chart.axes()]
        texts += [series.name() for series in chart.series()]
    elif isinstance(widget, QGraphicsView) and widget.scene() is not None:
        for item in widget.scene().items():
            texts.append(item.toolTip())
            if isinstance(item, QGraphicsSimpleTextItem):
                texts.append(item.text())
    if isinstance(widget, QMainWindow):
        for action in widget.menuBar().actions():
            texts += _menu_texts(action.menu()) if action.menu() is not None else [action.text()]
    if isinstance(widget, QMenu):
        texts += _menu_texts(widget)
    return texts


def visible_texts(root: QWidget) -> list[str]:
    """The texts of `root` and every widget inside it, visible or on another tab, in a fixed order."""
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [text for text in _widget_texts(widget) if text]
    return texts
