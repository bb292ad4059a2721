"""Batch augmentation on the training device: users draw tilted, off-centre, thick and thin.

Every transform works on a whole (N, 1, 32, 32) batch with one affine_grid/grid_sample call and
one pooling call per stroke change, drawing its randomness from the caller's generator so runs repeat exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class Augmentation:
    max_rotation_degrees: float = 15.0
    scale_range: tuple[float, float] = (0.85, 1.15)
    max_shear: float = 0.25
    max_shift_pixels: float = 2.5
    stroke_change_probability: float = 0.3  # share of images made thicker or thinner


def _uniform(n: int, low: float, high: float, generator: torch.Generator, device) -> torch.Tensor:
    return torch.rand(n, generator=generator, device=device) * (high - low) + low


def augment_batch(
    frames: torch.Tensor, generator: torch.Generator, spec: Augmentation = Augmentation()
) -> torch.Tensor:
    """Random rotation, scale, shear, shift and stroke width for each image of the batch."""
    n, device = frames.shape[0], frames.device
    angle = _uniform(n, -1, 1, generator, device) * math.radians(spec.max_rotation_degrees)
    scale = _uniform(n, *spec.scale_range, generator, device)
    aspect = _uniform(n, 0.9, 1.1, generator, device)
    shear = _uniform(n, -spec.max_shear, spec.max_shear, generator, device)
    shift = _uniform(2 * n, -1, 1, generator, device).view(n, 2) * (2 * spec.max_shift_pixels / frames.shape[-1])

    cos, sin = torch.cos(angle), torch.sin(angle)
    # theta maps output coordinates to input coordinates: inverse scale, then shear, then rotation.
    sx, sy = 1 / (scale * aspect), 1 / (scale / aspect)
    theta = torch.stack(
        (
            torch.stack((cos * sx, (-sin + shear * cos) * sy, shift[:, 0]), dim=1),
            torch.stack((sin * sx, (cos + shear * sin) * sy, shift[:, 1]), dim=1),
        ),
        dim=1,
    )
    grid = F.affine_grid(theta, list(frames.shape), align_corners=False)
    warped = F.grid_sample(frames, grid, mode="bilinear", padding_mode="zeros", align_corners=False)

    choice = torch.rand(n, generator=generator, device=device)
    thicker = torch.nonzero(choice < spec.stroke_change_probability / 2).flatten()
    thinner = torch.nonzero(
        (choice >= spec.stroke_change_probability / 2) & (choice < spec.stroke_change_probability)
    ).flatten()
    # Pool only the images whose stroke changes: the same values as pooling the whole batch and
    # picking with torch.where, at a fraction of the cost (this is most of augmentation's time).
    augmented = warped.clone()
    augmented[thicker] = F.max_pool2d(warped[thicker], 3, stride=1, padding=1)
    thin = warped[thinner]
    eroded = F.pad(-F.max_pool2d(-thin, 2, stride=1, padding=0), (0, 1, 0, 1))
    # Thinning must not erase a digit drawn with a one-pixel pen: keep the original there.
    augmented[thinner] = torch.where(eroded.amax(dim=(1, 2, 3), keepdim=True) > 0.3, eroded, thin)
    return augmented
