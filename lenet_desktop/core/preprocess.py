"""The only code that turns a drawing into what the network sees.

It follows how MNIST was made (LeCun et al.): the digit's bounding box is scaled so its longer
side is 20 px, keeping the aspect ratio, with antialiasing; it is placed so that its intensity
centre of mass sits where MNIST's does; the 28x28 field is padded to LeNet's 32x32.
Prediction, user corrections, training on corrections and the CLI all call `preprocess`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

# The network's input: MNIST's 28x28 digits padded by 2 px, as in LeCun et al. 1998 (core.model's Net).
INPUT_SIZE = 32
DIGIT_BOX = 20
# Mean intensity centre of mass (row, column) of MNIST's training digits, in 32x32 pixel
# indices after the 2 px padding; bench/mnist_centre.py measured (16.00, 16.01), sd 0.29.
MNIST_CENTRE = (16.0, 16.0)
# Ink at or below this level (0..1, after the background is removed) is noise, not a stroke.
INK_THRESHOLD = 0.2
# Ink whose bounding box is smaller than this share of the image's longer side is a speck or a
# stray click, not a digit: preprocess() answers "no digit" rather than guess.
MIN_DIGIT_EXTENT = 0.04

# An alpha channel that spans less than this (0..1) is uniform: the image is read from its colours.
ALPHA_VARIES = 0.01

_LUMA = (np.float32(0.299), np.float32(0.587), np.float32(0.114))


def _as_unit_float(array: np.ndarray) -> np.ndarray:
    """Any numeric or boolean array as float32 in 0..1 (integers by their dtype's range)."""
    if array.dtype == np.bool_:
        return array.astype(np.float32)
    if np.issubdtype(array.dtype, np.integer):
        info = np.iinfo(array.dtype)
        return (array.astype(np.float32) - info.min) / float(info.max - info.min)
    if np.issubdtype(array.dtype, np.floating):
        # Clipped before the cast, so float64 values beyond float32's range do not overflow.
        return np.clip(np.nan_to_num(array, nan=0.0), 0.0, 1.0).astype(np.float32)
    raise TypeError(f"cannot read an image from an array of dtype {array.dtype}")


def ink_map(image) -> np.ndarray:
    """Ink per pixel, 0 (background) to 1 (full stroke), whatever the image's polarity.

    `image` is an array (H, W), (H, W, 1|2|3|4) or anything np.asarray turns into one, such as a
    PIL image. Where the alpha channel varies, transparent pixels are background and opacity is
    ink. Otherwise the background is the median of the border pixels, which tells dark ink on
    light paper from light ink on dark; a grey background is subtracted so it is not ink.
    """
    pixels = np.asarray(image)
    if pixels.ndim in (2, 3) and 0 in pixels.shape[:2]:
        raise ValueError("the image is empty (zero width or height)")
    if pixels.ndim == 3 and pixels.shape[2] in (1, 2, 3, 4):
        channels = pixels.shape[2]
        if channels in (2, 4):
            alpha = _as_unit_float(pixels[..., -1])
            # Uniform alpha, even see-through, says nothing about where the ink is; the colours do.
            if alpha.min() < 0.99 and alpha.max() - alpha.min() > ALPHA_VARIES:
                return alpha
        # Channel by channel: converting the whole (H, W, 4) array to float first costs 3x more.
        if channels >= 3:
            grey = sum(weight * _as_unit_float(pixels[..., c]) for c, weight in enumerate(_LUMA))
        else:
            grey = _as_unit_float(pixels[..., 0])
    elif pixels.ndim == 2:
        grey = _as_unit_float(pixels)
    else:
        raise ValueError(f"an image must be (H, W) or (H, W, channels), not shape {pixels.shape}")
    return _ink_from_grey(grey, _border(grey))


def ink_in_box(image) -> tuple[np.ndarray, tuple[int, int, int, int] | None]:
    """The ink map inside the strokes' box, and that box (ink_box of ink_map), or (empty, None)."""
    crop, levels, box = levels_in_box(image)
    return (crop if levels is None else levels[crop]), box


def levels_in_box(image) -> tuple[np.ndarray, np.ndarray | None, tuple[int, int, int, int] | None]:
    """ink_in_box's crop and box, but for a grey 8-bit image (the canvas, a greyscale file) the crop
    is its 8-bit levels and comes with the ink of each of the 256 levels (`levels[crop]` is the
    ink): a wide canvas is mostly background, not worth turning into floats, and a caller that
    needs only a coarse view of the ink can make it from the levels. Any other image: its ink
    crop, None, its box."""
    pixels = np.asarray(image)
    if not (pixels.ndim == 2 and pixels.dtype == np.uint8 and pixels.size):
        ink = ink_map(pixels)
        box = ink_box(ink)
        return (
            (ink, None, None) if box is None else (ink[box[1] : box[1] + box[3], box[0] : box[0] + box[2]], None, box)
        )
    levels = _levels_ink(*_middle_levels(_border(pixels)))
    inked = np.flatnonzero(levels > INK_THRESHOLD)
    if inked.size == 0:
        return pixels[:0, :0], levels, None
    # Ink grows with a level's distance from the background, so the stroke levels are one run
    # reaching black or white: a row or column holds a stroke where its darkest (or lightest)
    # level is in the run, which a min (max) reduction of the 8-bit levels finds quickly.
    if inked[0] == 0:
        rows = np.flatnonzero(pixels.min(axis=1) <= inked[-1])
    else:
        rows = np.flatnonzero(pixels.max(axis=1) >= inked[0])
    if rows.size == 0:
        return pixels[:0, :0], levels, None
    band = pixels[rows[0] : rows[-1] + 1]
    cols = np.flatnonzero(band.min(axis=0) <= inked[-1] if inked[0] == 0 else band.max(axis=0) >= inked[0])
    box = (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))
    return band[:, cols[0] : cols[-1] + 1], levels, box


def _middle_levels(levels: np.ndarray) -> tuple[int, ...]:
    """The middle one or two of many 8-bit levels in order, the ones their median is made from,
    counted rather than sorted."""
    middle = {(levels.size - 1) // 2, levels.size // 2}
    if levels.min() == levels.max():  # a clean background (the canvas): nothing to count
        return (int(levels[0]),) * len(middle)
    below = np.bincount(levels, minlength=256).cumsum()
    return tuple(int(np.searchsorted(below, k, side="right")) for k in sorted(middle))


@functools.lru_cache(maxsize=16)
def _levels_ink(*middle: int) -> np.ndarray:
    """The ink of each of the 256 grey levels of an 8-bit image whose border's median is made from
    the levels `middle` (the same as _ink_from_grey of its whole border; made once a background)."""
    levels = _ink_from_grey(_as_unit_float(np.arange(256, dtype=np.uint8)), _as_unit_float(np.array(middle, np.uint8)))
    levels.flags.writeable = False
    return levels


def _border(image: np.ndarray) -> np.ndarray:
    return np.concatenate((image[0], image[-1], image[:, 0], image[:, -1]))


def _ink_from_grey(grey: np.ndarray, border: np.ndarray) -> np.ndarray:
    """Ink of grey levels in 0..1, against the background the border's median says."""
    background = float(np.median(border))
    ink = grey if background < 0.5 else 1.0 - grey
    background_ink = min(background, 1.0 - background)
    return np.clip((ink - background_ink) / (1.0 - background_ink), 0.0, 1.0)


def preprocess(image) -> np.ndarray | None:
    """The 32x32 float32 frame (0 background .. 1 ink) the network sees, or None for no digit."""
    ink = ink_map(image)
    box = ink_box(ink)
    if box is None or max(box[2], box[3]) < MIN_DIGIT_EXTENT * max(ink.shape):
        return None
    return frame_from_ink(ink, box)


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x, y, width, height) of the strokes in an ink map, or None where there are none."""
    strokes = ink > INK_THRESHOLD
    rows = np.flatnonzero(strokes.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(strokes.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)


def frame_from_ink(ink: np.ndarray, box: tuple[int, int, int, int], block: int = 1) -> np.ndarray:
    """The 32x32 frame of the digit whose strokes fill `box` in an ink map.

    Shared by a single drawing (preprocess) and each digit of a number (core.numbers), whose ink
    map holds only that digit's strokes, so every digit is made by the same MNIST recipe. With
    `block` > 1 the ink map is the image's ink averaged over block x block squares and `box` is
    still in the image's pixels: each square weighs in the resize what its pixels would, which
    gives nearly the full-resolution frame at a fraction of the cost (a number's candidates)."""
    x, y, width, height = box
    (frame,) = frames_from_ink([ink[y // block :, x // block :]], [(x % block, y % block, width, height)], block)
    return frame


def frames_from_ink(
    windows: Sequence[np.ndarray], boxes: Sequence[tuple[int, int, int, int]], block: int = 1
) -> np.ndarray:
    """(N, 32, 32): frame_from_ink of many digits at once, each digit's ink map starting at the
    square that holds its box's top-left pixel (`boxes`: that pixel's place in the square, the
    box's width and height). Only the resize is made digit by digit; the centring and placing
    are a few numpy calls for all of them, which is what makes a number's candidates cheap."""
    digits = np.zeros((len(boxes), DIGIT_BOX, DIGIT_BOX), dtype=np.float32)
    sizes = np.empty((len(boxes), 2), dtype=np.int64)
    for k, (window, (x, y, width, height)) in enumerate(zip(windows, boxes)):
        scale = DIGIT_BOX / max(height, width)
        rows = _resize_weights(height, max(1, round(height * scale)), y, block)
        cols = _resize_weights(width, max(1, round(width * scale)), x, block)
        if cols.shape[0] == 1:
            # torch's antialiased interpolate, which made every frame before, gives a one-column
            # result its first row's value all the way down; kept so a thin 1 keeps its frame.
            rows = np.repeat(rows[:1], rows.shape[0], axis=0)
        window = window[: rows.shape[1], : cols.shape[1]]
        digits[k, : rows.shape[0], : cols.shape[0]] = (rows @ window.astype(np.float32, copy=False)) @ cols.T
        sizes[k] = rows.shape[0], cols.shape[0]
    np.clip(digits, 0.0, 1.0, out=digits)
    index = np.arange(DIGIT_BOX, dtype=np.float32)
    total = digits.sum(axis=(1, 2))
    # Sums along each digit's own rows, not a matrix-vector product, whose rounding depends on
    # where a digit falls in the batch: a digit's frame is the same whichever digits come with it.
    centre_row = ((digits.sum(axis=2) * index).sum(axis=1) / total).astype(np.float64)
    centre_col = ((digits.sum(axis=1) * index).sum(axis=1) / total).astype(np.float64)
    return _place(digits, sizes, MNIST_CENTRE[0] - centre_row, MNIST_CENTRE[1] - centre_col)


@functools.lru_cache(maxsize=4096)
def _resize_weights(source: int, target: int, start: int = 0, block: int = 1) -> np.ndarray:
    """(target, squares) weights that scale `source` pixels to `target`, longer side to DIGIT_BOX,
    as torch's bilinear interpolate with antialias=True computes them (PIL's triangle filter,
    widened by the scale when shrinking): two small matrix products instead of a torch call
    whose overhead was most of a small digit's cost. With `block` > 1, summed over the
    block-pixel squares the source lies in, its first pixel `start` pixels into its square."""
    scale = source / target
    support, stretch = (scale, 1.0 / scale) if scale >= 1.0 else (1.0, 1.0)
    centre = scale * (np.arange(target) + 0.5)
    first = np.maximum((centre - support + 0.5).astype(int), 0)
    end = np.minimum((centre + support + 0.5).astype(int), source)
    pixel = np.arange(source)
    weights = np.maximum(0.0, 1.0 - np.abs((pixel - centre[:, None] + 0.5) * stretch))
    weights[(pixel < first[:, None]) | (pixel >= end[:, None])] = 0.0
    weights /= weights.sum(axis=1, keepdims=True)
    if block > 1:
        weights = np.add.reduceat(weights, np.r_[0, np.arange(block - start, source, block)], axis=1)
    weights = weights.astype(np.float32)
    weights.flags.writeable = False
    return weights


def _place(digits: np.ndarray, sizes: np.ndarray, top: np.ndarray, left: np.ndarray) -> np.ndarray:
    """Put each digit (its `sizes` in the top-left of `digits`, zeros beyond) into a 32x32 frame at
    a fractional offset, split bilinearly over the four neighbouring whole-pixel offsets. MNIST
    rounded to whole pixels; keeping the fraction makes the input move smoothly rather than jump a
    pixel when a drawing shifts slightly."""
    count = len(digits)
    top = np.minimum(np.maximum(top, 0.0), INPUT_SIZE - sizes[:, 0])
    left = np.minimum(np.maximum(left, 0.0), INPUT_SIZE - sizes[:, 1])
    # Placing is a product with two (32, DIGIT_BOX) matrices per digit: its row i goes to rows
    # int(top) + i and the one below, weighed by the fraction; likewise its columns.
    span = np.arange(DIGIT_BOX)
    every = np.arange(count)[:, None]
    placing = []
    for offset in (top, left):
        whole = offset.astype(np.int64)
        fraction = (offset - whole).astype(np.float32)[:, None]
        matrix = np.zeros((count, INPUT_SIZE + DIGIT_BOX + 1, DIGIT_BOX), dtype=np.float32)
        matrix[every, whole[:, None] + span, span] = 1 - fraction
        matrix[every, whole[:, None] + span + 1, span] = fraction
        placing.append(matrix[:, :INPUT_SIZE])
    frames = placing[0] @ digits @ placing[1].transpose(0, 2, 1)
    # MNIST strokes reach full intensity; a thin pen shrunk tenfold, or the split, would not.
    return frames / frames.max(axis=(1, 2), keepdims=True)
