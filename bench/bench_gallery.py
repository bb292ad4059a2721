"""The errors gallery over all of MNIST test: how long from handing it 10,000 images to the first
thumbnails painted, the longest pause of the GUI thread until the whole list is laid out, a scroll
to the end, and how many icons were drawn for it. Also the evaluation the Training tab makes on a
cell's first click (every MNIST test image through the model, on the GUI thread).

    QT_QPA_PLATFORM=offscreen LENET_DATA_DIR=/path/to/data .venv/bin/python bench/bench_gallery.py [--runs 5]
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.evaluation import evaluate_set, mnist_set
from lenet_desktop.core.paths import mnist_root, shipped_weights_path
from lenet_desktop.gui.widgets.misread_gallery import MisreadGallery

TICK_MS = 10


def one_run(app: QApplication, result) -> dict:
    """Show the gallery; a timer ticking every TICK_MS ms measures the GUI thread's pauses."""
    gallery = MisreadGallery()
    gallery.resize(1000, 700)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(TICK_MS)
    started = time.perf_counter()
    gallery.show_images(result, range(len(result.images)), lambda: "MNIST test")
    gallery.show()
    while gallery.model.icons_made == 0:
        app.processEvents()
    first_paint = time.perf_counter() - started
    last = gallery.model.index(len(result.images) - 1)
    while not gallery.view.visualRect(last).isValid():
        app.processEvents()
    laid_out = time.perf_counter() - started
    gallery.view.scrollToBottom()
    end = time.perf_counter() + 0.3
    while time.perf_counter() < end:
        app.processEvents()
    timer.stop()
    moments = [started, *ticks]
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    made = gallery.model.icons_made
    gallery.close()
    gallery.deleteLater()
    return {"first_paint": first_paint, "laid_out": laid_out, "longest_gap": max(gaps), "icons": made}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    classifier = load_checkpoint(shipped_weights_path())
    images = mnist_set(load_mnist(mnist_root(None), "test", download=False))
    evaluations = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = evaluate_set(classifier, images)
        evaluations.append(time.perf_counter() - started)
    runs = [one_run(app, result) for _ in range(args.runs)]
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, torch {torch.__version__}, {args.runs} runs"
    )
    print(f"evaluate_set on MNIST test (10,000), median: {statistics.median(evaluations) * 1000:.0f} ms")
    for key, unit in (("first_paint", "ms"), ("laid_out", "ms"), ("longest_gap", "ms")):
        values = [run[key] * 1000 for run in runs]
        print(f"{key}: median {statistics.median(values):.0f} {unit}, max {max(values):.0f} {unit}")
    print(f"icons drawn (first screen + the end): {[run['icons'] for run in runs]} of {len(images)}")


if __name__ == "__main__":
    main()
