"""Measure where MNIST puts a digit's intensity centre of mass (preprocess.MNIST_CENTRE)."""

import torch

from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.paths import mnist_root

frames = load_mnist(mnist_root(), "train", download=False).images[:, 0]
mass = frames.sum(dim=(1, 2))
index = torch.arange(frames.shape[-1], dtype=torch.float32)
rows = (frames.sum(dim=2) * index).sum(dim=1) / mass
cols = (frames.sum(dim=1) * index).sum(dim=1) / mass
print(
    f"centre of mass in 32x32 indices: row {rows.mean():.2f} (sd {rows.std():.2f}), col {cols.mean():.2f} (sd {cols.std():.2f})"
)
print(f"pixel mean {frames.mean():.4f}, std {frames.std():.4f}")
