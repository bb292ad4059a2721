"""Start the window: the QApplication, the model to begin with, the main window."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import torch
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint
from lenet_desktop.core.device import DeviceError, resolve_device
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.optimizers import make_optimizer
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.gui.main_window import DEVICE, MODEL_PATH, MainWindow
from lenet_desktop.gui.startup_trace import READY, trace, trace_first_paint
from lenet_desktop.gui.state import AppState

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
    warnings: list[str] = []
    if device_spec:
        try:
            device = resolve_device(device_spec)
        except DeviceError as error:
            raise StartupError(str(error)) from None
    else:
        remembered = settings.value(DEVICE)
        try:
            device = resolve_device(str(remembered) if remembered else "auto")
        except DeviceError as error:
            warnings.append(f"{error}; using {resolve_device('auto')} instead")
            device = resolve_device("auto")
    if weights is not None:
        try:
            return StartupModel(load_checkpoint(weights, device), Path(weights).resolve(), warnings)
        except CheckpointError as error:
            raise StartupError(str(error)) from None
    remembered_model = settings.value(MODEL_PATH)
    if remembered_model:
        try:
            return StartupModel(load_checkpoint(Path(str(remembered_model)), device), Path(str(remembered_model)), warnings)
        except CheckpointError as error:
            warnings.append(f"the last model could not be loaded ({error}); using the shipped weights")
            settings.remove(MODEL_PATH)
    return StartupModel(load_checkpoint(shipped_weights_path(), device), None, warnings)


def application() -> QApplication:
    """The QApplication, made once, with the names QSettings files use and one look everywhere."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setStyle("Fusion")
    return app


def run_app(args) -> int:
    app = application()
    settings = QSettings()
    try:
        startup = load_startup_model(getattr(args, "weights", None), getattr(args, "device", None), settings)
    except StartupError as error:
        print(f"lenet-desktop: error: {error}", file=sys.stderr)
        return 2
    # torch.optim's first use imports torch._dynamo (about 1 s). Done here, on the main thread before
    # any worker starts, two threads never import it at once (seen to fail), and the Inspector's or
    # the trainer's first step does not stall.
    make_optimizer("sgd", [torch.zeros(1, requires_grad=True)])
    state = AppState(startup.classifier, startup.path)
    window = MainWindow(state, settings)
    trace(READY)  # the model is loaded before the window is made
    trace_first_paint(window.canvas)
    window.show()
    if startup.warnings:
        window.show_error("Starting with the defaults", "; ".join(startup.warnings))
    return app.exec()
