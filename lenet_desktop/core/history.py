"""The models the user kept, each a checkpoint file with its metadata, in the user data folder.

Keeping a trained model writes it here; any kept model can be made active again later, in the
window or with `lenet-desktop models use` (active_model.py remembers which one is active).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from lenet_desktop.core.checkpoint import CheckpointError, load_checkpoint, save_checkpoint
from lenet_desktop.core.errors import QT_TRANSLATE_NOOP
from lenet_desktop.core.model import Classifier

HISTORY_FOLDER = "models"


class ReplacedError(CheckpointError):
    """A listed model's file holds other weights than it was listed with: it was replaced since. `now`: what it holds."""

    def __init__(self, path: Path, now: HistoryEntry) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "core", "{file} was replaced since it was listed: it now holds {name} (version {version})"
            ),
            file=path.name,
            name=now.name,
            version=now.version,
        )
        self.now = now


def fingerprint(classifier: Classifier) -> str:
    """A short hash of the weights: the model's version, the same whatever it is called."""
    digest = hashlib.sha256()
    for key, tensor in sorted(classifier.net.state_dict().items()):
        digest.update(key.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class HistoryEntry:
    path: Path
    name: str
    created: str
    version: str  # fingerprint of the weights, measured when listed
    mnist_test_accuracy: float | None
    metadata: dict


class ModelHistory:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def keep(self, classifier: Classifier) -> HistoryEntry:
        """Save `classifier` into the history (its metadata gains its version) and return the entry."""
        version = fingerprint(classifier)
        classifier.metadata["version"] = version
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", classifier.name)[:40].strip("-") or "model"
        # A running number first, so that the names sort in the order the models were kept.
        numbers = (p.name.split("-", 1)[0] for p in self.folder.glob("*-*.pt"))
        number = 1 + max((int(n) for n in numbers if n.isdigit()), default=0)
        path = self.folder / f"{number:04d}-{time.strftime('%Y%m%d-%H%M%S')}-{version}-{slug}.pt"
        save_checkpoint(path, classifier)
        return _entry(path, classifier)

    def entries(self) -> list[HistoryEntry]:
        """Kept models, oldest first; unreadable files are left out, not fatal."""
        found = []
        for path in sorted(self.folder.glob("*.pt")):
            try:
                found.append(_entry(path, load_checkpoint(path)))
            except CheckpointError:
                continue
        return found

    def load(self, entry: HistoryEntry, device: torch.device | str = "cpu") -> Classifier:
        """The entry's model; ReplacedError when its file no longer holds the weights it was listed with."""
        classifier = load_checkpoint(entry.path, device)
        if fingerprint(classifier) != entry.version:
            raise ReplacedError(entry.path, _entry(entry.path, classifier))
        return classifier


def checkpoint_entry(path: Path) -> HistoryEntry:
    """A checkpoint outside the history (the shipped weights) as an entry."""
    return _entry(path, load_checkpoint(path))


def _entry(path: Path, classifier: Classifier) -> HistoryEntry:
    """The entry of `classifier`, read from `path`: its version is its weights' fingerprint, whatever its
    metadata says, so that a file replaced since it was listed is told by its weights (load)."""
    metadata = {**classifier.metadata, "version": fingerprint(classifier)}
    accuracy = metadata.get("mnist_test_accuracy")
    return HistoryEntry(
        path=path,
        name=str(metadata.get("name", path.stem)),
        created=str(metadata.get("created", "")),
        version=metadata["version"],
        mnist_test_accuracy=float(accuracy) if accuracy is not None else None,
        metadata=metadata,
    )
