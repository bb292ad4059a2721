"""Bad files of every kind the app may be handed, built on the spot (imported by the tests, not fixtures)."""

from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from lenet_desktop.core.checkpoint import save_checkpoint
from lenet_desktop.core.model import Classifier, Net, Normalization


class WritesMarker:
    """Unpickling this runs code: it writes `marker`. What a malicious weights file would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('code ran')",))


def _good_checkpoint(path: Path) -> Path:
    save_checkpoint(path, Classifier(Net(), Normalization(0.1307, 0.3081), {"name": "good"}))
    return path


def malicious_zip_checkpoint(path: Path, marker: Path) -> None:
    """torch.save's own format, laid out like our checkpoints, with code hidden in the state dict."""
    torch.save({"format": "lenet-desktop/1", "state_dict": WritesMarker(marker), "metadata": "{}"}, path)


def malicious_legacy_pickle(path: Path, marker: Path) -> None:
    with open(path, "wb") as file:
        pickle.dump({"conv1.weight": WritesMarker(marker)}, file, protocol=2)


def _with_weights(path: Path, change) -> None:
    net = Net()
    with torch.no_grad():
        change(net)
    save_checkpoint(path, Classifier(net, Normalization(0.1307, 0.3081)))


def _other_architecture_same_names(path: Path) -> None:
    """LeNet-5 for 28x28 input, as many tutorials have it: same layer names, fc1 takes 16*4*4."""
    state = Net().state_dict()
    state["fc1.weight"] = torch.zeros(120, 256)
    torch.save(state, path)


def _other_architecture(path: Path) -> None:
    torch.save({"features.0.weight": torch.zeros(64, 3, 3, 3), "classifier.weight": torch.zeros(1000, 512)}, path)


def _cut_short(path: Path, keep: float) -> None:
    good = _good_checkpoint(path.with_name("whole.pt")).read_bytes()
    path.write_bytes(good[: int(len(good) * keep)])


def _legacy_cut_short(path: Path) -> None:
    torch.save(Net().state_dict(), path, _use_new_zipfile_serialization=False)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _integer_weights(path: Path) -> None:
    torch.save({key: value.to(torch.int32) for key, value in Net().state_dict().items()}, path)


def _far_too_large(path: Path) -> None:
    with open(path, "wb") as file:  # sparse: costs no disk space
        file.write(b"PK\x03\x04")
        file.truncate(200_000_000)


# (id, how to write the file, what the one-line reason must say)
BAD_WEIGHTS = [
    ("empty", lambda p: p.write_bytes(b""), "empty"),
    ("text", lambda p: p.write_text("this is not a model\n"), "not a file saved by PyTorch"),
    ("png", lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200)), "not a file saved by PyTorch"),
    ("cut-short-10%", lambda p: _cut_short(p, 0.1), "damaged or cut short"),
    ("cut-short-99%", lambda p: _cut_short(p, 0.99), "damaged or cut short"),
    ("legacy-cut-short", _legacy_cut_short, "damaged or cut short"),
    ("other-architecture", _other_architecture, "another architecture"),
    ("other-architecture-same-names", _other_architecture_same_names, "another architecture"),
    ("nan", lambda p: _with_weights(p, lambda net: net.conv2.weight.fill_(float("nan"))), "NaN or infinite"),
    ("infinite", lambda p: _with_weights(p, lambda net: net.fc3.bias.fill_(float("inf"))), "NaN or infinite"),
    ("integer-weights", _integer_weights, "not a tensor of real numbers"),
    ("far-too-large", _far_too_large, "far too large"),
]


def write_bad_weights(kind: str, folder: Path) -> tuple[Path, str]:
    """The bad weights file `kind` from BAD_WEIGHTS, and the reason it must be refused with."""
    for name, write, reason in BAD_WEIGHTS:
        if name == kind:
            path = folder / f"{name}.pt"
            write(path)
            return path, reason
    raise KeyError(kind)


BAD_WEIGHT_KINDS = [name for name, _, _ in BAD_WEIGHTS]


# --- images ---------------------------------------------------------------------------------


def digit_picture(size: int = 120) -> np.ndarray:
    """A plain '1': a dark bar on white, enough for every format to carry a digit."""
    picture = np.full((size, size), 255, np.uint8)
    picture[size // 6 : size - size // 6, size * 9 // 20 : size * 11 // 20] = 0
    return picture


def png_with_header(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims width x height, with almost no pixel data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def save_image(path: Path, picture: np.ndarray, mode: str) -> Path:
    Image.fromarray(picture).convert(mode).save(path)
    return path


# --- MNIST ----------------------------------------------------------------------------------


def write_idx(path: Path, magic: int, shape: tuple[int, ...], data: bytes | None = None) -> None:
    body = data if data is not None else bytes(int(np.prod(shape)))
    path.write_bytes(struct.pack(f">{1 + len(shape)}I", magic, *shape) + body)


def write_tiny_mnist(root: Path, count: int = 5) -> Path:
    """A valid MNIST under root/MNIST/raw with `count` examples per split (all '1's), as IDX files."""
    from lenet_desktop.core.data import MNIST_FILES

    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    digits = np.zeros((count, 28, 28), np.uint8)
    digits[:, 4:24, 13:15] = 255
    for images, labels in MNIST_FILES.values():
        write_idx(raw / images, 0x803, (count, 28, 28), digits.tobytes())
        write_idx(raw / labels, 0x801, (count,), bytes([1] * count))
    return root


# --- child processes ------------------------------------------------------------------------


def first_line(child, timeout: float = 120.0) -> str:
    """The child's first line of output, or its stderr's tail in the failure when none comes in time."""
    import select

    ready, _, _ = select.select([child.stdout], [], [], timeout)
    if not ready:
        child.kill()
        raise AssertionError(f"no output within {timeout} s; stderr: {child.stderr.read()[-3000:]}")
    line = child.stdout.readline()
    if not line:
        raise AssertionError(f"the child ended early (exit {child.wait()}); stderr: {child.stderr.read()[-3000:]}")
    return line.strip()


def kill_when_it_says(args: list[str], cue: str) -> None:
    """Start `python args...`, wait until its first line is `cue`, then SIGKILL it there."""
    import signal
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first_line(child) == cue
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
