"""The core's choices (losses, update rules) named in the window's language.

The core names them in English for the CLI; the window shows these instead. Code stays code."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from lenet_desktop.core.inspector import BY_HAND, method_label


def loss_label(name: str) -> str:
    return {
        "cross_entropy": QCoreApplication.translate("Labels", "Cross-entropy (nn.CrossEntropyLoss)"),
        "mse": QCoreApplication.translate("Labels", "nn.MSELoss on a one-hot target, as the seed"),
    }[name]


def update_method_label(method: str) -> str:
    if method == BY_HAND:
        return QCoreApplication.translate("Labels", "By hand: f.data.sub_(f.grad.data * learning_rate)")
    return method_label(method)  # "torch.optim: Adam": code
