"""`lenet-desktop --self-test`: proof that an install (above all a PyInstaller bundle) works end to end.

On the offscreen platform it loads the weights, recognises a shipped sample drawing through the core,
opens the main window, lets the window recognise the same sample, and closes it again. It prints one
JSON line saying what it found and exits 0 only if every step worked and both answers are right.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

from lenet_desktop import __version__
from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.images import load_image
from lenet_desktop.core.paths import resource_path, resources_dir, shipped_weights_path
from lenet_desktop.core.predict import recognise

SAMPLE_DIGIT = 7
WAIT_SECONDS = 30.0


class SelfTestFailure(Exception):
    """One step of the self-test did not do what it should; the message says which."""


def run_self_test(args) -> int:
    started = time.perf_counter()
    report: dict[str, object] = {
        "self_test": "failed",
        "version": __version__,
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,  # None: a CPU-only torch
        "cuda_available": torch.cuda.is_available(),
        "frozen": bool(getattr(sys, "frozen", False)),
    }
    try:
        _check(report, args, started)
    except Exception as error:  # any failure at all must end as the one JSON line, not a traceback
        text = str(error).strip()
        report["error"] = f"{type(error).__name__}: {text.splitlines()[0] if text else ''}".rstrip(": ")
        print(json.dumps(report), flush=True)
        return 1
    report["self_test"] = "passed"
    print(json.dumps(report), flush=True)
    return 0


def _check(report: dict[str, object], args, started: float) -> None:
    device = resolve_device(args.device or "auto")
    report["device"] = str(device)
    report["resources"] = str(resources_dir())  # inside the bundle when frozen: proof it finds its own files
    classifier = load_checkpoint(args.weights or shipped_weights_path(), device)
    sample = resource_path(f"samples/digit_{SAMPLE_DIGIT}.png")
    report["sample"] = sample.name
    report["expected"] = SAMPLE_DIGIT

    prediction = recognise(classifier, load_image(sample))
    report["digit"] = None if prediction is None else prediction.digit
    if prediction is None or prediction.digit != SAMPLE_DIGIT:
        raise SelfTestFailure(f"the core read {sample.name} as {report['digit']}")

    report["window_digit"], report["window_shown_s"] = _window_reads(classifier, sample, started)
    if report["window_digit"] != SAMPLE_DIGIT:
        raise SelfTestFailure(f"the window read {sample.name} as {report['window_digit']}")


def _window_reads(classifier, sample: Path, started: float) -> tuple[int | None, float]:
    """Open the main window, let it recognise `sample` as a user's opened image, close it.

    Returns the window's digit and the seconds from the self-test's start until the window was shown."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # only read when the QApplication is created below
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from lenet_desktop.core.paths import USER_DIR_VARIABLE
    from lenet_desktop.gui.main_window import MainWindow
    from lenet_desktop.gui.state import AppState

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="lenet-self-test-") as scratch:
        # Throwaway settings and user folder: a self-test must neither read nor change what the user's
        # window remembers, nor their corrections and kept models, which the window's tabs open.
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        os.environ[USER_DIR_VARIABLE] = scratch
        state = AppState(classifier)
        window = MainWindow(state, settings)
        window.show()
        _wait_for(app, lambda: window.windowHandle() is not None and window.windowHandle().isExposed(), "the window to show")
        shown = time.perf_counter() - started

        predictions = []
        state.predictionChanged.connect(predictions.append)
        if not window.open_image(sample):
            raise SelfTestFailure(f"the window could not open {sample.name}")
        _wait_for(app, lambda: any(p is not None for p in predictions), "the window's prediction")
        window_digit = next(p for p in predictions if p is not None).digit

        window.close()
        _wait_for(app, lambda: not window.isVisible(), "the window to close")
        window.deleteLater()
        app.processEvents()
    return window_digit, round(shown, 3)


def _wait_for(app, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise SelfTestFailure(f"timed out after {WAIT_SECONDS:.0f} s waiting for {what}")
        app.processEvents()
        time.sleep(0.005)
