"""The last line of defence: an exception that nothing else caught, in a slot of the window or in a
worker thread, is written with its traceback to a log file in the user folder and shown in one
message box, instead of reaching only stderr (which a windowed app may not have) or aborting."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox

from lenet_desktop.core.errors import first_line
from lenet_desktop.gui.services.plain_text import plain_message_box

LOG_NAME = "errors.log"


class CrashReporter(QObject):
    """Installed once for the whole process by install_crash_reporter()."""

    _caught = Signal(str)  # from any thread to the GUI thread, where the box may be made

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = Path(log_path)
        self.box: QMessageBox | None = None
        self._caught.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.report
        threading.excepthook = lambda args: self.report(args.exc_type, args.exc_value, args.exc_traceback)

    def report(self, kind, error, trace) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        text = "".join(traceback.format_exception(kind, error, trace))
        sys.stderr.write(text)
        try:  # the hook itself must never raise: a full or read-only disk loses the log, not the app
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(f"--- {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n{text}")
        except OSError:
            pass
        self._caught.emit(f"{kind.__name__}: {first_line(error) if error is not None else ''}")

    def _show(self, summary: str) -> None:
        if self.box is not None and self.box.isVisible():
            return  # one box, however many errors follow the first
        self.box = plain_message_box(  # the error's line may quote a file name
            QMessageBox.Icon.Critical,
            self.tr("Something went wrong"),
            self.tr(
                "An unexpected error: {summary}. The details are in {log}. Your drawing and saved work are kept."
            ).format(
                summary=summary,
                log=self.log_path,
            ),
        )
        self.box.open()


def install_crash_reporter(user_dir: Path, parent: QObject | None = None) -> CrashReporter:
    reporter = CrashReporter(Path(user_dir) / LOG_NAME, parent)
    reporter.install()
    return reporter
