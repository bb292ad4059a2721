"""Training throughput with augmentation on: our batched on-device pipeline against the per-item
PIL DataLoader loop of PyTorch's MNIST example, side by side in one run, same Net, optimizer,
batch size and number of images.

    LENET_DATA_DIR=/path/to/data python bench/bench_train.py [--batches 150] [--batch-size 64] [--device cpu]

Ours: MNIST held as one (N, 1, 32, 32) tensor on the device, each batch augmented by
augment.augment_batch (one affine_grid/grid_sample and one pooling call), trained by train.fit.
Baseline: torchvision.datasets.MNIST with per-image transforms (RandomAffine, Pad to 32, ToTensor,
Normalize) through torch.utils.data.DataLoader, as the example's train() loop consumes it
(num_workers as the example sets it: 0 on the CPU, 1 with CUDA; --workers overrides).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import torch
import torch.nn.functional as F

from lenet_desktop.core.data import load_mnist
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.model import Normalization
from lenet_desktop.core.paths import mnist_root
from lenet_desktop.core.train import TrainConfig, fit, fresh_net

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081  # the example's Normalize values


def ours(device: torch.device, batches: int, batch_size: int) -> float:
    """Images per second of train.fit with augmentation, MNIST already on the device."""
    data = load_mnist(mnist_root(), "train", download=False).to(device)
    net = fresh_net(0).to(device)
    config = TrainConfig(
        optimizer="nesterov", epochs=1, batch_size=batch_size, augment=True, seed=0, max_batches=batches
    )
    fit(
        net, data, Normalization(MNIST_MEAN, MNIST_STD), TrainConfig(**{**config.__dict__, "max_batches": 3})
    )  # warm-up
    _synchronize(device)
    report = fit(net, data, Normalization(MNIST_MEAN, MNIST_STD), config)
    _synchronize(device)
    return report.images_seen / report.seconds


def example_loop(device: torch.device, batches: int, batch_size: int, workers: int) -> float:
    """Images per second of the example's train() loop over a per-item DataLoader."""
    from torchvision import datasets, transforms

    transform = transforms.Compose(
        [
            transforms.RandomAffine(degrees=15, translate=(2.5 / 28, 2.5 / 28), scale=(0.85, 1.15), shear=14),
            transforms.Pad(2),
            transforms.ToTensor(),
            transforms.Normalize((MNIST_MEAN,), (MNIST_STD,)),
        ]
    )
    dataset = datasets.MNIST(str(mnist_root()), train=True, download=False, transform=transform)
    kwargs = {"batch_size": batch_size, "shuffle": True, "num_workers": workers}
    if device.type == "cuda":
        kwargs["pin_memory"] = True
    loader = torch.utils.data.DataLoader(dataset, **kwargs)
    torch.manual_seed(0)
    net = fresh_net(0).to(device)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4)
    net.train()
    seen, started = 0, None
    for index, (data, target) in enumerate(loader):
        if index == 3:  # same warm-up as ours
            _synchronize(device)
            seen, started = 0, time.perf_counter()
        if index == 3 + batches:
            break
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(net(data), target)
        loss.backward()
        optimizer.step()
        seen += len(target)
    _synchronize(device)
    return seen / (time.perf_counter() - started)


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def machine(device: torch.device) -> str:
    cpu = platform.processor() or platform.machine()
    if os.path.exists("/proc/cpuinfo"):
        names = [line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")]
        cpu = names[0] if names else cpu
    gpu = f", {torch.cuda.get_device_name(device)}" if device.type == "cuda" else ""
    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, torch {torch.__version__} with {torch.get_num_threads()} threads{gpu}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=150)
    parser.add_argument("--batch-size", type=int, default=64)  # the example's default
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--workers", type=int, help="DataLoader workers for the example (default: as the example)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    device = resolve_device(args.device)
    workers = args.workers if args.workers is not None else (1 if device.type == "cuda" else 0)
    print(f"machine: {machine(device)}")
    print(
        f"{args.batches} batches of {args.batch_size}, augmentation on, device {device}, example with {workers} worker(s)"
    )
    rates = {"ours": [], "example": []}
    for _ in range(args.repeats):  # interleaved, so a busy spell on a shared machine hits both
        rates["ours"].append(ours(device, args.batches, args.batch_size))
        rates["example"].append(example_loop(device, args.batches, args.batch_size, workers))
    ours_rate, example_rate = statistics.median(rates["ours"]), statistics.median(rates["example"])
    print(
        f"| batched on-device augmentation (train.fit) | {ours_rate:,.0f} images/s | runs: {', '.join(f'{r:,.0f}' for r in rates['ours'])} |"
    )
    print(
        f"| per-item PIL DataLoader (PyTorch MNIST example) | {example_rate:,.0f} images/s | runs: {', '.join(f'{r:,.0f}' for r in rates['example'])} |"
    )
    print(f"speed-up: {ours_rate / example_rate:.2f}x (goal >= 2.5x)")


if __name__ == "__main__":
    main()
