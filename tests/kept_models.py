"""A kept model that reads differently from the shipped weights, in the (test-isolated) models folder,
as Keep in the window leaves one: so a test can tell which model a reading came from."""

from __future__ import annotations

import torch

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.history import HISTORY_FOLDER, HistoryEntry, ModelHistory
from lenet_desktop.core.paths import shipped_weights_path, user_data_dir


def keep_leaning_model(digit: int = 3, name: str = "threes") -> HistoryEntry:
    """The shipped weights with the last layer's bias for `digit` raised far: nearly every drawing,
    digit or letter, reads as `digit`, confidently."""
    classifier = load_checkpoint(shipped_weights_path())
    biases = [tensor for key, tensor in classifier.net.state_dict().items() if key.endswith("bias")]
    with torch.no_grad():
        biases[-1][digit] += 12
    classifier.metadata["name"] = name
    return ModelHistory(user_data_dir() / HISTORY_FOLDER).keep(classifier)
