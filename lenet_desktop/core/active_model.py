"""Which model is active: the one the window predicts with and the CLI reads with unless told otherwise.

Making a model active in the window (the Models tab, Keep, File > Open weights) or with
`lenet-desktop models use` writes it here, and the next start of either uses it. The record is a
small JSON file in the user data folder, {"path": "/.../models/0002-....pt"}, or {"path": null} for
the shipped weights, so that the CLI reads it without Qt and the window writes it through the same
functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch

from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError
from lenet_desktop.core.files import atomic_write
from lenet_desktop.core.model import Classifier
from lenet_desktop.core.paths import is_shipped_weights, shipped_weights_path, user_data_dir

ACTIVE_MODEL_FILE = "active-model.json"


class ActiveModelError(TranslatableError, ValueError):
    """The record of the active model cannot be read; the message is one line."""


@dataclass(frozen=True)
class LoadedModel:
    classifier: Classifier
    path: Path | None  # the file it came from; None for the shipped weights
    fallback: TranslatableError | None = None  # why the remembered model was not used (the shipped weights were)


def record_path() -> Path:
    return user_data_dir() / ACTIVE_MODEL_FILE


def is_remembered() -> bool:
    """Whether a model was ever made active (the shipped weights included) since the record existed."""
    return record_path().exists()


def remembered_model() -> Path | None:
    """The active model's file as remembered; None for the shipped weights, and when none was ever
    chosen. Raises ActiveModelError for a record that cannot be read."""
    record = record_path()
    try:
        text = record.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ActiveModelError(
            QT_TRANSLATE_NOOP("core", "{record}: the record of the active model cannot be read ({reason})"),
            record=record,
            reason=error,
        ) from None
    try:
        value = json.loads(text)["path"]
    except (ValueError, KeyError, TypeError):
        value = ""
    if value is not None and not (isinstance(value, str) and value):
        raise ActiveModelError(
            QT_TRANSLATE_NOOP("core", "{record}: this is not a record of the active model"), record=record
        )
    return None if value is None else Path(value)


def remember_model(path: Path | None) -> None:
    """Make the weights in `path` the active model (None, or the shipped weights' file: the shipped
    weights). Raises OSError when the user data folder cannot be written."""
    value = None if path is None or is_shipped_weights(path) else str(Path(path).resolve())
    data = json.dumps({"path": value}).encode()
    atomic_write(record_path(), lambda file: file.write(data))


def load_active_model(device: torch.device | str = "cpu") -> LoadedModel:
    """The remembered active model, loaded; one that is gone or cannot be used gives the shipped
    weights, with the reason in `fallback`."""
    try:
        path = remembered_model()
        if path is not None:
            return LoadedModel(load_checkpoint(path, device), path)
    except (ActiveModelError, CheckpointError) as error:
        return LoadedModel(load_checkpoint(shipped_weights_path(), device), None, error)
    return LoadedModel(load_checkpoint(shipped_weights_path(), device), None)
