"""A panel's status line: what it last said, said again in a new language, red for an error. Plain
text: what it says quotes file names and the reasons that name them (plain_text.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from lenet_desktop.gui.services.language import Retranslated

ERROR_STYLE = "color: #b91c1c;"


class StatusLabel(Retranslated, QLabel):
    """Say a message with `say(lambda: self.tr(...))`: a function, so that a language change makes
    the text again in the new language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)  # a panel that says markup sets RichText, and escapes
        self._text: Callable[[], str] = lambda: ""

    def say(self, text: Callable[[], str], error: bool = False) -> None:
        self._text = text
        self.setText(text())
        self.setStyleSheet(ERROR_STYLE if error else "")

    def refresh(self) -> None:
        """Make the text again: what it counts may have changed."""
        self.setText(self._text())

    def _retranslate(self) -> None:
        self.refresh()
