"""Text from outside the app shown as text, never as Qt rich text.

File names, weights metadata, CSV fields and the reasons that quote them come from anyone. Qt shows a
QLabel's, a QMessageBox's or a tooltip's text as rich text when Qt.mightBeRichText guesses so (a tag
near the start), and rich text loads an <img src="..."> by reading that file on the window's thread:
a FIFO freezes the window for good, /dev/zero makes it abort. So every widget that can hold such text
is set to plain text here, and where the surrounding text is our own markup (`Model <b>%1</b>`), the
outside values are escaped into it (language.markup_fill).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtText  # QtGui's Qt adds mightBeRichText and convertFromPlainText
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def escaped(text: object) -> str:
    """`text` as markup that shows it as it is."""
    return html.escape(str(text), quote=False)


def plain_tooltip(text: str) -> str:
    """A tooltip that shows `text` as it is. Qt shows a tooltip as rich text when Qt.mightBeRichText
    says so: such text goes as escaped markup instead; any other goes unchanged."""
    if not QtText.mightBeRichText(text):
        return text
    return QtText.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def plain_label(label: QLabel | None = None) -> QLabel:
    """`label` (or a new QLabel) set to show its text as plain text, whatever it holds."""
    label = QLabel() if label is None else label
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_message_box(
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    parent: QWidget | None = None,
) -> QMessageBox:
    """A QMessageBox whose text, a reason that may quote a file name, shows as plain text."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
