"""Colour tables for showing arrays as images: 256 entries for Format_Indexed8 QImages."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, qRgb

# Anchors of matplotlib's viridis (perceptually uniform, readable in grey) at 0, 1/8 ... 1.
_VIRIDIS = [
    (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
    (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
]
# Blue for negative, white for zero, red for positive (kernel weights, saliency).
_DIVERGING = [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)]


def _rgb_table(anchors: list[tuple[int, int, int]]) -> np.ndarray:
    positions = np.linspace(0.0, 1.0, len(anchors))
    steps = np.linspace(0.0, 1.0, 256)
    return np.stack([np.interp(steps, positions, [a[c] for a in anchors]) for c in range(3)], axis=1).astype(np.uint8)


def _qt_table(rgb: np.ndarray) -> list[int]:
    return [qRgb(int(r), int(g), int(b)) for r, g, b in rgb]


DIVERGING_RGB = _rgb_table(_DIVERGING)  # (256, 3) uint8, for blending in numpy
SEQUENTIAL = _qt_table(_rgb_table(_VIRIDIS))
DIVERGING = _qt_table(DIVERGING_RGB)


def indexed_image(levels: np.ndarray, table: list[int]) -> QImage:
    """(H, W) uint8 colour indices as a QImage that owns its pixels."""
    levels = np.ascontiguousarray(levels, dtype=np.uint8)
    height, width = levels.shape
    image = QImage(levels.data, width, height, width, QImage.Format.Format_Indexed8).copy()
    image.setColorTable(table)
    return image


def sequential_levels(values: np.ndarray, top: float) -> np.ndarray:
    """0..top as colour indices 0..255 (ReLU outputs are never negative)."""
    scale = 255.0 / top if top > 0 else 0.0
    return np.clip(values * scale, 0, 255).astype(np.uint8)


def diverging_levels(values: np.ndarray, extent: float) -> np.ndarray:
    """-extent..extent as colour indices 0..255, zero in the middle (white)."""
    scale = 127.5 / extent if extent > 0 else 0.0
    return np.clip(values * scale + 127.5, 0, 255).astype(np.uint8)
