"""The one registry of optimizers and learning-rate schedules, shared by GUI, CLI and tests."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class OptimizerSpec:
    label: str
    build: Callable[..., torch.optim.Optimizer]
    defaults: dict[str, float | tuple[float, float]]


def _sgd(params, lr, momentum, weight_decay):
    return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay)


def _nesterov(params, lr, momentum, weight_decay):
    return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=True)


def _adam(params, lr, betas, weight_decay):
    return torch.optim.Adam(params, lr=lr, betas=tuple(betas), weight_decay=weight_decay)


def _adamw(params, lr, betas, weight_decay):
    return torch.optim.AdamW(params, lr=lr, betas=tuple(betas), weight_decay=weight_decay)


def _rmsprop(params, lr, alpha, momentum, weight_decay):
    return torch.optim.RMSprop(params, lr=lr, alpha=alpha, momentum=momentum, weight_decay=weight_decay)


# Defaults are the values that train this LeNet well on MNIST in a few epochs, not torch's own.
OPTIMIZERS: dict[str, OptimizerSpec] = {
    "sgd": OptimizerSpec("SGD", _sgd, {"lr": 0.05, "momentum": 0.0, "weight_decay": 0.0}),
    "nesterov": OptimizerSpec(
        "SGD + Nesterov momentum", _nesterov, {"lr": 0.05, "momentum": 0.9, "weight_decay": 5e-4}
    ),
    "adam": OptimizerSpec("Adam", _adam, {"lr": 1e-3, "betas": (0.9, 0.999), "weight_decay": 0.0}),
    "rmsprop": OptimizerSpec("RMSprop", _rmsprop, {"lr": 5e-4, "alpha": 0.99, "momentum": 0.0, "weight_decay": 0.0}),
    "adamw": OptimizerSpec("AdamW", _adamw, {"lr": 2e-3, "betas": (0.9, 0.999), "weight_decay": 1e-2}),
}

SCHEDULES = ("none", "step", "cosine", "onecycle")

# The largest value any hyperparameter may take. torch.optim checks only the sign and the 0..1 ranges,
# so a larger finite value (a rate of 1e308, a weight decay of 1e39) reached the first step and failed
# there, mid-run, converting it to a float32; no rate that trains LeNet comes near it.
MAX_HYPERPARAMETER = 1e6


def hyperparameters(name: str, overrides: dict | None = None) -> dict:
    """The optimizer's defaults with `overrides` applied; unknown names, and values beyond
    MAX_HYPERPARAMETER, are refused."""
    spec = _spec(name)
    chosen = dict(spec.defaults)
    for key, value in (overrides or {}).items():
        if key not in chosen:
            raise ValueError(f"{spec.label} has no hyperparameter '{key}' (it has {', '.join(chosen)})")
        chosen[key] = value
    for key, value in chosen.items():
        for number in value if isinstance(value, (tuple, list)) else (value,):
            if not math.isfinite(number) or abs(number) > MAX_HYPERPARAMETER:
                raise ValueError(f"{key.replace('_', ' ')} {number:g} is out of range: at most {MAX_HYPERPARAMETER:g}")
    return chosen


# From trained weights, a run starts at a tenth of the rate that trains fresh weights, decayed to zero
# (cosine): the fresh rates throw a trained LeNet out of its minimum. One epoch of MNIST from the shipped
# weights: Adam at 0.001 took MNIST test from 99.30 % to 99.08 % (nines 99.0 % to 96.5 %); at 0.0001 with
# cosine decay, to 99.48 %, no digit down by more than 0.5 points (docs/BENCHMARKS.md).
FINE_TUNING_RATE = 0.1
FINE_TUNING_SCHEDULE = "cosine"


def starting_hyperparameters(name: str, from_trained: bool) -> dict:
    """The values a run of `name` starts from when none are given: the optimizer's defaults, with a
    tenth of the rate when it starts from trained weights."""
    chosen = dict(_spec(name).defaults)
    if from_trained:
        chosen["lr"] *= FINE_TUNING_RATE
    return chosen


def starting_schedule(from_trained: bool) -> str:
    """The schedule a run starts with when none is given."""
    return FINE_TUNING_SCHEDULE if from_trained else "none"


# The first optimizer made imports torch._dynamo (about 1 s); two threads doing that at once was seen to
# fail, and the window warms it up in a thread while training or the Inspector may make their own.
_FIRST_IMPORT = threading.Lock()


def make_optimizer(
    name: str, params: Iterable[torch.nn.Parameter], overrides: dict | None = None
) -> torch.optim.Optimizer:
    with _FIRST_IMPORT:
        return _spec(name).build(params, **hyperparameters(name, overrides))


def make_schedule(name: str, optimizer: torch.optim.Optimizer, epochs: int, steps_per_epoch: int):
    """A scheduler stepped once per batch, or None for a constant learning rate."""
    total = max(1, epochs * steps_per_epoch)
    if name == "none":
        return None
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=max(1, total // 3), gamma=0.1)
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total)
    if name == "onecycle":
        peak = [group["lr"] for group in optimizer.param_groups]
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=peak, total_steps=total)
    raise ValueError(f"unknown schedule '{name}': use {', '.join(SCHEDULES)}")


def _spec(name: str) -> OptimizerSpec:
    try:
        return OPTIMIZERS[name]
    except KeyError:
        raise ValueError(f"unknown optimizer '{name}': use {', '.join(OPTIMIZERS)}") from None
