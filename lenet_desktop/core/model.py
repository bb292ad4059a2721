"""The seed tutorial's LeNet (`Net`), unchanged, plus a one-pass view of every layer's output."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

# Layer name -> shape of one sample's output, in forward order (LeCun et al. 1998 naming).
LAYER_SHAPES: dict[str, tuple[int, ...]] = {
    "C1": (6, 28, 28),
    "S2": (6, 14, 14),
    "C3": (16, 10, 10),
    "S4": (16, 5, 5),
    "F5": (120,),
    "F6": (84,),
    "logits": (10,),
}


class Net(nn.Module):
    """LeNet exactly as the seed tutorial defines it: two 5x5 convolutions, three linear layers."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input: torch.Tensor) -> torch.Tensor:
        return self.forward_with_activations(input)["logits"]

    def forward_with_activations(self, input: torch.Tensor) -> dict[str, torch.Tensor]:
        """One forward pass that keeps every layer's output, keyed as in LAYER_SHAPES."""
        c1 = F.relu(_convolve(self.conv1, input))
        s2 = _max_pool_2x2(c1)
        c3 = F.relu(_convolve(self.conv2, s2))
        s4 = _max_pool_2x2(c3)
        f5 = F.relu(self.fc1(torch.flatten(s4, 1)))
        f6 = F.relu(self.fc2(f5))
        logits = self.fc3(f6)
        return {"C1": c1, "S2": s2, "C3": c3, "S4": s4, "F5": f5, "F6": f6, "logits": logits}


# torch's direct convolution: an internal operator, so a torch without it uses the default one.
_DIRECT_CONVOLUTION = getattr(torch.ops.aten, "_slow_conv2d_forward", None)


def _convolve(layer: nn.Conv2d, maps: torch.Tensor) -> torch.Tensor:
    """layer(maps). Without autograd on the CPU (predicting), torch's direct convolution (each
    image's patches times the kernels), which for a few 32x32 frames on one thread takes a third
    to two thirds of the time of the default (oneDNN) one; its sums may round differently in the
    last bits. Training keeps the default and its gradient."""
    if torch.is_grad_enabled() or maps.device.type != "cpu" or _DIRECT_CONVOLUTION is None:
        return layer(maps)
    return _DIRECT_CONVOLUTION(maps, layer.weight, layer.kernel_size, layer.bias, layer.stride, layer.padding)


def _max_pool_2x2(maps: torch.Tensor) -> torch.Tensor:
    """F.max_pool2d(maps, 2). Without autograd (predicting), the larger of the rows taken two by
    two, then of the columns: the same values, 3-6x faster on one CPU thread for a number's
    candidates than max_pool2d; training keeps max_pool2d and its gradient."""
    if torch.is_grad_enabled():
        return F.max_pool2d(maps, 2)
    rows = torch.maximum(maps[..., 0::2, :], maps[..., 1::2, :])
    return torch.maximum(rows[..., 0::2], rows[..., 1::2])


@dataclass(frozen=True)
class Normalization:
    """Per-pixel statistics of the 32x32 training images; inputs are standardised with them."""

    mean: float
    std: float

    def apply(self, frames: torch.Tensor) -> torch.Tensor:
        return (frames - self.mean) / self.std


@dataclass
class Classifier:
    """A trained Net with what it needs to be used: its input statistics and its metadata."""

    net: Net
    normalization: Normalization
    metadata: dict = field(default_factory=dict)

    @property
    def device(self) -> torch.device:
        return next(self.net.parameters()).device

    def to(self, device: torch.device) -> Classifier:
        """Move the weights to `device` in place; the next prediction runs there."""
        self.net.to(device)
        return self

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", "unnamed model"))

    @property
    def test_accuracy(self) -> float | None:
        value = self.metadata.get("mnist_test_accuracy")
        return float(value) if value is not None else None
