"""preprocess(): the one path from any drawing to the network's 32x32 input."""

import io

import numpy as np
import pytest
from digit_strokes import DIGITS, all_drawings, render_strokes
from PIL import Image

from lenet_desktop.core.images import load_image
from lenet_desktop.core.preprocess import ink_box, ink_in_box, ink_map, preprocess


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


@pytest.fixture
def three():
    return render_strokes(DIGITS[3][0], size=280, pen=18, box=(0.2, 0.2, 0.6, 0.6))


def test_output_is_a_32x32_frame_in_unit_range(three):
    frame = preprocess(three)
    assert frame.shape == (32, 32) and frame.dtype == np.float32
    assert frame.min() >= 0.0 and frame.max() == pytest.approx(1.0)
    # As in MNIST, the digit fits a 20x20 box inside the 28x28 field, so a 2 px margin stays empty.
    rows, cols = np.nonzero(frame > 0.05)
    assert rows.min() >= 2 and cols.min() >= 2 and rows.max() <= 29 and cols.max() <= 29
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) + 1 <= 21


def test_centre_of_mass_is_where_mnist_puts_it(three):
    frame = preprocess(three)
    index = np.arange(32)
    assert (frame.sum(axis=1) @ index) / frame.sum() == pytest.approx(16.0, abs=0.6)
    assert (frame.sum(axis=0) @ index) / frame.sum() == pytest.approx(16.0, abs=0.6)


def _variants(strokes, rng):
    """(kind, image) pairs: moved, scaled x0.3..x3, and drawn with a 2..40 px pen."""
    for _ in range(4):
        left, top = rng.uniform(0.0, 0.7, size=2)
        yield "moved", render_strokes(strokes, pen=8, box=(left, top, 0.3, 0.3))
    for factor in (0.3, 0.6, 1.5, 3.0):
        side = 0.3 * factor
        yield "scaled", render_strokes(strokes, pen=8 * factor, box=((1 - side) / 2, (1 - side) / 2, side, side))
    for pen in (2, 6, 12, 24, 40):
        yield "pen", render_strokes(strokes, pen=pen, box=(0.2, 0.2, 0.6, 0.6))


def test_moving_scaling_and_pen_width_keep_what_the_user_sees(shipped_classifier):
    """What the window shows for a drawing: its answer, and whether it is sure or unsure.

    Where the answer for the reference drawing is sure, moving it, scaling it x0.3..x3 or drawing it
    with any pen from 2 to 40 px keeps that answer. Moving it changes only where the strokes fall
    between pixels, so it also keeps the band; a thick pen may fill small loops (an 8 in 40 px), so
    it may turn sure into unsure, but never into another digit."""
    from lenet_desktop.core.predict import predict_frame

    rng = np.random.default_rng(0)
    sure_references = 0
    for digit, strokes in all_drawings():
        reference = predict_frame(
            shipped_classifier, preprocess(render_strokes(strokes, pen=8, box=(0.35, 0.35, 0.3, 0.3)))
        )
        if reference.unsure:
            continue
        sure_references += 1
        for kind, image in _variants(strokes, rng):
            variant = predict_frame(shipped_classifier, preprocess(image))
            assert variant.digit == reference.digit, f"a {digit} {kind}: {variant.digit} instead of {reference.digit}"
            if kind == "moved":
                assert not variant.unsure, f"a {digit} moved: unsure ({variant.confidence:.1%})"
    assert sure_references >= 0.9 * len(all_drawings())


def test_polarity_is_detected(three):
    assert np.allclose(preprocess(three), preprocess(255 - three))


def test_rgb_rgba_and_grey_agree(three):
    rgb = np.repeat(three[..., None], 3, axis=2)
    rgba = np.concatenate([rgb, np.full_like(three, 255)[..., None]], axis=2)
    assert np.allclose(preprocess(three), preprocess(rgb), atol=1e-5)
    assert np.allclose(preprocess(three), preprocess(rgba), atol=1e-5)


@pytest.mark.parametrize("colour", [0, 255])
def test_transparent_background_counts_as_background(three, colour, tmp_path):
    """A PNG with ink painted on a transparent layer, whatever colour the ink is."""
    alpha = 255 - three
    rgba = np.zeros((*three.shape, 4), dtype=np.uint8)
    rgba[..., :3] = colour
    rgba[..., 3] = alpha
    path = tmp_path / "transparent.png"
    Image.fromarray(rgba, "RGBA").save(path)
    assert np.allclose(preprocess(load_image(path)), preprocess(three), atol=1e-5)


def test_other_dtypes_give_the_same_frame(three):
    as_float = three.astype(np.float32) / 255
    as_uint16 = three.astype(np.uint16) * 257
    as_bool = three > 127
    assert np.allclose(preprocess(as_float), preprocess(three), atol=1e-5)
    assert np.allclose(preprocess(as_uint16), preprocess(three), atol=1e-5)
    assert cosine(preprocess(as_bool), preprocess(three)) > 0.95


@pytest.mark.parametrize(
    "image",
    [
        np.full((280, 280), 255, np.uint8),
        np.zeros((280, 280), np.uint8),
        np.full((280, 280, 4), 0, np.uint8),
        np.full((50, 80), 128, np.uint8),
    ],
    ids=["white", "black", "transparent", "grey"],
)
def test_blank_is_no_digit(image):
    assert preprocess(image) is None


def test_faint_noise_and_a_speck_are_no_digit():
    rng = np.random.default_rng(1)
    noisy = (255 - rng.integers(0, 30, size=(280, 280))).astype(np.uint8)
    assert preprocess(noisy) is None
    speck = np.full((280, 280), 255, np.uint8)
    speck[100:104, 150:153] = 0
    assert preprocess(speck) is None


def test_grey_background_is_not_ink(three):
    grey_paper = (three.astype(np.float32) * 0.6 + 40).astype(np.uint8)  # ink 40, paper 193
    assert cosine(preprocess(grey_paper), preprocess(three)) > 0.99


def test_ink_map_is_zero_on_background_and_one_on_strokes(three):
    ink = ink_map(three)
    assert ink[0, 0] == 0.0 and ink.max() == 1.0


def test_png_bytes_round_trip(three, tmp_path):
    buffer = io.BytesIO()
    Image.fromarray(three).save(buffer, format="PNG")
    path = tmp_path / "three.png"
    path.write_bytes(buffer.getvalue())
    assert np.allclose(preprocess(load_image(path)), preprocess(three))


def test_ink_in_box_is_ink_map_inside_ink_box():
    rng = np.random.default_rng(3)
    images = [render_strokes(DIGITS[d][0]) for d in range(10)]
    images += [255 - images[4], np.full((20, 30), 255, np.uint8), np.full((20, 30), 90, np.uint8)]
    for _ in range(30):  # grey paper, faint and strong marks, light or dark
        image = np.full(tuple(rng.integers(5, 60, size=2)), rng.integers(0, 256), np.uint8)
        marks = rng.random(image.shape) < 0.05
        image[marks] = rng.integers(0, 256, size=marks.sum())
        images.append(image)
    for image in (
        images + [image.astype(np.float64) / 255 for image in images[:3]] + [np.stack([images[0]] * 3, axis=2)]
    ):
        ink = ink_map(image)
        box = ink_box(ink)
        crop, found = ink_in_box(image)
        assert found == box
        if box is not None:
            x, y, width, height = box
            assert crop.dtype == ink.dtype
            np.testing.assert_array_equal(crop, ink[y : y + height, x : x + width])


def test_the_resize_is_torchs_antialiased_bilinear_interpolate():
    # The frames are what torch's F.interpolate(antialias=True) made before it was replaced by
    # two matrix products: same weights, to float rounding.
    import torch
    import torch.nn.functional as F

    from lenet_desktop.core.preprocess import _resize_weights

    rng = np.random.default_rng(5)
    for _ in range(60):
        height, width = (int(side) for side in rng.integers(2, 300, size=2))
        ink = rng.random((height, width)).astype(np.float32)
        scale = 20 / max(height, width)
        size = (max(1, round(height * scale)), max(2, round(width * scale)))
        expected = F.interpolate(
            torch.from_numpy(ink)[None, None], size=size, mode="bilinear", antialias=True, align_corners=False
        )[0, 0].numpy()
        rows, cols = _resize_weights(height, size[0]), _resize_weights(width, size[1])
        np.testing.assert_allclose(rows @ ink @ cols.T, expected, atol=1e-5)


def test_a_frame_from_ink_averaged_over_squares_is_nearly_the_full_resolution_frame(three):
    from lenet_desktop.core.preprocess import frame_from_ink

    ink = ink_map(three)
    box = ink_box(ink)
    exact = frame_from_ink(ink, box)
    for block in (2, 3):  # the digit (168 px high) 84 and 56 squares high; numbers use >= about 96
        rows, cols = -(-ink.shape[0] // block), -(-ink.shape[1] // block)
        padded = np.zeros((rows * block, cols * block), np.float32)
        padded[: ink.shape[0], : ink.shape[1]] = ink
        squares = padded.reshape(rows, block, cols, block).mean(axis=(1, 3))
        coarse = frame_from_ink(squares, box, block)
        assert np.abs(coarse - exact).max() < 0.05, block
        assert cosine(coarse, exact) > 0.999


def test_frames_made_together_are_each_digits_own_frame():
    # A number's candidates are framed in one call; each must be the frame made alone, value for value
    # (the window reuses frames made with other candidates).
    from lenet_desktop.core.preprocess import frame_from_ink, frames_from_ink

    rng = np.random.default_rng(3)
    inks = [(rng.random((int(h), int(w))) > 0.6).astype(np.float32) for h, w in rng.integers(3, 120, size=(12, 2))]
    together = frames_from_ink(inks, [(0, 0, ink.shape[1], ink.shape[0]) for ink in inks])
    for ink, frame in zip(inks, together):
        x, y = (int(side) for side in rng.integers(0, 9, size=2))  # the digit anywhere in a larger ink map
        alone = frame_from_ink(np.pad(ink, ((y, 5), (x, 5))), (x, y, ink.shape[1], ink.shape[0]))
        np.testing.assert_array_equal(frame, alone)  # whichever digits come with it
