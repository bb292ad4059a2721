"""Preprocessing and single-drawing prediction latency on this machine.

Run: PYTHONPATH=tests .venv/bin/python bench/bench_predict.py   (prints a Markdown table for docs/BENCHMARKS.md)
"""

from __future__ import annotations

import platform
import statistics
import time

import numpy as np
import torch
from digit_strokes import all_drawings, render_strokes  # tests/, on PYTHONPATH

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import shipped_weights_path
from lenet_desktop.core.predict import predict_frame, recognise
from lenet_desktop.core.preprocess import preprocess

REPEATS = 2000


def timed(function, inputs) -> tuple[float, float]:
    """Median and p95 in milliseconds of `function(x)` over REPEATS calls cycling through inputs."""
    for x in inputs[:50]:
        function(x)
    samples = []
    for i in range(REPEATS):
        x = inputs[i % len(inputs)]
        start = time.perf_counter_ns()
        function(x)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * len(samples))]


def main() -> None:
    classifier = load_checkpoint(shipped_weights_path())
    canvases = [render_strokes(strokes, size=280, pen=18) for _, strokes in all_drawings()]
    rgba = [np.dstack([c, c, c, np.full_like(c, 255)]) for c in canvases]
    frames = [preprocess(c) for c in canvases]

    rows = []
    default_threads = torch.get_num_threads()
    for threads in sorted({default_threads, 1}, reverse=True):
        torch.set_num_threads(threads)
        label = f"{threads} thread{'s' if threads > 1 else ''}"
        rows += [
            (f"preprocess, 280x280 grey canvas ({label})", timed(preprocess, canvases)),
            (f"preprocess, 280x280 RGBA canvas ({label})", timed(preprocess, rgba)),
            (
                f"forward + all activations, eager, inference_mode ({label})",
                timed(lambda f: predict_frame(classifier, f), frames),
            ),
            (
                f"whole path: canvas -> probabilities + activations ({label})",
                timed(lambda c: recognise(classifier, c), canvases),
            ),
            (f"whole path + saliency ({label})", timed(lambda c: recognise(classifier, c, saliency=True), canvases)),
        ]
    torch.set_num_threads(default_threads)

    print(
        f"Machine: {platform.machine()}, {torch.get_num_threads()} torch threads by default, Python {platform.python_version()}, torch {torch.__version__}"
    )
    print(f"{REPEATS} calls each, cycling through {len(canvases)} drawings of tests/digit_strokes.py\n")
    print("| path | median (ms) | p95 (ms) |")
    print("| --- | ---: | ---: |")
    for name, (median, p95) in rows:
        print(f"| {name} | {median:.3f} | {p95:.3f} |")


if __name__ == "__main__":
    main()
