"""`lenet-desktop train` on corrections and mixes, and `lenet-desktop corrections`, as real processes."""

import io

import numpy as np
import pytest
from cli_process import run_cli
from digit_strokes import DIGITS, render_strokes
from PIL import Image

from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.paths import user_data_dir
from lenet_desktop.core.store import CorrectionStore, default_store_path


def test_corrections_list_export_import(corrections, tmp_path):
    listed = run_cli("corrections", "list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert len(lines) == 11 and lines[-1].startswith("10 corrections in")
    assert "label 7  model said 0 (40%)  shipped" in lines[7]

    exported = run_cli("corrections", "export", tmp_path / "out")
    assert exported.returncode == 0 and "exported 10" in exported.stdout
    corrections.unlink()
    for suffix in ("-wal", "-shm"):
        corrections.with_name(corrections.name + suffix).unlink(missing_ok=True)
    imported = run_cli("corrections", "import", tmp_path / "out")
    assert imported.returncode == 0, imported.stderr
    assert "imported 10 corrections (0 already there" in imported.stdout
    with CorrectionStore(corrections) as store:
        labelled = {c.label: np.asarray(Image.open(io.BytesIO(c.drawing_png))) for c in store.all()}
    assert sorted(labelled) == list(range(10))
    for digit, drawing in labelled.items():
        assert np.array_equal(drawing, render_strokes(DIGITS[digit][1])), (
            f"the drawing labelled {digit} is another digit's"
        )


def test_one_correction_is_counted_as_one_correction(tmp_path):
    with CorrectionStore(default_store_path(user_data_dir())) as store:
        store.add(render_strokes(DIGITS[3][0]), 3)
    listed = run_cli("corrections", "list")
    assert listed.returncode == 0 and listed.stdout.splitlines()[-1].startswith("1 correction in "), listed.stdout
    exported = run_cli("corrections", "export", tmp_path / "out")
    assert exported.stdout.startswith("exported 1 correction to "), exported.stdout
    imported = run_cli("corrections", "import", tmp_path / "out")
    assert imported.stdout.startswith("imported 0 corrections (1 already there, 0 unreadable)"), imported.stdout


@pytest.mark.parametrize(
    "data, said",
    [
        ("mix", "personalising on cpu: Adam at learning rate 0.0002, up to 3 epochs in batches of 64; 30% corrections"),
        ("mnist", "training on cpu: Adam (lr 0.001, betas 0.9 0.999, weight decay 0), 1 epoch in batches of 128"),
    ],
)
def test_train_says_what_it_will_do_in_words_not_python_reprs(corrections, tmp_path, without_mnist, data, said):
    """It printed Recipe(optimizer='adam', lr=0.0002, ...) for a mix and a dict for the others."""
    result = run_cli("train", "--data", data, "--device", "cpu", *without_mnist, "--out", tmp_path / "never.pt")
    assert result.returncode == 2, result.stderr  # no MNIST here: refused once the plan is said
    assert said in result.stderr and "Recipe(" not in result.stderr and "{" not in result.stderr, result.stderr


def test_corrections_errors_are_one_line(tmp_path):
    result = run_cli("corrections", "import", tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"lenet-desktop: error: {tmp_path}: no corrections.csv here (it lists file,label per image)"
    ]
    (tmp_path / "a file").write_text("")
    result = run_cli("corrections", "export", tmp_path / "a file" / "out")
    assert result.returncode == 2 and result.stdout == ""
    # Not Python's "[Errno 20] Not a directory: '...'"
    assert result.stderr.strip().splitlines() == [
        f"lenet-desktop: error: {tmp_path / 'a file' / 'out'}: not exported (Not a directory); no part of it was left"
    ]


@pytest.mark.parametrize(
    "options, reason",
    [
        (("--lr", "-1"), "Invalid learning rate"),
        (("--optimizer", "adam", "--betas", "2", "0.9"), "Invalid beta parameter"),
        (("--max-batches", "0"), "must be a whole number of at least 1"),
        (("--optimizer", "adam", "--alpha", "0.9"), "has no hyperparameter 'alpha'"),
        # Finite, but beyond a float32: each ended mid-run in a RuntimeError from the first step.
        (("--optimizer", "sgd", "--lr", "1e308"), "--optimizer sgd: lr 1e+308 is out of range: at most 1e+06"),
        (("--optimizer", "adam", "--lr", "1e39"), "--optimizer adam: lr 1e+39 is out of range"),
        (("--weight-decay", "1e39"), "weight decay 1e+39 is out of range"),
        (("--optimizer", "rmsprop", "--alpha", "1e39"), "--optimizer rmsprop: alpha 1e+39 is out of range"),
        (("--data", "mix", "--lr", "1e39"), "lr 1e+39 is out of range"),
    ],
)
def test_bad_training_values_are_refused_before_any_work(tmp_path, without_mnist, options, reason):
    result = run_cli("train", *options, *without_mnist, "--out", tmp_path / "never.pt")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and reason in result.stderr
    assert not (tmp_path / "never.pt").exists()


def test_training_on_corrections_without_any_says_so(mnist_root, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative --out lands here, not in the checkout
    result = run_cli("train", "--data", "corrections", "--data-dir", mnist_root, "--out", "never.pt")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no corrections to train on" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_train_on_a_mix_reports_the_mix_and_before_after(corrections, mnist_root, tmp_path):
    out = tmp_path / "mine.pt"
    result = run_cli(
        "train",
        "--data",
        "mix",
        "--data-dir",
        mnist_root,
        "--replay",
        "300",
        "--lr",
        "1e-4",
        "--epochs",
        "1",
        "--max-batches",
        "3",
        "--seed",
        "2",
        "--name",
        "personal",
        "--out",
        out,
    )
    assert result.returncode == 0, result.stderr
    assert "personalising on" in result.stderr and "learning rate 0.0001, up to 1 epoch in" in result.stderr  # as asked
    assert "8 corrections x 17 + 300 MNIST replay = 436 images per epoch" in result.stderr  # the recipe's 30 % share
    assert "2 corrections held out" in result.stderr
    assert "MNIST test:" in result.stdout and "held-out corrections:" in result.stdout and "before" in result.stdout
    trained = load_checkpoint(out)
    assert trained.name == "personal" and trained.metadata["parent"] == "lenet-mnist-shipped"
    assert trained.metadata["training"]["config"]["optimizer"] == "adam"
    assert trained.metadata["training"]["personalisation"]["recipe"]["replay"] == 300
