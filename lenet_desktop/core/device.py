"""The one place that turns a device name into a torch.device."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError


class DeviceError(TranslatableError, ValueError):
    """A device was asked for that this machine cannot provide."""


@dataclass(frozen=True)
class DeviceOption:
    spec: str  # what resolve_device() accepts, e.g. "cuda:0"
    label: str  # what a person reads, e.g. "CUDA 0: NVIDIA H100"


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend and backend.is_available())


def resolve_device(spec: str = "auto") -> torch.device:
    """`auto` prefers CUDA, then Apple MPS, then the CPU; anything else is honoured or refused."""
    spec = spec.strip().lower()
    if spec == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(spec)
    except RuntimeError:
        raise DeviceError(
            QT_TRANSLATE_NOOP("core", "unknown device '{spec}': use auto, cpu, cuda, cuda:N or mps"), spec=spec
        ) from None
    if device.type == "cpu":
        return device
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise DeviceError(
                QT_TRANSLATE_NOOP("core", "device '{spec}' asked for, but CUDA is not available on this machine"),
                spec=spec,
            )
        count = torch.cuda.device_count()
        if device.index is not None and device.index >= count:
            raise DeviceError(
                QT_TRANSLATE_NOOP("core", "device '{spec}' asked for, but this machine has {count} CUDA device(s)"),
                spec=spec,
                count=count,
            )
        return device
    if device.type == "mps":
        if not _mps_available():
            raise DeviceError(
                QT_TRANSLATE_NOOP("core", "device 'mps' asked for, but Apple MPS is not available on this machine")
            )
        return device
    raise DeviceError(
        QT_TRANSLATE_NOOP("core", "unsupported device '{spec}': use auto, cpu, cuda, cuda:N or mps"), spec=spec
    )


def available_devices() -> list[DeviceOption]:
    """Every device this machine can run the model on, the CPU first."""
    options = [DeviceOption("cpu", "CPU")]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            options.append(DeviceOption(f"cuda:{index}", f"CUDA {index}: {torch.cuda.get_device_name(index)}"))
    if _mps_available():
        options.append(DeviceOption("mps", "Apple MPS"))
    return options
