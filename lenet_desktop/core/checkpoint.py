"""The one reader and writer of weights files.

A checkpoint is a plain dict of tensors and strings saved with torch.save, so it loads with
`torch.load(weights_only=True)`, which refuses to unpickle arbitrary objects. The metadata is a
JSON string: architecture, normalisation, how it was trained, its MNIST accuracy, versions.
"""

from __future__ import annotations

import io
import json
import math
import pickle
import warnings
from pathlib import Path

import torch

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError, first_line
from lenet_desktop.core.files import atomic_write
from lenet_desktop.core.model import Classifier, Net, Normalization
from lenet_desktop.core.paths import is_shipped_weights
from lenet_desktop.core.predict import NOT_A_DIGIT_SCORES

FORMAT = "lenet-desktop/1"
# A LeNet checkpoint is about 250 kB; anything this big is something else, not read into memory.
MAX_CHECKPOINT_BYTES = 50_000_000
_ZIP_MAGIC = b"PK\x03\x04"  # torch.save's format since PyTorch 1.6
_PICKLE_MAGIC = b"\x80"  # the legacy format: a binary pickle (protocol 2 or later)
_WEIGHTS_ONLY_REFUSAL = "Weights only load failed"  # torch's words when weights_only meets other objects
ARCHITECTURE = "LeNet (seed tutorial Net): conv1 1->6 5x5, conv2 6->16 5x5, fc 400-120-84-10, ReLU, 2x2 max-pool"


class CheckpointError(TranslatableError, ValueError):
    """A weights file that cannot be used; the message is one line a person can act on."""


def check_weights_file(path: Path) -> None:
    """Refuse what is not a regular file, saying what it is: a folder, nothing, or a pipe or device
    (`--weights /dev/stdin`), which is there but cannot be read as weights."""
    if not path.is_file():
        if path.is_dir():
            raise CheckpointError(QT_TRANSLATE_NOOP("core", "{path}: is a folder"), path=path)
        if path.exists():
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{path}: not a regular file (a pipe, a device or a socket)"), path=path
            )
        raise CheckpointError(QT_TRANSLATE_NOOP("core", "{path}: no such file"), path=path)


def check_not_shipped(path: Path) -> None:
    """Refuse to write onto the shipped weights: an install the user can write to (pip install -e)
    would lose them, and "Back to the shipped weights" would have nothing to go back to."""
    if is_shipped_weights(path):
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{path}: these are the shipped weights, never overwritten: choose another file"),
            path=path,
        )


def save_checkpoint(path: Path, classifier: Classifier) -> None:
    check_not_shipped(path)
    metadata = dict(classifier.metadata)
    metadata["format"] = FORMAT
    metadata["architecture"] = ARCHITECTURE
    metadata["normalization"] = {"mean": classifier.normalization.mean, "std": classifier.normalization.std}
    payload = {
        "format": FORMAT,
        "state_dict": {k: v.detach().cpu().clone() for k, v in classifier.net.state_dict().items()},
        "metadata": json.dumps(metadata, sort_keys=True),
    }
    # Serialised in memory first: torch.save turns a disk that fills up mid-write into a RuntimeError
    # from its zip writer, while a plain file write reports it as the OSError callers handle.
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    atomic_write(Path(path), lambda file: file.write(buffer.getbuffer()))


def load_checkpoint(path: Path, device: torch.device | str = "cpu") -> Classifier:
    """Load and validate a weights file; raise CheckpointError saying why it is unusable.

    CheckpointError is the only exception it raises: a crafted file is data from outside, and
    whatever it makes torch or json raise is refused the same way.
    """
    path = Path(path)
    check_weights_file(path)
    try:
        state_dict, metadata = _unpack(_read_payload(path), path.name)
        net = Net()
        net.load_state_dict(_checked_weights(state_dict, net.state_dict(), path.name))
        net.eval()
        normalization = _normalization(metadata, path.name)
        return Classifier(net=net, normalization=normalization, metadata=metadata).to(torch.device(device))
    except CheckpointError:
        raise
    except Exception as error:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: not usable weights ({reason})"), name=path.name, reason=_reason(error)
        ) from None


# No trained LeNet comes near this; with it and the normalisation's bounds below, no input from
# 0 to 1 can push any layer's output past float32's range (5 layers, fan-in 25 to 400: < 1e32).
MAX_WEIGHT = 1e3


def weights_within_bounds(tensors) -> bool:
    """Every value of `tensors` a finite number within ±MAX_WEIGHT (NaN compares false): what a
    weights file may hold. Training stops a run that leaves it, and the Inspector keeps nothing
    beyond it, so that the app never makes active a model it cannot load again."""
    largest = torch.stack([tensor.detach().abs().max() for tensor in tensors]).max()
    return bool(largest <= MAX_WEIGHT)


def _checked_weights(state_dict: dict, expected: dict, name: str) -> dict[str, torch.Tensor]:
    """The weights as float32, or CheckpointError: only dense, strided, real tensors of the right
    shape, whose values are finite and bounded once they are float32 (1e300 in float64 is inf)."""
    if set(state_dict) != set(expected):
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: weights of another architecture, not the LeNet this app uses"), name=name
        )
    weights = {}
    for key, tensor in state_dict.items():
        if not isinstance(tensor, torch.Tensor) or tensor.layout != torch.strided or tensor.is_quantized:
            raise CheckpointError(
                QT_TRANSLATE_NOOP(
                    "core", "{name}: '{key}' is not a plain tensor (sparse, quantised or another layout)"
                ),
                name=name,
                key=key,
            )
        if tensor.device.type != "cpu":  # loaded with map_location="cpu": only meta tensors stay elsewhere
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: '{key}' holds no values (a {device} tensor)"),
                name=name,
                key=key,
                device=tensor.device.type,
            )
        if not tensor.is_floating_point():
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: '{key}' is not a tensor of real numbers"), name=name, key=key
            )
        if tensor.shape != expected[key].shape:
            raise CheckpointError(
                QT_TRANSLATE_NOOP(
                    "core", "{name}: weights of another architecture: '{key}' is {shape}, this LeNet's is {expected}"
                ),
                name=name,
                key=key,
                shape=_shape(tensor),
                expected=_shape(expected[key]),
            )
        value = tensor.detach().to(torch.float32).contiguous()
        if not torch.isfinite(value).all():
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: '{key}' holds NaN or infinite values (as 32-bit floats)"),
                name=name,
                key=key,
            )
        if not weights_within_bounds([value]):
            raise CheckpointError(
                QT_TRANSLATE_NOOP(
                    "core", "{name}: '{key}' holds values beyond ±{limit:g}, not weights of a trained LeNet"
                ),
                name=name,
                key=key,
                limit=MAX_WEIGHT,
            )
        weights[key] = value
    return weights


def _read_payload(path: Path):
    """torch.load(weights_only=True) of `path`, with every way it can fail told in plain words."""
    name = path.name
    try:
        size = path.stat().st_size
        with open(path, "rb") as file:
            head = file.read(len(_ZIP_MAGIC))
    except OSError as error:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: not a readable weights file: {reason}"),
            name=name,
            reason=error.strerror or type(error).__name__,
        ) from None
    if size == 0:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: not a readable weights file: the file is empty"), name=name
        )
    if size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(
            QT_TRANSLATE_NOOP(
                "core", "{name}: not a readable weights file: {megabytes:.0f} MB is far too large for LeNet weights"
            ),
            name=name,
            megabytes=size / 1e6,
        )
    if not (head.startswith(_ZIP_MAGIC) or head.startswith(_PICKLE_MAGIC)):
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: not a readable weights file: it is not a file saved by PyTorch"),
            name=name,
        )
    try:
        with warnings.catch_warnings():
            # torch warns of old pickle protocols and of sparse tensors it validates: words for
            # developers, while what is wrong with a file is refused below in words for users.
            warnings.simplefilter("ignore")
            return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        if _WEIGHTS_ONLY_REFUSAL in str(error):
            raise CheckpointError(
                QT_TRANSLATE_NOOP(
                    "core",
                    "{name}: not a readable weights file: refused, it holds Python objects other than weights "
                    "and loading them could run code",
                ),
                name=name,
            ) from None
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: not a readable weights file: it is damaged ({reason})"),
            name=name,
            reason=_reason(error),
        ) from None
    except Exception as error:  # torch raises many types for cut-short or corrupt files
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: not a readable weights file: it is damaged or cut short ({reason})"),
            name=name,
            reason=_reason(error),
        ) from None


# Metadata is a few hundred bytes of flat JSON; these bounds keep a crafted one from exhausting
# memory or the interpreter's recursion limit, in json or in whatever shows the metadata later.
MAX_METADATA_CHARS = 100_000
MAX_METADATA_DEPTH = 16


def _unpack(payload, name: str) -> tuple[dict, dict]:
    if isinstance(payload, dict) and payload.get("format") == FORMAT:
        text = payload.get("metadata")
        if not isinstance(text, str):
            raise CheckpointError(QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged"), name=name)
        if len(text) > MAX_METADATA_CHARS:
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged (over {limit} characters)"),
                name=name,
                limit=MAX_METADATA_CHARS,
            )
        try:
            metadata = json.loads(text)
        except RecursionError:
            metadata = None
        except json.JSONDecodeError:
            raise CheckpointError(QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged"), name=name) from None
        if metadata is None or _depth(metadata) > MAX_METADATA_DEPTH:
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged (nested over {limit} levels deep)"),
                name=name,
                limit=MAX_METADATA_DEPTH,
            )
        state_dict = payload.get("state_dict")
        if not isinstance(state_dict, dict) or not isinstance(metadata, dict):
            raise CheckpointError(QT_TRANSLATE_NOOP("core", "{name}: damaged LeNet Desktop checkpoint"), name=name)
        _check_metadata(metadata, name)
        return state_dict, metadata
    # A bare state_dict, as `torch.save(net.state_dict(), f)` in the tutorial writes it.
    if isinstance(payload, dict) and all(isinstance(v, torch.Tensor) for v in payload.values()):
        return payload, {"name": Path(name).stem}
    raise CheckpointError(QT_TRANSLATE_NOOP("core", "{name}: not a LeNet weights file"), name=name)


def _depth(value, limit: int = MAX_METADATA_DEPTH) -> int:
    """How deeply `value` nests, counted no further than just past `limit`."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


# Metadata the app reads, and what each must be; anything else in the metadata is only shown.
_TEXT_KEYS = ("name", "created", "version")
_SHARE_KEYS = ("mnist_test_accuracy", "unsure_below", "unsure_coverage")


def _check_metadata(metadata: dict, name: str) -> None:
    for key in _TEXT_KEYS:
        if key in metadata and not isinstance(metadata[key], str):
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged ('{key}' is not text)"), name=name, key=key
            )
    for key in _SHARE_KEYS:
        value = metadata.get(key)
        if value is not None and not (
            isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
        ):
            raise CheckpointError(
                QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged ('{key}' is not a number from 0 to 1)"),
                name=name,
                key=key,
            )
    score, below = metadata.get("not_a_digit_score", "confidence"), metadata.get("not_a_digit_below")
    if score not in NOT_A_DIGIT_SCORES:
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged ('not_a_digit_score' is not one of {scores})"),
            name=name,
            scores=", ".join(NOT_A_DIGIT_SCORES),
        )
    if below is not None and not (
        isinstance(below, (int, float)) and not isinstance(below, bool) and math.isfinite(below)
    ):
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: its metadata is damaged ('not_a_digit_below' is not a number)"),
            name=name,
        )


def _normalization(metadata: dict, name: str) -> Normalization:
    stats = metadata.get("normalization") or {"mean": 0.0, "std": 1.0}
    try:
        normalization = Normalization(mean=float(stats["mean"]), std=float(stats["std"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        raise CheckpointError(
            QT_TRANSLATE_NOOP("core", "{name}: its normalisation statistics are damaged"), name=name
        ) from None
    # Frames hold 0 to 1, so a normalised pixel stays within (1 + 1e3) / 1e-3, about 1e6 (see MAX_WEIGHT).
    if not (1e-3 <= normalization.std <= 1e3 and abs(normalization.mean) <= 1e3):
        raise CheckpointError(QT_TRANSLATE_NOOP("core", "{name}: its normalisation statistics are invalid"), name=name)
    return normalization


def _shape(tensor: torch.Tensor) -> str:
    return "x".join(str(n) for n in tensor.shape) or "a scalar"


def _reason(error: Exception, limit: int = 80) -> str:
    """The first line of an error from torch, cut before its advice for developers."""
    text = first_line(error).split(". ")[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def library_versions() -> dict[str, str]:
    import platform

    import numpy
    import torchvision

    from lenet_desktop import __version__

    return {
        "lenet_desktop": __version__,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "numpy": numpy.__version__,
    }
