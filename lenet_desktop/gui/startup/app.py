"""Start the window: the QApplication, the main window, and the model to begin with.

The window shows first, before torch is imported (about 2 s on the 2-core machine); the model loads in
a thread meanwhile and the window takes it when it arrives. Ink drawn before then is predicted at once.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QApplication

from lenet_desktop.core.errors import first_line
from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.gui.main_window import DEVICE, MODEL_PATH, MainWindow
from lenet_desktop.gui.services.language import error_text, fill, install_remembered_language
from lenet_desktop.gui.services.state import AppState
from lenet_desktop.gui.startup.crash_report import install_crash_reporter
from lenet_desktop.gui.startup.interrupt import quit_on_interrupt
from lenet_desktop.gui.startup.platform_check import require_platform
from lenet_desktop.gui.startup.shown_log import attach_shown_log
from lenet_desktop.gui.startup.startup_trace import READY, trace, trace_first_paint

if TYPE_CHECKING:
    from lenet_desktop.core.model import Classifier

ORGANIZATION = "lenet-desktop"
APPLICATION = "LeNet Desktop"


class StartupError(Exception):
    """What the user asked for on the command line cannot be used; one line."""


@dataclass
class StartupModel:
    classifier: Classifier
    path: Path | None  # None: the shipped weights
    warnings: list[str]


def load_startup_model(weights: Path | None, device_spec: str | None, settings: QSettings) -> StartupModel:
    """The command line wins over what was remembered; a remembered model or device that no longer
    works falls back to the shipped weights or the automatic device, with a warning."""
    from lenet_desktop.core.active_model import load_active_model, remember_model
    from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint
    from lenet_desktop.core.device import DeviceError, resolve_device
    from lenet_desktop.core.paths import is_shipped_weights

    warnings: list[str] = []
    if device_spec:
        try:
            device = resolve_device(device_spec)
        except DeviceError as error:
            raise StartupError(str(error)) from None  # for the terminal: the CLI's English
    else:
        remembered = settings.value(DEVICE)
        try:
            device = resolve_device(str(remembered) if remembered else "auto")
        except DeviceError as error:
            warnings.append(
                fill(
                    QCoreApplication.translate("StartupModel", "%1; using %2 instead"),
                    error_text(error),
                    resolve_device("auto"),
                )
            )
            device = resolve_device("auto")
    if weights is not None:
        try:
            classifier = load_checkpoint(weights, device)
        except CheckpointError as error:
            raise StartupError(str(error)) from None  # for the terminal: the CLI's English
        return StartupModel(classifier, None if is_shipped_weights(weights) else Path(weights).resolve(), warnings)
    _take_over_remembered_model(settings)
    active = load_active_model(device)
    if active.fallback is not None:
        warnings.append(
            fill(
                QCoreApplication.translate(
                    "StartupModel", "the last model could not be loaded (%1); using the shipped weights"
                ),
                error_text(active.fallback),
            )
        )
        with suppress(OSError):  # a folder that cannot be written: it is told again at the next start
            remember_model(None)
    return StartupModel(active.classifier, active.path, warnings)


def _take_over_remembered_model(settings: QSettings) -> None:
    """The active model was once remembered in the window's settings: written once where the CLI
    reads it too (core.active_model), unless a newer choice is there already."""
    from lenet_desktop.core.active_model import is_remembered, remember_model

    old = settings.value(MODEL_PATH)
    if old is None:
        return
    try:
        if not is_remembered():
            remember_model(Path(str(old)) if old else None)
    except OSError:  # kept in the settings, to try again at the next start
        return
    settings.remove(MODEL_PATH)


def warm_up_optimizers() -> None:
    """torch.optim's first use imports torch._dynamo (about 1 s). Done in the background once the window
    has its model, the first training run or Inspector update does not stall on it; make_optimizer's
    lock keeps a first use that comes sooner from importing it at the same time (seen to fail)."""
    import torch

    from lenet_desktop.core.optimizers import make_optimizer

    make_optimizer("sgd", [torch.zeros(1, requires_grad=True)])


class EngineLoader(QObject):
    """Loads torch, the views built on it and the start-up model in a thread, then the modules of the
    other tabs; the results arrive on the GUI thread as signals. Plain threads: the jobs hold no Qt
    objects and need no event loop."""

    loaded = Signal(object)  # StartupModel
    tabs_imported = Signal()  # MainWindow.build_tabs will find its modules imported
    failed = Signal(str)  # one line: what the command line asked for cannot be used

    def __init__(self, weights: Path | None, device_spec: str | None) -> None:
        super().__init__()
        self._weights = weights
        self._device_spec = device_spec

    def start(self) -> None:
        self._start(self._load, "engine loader")

    def warm_up(self) -> None:
        self._start(warm_up_optimizers, "optimizer warm-up")

    def _start(self, job, name: str) -> None:
        threading.Thread(target=job, name=name, daemon=True).start()  # ended with the process (end_process)

    def _load(self) -> None:
        what = "the model"
        try:
            from lenet_desktop.gui.main_window import import_engine_views, import_tab_views

            import_engine_views()
            # Its own QSettings: one object is not to be shared between threads, but two may read the same file.
            self.loaded.emit(load_startup_model(self._weights, self._device_spec, QSettings()))
            what = "the window's tabs"
            import_tab_views()
        except StartupError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a broken install must end as one line, not a window that waits forever
            self.failed.emit(f"cannot load {what}: {type(error).__name__}: {first_line(error)}")
        else:
            self.tabs_imported.emit()


def application() -> QApplication:
    """The QApplication, made once, with the names QSettings files use and one look everywhere."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyle("Fusion")
    # On X11 Qt merges the mouse moves queued while the GUI thread waits (for the GIL, held by the
    # torch import in the first seconds) into the last one: a stroke drawn then lost its middle and
    # came out as a few straight segments. The canvas needs every move the system delivered.
    app.setAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, False)
    return app


def run_app(args) -> NoReturn:
    """Show the window until it is closed, then end the process (end_process). `args`: the parsed command
    line (lenet_desktop.cli), or None for a bare `lenet-desktop` (launch.py)."""
    require_platform()  # Qt answers a missing library or display with a core dump; say why instead
    app = application()
    install_crash_reporter(user_data_dir(), app)
    settings = QSettings()
    # The window installs it too (every window speaks the remembered language); here it comes first
    # so that what goes wrong while starting is said in that language as well.
    language_problem = install_remembered_language(settings)
    state = AppState(None)
    attach_shown_log(state)  # only where $LENET_SHOWN_LOG asks: what the real-display tests read
    # Before the loader starts: from here Ctrl-C closes the window (once the event loop runs), never raising
    # KeyboardInterrupt, which would end the program under a thread still importing torch.
    quit_on_interrupt(app, lambda: window.close_without_asking())
    # Started before the window is built: importing torch (about 2 s) is most of the wait for the first
    # prediction, and the thread releases the GIL often enough for the window to be built beside it.
    # The results arrive as queued signals, handled once the event loop runs, after the window exists.
    loader = EngineLoader(getattr(args, "weights", None), getattr(args, "device", None))

    def on_loaded(startup: StartupModel) -> None:
        if window.shut_down:  # closed while it loaded, in the same pass of the event loop: nothing more to show
            return
        state.set_classifier(startup.classifier, startup.path)
        trace(READY)
        problems = startup.warnings + ([language_problem] if language_problem else [])
        if problems:
            window.show_error(
                QCoreApplication.translate("StartupModel", "Starting with the defaults"), "; ".join(problems)
            )

    def on_failed(message: str) -> None:
        print(f"lenet-desktop: error: {message}", file=sys.stderr)
        app.exit(2)
        window.close_without_asking()  # the one shutdown path: the predictor's thread, if it started, stops

    def on_tabs_imported() -> None:
        if window.shut_down:  # as above; the warm-up too would only delay the exit
            return
        window.build_tabs()
        loader.warm_up()

    loader.loaded.connect(on_loaded)
    loader.tabs_imported.connect(on_tabs_imported)
    loader.failed.connect(on_failed)
    loader.start()
    window = MainWindow(state, settings, tabs_later=True)
    trace_first_paint(window.canvas)
    window.show()
    end_process(app.exec())


def end_process(code: int) -> NoReturn:
    """End the program at once when the event loop has ended. The window's closeEvent has saved its
    settings and stopped every thread it started, and each correction was committed to SQLite as it
    was made: what would be left is the interpreter's own shutdown, which waited for the optimizer
    warm-up if it was still importing torch._dynamo (a thread importing torch must not meet that
    shutdown), then collected every module's objects, torch's among them. It held the process 1.7 to
    2.4 s after the window had gone; none of it is needed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
