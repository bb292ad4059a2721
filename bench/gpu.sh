#!/usr/bin/env bash
# Training on an NVIDIA GPU: one MNIST epoch with augmentation (images/s, test accuracy), then
# the shipped recipe until 99% MNIST test accuracy (time to get there), then bench_train.py's
# side-by-side against the PyTorch example's DataLoader loop on the same card.
#
#   LENET_DATA_DIR=/path/holding/MNIST/raw/.. bench/gpu.sh
#
# Environment: PY (python, default .venv/bin/python), DEVICE (default cuda), BATCH (default 128,
# the shipped recipe's), EPOCHS (budget for reaching 99%, default 12), MAX_BATCHES (a dry run:
# stop each epoch early; the accuracy checks are then skipped), BENCH_BATCHES (default 300). Paste the output into the GPU
# section of docs/BENCHMARKS.md with the card's name it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEVICE=${DEVICE:-cuda} BATCH=${BATCH:-128} EPOCHS=${EPOCHS:-12} MAX_BATCHES=${MAX_BATCHES:-}

if [ "$DEVICE" != cpu ]; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
fi

"$PY" - <<'PYTHON'
import os
import sys
import time

import torch

from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.paths import mnist_root
from lenet_desktop.core.train import Listener, TrainConfig, compute_normalization, fit, fresh_net
from lenet_desktop.core.measure import evaluate

device = resolve_device(os.environ["DEVICE"])
batch, epochs = int(os.environ["BATCH"]), int(os.environ["EPOCHS"])
max_batches = int(os.environ["MAX_BATCHES"]) if os.environ["MAX_BATCHES"] else None
name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU"
print(f"device: {device} ({name}), torch {torch.__version__}, batch {batch}")

train = load_mnist(mnist_root(), "train", download=False).to(device)
test = load_mnist(mnist_root(), "test", download=False).to(device)
normalization = compute_normalization(train.images)


def synchronize():
    if device.type == "cuda":
        torch.cuda.synchronize(device)


# Warm-up: CUDA context, cuDNN autotuning and the allocator, so the timed epoch is a steady one.
fit(fresh_net(99).to(device), train, normalization, TrainConfig(optimizer="nesterov", batch_size=batch, max_batches=5, seed=99))
synchronize()

# 1. One epoch with augmentation, timed alone; evaluation afterwards.
net = fresh_net(1).to(device)
one_epoch = TrainConfig(optimizer="nesterov", hyperparameters={"lr": 0.05}, schedule="onecycle", epochs=1,
                        batch_size=batch, augment=True, seed=1, max_batches=max_batches)
synchronize()
report = fit(net, train, normalization, one_epoch)
synchronize()
accuracy = evaluate(net, test, normalization).accuracy
print(f"one epoch with augmentation: {report.images_seen} images in {report.seconds:.2f} s = "
      f"{report.images_per_second:,.0f} images/s; MNIST test accuracy {accuracy:.2%}")
if max_batches is None and accuracy < 0.97:
    sys.exit(f"FAILED: one epoch should reach 97% MNIST test accuracy, got {accuracy:.2%}")

# 2. The shipped recipe (nesterov, lr 0.05, one-cycle, augmentation) over EPOCHS epochs, evaluated
# after each; the clock counts training and evaluation and stops at the first epoch >= 99%.
net = fresh_net(1).to(device)
recipe = TrainConfig(optimizer="nesterov", hyperparameters={"lr": 0.05}, schedule="onecycle", epochs=epochs,
                     batch_size=batch, augment=True, seed=1, max_batches=max_batches)
started = time.perf_counter()
reached = []


class StopAt99(Listener):
    def epoch(self, _run, result):
        synchronize()
        elapsed = time.perf_counter() - started
        print(f"  epoch {result.epoch}: test {result.eval_accuracy:.2%}, {elapsed:.2f} s so far")
        if result.eval_accuracy >= 0.99 and not reached:
            reached.append((result.epoch, elapsed))

    def should_stop(self):
        return bool(reached)


fit(net, train, normalization, recipe, evaluation=test, listener=StopAt99())
if reached:
    epoch, seconds = reached[0]
    print(f"time to 99% MNIST test accuracy: {seconds:.2f} s (epoch {epoch} of a {epochs}-epoch one-cycle schedule)")
elif max_batches is None:
    sys.exit(f"FAILED: 99% MNIST test accuracy not reached in {epochs} epochs")
PYTHON

"$PY" bench/bench_train.py --device "$DEVICE" --batch-size "$BATCH" --batches "${BENCH_BATCHES:-300}"
