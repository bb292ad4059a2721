"""MNIST through torchvision, held as tensors ready for LeNet's 32x32 input."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from lenet_desktop.core.errors import first_line

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# Where missing MNIST files are fetched from: torchvision's mirrors unless set (a test sets a dead one).
MNIST_MIRRORS: tuple[str, ...] = ()
IMAGES_MAGIC = 0x00000803  # IDX: unsigned bytes, 3 dimensions (count, rows, columns)
LABELS_MAGIC = 0x00000801  # IDX: unsigned bytes, 1 dimension (count)


class MnistError(RuntimeError):
    """MNIST could not be read or fetched; the message names the file or folder involved."""


@dataclass
class LabelledImages:
    """Images as (N, 1, 32, 32) float32 frames in 0..1 with (N,) int64 labels."""

    images: torch.Tensor
    labels: torch.Tensor

    def __len__(self) -> int:
        return len(self.labels)

    def to(self, device: torch.device) -> LabelledImages:
        return LabelledImages(self.images.to(device), self.labels.to(device))

    def subset(self, indices: torch.Tensor | slice) -> LabelledImages:
        return LabelledImages(self.images[indices], self.labels[indices])

    @staticmethod
    def concat(parts: list[LabelledImages]) -> LabelledImages:
        return LabelledImages(torch.cat([p.images for p in parts]), torch.cat([p.labels for p in parts]))


def pad_to_frames(digits: torch.Tensor) -> torch.Tensor:
    """MNIST's (N, 28, 28) uint8 digits as (N, 1, 32, 32) float frames: 2 px of padding per side,
    as the seed tutorial says LeNet's input needs."""
    return F.pad(digits.float().div_(255.0), (2, 2, 2, 2)).unsqueeze(1)


def load_mnist(root: Path, split: str, download: bool = True) -> LabelledImages:
    """The MNIST `split` ("train" or "test") from `root/MNIST/raw/`, downloading its two files
    (and only those: evaluating needs no training set) if they are missing and that is allowed."""
    if split not in MNIST_FILES:
        raise ValueError(f"unknown MNIST split '{split}': use train or test")
    raw = Path(root) / "MNIST" / "raw"
    missing = [name for name in MNIST_FILES[split] if not (raw / name).is_file()]
    if missing and not download:
        raise MnistError(f"MNIST {split} not found: put {' and '.join(missing)} in {raw}")
    for name in missing:
        _download(raw, name)
    images_path, labels_path = (raw / name for name in MNIST_FILES[split])
    count = _check_idx_pair(images_path, labels_path)
    # The headers and sizes are checked: the bytes after them are the digits and the labels.
    images = np.fromfile(images_path, dtype=np.uint8, offset=16).reshape(count, 28, 28)
    labels = np.fromfile(labels_path, dtype=np.uint8, offset=8)
    return LabelledImages(pad_to_frames(torch.from_numpy(images)), torch.from_numpy(labels).long())


def _download(raw: Path, name: str) -> None:
    """One MNIST file from torchvision's mirrors, checked against its MD5, into `raw`."""
    from urllib.error import URLError

    from torchvision.datasets import MNIST  # its import costs ~1 s: only a download needs it
    from torchvision.datasets.utils import download_and_extract_archive

    archive = f"{name}.gz"
    md5 = dict(MNIST.resources)[archive]
    reasons = []
    for mirror in MNIST_MIRRORS or MNIST.mirrors:
        try:
            download_and_extract_archive(f"{mirror}{archive}", download_root=str(raw), filename=archive, md5=md5)
            return
        except (OSError, RuntimeError, URLError) as error:
            reasons.append(first_line(error))
    raise MnistError(f"{name} is not in {raw} and could not be downloaded ({reasons[-1]}); put it there")


def _check_idx_pair(images_path: Path, labels_path: Path) -> int:
    """The number of examples in an MNIST images/labels pair, or MnistError naming the bad file.

    Reads only the headers and sizes, so a cut-short, mislabelled or mismatched file is told
    apart before torchvision is handed it.
    """
    images = _idx_shape(images_path, IMAGES_MAGIC, "images")
    labels = _idx_shape(labels_path, LABELS_MAGIC, "labels")
    if images[1:] != (28, 28):
        raise MnistError(f"{images_path}: holds {'x'.join(map(str, images[1:]))} images, MNIST's are 28x28")
    if images[0] != labels[0]:
        raise MnistError(f"{images_path} holds {images[0]} images but {labels_path} holds {labels[0]} labels")
    return images[0]


def _idx_shape(path: Path, magic: int, kind: str) -> tuple[int, ...]:
    """The dimensions in an IDX file's header, checked against the file's magic number and size."""
    dimensions = 3 if magic == IMAGES_MAGIC else 1
    header_bytes = 4 * (1 + dimensions)
    try:
        with open(path, "rb") as file:
            header = file.read(header_bytes)
        size = path.stat().st_size
    except OSError as error:
        raise MnistError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from None
    found = int.from_bytes(header[:4], "big")
    if len(header) >= 4 and found != magic:
        raise MnistError(f"{path}: not an MNIST {kind} file (magic number {found:#010x}, expected {magic:#010x})")
    if len(header) < header_bytes:
        raise MnistError(f"{path}: cut short ({size} bytes, less than an IDX header)")
    shape = struct.unpack(f">{dimensions}I", header[4:])
    expected = header_bytes + math.prod(shape)
    if size != expected:
        state = "cut short" if size < expected else "longer than its header says"
        raise MnistError(f"{path}: {state} ({size} bytes, its header promises {expected})")
    return tuple(shape)
