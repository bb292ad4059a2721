"""Colour tables for showing arrays as images: 256 colours, looked up in numpy (a QImage colour
table is converted from Python on every image, which cost most of a prediction's repaint)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

# Anchors of matplotlib's viridis (perceptually uniform, readable in grey) at 0, 1/8 ... 1.
_VIRIDIS = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
]
# Blue for negative, white for zero, red for positive (kernel weights, saliency).
_DIVERGING = [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)]


def _rgb_table(anchors: list[tuple[int, int, int]]) -> np.ndarray:
    positions = np.linspace(0.0, 1.0, len(anchors))
    steps = np.linspace(0.0, 1.0, 256)
    return np.stack([np.interp(steps, positions, [a[c] for a in anchors]) for c in range(3)], axis=1).astype(np.uint8)


def _rgb32_table(rgb: np.ndarray) -> np.ndarray:
    """(256, 3) uint8 as (256,) uint32 0xffRRGGBB, the pixel layout of QImage.Format_RGB32."""
    rgb = rgb.astype(np.uint32)
    return np.uint32(0xFF000000) | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]


DIVERGING_RGB = _rgb_table(_DIVERGING)  # (256, 3) uint8, for blending in numpy
SEQUENTIAL = _rgb32_table(_rgb_table(_VIRIDIS))
DIVERGING = _rgb32_table(DIVERGING_RGB)


def colour_image(levels: np.ndarray, table: np.ndarray) -> QImage:
    """(H, W) uint8 colour indices through a table of 256 RGB32 colours, as a QImage owning its pixels."""
    pixels = np.ascontiguousarray(table[levels])
    height, width = levels.shape
    return QImage(pixels.data, width, height, width * 4, QImage.Format.Format_RGB32).copy()


def sequential_levels(values: np.ndarray, top: float) -> np.ndarray:
    """0..top as colour indices 0..255 (ReLU outputs are never negative)."""
    scale = 255.0 / top if top > 0 else 0.0
    return np.clip(values * scale, 0, 255).astype(np.uint8)


def diverging_levels(values: np.ndarray, extent: float) -> np.ndarray:
    """-extent..extent as colour indices 0..255, zero in the middle (white)."""
    scale = 127.5 / extent if extent > 0 else 0.0
    return np.clip(values * scale + 127.5, 0, 255).astype(np.uint8)
