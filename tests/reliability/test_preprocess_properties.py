"""Property tests of preprocess(): whatever valid image it is given (strokes, dots, lines along the
border, ink everywhere, huge or tiny, any dtype it accepts), it never raises and answers either
"no digit" or a 32x32 float32 frame, finite, in 0..1. Where the answer is known it is checked: a
blank image or a speck is "no digit", a firm stroke across the image is a digit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image, ImageDraw

from lenet_desktop.core.preprocess import preprocess

QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

INTEGER_DTYPES = [np.uint8, np.uint16, np.uint32, np.uint64, np.int8, np.int16, np.int32, np.int64]
FLOAT_DTYPES = [np.float16, np.float32, np.float64]
ALL_DTYPES = [*INTEGER_DTYPES, *FLOAT_DTYPES, np.bool_]


def assert_valid_answer(frame, digit: bool | None = None) -> None:
    """`digit`: whether the image holds a digit, where the test knows; None where it may go either way."""
    if digit is not None:
        assert (frame is not None) == digit, "a digit expected" if digit else "no digit expected"
    if frame is None:
        return
    assert isinstance(frame, np.ndarray)
    assert frame.shape == (32, 32) and frame.dtype == np.float32
    assert np.isfinite(frame).all()
    assert frame.min() >= 0.0 and frame.max() <= 1.0
    assert frame.max() > 0.0, "a digit has ink"


def as_dtype(unit: np.ndarray, dtype) -> np.ndarray:
    """A 0..1 float image in `dtype`, spanning that dtype's range as preprocess reads it."""
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return unit > 0.5
    if np.issubdtype(dtype, np.integer):
        # 256 levels spread over the whole range in integer arithmetic (floats cannot hold 2**64 - 1):
        # the unsigned value, then for signed types the top bit flipped, which subtracts 2**(bits-1).
        unsigned = np.dtype(f"u{dtype.itemsize}")
        step = unsigned.type(np.iinfo(unsigned).max // 255)
        levels = np.rint(unit * 255).astype(unsigned) * step
        return levels if dtype == unsigned else (levels ^ unsigned.type(1 << (8 * dtype.itemsize - 1))).view(dtype)
    return unit.astype(dtype)


def with_channels(grey: np.ndarray, channels: int | None) -> np.ndarray:
    """Grey as (H, W), or repeated to 1 or 3 channels, or with an opaque alpha channel (2 or 4)."""
    if channels is None:
        return grey
    colour = np.repeat(grey[..., None], 1 if channels in (1, 2) else 3, axis=2)
    if channels in (2, 4):
        opaque = (
            np.ones_like(grey[..., None]) if grey.dtype == np.bool_ else np.full_like(grey[..., None], _top(grey.dtype))
        )
        colour = np.concatenate([colour, opaque], axis=2)
    return colour


def _top(dtype):
    return np.iinfo(dtype).max if np.issubdtype(dtype, np.integer) else 1.0


@st.composite
def drawings(draw, min_side: int = 8, max_side: int = 400):
    """Random strokes, dots and border lines drawn with PIL, in a random size, polarity, dtype and layout."""
    width = draw(st.integers(min_side, max_side))
    height = draw(st.integers(min_side, max_side))
    image = Image.new("L", (width, height), 0)
    pen = ImageDraw.Draw(image)
    point = st.tuples(st.integers(-5, width + 5), st.integers(-5, height + 5))
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["stroke", "dot", "border"]))
        ink = draw(st.integers(1, 255))
        if kind == "stroke":
            points = draw(st.lists(point, min_size=2, max_size=8))
            pen.line(points, fill=ink, width=draw(st.integers(1, max(1, min(width, height) // 4))))
        elif kind == "dot":
            x, y = draw(point)
            radius = draw(st.integers(0, max(1, min(width, height) // 3)))
            pen.ellipse([x - radius, y - radius, x + radius, y + radius], fill=ink)
        else:
            edge = draw(st.sampled_from(["top", "bottom", "left", "right"]))
            line = {
                "top": [(0, 0), (width, 0)],
                "bottom": [(0, height - 1), (width, height - 1)],
                "left": [(0, 0), (0, height)],
                "right": [(width - 1, 0), (width - 1, height)],
            }[edge]
            pen.line(line, fill=ink, width=draw(st.integers(1, 3)))
    unit = np.asarray(image, dtype=np.float32) / 255
    if draw(st.booleans()):
        unit = 1.0 - unit  # dark ink on light paper
    dtype = draw(st.sampled_from(ALL_DTYPES))
    return with_channels(as_dtype(unit, dtype), draw(st.sampled_from([None, 1, 2, 3, 4])))


@QUICK
@given(drawings())
def test_any_drawing_gives_a_valid_answer(image):
    assert_valid_answer(preprocess(image))


@QUICK
@given(
    hnp.arrays(
        dtype=st.sampled_from(ALL_DTYPES),
        shape=st.tuples(st.integers(1, 12), st.integers(1, 12))
        | st.tuples(st.integers(1, 12), st.integers(1, 12), st.integers(1, 4)),
        elements=None,
    )
)
def test_any_tiny_array_of_any_dtype_and_any_values_gives_a_valid_answer(image):
    """Tiny images with arbitrary values: NaN, infinities, negatives and extremes included."""
    assert_valid_answer(preprocess(image))


@QUICK
@given(
    dtype=st.sampled_from(ALL_DTYPES),
    height=st.integers(1, 300),
    width=st.integers(1, 300),
    channels=st.sampled_from([None, 1, 2, 3, 4]),
    level=st.floats(0, 1),
    alpha=st.floats(0, 1),
)
def test_a_blank_image_is_always_no_digit(dtype, height, width, channels, level, alpha):
    """One value everywhere, ink or paper, opaque or (with an alpha channel) uniformly see-through."""
    image = as_dtype(np.full((height, width), level, np.float32), dtype)
    image = with_channels(image, channels)
    if channels in (2, 4):
        image[..., -1] = as_dtype(np.full((height, width), alpha, np.float32), dtype)
    assert preprocess(image) is None


@QUICK
@given(dtype=st.sampled_from(ALL_DTYPES), side=st.integers(2, 300), level=st.floats(0.3, 1), dark_ink=st.booleans())
def test_everything_inked_is_blank_not_a_square(dtype, side, level, dark_ink):
    unit = np.full((side, side), level if not dark_ink else 1 - level, np.float32)
    assert preprocess(as_dtype(unit, dtype)) is None


@QUICK
@given(side=st.integers(2, 60), row=st.integers(0, 59), col=st.integers(0, 59), dark_ink=st.booleans())
def test_a_single_inked_pixel_is_a_digit_only_in_a_tiny_image(side, row, col, dark_ink):
    """One pixel is 1/side of the image: a digit in a thumbnail, a stray click in a picture of 26 px
    and more (a speck under 4 % of the longer side is no digit: MIN_DIGIT_EXTENT)."""
    unit = np.zeros((side, side), np.float32)
    unit[row % side, col % side] = 1.0
    assert_valid_answer(preprocess(1.0 - unit if dark_ink else unit), digit=side <= 25)


@QUICK
@given(
    dtype=st.sampled_from(ALL_DTYPES),
    channels=st.sampled_from([None, 1, 2, 3, 4]),
    width=st.integers(20, 400),
    height=st.integers(20, 400),
    ends=st.tuples(*[st.floats(0.15, 0.85)] * 4),
    pen=st.floats(0.01, 0.08),
    ink=st.floats(0.6, 1.0),
    dark_ink=st.booleans(),
)
def test_a_firm_stroke_across_the_image_is_a_digit(dtype, channels, width, height, ends, pen, ink, dark_ink):
    """A stroke clear of the border, in ink well above the noise level, at least a fifth of the
    image long: whatever its dtype, layout or polarity, it is read as a digit."""
    x0, y0, x1, y1 = ends
    if max(abs(x1 - x0) * width, abs(y1 - y0) * height) < 0.2 * max(width, height):
        if width >= height:  # lengthened along the longer side, staying clear of the border
            x1 = x0 + (0.2 if x0 < 0.5 else -0.2)
        else:
            y1 = y0 + (0.2 if y0 < 0.5 else -0.2)
    image = Image.new("L", (width, height), 0)
    ImageDraw.Draw(image).line(
        [(x0 * width, y0 * height), (x1 * width, y1 * height)],
        fill=round(255 * ink),
        width=max(2, round(pen * min(width, height))),
    )
    unit = np.asarray(image, dtype=np.float32) / 255
    assert_valid_answer(
        preprocess(with_channels(as_dtype(1.0 - unit if dark_ink else unit, dtype), channels)), digit=True
    )


@pytest.mark.slow
@HEAVY
@given(drawings(min_side=1500, max_side=4000))
def test_huge_drawings_give_a_valid_answer(image):
    assert_valid_answer(preprocess(image))
