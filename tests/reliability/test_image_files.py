"""Image files from outside, for predict and for the canvas: a clear one-line message or a sensible
prediction, never a crash, and a gigantic image never decoded in full."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from bad_files import digit_picture, png_with_header, save_image
from PIL import Image

from lenet_desktop.cli import main
from lenet_desktop.core.images import MAX_SIDE, ImageError, load_image, load_image_shrunk
from lenet_desktop.core.predict import recognise
from lenet_desktop.core.preprocess import ink_box, ink_map, preprocess


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def _refused(path) -> str:
    with pytest.raises(ImageError) as error:
        load_image(path)
    message = str(error.value)
    assert "\n" not in message and path.name in message, message
    return message


def test_a_text_file_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("shopping list\n")
    assert "not an image" in _refused(path)


def test_a_truncated_png_is_damaged(tmp_path):
    whole = save_image(tmp_path / "whole.png", digit_picture(), "L").read_bytes()
    path = tmp_path / "truncated.png"
    path.write_bytes(whole[: len(whole) // 2])
    assert "damaged" in _refused(path)


@pytest.mark.parametrize("width, height", [(0, 0), (0, 40), (40, 0)])
def test_a_zero_size_image_is_refused(tmp_path, width, height):
    path = tmp_path / "empty.png"
    png_with_header(path, width, height)
    _refused(path)


@pytest.mark.parametrize("width, height", [(20_000, 20_000), (9_000, 9_000), (1_000_000, 60)])
def test_a_gigantic_image_is_refused_from_its_header(tmp_path, width, height):
    """The header claims more pixels than the limit; the file itself is a few bytes, so a
    reader that decoded before checking would fail differently (damaged), not say 'too large'."""
    path = tmp_path / "gigantic.png"
    png_with_header(path, width, height)
    assert "too large" in _refused(path)


def test_a_large_image_is_read_shrunk_and_recognised(tmp_path):
    """Under the limit but far bigger than needed: read at most MAX_SIDE a side, still the same digit."""
    big = np.asarray(Image.fromarray(digit_picture(120)).resize((6000, 6000), Image.Resampling.NEAREST))
    path = save_image(tmp_path / "big.png", big, "L")
    image = load_image(path)
    assert max(image.shape) <= MAX_SIDE
    assert cosine(preprocess(image), preprocess(digit_picture(120))) > 0.9


def test_a_box_in_a_shrunk_image_is_given_back_in_the_file_s_pixels(tmp_path):
    """4100 px wide is read shrunk by 3 (1367 px): the last pixel read stands for the file's last two,
    so a box to the right edge ends at 4100, not 4101."""
    picture = np.full((300, 4100), 255, np.uint8)
    picture[60:240, 3800:] = 0
    image, shrink = load_image_shrunk(save_image(tmp_path / "wide.png", picture, "L"))
    assert image.shape == (100, 1367) and shrink.factor == 3 and shrink.size == (4100, 300)
    assert shrink.box_in_file(ink_box(ink_map(image))) == (3798, 60, 302, 180)


def test_a_gigantic_image_does_not_exhaust_memory(tmp_path):
    """In a fresh process with a 600 MB address-space allowance: refusing a 20000x20000 header, and
    reading a 7000x7000 image, both fit (decoding 20000x20000 alone would need 400 MB+ per copy)."""
    gigantic = tmp_path / "gigantic.png"
    png_with_header(gigantic, 20_000, 20_000)
    large = tmp_path / "large.png"
    Image.fromarray(digit_picture(100)).resize((7000, 7000)).save(large)
    script = (
        "import re, resource\n"
        "from PIL import PngImagePlugin\n"
        "from lenet_desktop.core.images import load_image, ImageError\n"
        "from lenet_desktop.core.preprocess import preprocess\n"
        "mapped = int(re.search(r'VmSize:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1)) * 1024\n"
        "resource.setrlimit(resource.RLIMIT_AS, (mapped + 600_000_000,) * 2)\n"
        "try:\n"
        f"    load_image({str(gigantic)!r})\n"
        "except ImageError as error:\n"
        "    print('refused:', error)\n"
        f"print('frame:', preprocess(load_image({str(large)!r})) is not None)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"refused: {gigantic}: the image is too large" in result.stdout
    assert "frame: True" in result.stdout


def test_a_1x1_image_is_no_digit(tmp_path):
    for value in (0, 255):
        path = save_image(tmp_path / f"dot{value}.png", np.full((1, 1), value, np.uint8), "L")
        assert preprocess(load_image(path)) is None


@pytest.mark.parametrize(
    "name, mode",
    [
        ("grey.png", "L"),
        ("bilevel.png", "1"),
        ("palette.png", "P"),
        ("palette.gif", "P"),
        ("rgb.jpg", "RGB"),
        ("cmyk.jpg", "CMYK"),
        ("cmyk.tif", "CMYK"),
        ("ycbcr.jpg", "YCbCr"),
        ("lab.tif", "LAB"),
        ("int32.tif", "I"),
        ("float.tif", "F"),
        ("rgba.webp", "RGBA"),
    ],
)
def test_every_colour_mode_gives_the_digit(tmp_path, shipped_classifier, name, mode):
    picture = digit_picture()
    if mode == "LAB":
        image = Image.fromarray(picture).convert("RGB").convert("LAB")
    elif mode == "F":
        image = Image.fromarray(picture.astype(np.float32) / 255, "F")
    else:
        image = Image.fromarray(picture).convert(mode)
    path = tmp_path / name
    image.save(path)
    frame = preprocess(load_image(path))
    assert frame is not None
    # Lossy formats may move the ink's centre across a pixel boundary, which shifts the frame a pixel.
    assert cosine(frame, preprocess(picture)) > 0.9
    assert recognise(shipped_classifier, load_image(path)).digit == 1


@pytest.mark.parametrize(
    "paper, ink", [(np.inf, 0.0), (1.0, -np.inf), (1.0, np.nan), (np.inf, np.nan)], ids=["inf", "-inf", "nan", "both"]
)
def test_a_float_tiff_with_non_finite_pixels_reads_like_its_finite_twin(tmp_path, shipped_classifier, paper, ink):
    """One inf pixel made every pixel nan, with numpy's RuntimeWarning and its source line on the
    terminal (an error under the test suite's warning filter). +inf reads as the brightest pixel,
    -inf and nan as dark."""
    picture = digit_picture().astype(np.float32) / 255
    values = picture.copy()
    values[0, 0] = paper  # a paper pixel
    values[60, 60] = ink  # an ink pixel
    path = tmp_path / "float.tif"
    Image.fromarray(values, "F").save(path)
    read = load_image(path)
    assert np.isfinite(read).all() and read.max() == 1.0
    assert np.allclose(preprocess(read), preprocess(picture), atol=1e-5)
    assert recognise(shipped_classifier, read).digit == 1


def test_a_16_bit_png_reads_like_its_8_bit_twin(tmp_path):
    picture = digit_picture()
    path = tmp_path / "deep.png"
    Image.fromarray(picture.astype(np.uint16) * 257).save(path)
    assert Image.open(path).mode.startswith("I;16")
    assert np.allclose(preprocess(load_image(path)), preprocess(picture), atol=1e-5)


def test_an_animated_gif_gives_its_first_frame(tmp_path):
    first = Image.fromarray(digit_picture()).convert("P")
    then = Image.fromarray(digit_picture().T.copy()).convert("P")  # a bar lying down
    path = tmp_path / "animated.gif"
    first.save(path, save_all=True, append_images=[then], duration=100, loop=0)
    with Image.open(path) as image:
        assert image.n_frames == 2
    assert np.allclose(preprocess(load_image(path)), preprocess(digit_picture()), atol=1e-5)


@pytest.mark.parametrize("mode", ["LA", "RGBA"])
def test_an_alpha_only_drawing_reads_its_ink_from_the_alpha(tmp_path, mode):
    """Every colour channel black, the digit only in the alpha channel (as some paint programs export)."""
    ink = 255 - digit_picture()
    pixels = np.zeros((*ink.shape, len(mode)), np.uint8)
    pixels[..., -1] = ink
    path = tmp_path / "alpha.png"
    Image.fromarray(pixels, mode).save(path)
    assert np.allclose(preprocess(load_image(path)), preprocess(digit_picture()), atol=1e-5)


def test_a_folder_or_missing_file_is_named(tmp_path):
    with pytest.raises(ImageError, match="is a folder, not an image"):
        load_image(tmp_path)
    with pytest.raises(ImageError, match="no such file"):
        load_image(tmp_path / "missing.png")
    with pytest.raises(ImageError, match="/dev/null: not a file"):  # it was called missing
        load_image("/dev/null")


# Root reads any file, so as root the check runs in a child that drops to nobody once the app is
# imported (nobody may not be able to read the Python installation itself).
_AS_NOBODY = """
import os, sys
from lenet_desktop.core.images import ImageError, load_image
os.setgroups([]); os.setgid(65534); os.setuid(65534)
try:
    load_image(sys.argv[1])
except ImageError as error:
    print(error)
"""


def test_an_unreadable_file_says_so(tmp_path):
    path = save_image(tmp_path / "locked.png", digit_picture(), "L")
    path.chmod(0)
    if os.geteuid() != 0:
        assert "not allowed to read" in _refused(path)
        return
    folder = Path(tempfile.mkdtemp())  # pytest's own folders are closed to others: only the file should be
    try:
        folder.chmod(0o711)
        path = Path(shutil.move(path, folder / path.name))
        child_env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        result = subprocess.run(
            [sys.executable, "-c", _AS_NOBODY, str(path)], capture_output=True, text=True, env=child_env, timeout=120
        )
    finally:
        shutil.rmtree(folder)
    assert result.returncode == 0, result.stderr
    message = result.stdout.strip()
    assert "not allowed to read" in message and path.name in message and "\n" not in message, message


def test_the_cli_answers_every_good_image_and_names_every_bad_one(tmp_path, capsys):
    good = save_image(tmp_path / "good.png", digit_picture(), "P")
    text = tmp_path / "text.png"
    text.write_text("hello")
    gigantic = tmp_path / "gigantic.png"
    png_with_header(gigantic, 20_000, 20_000)
    blank = save_image(tmp_path / "blank.png", np.full((1, 1), 255, np.uint8), "L")
    assert main(["predict", str(text), str(good), str(gigantic), str(blank)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        next(line for line in captured.out.splitlines() if line.startswith(f"{good}: 1 ")),
        f"{blank}: no digit",
    ]
    model, *errors = captured.err.strip().splitlines()
    assert model.startswith("lenet-desktop: model ") and len(errors) == 2  # which model read, then each bad one
    # Each named by its path, as a missing file is.
    assert errors == [f"lenet-desktop: {text}: not an image this app can read", errors[1]]
    assert errors[1].startswith(f"lenet-desktop: {gigantic}: the image is too large")
