"""Reading image files from outside: any format Pillow knows, refused with a reason otherwise."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from lenet_desktop.core.errors import QT_TRANSLATE_NOOP, TranslatableError

MAX_PIXELS = 50_000_000  # beyond this an image is refused, judged from its header before it is decoded
# Larger images are shrunk by a whole factor while read: preprocess() brings the digit to 20 px
# anyway, and a full-size 50 MP photo would need over a gigabyte on its way through it.
MAX_SIDE = 2048
_WIDE_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I", "F")  # 16-bit, 32-bit and float grey
_ALPHA_MODES = ("RGBA", "LA", "PA", "La", "RGBa")


class ImageError(TranslatableError, ValueError):
    """An image file that cannot be used as a drawing; the message is one line."""


@dataclass(frozen=True)
class Shrink:
    """How an image was shrunk while read: by a whole `factor` from `size` (width, height) pixels."""

    factor: int
    size: tuple[int, int]

    def box_in_file(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A box (x, y, width, height) in the pixels read, in the file's own pixels."""
        x, y, width, height = (value * self.factor for value in box)
        # The last pixel read stands for what was left of the file, fewer than `factor` pixels.
        return x, y, min(width, self.size[0] - x), min(height, self.size[1] - y)


def load_image(path: str | Path) -> np.ndarray:
    """The file's first frame as an array preprocess() accepts: grey, grey+alpha, or float grey."""
    return load_image_shrunk(path)[0]


def load_image_shrunk(path: str | Path) -> tuple[np.ndarray, Shrink]:
    """load_image, with how the image was shrunk to be read (MAX_SIDE)."""
    path = Path(path)
    if path.is_dir():
        raise ImageError(QT_TRANSLATE_NOOP("core", "{path}: is a folder, not an image"), path=path)
    if not path.exists():
        raise ImageError(QT_TRANSLATE_NOOP("core", "{path}: no such file"), path=path)
    if not path.is_file():  # a device or a pipe: reading it could wait forever
        raise ImageError(QT_TRANSLATE_NOOP("core", "{path}: not a file"), path=path)
    return _read(path, str(path))  # named as every other line names a file: by its path, not its name alone


def image_from_bytes(data: bytes, name: str) -> np.ndarray:
    """Like load_image, for an image held in memory (pasted or dropped); `name` is what messages call it."""
    return _read(io.BytesIO(data), name)[0]


def _read(source, name: str) -> tuple[np.ndarray, Shrink]:
    try:
        with Image.open(source) as image:
            width, height = image.size
            if width == 0 or height == 0:
                raise ImageError(
                    QT_TRANSLATE_NOOP("core", "{name}: the image is empty ({width}x{height})"),
                    name=name,
                    width=width,
                    height=height,
                )
            if width * height > MAX_PIXELS:
                raise ImageError(
                    QT_TRANSLATE_NOOP(
                        "core",
                        "{name}: {width}x{height} is too large ({megapixels:.0f} MP, the limit is {limit:.0f} MP)",
                    ),
                    name=name,
                    width=width,
                    height=height,
                    megapixels=width * height / 1e6,
                    limit=MAX_PIXELS / 1e6,
                )
            frame = next(ImageSequence.Iterator(image))
            # Upright as every viewer shows it: phones store photos turned, with an EXIF Orientation.
            # In place: without an orientation it would otherwise copy every image at full size.
            ImageOps.exif_transpose(frame, in_place=True)
            return image_to_array(frame, MAX_SIDE), Shrink(_shrink_factor(frame.size, MAX_SIDE), frame.size)
    except Image.DecompressionBombError:
        # Pillow refuses before we can read the size when the header claims a gigantic image.
        raise ImageError(
            QT_TRANSLATE_NOOP("core", "{name}: the image is too large (the limit is {limit:.0f} MP)"),
            name=name,
            limit=MAX_PIXELS / 1e6,
        ) from None
    except UnidentifiedImageError:
        raise ImageError(QT_TRANSLATE_NOOP("core", "{name}: not an image this app can read"), name=name) from None
    except PermissionError:
        raise ImageError(QT_TRANSLATE_NOOP("core", "{name}: not allowed to read this file"), name=name) from None
    except ImageError as error:
        if error.told.fields.get("name") == name:
            raise
        raise ImageError(QT_TRANSLATE_NOOP("core", "{name}: {reason}"), name=name, reason=error) from None
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError(
            QT_TRANSLATE_NOOP("core", "{name}: the image is damaged ({reason})"), name=name, reason=error
        ) from None


def image_to_array(image: Image.Image, max_side: int | None = None) -> np.ndarray:
    """A Pillow image of any mode as grey (H, W) or grey+alpha (H, W, 2).

    Images wider than 8 bits come back as float32 scaled by their brightest pixel. With
    `max_side`, a larger image is shrunk by the smallest whole factor that brings it within.
    """
    readable = _grey(image)
    factor = _shrink_factor(readable.size, max_side)
    if factor > 1:
        readable = readable.reduce(factor)
    if readable.mode == "F":
        values = np.asarray(readable, dtype=np.float32)
        finite = np.isfinite(values)
        if not finite.all():
            # A float TIFF may hold inf or nan, and dividing by an infinite peak made every pixel nan
            # (with numpy's RuntimeWarning): +inf is as bright as the brightest pixel, -inf and nan are dark.
            brightest = float(values[finite].max(initial=0.0))
            values = np.nan_to_num(values, nan=0.0, posinf=brightest if brightest > 0 else 1.0, neginf=0.0)
        peak = float(values.max())
        return values / peak if peak > 0 else values
    return np.asarray(readable)


def _shrink_factor(size: tuple[int, int], max_side: int | None) -> int:
    return math.ceil(max(size) / max_side) if max_side else 1


def _grey(image: Image.Image) -> Image.Image:
    """The image in mode L, LA or F: the modes image_to_array knows how to hand over."""
    if image.mode in _WIDE_MODES:
        return image.convert("F")
    if image.mode == "LAB":  # Pillow cannot convert LAB, but its L channel is the lightness
        return image.getchannel("L")
    has_alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    try:
        return image.convert("LA" if has_alpha else "L")
    except ValueError:
        raise ImageError(QT_TRANSLATE_NOOP("core", "colour mode {mode} is not supported"), mode=image.mode) from None
