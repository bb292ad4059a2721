"""MNIST files that are missing, cut short, of the wrong kind or of different counts: a clear
error naming the file, and predicting still works."""

from __future__ import annotations

import shutil
import struct

import pytest
from bad_files import digit_picture, write_idx, write_tiny_mnist
from PIL import Image

from lenet_desktop.cli import main
from lenet_desktop.core.data import MNIST_FILES, MnistError, load_mnist

IMAGES, LABELS = MNIST_FILES["test"]


@pytest.fixture
def tiny_mnist(tmp_path):
    return write_tiny_mnist(tmp_path)


def _error(root) -> str:
    with pytest.raises(MnistError) as error:
        load_mnist(root, "test", download=False)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_a_valid_tiny_split_loads(tiny_mnist):
    data = load_mnist(tiny_mnist, "test", download=False)
    assert data.images.shape == (5, 1, 32, 32) and data.labels.tolist() == [1] * 5


@pytest.mark.parametrize("name", MNIST_FILES["test"])
def test_a_missing_file_is_named(tiny_mnist, name):
    (tiny_mnist / "MNIST" / "raw" / name).unlink()
    message = _error(tiny_mnist)
    assert name in message and "not found" in message


def test_the_test_split_needs_no_training_files(tiny_mnist):
    for name in MNIST_FILES["train"]:
        (tiny_mnist / "MNIST" / "raw" / name).unlink()
    assert len(load_mnist(tiny_mnist, "test", download=False)) == 5


@pytest.mark.parametrize("name, keep", [(IMAGES, 3000), (IMAGES, 10), (LABELS, 12), (LABELS, 3)])
def test_a_cut_short_file_is_named(tiny_mnist, name, keep):
    path = tiny_mnist / "MNIST" / "raw" / name
    path.write_bytes(path.read_bytes()[:keep])
    message = _error(tiny_mnist)
    assert str(path) in message and "cut short" in message


def test_a_file_with_extra_bytes_is_named(tiny_mnist):
    path = tiny_mnist / "MNIST" / "raw" / LABELS
    path.write_bytes(path.read_bytes() + b"\x07")
    assert str(path) in _error(tiny_mnist)


def test_swapped_files_have_the_wrong_magic_number(tiny_mnist):
    raw = tiny_mnist / "MNIST" / "raw"
    images, labels = (raw / IMAGES).read_bytes(), (raw / LABELS).read_bytes()
    (raw / IMAGES).write_bytes(labels)
    (raw / LABELS).write_bytes(images)
    message = _error(tiny_mnist)
    assert str(raw / IMAGES) in message and "magic number" in message


def test_a_file_of_text_has_the_wrong_magic_number(tiny_mnist):
    path = tiny_mnist / "MNIST" / "raw" / LABELS
    path.write_text("404 Not Found: the mirror moved\n")
    message = _error(tiny_mnist)
    assert str(path) in message and "not an MNIST labels file" in message


def test_different_counts_of_images_and_labels_name_both_files(tiny_mnist):
    raw = tiny_mnist / "MNIST" / "raw"
    write_idx(raw / LABELS, 0x801, (4,), bytes([1, 1, 1, 1]))
    message = _error(tiny_mnist)
    assert f"{raw / IMAGES} holds 5 images but {raw / LABELS} holds 4 labels" in message


def test_images_of_another_size_are_named(tiny_mnist):
    path = tiny_mnist / "MNIST" / "raw" / IMAGES
    write_idx(path, 0x803, (5, 32, 32))
    message = _error(tiny_mnist)
    assert str(path) in message and "28x28" in message


@pytest.mark.mnist
def test_real_mnist_copies_cut_short_or_mismatched_are_named(mnist_root, tmp_path):
    """The same checks on copies of the real test files."""
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in (IMAGES, LABELS):
        shutil.copy(mnist_root / "MNIST" / "raw" / name, raw / name)
    for name in MNIST_FILES["train"]:  # present, as torchvision wants, but not read for the test split
        (raw / name).symlink_to(mnist_root / "MNIST" / "raw" / name)
    assert len(load_mnist(tmp_path, "test", download=False)) == 10_000
    with open(raw / IMAGES, "r+b") as file:
        file.truncate(16 + 9_999 * 784)
    message = _error(tmp_path)
    assert str(raw / IMAGES) in message and "cut short" in message
    (raw / LABELS).unlink()
    shutil.copy(mnist_root / "MNIST" / "raw" / MNIST_FILES["train"][1], raw / LABELS)
    with open(raw / IMAGES, "r+b") as file:  # a whole count again, but 9,999 images for 60,000 labels
        file.seek(4)
        file.write(struct.pack(">I", 9_999))
    assert "holds 9999 images but" in _error(tmp_path)


def test_the_cli_names_the_bad_file_and_still_predicts(tiny_mnist, tmp_path, capsys):
    path = tiny_mnist / "MNIST" / "raw" / IMAGES
    path.write_bytes(path.read_bytes()[:100])
    assert main(["evaluate", "--no-download", "--data-dir", str(tiny_mnist)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and str(path) in error and "cut short" in error
    drawing = tmp_path / "one.png"
    Image.fromarray(digit_picture()).save(drawing)
    assert main(["predict", str(drawing)]) == 0
    assert capsys.readouterr().out.startswith(f"{drawing}: 1 ")
