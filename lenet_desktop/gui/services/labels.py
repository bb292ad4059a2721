"""The core's choices (data, schedules, losses, update rules, starting points, hyperparameters, how a run
ended) named in the window's language.

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


def data_label(choice: str) -> str:
    return {
        "mnist": "MNIST",
        "corrections": QCoreApplication.translate("Labels", "My corrections"),
        "mix": QCoreApplication.translate("Labels", "My corrections (personalise)"),
    }[choice]


def schedule_label(name: str) -> str:
    return {
        "none": QCoreApplication.translate("Labels", "Constant"),
        "step": QCoreApplication.translate("Labels", "Step (x0.1 twice)"),
        "cosine": QCoreApplication.translate("Labels", "Cosine"),
        "onecycle": QCoreApplication.translate("Labels", "One-cycle"),
    }[name]


def start_label(choice: str) -> str:
    return {
        "current": QCoreApplication.translate("Labels", "The active model"),
        "fresh": QCoreApplication.translate("Labels", "Fresh random weights"),
    }[choice]


def hyperparameter_label(key: str) -> str:
    labels = {
        "lr": QCoreApplication.translate("Labels", "Learning rate"),
        "momentum": QCoreApplication.translate("Labels", "Momentum"),
        "alpha": QCoreApplication.translate("Labels", "Alpha (smoothing)"),
        "weight_decay": QCoreApplication.translate("Labels", "Weight decay"),
        "betas": "Betas",
    }
    return labels.get(key, key)


def outcome_label(outcome: str) -> str:
    return {
        "completed": QCoreApplication.translate("Labels", "completed"),
        "cancelled": QCoreApplication.translate("Labels", "cancelled"),
        "diverged": QCoreApplication.translate("Labels", "diverged"),
    }[outcome]
