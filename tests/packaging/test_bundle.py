"""The PyInstaller bundle, built by `make package` and run as a user without Python would run it.

The bundle runs from a scratch folder with no Python variables and a bare PATH, so it can only use what
it carries. Its answers are compared with the source install's, computed here in-process.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from digit_strokes import DIGITS, render_strokes
from PIL import Image
from real_display import draw_and_read
from test_self_test import PARTS

from lenet_desktop import __version__
from lenet_desktop.core.checkpoint import load_checkpoint
from lenet_desktop.core.device import resolve_device
from lenet_desktop.core.images import load_image
from lenet_desktop.core.paths import USER_DIR_VARIABLE, resource_path, shipped_weights_path
from lenet_desktop.core.predict import recognise

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "lenet-desktop"
SAMPLES = sorted(resource_path("samples").glob("digit_*.png"))


@pytest.fixture(scope="module")
def executable() -> Path:
    build = subprocess.run(["make", "package"], cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-4000:]
    return BUNDLE / "lenet-desktop"


def bare_environment(cwd: Path) -> dict[str, str]:
    """What a user's shell gives a program: no Python variables, a bare PATH."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(cwd)),
        USER_DIR_VARIABLE: os.environ[USER_DIR_VARIABLE],  # the isolated folder from conftest
        "XDG_CONFIG_HOME": str(cwd / "config"),
    }


def run_bundle(executable: Path, *args, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**bare_environment(cwd), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(executable), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def broken_copy(tmp_path: Path, *remove: str) -> Path:
    """The bundle, hard-linked into `tmp_path` (seconds, no space), less the files or folders `remove`
    names under _internal; returns its executable. The built bundle itself is untouched."""
    copy = tmp_path / "lenet-desktop"
    shutil.copytree(BUNDLE, copy, copy_function=os.link, symlinks=True)
    for name in remove:
        target = copy / "_internal" / name
        assert target.exists(), target
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return copy / "lenet-desktop"


def test_samples_are_shipped():
    assert [p.name for p in SAMPLES] == [f"digit_{d}.png" for d in range(10)]


def test_self_test_reads_the_sample_through_core_and_window(executable, tmp_path):
    result = run_bundle(executable, "--self-test", cwd=tmp_path)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    report = json.loads(lines[0])
    assert result.returncode == 0, report
    assert report["self_test"] == "passed"
    assert report["passed"] == PARTS
    assert report["frozen"] is True
    assert report["version"] == __version__
    assert report["torch"] == torch.__version__  # built from this environment
    assert report["device"] == str(resolve_device("auto"))
    assert report["digit"] == report["window_digit"] == report["expected"]
    assert Path(report["resources"]).is_relative_to(BUNDLE)
    assert report["window_shown_s"] > 0


def test_self_test_fails_with_one_json_line_on_unusable_weights(executable, tmp_path):
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a checkpoint")
    result = run_bundle(executable, "--self-test", "--weights", broken, cwd=tmp_path)
    assert result.returncode == 1
    report = json.loads(result.stdout.strip())
    assert report["self_test"] == "failed"
    assert report["failed_part"] == "engine"
    assert "broken.pt" in report["error"]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("removed", "part"),
    [
        ("resources/samples/digit_7.png", "preprocessing"),
        ("resources/samples/digit_3.png", "mnist files"),  # the tiny MNIST is written from all ten samples
        ("torchvision", "mnist files"),  # its operators and codecs (the .so files) go with it
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", "qt platform"),
    ],
)
def test_a_bundle_missing_a_part_fails_its_self_test_naming_the_part(executable, tmp_path, removed, part):
    result = run_bundle(broken_copy(tmp_path, removed), "--self-test", cwd=tmp_path)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout + result.stderr
    report = json.loads(lines[0])
    assert result.returncode == 1 and report["self_test"] == "failed", report
    assert report["failed_part"] == part, report
    assert "Traceback" not in result.stderr


@pytest.mark.display
def test_the_bundle_on_a_real_display_reads_a_seven_drawn_with_the_mouse(executable, tmp_path):
    shown, picture = draw_and_read([str(executable)], 7, tmp_path, base_env=bare_environment(tmp_path))
    picture.save(tmp_path / "screen.png")  # kept by pytest for a look when it fails
    assert shown["digit"] == 7 and shown["confidence"] > 0.9, shown


def test_predict_matches_the_source_install(executable, tmp_path):
    drawn = tmp_path / "drawn_4.png"
    Image.fromarray(render_strokes(DIGITS[4][1])).save(drawn)
    images = [*SAMPLES, drawn]
    result = run_bundle(executable, "predict", "--json", *images, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert [a["digit"] for a in answers] == [*range(10), 4]

    classifier = load_checkpoint(shipped_weights_path())
    for path, answer in zip(images, answers):
        expected = recognise(classifier, load_image(path)).probabilities
        np.testing.assert_allclose(answer["probabilities"], expected, atol=1e-5, err_msg=path.name)


def test_predict_refuses_a_non_image_in_one_line(executable, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    result = run_bundle(executable, "predict", text, cwd=tmp_path)
    assert result.returncode == 1
    model, refusal = result.stderr.strip().splitlines()  # the model it read with, then the refusal
    assert model.startswith("lenet-desktop: model ") and "notes.png" in refusal and "Traceback" not in result.stderr


def test_evaluate_uses_torchvision_in_the_bundle(executable, tmp_path, mnist_root):
    result = run_bundle(executable, "evaluate", "--json", "--no-download", "--data-dir", mnist_root, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["images"] == 10_000
    assert report["accuracy"] == pytest.approx(load_checkpoint(shipped_weights_path()).test_accuracy, abs=1e-4)


def test_train_writes_weights_the_bundle_then_uses(executable, tmp_path, mnist_root):
    weights = tmp_path / "trained.pt"
    result = run_bundle(
        executable,
        "train",
        "--epochs",
        "1",
        "--max-batches",
        "3",
        "--no-download",
        "--data-dir",
        mnist_root,
        "--out",
        weights,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert load_checkpoint(weights).metadata["mnist_test_accuracy"] is not None
    predicted = run_bundle(executable, "predict", "--json", "--weights", weights, SAMPLES[0], cwd=tmp_path)
    assert predicted.returncode == 0, predicted.stderr
    assert sum(json.loads(predicted.stdout)["probabilities"]) == pytest.approx(1.0, abs=1e-4)


def test_bundle_carries_what_it_needs_and_not_what_it_never_uses(executable):
    internal = BUNDLE / "_internal"
    for needed in (
        "resources/lenet_mnist.pt",
        "torchvision/_C_stable.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libxcb-icccm.so.4",  # the xcb libraries a minimal system lacks (qt_platform_libraries.py)
        "PySide6/Qt/lib/libxcb-cursor.so.0",
        "resources/samples/digit_0.png",  # the self-test's tiny MNIST is written from the ten samples
    ):
        assert (internal / needed).is_file(), needed
    assert not (internal / "triton").exists()
    unused = [
        p.name
        for p in internal.rglob("*")
        if p.name.startswith(("libQt6WebEngine", "libQt6Quick", "libQt6Pdf", "libQt6Qml"))
    ]
    assert unused == []
