"""`lenet-desktop --self-test`: proof that an install (above all a PyInstaller bundle) works end to end.

It checks, in order, every part a user relies on, and names the first that fails:
- preprocessing: a shipped sample drawing becomes a 32x32 frame with its digit centred as in MNIST;
- engine: the weights load and read that frame as its digit;
- mnist files: torchvision reads four tiny IDX files in MNIST's layout, written here from the shipped sample
  drawings 0..9 (through the one preprocess; no MNIST data is shipped), and the engine reads them;
- training step: one step of the core's training loop changes the weights and lowers the loss;
- corrections store: a correction is saved to a database in a temporary folder and read back unchanged;
- qt platform: the platform plugin the window will use (from the environment) finds all its libraries;
- translations: every shipped translation loads;
- window: the main window opens offscreen, reads the sample as a user's opened image, and closes.
It prints one JSON line saying what it found and exits 0 only if every part worked.
"""

from __future__ import annotations

import copy
import json
import os
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from lenet_desktop import __version__
from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.data import IMAGES_MAGIC, LABELS_MAGIC, MNIST_FILES, LabelledImages, load_mnist
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.errors import first_line
from lenet_desktop.core.images import load_image
from lenet_desktop.core.measure import predict_labels
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.paths import resource_path, resources_dir, shipped_weights_path
from lenet_desktop.core.predict import predict_frame
from lenet_desktop.core.preprocess import DIGIT_BOX, MNIST_CENTRE, preprocess
from lenet_desktop.core.store import CorrectionStore, encode_png
from lenet_desktop.core.train import TrainConfig, fit, fresh_net, loss_function
from lenet_desktop.gui.startup.platform_check import platform_candidates, plugin_file, unloadable

SAMPLE_DIGIT = 7
WAIT_SECONDS = 30.0


class SelfTestFailure(Exception):
    """One part of the self-test did not do what it should; the message says what."""


class PartFailed(Exception):
    def __init__(self, part: str, error: BaseException) -> None:
        super().__init__(f"{part}: {first_line(error)}")
        self.part = part


def run_self_test(args) -> int:
    started = time.perf_counter()
    report: dict[str, object] = {
        "self_test": "failed",
        "version": __version__,
        "torch": torch.__version__,
        "torch_cuda": torch.version.cuda,  # None: a CPU-only torch
        "cuda_available": torch.cuda.is_available(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "passed": [],
    }
    try:
        _check(report, args, started)
    except PartFailed as failure:
        report["failed_part"] = failure.part
        report["error"] = str(failure)
        print(json.dumps(report), flush=True)
        return 1
    except Exception as error:  # any failure at all must end as the one JSON line, not a traceback
        report["error"] = f"{type(error).__name__}: {first_line(error)}"
        print(json.dumps(report), flush=True)
        return 1
    report["self_test"] = "passed"
    print(json.dumps(report), flush=True)
    return 0


def _check(report: dict[str, object], args, started: float) -> None:
    def part(name: str, check: Callable[[], object]):
        try:
            result = check()
        except Exception as error:  # whatever broke, the user learns which part
            raise PartFailed(name, error) from None
        report["passed"].append(name)
        return result

    report["resources"] = str(resources_dir())  # inside the bundle when frozen: proof it finds its own files
    sample = resource_path(f"samples/digit_{SAMPLE_DIGIT}.png")
    report["sample"] = sample.name
    report["expected"] = SAMPLE_DIGIT
    frame = part("preprocessing", lambda: _preprocessing(sample))
    classifier = part("engine", lambda: _engine(report, args, frame))
    train_set = part("mnist files", lambda: _mnist_files(classifier))
    part("training step", lambda: _training_step(classifier, train_set))
    part("corrections store", lambda: _corrections_store(classifier, sample, frame))
    part("qt platform", lambda: _qt_platform(report))
    part("translations", lambda: _translations(report))
    part("window", lambda: _window(report, classifier, sample, started))


def _preprocessing(sample: Path) -> np.ndarray:
    frame = preprocess(load_image(sample))
    if frame is None:
        raise SelfTestFailure(f"found no digit in {sample.name}")
    if frame.shape != (32, 32) or not np.isfinite(frame).all() or frame.min() < 0 or frame.max() > 1:
        raise SelfTestFailure(f"{sample.name} gave a frame of shape {frame.shape} outside 0..1")
    inked = np.argwhere(frame > 0.5)
    extent = inked.max(axis=0) - inked.min(axis=0) + 1 if len(inked) else np.zeros(2, dtype=int)
    centre = (np.argwhere(frame > 0) * frame[frame > 0][:, None]).sum(axis=0) / max(float(frame.sum()), 1e-9)
    coverage = len(inked) / max(int(extent.prod()), 1)
    # MNIST's digits fill 20 px on their longer side around their centre of mass, and their strokes
    # cover 20 to 50 % of their box (the tiny MNIST shipped here: 22 to 46 %); a blot covers it all.
    if (
        extent.max() < DIGIT_BOX - 2
        or extent.max() > DIGIT_BOX
        or np.abs(centre - MNIST_CENTRE).max() > 1.5
        or coverage > 0.6
    ):
        raise SelfTestFailure(
            f"{sample.name}'s digit is {extent.max()} px tall or wide with {coverage:.0%} of it inked, centred at "
            f"{centre.round(1).tolist()}; MNIST's are {DIGIT_BOX} px strokes around {list(MNIST_CENTRE)}"
        )
    return frame


def _engine(report: dict[str, object], args, frame: np.ndarray) -> Classifier:
    device = resolve_device(args.device or "auto")
    report["device"] = str(device)
    classifier = load_checkpoint(args.weights or shipped_weights_path(), device)
    report["digit"] = predict_frame(classifier, frame).digit
    if report["digit"] != SAMPLE_DIGIT:
        raise SelfTestFailure(f"the weights read {report['sample']} as {report['digit']}")
    return classifier


def _mnist_files(classifier: Classifier) -> LabelledImages:
    with tempfile.TemporaryDirectory(prefix="lenet-self-test-") as scratch:
        root = Path(scratch)
        _write_sample_mnist(root / "MNIST" / "raw")
        test = load_mnist(root, "test", download=False)
        train = load_mnist(root, "train", download=False)
    if test.labels.tolist() != list(range(10)) or train.labels.tolist() != list(range(10)):
        raise SelfTestFailure(f"the IDX files in {root} gave the labels {test.labels.tolist()}, not 0..9")
    read = (
        predict_labels(classifier.net, test.images.to(classifier.device), classifier.normalization)
        .argmax(dim=1)
        .tolist()
    )
    if read != list(range(10)):
        raise SelfTestFailure(f"the engine read the IDX files' digits 0..9 as {read}")
    return train


def _write_sample_mnist(raw: Path) -> None:
    """The sample drawings 0..9 as both MNIST splits in IDX format: each preprocessed frame without
    the 2 px of padding that reading MNIST adds (the frames keep their ink inside it)."""
    frames = [preprocess(load_image(resource_path(f"samples/digit_{digit}.png"))) for digit in range(10)]
    digits = np.rint(np.stack(frames)[:, 2:30, 2:30] * 255).astype(np.uint8)
    raw.mkdir(parents=True)
    for images, labels in MNIST_FILES.values():
        (raw / images).write_bytes(struct.pack(">4I", IMAGES_MAGIC, 10, 28, 28) + digits.tobytes())
        (raw / labels).write_bytes(struct.pack(">2I", LABELS_MAGIC, 10) + bytes(range(10)))


def _training_step(classifier: Classifier, data: LabelledImages) -> None:
    """One step of the core's training loop, on a fresh net, so it has something to learn."""
    net = fresh_net(seed=0).to(classifier.device)
    data = data.to(classifier.device)
    before = copy.deepcopy(net.state_dict())
    frames = classifier.normalization.apply(data.images)
    loss = loss_function("cross_entropy")
    with torch.no_grad():
        loss_before = float(loss(net(frames), data.labels))
    config = TrainConfig(
        optimizer="sgd", hyperparameters={"lr": 0.05}, batch_size=len(data), augment=False, max_batches=1
    )
    outcome = fit(net, data, classifier.normalization, config)
    if outcome.outcome != "completed" or outcome.images_seen != len(data):
        raise SelfTestFailure(f"the step ended {outcome.outcome} after {outcome.images_seen} images: {outcome.message}")
    if all(torch.equal(before[name], value) for name, value in net.state_dict().items()):
        raise SelfTestFailure("the step left every weight unchanged")
    with torch.no_grad():
        loss_after = float(loss(net(frames), data.labels))
    if not loss_after < loss_before:
        raise SelfTestFailure(f"the loss went from {loss_before:.4f} to {loss_after:.4f}, not down")


def _corrections_store(classifier: Classifier, sample: Path, frame: np.ndarray) -> None:
    drawing = load_image(sample)
    with tempfile.TemporaryDirectory(prefix="lenet-self-test-") as scratch:
        path = Path(scratch) / "corrections.db"
        with CorrectionStore(path) as store:
            saved = store.add(drawing, SAMPLE_DIGIT, predicted=SAMPLE_DIGIT, confidence=1.0, model_name=classifier.name)
        with CorrectionStore(path) as store:  # reopened: what a restart reads
            kept = store.get(saved)
            if (
                len(store) != 1
                or kept.label != SAMPLE_DIGIT
                or kept.drawing_png != encode_png(drawing)
                or not np.array_equal(kept.frame, frame)
            ):
                raise SelfTestFailure(f"{path.name} gave back {len(store)} correction(s), not the one saved")


def _qt_platform(report: dict[str, object]) -> None:
    """The window's platform, as Qt will choose it from this environment, has its plugin and libraries."""
    candidates = platform_candidates()
    report["platform"] = ";".join(candidates)
    if not any(plugin_file(name) for name in candidates):
        raise SelfTestFailure(f"Qt has no platform plugin for {report['platform']}")
    problem = unloadable(candidates)
    if problem is not None:
        raise SelfTestFailure(problem)


def _translations(report: dict[str, object]) -> None:
    """Every language's shipped catalogue loads and translates: the window's own View menu title."""
    from PySide6.QtCore import QTranslator

    from lenet_desktop.gui.services.language import NATIVE_NAMES, VIETNAMESE, catalogue_path

    for language in NATIVE_NAMES:
        translator, path = QTranslator(), catalogue_path(language)
        if not translator.load(str(path)):
            raise SelfTestFailure(f"{path.name} does not load")
        if language == VIETNAMESE and translator.translate("ViewMenu", "&View") != "&Xem":
            raise SelfTestFailure(f"{path.name} loads but does not translate the window")
    report["translations"] = list(NATIVE_NAMES)


def _window(report: dict[str, object], classifier: Classifier, sample: Path, started: float) -> None:
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
    from lenet_desktop.gui.services.state import AppState

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="lenet-self-test-") as scratch:
        # Throwaway settings and user folder: a self-test must neither read nor change what the user's
        # window remembers, nor their corrections and kept models, which the window's tabs open.
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        os.environ[USER_DIR_VARIABLE] = scratch
        state = AppState(classifier)
        window = MainWindow(state, settings)
        window.show()
        _wait_for(
            app, lambda: window.windowHandle() is not None and window.windowHandle().isExposed(), "the window to show"
        )
        shown = time.perf_counter() - started

        predictions, used = [], []
        state.predictionChanged.connect(predictions.append)
        window.imageUsed.connect(used.append)
        window.open_image(sample)
        _wait_for(app, lambda: used, f"the window to open {sample.name}")
        if not used[0]:
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
