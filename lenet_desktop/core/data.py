"""MNIST through torchvision, held as tensors ready for LeNet's 32x32 input."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

# Where missing MNIST files are fetched from: torchvision's mirrors unless set (a test sets a dead one).
MNIST_MIRRORS: tuple[str, ...] = ()
IMAGES_MAGIC = 0x00000803  # IDX: unsigned bytes, 3 dimensions (count, rows, columns)
LABELS_MAGIC = 0x00000801  # IDX: unsigned bytes, 1 dimension (count)


class MnistError(TranslatableError, RuntimeError):
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
    """The MNIST `split` ("train" or "test") from `root/MNIST/raw/`, through torchvision, downloading
    its two files (and only those: evaluating needs no training set) if they are missing and that is
    allowed."""
    if split not in MNIST_FILES:
        raise ValueError(f"unknown MNIST split '{split}': use train or test")
    raw = Path(root) / "MNIST" / "raw"
    missing = [name for name in MNIST_FILES[split] if not (raw / name).is_file()]
    if missing and not download:
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "MNIST {split} not found: put {files} in {folder}"),
            split=split,
            files=" and ".join(missing),
            folder=raw,
        )
    if not missing:
        _check_idx_pair(*(raw / name for name in MNIST_FILES[split]))
    try:
        dataset = _mnist_split(split)(str(root), train=(split == "train"), download=bool(missing))
    except Exception as error:
        if missing:
            # torchvision lists every mirror it tried; the last line says why the last one failed.
            reason = [line for line in str(error).splitlines() if line.strip()][-1:] or [type(error).__name__]
            raise MnistError(
                QT_TRANSLATE_NOOP(
                    "core", "{files} not in {folder} and could not be downloaded ({reason}); put them there"
                ),
                files=" and ".join(missing),
                folder=raw,
                reason=reason[0].strip(),
            ) from None
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "MNIST files in {folder} are damaged ({reason})"), folder=raw, reason=error
        ) from None
    images, labels = dataset.data, dataset.targets
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels):
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "MNIST files in {folder} do not hold matching 28x28 images and labels"),
            folder=raw,
        )
    return LabelledImages(pad_to_frames(images), labels.long())


def _mnist_split(split: str) -> type:
    """torchvision's MNIST dataset asking for the split's own two files only: it checks for and
    fetches all four, whichever split is wanted, so evaluating on the test set without the training
    set would download it (and hang without a network)."""
    from torchvision.datasets import MNIST  # its import costs ~1 s; only reading MNIST needs it

    prefix = "train-" if split == "train" else "t10k-"

    class MnistSplit(MNIST):
        resources = [(name, md5) for name, md5 in MNIST.resources if name.startswith(prefix)]
        mirrors = list(MNIST_MIRRORS) or MNIST.mirrors

        @property
        def raw_folder(self) -> str:  # torchvision names the folder after the class
            return str(Path(self.root) / "MNIST" / "raw")

        @property
        def processed_folder(self) -> str:
            return str(Path(self.root) / "MNIST" / "processed")

    return MnistSplit


def _check_idx_pair(images_path: Path, labels_path: Path) -> int:
    """The number of examples in an MNIST images/labels pair, or MnistError naming the bad file.

    Reads only the headers and sizes, so a cut-short, mislabelled or mismatched file is told
    apart before torchvision is handed it.
    """
    images = _idx_shape(images_path, IMAGES_MAGIC, "images")
    labels = _idx_shape(labels_path, LABELS_MAGIC, "labels")
    if images[1:] != (28, 28):
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "{path}: holds {shape} images, MNIST's are 28x28"),
            path=images_path,
            shape="x".join(map(str, images[1:])),
        )
    if images[0] != labels[0]:
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "{images_path} holds {images} images but {labels_path} holds {labels} labels"),
            images_path=images_path,
            images=images[0],
            labels_path=labels_path,
            labels=labels[0],
        )
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
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "{path}: cannot be read ({reason})"),
            path=path,
            reason=error.strerror or type(error).__name__,
        ) from None
    found = int.from_bytes(header[:4], "big")
    if len(header) >= 4 and found != magic:
        raise MnistError(
            QT_TRANSLATE_NOOP(
                "core", "{path}: not an MNIST {kind} file (magic number {found:#010x}, expected {magic:#010x})"
            ),
            path=path,
            kind=kind,
            found=found,
            magic=magic,
        )
    if len(header) < header_bytes:
        raise MnistError(
            QT_TRANSLATE_NOOP("core", "{path}: cut short ({size} bytes, less than an IDX header)"), path=path, size=size
        )
    shape = struct.unpack(f">{dimensions}I", header[4:])
    expected = header_bytes + math.prod(shape)
    if size != expected:
        if size < expected:
            raise MnistError(
                QT_TRANSLATE_NOOP("core", "{path}: cut short ({size} bytes, its header promises {expected})"),
                path=path,
                size=size,
                expected=expected,
            )
        raise MnistError(
            QT_TRANSLATE_NOOP(
                "core", "{path}: longer than its header says ({size} bytes, its header promises {expected})"
            ),
            path=path,
            size=size,
            expected=expected,
        )
    return tuple(shape)
