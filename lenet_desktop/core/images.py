"""Reading image files from outside: any format Pillow knows, refused with a reason otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

MAX_PIXELS = 50_000_000  # beyond this an image is refused before it is decoded


class ImageError(ValueError):
    """An image file that cannot be used as a drawing; the message is one line."""


def load_image(path: str | Path) -> np.ndarray:
    """The file's first frame as an array preprocess() accepts: grey, grey+alpha, or 16-bit grey."""
    path = Path(path)
    if not path.is_file():
        raise ImageError(f"{path}: no such file")
    try:
        with Image.open(path) as image:
            width, height = image.size
            if width == 0 or height == 0:
                raise ImageError(f"{path.name}: the image is empty ({width}x{height})")
            if width * height > MAX_PIXELS:
                raise ImageError(
                    f"{path.name}: {width}x{height} is too large ({width * height / 1e6:.0f} MP; the limit is {MAX_PIXELS / 1e6:.0f} MP)"
                )
            return image_to_array(next(ImageSequence.Iterator(image)))
    except ImageError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ImageError(f"{path.name}: not an image this app can read") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError(f"{path.name}: the image is damaged ({_first_line(error)})") from None


def image_to_array(image: Image.Image) -> np.ndarray:
    """A Pillow image of any mode as grey (H, W) or grey+alpha (H, W, 2)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        values = np.asarray(image, dtype=np.float32)
        peak = float(values.max())
        return values / peak if peak > 0 else values
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    return np.asarray(image.convert("LA" if has_alpha else "L"))


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
