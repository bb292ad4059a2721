"""The Corrections tab: the bar that saves the drawing as a correction, with the digit keys active in
all of the window, and the browser of every correction; or, when the store cannot be opened, why not
(the digit keys then say it too)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from lenet_desktop.core.errors import Told
from lenet_desktop.core.store import CorrectionStore, StoreError
from lenet_desktop.gui.panels.correction_bar import CorrectionBar, DigitKeys
from lenet_desktop.gui.panels.corrections_browser import CorrectionsBrowser
from lenet_desktop.gui.services.language import error_text, fill, told_text
from lenet_desktop.gui.services.state import AppState, ObservedCorrections
from lenet_desktop.gui.widgets.status_label import StatusLabel


class CorrectionsPanel(QWidget):
    """Opens the store with `open_store`; `store` is None when it could not be opened."""

    # What a key or button did (saved, or why not), for the window to show whatever tab is open.
    said = Signal(str)

    def __init__(
        self,
        state: AppState,
        open_store: Callable[[], CorrectionStore],
        shortcut_host: QWidget,
        read_drawing: Callable[[], np.ndarray | None],
        read_strokes: Callable[[], Sequence[np.ndarray] | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.browser: CorrectionsBrowser | None = None
        layout = QVBoxLayout(self)
        try:
            self.store: CorrectionStore | None = open_store()
        except StoreError as error:
            self.store = None
            failure = error  # told when shown, and again in a new language

            def reason() -> str:
                return fill(
                    QCoreApplication.translate("CorrectionBar", "Corrections cannot be saved: %1"), error_text(failure)
                )

            problem = StatusLabel()
            problem.say(reason, error=True)
            layout.addWidget(problem)
            # The digit keys still answer, with the reason, rather than doing nothing at all.
            DigitKeys(problem, shortcut_host, lambda _digit: self.said.emit(reason()))
        # What opening the store had to say (recovered, read-only), kept on this tab; not `store and`:
        # an empty store is falsy.
        self.told: Told | None = self.store.recovered or self.store.read_only if self.store is not None else None
        if self.told is not None:
            told = self.told
            recovered = StatusLabel()
            recovered.say(lambda: told_text(told))
            layout.addWidget(recovered)
        self.corrections: ObservedCorrections | None = None  # the store, for whatever else adds corrections
        if self.store is not None:
            corrections = self.corrections = ObservedCorrections(self.store, self)
            bar = CorrectionBar(
                state, corrections, shortcut_host=shortcut_host, read_drawing=read_drawing, read_strokes=read_strokes
            )
            bar.said.connect(self.said)
            self.browser = CorrectionsBrowser(corrections, state)
            self.browser.changed.connect(bar.recount)
            layout.addWidget(bar)
            layout.addWidget(self.browser, 1)

    def shutdown(self) -> None:
        """Stop an import and wait for its thread: the window is closing."""
        if self.browser is not None:
            self.browser.shutdown()
